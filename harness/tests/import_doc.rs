//! `docs/import.md`'s worked sample (import, lint, explain, proposed
//! scenarios, report, compare, export) is the commands' real output: this test
//! runs them and compares (`HUNTLAB_BLESS=1` rewrites the section).

use std::path::{Path, PathBuf};
use std::process::Command;

const BEGIN: &str = "<!-- generated: begin -->\n";
const END: &str = "<!-- generated: end -->";

const ROWS: &str = "{\"Type\":\"CommonSecurityLog\",\"DeviceVendor\":\"Zscaler\",\"SourceIP\":\"10.20.1.15\",\"DestinationIP\":\"203.0.113.9\",\"DestinationPort\":47001,\"RequestURL\":\"http://203.0.113.9:47001/i\"}\n\
{\"Type\":\"CommonSecurityLog\",\"DeviceVendor\":\"Zscaler\",\"SourceIP\":\"10.20.1.15\",\"DestinationIP\":\"203.0.113.9\",\"DestinationPort\":47001,\"RequestURL\":\"http://203.0.113.9:47001/favicon.ico\"}\n";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Run `huntlab` in `dir`: the section's text for the command and its output.
fn run(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("huntlab runs");
    format!(
        "```sh\n$ huntlab {}\n```\n\n```text\n{}```\n\nExit status {}.\n\n",
        args.join(" "),
        String::from_utf8_lossy(&o.stdout),
        o.status.code().unwrap_or(-1)
    )
}

#[test]
fn the_worked_sample_is_the_commands_output() {
    let dir = std::env::temp_dir().join(format!("huntlab-import-doc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = root().join("detections/tests/fixtures/published/sample-urlhaus.md");
    std::fs::copy(page, dir.join("sample-urlhaus.md")).expect("copied");
    std::fs::write(dir.join("rows.jsonl"), ROWS).expect("rows written");
    let mut section = String::new();
    section += &run(&dir, &["import", "sample-urlhaus.md", "--out", "out"]);
    section += &format!("`rows.jsonl`:\n\n```json\n{ROWS}```\n\n");
    for content in [
        "out/sample-urlhaus.toml",
        "out/sample-urlhaus.hardened.toml",
    ] {
        section += &run(&dir, &["lint", content]);
        section += &run(&dir, &["explain", "--content", content, "rows.jsonl"]);
    }
    section += &run(
        &dir,
        &[
            "scenarios",
            "--propose",
            "--content",
            "out/sample-urlhaus.toml",
            "--out",
            "scenarios",
        ],
    );
    section += &run(
        &dir,
        &[
            "report",
            "--content",
            "out/sample-urlhaus.hardened.toml",
            "--scenarios",
            "scenarios",
            "--out",
            "report",
        ],
    );
    section += &run(
        &dir,
        &[
            "compare",
            "out/sample-urlhaus.toml",
            "out/sample-urlhaus.hardened.toml",
            "--scenarios",
            "scenarios",
        ],
    );
    section += &run(
        &dir,
        &[
            "export",
            "--format",
            "kql-csl",
            "--content",
            "out/sample-urlhaus.hardened.toml",
        ],
    );
    let path = root().join("docs/import.md");
    let text = std::fs::read_to_string(&path).expect("docs/import.md");
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text.find(END).expect("end marker");
    let want = format!("{}{section}{}", &text[..start], &text[end..]);
    if std::env::var_os("HUNTLAB_BLESS").is_some() {
        std::fs::write(&path, want).expect("docs/import.md written");
    } else {
        assert!(
            text == want,
            "docs/import.md's worked sample is stale: run HUNTLAB_BLESS=1 cargo test -p harness --test import_doc"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
