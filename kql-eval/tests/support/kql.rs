//! Shared by the KQL evaluator tests: the semantics names, small tables and
//! runners.
#![allow(dead_code, unused_imports)]

pub use detections::kql;
pub use kql_eval::error::{Error, Pos};
pub use kql_eval::eval::{run, Query};
pub use kql_eval::table::{DataTable, Tables};
pub use proptest::prelude::*;
pub use serde_json::{json, Value as Json};

/// Names of the semantics document's table (`Name <op> "estaliax.io"`).
pub const NAMES: &[&str] = &[
    "estaliax.io",
    "a.estaliax.io",
    "ESTALIAX.IO",
    "estaliax.io.",
    "xestaliax.io",
    "estaliax.iox",
    "estaliax.io.example.net",
    "estaliax.io-cdn.net",
    "login.estaliax.io:443",
    "_ldap._tcp.estaliax.io",
    "estaliax_io",
    "",
];

pub const IOC: &str = "estaliax.io";

/// A table from JSON objects.
pub fn table(rows: Json) -> DataTable {
    let rows: Vec<_> = rows
        .as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| r.as_object().expect("an object").clone())
        .collect();
    DataTable::from_json_rows(&rows)
}

pub fn tables(list: &[(&str, Json)]) -> Tables {
    list.iter()
        .map(|(n, rows)| (n.to_string(), table(rows.clone())))
        .collect()
}

/// Run a query; rows as JSON objects.
pub fn rows(query: &str, tables: &Tables) -> Vec<Json> {
    let t = run(query, tables).unwrap_or_else(|e| panic!("{query}\n=> {e}"));
    t.to_json_rows().into_iter().map(Json::Object).collect()
}

/// Run a query that must fail; its error.
pub fn error(query: &str, tables: &Tables) -> Error {
    match run(query, tables) {
        Ok(t) => panic!("{query}\n=> expected an error, got {:?}", t.to_json_rows()),
        Err(e) => e,
    }
}

/// The `Name` column of a result.
pub fn names(query: &str, tables: &Tables) -> Vec<String> {
    rows(query, tables)
        .iter()
        .map(|r| r["Name"].as_str().expect("Name is a string").to_owned())
        .collect()
}

pub fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

/// `datatable(Name:string)[...]` of the semantics table.
pub fn names_datatable() -> String {
    let values: Vec<String> = NAMES.iter().map(|n| quote(n)).collect();
    format!("datatable(Name:string)[{}]", values.join(", "))
}

pub fn expect_names(f: impl Fn(&str) -> bool) -> Vec<String> {
    NAMES
        .iter()
        .filter(|n| f(n))
        .map(|n| n.to_string())
        .collect()
}

pub fn dns_events() -> Tables {
    tables(&[(
        "DnsEvents",
        json!([
            {"TimeGenerated": "2026-05-21T08:00:00.000Z", "Computer": "dc01", "Name": "estaliax.io",
             "IPAddresses": "203.0.113.7", "QueryType": "A", "ClientIP": "10.0.0.5"},
            {"TimeGenerated": "2026-05-21T08:05:00.000Z", "Computer": "dc01", "Name": "www.contoso.com",
             "IPAddresses": "198.51.100.1", "QueryType": "A", "ClientIP": "10.0.0.6"},
            {"TimeGenerated": "2026-05-21T08:10:00.500Z", "Computer": "dc02", "Name": "C2.DURAKTANTUNI.SITE.",
             "IPAddresses": "203.0.113.9", "QueryType": "AAAA", "ClientIP": "10.0.0.7"},
            {"TimeGenerated": "2026-05-21T08:07:00.000Z", "Computer": "dc02", "Name": "xestaliax.io",
             "IPAddresses": "", "QueryType": "A", "ClientIP": "10.0.0.8"},
            {"TimeGenerated": "2026-05-21T08:07:00.000Z", "Computer": "dc01", "Name": "estaliax.io.example.net",
             "IPAddresses": "192.0.2.1", "QueryType": "A", "ClientIP": "10.0.0.9"}
        ]),
    )])
}
