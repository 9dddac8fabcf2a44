//! The simulated network: only the sensors a scenario configures write their
//! tables; the implant's raw TCP names no host; a file's digests agree across
//! tables and hosts; the firewall's rows carry the NAT; the keys' errors name
//! their line and key.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use simulator::{Options, Record, Scenario, Table};

fn scenario(extra: &str) -> Scenario {
    let hollow = if extra.contains("hollow") {
        ""
    } else {
        "hollow = \"none\""
    };
    let src = format!(
        r#"id = "net-test"
title = "Network test"
kind = "malicious"
description = "An infection whose implant connects by address."

[expect]
outcome = "alert"

[generator]
template = "nanocore-infection"
seed = 5
hosts = 2
host_prefix = "WS-NET"
start = 2026-05-21T08:00:00Z
hours = 2
endpoint = "mixed"
defender_network = true
c2_up = 0.5
infect_within_minutes = 5
{hollow}
{extra}
"#
    );
    Scenario::parse(&src, "net-test.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn rows(s: &Scenario) -> Vec<Record> {
    simulator::generate(s, &Options::default().with_rng_seed(3)).collect()
}

fn col<'a>(r: &'a Record, c: &str) -> &'a str {
    r.row.get(c).and_then(Value::as_str).unwrap_or("")
}

fn event(r: &Record) -> i64 {
    r.row.get("EventID").and_then(Value::as_i64).unwrap_or(0)
}

