//! `huntlab report --seeds A..B`: the library once per seed, each scenario over
//! the seeds, the failing seeds named.

use std::process::{Command, Output};

use serde_json::Value;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("huntlab-seeds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn huntlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(args)
        .output()
        .expect("huntlab runs")
}

#[test]
fn seeds_with_seed_or_a_bad_range_is_a_usage_error() {
    let run = huntlab(&["report", "--quiet", "--seeds", "1..3", "--seed", "4"]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("--seeds") && err.contains("--seed <SEED>"),
        "{err}"
    );
    for (bad, says) in [
        ("5..2", "the first seed is after the last"),
        ("1-20", "is not a range"),
        ("x..2", "is not a seed"),
    ] {
        let run = huntlab(&["report", "--quiet", "--seeds", bad]);
        assert_eq!(run.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains("--seeds") && err.contains(says),
            "{bad}: {err}"
        );
    }
}

/// `report --seeds` on one built-in scenario, with `content` as the content.
fn seeds_on(name: &str, file: &str, content: &str, seeds: &str) -> (Output, Value) {
    let dir = temp_dir(name);
    std::fs::create_dir_all(dir.join("scenarios")).expect("mkdir");
    let (_, src) = simulator::BUILTIN
        .iter()
        .find(|(n, _)| n.ends_with(file))
        .expect("built-in scenario");
    std::fs::write(dir.join("scenarios/s.toml"), src).expect("write");
    std::fs::write(dir.join("content.toml"), content).expect("write content");
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--quiet", "--seeds", seeds, "--out"])
        .arg(dir.join("out"))
        .arg("--scenarios")
        .arg(dir.join("scenarios"))
        .arg("--content")
        .arg(dir.join("content.toml"))
        .output()
        .expect("runs");
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("out/report.json")).expect("report.json"),
    )
    .expect("json");
    let _ = std::fs::remove_dir_all(&dir);
    (run, json)
}

#[test]
fn a_scenario_failing_on_its_seeds_fails_the_run_and_names_them() {
    // The has-collision background scenario, with a content that no longer
    // declares its known gap: it fails on every seed.
    let content = detections::content::NANOCORE_TOML.replace(
        "scenario = \"background-has-collisions\"",
        "scenario = \"adversarial-clearcache\"",
    );
    let (run, json) = seeds_on("fail", "background-has-collisions.toml", &content, "2..4");
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains(
            "expectation failed over seeds: background-has-collisions: failed on seeds 2, 3, 4; replay with --seed 2"
        ),
        "{err}"
    );
    // The report files are the first seed's, with the seeds section.
    assert_eq!(json["run"]["seed"], 2);
    let seeds = &json["seeds"];
    assert_eq!(
        (seeds["first"].as_u64(), seeds["last"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(
        seeds["failing"],
        serde_json::json!(["background-has-collisions"])
    );
    let s = &seeds["scenarios"][0];
    assert_eq!(s["status"], "failed");
    assert_eq!(s["failed_seeds"], serde_json::json!([2, 3, 4]));
    assert_eq!(s["replay_seed"], 2);
    assert!(s["alerts"]["min"].as_f64().unwrap_or(0.0) > 0.0, "{s}");
}

#[test]
fn the_same_seeds_give_the_same_report_and_a_met_scenario_passes() {
    let content = detections::content::NANOCORE_TOML;
    let (run, a) = seeds_on("same-a", "benign-backup-job.toml", content, "1..3");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (_, b) = seeds_on("same-b", "benign-backup-job.toml", content, "1..3");
    // (The run's scenario hash names each file's folder, which differs.)
    for key in ["seeds", "scenarios", "overall", "exclusions"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(a["seeds"]["scenarios"][0]["status"], "met");
    assert_eq!(
        a["seeds"]["scenarios"][0]["failed_seeds"],
        serde_json::json!([])
    );
    // Without `--seeds` the section is absent.
    let out = temp_dir("none");
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0));
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("report.json")).expect("report.json"),
    )
    .expect("json");
    assert!(json.get("seeds").is_none());
    let _ = std::fs::remove_dir_all(&out);
}
