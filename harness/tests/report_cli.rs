//! `huntlab report` end to end: with no scenario arguments it runs the built-in
//! library, prints the table and writes the three files.

use std::process::Command;

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
    assert!(stdout.contains("expectations:"), "{stdout}");
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
    let scenarios = json["scenarios"].as_array().expect("scenarios");
    assert!(scenarios.len() >= 12);
    for s in scenarios {
        for k in ["id", "kind", "tp", "fp", "fn", "tn", "precision", "recall"] {
            assert!(s.get(k).is_some(), "scenario {k}: {s}");
        }
    }
    for x in json["exclusions"].as_array().expect("exclusions") {
        for k in ["id", "benign_suppressed", "malicious_hidden"] {
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

#[test]
fn a_failed_expectation_is_named_even_when_quiet() {
    let dir = temp_dir("failexp");
    std::fs::create_dir_all(&dir).expect("mkdir");
    // The has-collision background scenario, declared (wrongly) to match nothing.
    let (_, src) = simulator::BUILTIN
        .iter()
        .find(|(n, _)| n.ends_with("background-has-collisions.toml"))
        .expect("built-in scenario");
    let wrong = src.replace("outcome = \"alert\"", "outcome = \"no-match\"");
    assert_ne!(&wrong, src);
    std::fs::write(dir.join("s.toml"), wrong).expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["report", "--quiet", "--out"])
        .arg(dir.join("out"))
        .arg("--scenarios")
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("expectation failed: background-has-collisions: expected no hunt to fire"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
