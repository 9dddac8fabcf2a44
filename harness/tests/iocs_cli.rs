//! `huntlab iocs` end to end: the JSON shape, the text lines, exit codes, the age
//! filter, forced formats, standard input, and errors that name file and line.

use std::path::PathBuf;

#[path = "support/spawn.rs"]
mod spawn;

use serde_json::Value;

fn fixture(name: &str) -> String {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../detections/tests/fixtures/feeds"
    );
    format!("{dir}/{name}")
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn huntlab(args: &[&str], stdin: &[u8]) -> Run {
    let mut all = vec!["iocs"];
    all.extend_from_slice(args);
    let out = spawn::run_with_stdin(&all, stdin);
    Run {
        stdout: String::from_utf8(out.stdout).expect("utf-8 output"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn json_run(args: &[&str]) -> (Value, Run) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let run = huntlab(&all, b"");
    let v = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (v, run)
}

fn temp(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("feed.txt");
    std::fs::write(&path, bytes).expect("write feed");
    (dir, path)
}

fn strs<'a>(v: &'a Value, key: &str) -> Vec<&'a str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().unwrap_or("<null>"))
        .collect()
}

#[test]
fn json_lists_every_accepted_indicator_once_and_every_rejection() {
    let files = [
        "threatfox.csv",
        "threatfox.json",
        "stix.json",
        "misp.json",
        "list.txt",
    ]
    .map(fixture);
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (v, run) = json_run(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        strs(&v["accepted"], "value"),
        [
            "estaliax.io",
            "duraktantuni.site",
            "http://estaliax.io/panel/gate.php",
            "185.222.58.10:9033",
            "3f1c0a2b4d5e6f708192a3b4c5d6e7f8",
            "nanocore-c2.duckdns.org",
            "0d6f0d4c8b1e2a3f4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a",
            "http://estaliax.io/gate.php",
            "http://duraktantuni.site/a.exe",
            "c2.duraktantuni.site",
            "185.222.58.11",
            "kleinsrv.ddns.net",
            "185.222.58.12",
            "185.222.58.10",
            "d41d8cd98f00b204e9800998ecf8427e",
        ]
    );
    assert_eq!(
        strs(&v["accepted"], "kind")[..5],
        ["domain", "domain", "url", "ip_port", "md5"]
    );
    assert_eq!(
        v["kinds"],
        serde_json::json!({"domain": 5, "ipv4": 3, "ip_port": 1, "url": 3, "sha256": 1, "md5": 2})
    );
    assert_eq!(
        v["files"][0]["kinds"],
        serde_json::json!({"domain": 3, "ip_port": 1, "url": 1, "md5": 1})
    );
    let first = &v["accepted"][0];
    for (key, want) in [
        ("type", serde_json::json!("domain")),
        ("written", "estaliax[.]io".into()),
        ("changes", serde_json::json!(["refanged"])),
        ("threat_type", "botnet_cc".into()),
        ("malware_family", "Nanocore RAT".into()),
        ("first_seen", "2026-05-21 06:46:49".into()),
        ("last_seen", Value::Null),
        ("confidence", 75.into()),
        ("reference", Value::Null),
        ("tags", serde_json::json!(["NanoCore", "RAT"])),
        ("id", "1510001".into()),
        ("format", "threatfox-csv".into()),
        ("line", 10.into()),
    ] {
        assert_eq!(first[key], want, "{key}");
    }
    assert!(first["file"].as_str().unwrap().ends_with("threatfox.csv"));
    let rejected = v["rejected"].as_array().unwrap();
    // URLs, addresses and hashes are accepted now: what is left is what no
    // hunt can use (a wildcard, an empty value, a truncated record, ...).
    assert_eq!(
        strs(&v["rejected"], "code"),
        [
            "wildcard",
            "empty",
            "duplicate",
            "truncated",
            "url",
            "malformed",
            "unsupported_pattern",
            "unsupported_pattern",
            "unsupported_pattern",
            "unsupported_pattern",
            "withdrawn",
            "not_for_detection",
            "duplicate",
            "wildcard",
            "duplicate"
        ]
    );
    let r = &rejected[0];
    assert!(r["file"].as_str().unwrap().ends_with("threatfox.csv"));
    assert_eq!(
        (&r["line"], &r["value"], &r["code"]),
        (&17.into(), &"*.estaliax.io".into(), &"wildcard".into())
    );
    // A JSON entry whose line is unknown is named by its path.
    let not_list = rejected.iter().find(|r| r["code"] == "malformed").unwrap();
    assert_eq!(
        (&not_list["line"], &not_list["path"]),
        (&Value::Null, &"/1510006".into())
    );
    // A hostile value is kept verbatim, JSON-escaped.
    let hostile = rejected.iter().find(|r| r["line"] == 49).unwrap();
    assert_eq!(
        hostile["value"],
        "evil.io\"]);</script><script>alert(1)//\\\n"
    );
    assert_eq!(v["left_out_by_age"], 0);
    assert_eq!(v["duplicates_merged"], 16);
    assert_eq!(
        strs(&v["files"], "format"),
        ["threatfox-csv", "threatfox-json", "stix", "misp", "list"]
    );
}

