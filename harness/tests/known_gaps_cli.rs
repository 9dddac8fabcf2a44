//! A run on a folder of scenarios says which of the content's known gaps it
//! does not check (their scenarios are not in the folder), in one note.

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, stderr, temp_dir};

#[test]
fn known_gaps_of_scenarios_not_run_are_named() {
    let dir = temp_dir("known-gaps");
    let scenarios = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios).expect("folder");
    let lib = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    std::fs::copy(
        lib.join("nanocore-vbs-regasm.toml"),
        scenarios.join("nanocore-vbs-regasm.toml"),
    )
    .expect("copied");
    let o = huntlab(&[
        "report",
        "--content",
        "seed",
        "--scenarios",
        &scenarios.display().to_string(),
        "--out",
        &dir.join("report").display().to_string(),
        "--quiet",
    ]);
    let err = stderr(&o);
    let notes: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("not in this run"))
        .collect();
    assert_eq!(notes.len(), 1, "{err}");
    assert!(
        notes[0].contains("adversarial-backup-path") && notes[0].contains("not checked"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
