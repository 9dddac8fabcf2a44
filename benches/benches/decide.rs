//! `Detection::decide` (the scoring hot path) and `Detection::verdict` (the
//! explained one) on a fixed mix of rows of the built-in content: process rows
//! that alert and rows that one exclusion suppresses, DNS rows with and without a
//! hit, file rows. Every row's decision is checked, and the totals, before anything
//! is timed.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use detections::{Decision, Detection, Engine, Event};
use std::hint::black_box;

/// What a row must give: fired, alert, the suppressing exclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Want {
    fired: bool,
    alert: bool,
    suppressed_by: Option<&'static str>,
}

const ALERT: Want = Want {
    fired: true,
    alert: true,
    suppressed_by: None,
};
const QUIET: Want = Want {
    fired: false,
    alert: false,
    suppressed_by: None,
};
const fn suppressed(by: &'static str) -> Want {
    Want {
        fired: true,
        alert: false,
        suppressed_by: Some(by),
    }
}

/// (group, copies in the mix, row as JSON, what it must give).
const ROWS: &[(&str, usize, &str, Want)] = &[
    (
        "process-alert",
        3,
        r#"{"EventID":1,"Image":"C:\\Users\\a\\AppData\\Roaming\\nanocore.exe","CommandLine":"nanocore.exe -k","ParentImage":"C:\\Windows\\explorer.exe"}"#,
        ALERT,
    ),
    (
        "process-alert",
        1,
        r#"{"Type":"DeviceProcessEvents","FileName":"NanoCore-Studio.exe","FolderPath":"C:\\Users\\a\\NanoCore-Studio.exe","ProcessCommandLine":"NanoCore-Studio.exe","InitiatingProcessFileName":"explorer.exe"}"#,
        ALERT,
    ),
    (
        "process-suppressed",
        2,
        r#"{"EventID":1,"Image":"C:\\Program Files\\BackupTool\\nanocore.exe","ParentImage":"C:\\Windows\\System32\\svchost.exe"}"#,
        suppressed("backup-job"),
    ),
    (
        "process-suppressed",
        1,
        r#"{"EventID":1,"Image":"C:\\Tools\\nanocore.exe","CommandLine":"nanocore.exe --nmap 10.0.0.0/24","ParentImage":"C:\\Windows\\System32\\cmd.exe"}"#,
        suppressed("network-diagnostics"),
    ),
    (
        "process-suppressed",
        1,
        r#"{"Type":"DeviceProcessEvents","DeviceName":"ws1","FileName":"nanocore.exe","FolderPath":"C:\\Tools","ProcessCommandLine":"C:\\Tools\\nanocore.exe","InitiatingProcessFolderPath":"C:\\Windows\\System32","InitiatingProcessFileName":"svchost.exe"}"#,
        suppressed("log-cleanup"),
    ),
    (
        "process-quiet",
        6,
        r#"{"EventID":1,"Image":"C:\\Windows\\System32\\svchost.exe","CommandLine":"svchost.exe -k netsvcs","ParentImage":"C:\\Windows\\System32\\services.exe"}"#,
        QUIET,
    ),
    (
        "dns-hit",
        2,
        r#"{"Type":"DnsEvents","Name":"c2.estaliax.io","Computer":"DC01"}"#,
        ALERT,
    ),
    (
        "dns-hit",
        1,
        r#"{"EventID":22,"QueryName":"DURAKTANTUNI.SITE.","Image":"C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727\\RegAsm.exe"}"#,
        ALERT,
    ),
    (
        "dns-hit",
        1,
        r#"{"EventID":22,"QueryName":"estaliax.io","Image":"C:\\Program Files\\BackupTool\\nanocore.exe"}"#,
        suppressed("backup-job"),
    ),
    (
        "dns-miss",
        20,
        r#"{"Type":"DnsEvents","Name":"login.microsoftonline.com","Computer":"DC01"}"#,
        QUIET,
    ),
    (
        "dns-miss",
        6,
        r#"{"EventID":22,"QueryName":"xestaliax.io.cdn.example.net","Image":"C:\\Program Files\\Mozilla Firefox\\firefox.exe"}"#,
        QUIET,
    ),
    (
        "file",
        1,
        r#"{"EventID":11,"Image":"C:\\Users\\a\\Downloads\\invoice.exe","TargetFilename":"C:\\Users\\a\\AppData\\Roaming\\nanocore.dll"}"#,
        ALERT,
    ),
    (
        "file",
        1,
        r#"{"EventID":11,"Image":"C:\\Windows\\System32\\msiexec.exe","TargetFilename":"C:\\Program Files\\Vendor\\nanocore.dll"}"#,
        suppressed("software-update"),
    ),
    (
        "file",
        4,
        r#"{"EventID":11,"Image":"C:\\Windows\\explorer.exe","TargetFilename":"C:\\Users\\a\\Documents\\report.docx"}"#,
        QUIET,
    ),
];

