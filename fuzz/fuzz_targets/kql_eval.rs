//! The KQL evaluator: any query run over two small tables gives an error or a
//! table, never a panic.
#![no_main]

use kql_eval::eval::Query;
use std::sync::LazyLock;

use kql_eval::table::{DataTable, Tables};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn tables() -> Tables {
    let rows = |v: serde_json::Value| -> Vec<serde_json::Map<String, serde_json::Value>> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|r| r.as_object().expect("object").clone())
            .collect()
    };
    let mut t = Tables::new();
    t.insert(
        "DnsEvents".into(),
        DataTable::from_json_rows(&rows(json!([
            {"TimeGenerated": "2026-05-21T10:00:00Z", "Computer": "dc01", "Name": "a.estaliax.io", "QueryType": 1, "Count": 3},
            {"TimeGenerated": "2026-05-21T10:01:00Z", "Computer": "ws1", "Name": "xestaliax.io", "QueryType": 28, "Count": -9223372036854775808i64},
            {"TimeGenerated": "not a time", "Computer": null, "Name": "", "QueryType": 1.5, "Count": 0}
        ]))),
    );
    t.insert(
        "Watch".into(),
        DataTable::from_json_rows(&rows(json!([{"Domain": "estaliax.io"}, {"Domain": "."}]))),
    );
    t
}

static TABLES: LazyLock<Tables> = LazyLock::new(tables);

fuzz_target!(|text: &str| {
    if let Ok(q) = Query::parse(text) {
        let _ = q.run(&TABLES);
    }
});
