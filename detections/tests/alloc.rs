//! `Detection::decide`, the scoring hot path, allocates nothing: not on a hit, a
//! miss, a suppressed row or a row no exclusion can evaluate, on process, file and
//! DNS rows, with either matcher engine; nor does `Exclusion::branches_holding`.
//! Counted by dhat's heap profiler.
//!
//! One test in this file: dhat allows one profiler at a time in a process.

use detections::content::{load, Engine, NANOCORE_TOML};
use detections::spec::Spec;
use detections::{Decision, Event, Kind};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Rows the content's examples do not cover: DNS rows an exclusion suppresses,
/// Defender rows.
const EXTRA_ROWS: &[&str] = &[
    r#"{"EventID":22,"QueryName":"c2.estaliax.io","Image":"C:\\Program Files\\BackupTool\\nanocore.exe"}"#,
    r#"{"EventID":22,"QueryName":"estaliax.io","Image":"C:\\Tools\\nanocore.exe","CommandLine":"nanocore.exe --clean","ParentImage":"C:\\Windows\\explorer.exe"}"#,
    r#"{"Type":"DeviceProcessEvents","FileName":"nanocore.exe","FolderPath":"C:\\Tools","ProcessCommandLine":"nanocore.exe","InitiatingProcessFolderPath":"C:\\Windows\\System32","InitiatingProcessFileName":"svchost.exe","TaskName":"TempCleanup"}"#,
    r#"{"Type":"DeviceFileEvents","ActionType":"FileCreated","FileName":"report.docx","FolderPath":"C:\\Users\\a\\Documents"}"#,
];

/// Every example row of the built-in content, and the extra rows, read into events.
fn events() -> Vec<Event> {
    let spec: Spec = toml::from_str(NANOCORE_TOML).expect("the built-in content parses");
    let rows = spec
        .hunts
        .iter()
        .flat_map(|h| h.examples.iter().map(|e| &e.row))
        .chain(
            spec.exclusions
                .iter()
                .flat_map(|x| x.examples.iter().map(|e| &e.row)),
        );
    let mut events: Vec<Event> = rows
        .map(|row| {
            let json = serde_json::to_value(row).expect("a TOML row is JSON");
            let map = json.as_object().expect("a row is a table");
            detections::fields::parse_row(map).expect("an example row reads")
        })
        .collect();
    events.extend(
        EXTRA_ROWS
            .iter()
            .map(|r| detections::fields::parse_line(r).expect("an extra row reads")),
    );
    events
}

/// What a decision shows about a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Alert,
    Suppressed,
    Quiet,
}

fn shape(d: &Decision) -> Shape {
    match (d.fired != 0, d.alert) {
        (_, true) => Shape::Alert,
        (true, false) => Shape::Suppressed,
        (false, false) => Shape::Quiet,
    }
}

#[test]
fn decide_allocates_nothing_on_any_row() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let events = events();
    for engine in [Engine::Fast, Engine::Reference] {
        let det = load(NANOCORE_TOML, "nanocore.toml", engine).expect("content loads");
        let mut decisions: Vec<Decision> = Vec::with_capacity(events.len());

        let mut branches = 0u64;
        let before = dhat::HeapStats::get();
        for ev in &events {
            decisions.push(det.decide(ev));
            // The per-branch reading the report's inert branches come from.
            for x in &det.exclusions {
                branches |= x.branches_holding(ev);
            }
        }
        let after = dhat::HeapStats::get();
        assert_ne!(branches, 0, "some branch holds on an example row");
        assert_eq!(
            after.total_blocks - before.total_blocks,
            0,
            "{engine:?}: decide allocated {} block(s), {} byte(s) over {} rows",
            after.total_blocks - before.total_blocks,
            after.total_bytes - before.total_bytes,
            events.len()
        );

        // The rows cover every kind in every shape, and a row no exclusion could
        // evaluate.
        for kind in [Kind::Process, Kind::File, Kind::Dns] {
            for want in [Shape::Alert, Shape::Suppressed, Shape::Quiet] {
                assert!(
                    events
                        .iter()
                        .zip(&decisions)
                        .any(|(ev, d)| ev.kind() == kind && shape(d) == want),
                    "{engine:?}: no {kind:?} row gives {want:?}"
                );
            }
        }
        assert!(decisions.iter().any(|d| d.not_evaluable != 0));
        // The indicator kinds are filled on the counted path too.
        assert!(decisions.iter().any(|d| !d.alerted_kinds.is_empty()));
        assert!(decisions.iter().any(|d| d.fired_kinds != d.alerted_kinds));

        // The count is live: the explained verdict on a hit does allocate.
        let hit = events
            .iter()
            .zip(&decisions)
            .find(|(_, d)| d.alert)
            .map(|(ev, _)| ev)
            .expect("a hit");
        let before = dhat::HeapStats::get();
        let verdict = det.verdict(hit);
        assert!(verdict.alert);
        assert!(dhat::HeapStats::get().total_blocks > before.total_blocks);
    }
}
