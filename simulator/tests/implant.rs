//! The generic `implant` template: any family's infection chain, with no
//! NanoCore name in its rows (no `run.dat`, no `DHCP Monitor` task or
//! `dhcpmon.exe`, no hollowing into `RegAsm.exe`) unless the scenario says so;
//! its C2 comes from the scenario, and one it leaves out is an error.

use simulator::{Options, Scenario};

fn implant(extra: &str) -> String {
    format!(
        r#"id = "remcos-test"
title = "A Remcos infection"
kind = "malicious"
description = "The generic implant, configured as Remcos."

[expect]
outcome = "alert"

[generator]
template = "implant"
seed = 9
hosts = 2
host_prefix = "WS-REM"
start = 2026-05-21T08:00:00Z
hours = 2
endpoint = "mixed"
server_dns = true
defender_network = true
firewall = "pan-os"
{extra}
"#
    )
}

fn rows(src: &str) -> Vec<String> {
    let s = Scenario::parse(src, "remcos-test.toml").unwrap_or_else(|e| panic!("{e}"));
    simulator::generate(&s, &Options::default())
        .map(|r| serde_json::to_string(&r).expect("serialisable"))
        .collect()
}

#[test]
fn a_generic_implant_writes_no_nanocore_name_and_looks_up_its_own_c2() {
    let all = rows(&implant(
        r#"c2_hosts = ["remcos-c2.example"]
c2_addresses = ["198.51.100.77:2404"]
implant_path = '%APPDATA%\%GUID%\remcos.exe'
task_name = "Remcos Agent""#,
    ));
    assert!(all.len() > 20, "{} rows", all.len());
    for needle in [
        "run.dat",
        "DHCP Monitor",
        "dhcpmon",
        "RegAsm",
        "estaliax",
        "54984",
    ] {
        assert!(
            !all.iter().any(|r| r.contains(needle)),
            "a row names {needle}"
        );
    }
    for needle in [
        "remcos-c2.example",
        "198.51.100.77",
        "remcos.exe",
        "Remcos Agent",
    ] {
        assert!(
            all.iter().any(|r| r.contains(needle)),
            "no row names {needle}"
        );
    }
    assert!(all.iter().any(|r| r.contains(r#""step":"c2-lookup""#)));
}

#[test]
fn payload_files_are_written_each_as_its_own_step() {
    let all = rows(&implant(
        r#"c2_hosts = ["remcos-c2.example"]
payload_files = ["logs.dat", "Config.BIN"]"#,
    ));
    for step in ["logs-dat", "config-bin"] {
        assert!(
            all.iter()
                .any(|r| r.contains(&format!(r#""step":"{step}""#))),
            "no {step} row"
        );
    }
}

#[test]
fn a_generic_implant_must_be_told_its_c2_and_payload_files_are_names() {
    let err = Scenario::parse(&implant(""), "remcos-test.toml")
        .expect_err("no C2")
        .to_string();
    assert!(err.contains("generator.c2_hosts"), "{err}");
    let err = Scenario::parse(
        &implant(
            r#"c2_hosts = ["a.example"]
payload_files = ['sub\run.dat']"#,
        ),
        "remcos-test.toml",
    )
    .expect_err("a folder")
    .to_string();
    assert!(err.contains("generator.payload_files[0]"), "{err}");
}
