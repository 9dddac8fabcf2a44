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

/// The rows of `step`, serialised.
fn of_step<'a>(all: &'a [String], step: &str) -> Vec<&'a String> {
    let tag = format!(r#""step":"{step}""#);
    all.iter().filter(|r| r.contains(&tag)).collect()
}

#[test]
fn each_persistence_kind_installs_its_own_way_and_restarts_the_implant_after_a_reboot() {
    let base = r#"c2_hosts = ["remcos-c2.example"]
implant_path = '%APPDATA%\%GUID%\remcos.exe'
task_name = "Remcos Agent"
reboot_every_hours = 1
"#;
    // (kind, what installs it, what starts the implant after a reboot)
    let kinds = [
        (
            "run-key",
            r"\\reg.exe",
            r"CurrentVersion\\Run",
            "explorer.exe",
        ),
        ("service", r"\\sc.exe", "binPath=", "services.exe"),
        (
            "startup-folder",
            "Startup",
            r"Remcos Agent.lnk",
            "explorer.exe",
        ),
        ("scheduled-task", "schtasks.exe", "/create", "svchost.exe"),
    ];
    for (kind, installer, detail, parent) in kinds {
        let all = rows(
            &implant(&format!("{base}persistence = \"{kind}\"\nhours = 6\n"))
                .replace("hours = 2\n", ""),
        );
        let installed = of_step(&all, "persistence");
        assert!(
            installed
                .iter()
                .any(|r| r.contains(installer) && r.contains(detail)),
            "{kind}: no persistence row names {installer} and {detail}"
        );
        let relaunched = of_step(&all, "relaunch");
        assert!(!relaunched.is_empty(), "{kind}: no relaunch after a reboot");
        assert!(
            relaunched.iter().all(|r| r.contains(parent)),
            "{kind}: a relaunch not started by {parent}"
        );
        if kind != "scheduled-task" {
            assert!(
                !all.iter().any(|r| r.contains("schtasks.exe")),
                "{kind}: a row names schtasks.exe"
            );
        }
    }
}

#[test]
fn a_parent_chain_and_a_hollowing_image_come_from_the_scenario() {
    let all = rows(&implant(
        r#"c2_hosts = ["remcos-c2.example"]
delivery = "msi"
parent_chain = ['C:\Program Files\Google\Chrome\Application\chrome.exe']
hollow_image = 'C:\Windows\Microsoft.NET\Framework\v4.0.30319\InstallUtil.exe'"#,
    ));
    let dropper = of_step(&all, "dropper");
    assert!(!dropper.is_empty());
    assert!(
        dropper
            .iter()
            .all(|r| r.contains("msiexec.exe") && r.contains("chrome.exe")),
        "the MSI is not opened by the chain's last process"
    );
    let hollow = of_step(&all, "hollow");
    assert!(!hollow.is_empty() && hollow.iter().all(|r| r.contains("InstallUtil.exe")));
    assert!(!all.iter().any(|r| r.contains("RegAsm")));
}

#[test]
fn a_persistence_that_cannot_restart_the_implant_is_refused() {
    let err = Scenario::parse(
        &implant(
            r#"c2_hosts = ["remcos-c2.example"]
launch = "schtasks-run"
persistence = "run-key""#,
        ),
        "remcos-test.toml",
    )
    .expect_err("a task launch needs a task");
    assert!(err.to_string().contains("generator.persistence"), "{err}");
    let err = Scenario::parse(
        &implant(
            r#"c2_hosts = ["remcos-c2.example"]
parent_chain = ['chrome.exe']"#,
        ),
        "remcos-test.toml",
    )
    .expect_err("a relative parent");
    assert!(
        err.to_string().contains("generator.parent_chain[0]"),
        "{err}"
    );
}

#[test]
fn a_chain_starts_each_process_before_its_child_and_a_browser_saves_to_downloads() {
    let s = Scenario::parse(
        &implant(
            r#"c2_hosts = ["remcos-c2.example"]
delivery = "invoice"
parent_chain = ['C:\Program Files\7-Zip\7zFM.exe', 'C:\Program Files\Google\Chrome\Application\chrome.exe']"#,
        ),
        "remcos-test.toml",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let all: Vec<simulator::Record> = simulator::generate(&s, &Options::default()).collect();
    for host in ["WS-REM-01", "WS-REM-02"] {
        let at = |step: &str| {
            all.iter()
                .filter(|r| r.label.host == host && r.label.step == step)
                .map(|r| r.time_ms)
                .collect::<Vec<i64>>()
        };
        let chain = at("delivery-parent");
        let dropper = at("dropper");
        assert!(!chain.is_empty() && !dropper.is_empty(), "{host}");
        let last_parent = chain.iter().max().copied().unwrap_or(i64::MAX);
        assert!(
            dropper.iter().all(|t| *t > last_parent),
            "{host}: the dropper starts before its parent"
        );
    }
    let attachment: Vec<String> = all
        .iter()
        .filter(|r| r.label.step == "attachment")
        .map(|r| serde_json::to_string(&r.row).expect("row"))
        .collect();
    assert!(!attachment.is_empty());
    assert!(attachment
        .iter()
        .all(|r| r.contains(r"\\Downloads\\Invoice_") && !r.contains("Content.Outlook")));
}

#[test]
fn conflicting_keys_are_refused() {
    for (extra, key) in [
        (
            "hollow = \"RegAsm.exe\"\nhollow_image = 'C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\InstallUtil.exe'",
            "generator.hollow_image",
        ),
        (
            "parent_chain = ['C:\\Windows\\explorer.exe']",
            "generator.parent_chain[0]",
        ),
        ("persistence = \"registry\"", "run-key"),
    ] {
        let err = Scenario::parse(
            &implant(&format!("c2_hosts = [\"remcos-c2.example\"]\n{extra}")),
            "remcos-test.toml",
        )
        .expect_err(extra);
        assert!(err.to_string().contains(key), "{extra}: {err}");
    }
}
