//! A URL whose host is an address is fetched without a DNS lookup: no DNS
//! log (the server's, Sysmon 22, Defender's) names the address as a query,
//! and the fetch itself is written.

use simulator::{Options, Scenario};

#[test]
fn a_download_from_an_address_looks_nothing_up() {
    let src = r#"id = "address-download"
title = "A download from an address"
kind = "benign"
description = "The browser fetches a file from a URL whose host is an address."

[expect]
outcome = "no-alert"

[generator]
template = "background-network"
seed = 3
hosts = 2
host_prefix = "WS-ADR"
start = 2026-05-21T08:00:00Z
hours = 3
endpoint = "mixed"
server_dns = true
defender_network = true
proxy = "zscaler"
downloads = ["http://203.0.113.9:47001/docs/manual.pdf"]
downloads_per_hour = 4
"#;
    let s = Scenario::parse(src, "address-download.toml").unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<String> = simulator::generate(&s, &Options::default())
        .map(|r| serde_json::to_string(&r).expect("serialisable"))
        .collect();
    let fetched = rows
        .iter()
        .filter(|r| r.contains("203.0.113.9:47001/docs/manual.pdf"))
        .count();
    assert!(fetched > 0, "the download is not written");
    for r in &rows {
        for column in [
            r#""Name":"203.0.113.9""#,
            r#""QueryName":"203.0.113.9""#,
            r#"\"QueryName\":\"203.0.113.9\""#,
        ] {
            assert!(!r.contains(column), "a lookup of the address: {r}");
        }
    }
}
