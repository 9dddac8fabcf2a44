//! `huntlab kql run` end to end: JSON Lines in, result rows out in the query's
//! column order; errors name the file and position and exit with 2; and the
//! seed's query over simulated DnsEvents returns exactly the rows the Rust
//! engine alerts on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const SEED: &str = r#"// Hunt for DNS queries to known malicious domains
// Source: ThreatFox - Nanocore RAT
let malicious_domains = dynamic(["estaliax.io", "duraktantuni.site"]);
DnsEvents
| where Name has_any (malicious_domains)
| project TimeGenerated, Computer, Name, IPAddresses, QueryType
| order by TimeGenerated desc
"#;

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

fn huntlab(args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(args)
        .output()
        .expect("huntlab runs");
    Out {
        stdout: String::from_utf8(out.stdout).expect("utf-8 output"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write a test file");
    p
}

fn jsonl(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

fn dns_rows() -> Vec<Value> {
    vec![
        json!({"TimeGenerated": "2026-05-21T08:00:00.000Z", "Computer": "dc01", "Name": "estaliax.io",
               "IPAddresses": "203.0.113.7", "QueryType": "A", "ClientIP": "10.0.0.5"}),
        json!({"TimeGenerated": "2026-05-21T08:05:00.000Z", "Computer": "dc01", "Name": "xestaliax.io",
               "IPAddresses": "", "QueryType": "A", "ClientIP": "10.0.0.6"}),
        json!({"TimeGenerated": "2026-05-21T08:10:00.000Z", "Computer": "dc02", "Name": "a.DURAKTANTUNI.site.",
               "IPAddresses": "203.0.113.9", "QueryType": "AAAA", "ClientIP": "10.0.0.7"}),
    ]
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// `huntlab kql run` on `query` over these tables (name, JSON Lines text), all
/// written to a temporary folder as `q.kql` and `NAME.jsonl`.
fn kql(query: &str, tables: &[(&str, &str)], json: bool) -> Out {
    let dir = tempfile::tempdir().unwrap();
    let q = write(dir.path(), "q.kql", query);
    let mut args = vec!["kql".to_owned(), "run".to_owned(), q.display().to_string()];
    for (name, text) in tables {
        let p = write(dir.path(), &format!("{name}.jsonl"), text);
        args.push("--table".into());
        args.push(format!("{name}={}", p.display()));
    }
    if json {
        args.push("--json".into());
    }
    huntlab(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn seed_query_as_json_lines() {
    let out = kql(SEED, &[("DnsEvents", &jsonl(&dns_rows()))], true);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    // Columns in project order, rows newest first.
    assert!(lines[0].starts_with(r#"{"TimeGenerated":"2026-05-21T08:10:00.000Z","Computer":"dc02","Name":"a.DURAKTANTUNI.site.","IPAddresses""#), "{}", lines[0]);
    assert_eq!(
        json_lines(&out.stdout)[1],
        json!({"TimeGenerated": "2026-05-21T08:00:00.000Z", "Computer": "dc01", "Name": "estaliax.io",
               "IPAddresses": "203.0.113.7", "QueryType": "A"})
    );
}

#[test]
fn ago_reads_the_time_given_by_now_and_is_an_error_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let q = write(
        dir.path(),
        "q.kql",
        "DnsEvents | where TimeGenerated >= ago(22m) | project Name",
    );
    let t = write(dir.path(), "DnsEvents.jsonl", &jsonl(&dns_rows()));
    let table = format!("DnsEvents={}", t.display());
    let q = q.display().to_string();
    let args = [
        "kql",
        "run",
        q.as_str(),
        "--table",
        table.as_str(),
        "--json",
    ];
    // At 08:30, the last 22 minutes hold the lookup of 08:10 only.
    let mut at = args.to_vec();
    at.extend(["--now", "2026-05-21T08:30:00Z"]);
    let out = huntlab(&at);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        json_lines(&out.stdout),
        [json!({"Name": "a.DURAKTANTUNI.site."})]
    );
    // Without --now: an error naming the file, the position and the flag.
    let out = huntlab(&args);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("q.kql:1:36:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("huntlab kql run --now"),
        "{}",
        out.stderr
    );
    // The tables as they stand at --now: a row at or after it is not there
    // yet, and the count of those left out is said.
    let all = write(dir.path(), "all.kql", "DnsEvents | project Name");
    let all = all.display().to_string();
    let out = huntlab(&[
        "kql",
        "run",
        all.as_str(),
        "--table",
        table.as_str(),
        "--json",
        "--now",
        "2026-05-21T08:05:00Z",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json_lines(&out.stdout), [json!({"Name": "estaliax.io"})]);
    assert!(
        out.stderr
            .contains("2 row(s) of DnsEvents are at or after --now and were left out"),
        "{}",
        out.stderr
    );
    // A --now that is not a time.
    let mut bad = args.to_vec();
    bad.extend(["--now", "yesterday"]);
    let out = huntlab(&bad);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--now \"yesterday\""), "{}", out.stderr);
}

#[test]
fn the_query_may_come_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "DnsEvents.jsonl", &jsonl(&dns_rows()));
    let table = format!("DnsEvents={}", t.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(["kql", "run", "-", "--table", table.as_str(), "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"DnsEvents | where Name has 'estaliax.io' | project Computer")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json_lines(&String::from_utf8_lossy(&out.stdout)),
        [json!({"Computer": "dc01"})]
    );
    // A query given as text where a file is expected: the error says what to give.
    let out = huntlab(&["kql", "run", "DnsEvents | take 1"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("give a file holding the query, or -"),
        "{}",
        out.stderr
    );
}

#[test]
fn text_table_by_default() {
    let query = "DnsEvents | where Name has 'estaliax.io' | project Name, Computer";
    let out = kql(query, &[("DnsEvents", &jsonl(&dns_rows()))], false);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "Name         Computer");
    assert_eq!(lines[2], "estaliax.io  dc01");
    assert_eq!(lines.last(), Some(&"(1 row)"));
}

#[test]
fn watchlist_from_a_table_file() {
    let query =
        "DnsEvents | where Name has_any (_GetWatchlist('iocs') | project SearchKey) | project Name";
    let tables = [
        ("DnsEvents", jsonl(&dns_rows())),
        (
            "iocs",
            "{\"SearchKey\": \"duraktantuni.site\"}\n\n".to_owned(),
        ),
    ];
    let tables: Vec<(&str, &str)> = tables.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let out = kql(query, &tables, true);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        json_lines(&out.stdout),
        [json!({"Name": "a.DURAKTANTUNI.site."})]
    );
}

#[test]
fn errors_name_file_and_position_and_exit_2() {
    let dns = jsonl(&dns_rows());
    let cases: &[(&str, &str, &str)] = &[
        (
            "DnsEvents\n| mv-expand IPAddresses",
            &dns,
            "q.kql:2:3: `mv-expand` is not supported",
        ),
        (
            "DnsEvents\n| join (DnsEvents) on Name",
            &dns,
            "q.kql:2:3: `join without kind=`",
        ),
        (
            "DnsEvents | evaluate bag_unpack(x)",
            &dns,
            "q.kql:1:13: `evaluate`",
        ),
        (
            "Missing | take 1",
            &dns,
            "q.kql:1:1: unknown table `Missing` (tables given: DnsEvents)",
        ),
        (
            "DnsEvents | where Nmae has 'a'",
            &dns,
            "q.kql:1:19: unknown column or name `Nmae`",
        ),
        (
            "DnsEvents | take 1",
            "{\"Name\": \"a\"}\n[1]\n",
            "DnsEvents.jsonl:2: not a JSON object",
        ),
        (
            "DnsEvents | take 1",
            "{\"Name\": \"a\"}\n{\n",
            "DnsEvents.jsonl:2: invalid JSON",
        ),
    ];
    for (query, table, want) in cases {
        let out = kql(query, &[("DnsEvents", table)], false);
        assert_eq!(out.code, 2, "{query}: {}", out.stderr);
        assert!(out.stderr.contains(want), "{query}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let dir = tempfile::tempdir().unwrap();
    let q = write(dir.path(), "q.kql", "DnsEvents | take 1");
    let out = huntlab(&["kql", "run", q.to_str().unwrap(), "--table", "DnsEvents"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("expected NAME=FILE"), "{}", out.stderr);
    let out = huntlab(&["kql", "run", "no-such.kql"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot read query file no-such.kql"),
        "{}",
        out.stderr
    );
}

/// The export's claim: the seed query returns exactly the DnsEvents rows the
/// Rust engine alerts on, over the simulated scenario library.
#[test]
fn seed_query_returns_what_the_engine_alerts_on() {
    let dir = tempfile::tempdir().unwrap();
    let sim = dir.path().join("sim");
    let out = huntlab(&[
        "simulate",
        "--out",
        sim.to_str().unwrap(),
        "--hours",
        "2",
        "--quiet",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dns = sim.join("DnsEvents.jsonl");
    let text = std::fs::read_to_string(&dns).unwrap();
    let rows: Vec<Value> = json_lines(&text);

    let explain = huntlab(&["explain", "--json", "--alerts", dns.to_str().unwrap()]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    let mut engine: BTreeMap<(String, String), usize> = BTreeMap::new();
    for v in json_lines(&explain.stdout) {
        let line = v["line"].as_u64().expect("a line number") as usize;
        let row = &rows[line - 1];
        let key = (row["TimeGenerated"].to_string(), row["Name"].to_string());
        *engine.entry(key).or_default() += 1;
    }

    let q = write(dir.path(), "seed.kql", SEED);
    let arg = format!("DnsEvents={}", dns.display());
    let kql = huntlab(&["kql", "run", q.to_str().unwrap(), "--table", &arg, "--json"]);
    assert_eq!(kql.code, 0, "{}", kql.stderr);
    let mut evaluator: BTreeMap<(String, String), usize> = BTreeMap::new();
    for v in json_lines(&kql.stdout) {
        let key = (v["TimeGenerated"].to_string(), v["Name"].to_string());
        *evaluator.entry(key).or_default() += 1;
    }
    assert!(!engine.is_empty(), "the simulation has alerts");
    assert_eq!(evaluator, engine);
}

/// A firewall's rows carry no `RequestURL`, a proxy's no `SourcePort`: a
/// network table's file gets every documented column, so the exported
/// `CommonSecurityLog` query runs on either alone; another table's missing
/// column is still an error.
#[test]
fn a_network_tables_documented_columns_are_there_when_its_rows_lack_them() {
    let firewall = jsonl(&[
        json!({"TimeGenerated": "2026-05-21T08:00:00Z", "DestinationIP": "198.51.100.23", "DestinationPort": 54984}),
    ]);
    let query = "CommonSecurityLog | where isempty(RequestURL) and isnull(SourcePort) | project DestinationIP";
    let out = kql(query, &[("CommonSecurityLog", &firewall)], true);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        json_lines(&out.stdout),
        [json!({"DestinationIP": "198.51.100.23"})]
    );
    let out = kql(
        "DnsEvents | project ClientIP",
        &[("DnsEvents", &jsonl(&[json!({"Name": "a"})]))],
        true,
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
}
