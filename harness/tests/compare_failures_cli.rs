//! `huntlab compare` tells a declared gap closed from a failure fixed, always
//! says when the candidate still fails scenarios, and `--fail-on-failure`
//! exits 1 on them (`--fail-on-regression` keeps its meaning).

use serde_json::Value;

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, stderr, stdout, temp_dir};

/// The seed content without its known gap for `adversarial-backup-path`: that
/// scenario then fails, undeclared.
fn undeclared_seed() -> String {
    let src = detections::content::NANOCORE_TOML;
    let start = src
        .find("[[known_gaps]]\nscenario = \"adversarial-backup-path\"")
        .expect("the seed declares the gap");
    let len = src[start + 1..]
        .find("[[known_gaps]]")
        .expect("another gap follows")
        + 1;
    format!("{}{}", &src[..start], &src[start + len..])
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key}: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_failure_fixed_is_not_a_declared_gap_closed() {
    let dir = temp_dir("compare-failures");
    let file = dir.join("undeclared.toml");
    std::fs::write(&file, undeclared_seed()).unwrap();
    let f = file.to_str().unwrap();
    // The undeclared content fails the scenario, as `report` says.
    let r = huntlab(&["report", "--content", f, "--out", dir.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    let o = huntlab(&["compare", f, "hardened", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(ids(&v, "failures_fixed"), ["adversarial-backup-path"]);
    let closed = ids(&v, "gaps_closed");
    assert_eq!(closed.len(), 8, "{closed:?}");
    assert!(!closed.contains(&"adversarial-backup-path".to_owned()));
    assert!(ids(&v, "candidate_failing").is_empty());
    let t = stdout(&huntlab(&["compare", f, "hardened"]));
    assert!(
        t.contains("failures fixed (not declared gaps in the baseline): adversarial-backup-path"),
        "{t}"
    );
    assert!(t.contains("the candidate still fails: none"), "{t}");
}

#[test]
fn the_candidate_still_failing_is_said_and_fails_with_the_flag() {
    let dir = temp_dir("compare-still-fails");
    let file = dir.join("undeclared.toml");
    std::fs::write(&file, undeclared_seed()).unwrap();
    let f = file.to_str().unwrap();
    // Seed against the undeclared seed: nothing changes but the declaration.
    let o = huntlab(&["compare", "seed", f, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(ids(&v, "candidate_failing"), ["adversarial-backup-path"]);
    let summary = v["summary"].as_str().unwrap();
    assert!(
        summary.ends_with("; the candidate still fails 1 scenario(s)"),
        "{summary}"
    );
    let t = stdout(&huntlab(&["compare", "seed", f, "--format", "md"]));
    assert!(
        t.contains("- the candidate still fails: adversarial-backup-path\n"),
        "{t}"
    );
    // `--fail-on-failure` exits 1 and names the scenario.
    let o = huntlab(&["compare", "seed", f, "--fail-on-failure"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("the candidate fails 1 scenario(s): adversarial-backup-path"),
        "{}",
        stderr(&o)
    );
    // `--fail-on-regression` alone keeps its meaning: no figure got worse.
    let o = huntlab(&["compare", "seed", f, "--fail-on-regression"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A candidate that fails nothing passes the flag.
    let o = huntlab(&["compare", f, "hardened", "--fail-on-failure"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