/// Times each row kind appears in the timed slice.
const REPEAT: usize = 200;
/// Rows in the mix: the copies above (50) times [`REPEAT`].
const MIX_ROWS: usize = 50 * REPEAT;
/// Alerts, fired rows and suppressed rows in the mix.
const MIX_ALERTS: usize = 8 * REPEAT;
const MIX_FIRED: usize = 14 * REPEAT;
const MIX_SUPPRESSED: usize = 6 * REPEAT;

/// A task's creation on `ws1` whose action is the suppressed process row's
/// command line: no process row names its task, the process join learns it
/// from this row (as `report` and `scan` do).
const TASK: &str = r#"{"Type":"DeviceEvents","ActionType":"ScheduledTaskCreated","DeviceName":"ws1","AdditionalFields":{"TaskName":"\\TempCleanup","TaskContent":"{\"Actions\":{\"Exec\":{\"Command\":\"C:\\\\Tools\\\\nanocore.exe\"}}}"}}"#;

/// The rows of one group (or of all, for `None`), each with what it must give,
/// interleaved so that consecutive rows differ. Each row is read through a
/// process join that has learned [`TASK`] alone.
fn rows(group: Option<&str>) -> Vec<(Event, Want)> {
    let parsed: Vec<(usize, Event, Want)> = ROWS
        .iter()
        .filter(|(g, ..)| group.is_none_or(|w| w == *g))
        .map(|&(_, copies, json, want)| {
            let read = |line: &str| {
                detections::fields::parse_line(line)
                    .unwrap_or_else(|e| panic!("bench row does not read: {e}: {line}"))
            };
            let mut join = detections::enrich::ProcessJoin::new();
            join.apply(&mut read(TASK));
            let mut ev = read(json);
            join.apply(&mut ev);
            (copies, ev, want)
        })
        .collect();
    let most = parsed.iter().map(|(c, ..)| *c).max().unwrap_or(0);
    let mut out = Vec::new();
    for _ in 0..REPEAT {
        for round in 0..most {
            for (copies, ev, want) in &parsed {
                if round < *copies {
                    out.push((ev.clone(), *want));
                }
            }
        }
    }
    out
}

/// Check every row's decision and verdict against what it must give.
fn check(det: &Detection, rows: &[(Event, Want)]) {
    for (ev, want) in rows {
        let d = det.decide(ev);
        let by = d.suppressed_by.map(|x| det.exclusions[x].id.as_str());
        assert_eq!(
            (d.fired != 0, d.alert, by),
            (want.fired, want.alert, want.suppressed_by),
            "decide on {ev:?}"
        );
        let v = det.verdict(ev);
        assert_eq!(
            (!v.hunts.is_empty(), v.alert, v.suppressed_by.as_deref()),
            (want.fired, want.alert, want.suppressed_by),
            "verdict on {ev:?}"
        );
    }
}

fn alerts(det: &Detection, rows: &[Event]) -> (usize, usize) {
    rows.iter().fold((0, 0), |(a, f), ev| {
        let d: Decision = det.decide(ev);
        (a + usize::from(d.alert), f + usize::from(d.fired != 0))
    })
}

fn verdict_alerts(det: &Detection, rows: &[Event]) -> usize {
    rows.iter().filter(|ev| det.verdict(ev).alert).count()
}

fn bench_decide(c: &mut Criterion) {
    let det = detections::builtin(Engine::Fast);
    let mix = rows(None);
    check(&det, &mix);
    assert_eq!(mix.len(), MIX_ROWS);
    let count = |f: fn(&Want) -> bool| mix.iter().filter(|(_, w)| f(w)).count();
    assert_eq!(count(|w| w.alert), MIX_ALERTS);
    assert_eq!(count(|w| w.fired), MIX_FIRED);
    assert_eq!(count(|w| w.suppressed_by.is_some()), MIX_SUPPRESSED);
    let events: Vec<Event> = mix.into_iter().map(|(ev, _)| ev).collect();
    assert_eq!(alerts(&det, &events), (MIX_ALERTS, MIX_FIRED));

    let mut g = c.benchmark_group("decide");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("mix", |b| {
        b.iter(|| assert_eq!(alerts(&det, black_box(&events)), (MIX_ALERTS, MIX_FIRED)))
    });
    for group in [
        "process-alert",
        "process-suppressed",
        "process-quiet",
        "dns-hit",
        "dns-miss",
        "file",
    ] {
        let rows = rows(Some(group));
        check(&det, &rows);
        let want = (
            rows.iter().filter(|(_, w)| w.alert).count(),
            rows.iter().filter(|(_, w)| w.fired).count(),
        );
        let events: Vec<Event> = rows.into_iter().map(|(ev, _)| ev).collect();
        g.throughput(Throughput::Elements(events.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(group), &events, |b, events| {
            b.iter(|| assert_eq!(alerts(&det, black_box(events)), want))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("verdict");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("mix", |b| {
        b.iter(|| assert_eq!(verdict_alerts(&det, black_box(&events)), MIX_ALERTS))
    });
    g.finish();
}

criterion_group!(benches, bench_decide);
criterion_main!(benches);
