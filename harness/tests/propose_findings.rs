//! Each `warning` or `error` lint finding of an imported page names the
//! proposed scenario that tests it, and that scenario's outcome differs
//! between the literal and the hardened reading, save for the findings
//! listed below, on which the two readings cannot differ (each with why).

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, published_page as page, stderr, stdout, temp_dir};

use std::collections::BTreeMap;

use serde_json::Value;

/// Findings no scenario can tell the readings apart on, and why.
const CANNOT_DIFFER: [(&str, &str, &str); 7] = [
    (
        "sample-unknown-rat-url.md",
        "warning exclusion-unexpressed exclusion penetration-test",
        "the page gives no address of the red team's: neither reading can compile the exclusion",
    ),
    (
        "sample-flat-remcos.txt",
        "warning exclusion-unexpressed exclusion remote-support-tool-on-the-same-port",
        "the page gives no executable: neither reading can compile the exclusion",
    ),
    (
        "sample-flat-remcos.txt",
        "error exclusion-field-absent exclusion remote-support-tool-on-the-same-port",
        "the same exclusion, compiled in neither reading",
    ),
    (
        "sample-urlhaus.md",
        "error exclusion-field-absent exclusion internal-malware-lab",
        "the DNS hunt it cannot apply to never matches (an address used as a name); on the proxy rows both readings apply it",
    ),
    (
        "sample-urlhaus.md",
        "error address-as-dns-name indicator 203.0.113.9",
        "the literal URL hunt, cut to the address, alerts on every row the DNS hunt was meant to",
    ),
    (
        "sample-unknown-rat-url.md",
        "warning botnet-cc-url-clicks-only indicator http://198.51.100.80/api/keylog",
        "the C2 URLs' host is the listed address, which both readings hunt on every network row",
    ),
    (
        "sample-unknown-rat-url.md",
        "warning botnet-cc-url-clicks-only indicator http://198.51.100.80/ws/client",
        "the same: the address hunts see every row the URL would",
    ),
];

fn s(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// The `finding: scenario` lines `scenarios --propose` prints.
fn covered(text: &str) -> Vec<(String, String)> {
    text.lines()
        .skip_while(|l| !l.starts_with("lint findings"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let (f, sc) = l.trim().rsplit_once(": ")?;
            Some((f.to_owned(), sc.to_owned()))
        })
        .collect()
}

#[test]
fn every_finding_names_a_proposed_scenario_that_tells_the_readings_apart() {
    let dir = temp_dir("propose-findings");
    for name in [
        "sample-asyncrat-ip.md",
        "sample-unknown-rat-url.md",
        "sample-urlhaus.md",
        "sample-flat-remcos.txt",
    ] {
        let stem = name.rsplit_once('.').expect("an extension").0;
        let content = dir.join("content");
        huntlab(&["import", &page(name), "--out", &s(&content)]);
        let literal = s(&content.join(format!("{stem}.toml")));
        let hardened = s(&content.join(format!("{stem}.hardened.toml")));
        let scenarios = s(&dir.join(stem));
        let o = huntlab(&[
            "scenarios",
            "--propose",
            "--content",
            &literal,
            "--out",
            &scenarios,
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let pairs = covered(&stdout(&o));
        let lint = huntlab(&["lint", &literal, "--json"]);
        let serious = stdout(&lint)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|f| f["severity"] == "warning" || f["severity"] == "error")
            .count();
        assert!(serious > 0, "{name}: lint found nothing");
        assert_eq!(pairs.len(), serious, "{name}: {pairs:?}");
        let o = huntlab(&[
            "compare",
            &literal,
            &hardened,
            "--scenarios",
            &scenarios,
            "--json",
        ]);
        let v: Value = serde_json::from_str(&stdout(&o)).expect("compare --json");
        let verdicts: BTreeMap<String, String> = v["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .map(|x| {
                (
                    x["id"].as_str().unwrap_or("").to_owned(),
                    x["verdict"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        for (finding, scenario) in pairs {
            let verdict = verdicts
                .get(&scenario)
                .unwrap_or_else(|| panic!("{name}: {finding}: no scenario `{scenario}`"));
            let exempt = CANNOT_DIFFER
                .iter()
                .any(|(page, f, _)| *page == name && finding.starts_with(f));
            if exempt {
                assert_eq!(
                    verdict, "same",
                    "{name}: {finding}: now differs; drop it from CANNOT_DIFFER"
                );
            } else {
                assert_ne!(
                    verdict, "same",
                    "{name}: {finding}: {scenario} does not tell the readings apart"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
