//! A row too long to read (over `--max-line`) is rejected, not judged; where
//! its raw bytes hold an indicator of the content in use (a padded C2 lookup),
//! the rejection names the indicator and the summary counts it as a possible
//! miss. Rows read = rows scored + rows rejected still holds. The file is made
//! here, at run time.

#[path = "support/spawn.rs"]
mod spawn;

use std::path::Path;
use std::process::{Command, Output};

use spawn::{stderr, summary, Dir, BIN};

/// A DnsEvents row for `name`, padded with `pad` bytes before the name (so the
/// name lies far past the limit).
fn dns(name: &str, pad: usize) -> String {
    serde_json::json!({
        "Type": "DnsEvents",
        "Computer": "dc01",
        "Padding": "A".repeat(pad),
        "Name": name,
        "QueryType": 1,
    })
    .to_string()
}

/// A benign row, a 2 MB+ padded row naming the seed's C2 domain (in another
/// case), and a 2 MB+ padded row naming none.
fn padded_file(dir: &Dir) -> std::path::PathBuf {
    let text = [
        dns("www.example.com", 0),
        dns("a.EstaliaX.io", 2 << 20),
        dns("www.example.org", 2 << 20),
    ]
    .join("\n");
    dir.file("padded.jsonl", &text)
}

fn run(args: &[&str], file: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg(file)
        .output()
        .expect("huntlab runs")
}

#[test]
fn scan_names_the_indicator_of_a_padded_row_and_counts_a_possible_miss() {
    let dir = Dir::new("possible-miss-scan");
    let file = padded_file(&dir);
    let out = run(&["scan", "--quiet", "--max-line", "4096"], &file);
    let err = stderr(&out);
    let s = summary(&err);
    assert_eq!((s.read, s.scored, s.rejected), (3, 1, 2), "{err}");
    let named: Vec<&str> = err.lines().filter(|l| l.contains("rejected: ")).collect();
    assert_eq!(named.len(), 2, "{err}");
    assert!(
        named[0].contains("line 2: line is ")
            && named[0].contains("longer than the 4096-byte limit, and holds indicator \"estaliax.io\": a possible miss"),
        "{err}"
    );
    assert!(
        named[1].contains("line 3: ") && !named[1].contains("indicator"),
        "{err}"
    );
    assert!(
        err.contains("huntlab: scan: warning: 1 possible miss(es)"),
        "{err}"
    );
    // A rejected row already makes the scan not clean: exit 1, 2 with --strict.
    assert_eq!(out.status.code(), Some(1), "{err}");
    let strict = run(
        &["scan", "--quiet", "--strict", "--max-line", "4096"],
        &file,
    );
    assert_eq!(strict.status.code(), Some(2), "{}", stderr(&strict));
}

#[test]
fn explain_json_marks_the_padded_row_as_a_possible_miss() {
    let dir = Dir::new("possible-miss-explain");
    let file = padded_file(&dir);
    let out = run(&["explain", "--json", "--max-line", "4096"], &file);
    let err = stderr(&out);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[1]["line"], 2);
    assert_eq!(rows[1]["possible_miss"], true, "{}", rows[1]);
    assert_eq!(rows[1]["indicator"], "estaliax.io", "{}", rows[1]);
    assert!(rows[1]["error"]
        .as_str()
        .is_some_and(|e| e.contains("holds indicator \"estaliax.io\"")));
    assert_eq!(rows[2]["line"], 3);
    assert!(rows[2].get("possible_miss").is_none(), "{}", rows[2]);
    assert!(err.contains("warning: 1 possible miss(es)"), "{err}");
    assert!(err.contains("2 rejected"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
}

#[test]
fn a_feed_indicator_is_looked_for_too() {
    let dir = Dir::new("possible-miss-feed");
    let feed = dir.file("feed.txt", "padded-c2.example.net\n");
    let text = dns("x.padded-c2.example.net", 3 << 20);
    let file = dir.file("padded.jsonl", &text);
    let out = Command::new(BIN)
        .args(["scan", "--quiet", "--max-line", "65536", "--iocs"])
        .arg(&feed)
        .arg(&file)
        .output()
        .expect("runs");
    let err = stderr(&out);
    assert!(
        err.contains("holds indicator \"padded-c2.example.net\""),
        "{err}"
    );
    assert!(err.contains("1 possible miss(es)"), "{err}");
}
