//! Every simulated row uses only its table's documented columns, spelled as the
//! documentation spells them (case-sensitive): the lists in `sources/schemas/`
//! (embedded by the `sources` crate), copied from Microsoft's and Sysinternals'
//! documentation with their source lines. Sentinel tables may also carry the Log Analytics standard columns
//! (`TimeGenerated`, `TenantId`, `Type`, `SourceSystem`); a flattened Sysmon row
//! may carry the envelope keys its list names on its second comment line.
//!
//! The copies are checked against `../shared/data/schemas/` by an ignored test
//! that `.ci/run` runs (`HUNTLAB_SCHEMA_DATA`, or that folder beside the checkout).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use simulator::{Options, Table};

/// The lists' folder, for the comparison with the shared folder (the lists
/// themselves are read from the `sources` crate, which embeds them).
const COPIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../sources/schemas");

/// A list's names (lines that are not comments), and its second comment line.
fn columns(name: &str) -> (BTreeSet<String>, String) {
    let text = sources::schema_text(name).unwrap_or_else(|| panic!("no list {name}"));
    let names = sources::schema_names(text).map(str::to_owned).collect();
    (names, sources::second_comment(text).to_owned())
}

/// The envelope keys a Sysmon list's second comment line names.
fn envelope(line: &str) -> BTreeSet<String> {
    sources::envelope(line).map(str::to_owned).collect()
}

/// The columns a row of `table` (a Sysmon row: of event `event_id`) may carry:
/// the documented list its source's description names.
fn allowed(table: Table, event_id: Option<i64>) -> BTreeSet<String> {
    let spec = sources::SOURCES
        .iter()
        .find(|s| {
            s.tables.contains(&table.name())
                && match s.recognise {
                    sources::Recognise::EventId { id, .. } => event_id == Some(i64::from(id)),
                    _ => true,
                }
        })
        .unwrap_or_else(|| panic!("no source describes {} {event_id:?}", table.name()));
    let list = spec.schema.expect("a documented column list");
    let (mut names, second) = columns(list);
    if table == Table::SysmonEvents {
        names.extend(envelope(&second));
    } else {
        names.extend(sources::STANDARD_COLUMNS.iter().map(|s| (*s).to_owned()));
    }
    names
}

#[test]
fn every_row_of_the_library_uses_only_documented_columns() {
    let lib = simulator::builtin().expect("library parses");
    let mut cache: BTreeMap<(Table, Option<i64>), BTreeSet<String>> = BTreeMap::new();
    let mut bad: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut rows = 0u64;
    let mut tables = BTreeSet::new();
    let runs = [
        Options::default(),
        Options::default().with_rng_seed(20261128),
    ];
    for opts in &runs {
        for rec in simulator::generate_all(&lib, opts) {
            rows += 1;
            tables.insert(rec.table);
            let event_id = rec.row.get("EventID").and_then(serde_json::Value::as_i64);
            let key = (
                rec.table,
                (rec.table == Table::SysmonEvents)
                    .then_some(event_id)
                    .flatten(),
            );
            let ok = cache
                .entry(key)
                .or_insert_with(|| allowed(rec.table, key.1));
            for column in rec.row.keys() {
                if !ok.contains(column) {
                    *bad.entry((rec.table.name().to_owned(), column.to_owned()))
                        .or_default() += 1;
                }
            }
        }
    }
    assert!(rows > 10_000, "{rows} rows");
    assert_eq!(
        tables.len(),
        Table::ALL.len(),
        "every table is written by some scenario: {tables:?}"
    );
    assert!(
        bad.is_empty(),
        "undocumented columns (table, column) -> rows: {bad:#?}"
    );
}

#[test]
fn device_events_action_types_are_listed() {
    let listed: BTreeSet<String> = columns("DeviceEvents.actiontypes").0;
    let lib = simulator::builtin().expect("library parses");
    for rec in simulator::generate_all(&lib, &Options::default()) {
        if rec.table == Table::DeviceEvents {
            let action = rec
                .row
                .get("ActionType")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            assert!(listed.contains(action), "ActionType {action}");
        }
    }
}

#[test]
fn device_network_events_action_types_are_documented_ones() {
    let listed: BTreeSet<String> = columns("DeviceNetworkEvents.actiontypes").0;
    let lib = simulator::builtin().expect("library parses");
    let mut seen = BTreeSet::new();
    for rec in simulator::generate_all(&lib, &Options::default()) {
        if rec.table == Table::DeviceNetworkEvents {
            let action = rec.row["ActionType"].as_str().unwrap_or("").to_owned();
            assert!(listed.contains(&action), "ActionType {action}");
            seen.insert(action);
        }
    }
    assert!(
        seen.contains("ConnectionSuccess") && seen.contains("ConnectionFailed"),
        "{seen:?}"
    );
}

#[test]
fn the_lists_read_as_expected() {
    let (dpe, _) = columns("DeviceProcessEvents.columns");
    assert!(
        dpe.contains("InitiatingProcessSHA1")
            && !dpe.contains("TaskName")
            && !dpe.contains("Signer")
    );
    let (s1, second) = columns("Sysmon-1.columns");
    assert!(s1.contains("ParentCommandLine"));
    let env = envelope(&second);
    for k in [
        "@timestamp",
        "Channel",
        "EventID",
        "Hostname",
        "SourceName",
        "Level",
        "tags",
    ] {
        assert!(env.contains(k), "{k}: {env:?}");
    }
    assert!(!env.contains("also:") && !env.contains("|"));
}

fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("HUNTLAB_SCHEMA_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/schemas"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "schema lists not found at {}: set HUNTLAB_SCHEMA_DATA to the folder of the .columns files",
        dir.display()
    );
    dir
}

#[test]
#[ignore = "reads ../shared/data/schemas (or HUNTLAB_SCHEMA_DATA)"]
fn the_copies_are_the_shared_lists() {
    let dir = shared_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut copies: Vec<String> = std::fs::read_dir(COPIES)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    copies.sort();
    assert_eq!(copies, names, "the same files");
    for name in names {
        let shared = std::fs::read(dir.join(&name)).expect("readable");
        let copy = std::fs::read(PathBuf::from(COPIES).join(&name)).expect("readable");
        assert!(shared == copy, "{name} differs from {}", dir.display());
    }
}
