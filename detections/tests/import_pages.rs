//! The published-page reader over the six sample pages and the source page,
//! and the findings lint gives each (issue 23's "Done when").

use detections::import::{lint_page, read_page, Feed, Form, Page, UrlStatus};
use detections::ranges::Ranges;

#[path = "support/pages.rs"]
mod pages;
use pages::PAGES;

fn page(name: &str) -> Page {
    let (_, text) = PAGES.iter().find(|(n, _)| *n == name).expect("a page");
    read_page(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn forms(p: &Page) -> Vec<Form> {
    p.blocks.iter().map(|b| b.form).collect()
}

#[test]
fn every_page_reads_with_its_forms_tables_and_entries() {
    let expect: [(&str, &[Form], usize, usize, usize); 7] = [
        (
            "sample-asyncrat-ip",
            &[Form::IpFirewall, Form::IpEndpoint],
            2,
            2,
            1,
        ),
        (
            "sample-nanocore-hash",
            &[Form::IpFirewall, Form::IpEndpoint, Form::Hash],
            3,
            3,
            1,
        ),
        (
            "sample-nanocore-mixed",
            &[Form::IpFirewall, Form::IpEndpoint, Form::Domain],
            3,
            3,
            2,
        ),
        (
            "sample-unknown-rat-url",
            &[Form::IpFirewall, Form::IpEndpoint, Form::UrlClicks],
            3,
            3,
            1,
        ),
        ("sample-urlhaus", &[Form::Domain, Form::UrlProxy], 3, 2, 1),
        (
            "sample-flat-remcos",
            &[Form::IpEndpoint, Form::Domain, Form::Hash],
            3,
            3,
            1,
        ),
        ("nanocore-rat-hunt", &[Form::Domain], 2, 1, 5),
    ];
    for (name, f, iocs, tables, fps) in expect {
        let p = page(name);
        assert_eq!(forms(&p), f, "{name}");
        assert_eq!(p.iocs.len(), iocs, "{name}");
        assert_eq!(p.tables.len(), tables, "{name}");
        assert_eq!(p.false_positives.len(), fps, "{name}");
        for b in &p.blocks {
            assert!(b.query.starts_with("let "), "{name}: {}", b.query);
            assert!(!b.comments.is_empty(), "{name}");
        }
    }
}

#[test]
fn threatfox_rows_are_refanged_with_every_field() {
    let p = page("sample-asyncrat-ip");
    assert_eq!(p.feed, Feed::ThreatFox);
    assert_eq!(p.family, "AsyncRAT");
    let ioc = &p.iocs[0];
    assert_eq!(ioc.ioc_type, "ip:port");
    assert_eq!(ioc.value, "3.0.12.40:443");
    assert_eq!(ioc.threat_type, "botnet_cc");
    assert_eq!(ioc.first_seen, "2026-05-09");
    assert_eq!(ioc.confidence, Some(100));
    assert_eq!(ioc.status, None);
    let b = &p.blocks[0];
    assert_eq!(
        b.comments,
        [
            "Hunt for network connections to known malicious IPs",
            "Source: ThreatFox - AsyncRAT"
        ]
    );
    assert_eq!(b.list_name, "malicious_ips");
    assert_eq!(b.list, ["3.0.12.40", "203.0.113.77"]);
    assert_eq!(
        b.query,
        "let malicious_ips = dynamic([\"3.0.12.40\", \"203.0.113.77\"]);\nCommonSecurityLog\n\
         | where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)\n\
         | project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity\n\
         | order by TimeGenerated desc"
    );
    let fp = &p.false_positives[0];
    assert_eq!(fp.scenario, "Software update download");
    assert!(fp.description.starts_with("An update agent downloads"));
    assert_eq!(
        fp.exclusion,
        "Exclude connections initiated by the update agent's process name."
    );
}

#[test]
fn urlhaus_rows_without_a_leading_bar_keep_their_status() {
    let p = page("sample-urlhaus");
    assert_eq!(p.feed, Feed::UrlHaus);
    assert_eq!(p.family, "malware_download");
    let values: Vec<(&str, Option<UrlStatus>)> = p
        .iocs
        .iter()
        .map(|i| (i.value.as_str(), i.status))
        .collect();
    assert_eq!(
        values,
        [
            ("http://203.0.113.9:47001/i", Some(UrlStatus::Online)),
            ("http://203.0.113.9:47001/bin.sh", Some(UrlStatus::Online)),
            (
                "http://files.bad-cdn.example/payload.exe",
                Some(UrlStatus::Offline)
            ),
        ]
    );
    assert!(p
        .iocs
        .iter()
        .all(|i| i.confidence.is_none() && i.first_seen == "2026-05-20"));
    assert_eq!(p.tables[1].table, "DnsEvents");
}

#[test]
fn the_flat_rendering_reads_as_the_markdown_one() {
    let p = page("sample-flat-remcos");
    assert_eq!(p.family, "Remcos");
    let rows: Vec<(&str, &str, &str, Option<u8>)> = p
        .iocs
        .iter()
        .map(|i| {
            (
                i.ioc_type.as_str(),
                i.value.as_str(),
                i.threat_type.as_str(),
                i.confidence,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ip:port", "198.51.100.61:2404", "botnet_cc", Some(100)),
            ("domain", "remc-gate.example", "botnet_cc", Some(75)),
            (
                "md5_hash",
                "7d8e9f00112233445566778899aabbcc",
                "payload",
                Some(95)
            ),
        ]
    );
    let tables: Vec<&str> = p.tables.iter().map(|t| t.table.as_str()).collect();
    assert_eq!(
        tables,
        ["DeviceFileEvents", "DeviceNetworkEvents", "DnsEvents"]
    );
    assert_eq!(p.tables[0].notes, "Ensure this data connector is enabled");
    assert_eq!(
        p.blocks[0].comments,
        ["Hunt in Defender for Endpoint network events"]
    );
    assert!(p.false_positives[0]
        .exclusion
        .contains("InitiatingProcessFileName"));
}

#[test]
fn a_query_outside_the_six_forms_names_the_part() {
    let (_, text) = PAGES[0];
    let bad = text.replace(
        "| where RemoteIP in (malicious_ips)",
        "| where RemoteIP in (malicious_ips) and RemotePort == 443",
    );
    let err = read_page(&bad).unwrap_err();
    assert_eq!(err.part, "KQL block condition");
    assert_eq!(err.line, 18);
    let bad = text.replace("DeviceNetworkEvents\n", "DeviceProcessEvents\n");
    assert_eq!(read_page(&bad).unwrap_err().part, "KQL block table");
    assert_eq!(read_page("just prose\n").unwrap_err().part, "IOC table");
}

/// Each finding without its message: `severity code subject [hunts]`.
fn findings(name: &str) -> Vec<String> {
    let ranges = Ranges::new(Ranges::builtin_lists());
    lint_page(&page(name), &ranges)
        .iter()
        .map(|f| {
            let s = f.to_string();
            s.split(": ").next().unwrap_or(&s).to_owned()
        })
        .collect()
}

fn no_time_bound(hunts: &[&str]) -> Vec<String> {
    hunts
        .iter()
        .map(|h| format!("info no-time-bound hunt {h} [{h}]"))
        .collect()
}

fn expect(name: &str, mut want: Vec<String>, hunts: &[&str]) {
    want.extend(no_time_bound(hunts));
    assert_eq!(findings(name), want, "{name}");
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

#[test]
fn lint_asyncrat_ip() {
    expect(
        "sample-asyncrat-ip",
        s(&[
            "warning port-dropped indicator 3.0.12.40:443 [ip-firewall, ip-endpoint]",
            "warning shared-range-bare indicator 3.0.12.40:443 [ip-firewall, ip-endpoint]",
            "warning port-dropped indicator 203.0.113.77:8808 [ip-firewall, ip-endpoint]",
            "warning firewall-source-ip hunt ip-firewall [ip-firewall]",
            "error exclusion-field-absent exclusion software-update-download [ip-firewall]",
            "warning exclusion-unexpressed exclusion software-update-download",
        ]),
        &["ip-firewall", "ip-endpoint"],
    );
}

#[test]
fn lint_nanocore_hash() {
    expect(
        "sample-nanocore-hash",
        s(&[
            "warning port-dropped indicator 192.0.2.45:54984 [ip-firewall, ip-endpoint]",
            "warning firewall-source-ip hunt ip-firewall [ip-firewall]",
            "error exclusion-field-absent exclusion security-tool-quarantine-copy [ip-firewall]",
            "error exclusion-field-absent exclusion security-tool-quarantine-copy [ip-endpoint]",
            "warning exclusion-unexpressed exclusion security-tool-quarantine-copy",
        ]),
        &["ip-firewall", "ip-endpoint", "hash-file"],
    );
}

#[test]
fn lint_nanocore_mixed() {
    expect("sample-nanocore-mixed", s(&[
        "warning port-dropped indicator 104.21.55.10:443 [ip-firewall, ip-endpoint]",
        "warning shared-range-bare indicator 104.21.55.10:443 [ip-firewall, ip-endpoint]",
        "warning port-dropped indicator 198.51.100.23:54984 [ip-firewall, ip-endpoint]",
        "warning firewall-source-ip hunt ip-firewall [ip-firewall]",
        "error exclusion-field-absent exclusion scheduled-backup-job-using-nanocore-exe [ip-firewall]",
        "error exclusion-field-absent exclusion scheduled-backup-job-using-nanocore-exe [domain-dns]",
        "error exclusion-field-absent exclusion network-diagnostics [ip-firewall]",
        "error exclusion-field-absent exclusion network-diagnostics [domain-dns]",
        "error exclusion-always-true exclusion network-diagnostics",
    ]), &["ip-firewall", "ip-endpoint", "domain-dns"]);
}

#[test]
fn lint_unknown_rat_url() {
    expect("sample-unknown-rat-url", s(&[
        "warning botnet-cc-url-clicks-only indicator http://198.51.100.80/api/keylog [url-clicks]",
        "warning botnet-cc-url-clicks-only indicator http://198.51.100.80/ws/client [url-clicks]",
        "warning port-dropped indicator 198.51.100.80:80 [ip-firewall, ip-endpoint]",
        "warning firewall-source-ip hunt ip-firewall [ip-firewall]",
        "warning exclusion-unexpressed exclusion penetration-test",
    ]), &["ip-firewall", "ip-endpoint", "url-clicks"]);
}

#[test]
fn lint_urlhaus() {
    expect("sample-urlhaus", s(&[
        "warning url-hunted-by-host indicator http://203.0.113.9:47001/i [domain-dns, url-proxy]",
        "warning url-hunted-by-host indicator http://203.0.113.9:47001/bin.sh [domain-dns, url-proxy]",
        "warning indicator-in-no-query indicator http://files.bad-cdn.example/payload.exe",
        "error address-as-dns-name indicator 203.0.113.9 [domain-dns]",
        "error exclusion-field-absent exclusion internal-malware-lab [domain-dns]",
    ]), &["domain-dns", "url-proxy"]);
}

#[test]
fn lint_flat_remcos() {
    expect("sample-flat-remcos", s(&[
        "warning port-dropped indicator 198.51.100.61:2404 [ip-endpoint]",
        "error exclusion-field-absent exclusion remote-support-tool-on-the-same-port [domain-dns]",
        "warning exclusion-unexpressed exclusion remote-support-tool-on-the-same-port",
    ]), &["ip-endpoint", "domain-dns", "hash-file"]);
}

#[test]
fn lint_source_page() {
    let ids = [
        "legitimate-scheduled-backup-job-using-nanocore-exe",
        "admin-task-using-nanocore-exe-for-network-diagnostics",
        "legitimate-software-update-process-using-nanocore-dll",
        "system-event-log-cleanup-using-nanocore-exe",
        "legitimate-third-party-tool-with-similar-name",
    ];
    let want = ids
        .iter()
        .map(|id| format!("error exclusion-field-absent exclusion {id} [domain-dns]"))
        .collect();
    expect("nanocore-rat-hunt", want, &["domain-dns"]);
}

#[test]
fn a_literal_of_the_wrong_kind_is_one_error() {
    let (_, text) = PAGES[6];
    let bad = text.replace(
        r#""duraktantuni.site"]"#,
        r#""duraktantuni.site", "frBvNnnFYR6XR622pBE0NQ=="]"#,
    );
    let ranges = Ranges::new(Ranges::builtin_lists());
    let found = lint_page(&read_page(&bad).unwrap(), &ranges);
    let mismatches: Vec<_> = found
        .iter()
        .filter(|f| f.code == "literal-kind-mismatch")
        .collect();
    assert_eq!(mismatches.len(), 1, "{found:#?}");
    assert!(mismatches[0].message.contains("frBvNnnFYR6XR622pBE0NQ=="));
}
