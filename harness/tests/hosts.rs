//! Every infected host must alert: an attack (expected outcome `alert`) is
//! met only when each infected host raises an alert on a malicious row of its
//! own. The silent hosts are named in the scenario's detail, the verdict, the
//! JSON, the JUnit output and the terminal table; a content that knows it
//! declares the scenario a known gap; and a firewall's or proxy's alert counts
//! for the endpoint its source address maps to.

use std::collections::{BTreeMap, BTreeSet};

use detections::content::{load, BUILTINS, NANOCORE_TOML};
use detections::pipeline::Pipeline;
use detections::{Detection, Engine};
use harness::report::{Report, SilentHosts, Status};
use harness::run::{run_library, RunOptions};
use harness::score::Scorer;
use serde_json::{json, Value};
use simulator::{Record, Scenario, Table};

const RESTART: &str = "adversarial-task-restart";
const BLIND: &str = "nanocore-four-hosts-two-blind";

fn scenario(id: &str) -> Scenario {
    simulator::builtin()
        .expect("library loads")
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no scenario {id}"))
}

fn run(det: &Detection, id: &str) -> Report {
    run_library(det, &[scenario(id)], &RunOptions::default(), &mut |_| {})
}

/// The seed content with its known gap for `id` taken out.
fn seed_without_gap(id: &str) -> Detection {
    let start = NANOCORE_TOML
        .find(&format!("[[known_gaps]]\nscenario = \"{id}\""))
        .unwrap_or_else(|| panic!("the seed content declares {id}"));
    let end = NANOCORE_TOML[start + 1..]
        .find("[[known_gaps]]")
        .map_or(NANOCORE_TOML.len(), |e| start + 1 + e);
    let src = format!("{}{}", &NANOCORE_TOML[..start], &NANOCORE_TOML[end..]);
    load(&src, "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_attack_alerting_on_three_hosts_of_four_fails_and_names_the_fourth() {
    let r = run(&seed_without_gap(RESTART), RESTART);
    let s = &r.scenarios[0];
    assert!(s.event.tp > 0, "alerts stand on malicious rows");
    assert_eq!(s.status, Status::Failed);
    assert!(!s.expectation_met);
    assert_eq!((s.hosts_alerted, s.hosts_infected), (3, 4));
    assert_eq!(s.silent_hosts, ["WS-ADV-RST-03"]);
    assert!(
        s.expectation_detail
            .ends_with("1 of 4 infected hosts raised no alert: WS-ADV-RST-03"),
        "{}",
        s.expectation_detail
    );
    assert_eq!(r.verdict.failing, [RESTART]);
    assert!(r.verdict.attacks.missed.is_empty());
    assert_eq!(
        r.verdict.attacks.silent_hosts,
        [SilentHosts {
            scenario: RESTART.into(),
            hosts: vec!["WS-ADV-RST-03".into()],
        }]
    );
    assert_eq!(
        (r.verdict.attacks.hosts, r.verdict.attacks.hosts_detected),
        (4, 3)
    );

    let v: Value = serde_json::from_str(&harness::render::json::render(&r)).expect("JSON");
    let js = &v["scenarios"][0];
    assert_eq!(js["silent_hosts"], json!(["WS-ADV-RST-03"]));
    assert_eq!(
        (js["hosts_alerted"].clone(), js["hosts_infected"].clone()),
        (json!(3), json!(4))
    );
    assert_eq!(js["status"], "failed");
    assert_eq!(
        v["verdict"]["attacks"]["silent_hosts"],
        json!([{"scenario": RESTART, "hosts": ["WS-ADV-RST-03"]}])
    );

    let suites = harness::junit::suites(&r, &[]);
    let case = &suites[0].cases[0];
    let failure = case.failure.as_deref().expect("the case fails");
    assert!(failure.contains(": WS-ADV-RST-03"), "{failure}");
    let xml = harness::junit::render("huntlab", &suites);
    assert!(
        xml.contains("1 of 4 infected hosts raised no alert: WS-ADV-RST-03"),
        "{xml}"
    );

    let out = harness::render::terminal::render(&r, false, false);
    let row = out
        .lines()
        .find(|l| l.starts_with(RESTART))
        .expect("the scenario's row");
    assert!(row.ends_with(" 3/4"), "{row}");
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("silent hosts: adversarial-task-restart (WS-ADV-RST-03)"),
        "{out}"
    );
    for l in out.lines() {
        assert!(l.chars().count() <= 100, "{l}");
    }
}

