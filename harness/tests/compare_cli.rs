//! `huntlab compare` and `--content` end to end: text, JSON and Markdown; the
//! built-in `hardened` closes gaps without new false positives; `report` shows
//! seed against hardened and its exit status follows the content it scored.

use std::process::Output;

use serde_json::Value;

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, stderr, stdout, temp_dir};

fn json_of(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("JSON")
}

/// The seed's known gaps that `hardened` closes: the attacks an exclusion hid on
/// every row (the others were still alerted by some row, so they are met), and
/// the mimics of the exclusions `hardened` pins with a digest, and the admins'
/// second NetDiag install run from PowerShell 7 (the same digest).
const CLOSED: [&str; 9] = [
    "adversarial-backup-path",
    "adversarial-cleanup-task",
    "adversarial-netdiag-decoy",
    "adversarial-renamed-studio",
    "benign-netdiag-pwsh-second-path",
    "mimic-backup-job",
    "mimic-log-cleanup",
    "mimic-name-collision",
    "mimic-network-diagnostics",
];

#[test]
fn hardened_closes_gaps_without_new_false_positives() {
    let v = json_of(&huntlab(&["compare", "seed", "hardened", "--json"]));
    assert_eq!(v["verdict"], "better", "{}", v["summary"]);
    assert_eq!(v["baseline"]["label"], "seed");
    assert_eq!(v["candidate"]["id"], "nanocore-rat-hardened");
    let closed: Vec<&str> = v["gaps_closed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(closed, CLOSED);
    assert_eq!(v["gaps_opened"].as_array().unwrap().len(), 0);
    // No new false positive; the one scenario whose false positives go is the
    // admins' second NetDiag install, pinned by its digest.
    let second = "benign-netdiag-pwsh-second-path";
    for s in v["scenarios"].as_array().unwrap() {
        if s["id"] == second {
            assert!(s["delta"]["fp"].as_i64().unwrap() < 0, "{s}");
            assert_eq!(s["candidate"]["fp"], 0, "{s}");
        } else {
            assert_eq!(s["delta"]["fp"], 0, "{}", s["id"]);
        }
        assert_ne!(s["verdict"], "worse", "{}", s["id"]);
    }
    let fewer = v["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == second)
        .map(|s| s["delta"]["fp"].as_i64().unwrap());
    assert_eq!(v["event"]["delta"]["fp"].as_i64(), fewer);
    for x in v["exclusions"].as_array().unwrap() {
        let more = if x["id"] == "network-diagnostics" {
            -fewer.unwrap()
        } else {
            0
        };
        assert_eq!(x["benign_suppressed"]["delta"], more, "{}", x["id"]);
        // software-update hides its mimic's DLL: a gap hardened declares.
        if x["id"] != "software-update" {
            assert_eq!(x["malicious_hidden"]["candidate"], 0, "{}", x["id"]);
        }
    }
}

#[test]
fn the_other_way_round_is_worse() {
    let v = json_of(&huntlab(&[
        "compare", "hardened", "seed", "--format", "json",
    ]));
    assert_eq!(v["verdict"], "worse");
    // And the seed's own software-update mimic (an MSI writing the DLL
    // anywhere), which hardened alerts on and the seed hides.
    let opened: Vec<&str> = v["gaps_opened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let mut want = CLOSED.to_vec();
    want.push("mimic-software-update");
    assert_eq!(opened, want);
}

#[test]
fn text_and_markdown_show_the_verdict_and_the_changed_scenarios() {
    let o = huntlab(&["compare", "seed", "hardened"]);
    let t = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    assert!(t.starts_with("huntlab compare: seed → hardened"), "{t}");
    assert!(
        t.contains("verdict: better: 9 gap(s) closed, 0 opened"),
        "{t}"
    );
    assert!(t.contains("\nScenarios\n"), "{t}");
    assert!(
        t.lines()
            .all(|l| l.chars().count() <= 100 || !l.contains("  ")),
        "{t}"
    );
    let md = stdout(&huntlab(&["compare", "seed", "hardened", "--format", "md"]));
    assert!(
        md.starts_with("### huntlab compare: seed → hardened"),
        "{md}"
    );
    assert!(md.contains("\n**better**: 9 gap(s) closed"), "{md}");
    assert!(
        md.contains("| adversarial-backup-path | adversarial | 0 → 72 (+72) |"),
        "{md}"
    );
}

#[test]
fn a_content_file_compares_like_the_builtin_it_copies() {
    let dir = temp_dir("cmp-file");
    let file = dir.join("candidate.toml");
    std::fs::write(&file, detections::content::HARDENED_TOML).unwrap();
    let f = file.to_str().unwrap();
    let v = json_of(&huntlab(&["compare", "seed", f, "--json"]));
    let b = json_of(&huntlab(&["compare", "seed", "hardened", "--json"]));
    assert_eq!(v["candidate"]["label"], f);
    assert_eq!(v["scenarios"], b["scenarios"]);
    assert_eq!(v["summary"], b["summary"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_content_names_and_flag_clashes_exit_2() {
    let o = huntlab(&["compare", "seed", "no-such-content"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("neither a built-in content (seed, hardened"),
        "{err}"
    );
    let o = huntlab(&["compare", "seed", "hardened", "--json", "--format", "md"]);
    assert_eq!(o.status.code(), Some(2));
    let o = huntlab(&["explain", "--content", "nope", "/dev/null"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn report_shows_seed_against_hardened_and_its_status_follows_the_content() {
    for content in ["seed", "hardened"] {
        let out = temp_dir(content);
        let o = huntlab(&[
            "report",
            "--content",
            content,
            "--out",
            out.to_str().unwrap(),
        ]);
        let t = stdout(&o);
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        let failed = report["overall"]["expectations_failed"].as_u64().unwrap();
        assert_eq!(
            o.status.code(),
            Some(i32::from(failed > 0)),
            "{content}: {t}"
        );
        let id = if content == "seed" {
            "nanocore-rat"
        } else {
            "nanocore-rat-hardened"
        };
        assert_eq!(report["detection"]["id"], id);
        assert!(t.contains("huntlab compare: seed → hardened"), "{t}");
        assert!(t.contains("comparison.json"), "{t}");
        let c: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("comparison.json")).unwrap())
                .unwrap();
        assert_eq!(c["baseline"]["label"], "seed");
        assert_eq!(c["verdict"], "better");
        let _ = std::fs::remove_dir_all(&out);
    }
}

#[test]
fn simulate_and_scenarios_take_a_content() {
    let o = huntlab(&["scenarios", "--content", "hardened", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).lines().count() >= 17);
    let out = temp_dir("cmp-sim");
    let o = huntlab(&[
        "simulate",
        "--content",
        "hardened",
        "--scenario",
        "benign-backup-job",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("labels.jsonl").is_file());
    let _ = std::fs::remove_dir_all(&out);
}

/// `report`'s comparison of a built-in pair is `compare`'s, figure for figure:
/// both score the pair on the library and the hardened reading's mimics
/// first, so a mimic whose exclusion differs between the readings is the
/// same scenario in both (it was the literal's in `report`, once).
#[test]
fn reports_comparison_is_compares() {
    for (content, literal, hardened) in [
        ("seed", "seed", "hardened"),
        ("published-hardened", "published", "published-hardened"),
    ] {
        let dir = temp_dir(&format!("report-vs-compare-{content}"));
        let o = huntlab(&[
            "report",
            "--quiet",
            "--content",
            content,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let from_report: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("comparison.json")).expect("written"),
        )
        .expect("JSON");
        let o = huntlab(&["compare", literal, hardened, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(from_report, json_of(&o), "{content}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
