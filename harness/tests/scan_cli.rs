//! `huntlab scan` end to end: the harness's verdicts row for row over simulated
//! tables, every input format, IOC feeds with their fields, CSV cells that a
//! spreadsheet would run, exit statuses, standard input and a closed pipe.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use detections::pipeline::Pipeline;
use serde_json::Value;

#[path = "support/spawn.rs"]
mod cli;
use cli::{simulated, stderr, Dir, BIN};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(rel: &str) -> String {
    root().join(rel).display().to_string()
}

fn scan(args: &[&str], stdin: &str) -> Output {
    let mut all = vec!["scan", "--quiet"];
    all.extend_from_slice(args);
    cli::run_with_stdin(&all, stdin)
}

/// A file written in `dir`, as a string path.
fn path_of(dir: &Dir, name: &str, text: &str) -> String {
    dir.file(name, text).display().to_string()
}

fn hits(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn scan_over_simulated_tables_gives_the_harness_verdicts_row_for_row() {
    let dir = simulated("parity");

    // The harness's own verdicts, keyed by (table, line), as `report` judges them.
    let det = detections::builtin(detections::Engine::Fast);
    // The library and the content's mimics, as `huntlab simulate` writes them.
    let mut scenarios = simulator::builtin().expect("library");
    scenarios.extend(
        harness::mimic::mimics(&det)
            .into_iter()
            .filter_map(|m| m.scenario.ok()),
    );
    let mut pipeline = Pipeline::new(&det);
    let mut lines: BTreeMap<&str, u64> = BTreeMap::new();
    let mut expected = BTreeMap::new();
    for rec in simulator::generate_all(&scenarios, &simulator::Options::default()) {
        let table = rec.table.name();
        let n = lines.entry(table).or_default();
        *n += 1;
        let j = pipeline.judge(rec.row.columns()).expect("readable");
        if j.decision.fired != 0 {
            let v = pipeline.explain(&j);
            expected.insert((table.to_owned(), *n), (v.alert, v.suppressed_by));
        }
    }
    assert!(expected.len() > 1000, "{}", expected.len());

    // In a shell glob's (name) order, as `huntlab scan out/*.jsonl` reads them:
    // the rows that teach the join (a task's registration in DeviceEvents or
    // SecurityEvent, a certificate) come before the process rows they name.
    let mut tables: Vec<String> = simulator::Table::ALL
        .iter()
        .map(|t| {
            dir.0
                .join(format!("{}.jsonl", t.name()))
                .display()
                .to_string()
        })
        .collect();
    tables.sort();
    let mut args = vec!["--all", "--json"];
    args.extend(tables.iter().map(String::as_str));
    let out = scan(&args, "");
    assert_eq!(out.status.code(), Some(1), "alerts found: {}", stderr(&out));
    // On one thread or two (reading and mapping apart from judging): the same
    // bytes out and the same summary.
    for threads in ["1", "2"] {
        let mut again = vec!["--threads", threads];
        again.extend_from_slice(&args);
        let o = scan(&again, "");
        assert!(o.stdout == out.stdout, "--threads {threads}: other hits");
        assert_eq!(stderr(&o), stderr(&out), "--threads {threads}");
    }
    // The whole folder: the simulator's labels file is skipped with a note, so
    // every row read is telemetry and none is rejected.
    let folder = scan(&["--json", dir.0.to_str().expect("utf-8")], "");
    let err = stderr(&folder);
    assert!(
        err.contains("skipped") && err.contains("labels.jsonl"),
        "{err}"
    );
    assert!(err.contains("scored + 0 rejected"), "{err}");
    assert_eq!(
        hits(&folder).len(),
        hits(&out).iter().filter(|h| h["alert"] == true).count()
    );
    let mut got = BTreeMap::new();
    for h in hits(&out) {
        let input = h["input"].as_str().expect("input");
        let table = Path::new(input)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("stem")
            .to_owned();
        let line: u64 = h["position"]
            .as_str()
            .and_then(|p| p.strip_prefix("line "))
            .and_then(|n| n.parse().ok())
            .expect("a line position");
        let by = h["suppressed_by"].as_str().map(str::to_owned);
        got.insert((table, line), (h["alert"] == true, by));
    }
    assert_eq!(got.len(), expected.len());
    for (k, v) in &expected {
        assert_eq!(got.get(k), Some(v), "{k:?}");
    }
    let err = stderr(&out);
    let rows: u64 = lines.values().sum();
    assert!(
        err.contains(&format!("{rows} row(s) read = {rows} scored + 0 rejected")),
        "{err}"
    );
}

#[test]
fn every_input_format_reads_and_alerts() {
    let cases = [
        ("harness/tests/fixtures/formats/dnsevents.csv", 3, 1),
        (
            "harness/tests/fixtures/formats/defender-deviceevents.csv",
            1,
            0,
        ),
        ("harness/tests/fixtures/formats/event-sysmon.csv", 1, 0),
        ("harness/tests/fixtures/formats/event-sysmon.jsonl", 2, 1),
        ("harness/tests/fixtures/formats/event-sysmon.jsonl.gz", 2, 1),
        ("harness/tests/fixtures/formats/sysmon-chunk.evtx", 0, 0),
    ];
    for (file, alerts, rejected) in cases {
        let out = scan(&["--json", &fixture(file)], "");
        let h = hits(&out);
        assert_eq!(h.len(), alerts, "{file}: {}", stderr(&out));
        assert!(h.iter().all(|v| v["alert"] == true));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("+ {rejected} rejected")),
            "{file}: {err}"
        );
        let want = if alerts > 0 { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(want), "{file}");
    }
}