#[test]
fn a_declared_gap_keeps_silent_hosts_from_failing_the_run_and_names_them() {
    let failed = run(&seed_without_gap(BLIND), BLIND);
    assert_eq!(failed.scenarios[0].status, Status::Failed);
    assert_eq!(failed.verdict.failing, [BLIND]);

    let seed = detections::builtin(Engine::Fast);
    let r = run(&seed, BLIND);
    let s = &r.scenarios[0];
    assert_eq!(s.status, Status::KnownGap);
    assert!(s.event.tp > 0);
    assert_eq!(s.silent_hosts, ["WS-QA-02", "WS-QA-04"]);
    assert!(r.verdict.failing.is_empty());
    assert_eq!(r.verdict.attacks.silent_hosts.len(), 1);
    let suites = harness::junit::suites(&r, &[]);
    let case = &suites[0].cases[0];
    assert_eq!(case.failure, None);
    let skipped = case.skipped.as_deref().expect("skipped");
    assert!(skipped.ends_with("2 of 4 infected hosts raised no alert: WS-QA-02, WS-QA-04"));
}

/// Every built-in content declares both scenarios, and its reason names the
/// hosts that stay silent.
#[test]
fn each_content_names_its_silent_hosts_in_its_known_gap() {
    let scenarios = [scenario(RESTART), scenario(BLIND)];
    for b in BUILTINS {
        let det = b.load(Engine::Fast);
        let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
        for s in &r.scenarios {
            assert_eq!(s.status, Status::KnownGap, "{}: {}", b.name, s.id);
            assert!(!s.silent_hosts.is_empty(), "{}: {}", b.name, s.id);
            let why = s.known_gap.as_deref().unwrap_or("");
            for h in &s.silent_hosts {
                assert!(why.contains(h.as_str()), "{}: {}: {h}", b.name, s.id);
            }
        }
    }
}

/// The endpoint each address of a scenario belongs to, as the hosts report it
/// (`DeviceNetworkInfo`, `Heartbeat`), by its short name; false for other rows.
fn learn_address(rec: &Record, owners: &mut BTreeMap<(String, String), String>) -> bool {
    let text = |k: &str| rec.row.get(k).and_then(Value::as_str).unwrap_or("");
    let (name, ips): (&str, Vec<String>) = match rec.table {
        Table::Heartbeat => (
            text("Computer"),
            rec.row["ComputerPrivateIPs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        ),
        Table::DeviceNetworkInfo => {
            let list: Value = serde_json::from_str(text("IPAddresses")).unwrap_or_default();
            (
                text("DeviceName"),
                list.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v["IPAddress"].as_str().map(str::to_owned))
                    .collect(),
            )
        }
        _ => return false,
    };
    let short = name.split('.').next().unwrap_or("").to_uppercase();
    for ip in ips {
        owners.insert((rec.label.scenario.clone(), ip), short.clone());
    }
    true
}

/// Scored on its perimeter rows alone, each attack's hosts that alert are the
/// endpoints whose addresses the alerting firewall and proxy rows carry in
/// `SourceIP`: the hosts the labels name, found here from the rows.
#[test]
fn a_firewall_or_proxy_alert_counts_for_the_host_its_source_address_maps_to() {
    let det = BUILTINS
        .iter()
        .find(|b| b.name == "published")
        .expect("built in")
        .load(Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    let mut scorer = Scorer::new(&det, &scenarios);
    let mut pipeline = Pipeline::new(&det);
    let mut owners = BTreeMap::new();
    let mut by_address: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in simulator::generate_all(&scenarios, &RunOptions::default()) {
        // The perimeter's rows, and the address rows that map them (benign:
        // they infect no host).
        if !learn_address(&rec, &mut owners) && rec.table != Table::CommonSecurityLog {
            continue;
        }
        scorer.observe(&rec);
        let judged = pipeline.judge(rec.row.columns()).expect("readable row");
        if rec.table == Table::CommonSecurityLog && judged.decision.alert && rec.label.malicious {
            let ip = rec.row["SourceIP"].as_str().expect("SourceIP");
            let key = (rec.label.scenario.clone(), ip.to_owned());
            let host = owners.get(&key).unwrap_or_else(|| panic!("{ip}: no host"));
            assert_eq!(host, &rec.label.host.to_uppercase(), "{ip}");
            by_address
                .entry(rec.label.scenario.clone())
                .or_default()
                .insert(host.clone());
        }
    }
    let r = scorer.finish(RunOptions::default());
    assert!(!by_address.is_empty(), "some perimeter row alerts");
    for s in r.scenarios.iter().filter(|s| s.hosts_infected > 0) {
        let mapped = by_address.get(&s.id).map_or(0, BTreeSet::len);
        assert_eq!(s.hosts_alerted, mapped as u64, "{}", s.id);
        for h in &s.silent_hosts {
            let mapped = by_address.get(&s.id);
            assert!(!mapped.is_some_and(|m| m.contains(&h.to_uppercase())));
        }
    }
}
