//! The endpoint DNS view switched off per host (`endpoint_dns_off_hosts`) and
//! per step (`endpoint_dns_off_steps`), a browser resolving over DNS over HTTPS
//! (`doh_resolver`), and the errors of each key, which name it.

use serde_json::Value;
use simulator::{Options, Record, Scenario, Table};

const INFECTION: &str = r#"id = "switch-test"
title = "Switch test"
kind = "malicious"
description = "An infection on Sysmon and Defender hosts."

[expect]
outcome = "alert"

[generator]
template = "nanocore-infection"
seed = 9
hosts = 3
host_prefix = "WS-SW"
start = 2026-05-21T08:00:00Z
hours = 2
endpoint = "mixed"
delivery = "powershell"
c2_up = 0.3
infect_within_minutes = 5
"#;

fn parse(src: &str) -> Scenario {
    Scenario::parse(src, "switch-test.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn rows(s: &Scenario) -> Vec<Record> {
    simulator::generate(s, &Options::default().with_rng_seed(1)).collect()
}

/// Whether `r` is an endpoint DNS row: Sysmon 22 or Defender's `DnsQueryResponse`.
fn endpoint_dns(r: &Record) -> bool {
    match r.table {
        Table::SysmonEvents => r.row.get("EventID").and_then(Value::as_i64) == Some(22),
        Table::DeviceEvents => {
            r.row.get("ActionType").and_then(Value::as_str) == Some("DnsQueryResponse")
        }
        _ => false,
    }
}

/// The endpoint DNS rows of `host`, and of `step` when given.
fn endpoint_dns_of(rows: &[Record], host: &str, step: Option<&str>) -> usize {
    rows.iter()
        .filter(|r| endpoint_dns(r) && r.label.host == host)
        .filter(|r| step.is_none_or(|s| r.label.step == s))
        .count()
}

#[test]
fn a_host_switched_off_writes_no_endpoint_dns_row_and_the_others_still_do() {
    // Hosts 01 and 03 run Sysmon, 02 Defender.
    for (off, dark) in [("[2]", "WS-SW-02"), ("[1]", "WS-SW-01")] {
        let all = rows(&parse(
            &INFECTION.replace("c2_up", &format!("endpoint_dns_off_hosts = {off}\nc2_up")),
        ));
        assert_eq!(endpoint_dns_of(&all, dark, None), 0, "{dark}");
        for lit in ["WS-SW-01", "WS-SW-02", "WS-SW-03"]
            .iter()
            .filter(|h| **h != dark)
        {
            assert!(endpoint_dns_of(&all, lit, None) > 0, "{lit} with {off}");
        }
        // The DNS server still logs the dark host's lookups.
        assert!(
            all.iter()
                .any(|r| r.table == Table::DnsEvents && r.label.host == dark),
            "{dark}"
        );
    }
}

#[test]
fn a_step_switched_off_writes_no_endpoint_dns_row_and_the_others_still_do() {
    let all = rows(&parse(
        &INFECTION.replace("c2_up", "endpoint_dns_off_steps = [\"c2-lookup\"]\nc2_up"),
    ));
    let before = rows(&parse(INFECTION));
    for host in ["WS-SW-01", "WS-SW-02", "WS-SW-03"] {
        assert!(
            endpoint_dns_of(&before, host, Some("c2-lookup")) > 0,
            "{host}"
        );
        assert_eq!(endpoint_dns_of(&all, host, Some("c2-lookup")), 0, "{host}");
        // The delivery's lookup (PowerShell's download) is still logged.
        assert!(
            endpoint_dns_of(&all, host, Some("stage-download")) > 0,
            "{host}"
        );
    }
    // The site's DNS server still logs the C2 lookups.
    assert!(all
        .iter()
        .any(|r| r.table == Table::DnsEvents && r.label.step == "c2-lookup"));
}

#[test]
fn the_switches_left_out_change_no_row() {
    let text = |s: &Scenario| -> Vec<String> {
        rows(s)
            .iter()
            .map(|r| serde_json::to_string(r).expect("serialisable"))
            .collect()
    };
    let plain = parse(INFECTION);
    let empty = parse(&INFECTION.replace(
        "c2_up",
        "endpoint_dns_off_hosts = []\nendpoint_dns_off_steps = []\nc2_up",
    ));
    assert_eq!(text(&plain), text(&empty));
}

fn col<'a>(r: &'a Record, c: &str) -> &'a str {
    r.row.get(c).and_then(Value::as_str).unwrap_or("")
}

