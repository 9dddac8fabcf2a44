//! `report --rule-frequency --rule-lookback`: judged as a scheduled rule, a
//! run knows a task's registration only within its lookback, the exported
//! queries written for that rule agree run by run, and the report says how it
//! judged. `export` with the same flags writes them.

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, stderr, temp_dir};

fn report(dir: &std::path::Path, extra: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = dir.join("out");
    let mut args = vec![
        "report",
        "--quiet",
        "--content",
        "hardened",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = huntlab(&args);
    let json = std::fs::read_to_string(out.join("report.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    (o.status.code(), json, stderr(&o))
}

fn status<'a>(v: &'a serde_json::Value, id: &str) -> &'a str {
    v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .and_then(|s| s["status"].as_str())
        .unwrap_or_else(|| panic!("no {id}"))
}

#[test]
fn an_hourly_rule_with_a_short_lookback_forgets_the_backup_task_and_says_so() {
    let dir = temp_dir("rule-time");
    // Fourteen days back: every registration is in reach, as in one run.
    let (code, long, err) = report(&dir, &["--rule-frequency", "1h", "--rule-lookback", "14d"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(long["run"]["rule"]["frequency_s"], 3600);
    assert_eq!(long["run"]["rule"]["lookback_s"], 14 * 86_400);
    assert_eq!(status(&long, "benign-backup-job"), "met");
    // One hour back: the runs after the first hour no longer know the
    // "Nightly Backup" task, and the backup tool alerts.
    let (code, short, err) = report(&dir, &["--rule-frequency", "1h", "--rule-lookback", "1h"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(status(&short, "benign-backup-job"), "failed");
    assert!(
        err.contains("expectation failed: benign-backup-job"),
        "{err}"
    );
    assert!(
        short["overall"]["event"]["fp"].as_u64() > long["overall"]["event"]["fp"].as_u64(),
        "a shorter lookback adds false alerts"
    );
    // One day back: only the job whose task was registered two days before
    // the window is forgotten.
    let (code, day, err) = report(&dir, &["--rule-lookback", "1d"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(day["run"]["rule"]["frequency"], "1h");
    assert_eq!(
        status(&day, "benign-backup-job-registered-earlier"),
        "failed"
    );
    assert_eq!(status(&day, "benign-backup-job"), "met");
    assert_eq!(status(&long, "benign-backup-job-registered-earlier"), "met");
    // The exported queries, written for the same rule and run at the end of
    // each window over the rows that exist then, forget the task as the
    // engine does: the same alerts, the backup tool's among them.
    let artifact = |r: &serde_json::Value| {
        r["deployed_forms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["form"] == "kql-defender" && f["hunt"] == "nanocore-artifact")
            .cloned()
            .expect("the Defender form of nanocore-artifact")
    };
    for r in [&long, &short, &day] {
        let f = artifact(r);
        assert_eq!(f["status"], "parity", "{f}");
        assert_eq!(f["query_alerts"], f["engine_alerts"], "{f}");
        assert_eq!(f["decisions_differ"], 0, "{f}");
    }
    assert!(
        artifact(&short)["engine_alerts"].as_u64() > artifact(&long)["engine_alerts"].as_u64(),
        "the query run as an hourly rule over an hour alerts on the backup tool too"
    );
    // Without the flags: one run over all rows, and the report says so.
    let (_, plain, _) = report(&dir, &[]);
    assert!(plain["run"]["rule"].is_null());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rule_sentinel_would_refuse_is_an_error_naming_the_flag() {
    let dir = temp_dir("rule-time-bad");
    for (args, want) in [
        (&["--rule-frequency", "1m"][..], "--rule-frequency"),
        (&["--rule-lookback", "15d"][..], "--rule-lookback"),
        (
            &["--rule-frequency", "2h", "--rule-lookback", "1h"][..],
            "at least",
        ),
        (&["--rule-frequency", "1w"][..], "unit"),
        (&["--rule-frequency", "301s"][..], "whole minutes"),
        (
            &["--rule-frequency", "30m", "--rule-lookback", "3d"][..],
            "at least 1h",
        ),
    ] {
        let (code, _, err) = report(&dir, args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_writes_the_queries_and_rules_for_the_schedule() {
    let o = huntlab(&[
        "export",
        "--format",
        "sentinel",
        "--content",
        "hardened",
        "--rule-frequency",
        "1h",
        "--rule-lookback",
        "336h",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("queryFrequency: 1h\nqueryPeriod: 14d\n"),
        "{text}"
    );
    assert!(!text.contains("queryPeriod: 1h"), "{text}");
    assert!(text.contains("let query_period = 14d;"), "{text}");
    assert!(text.contains("| where Timestamp >= ago(query_frequency)"));
    assert!(text.contains("| where Timestamp >= ago(query_period)"));
    assert!(text.contains("| where TimeGenerated >= ago(query_frequency)"));
    // Without the flags, as before: an hour over an hour, no ago().
    let o = huntlab(&["export", "--format", "sentinel", "--content", "hardened"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("queryFrequency: 1h\nqueryPeriod: 1h\n"));
    assert!(!text.contains("ago("));
    // A schedule Sentinel refuses is an error naming the flag.
    let o = huntlab(&["export", "--format", "kql", "--rule-lookback", "15d"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--rule-lookback"), "{}", stderr(&o));
    // Sigma carries no schedule, and says so.
    let o = huntlab(&["export", "--format", "sigma", "--rule-frequency", "1h"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("Sigma rules carry no schedule"));
}

/// Judged as a rule, what fails says so: a replay carries the rule's flags,
/// and a known gap the rule's window closed is not simply "remove it".
#[test]
fn a_rule_runs_failures_say_how_to_replay_them_with_the_rule() {
    let dir = temp_dir("rule-time-advice");
    let out = dir.join("out");
    let o = huntlab(&[
        "report",
        "--quiet",
        "--rule-lookback",
        "1h",
        "--seeds",
        "1..2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("replay with --seed 1 --rule-frequency 1h --rule-lookback 1h"),
        "{err}"
    );
    assert!(
        err.contains("known gap closed on every seed: adversarial-cleanup-task: judged as a rule run every 1h over 1h"),
        "{err}"
    );
    assert!(err.contains("the rule's window closed it"), "{err}");
    // The comparison says which rule it was judged as.
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("comparison.json")).unwrap())
            .unwrap();
    assert_eq!(c["run"]["rule"]["lookback"], "1h", "{}", c["run"]);
    let _ = std::fs::remove_dir_all(&dir);
}