#[test]
fn a_feed_replaces_the_content_iocs_and_its_fields_reach_each_hit() {
    let dir = Dir::new("feed");
    let input = path_of(
        &dir,
        "dns.jsonl",
        concat!(
            r#"{"Type":"DnsEvents","Computer":"dns01","Name":"c2.estaliax.io"}"#,
            "\n",
            r#"{"Type":"DnsEvents","Computer":"dns01","Name":"www.example.com"}"#,
            "\n",
        ),
    );
    let feed = path_of(&dir, "feed.txt", "# a list\nexample.com\n");
    let out = scan(&["--json", "--iocs", &feed, &input], "");
    let h = hits(&out);
    assert_eq!(h.len(), 1, "{}", stderr(&out));
    assert_eq!(h[0]["subject"], "www.example.com", "the feed's domain");
    assert_eq!(h[0]["ioc"]["value"], "example.com");

    let tf = fixture("detections/tests/fixtures/feeds/threatfox.csv");
    let out = scan(&["--json", "--iocs", &tf, &input], "");
    let h = hits(&out);
    assert_eq!(h.len(), 1, "{}", stderr(&out));
    assert_eq!(h[0]["ioc"]["value"], "estaliax.io");
    assert_eq!(h[0]["ioc"]["threat_type"], "botnet_cc");
    assert_eq!(h[0]["ioc"]["malware_family"], "Nanocore RAT");
    assert_eq!(h[0]["ioc"]["confidence"], 75);
}