#[test]
fn a_sysmon_host_logs_event_3_only_when_its_configuration_does() {
    let off = rows(&scenario(r#"c2_addresses = ["198.51.100.23:54984"]"#));
    assert!(
        off.iter().any(|r| event(r) == 1),
        "Sysmon 1 is still logged"
    );
    assert!(!off.iter().any(|r| event(r) == 3), "no event 3 by default");
    let on = rows(&scenario(
        "c2_addresses = [\"198.51.100.23:54984\"]\nsysmon_events = [1, 3, 11, 22]",
    ));
    let threes: Vec<&Record> = on.iter().filter(|r| event(r) == 3).collect();
    assert!(!threes.is_empty(), "dhcpmon.exe under AppData is included");
    for r in &threes {
        assert!(col(r, "Image").ends_with(r"\dhcpmon.exe"));
        assert_eq!(col(r, "DestinationIp"), "198.51.100.23");
        assert!(!col(r, "DestinationHostname").contains("estaliax"));
    }
    // The include rules: RegAsm.exe under the .NET folder and port 54984 match none.
    let regasm = rows(&scenario(
        "hollow = \"RegAsm.exe\"\nc2_addresses = [\"198.51.100.23:54984\"]\nsysmon_events = [1, 3, 11, 22]",
    ));
    assert!(!regasm.iter().any(|r| event(r) == 3));
    // Without event 22 in the configuration, no Sysmon DNS row either.
    let no22 = rows(&scenario("sysmon_events = [1, 11]"));
    assert!(!no22.iter().any(|r| event(r) == 22));
    assert!(no22.iter().any(|r| r.table == Table::DnsEvents));
}

#[test]
fn the_implants_connections_have_no_remote_url_and_follow_the_answers() {
    let all = rows(&scenario(
        "c2_hosts = [\"estaliax.io\"]\nc2_addresses = [\"198.51.100.23:54984\"]",
    ));
    let conns: Vec<&Record> = all
        .iter()
        .filter(|r| r.table == Table::DeviceNetworkEvents)
        .collect();
    assert!(!conns.is_empty());
    for r in &conns {
        assert_eq!(col(r, "RemoteUrl"), "", "{:?}", r.row);
        assert_eq!(col(r, "RemoteIP"), "198.51.100.23");
        assert_eq!(r.row["RemotePort"], 54984);
        assert!(["ConnectionSuccess", "ConnectionFailed"].contains(&col(r, "ActionType")));
        assert_eq!(col(r, "InitiatingProcessFileName"), "dhcpmon.exe");
    }
    // The DNS rows answer the same address.
    assert!(all
        .iter()
        .any(|r| r.table == Table::DnsEvents && col(r, "IPAddresses") == "198.51.100.23"));
    assert!(!all.iter().any(|r| r.table == Table::CommonSecurityLog));
}

#[test]
fn the_firewall_rows_carry_the_nat_and_the_appliance() {
    for (fw, product) in [("pan-os", "PAN-OS"), ("fortigate", "Fortigate")] {
        let all = rows(&scenario(&format!(
            "c2_addresses = [\"198.51.100.23:54984\"]\nfirewall = \"{fw}\""
        )));
        let csl: Vec<&Record> = all
            .iter()
            .filter(|r| r.table == Table::CommonSecurityLog)
            .collect();
        assert!(!csl.is_empty(), "{fw}");
        for r in &csl {
            assert_eq!(col(r, "DeviceProduct"), product);
            assert!(col(r, "SourceIP").starts_with("10."), "{:?}", r.row);
            assert_eq!(col(r, "SourceTranslatedAddress"), "203.0.113.10");
            assert_eq!(col(r, "Computer"), "fw-edge-01");
            assert_eq!(col(r, "DestinationIP"), "198.51.100.23");
            assert!(r.label.malicious);
        }
        // Both sensors' hosts are behind it.
        let hosts: BTreeSet<&str> = csl.iter().map(|r| r.label.host.as_str()).collect();
        assert_eq!(hosts.len(), 2, "{fw}");
    }
}

/// The digests of each file, as (table, host) -> (sha256, sha1, md5).
fn digests(all: &[Record], name: &str) -> BTreeMap<(String, String), [String; 3]> {
    let mut out = BTreeMap::new();
    for r in all {
        let d = match r.table {
            Table::DeviceProcessEvents | Table::DeviceFileEvents
                if col(r, "FileName").eq_ignore_ascii_case(name) =>
            {
                [col(r, "SHA256"), col(r, "SHA1"), col(r, "MD5")].map(str::to_owned)
            }
            Table::SysmonEvents if event(r) == 1 && col(r, "Image").ends_with(name) => {
                let h: BTreeMap<&str, String> = col(r, "Hashes")
                    .split(',')
                    .filter_map(|p| p.split_once('='))
                    .map(|(k, v)| (k, v.to_ascii_lowercase()))
                    .collect();
                [&h["SHA256"], &h["SHA1"], &h["MD5"]].map(|s| s.clone())
            }
            _ => continue,
        };
        out.insert((r.table.name().to_owned(), r.label.host.clone()), d);
    }
    out
}

#[test]
fn a_files_digests_agree_across_tables_and_hosts_and_can_be_pinned() {
    let plain = rows(&scenario(""));
    let d = digests(&plain, "dhcpmon.exe");
    let tables: BTreeSet<&str> = d.keys().map(|(t, _)| t.as_str()).collect();
    assert_eq!(tables.len(), 3, "{d:?}");
    let distinct: BTreeSet<&[String; 3]> = d.values().collect();
    assert_eq!(distinct.len(), 1, "one file, one set of digests: {d:?}");
    let pinned = rows(&scenario(
        "implant_path = '%APPDATA%\\Tools\\notepad2.exe'\n\
         implant_sha256 = \"9F2C1A7E5B3D4C6E8A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C0D1E2F\"\n\
         implant_sha1 = \"5e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b\"\n\
         implant_md5 = \"0a1b2c3d4e5f60718293a4b5c6d7e8f9\"",
    ));
    let d = digests(&pinned, "notepad2.exe");
    assert_eq!(d.len(), 3, "{d:?}");
    for v in d.values() {
        assert_eq!(
            v,
            &[
                "9f2c1a7e5b3d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
                "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b",
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
            ]
            .map(str::to_owned)
        );
    }
}

#[test]
fn bad_network_keys_name_their_line_and_key() {
    let src = r#"id = "net-bad"
title = "Bad"
kind = "malicious"
description = "Bad keys."

[expect]
outcome = "alert"

[generator]
template = "nanocore-infection"
start = 2026-05-21T08:00:00Z
hours = 1
sysmon_events = [1, 4]
firewall = "pan-os"
c2_addresses = ["198.51.100.23"]
implant_md5 = "xyz"
"#;
    let e = Scenario::parse(src, "net-bad.toml")
        .expect_err("bad")
        .to_string();
    for want in [
        "line 13: field `generator.sysmon_events`",
        "line 15: field `generator.c2_addresses`: `198.51.100.23` is not `ip:port`",
        "line 16: field `generator.implant_md5`",
    ] {
        assert!(e.contains(want), "{want} in {e}");
    }
    let src = src.replace("firewall = \"pan-os\"", "firewall = \"checkpoint\"");
    let e = Scenario::parse(&src, "net-bad.toml")
        .expect_err("bad")
        .to_string();
    assert!(e.contains("line 14") && e.contains("checkpoint"), "{e}");
}
