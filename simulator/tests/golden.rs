//! A small fixed scenario and seed, snapshotted as JSON Lines: any change to a row
//! shape, a format or the random streams shows up as a diff.

const SMALL: &str = r#"id = "golden-small"
title = "Golden: a short infection on one Sysmon and one Defender host"
kind = "malicious"
description = "Install chain and the first C2 lookups, a few dozen rows."

[expect]
outcome = "alert"

[generator]
template = "nanocore-infection"
seed = 7
hosts = 2
host_prefix = "WS-GOLD"
users = ["t.tester"]
start = 2026-05-21T10:00:00Z
hours = 0.1
endpoint = "mixed"
server_dns = true
delivery = "vbs"
c2_hosts = ["estaliax.io", "Cdn.Duraktantuni.Site."]
c2_up = 0.0
ttl_seconds = 120
infect_within_minutes = 1
"#;

#[test]
fn golden_small_infection() {
    let s =
        simulator::Scenario::parse(SMALL, "golden-small.toml").unwrap_or_else(|e| panic!("{e}"));
    let opts = simulator::Options::default().with_rng_seed(42);
    let mut text = String::new();
    let mut n = 0;
    for rec in simulator::generate(&s, &opts) {
        text.push_str(&serde_json::to_string(&rec).expect("serialisable"));
        text.push('\n');
        n += 1;
    }
    assert!(
        (20..=80).contains(&n),
        "{n} rows: keep the golden file small"
    );
    insta::assert_snapshot!("golden_small_infection", text);
}
