//! The network export forms against the engine on rows the simulator does
//! not write: Defender's IPv4-mapped `RemoteIP` (`::ffff:a.b.c.d`, any
//! case), an `ip:port` on another port, ranges of both families, and URLs
//! as rows write them (scheme and host case, default and other ports, no
//! scheme, a bare host, a userinfo, a trailing dot, another path). The
//! generic feed content's address and URL hunts, exported as the Defender
//! and `CommonSecurityLog` queries and run by the local evaluator, return
//! exactly the rows the engine alerts on.

use detections::content::{feed_content, load_with_iocs_matching, Detection};
use detections::export::{csl_query, defender_query};
use detections::ioc::{Ioc, IocKind};
use detections::matcher::indicator::PortMatch;
use detections::pipeline::Pipeline;
use detections::Engine;
use kql_eval::table::{DataTable, Tables};
use serde_json::{json, Map, Value};

fn feed(indicators: &[(IocKind, &str)]) -> Detection {
    let iocs: Vec<Ioc> = indicators
        .iter()
        .map(|(kind, value)| Ioc {
            kind: *kind,
            value: (*value).to_owned(),
            threat_type: String::new(),
            first_seen: String::new(),
            confidence: None,
            malware_family: String::new(),
            source: "test".into(),
            status: String::new(),
        })
        .collect();
    let mut kinds: Vec<IocKind> = iocs.iter().map(|i| i.kind).collect();
    kinds.dedup();
    let ports = PortMatch::AddressPort;
    load_with_iocs_matching(
        &feed_content(&kinds, ports),
        "feed",
        Engine::Fast,
        iocs,
        ports,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

const INDICATORS: [(IocKind, &str); 5] = [
    (IocKind::IpPort, "198.51.100.23:54984"),
    (IocKind::Cidr, "203.0.113.0/24"),
    (IocKind::Cidr, "2001:db8:1::/48"),
    (IocKind::Url, "http://estaliax.io/dl/inv0521.exe"),
    (IocKind::Url, "https://files.sharehost.example:8443/u/7f3a/"),
];

/// (remote address, port, `RemoteUrl` or `RequestURL`): each row once.
const ROWS: [(&str, u16, &str); 20] = [
    ("198.51.100.23", 54984, ""),
    ("::ffff:198.51.100.23", 54984, ""),
    ("::FFFF:198.51.100.23", 54984, ""),
    ("198.51.100.23", 7700, ""),
    ("::ffff:198.51.100.23", 7700, ""),
    ("198.51.100.24", 54984, ""),
    ("203.0.113.200", 443, ""),
    ("::ffff:203.0.113.9", 443, ""),
    ("203.0.114.1", 443, ""),
    ("2001:db8:1::5", 443, ""),
    ("2001:db8:2::5", 443, ""),
    ("192.0.2.1", 80, "http://estaliax.io/dl/inv0521.exe"),
    ("192.0.2.1", 443, "HTTPS://EstaliaX.IO:443/dl/inv0521.exe"),
    ("192.0.2.1", 80, "estaliax.io/dl/inv0521.exe"),
    ("192.0.2.1", 80, "http://user@estaliax.io./dl/inv0521.exe"),
    ("192.0.2.1", 80, "http://estaliax.io/dl/other.exe"),
    ("192.0.2.1", 8080, "http://estaliax.io:8080/dl/inv0521.exe"),
    ("192.0.2.1", 443, "estaliax.io"),
    ("192.0.2.1", 8443, "files.sharehost.example:8443"),
    (
        "192.0.2.1",
        8443,
        "https://files.sharehost.example:8443/u/7f3a/",
    ),
];

fn defender_row(i: usize, (ip, port, url): (&str, u16, &str)) -> Map<String, Value> {
    let v = json!({
        "Timestamp": format!("2026-05-21T08:00:{i:02}.000Z"),
        "DeviceName": "ws-01",
        "ActionType": "ConnectionSuccess",
        "RemoteIP": ip,
        "RemotePort": port,
        "RemoteUrl": url,
        "LocalIP": "10.0.0.5",
        "LocalPort": 50000,
        "Protocol": "Tcp",
        "InitiatingProcessFileName": "RegAsm.exe",
        "InitiatingProcessFolderPath": "C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\RegAsm.exe",
        "InitiatingProcessCommandLine": "RegAsm.exe",
        "InitiatingProcessParentFileName": "wscript.exe",
        "InitiatingProcessVersionInfoCompanyName": "Microsoft Corporation",
        "InitiatingProcessSHA1": "",
        "ReportId": i,
    });
    v.as_object().cloned().unwrap_or_default()
}

fn proxy_row(i: usize, (ip, port, url): (&str, u16, &str)) -> Map<String, Value> {
    let v = json!({
        "TimeGenerated": format!("2026-05-21T08:00:{i:02}.000Z"),
        "Computer": "zscaler-nss-01",
        "DeviceVendor": "Zscaler",
        "DeviceProduct": "NSSWeblog",
        "DeviceAction": "Allowed",
        "SourceIP": "10.0.0.5",
        "SourcePort": 50000 + i,
        "DestinationIP": ip,
        "DestinationPort": port,
        "RequestURL": url,
        "DestinationHostName": "",
        "Type": "CommonSecurityLog",
    });
    v.as_object().cloned().unwrap_or_default()
}

/// An empty `UrlClickEvents` with its documented columns.
fn no_clicks() -> DataTable {
    let text = sources::schema_text("UrlClickEvents.columns").expect("documented");
    let sample: Map<String, Value> = sources::schema_names(text)
        .map(|c| {
            let v = if c == "Timestamp" {
                "2026-01-01T00:00:00Z"
            } else {
                ""
            };
            (c.to_owned(), Value::String(v.into()))
        })
        .collect();
    let columns = DataTable::from_json_rows(&[sample]).into_parts().0;
    DataTable::new(columns, Vec::new()).expect("an empty table")
}

/// The rows (by their number) the engine alerts on, hunt by hunt, and the
/// rows each hunt's query returns (by `id`, the column holding the number).
fn compare(
    det: &Detection,
    rows: &[Map<String, Value>],
    table: &str,
    id: &str,
    query: fn(
        &Detection,
        &detections::content::Hunt,
        Option<&detections::export::RuleTimes>,
    ) -> String,
) -> Vec<(String, Vec<i64>)> {
    let mut tables = Tables::new();
    tables.insert(table.into(), DataTable::from_json_rows(rows));
    if table == "DeviceNetworkEvents" {
        // The Defender form of a link hunt reads the Safe Links clicks too.
        tables.insert("UrlClickEvents".into(), no_clicks());
    }
    let mut out = Vec::new();
    for (h, hunt) in det.hunts.iter().enumerate() {
        let mut pipeline = Pipeline::new(det);
        let mut engine: Vec<i64> = rows
            .iter()
            .filter(|r| {
                let j = pipeline.judge(*r).unwrap_or_else(|e| panic!("{e}"));
                j.decision.alerted & (1 << h) != 0
            })
            .map(|r| r[id].as_i64().unwrap_or(-1))
            .collect();
        let q = query(det, hunt, None);
        let result = kql_eval::eval::run(&q, &tables).unwrap_or_else(|e| panic!("{e}\n{q}"));
        let mut got: Vec<i64> = result
            .to_json_rows()
            .iter()
            .map(|r| r[id].as_i64().unwrap_or(-1))
            .collect();
        engine.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, engine, "hunt {} on {table}:\n{q}", hunt.id);
        out.push((hunt.id.clone(), engine));
    }
    out
}

#[test]
fn the_defender_query_matches_addresses_as_defender_writes_them_and_urls_as_the_engine_does() {
    let det = feed(&INDICATORS);
    let rows: Vec<_> = ROWS
        .into_iter()
        .enumerate()
        .map(|(i, r)| defender_row(i, r))
        .collect();
    let alerts = compare(
        &det,
        &rows,
        "DeviceNetworkEvents",
        "ReportId",
        defender_query,
    );
    assert_eq!(
        alerts,
        [
            // The ip:port on its port, written as IPv4 or IPv4-mapped in any
            // case; the ranges of both families, an IPv4-mapped address in
            // an IPv4 range.
            ("feed-address".to_owned(), vec![0, 1, 2, 6, 7, 9]),
            // The URL whatever its scheme's case, default port, missing
            // scheme, user or trailing dot; a bare host by its host; never
            // another path or port.
            ("feed-url".to_owned(), vec![11, 12, 13, 14, 17, 18, 19]),
        ]
    );
}

#[test]
fn the_commonsecuritylog_query_matches_a_proxys_rows_as_the_engine_does() {
    let det = feed(&INDICATORS);
    let rows: Vec<_> = ROWS
        .into_iter()
        .enumerate()
        .map(|(i, r)| proxy_row(i, r))
        .collect();
    let alerts = compare(&det, &rows, "CommonSecurityLog", "SourcePort", csl_query);
    let numbered = |v: &[i64]| v.iter().map(|n| n + 50_000).collect::<Vec<_>>();
    assert_eq!(
        alerts,
        [
            ("feed-address".to_owned(), numbered(&[0, 1, 2, 6, 7, 9])),
            (
                "feed-url".to_owned(),
                numbered(&[11, 12, 13, 14, 17, 18, 19])
            ),
        ]
    );
}

/// The Sigma form writes each indicator kind by its kind's rule, in the
/// categories that carry it: an `ip:port` as the address (IPv4-mapped too)
/// with its port, a range by `|cidr`, a URL by its match key at the end of
/// `c-uri`, a digest in `Hashes`; and no rule where a category can say none
/// of a hunt (a URL on `firewall`, an address on `proxy`).
#[test]
fn the_sigma_form_writes_every_indicator_kind_where_its_category_carries_it() {
    let mut indicators = INDICATORS.to_vec();
    indicators.push((
        IocKind::Sha256,
        "9f2c1a7e5b3d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
    ));
    let det = feed(&indicators);
    let files =
        detections::export::export(&det, detections::export::Format::Sigma).expect("sigma rules");
    let rule = |name: &str| {
        files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.text.as_str())
            .unwrap_or_else(|| {
                panic!(
                    "no {name} in {:?}",
                    files.iter().map(|f| &f.name).collect::<Vec<_>>()
                )
            })
    };
    for (name, wants) in [
        (
            "feed-address.network_connection.yml",
            &[
                "DestinationIp:\n        - '198.51.100.23'\n        - '::ffff:198.51.100.23'\n      DestinationPort:\n        - 54984",
                "DestinationIp|cidr:",
                "- '203.0.113.0/24'",
                "- '2001:db8:1::/48'",
            ][..],
        ),
        (
            "feed-address.firewall.yml",
            &["dst_ip:", "dst_port:\n        - 54984", "dst_ip|cidr:"][..],
        ),
        (
            "feed-url.proxy.yml",
            &[
                "c-uri|endswith:",
                "- 'estaliax.io/dl/inv0521.exe'",
                "- 'files.sharehost.example:8443/u/7f3a/'",
            ][..],
        ),
        (
            "feed-hash.process_creation.yml",
            &["Hashes|contains:\n      - 'SHA256=9f2c1a7e5b3d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f'"][..],
        ),
    ] {
        let text = rule(name);
        for want in wants {
            assert!(text.contains(want), "{name}: no {want:?} in\n{text}");
        }
    }
    for absent in ["feed-url.firewall.yml", "feed-address.proxy.yml"] {
        assert!(files.iter().all(|f| f.name != absent), "{absent} written");
    }
}