#[test]
fn csv_output_neutralises_formulas_and_quotes_cells() {
    let input = concat!(
        r#"{"Type":"DnsEvents","Computer":"=cmd|' /C calc'!A0","Name":"=cmd|' /C calc'!A0.estaliax.io"}"#,
        "\n",
        r#"{"Type":"DnsEvents","Computer":"@dns, \"two\"","Name":"+x.estaliax.io"}"#,
        "\n",
    );
    let out = scan(&["--output", "csv"], input);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    assert!(lines
        .next()
        .expect("header")
        .starts_with("input,position,time,host"));
    let first = lines.next().expect("hit 1");
    assert!(first.contains(",'=cmd|' /C calc'!A0,"), "{first}");
    assert!(
        first.contains(",'=cmd|' /C calc'!A0.estaliax.io,"),
        "{first}"
    );
    let second = lines.next().expect("hit 2");
    assert!(second.contains(r#","'@dns, ""two""","#), "{second}");
    assert!(second.contains(",'+x.estaliax.io,"), "{second}");
}

#[test]
fn exit_status_follows_alerts_rejections_and_errors() {
    let quiet = scan(
        &[],
        "{\"Type\":\"DnsEvents\",\"Name\":\"www.example.com\"}\n",
    );
    assert_eq!(quiet.status.code(), Some(0), "{}", stderr(&quiet));
    let alert = scan(&[], "{\"Type\":\"DnsEvents\",\"Name\":\"estaliax.io\"}\n");
    assert_eq!(alert.status.code(), Some(1));
    let text = String::from_utf8_lossy(&alert.stdout);
    assert!(
        text.contains("ALERT") && text.contains("<stdin>: line 1"),
        "{text}"
    );
    let bad = "{\"Type\":\"DnsEvents\",\"Name\":\"www.example.com\"}\nnot json\n";
    let lenient = scan(&[], bad);
    assert_eq!(
        lenient.status.code(),
        Some(1),
        "a rejected row is never clean"
    );
    assert!(stderr(&lenient).contains("rejected: <stdin>: line 2"));
    assert!(stderr(&lenient).contains("not clean: 1 row(s) could not be judged"));
    let strict = scan(&["--strict"], bad);
    assert_eq!(strict.status.code(), Some(2));
    // A C2 lookup in a row with a wrong-typed column: rejected, so not clean.
    let typed = r#"{"Type":"DnsEvents","Name":"a.estaliax.io","ClientIP":7}"#;
    assert_eq!(scan(&[], typed).status.code(), Some(1));
    // A table no hunt reads, carrying a hunted column: not judged, so not clean;
    // --strict fails on it as on a rejected row.
    let unknown = r#"{"Type":"MyCustomTable","Computer":"h","Name":"c2.estaliax.io"}"#;
    let o = scan(&[], unknown);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(scan(&["--strict"], unknown).status.code(), Some(2));
    // A C2 name in a network row: the seed's network hunt alerts on it; an
    // address alone, of a kind the seed holds no indicator of, is clean.
    let network = r#"{"Type":"DeviceNetworkEvents","DeviceName":"h","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.7","RemotePort":443,"RemoteUrl":"estaliax.io"}"#;
    let o = scan(&["--json"], network);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(hits(&o)[0]["hunts"][0], "nanocore-c2-name-network");
    let address = r#"{"Type":"DeviceNetworkEvents","DeviceName":"h","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.7","RemotePort":443}"#;
    assert_eq!(scan(&[], address).status.code(), Some(0));
    let missing = scan(&["/nonexistent/huntlab.jsonl"], "");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot open /nonexistent/huntlab.jsonl"));
}

#[test]
fn a_folder_is_read_whole_and_suppressed_hits_show_with_all() {
    let dir = Dir::new("folder");
    path_of(
        &dir,
        "a.jsonl",
        concat!(
            r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","QueryName":"updates.estaliax.io"}"#,
            "\n"
        ),
    );
    path_of(
        &dir,
        "b.jsonl",
        concat!(
            r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","Company":"Nanocore Imaging GmbH","ParentImage":"C:\\Windows\\explorer.exe"}"#,
            "\n"
        ),
    );
    let folder = dir.0.display().to_string();
    let alerts = scan(&["--json", &folder], "");
    assert!(
        hits(&alerts).is_empty(),
        "joined across files, then suppressed"
    );
    assert_eq!(alerts.status.code(), Some(0));
    let all = hits(&scan(&["--json", "--all", &folder], ""));
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["suppressed_by"], "name-collision");
    assert_eq!(all[0]["process_joined"], true);
}

#[test]
fn a_closed_pipe_ends_the_scan_quietly() {
    let dir = Dir::new("pipe");
    let line = r#"{"Type":"DnsEvents","Computer":"dns01","Name":"c2.estaliax.io"}"#;
    let f = path_of(&dir, "big.jsonl", &format!("{line}\n").repeat(100_000));
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{BIN}' scan --quiet '{f}' | head -n 1 >/dev/null; echo \"status ${{PIPESTATUS[0]}}\""
        ))
        .output()
        .expect("bash runs");
    let err = stderr(&out);
    assert!(
        !err.contains("Broken pipe") && !err.contains("error"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "status 0");
}

