//! Shared by the CLI tests: run the binary with standard input, and a temporary
//! folder removed on drop.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_huntlab");

/// Run `huntlab ARGS` with `stdin` on its standard input.
pub fn run_with_stdin(args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("huntlab runs");
    // A command that ends before reading its input (a content refused before
    // any row) closes the pipe: not the test's failure.
    match child.stdin.take().expect("stdin").write_all(stdin.as_ref()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {e}"),
        _ => {}
    }
    child.wait_with_output().expect("huntlab ends")
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary folder removed on drop.
pub struct Dir(pub PathBuf);

impl Dir {
    /// A new empty folder named after `tag` and this process.
    pub fn new(tag: &str) -> Self {
        let d = std::env::temp_dir().join(format!("huntlab-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("temp dir");
        Dir(d)
    }

    /// Write `text` to a file in it; its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write");
        p
    }
}

/// A new folder holding the built-in library's telemetry, one JSON Lines file
/// per table, as `huntlab simulate --quiet --out DIR` writes it.
pub fn simulated(tag: &str) -> Dir {
    let dir = Dir::new(tag);
    let sim = Command::new(BIN)
        .args(["simulate", "--quiet", "--out"])
        .arg(&dir.0)
        .output()
        .expect("simulate runs");
    assert!(sim.status.success(), "{}", stderr(&sim));
    dir
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The counts of a scan's summary line.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub read: u64,
    pub scored: u64,
    pub rejected: u64,
    pub blank: u64,
}

/// Read `huntlab: scan: R row(s) read = S scored + J rejected, and B blank`,
/// and check the invariant.
pub fn summary(err: &str) -> Summary {
    let line = err
        .lines()
        .find(|l| l.starts_with("huntlab: scan: "))
        .unwrap_or_else(|| panic!("no summary in {err}"));
    let n: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .map(|s| s.parse().expect("number"))
        .collect();
    let s = Summary {
        read: n[0],
        scored: n[1],
        rejected: n[2],
        blank: n[3],
    };
    assert_eq!(s.read, s.scored + s.rejected, "{line}");
    s
}
