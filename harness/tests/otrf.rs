//! Real public Windows telemetry (OTRF Security-Datasets) through the field
//! mapping and `explain`. The data lives outside the project, so these tests are
//! ignored in a plain `cargo test`; `.ci/run` runs them (`--include-ignored`).
//! They read `HUNTLAB_OTRF_DATA`, or `../shared/data/otrf` beside the checkout,
//! and fail when neither exists.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use detections::fields::parse_line;
use harness::cli::explain::{explain_path, Style};

fn data_dir() -> PathBuf {
    let dir = std::env::var_os("HUNTLAB_OTRF_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/otrf"),
        PathBuf::from,
    );
    assert!(
        dir.is_dir(),
        "OTRF data not found at {}: set HUNTLAB_OTRF_DATA to the folder of the OTRF JSON Lines files",
        dir.display()
    );
    dir
}

fn sources(path: &PathBuf) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    let f = std::fs::File::open(path).expect("data file opens");
    for line in BufReader::new(f).lines() {
        let line = line.expect("utf-8 line");
        if line.trim().is_empty() {
            *counts.entry("blank".to_owned()).or_default() += 1;
            continue;
        }
        let ev = parse_line(&line).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        *counts.entry(ev.source.name().to_owned()).or_default() += 1;
    }
    counts
}

#[test]
#[ignore = "reads ../shared/data/otrf (or HUNTLAB_OTRF_DATA)"]
fn otrf_recordings_read_completely_with_the_documented_counts() {
    let dir = data_dir();
    let expect = [
        ("psh_cmstp_execution_bypassuac.jsonl", 1166, 205, 5, 0),
        ("schtask_modification.jsonl", 2658, 4, 15, 1),
        (
            "empire_schtasks_creation_standard_user.jsonl",
            1297,
            0,
            1,
            0,
        ),
    ];
    let det = detections::builtin(detections::Engine::Fast);
    for (file, lines, dns, procs, blank) in expect {
        let path = dir.join(file);
        let counts = sources(&path);
        assert_eq!(
            counts.get("Sysmon 22 (DnsQuery)").copied().unwrap_or(0),
            dns,
            "{file}: {counts:?}"
        );
        assert_eq!(
            counts.get("Sysmon 1 (ProcessCreate)").copied().unwrap_or(0),
            procs,
            "{file}: {counts:?}"
        );

        let mut out = Vec::new();
        let style = Style {
            json: true,
            ..Style::default()
        };
        let explained = explain_path(&det, Some(&path), style, &mut out).expect("explain runs");
        let t = explained.tally;
        assert_eq!(t.rows_read + t.blank, lines, "{file}");
        assert_eq!(t.blank, blank, "{file}");
        assert_eq!(t.rows_rejected, 0, "{file}");
        assert_eq!(
            (t.unjoined - t.no_process_key, t.no_process_key),
            (0, 0),
            "{file}: no hunt fired, so no row's join could change an outcome"
        );
        assert_eq!(
            t.rows_read + t.blank,
            t.alerts + t.suppressed + t.quiet + t.rows_rejected + t.blank,
            "{file}: every line accounted for"
        );
        assert_eq!(
            t.alerts, 0,
            "{file}: lab recordings hold no NanoCore indicator"
        );
        assert_eq!(
            String::from_utf8(out).expect("utf-8").lines().count() as u64,
            lines - blank
        );
    }
}

#[test]
#[ignore = "reads ../shared/data/otrf (or HUNTLAB_OTRF_DATA)"]
fn empire_schtasks_row_reads_with_its_parent() {
    let dir = data_dir();
    let path = dir.join("empire_schtasks_creation_standard_user.jsonl");
    let text = std::fs::read_to_string(path).expect("reads");
    let procs: Vec<_> = text
        .lines()
        .filter_map(|l| parse_line(l).ok())
        .filter(|e| e.source == detections::Source::SysmonProcessCreate)
        .collect();
    assert_eq!(procs.len(), 1);
    let p = procs[0].process.as_ref().expect("process");
    assert!(p
        .image
        .as_deref()
        .expect("image")
        .to_ascii_lowercase()
        .ends_with("schtasks.exe"));
    assert!(p
        .parent_image
        .as_deref()
        .expect("parent")
        .to_ascii_lowercase()
        .ends_with("powershell.exe"));
    assert!(p
        .command_line
        .as_deref()
        .expect("cmd")
        .to_ascii_lowercase()
        .contains("/create"));
}

/// Whether `name` holds `domain` on term boundaries (Kusto's `has`: the letters
/// and dots as written, no letter or digit just before or after), computed here
/// by a plain scan over every position: independent of the matcher under test.
fn holds_terms(name: &str, domain: &str) -> bool {
    let (name, domain) = (name.to_ascii_lowercase(), domain.to_ascii_lowercase());
    let term = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || !c.is_ascii());
    (0..name.len()).any(|i| {
        name.is_char_boundary(i)
            && name[i..].starts_with(&domain)
            && !term(name[..i].chars().next_back())
            && !term(name[i + domain.len()..].chars().next())
    })
}

#[test]
#[ignore = "reads ../shared/data/otrf (or HUNTLAB_OTRF_DATA)"]
fn scan_with_a_feed_finds_exactly_the_lookups_counted_independently() {
    let dir = data_dir();
    let feed_domains = ["github.com", "microsoft.com"];
    let files = [
        "psh_cmstp_execution_bypassuac.jsonl",
        "schtask_modification.jsonl",
        "empire_schtasks_creation_standard_user.jsonl",
    ];
    let mut expected = 0;
    for f in files {
        let text = std::fs::read_to_string(dir.join(f)).expect("reads");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
            let sysmon = v["Channel"].as_str().is_some_and(|c| c.contains("Sysmon"));
            let dns = v["EventID"] == 22 || v["EventID"] == "22";
            if let (true, true, Some(q)) = (sysmon, dns, v["QueryName"].as_str()) {
                expected += u64::from(feed_domains.iter().any(|d| holds_terms(q, d)));
            }
        }
    }
    assert!(expected >= 5, "the feed should find lookups: {expected}");
    let feed = std::env::temp_dir().join(format!("huntlab-otrf-feed-{}.txt", std::process::id()));
    std::fs::write(&feed, feed_domains.join("\n")).expect("feed written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["scan", "--quiet", "--all", "--json", "--iocs"])
        .arg(&feed)
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .expect("scan runs");
    let _ = std::fs::remove_file(&feed);
    let hits: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON hit"))
        .collect();
    let dns_hits = hits
        .iter()
        .filter(|h| h["source"] == "Sysmon 22 (DnsQuery)")
        .count() as u64;
    assert_eq!(dns_hits, expected, "{hits:#?}");
    assert_eq!(hits.len() as u64, expected, "no other hunt fires");
    assert!(hits
        .iter()
        .all(|h| h["subject"] != "raw.githubusercontent.com"));
}
