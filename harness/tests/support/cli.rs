//! Running the `huntlab` binary in tests: its output, and scratch folders.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Run `huntlab` with these arguments.
pub fn huntlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(args)
        .output()
        .expect("huntlab runs")
}

/// Standard output, as text.
#[allow(dead_code)]
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// Standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An empty folder of its own for a test (`name` and the process id).
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("huntlab-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// The path of a published sample page (`detections/tests/fixtures/published/`).
#[allow(dead_code)]
pub fn published_page(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../detections/tests/fixtures/published")
        .join(name)
        .display()
        .to_string()
}
