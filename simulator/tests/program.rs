//! The generic benign template `program`: an exclusion's values (image,
//! install folder, parent, arguments, task, signer, source subnet) drive a
//! benign program's telemetry, each value fixed or varied per host with the
//! scenario's own weights, and its destinations come from the scenario.

use simulator::{Options, Scenario};

fn program(hosts: u32, extra: &str) -> String {
    format!(
        r#"id = "excused-agent"
title = "An update agent an exclusion excuses"
kind = "benign"
description = "The program the exclusion names, talking to a listed address."

[expect]
outcome = "no-alert"

[generator]
template = "program"
seed = 4
hosts = {hosts}
host_prefix = "WS-AGT"
start = 2026-05-21T08:00:00Z
hours = 3
endpoint = "mixed"
server_dns = true
defender_network = true
firewall = "pan-os"
proxy = "zscaler"
interval_minutes = 60
{extra}
"#
    )
}

fn rows(src: &str) -> Vec<serde_json::Value> {
    let s = Scenario::parse(src, "excused-agent.toml").unwrap_or_else(|e| panic!("{e}"));
    simulator::generate(&s, &Options::default())
        .map(|r| serde_json::to_value(&r).expect("serialisable"))
        .collect()
}

fn text(v: &serde_json::Value) -> String {
    v.to_string()
}

#[test]
fn a_program_runs_with_the_exclusions_values_and_talks_to_its_destinations() {
    let all = rows(&program(
        4,
        r#"image = 'C:\Program Files\Contoso\Agent\agent.exe'
parent = 'C:\Windows\System32\cmd.exe'
command = "/sync /quiet"
signer = "Contoso Ltd"
urls = ["https://updates.contoso-cdn.example/feed"]
names = ["telemetry.contoso-cdn.example"]
addresses = ["203.0.113.77:8808"]
resolves_to = "3.0.12.40"
host_subnet = "10.66.0.0/16""#,
    ));
    let s: Vec<String> = all.iter().map(text).collect();
    let runs: Vec<&String> = s
        .iter()
        .filter(|r| r.contains(r#""step":"program-run""#))
        .collect();
    assert!(!runs.is_empty(), "the program never ran");
    for r in &runs {
        assert!(r.contains(r"Contoso\\Agent\\agent.exe"), "{r}");
        assert!(r.contains("/sync /quiet") && r.contains("cmd.exe"), "{r}");
    }
    for needle in [
        "updates.contoso-cdn.example",
        "telemetry.contoso-cdn.example",
        "203.0.113.77",
        "3.0.12.40",
        "Contoso Ltd",
    ] {
        assert!(
            s.iter().any(|r| r.contains(needle)),
            "no row names {needle}"
        );
    }
    // Every host address the sensors write lies in the subnet.
    let network: Vec<&String> = s
        .iter()
        .filter(|r| r.contains(r#""step":"program-network""#) && r.contains("CommonSecurityLog"))
        .collect();
    assert!(!network.is_empty());
    for r in network {
        assert!(r.contains(r#""SourceIP":"10.66."#), "{r}");
    }
}

#[test]
fn varied_values_follow_the_scenarios_weights_and_the_seed() {
    let src = program(
        60,
        r#"image = 'C:\Program Files\Contoso\Agent\agent.exe'
install_dir = { one_of = ['C:\Program Files\Contoso\Agent', 'D:\Apps\Agent'], weights = [3, 1] }
names = ["telemetry.contoso-cdn.example"]"#,
    );
    let all = rows(&src);
    let runs: Vec<String> = all
        .iter()
        .map(text)
        .filter(|r| r.contains(r#""step":"program-run""#))
        .collect();
    let moved = runs
        .iter()
        .filter(|r| r.contains(r"D:\\Apps\\Agent"))
        .count();
    let documented = runs
        .iter()
        .filter(|r| r.contains(r"C:\\Program Files\\Contoso\\Agent"))
        .count();
    assert_eq!(moved + documented, runs.len());
    assert!(
        moved > 0 && documented > 2 * moved,
        "{moved} moved, {documented} documented"
    );
    assert_eq!(all, rows(&src), "the same seed, the same rows");
}

#[test]
fn a_task_registered_before_the_window_runs_under_the_task_scheduler() {
    let all = rows(&program(
        2,
        r#"image = 'C:\Program Files\Contoso\Agent\agent.exe'
task_name = 'Contoso\Agent Sync'
task_start = "03:15"
registered_days_before = 10
system = true
names = ["telemetry.contoso-cdn.example"]"#,
    ));
    let s: Vec<String> = all.iter().map(text).collect();
    let registered: Vec<&String> = s
        .iter()
        .filter(|r| r.contains(r#""step":"task-register""#))
        .collect();
    assert!(registered
        .iter()
        .any(|r| r.contains("/st 03:15") && r.contains("/ru SYSTEM")));
    let runs: Vec<&String> = s
        .iter()
        .filter(|r| r.contains(r#""step":"program-run""#))
        .collect();
    assert!(!runs.is_empty());
    assert!(
        runs.iter().all(|r| r.contains("svchost.exe")),
        "not run by the Task Scheduler"
    );
}

#[test]
fn with_a_task_and_a_parent_the_runs_alternate() {
    let all = rows(&program(
        4,
        r#"image = 'C:\Program Files\Contoso\Agent\agent.exe'
task_name = "Agent Sync"
parent = 'C:\Windows\System32\cmd.exe'
names = ["telemetry.contoso-cdn.example"]"#,
    ));
    let runs: Vec<String> = all
        .iter()
        .map(text)
        .filter(|r| r.contains(r#""step":"program-run""#))
        .collect();
    let by_task = runs.iter().filter(|r| r.contains("svchost.exe")).count();
    let by_shell = runs.iter().filter(|r| r.contains("cmd.exe")).count();
    assert!(
        by_task > 0 && by_shell > 0,
        "{by_task} by the task, {by_shell} from cmd.exe"
    );
    // Each host's runs alternate, the task's first.
    assert!(
        by_task >= by_shell && by_task <= by_shell + 4,
        "{by_task} against {by_shell}"
    );
}

#[test]
fn contradictory_or_malformed_values_name_their_key() {
    for (extra, key) in [
        (
            "image = 'C:\\a\\agent.exe'\nparent = 'cmd.exe'",
            "generator.parent",
        ),
        (
            "image = { one_of = ['C:\\a\\agent.exe', 'C:\\b\\agent.exe'], weights = [1] }",
            "generator.image",
        ),
        ("image = 'agent.exe'", "generator.image"),
        (
            "image = 'C:\\a\\agent.exe'\nhost_subnet = \"10.66.1.0/16\"",
            "generator.host_subnet",
        ),
        (
            "image = 'C:\\a\\agent.exe'\nregistered_days_before = 3",
            "generator.registered_days_before",
        ),
    ] {
        let err = Scenario::parse(&program(1, extra), "excused-agent.toml").expect_err(extra);
        assert!(err.to_string().contains(key), "{extra}: {err}");
    }
}