/// An input with no row (an export that failed upstream, a file of blank
/// lines) is not clean: a warning and exit 1 in `scan` and `explain`, 2 with
/// `scan --strict`, 0 only with `--allow-empty`.
#[test]
fn an_empty_input_is_a_warning_not_a_clean_result() {
    let dir = Dir::new("empty");
    for text in ["", "\n\n   \n"] {
        let f = path_of(&dir, "empty.jsonl", text);
        for (args, status) in [
            (vec!["scan", f.as_str()], 1),
            (vec!["scan", "--strict", f.as_str()], 2),
            (vec!["scan", "--allow-empty", f.as_str()], 0),
            (vec!["explain", f.as_str()], 1),
            (vec!["explain", "--allow-empty", f.as_str()], 0),
        ] {
            let out = cli::run_with_stdin(&args, "");
            assert_eq!(
                out.status.code(),
                Some(status),
                "{args:?}: {}",
                stderr(&out)
            );
            let warned = stderr(&out).contains("no row read");
            assert_eq!(warned, status != 0, "{args:?}: {}", stderr(&out));
        }
    }
    // Standard input with nothing on it, too.
    let out = scan(&["-"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // A folder with no file, or none but files that are not telemetry: no
    // row read, as an empty file.
    let empty = dir.0.join("empty-folder");
    std::fs::create_dir_all(&empty).unwrap();
    let only_readme = dir.0.join("only-readme");
    std::fs::create_dir_all(&only_readme).unwrap();
    std::fs::write(only_readme.join("README.md"), "# export\n").unwrap();
    for folder in [&empty, &only_readme] {
        let f = folder.display().to_string();
        let out = scan(&[f.as_str()], "");
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("no file to read in folder"),
            "{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("no row read"), "{}", stderr(&out));
        let out = scan(&["--allow-empty", f.as_str()], "");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
}

/// A folder scan reads every file, whatever another's fate: hits of the files
/// after an unreadable one are written, each unreadable file is named with
/// its reason, files plainly not telemetry (by name, or a header naming no
/// column any source has) are skipped with a note, and the exit is 2 because
/// one input could not be read. The same with two threads.
#[test]
fn a_folder_scan_reads_every_file_and_names_each_it_cannot_read() {
    let dir = Dir::new("folder-every-file");
    let hit =
        r#"{"Type":"DnsEvents","Computer":"dns01","Name":"estaliax.io","ClientIP":"10.0.0.5"}"#;
    let folder = dir.0.join("export");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.jsonl"), format!("{hit}\n")).unwrap();
    std::fs::write(folder.join("LICENSE"), "Permission is hereby granted\n").unwrap();
    std::fs::write(
        folder.join("b-notes.log"),
        "lorem ipsum dolor\nsit amet\n".repeat(100),
    )
    .unwrap();
    std::fs::write(folder.join("c.jsonl.gz"), b"\x1f\x8b\x08\x00 truncated").unwrap();
    std::fs::write(folder.join("d.jsonl"), format!("{hit}\n{hit}\n")).unwrap();
    let folder = folder.display().to_string();
    for threads in ["1", "2"] {
        let out = scan(&["--json", "--threads", threads, folder.as_str()], "");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        // Every hit of a.jsonl and of d.jsonl, after the unreadable c.jsonl.gz.
        let files: Vec<String> = hits(&out)
            .iter()
            .map(|h| {
                h["input"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(files, ["a.jsonl", "d.jsonl", "d.jsonl"], "{err}");
        assert!(
            err.contains("cannot read") && err.contains("c.jsonl.gz"),
            "{err}"
        );
        assert!(err.contains("1 of 4 input(s) could not be read"), "{err}");
        assert!(err.contains("skipped") && err.contains("LICENSE"), "{err}");
        assert!(err.contains("b-notes.log: not telemetry"), "{err}");
        // Not 199 rejected rows of garbage.
        assert!(err.contains("0 rejected"), "{err}");
    }
    // Named on the command line, a file that is not telemetry is an error (2),
    // not a CSV of rejected rows.
    let notes = dir.0.join("export").join("b-notes.log");
    let out = scan(&[notes.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out)
        .contains("not telemetry: read as CSV because its first line is not a JSON object"));
}
