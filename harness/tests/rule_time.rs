//! `report --rule-frequency --rule-lookback`: judged as a scheduled rule, a
//! run knows a task's registration only within its lookback, and the report
//! says how it judged.

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
    ] {
        let (code, _, err) = report(&dir, args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
