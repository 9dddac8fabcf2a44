//! The generated indicators, rows and feeds hold what the benchmarks
//! assume of them.

use super::*;

#[test]
fn every_indicator_is_distinct_and_normalised() {
    for kind in KINDS.into_iter().chain([IocKind::Url]) {
        let list = indicators(kind, 20_000, 3);
        assert_eq!(list.len(), 20_000, "{kind}");
        let mut sorted = list.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), list.len(), "{kind}: a value repeats");
        for v in list.iter().step_by(97) {
            let parsed = kind.parse(v).unwrap_or_else(|e| panic!("{kind}: {v}: {e}"));
            assert_eq!((parsed.kind, &parsed.value), (kind, v), "{kind}");
        }
    }
}

#[test]
fn half_the_rows_are_planted_hits_and_each_row_alerts_as_planted() {
    for kind in KINDS.into_iter().chain([IocKind::Url]) {
        let list = indicators(kind, 1_000, 5);
        let rows = rows(kind, &list, 4_000, 5);
        let hits = rows.iter().filter(|(_, hit)| *hit).count();
        assert!((1_800..2_200).contains(&hits), "{kind}: {hits} hits");
        let det = load(kind, &list).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let (events, alerts) = check(&det, kind, &rows).unwrap_or_else(|m| panic!("{m:?}"));
        assert_eq!((events.len(), alerts), (rows.len(), hits), "{kind}");
    }
    // An `ip:port` misses on the same address at another port too.
    let list = indicators(IocKind::IpPort, 1_000, 5);
    let same_address = rows(IocKind::IpPort, &list, 4_000, 5)
        .iter()
        .filter(|(line, hit)| {
            !hit && list.iter().any(|v| {
                let ip = v.rsplit_once(':').map(|(a, _)| a).unwrap_or(v);
                line.contains(&format!("\"RemoteIP\":\"{ip}\""))
            })
        })
        .count();
    assert!(same_address > 500, "{same_address}");
}

#[test]
fn every_table_at_the_scan_rate_alerts_as_planted_under_the_feed_content() {
    let cases = [
        (IocKind::Domain, Table::DnsEvents),
        (IocKind::IpPort, Table::DeviceNetworkEvents),
        (IocKind::IpPort, Table::Firewall),
        (IocKind::Url, Table::Proxy),
        (IocKind::Sha256, Table::DeviceFileEvents),
    ];
    for (kind, table) in cases {
        let list = indicators(kind, 1_000, 9);
        let det = load_feed(kind, &list).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let mut p = Pipeline::new(&det);
        let (mut rows, mut hits) = (0, 0);
        table_rows(kind, table, &list, 20_000, 9, SCAN_RATE, |line, hit| {
            check_row(&mut p, &det, kind, &line, hit)
                .unwrap_or_else(|m| panic!("{table:?}: {m:?}"));
            rows += 1;
            hits += usize::from(hit);
        });
        assert_eq!(rows, 20_000, "{table:?}");
        assert!((200..400).contains(&hits), "{table:?}: {hits} hits");
    }
}
