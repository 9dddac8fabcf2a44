//! What Sigma's substring form costs on the library: the seed's Sigma rules, as
//! pySigma's Kusto backend converts them (committed in `tests/fixtures/sigma/`,
//! checked against the backend by `export_sigma.rs`), run by the local KQL
//! evaluator over the whole simulated library, against the engine's alerts on
//! the same tables. The figures are in `docs/export.md`.

use std::collections::BTreeMap;

use detections::kql::table::{Table, Tables};
use detections::pipeline::Pipeline;
use detections::Engine;
use serde_json::{Map, Value};
use simulator::{Options, Record, Table as SimTable};

fn key(row: &Map<String, Value>, cols: &[&str]) -> String {
    cols.iter()
        .map(|c| row.get(*c).map_or(String::new(), Value::to_string))
        .collect::<Vec<_>>()
        .join("\t")
}

/// (rows both return, rows only Sigma returns and how many are malicious, rows
/// only the engine alerts on and how many are malicious).
#[derive(Debug, PartialEq, Eq)]
struct Cost {
    both: usize,
    extra: (usize, usize),
    missed: (usize, usize),
}

fn cost(records: &[Record], alerted: &[bool], table: SimTable, query: &str, cols: &[&str]) -> Cost {
    let rows: Vec<Map<String, Value>> = records
        .iter()
        .filter(|r| r.table == table)
        .map(|r| r.row.clone())
        .collect();
    let mut tables = Tables::new();
    tables.insert(table.name().into(), Table::from_json_rows(&rows));
    let result = detections::kql::eval::run(query, &tables).expect("the converted query runs");
    let mut sigma: BTreeMap<String, usize> = BTreeMap::new();
    for r in result.to_json_rows() {
        *sigma.entry(key(&r, cols)).or_default() += 1;
    }
    let mut c = Cost {
        both: 0,
        extra: (0, 0),
        missed: (0, 0),
    };
    for (r, &a) in records.iter().zip(alerted) {
        if r.table != table {
            continue;
        }
        let k = key(&r.row, cols);
        let in_sigma = sigma.get(&k).is_some_and(|n| *n > 0);
        if in_sigma {
            *sigma.get_mut(&k).expect("present") -= 1;
        }
        let bad = usize::from(r.label.malicious);
        match (a, in_sigma) {
            (true, true) => c.both += 1,
            (false, true) => c.extra = (c.extra.0 + 1, c.extra.1 + bad),
            (true, false) => c.missed = (c.missed.0 + 1, c.missed.1 + bad),
            (false, false) => {}
        }
    }
    assert!(
        sigma.values().all(|n| *n == 0),
        "every converted row is a library row"
    );
    c
}

#[test]
fn the_substring_form_costs_what_docs_export_md_says() {
    let scenarios = simulator::builtin().expect("library loads");
    let records: Vec<Record> = simulator::generate_all(&scenarios, &Options::default()).collect();
    let det = detections::builtin(Engine::Fast);
    let mut p = Pipeline::new(&det);
    let decisions: Vec<_> = records
        .iter()
        .map(|r| p.judge(&r.row).expect("reads").decision)
        .collect();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigma");
    let read = |f: &str| std::fs::read_to_string(fixtures.join(f)).expect("committed query");
    let dns_alerts: Vec<bool> = decisions.iter().map(|d| d.alerted & 1 != 0).collect();
    let dns = cost(
        &records,
        &dns_alerts,
        SimTable::DnsEvents,
        &read("seed.nanocore-c2-dns.dnsevents.kql"),
        &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"],
    );
    let artifact_alerts: Vec<bool> = decisions.iter().map(|d| d.alerted & 2 != 0).collect();
    let process = cost(
        &records,
        &artifact_alerts,
        SimTable::DeviceProcessEvents,
        &read("seed.nanocore-artifact.process_creation.kql"),
        &["Timestamp", "DeviceName", "ReportId"],
    );
    eprintln!("dns {dns:?}\nprocess {process:?}");
    // `contains` finds every IOC `has` finds, and 143 benign look-alike
    // lookups more (xestaliax.io, estaliax.iox, ...).
    let dns_cost = Cost {
        both: 1516,
        extra: (143, 0),
        missed: (0, 0),
    };
    assert_eq!(dns, dns_cost);
    // log-cleanup needs the task's name, which process_creation cannot say: the
    // rule keeps 30 rows the engine suppresses, 6 of them the implant's.
    let process_cost = Cost {
        both: 0,
        extra: (30, 6),
        missed: (0, 0),
    };
    assert_eq!(process, process_cost);
}
