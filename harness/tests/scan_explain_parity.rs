//! `scan` and `explain` read and judge rows through the one reading loop, so
//! they give every row the same verdict: `scan --all --json` and `explain
//! --json` over the same input agree row for row (the rows a hunt fired on are
//! exactly scan's hits, with the same outcome, hunts, matches, exclusions and
//! join; every other row is quiet in both), and on the rows read, scored and
//! rejected. Every simulated table in a plain `cargo test`; the OTRF recordings
//! and the shared EVTX log under the opt-in of the tests that read them
//! (`HUNTLAB_OTRF_DATA`, `HUNTLAB_EVTX_DATA`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "support/spawn.rs"]
mod cli;
use cli::{simulated, stderr, summary, BIN};

/// What both commands say about a row a hunt fired on.
fn verdict(v: &Value) -> Value {
    let keys = [
        "source",
        "alert",
        "hunts",
        "suppressed_by",
        "matches",
        "exclusions",
        "process_joined",
    ];
    keys.iter().map(|k| (k.to_string(), v[k].clone())).collect()
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// Run both over `input`; check they agree. The rows hunts fired on.
fn assert_same_verdicts(input: &Path) -> usize {
    let name = input.display().to_string();
    let scan = Command::new(BIN)
        .args(["scan", "--quiet", "--all", "--json"])
        .arg(input)
        .output()
        .expect("scan runs");
    let scan_err = stderr(&scan);
    assert_ne!(scan.status.code(), Some(2), "{name}: {scan_err}");
    let explain = Command::new(BIN)
        .args(["explain", "--json"])
        .arg(input)
        .output()
        .expect("explain runs");
    let explain_err = stderr(&explain);
    assert_ne!(explain.status.code(), Some(2), "{name}: {explain_err}");

    let hits: BTreeMap<String, Value> = json_lines(&scan.stdout)
        .iter()
        .map(|h| {
            (
                h["position"].as_str().expect("position").to_owned(),
                verdict(h),
            )
        })
        .collect();
    let (mut fired, mut scored, mut rejected) = (BTreeMap::new(), 0u64, 0u64);
    for row in json_lines(&explain.stdout) {
        let (key, at) = ["line", "record", "chunk"]
            .iter()
            .find_map(|k| row[k].as_u64().map(|n| (*k, n)))
            .expect("a position");
        if row.get("error").is_some() {
            rejected += 1;
            continue;
        }
        scored += 1;
        if row["hunts"].as_array().is_some_and(|h| !h.is_empty()) {
            fired.insert(format!("{key} {at}"), verdict(&row));
        } else {
            assert_eq!(row["alert"], false, "{name}: {key} {at}");
        }
    }
    assert_eq!(fired.len(), hits.len(), "{name}: rows a hunt fired on");
    for (at, v) in &fired {
        assert_eq!(hits.get(at), Some(v), "{name}: {at}");
    }
    let s = summary(&scan_err);
    assert_eq!((s.scored, s.rejected), (scored, rejected), "{name}");
    assert_eq!(
        explain.status.code(),
        Some(i32::from(rejected > 0)),
        "{name}: explain fails on rejected rows only: {explain_err}"
    );
    fired.len()
}

#[test]
fn scan_and_explain_give_every_simulated_row_the_same_verdict() {
    let dir = simulated("scan-explain");
    let mut fired = 0;
    for t in simulator::Table::ALL {
        fired += assert_same_verdicts(&dir.0.join(format!("{}.jsonl", t.name())));
    }
    assert!(fired > 1000, "{fired}");
}

/// A shared data folder: its variable, else `../shared/data/<sub>` beside the
/// checkout.
fn data_dir(var: &str, sub: &str) -> PathBuf {
    let dir = std::env::var_os(var).map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/data")
                .join(sub)
        },
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "{sub} data not found at {}: set {var}",
        dir.display()
    );
    dir
}

#[test]
#[ignore = "reads ../shared/data/otrf (or HUNTLAB_OTRF_DATA)"]
fn scan_and_explain_give_every_otrf_row_the_same_verdict() {
    let dir = data_dir("HUNTLAB_OTRF_DATA", "otrf");
    for f in [
        "psh_cmstp_execution_bypassuac.jsonl",
        "schtask_modification.jsonl",
        "empire_schtasks_creation_standard_user.jsonl",
    ] {
        assert_same_verdicts(&dir.join(f));
    }
}

#[test]
#[ignore = "needs ../shared/data (HUNTLAB_EVTX_DATA, set by .ci/run)"]
fn scan_and_explain_give_every_evtx_record_the_same_verdict() {
    let dir = data_dir("HUNTLAB_EVTX_DATA", "evtx");
    assert_same_verdicts(&dir.join("sysmon.evtx"));
}