#[test]
fn text_prints_each_rejection_as_file_line_value_reason() {
    let list = fixture("list.txt");
    let run = huntlab(&[&list], b"");
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "accepted: 6 indicator(s): 3 domain, 1 ipv4, 1 url, 1 md5"
    );
    assert!(lines[1].starts_with("  estaliax.io "), "{}", lines[1]);
    assert!(lines[1].contains(" domain "), "{}", lines[1]);
    assert!(lines[1].contains("list.txt:2"), "{}", lines[1]);
    assert!(lines[1].ends_with("written \"estaliax[.]io\": refanged a defanged form"));
    assert!(lines[3].starts_with("  185.222.58.10 "), "{}", lines[3]);
    assert!(lines[3].contains(" ipv4 "), "{}", lines[3]);
    assert_eq!(lines[7], "rejected: 2 entries");
    assert_eq!(
        lines[8],
        format!("{list}:7: *.duckdns.org: a wildcard; list the domain itself (has_any already matches its subdomains)")
    );
    assert_eq!(
        lines[9],
        format!("{list}:8: ESTALIAX.IO: duplicate of the domain at line 2")
    );
    assert!(
        run.stderr.contains(
            "list.txt (plain list): 6 accepted (3 domain, 1 ipv4, 1 url, 1 md5), 2 rejected"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "1 file(s): 6 indicator(s) accepted (3 domain, 1 ipv4, 1 url, 1 md5), 2 rejected"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn terminal_control_characters_are_escaped() {
    let (_d, path) = temp(b"evil\x1b[31m.io\nok.example.org\x07\n\"]);</script>\n");
    let run = huntlab(&[path.to_str().unwrap()], b"");
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\x1b') && !run.stdout.contains('\x07'));
    assert!(
        run.stdout
            .contains(":1: evil\\u{1b}[31m.io: not a valid domain"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(":2: ok.example.org\\u{7}: not a valid domain"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(":3: \"]);</script>: not a valid URL"),
        "{}",
        run.stdout
    );
}

/// A URL keeps its path as written, so an accepted value may carry control
/// characters: the text output escapes them as it does rejected values.
#[test]
fn accepted_values_are_escaped_for_the_terminal_too() {
    let (_d, path) = temp(b"http://evil.example/a\x1b[31mb\n");
    let run = huntlab(&[path.to_str().unwrap()], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\x1b'), "{}", run.stdout);
    assert!(
        run.stdout.contains("http://evil.example/a\\u{1b}[31mb"),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_zero_when_everything_is_accepted() {
    let (_d, path) = temp(b"# clean\r\nestaliax[.]io\r\n\r\nduraktantuni.site\r\n");
    let (v, run) = json_run(&[path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        strs(&v["accepted"], "value"),
        ["estaliax.io", "duraktantuni.site"]
    );
    assert_eq!(v["rejected"], serde_json::json!([]));
    // Standard input, and a duplicate across files, are not rejections.
    let run = huntlab(&["--json", path.to_str().unwrap(), "-"], b"estaliax.io\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["duplicates_merged"], 1);
}

#[test]
fn the_age_filter_counts_what_it_leaves_out() {
    let csv = fixture("threatfox.csv");
    let (v, run) = json_run(&[&csv, "--max-ioc-age", "2", "--as-of", "2026-05-22"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        strs(&v["accepted"], "value"),
        ["estaliax.io", "duraktantuni.site"]
    );
    assert_eq!(v["left_out_by_age"], 4);
    assert_eq!(v["as_of"], "2026-05-22");
    let run = huntlab(&[&csv, "--max-ioc-age", "2", "--as-of", "2026-05-22"], b"");
    assert!(run
        .stdout
        .contains("left out by age: 4 (seen more than 2 day(s) before 2026-05-22)"));
    assert!(run.stderr.contains("4 left out by age"), "{}", run.stderr);
    let run = huntlab(&[&csv, "--as-of", "2026-05-22"], b"");
    assert_eq!(run.code, 2, "--as-of needs --max-ioc-age");
    let run = huntlab(&[&csv, "--max-ioc-age", "2", "--as-of", "22/05/2026"], b"");
    assert_eq!(run.code, 2);
}

#[test]
fn a_forced_format_is_used() {
    let csv = fixture("threatfox.csv");
    let (v, run) = json_run(&["--format", "list", &csv]);
    assert_eq!(run.code, 1);
    assert_eq!(v["accepted"], serde_json::json!([]));
    assert!(
        run.stderr.contains("no indicator for a hunt in this feed"),
        "{}",
        run.stderr
    );
    let run = huntlab(&["--format", "misp", &fixture("stix.json")], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("stix.json: not a MISP event file"),
        "{}",
        run.stderr
    );
    let run = huntlab(&["--format", "csv", &csv], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("threatfox-csv"), "{}", run.stderr);
}

#[test]
fn unreadable_feeds_are_errors_naming_file_and_line() {
    let (_d, path) = temp(b"a.example.org\nb.example.org\n\xff\xfe\xfd\n");
    let p = path.to_str().unwrap();
    let run = huntlab(&[p], b"");
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        format!("huntlab: error: {p}: invalid UTF-8 at line 3, byte 1 of the line (the first byte is byte 1); save the feed as UTF-8")
    );
    assert!(run.stdout.is_empty());
    let run = huntlab(&["/nonexistent/feed.csv"], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read /nonexistent/feed.csv"),
        "{}",
        run.stderr
    );
    let (_d, path) = temp(b"{\"1\": [{\"ioc_value\": \"a.io\"");
    let run = huntlab(&[path.to_str().unwrap()], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not valid JSON: EOF while parsing"),
        "{}",
        run.stderr
    );
    let run = huntlab(&[], b"");
    assert_eq!(run.code, 2, "a file is required");
}

#[test]
fn shared_addresses_are_flagged_with_their_provider_and_do_not_change_the_exit() {
    // Cloudflare's 104.16.0.0/13 (built in), an address and port in AWS's
    // 3.5.128.0/19 (the outermost of its nested ranges), a range overlapping it, and an address in no list.
    let (_d, path) = temp(b"104.16.1.1\n3.5.140.7:443\n3.5.0.0/16\n192.0.2.1\n");
    let feed = path.to_str().unwrap();
    let (v, run) = json_run(&[feed]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shared: Vec<&Value> = v["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["shared"])
        .collect();
    assert_eq!(
        shared[0],
        &serde_json::json!([{"provider": "Cloudflare", "range": "104.16.0.0/13"}])
    );
    assert_eq!(shared[1][0]["provider"], "Amazon AWS");
    assert_eq!(shared[1][0]["range"], "3.5.128.0/19");
    assert_eq!(shared[2][0]["provider"], "Amazon AWS");
    assert_eq!(shared[3], &serde_json::json!([]));
    assert_eq!(v["shared"], 3);
    assert_eq!(v["range_lists"].as_array().unwrap().len(), 4);
    let run = huntlab(&[feed], b"");
    assert_eq!(run.code, 0);
    let line = run.stdout.lines().nth(1).unwrap();
    assert!(line.contains("SHARED: Cloudflare 104.16.0.0/13"), "{line}");
    assert!(
        run.stderr
            .contains("3 indicator(s) lie in shared infrastructure"),
        "{}",
        run.stderr
    );
    // Without the built-in lists nothing is flagged; a list of one's own is.
    let (_l, own) = temp(b"# My CDN edge ranges\n192.0.2.0/24\n");
    let (v, _) = json_run(&[
        feed,
        "--no-builtin-ranges",
        "--ranges",
        own.to_str().unwrap(),
    ]);
    assert_eq!(v["shared"], 1);
    assert_eq!(v["accepted"][3]["shared"][0]["provider"], "My CDN edge");
    // A bad list is an error naming the file and line.
    let (_b, bad) = temp(b"# x\n10.0.0.0/8\nnot a range\n");
    let run = huntlab(&[feed, "--ranges", bad.to_str().unwrap()], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("line 3: `not a range`"),
        "{}",
        run.stderr
    );
}
