//! The hostile-input corpus for CSV telemetry and IOC feeds, end to end: a CSV
//! export with formula cells, a stray quote, NUL bytes, invalid UTF-8 and short
//! records; a ThreatFox CSV whose values carry quotes, backslashes, line
//! breaks and script; and a feed of 10^6 domains, made here at run time.

#[path = "support/spawn.rs"]
mod spawn;

use std::io::Write;
use std::process::{Command, Output};

use spawn::{stderr, summary, Dir, BIN};

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("huntlab runs")
}

/// `R row(s) read = S scored + J rejected`: the counts, the invariant checked.
fn counts(err: &str) -> (u64, u64, u64) {
    let s = summary(err);
    (s.read, s.scored, s.rejected)
}

#[test]
fn a_hostile_csv_export_is_read_row_by_row_with_each_rejection_named() {
    let dir = Dir::new("hostile-csv");
    let mut b = b"\xEF\xBB\xBFTimeGenerated [UTC],Computer,Name,Type\r\n".to_vec();
    b.extend(b"2026-05-21T10:00:00Z,=cmd|' /C calc'!A0,a.estaliax.io,DnsEvents\r\n"); // 2
    b.extend(b"2026-05-21T10:00:01Z,\"+SUM(1),\"\"x\"\"\",b.estaliax.io,DnsEvents\r\n"); // 3
    b.extend(b"2026-05-21T10:00:02Z,h,a\x00b.estaliax.io,DnsEvents\n"); // 4: NUL, kept as data
    b.extend(b"2026-05-21T10:00:03Z,h,\xff\xfe.estaliax.io,DnsEvents\n"); // 5: invalid UTF-8
    b.extend(b"2026-05-21T10:00:04Z,h,c.estaliax.io\n"); // 6: short record
    b.extend(b"\n"); // 7: blank
    b.extend(b"2026-05-21T10:00:05Z,h,d.estaliax.io,DnsEvents,extra\n"); // 8: long record
    b.extend(b"2026-05-21T10:00:06Z,h,\"e.estaliax.io,DnsEvents\n"); // 9: a stray quote to the end
    b.extend(b"2026-05-21T10:00:07Z,h,f.estaliax.io,DnsEvents\n");
    let path = dir.0.join("export.csv");
    std::fs::write(&path, &b).expect("write");
    let out = run(&[
        "scan",
        "--quiet",
        "--output",
        "csv",
        &path.display().to_string(),
    ]);
    let err = stderr(&out);
    // The stray quote makes the rest of the file one field: line 9's record
    // holds line 10, and has three fields.
    assert_eq!(counts(&err), (7, 3, 4), "{err}");
    for (line, why) in [
        (5, "invalid UTF-8 in field 3"),
        (6, "3 fields where the header has 4 columns"),
        (8, "5 fields where the header has 4 columns"),
        (9, "3 fields where the header has 4 columns"),
    ] {
        assert!(
            err.contains(&format!("export.csv: line {line}: {why}")),
            "{line}: {err}"
        );
    }
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains(",'=cmd|' /C calc'!A0,"), "{text}");
    assert!(text.contains(",\"'+SUM(1),\"\"x\"\"\","), "{text}");
}

#[test]
fn feed_values_with_quotes_line_breaks_and_script_are_rejected_by_line() {
    let dir = Dir::new("hostile-threatfox");
    let header =
        "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"malware_printable\"\n";
    let rows = [
        r#""2026-05-21 06:46:49", "1", "estaliax.io", "domain", "<script>alert(1)</script>""#,
        r#""2026-05-21 06:46:49", "2", "a""b.io", "domain", "x""#,
        "\"2026-05-21 06:46:49\", \"3\", \"back\\\\slash.io\", \"domain\", \"x\"",
        "\"2026-05-21 06:46:49\", \"4\", \"line\nbreak.io\", \"domain\", \"x\"",
        r#""2026-05-21 06:46:49", "5", "it's.io", "domain", "x""#,
        r#""2026-05-21 06:46:49", "6", "\"]);</script>.io", "domain", "x""#,
        r#""2026-05-21 06:46:49", "7", "a.io | where 1 == 1", "domain", "x""#,
        r#""2026-05-21 06:46:49", "8", "{{ a: *b }}.io", "domain", "x""#,
        r#""2026-05-21 06:46:49", "9", "=cmd|' /C calc'!A0", "domain", "x""#,
    ];
    let text = format!("{header}{}\n", rows.join("\n"));
    let path = dir.file("threatfox.csv", &text);
    let out = run(&["iocs", "--json", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let accepted = v["accepted"].as_array().expect("accepted");
    let rejected = v["rejected"].as_array().expect("rejected");
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0]["value"], "estaliax.io");
    assert_eq!(
        accepted[0]["malware_family"], "<script>alert(1)</script>",
        "kept as data"
    );
    let lines: Vec<u64> = rejected
        .iter()
        .map(|r| r["line"].as_u64().expect("line"))
        .collect();
    // Entry 4 spans lines 5 and 6: a record is named by the line it starts on.
    assert_eq!(lines, [3, 4, 5, 7, 8, 9, 10, 11], "{rejected:#?}");
    assert_eq!(rejected[1]["value"], "back\\\\slash.io");
    assert_eq!(rejected[2]["value"], "line\nbreak.io");
}

/// A distinct label for `i`: its base-36 digits, least significant first, so
/// the names spread over the index's keys as a real feed's do (a feed whose
/// names share a prefix goes to the automaton; the matcher's tests cover it).
fn label(mut i: u32) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut s = String::new();
    for _ in 0..4 {
        s.push(char::from(digits[(i % 36) as usize]));
        i /= 36;
    }
    s + "host"
}

/// 10^6 domains: every one taken, the matcher built, the first and the last
/// found, and nothing else.
#[test]
fn a_feed_of_a_million_domains_is_read_whole_and_matched() {
    let dir = Dir::new("hostile-million");
    let feed = dir.0.join("big.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&feed).expect("create"));
    for i in 0..1_000_000u32 {
        writeln!(f, "{}.example{}.net", label(i), i % 97).expect("write");
    }
    drop(f);
    let rows = [
        format!(
            r#"{{"Type":"DnsEvents","Computer":"h","Name":"{}.example0.net"}}"#,
            label(0)
        ),
        format!(
            r#"{{"Type":"DnsEvents","Computer":"h","Name":"x.{}.EXAMPLE26.net."}}"#,
            label(999_999).to_uppercase()
        ),
        format!(
            r#"{{"Type":"DnsEvents","Computer":"h","Name":"{}.example27.net"}}"#,
            label(999_999)
        ),
        r#"{"Type":"DnsEvents","Computer":"h","Name":"a.estaliax.io"}"#.to_owned(),
    ];
    let input = dir.file("dns.jsonl", &(rows.join("\n") + "\n"));
    let out = run(&[
        "scan",
        "--quiet",
        "--json",
        "--iocs",
        &feed.display().to_string(),
        &input.display().to_string(),
    ]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "IOC feeds: 1000000 indicator(s) taken (1000000 domain), 0 entr(y/ies) left out"
        ),
        "{err}"
    );
    assert_eq!(counts(&err), (4, 4, 0));
    let hits: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let found: Vec<&str> = hits
        .iter()
        .map(|h| h["position"].as_str().expect("position"))
        .collect();
    assert_eq!(
        found,
        ["line 1", "line 2"],
        "the feed replaced the content's own domains"
    );
}
