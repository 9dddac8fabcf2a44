//! Parity: for every scenario of the library and every built-in content, the
//! exported queries, run by the local KQL evaluator over the scenario's
//! simulated tables, return exactly the rows the Rust engine alerts on; the
//! Defender queries without their last line (the exclusion filter) return every
//! row a hunt fired on, with the same exclusion decisions as the engine.

use std::collections::BTreeMap;

use detections::content::{builtins, Detection};
use detections::export::{self, AUDIT_FILTER};
use detections::kql::table::{Table, Tables};
use detections::pipeline::Pipeline;
use detections::Engine;
use serde_json::{Map, Value};
use simulator::{Options, Record};

type Row = Map<String, Value>;

/// Each table's rows, and an empty table of each table's columns (taken from a
/// row of the whole library) where a scenario writes none.
fn tables(records: &[Record], schema: &BTreeMap<&'static str, Row>) -> Tables {
    let mut by_table: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
    for r in records {
        by_table
            .entry(r.table.name())
            .or_default()
            .push(r.row.clone());
    }
    let mut out = Tables::new();
    for (name, sample) in schema {
        let t = match by_table.get(name) {
            Some(rows) => Table::from_json_rows(rows),
            None => {
                let cols = Table::from_json_rows(std::slice::from_ref(sample))
                    .into_parts()
                    .0;
                Table::new(cols, Vec::new()).expect("an empty table")
            }
        };
        out.insert((*name).to_owned(), t);
    }
    // ASIM DNS rows, as the ASIM parser maps DnsEvents.
    let asim: Vec<Row> = by_table
        .get("DnsEvents")
        .map(|rows| rows.iter().map(asim_row).collect())
        .unwrap_or_default();
    let asim = if asim.is_empty() {
        let cols = Table::from_json_rows(&[asim_row(&schema["DnsEvents"])])
            .into_parts()
            .0;
        Table::new(cols, Vec::new()).expect("an empty table")
    } else {
        Table::from_json_rows(&asim)
    };
    out.insert("_Im_Dns".into(), asim);
    out
}

fn asim_row(r: &Row) -> Row {
    let get = |k: &str| r.get(k).cloned().unwrap_or(Value::String(String::new()));
    let mut m = Row::new();
    for (to, from) in [
        ("TimeGenerated", "TimeGenerated"),
        ("Dvc", "Computer"),
        ("SrcIpAddr", "ClientIP"),
        ("DnsQuery", "Name"),
        ("DnsQueryTypeName", "QueryType"),
        ("DnsResponseName", "IPAddresses"),
    ] {
        m.insert(to.into(), get(from));
    }
    m
}

fn key(row: &Row, columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| row.get(*c).map_or("<absent>".into(), Value::to_string))
        .collect::<Vec<_>>()
        .join("\t")
}

fn run(query: &str, tables: &Tables, columns: &[&str]) -> Vec<String> {
    let result = detections::kql::eval::run(query, tables)
        .unwrap_or_else(|e| panic!("the exported query runs: {e}\n{query}"));
    let mut keys: Vec<String> = result
        .to_json_rows()
        .iter()
        .map(|r| key(r, columns))
        .collect();
    keys.sort();
    keys
}

/// The engine's judgement of every row of a scenario, in stream order.
fn judged(det: &Detection, records: &[Record]) -> Vec<detections::Decision> {
    let mut p = Pipeline::new(det);
    records
        .iter()
        .map(|r| p.judge(&r.row).expect("simulated rows read").decision)
        .collect()
}

const DNS_KEY: [&str; 5] = [
    "TimeGenerated",
    "Computer",
    "Name",
    "IPAddresses",
    "QueryType",
];
const ASIM_KEY: [&str; 5] = [
    "TimeGenerated",
    "Dvc",
    "DnsQuery",
    "DnsResponseName",
    "DnsQueryTypeName",
];
const DEFENDER_KEY: [&str; 4] = ["Timestamp", "DeviceName", "ReportId", "excluded_by"];

