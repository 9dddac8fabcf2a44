//! The round trip: each hunt a page imports literally, exported in the KQL form
//! of its table and run by the local evaluator over hand-written fixture
//! tables (`fixtures/import/`), returns exactly the rows the page's verbatim
//! query returns, and at least one, unless lint marks the hunt as never
//! able to match (an address used as a DNS name). The click form's hunt is
//! exported in the Defender form, which reads the clicks beside the
//! connections.

use std::collections::BTreeSet;
use std::path::Path;

use detections::export::{export, Format};
use detections::import::{lint_page, literal, read_page, Form};
use detections::ranges::Ranges;
use detections::{load, Engine};
use kql_eval::table::{DataTable, Tables};
use serde_json::{Map, Value};

const PAGES: [&str; 7] = [
    "sample-asyncrat-ip.md",
    "sample-nanocore-hash.md",
    "sample-nanocore-mixed.md",
    "sample-unknown-rat-url.md",
    "sample-urlhaus.md",
    "sample-flat-remcos.txt",
    "nanocore-rat-hunt.txt",
];

const TABLES: [&str; 5] = [
    "DnsEvents",
    "CommonSecurityLog",
    "DeviceNetworkEvents",
    "DeviceFileEvents",
    "UrlClickEvents",
];

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tables() -> Tables {
    let mut out = Tables::new();
    for name in TABLES {
        let path = manifest().join(format!("tests/fixtures/import/{name}.jsonl"));
        let text = std::fs::read_to_string(&path).expect("fixture table");
        let rows: Vec<Map<String, Value>> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| match serde_json::from_str(l).expect("JSON") {
                Value::Object(m) => every_column(name, m),
                _ => panic!("{name}: not an object"),
            })
            .collect();
        out.insert(name.to_owned(), DataTable::from_json_rows(&rows));
    }
    out
}

/// A row with every documented column of its table, null where it has none,
/// as Sentinel's tables have them.
fn every_column(table: &str, mut row: Map<String, Value>) -> Map<String, Value> {
    let text = sources::schema_text(&format!("{table}.columns")).expect("documented");
    for c in sources::schema_names(text) {
        row.entry(c).or_insert(Value::Null);
    }
    row
}

/// The times of a result's rows (`TimeGenerated`, else `Timestamp`): each
/// fixture row has its own.
fn times(result: &DataTable) -> BTreeSet<String> {
    result
        .to_json_rows()
        .iter()
        .map(|r| {
            r.get("TimeGenerated")
                .or_else(|| r.get("Timestamp"))
                .map(ToString::to_string)
                .expect("a time column")
        })
        .collect()
}

/// The export form that writes a form's table.
fn format_of(form: Form) -> Format {
    match form {
        Form::Domain => Format::Kql,
        Form::IpEndpoint | Form::Hash | Form::UrlClicks => Format::KqlDefender,
        Form::IpFirewall | Form::UrlProxy => Format::KqlCsl,
    }
}

#[test]
fn every_exported_literal_hunt_returns_what_its_source_query_returns() {
    let tables = tables();
    let ranges = Ranges::new(Ranges::builtin_lists());
    let (mut compared, mut exempt) = (0, Vec::new());
    for name in PAGES {
        let path = manifest()
            .join("../detections/tests/fixtures/published")
            .join(name);
        let text = std::fs::read_to_string(path).expect("page");
        let page = read_page(&text).expect("reads");
        let stem = name.rsplit_once('.').expect("an extension").0;
        let det = load(&literal(&page, stem), stem, Engine::Fast).expect("loads");
        let never = lint_page(&page, &ranges);
        for (block, id) in page.blocks.iter().zip(page.hunt_ids()) {
            let source = kql_eval::eval::run(&block.query, &tables)
                .unwrap_or_else(|e| panic!("{stem} {id}: the source query: {e}"));
            let format = format_of(block.form);
            let files = export(&det, format).unwrap_or_else(|e| panic!("{stem} {id}: {e}"));
            let file = files
                .iter()
                .find(|f| f.name.starts_with(&format!("{id}.")))
                .unwrap_or_else(|| panic!("{stem} {id}: no {} file", format.name()));
            // Without the exclusion filter: the source query has none.
            let query = file
                .text
                .trim_end()
                .trim_end_matches("| where isempty(excluded_by)");
            let exported = kql_eval::eval::run(query, &tables)
                .unwrap_or_else(|e| panic!("{stem} {id}: the exported query: {e}\n{query}"));
            assert_eq!(times(&exported), times(&source), "{stem} {id}\n{query}");
            let cannot_match = never
                .iter()
                .any(|f| f.code == "address-as-dns-name" && f.hunts.contains(&id));
            if times(&source).is_empty() {
                assert!(cannot_match, "{stem} {id}: no fixture row matches");
                exempt.push(format!("{stem} {id}: lint says it can never match"));
            }
            compared += 1;
        }
    }
    assert!(compared >= 15, "{compared} hunts compared");
    assert!(exempt.is_empty(), "{exempt:?}");
}