#[test]
fn a_browser_over_doh_writes_no_dns_row_for_its_lookups_only_network_rows() {
    let lib = simulator::builtin().expect("the library parses");
    let s = lib
        .iter()
        .find(|s| s.id == "background-browser-doh")
        .expect("in the library");
    let all = rows(s);
    let sites = [
        "www.harbourline-ferries.example",
        "docs.kettle-analytics.example",
        "news.fjordline-weather.example",
        "dl.kettle-analytics.example",
    ];
    let names_a_site = |r: &Record| {
        let text = serde_json::to_string(&r.row).expect("serialisable");
        sites.iter().any(|s| text.contains(s))
    };
    // No DNS log has the browser's lookups.
    for r in &all {
        let dns = r.table == Table::DnsEvents || endpoint_dns(r);
        assert!(!(dns && names_a_site(r)), "{:?}", r.row);
        if dns {
            assert_eq!(r.label.step, "update-check", "{:?}", r.row);
        }
    }
    // The update agent still asks the Windows DNS client: its lookups are logged.
    assert!(all.iter().any(|r| r.table == Table::DnsEvents));
    assert!(all.iter().any(endpoint_dns));
    // Network telemetry sees the visits ...
    let step = |r: &&Record, s: &str| r.label.step == s;
    for table in [Table::DeviceNetworkEvents, Table::CommonSecurityLog] {
        assert!(
            all.iter()
                .any(|r| r.table == table && step(&r, "browse") && names_a_site(r)),
            "{table:?}"
        );
    }
    // ... and the browser's HTTPS to the resolver: Defender, firewall, proxy.
    let doh: Vec<&Record> = all.iter().filter(|r| step(r, "doh-lookup")).collect();
    assert!(doh.iter().any(|r| r.table == Table::DeviceNetworkEvents
        && col(r, "RemoteUrl") == "dns.google"
        && col(r, "RemoteIP") == "8.8.8.8"
        && col(r, "InitiatingProcessFileName") == "msedge.exe"));
    assert!(doh
        .iter()
        .any(|r| col(r, "DeviceProduct") == "PAN-OS" && col(r, "DestinationIP") == "8.8.8.8"));
    assert!(doh.iter().any(
        |r| col(r, "DeviceProduct") == "NSSWeblog" && col(r, "RequestURL") == "dns.google:443"
    ));
    assert!(doh.iter().all(|r| !r.label.malicious));
}

/// Parse `src` and expect one problem, at `line`, whose field starts with `key`.
fn refused(name: &str, src: &str, line: usize, key: &str) {
    let err = Scenario::parse(src, "bad.toml")
        .err()
        .unwrap_or_else(|| panic!("{name}: accepted"));
    let text = err.to_string();
    assert_eq!(err.problems.len(), 1, "{name}: {text}");
    let p = &err.problems[0];
    assert_eq!(p.line, Some(line), "{name}: {text}");
    assert!(
        p.field.as_deref().is_some_and(|f| f.starts_with(key)),
        "{name}: {text}"
    );
    assert!(text.contains(key), "{name}: {text}");
}

#[test]
fn switches_asking_for_what_is_not_there_are_refused_naming_their_key() {
    const HOSTS: &str = "generator.endpoint_dns_off_hosts";
    const STEPS: &str = "generator.endpoint_dns_off_steps";
    let with = |extra: &str| INFECTION.replace("c2_up", &format!("{extra}\nc2_up"));
    // One inserted line is line 18; of two, the second is line 19.
    for (name, src, line, key) in [
        (
            "a host that does not exist",
            with("endpoint_dns_off_hosts = [4]"),
            18,
            HOSTS,
        ),
        ("host zero", with("endpoint_dns_off_hosts = [0]"), 18, HOSTS),
        (
            "a host twice",
            with("endpoint_dns_off_hosts = [2, 2]"),
            18,
            HOSTS,
        ),
        (
            "a Windows 7 Sysmon host, which has no event 22",
            with("windows = [\"7\", \"10\"]\nendpoint_dns_off_hosts = [1]"),
            19,
            HOSTS,
        ),
        (
            "a step the template does not have",
            with("endpoint_dns_off_steps = [\"browse\"]"),
            18,
            STEPS,
        ),
        (
            "a step twice",
            with("endpoint_dns_off_steps = [\"c2-lookup\", \"c2-lookup\"]"),
            18,
            STEPS,
        ),
        (
            "the C2 step when the implant asks its own resolver",
            with("c2_resolver = \"8.8.8.8\"\nendpoint_dns_off_steps = [\"c2-lookup\"]"),
            19,
            STEPS,
        ),
        (
            "a switch when endpoint_dns = false turns every view off",
            with("endpoint_dns = false\nendpoint_dns_off_hosts = [1]"),
            19,
            HOSTS,
        ),
    ] {
        refused(name, &src, line, key);
    }
    // `endpoint_dns = true` when every host with a view is switched off.
    let all_off = INFECTION.replace(
        "endpoint = \"mixed\"",
        "endpoint = \"defender\"\nendpoint_dns = true\nendpoint_dns_off_hosts = [1, 2, 3]",
    );
    refused(
        "endpoint_dns on, every host off",
        &all_off,
        17,
        "generator.endpoint_dns",
    );
}

const NETWORK: &str = r#"id = "doh-test"
title = "DoH test"
kind = "background"
description = "Browsing."

[expect]
outcome = "no-match"

[generator]
template = "background-network"
start = 2026-05-21T08:00:00Z
hours = 1
"#;

#[test]
fn a_doh_resolver_the_simulator_does_not_know_or_without_a_browser_is_refused() {
    let src = format!("{NETWORK}sites = [\"a.example\"]\ndoh_resolver = \"192.0.2.53\"\n");
    refused("unknown resolver", &src, 14, "generator.doh_resolver");
    let src = format!("{NETWORK}scanners = [\"198.51.100.7\"]\ndoh_resolver = \"1.1.1.1\"\n");
    refused("no browser", &src, 14, "generator.doh_resolver");
    // Over DoH the browser's steps are no longer DNS-client lookups.
    let src = format!(
        "{NETWORK}endpoint_dns_off_steps = [\"browse\"]\nsites = [\"a.example\"]\ndoh_resolver = \"1.1.1.1\"\n"
    );
    refused(
        "browse over DoH",
        &src,
        13,
        "generator.endpoint_dns_off_steps",
    );
    let src = format!("{NETWORK}endpoint_dns_off_steps = [\"browse\"]\nsites = [\"a.example\"]\n");
    Scenario::parse(&src, "ok.toml").unwrap_or_else(|e| panic!("{e}"));
}