fn check_content(
    name: &str,
    det: &Detection,
    scenarios: &[simulator::Scenario],
    schema: &BTreeMap<&'static str, Row>,
) -> usize {
    let opts = Options::default();
    let mut compared = 0;
    for scenario in scenarios {
        let records: Vec<Record> = simulator::generate(scenario, &opts).collect();
        let decisions = judged(det, &records);
        let tables = tables(&records, schema);
        let at = |what: &str| format!("content {name}, scenario {}, {what}", scenario.id);
        for (h, hunt) in det.hunts.iter().enumerate() {
            let bit = 1u64 << h;
            // DnsEvents and ASIM: the alerts on DNS-server rows.
            if hunt.reads.contains(&detections::spec::RowKind::Dns) {
                let mut want: Vec<String> = Vec::new();
                let mut want_asim: Vec<String> = Vec::new();
                for (r, d) in records.iter().zip(&decisions) {
                    if r.table == simulator::Table::DnsEvents && d.alerted & bit != 0 {
                        want.push(key(&r.row, &DNS_KEY));
                        want_asim.push(key(&asim_row(&r.row), &ASIM_KEY));
                    }
                }
                want.sort();
                want_asim.sort();
                let q = export::dnsevents_query(det, hunt, false);
                assert_eq!(run(&q, &tables, &DNS_KEY), want, "{}", at("DnsEvents"));
                let q = export::asim_query(det, hunt);
                assert_eq!(run(&q, &tables, &ASIM_KEY), want_asim, "{}", at("_Im_Dns"));
                compared += want.len();
            }
            // Defender: every row the hunt fired on, with its exclusion decisions.
            let mut audit: Vec<String> = Vec::new();
            let mut alerts: Vec<String> = Vec::new();
            for (r, d) in records.iter().zip(&decisions) {
                let defender = matches!(
                    r.table,
                    simulator::Table::DeviceEvents
                        | simulator::Table::DeviceProcessEvents
                        | simulator::Table::DeviceFileEvents
                );
                if !defender || d.fired & bit == 0 {
                    continue;
                }
                let excluded: Vec<&str> = hunt
                    .exclusions
                    .iter()
                    .filter(|&&x| d.suppressing & (1 << x) != 0)
                    .map(|&x| det.exclusions[x].id.as_str())
                    .collect();
                let mut row = r.row.clone();
                row.insert("excluded_by".into(), Value::String(excluded.join(" ")));
                audit.push(key(&row, &DEFENDER_KEY));
                if d.alerted & bit != 0 {
                    alerts.push(key(&row, &DEFENDER_KEY));
                }
            }
            audit.sort();
            alerts.sort();
            let q = export::defender_query(det, hunt);
            let without_filter = q
                .strip_suffix(&format!("{AUDIT_FILTER}\n"))
                .expect("the Defender query ends with its exclusion filter");
            assert_eq!(
                run(without_filter, &tables, &DEFENDER_KEY),
                audit,
                "{}",
                at(&format!("Defender audit, hunt {}", hunt.id))
            );
            assert_eq!(
                run(&q, &tables, &DEFENDER_KEY),
                alerts,
                "{}",
                at(&format!("Defender, hunt {}", hunt.id))
            );
            compared += audit.len();
        }
    }
    compared
}

#[test]
fn every_exported_query_returns_what_the_engine_alerts_on_for_every_scenario_and_content() {
    let scenarios = simulator::builtin().expect("library loads");
    let mut schema: BTreeMap<&'static str, Row> = BTreeMap::new();
    for r in simulator::generate_all(&scenarios, &Options::default()) {
        schema.entry(r.table.name()).or_insert(r.row);
    }
    assert_eq!(
        schema.len(),
        simulator::Table::ALL.len(),
        "the library writes every table"
    );
    for b in builtins() {
        let det = b.load(Engine::Fast);
        let compared = check_content(b.name, &det, &scenarios, &schema);
        assert!(
            compared > 100,
            "content {}: only {compared} rows compared",
            b.name
        );
    }
}
