//! `huntlab report` end to end: with no scenario arguments it runs the built-in
//! library, prints the table and writes the three files.

use std::process::{Command, Output};

use serde_json::Value;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("huntlab-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn report_prints_the_table_and_writes_three_files() {
    let out = temp_dir("report");
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--out"])
        .arg(&out)
        .output()
        .expect("huntlab runs");
    let stdout = String::from_utf8(run.stdout).expect("utf-8");
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("scenario"), "{stdout}");
    assert!(
        stdout.contains("scenarios: 27 met, 0 failed, 18 known gaps"),
        "{stdout}"
    );
    // The verdict comes first, and names what the seed content misses.
    let verdict = stdout.find("Verdict").expect("a verdict");
    assert!(verdict < stdout.find("Scenarios").expect("a scenarios table"));
    assert!(stdout.contains("missed:") && stdout.contains("adversarial-backup-path"));
    assert!(
        !stdout.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );

    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("report.json")).expect("report.json"),
    )
    .expect("valid JSON");
    for k in ["precision", "recall", "f1"] {
        assert!(json["overall"].get(k).is_some(), "overall.{k}");
    }
    assert_eq!(json["schema_version"], 2);
    for k in [
        "attacks",
        "known_gaps",
        "false_positives",
        "harmful",
        "best_change",
    ] {
        assert!(json["verdict"].get(k).is_some(), "verdict.{k}");
    }
    let scenarios = json["scenarios"].as_array().expect("scenarios");
    assert!(scenarios.len() >= 12);
    for s in scenarios {
        for k in [
            "id",
            "kind",
            "status",
            "known_gap",
            "tp",
            "fp",
            "fn",
            "tn",
            "precision",
            "recall",
        ] {
            assert!(s.get(k).is_some(), "scenario {k}: {s}");
        }
    }
    for x in json["exclusions"].as_array().expect("exclusions") {
        for k in [
            "id",
            "benign_suppressed",
            "malicious_hidden",
            "by_hunt",
            "inert_branches",
        ] {
            assert!(x.get(k).is_some(), "exclusion {k}");
        }
    }
    let md = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(md.starts_with("# Detection quality"));
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(html.contains("<svg"));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn bad_arguments_and_bad_scenario_folders_are_clear_errors() {
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--quiet", "--scale", "0"])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--scale must be a positive number"));
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--quiet", "--scale", "1e9"])
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--scale must be at most 1000"));

    let dir = temp_dir("badscen");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("broken.toml"), "id = \"x\"\nkind = \"sideways\"\n").expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--quiet", "--scenarios"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("broken.toml"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Run `huntlab report --quiet` on one built-in scenario file changed by
/// `edit`, with `content` as the content file when given.
fn report_on(name: &str, file: &str, edit: (&str, &str), content: Option<String>) -> Output {
    let dir = temp_dir(name);
    std::fs::create_dir_all(dir.join("scenarios")).expect("mkdir");
    let (_, src) = simulator::BUILTIN
        .iter()
        .find(|(n, _)| n.ends_with(file))
        .expect("built-in scenario");
    let changed = src.replace(edit.0, edit.1);
    std::fs::write(dir.join("scenarios/s.toml"), changed).expect("write");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huntlab"));
    cmd.args(["report", "--quiet", "--out"])
        .arg(dir.join("out"))
        .arg("--scenarios")
        .arg(dir.join("scenarios"));
    if let Some(text) = content {
        let path = dir.join("content.toml");
        std::fs::write(&path, text).expect("write content");
        cmd.arg("--content").arg(path);
    }
    let run = cmd.output().expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    run
}

#[test]
fn a_failed_expectation_is_named_even_when_quiet() {
    // The has-collision background scenario, with a content that no longer
    // declares its known gap: the alerts it leaves now fail the run.
    let content = detections::content::NANOCORE_TOML.replace(
        "scenario = \"background-has-collisions\"",
        "scenario = \"adversarial-clearcache\"",
    );
    let run = report_on(
        "failexp4",
        "background-has-collisions.toml",
        ("", ""),
        Some(content),
    );
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("expectation failed: background-has-collisions: expected no alert"),
        "{err}"
    );
}

#[test]
fn a_known_gap_that_closed_fails_the_run_until_it_is_removed() {
    // The backup job meets its expectation; a content that calls it a known gap
    // is stale.
    let with_gap = |name: &str, scenario: &str| {
        let content = format!(
            "{}\n[[known_gaps]]\nscenario = \"{scenario}\"\nwhy = \"a reason\"\n",
            detections::content::NANOCORE_TOML
        );
        report_on(name, "benign-backup-job.toml", ("", ""), Some(content))
    };
    let run = with_gap("gapclosed", "benign-backup-job");
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("known gap closed: benign-backup-job")
            && err.contains("remove the known gap for benign-backup-job from ")
            && err.contains("content.toml"),
        "{err}"
    );
    // A known gap naming no scenario is a problem of the library.
    let run = with_gap("gapunknown", "no-such-scenario");
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("known_gaps: unknown scenario `no-such-scenario`"),
        "{err}"
    );
}

#[test]
fn a_report_is_the_same_on_any_number_of_threads() {
    let files = ["report.json", "report.md", "report.html", "comparison.json"];
    let mut runs = Vec::new();
    for threads in ["1", "2", "3"] {
        // One folder for every run: standard output names it.
        let out = temp_dir("threads");
        let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
            .args(["report", "--scale", "2", "--threads", threads, "--out"])
            .arg(&out)
            .output()
            .expect("huntlab runs");
        assert_eq!(run.status.code(), Some(0), "{threads} threads");
        let written: Vec<String> = files
            .iter()
            .map(|f| std::fs::read_to_string(out.join(f)).expect(f))
            .collect();
        runs.push((run.stdout, written));
        let _ = std::fs::remove_dir_all(&out);
    }
    assert_eq!(runs[0], runs[1], "two threads");
    assert_eq!(runs[0], runs[2], "three threads");
}
