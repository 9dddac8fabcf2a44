//! Attacker-chosen strings (DNS names, host names, command lines, feed fields,
//! scenario titles) carrying HTML, Markdown, CSV formulas, terminal escapes and
//! KQL or YAML metacharacters, end to end through `scan` (table, CSV, JSON
//! Lines), `explain`, `report` (HTML, Markdown, JSON, JUnit XML) and `iocs`:
//! each output escaped for its format, nothing lost.

#[path = "support/spawn.rs"]
mod spawn;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};
use spawn::{stderr, Dir, BIN};

/// Strings an attacker chooses, each able to hurt one output format.
const HOSTILE: [&str; 8] = [
    "<script>alert(1)</script>",
    "**bold** | pipe `code` [x](http://e) <b>#h</b>",
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "-2+3",
    "@SUM(1)",
    "\u{1b}[31mred\u{1b}]0;title\u{7}\u{9b}2J",
    "\"]); let x = ' `{{ yaml: &a *a }}` \\ \r\nnext",
];

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("huntlab runs")
}

/// No control character but a line feed (and no C1 control) reaches a
/// terminal.
fn assert_terminal_safe(what: &str, text: &str) {
    for (i, c) in text.chars().enumerate() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{80}'..='\u{9f}').contains(&c)),
            "{what}: control character {c:?} at char {i}: {text}"
        );
    }
}

/// Telemetry whose attacker-chosen fields carry each hostile string: a DNS
/// query name (that still names the C2 domain), the host, and a Sysmon
/// process's command line and image.
fn telemetry(dir: &Dir) -> std::path::PathBuf {
    let mut text = String::new();
    for (i, h) in HOSTILE.iter().enumerate() {
        let row = json!({"Type": "DnsEvents", "Computer": h, "Name": format!("{h}.estaliax.io")});
        text.push_str(&format!("{row}\n"));
        let guid = format!("{{0000000{i}-0000-0000-0000-000000000000}}");
        let create = json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": guid, "Image": format!("C:\\Temp\\{h}.exe"), "CommandLine": h, "ParentImage": "C:\\Windows\\explorer.exe"});
        let query = json!({"EventID": 22, "Hostname": "ws1", "ProcessGuid": guid, "Image": format!("C:\\Temp\\{h}.exe"), "QueryName": "estaliax.io"});
        text.push_str(&format!("{create}\n{query}\n"));
    }
    dir.file("hostile.jsonl", &text)
}

/// A ThreatFox JSON export whose fields other than the domain are hostile.
fn feed(dir: &Dir) -> std::path::PathBuf {
    let entry = json!({
        "ioc_value": "estaliax.io", "ioc_type": "domain",
        "threat_type": HOSTILE[2], "malware": "win.nanocore", "malware_alias": null,
        "malware_printable": HOSTILE[6], "first_seen_utc": "2026-05-21 06:46:49",
        "last_seen_utc": null, "confidence_level": 75, "reference": HOSTILE[0],
        "tags": HOSTILE[7], "anonymous": "0", "reporter": HOSTILE[1]
    });
    dir.file("threatfox.json", &json!({"1": [entry]}).to_string())
}

#[test]
fn scan_output_is_escaped_for_the_terminal_csv_and_json() {
    let dir = Dir::new("hostile-escape-scan");
    let input = telemetry(&dir);
    let iocs = feed(&dir);
    let args = |out: &'static str| -> Vec<String> {
        vec![
            "scan".into(),
            "--quiet".into(),
            "--output".into(),
            out.into(),
            "--iocs".into(),
            iocs.display().to_string(),
            input.display().to_string(),
        ]
    };
    let go = |out| {
        let a = args(out);
        let o = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(o.status.code(), Some(1), "alerts: {}", stderr(&o));
        assert!(
            stderr(&o).contains("24 row(s) read = 24 scored + 0 rejected"),
            "{}",
            stderr(&o)
        );
        o
    };

    let table = String::from_utf8(go("table").stdout).expect("utf-8");
    assert_terminal_safe("table", &table);
    assert_eq!(table.matches("ALERT").count(), 16, "{table}");

    // CSV: every cell a spreadsheet would run as a formula is neutralised.
    let csv = go("csv").stdout;
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_slice());
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.expect("the CSV reads back");
        for cell in rec.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 16);
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.contains("'=cmd|' /C calc'!A0.estaliax.io"), "{text}");
    assert!(text.contains("'+SUM(1)"), "{text}");

    // JSON Lines: every value reads back exactly.
    let jsonl = String::from_utf8(go("jsonl").stdout).expect("utf-8");
    assert_terminal_safe("jsonl", &jsonl);
    let hits: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    assert_eq!(hits.len(), 16);
    for h in HOSTILE {
        let name = format!("{h}.estaliax.io");
        assert!(
            hits.iter()
                .any(|x| x["subject"] == name.as_str() && x["host"] == h),
            "{name:?} read back"
        );
    }
    assert!(hits.iter().all(|x| x["ioc"]["reference"] == HOSTILE[0]));
}

#[test]
fn explain_output_is_escaped_for_the_terminal() {
    let dir = Dir::new("hostile-escape-explain");
    let input = telemetry(&dir);
    let o = run(&["explain", &input.display().to_string()]);
    let out = String::from_utf8(o.stdout.clone()).expect("utf-8");
    assert_terminal_safe("explain", &out);
    assert_terminal_safe("explain stderr", &stderr(&o));
    assert!(out.contains(r"\u{1b}[31mred"), "made visible: {out}");
    assert!(
        stderr(&o).contains("24 line(s): 16 alert(s)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn iocs_lists_hostile_feed_values_escaped_and_reads_them_back_exactly() {
    let dir = Dir::new("hostile-escape-iocs");
    let mut list = String::from("a.estaliax.io\n");
    for h in HOSTILE {
        // A value may not hold a line break in a list: one value a line.
        list.push_str(&h.replace(['\r', '\n'], " "));
        list.push('\n');
    }
    let path = dir.file("list.txt", &list);
    let o = run(&["iocs", &path.display().to_string()]);
    let out = String::from_utf8(o.stdout).expect("utf-8");
    assert_terminal_safe("iocs", &out);
    assert!(out.contains("rejected: 8 entries"), "{out}");
    let o = run(&["iocs", "--json", &path.display().to_string()]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let rejected: Vec<&str> = v["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| r["value"].as_str().expect("value"))
        .collect();
    let want: Vec<String> = HOSTILE
        .iter()
        .map(|h| h.replace(['\r', '\n'], " ").trim().to_owned())
        .collect();
    assert_eq!(rejected, want);
    // The only value accepted is a domain: letters, digits, `-`, `_` and dots,
    // so no metacharacter of any query or document language reaches a hunt.
    assert_eq!(v["accepted"][0]["value"], "a.estaliax.io");
    assert_eq!(v["accepted"].as_array().map(Vec::len), Some(1));
}

/// A scenario file whose title and description carry every hostile string.
fn hostile_scenario(dir: &Path) {
    let builtin = include_str!("../../scenarios/adversarial-backup-path.toml");
    let title = HOSTILE.join(" ");
    let toml_title = toml::Value::String(title).to_string();
    let mut text = String::new();
    for line in builtin.lines() {
        if line.starts_with("title = ") {
            text.push_str(&format!("title = {toml_title}\n"));
        } else if line.starts_with("hours = ") {
            text.push_str("hours = 1\n");
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("a.toml"), text).expect("write");
}

#[test]
fn report_outputs_escape_a_hostile_scenario_title() {
    let dir = Dir::new("hostile-escape-report");
    let scenarios = dir.0.join("scenarios");
    hostile_scenario(&scenarios);
    let out = dir.0.join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let junit = out.join("junit.xml");
    let o = run(&[
        "report",
        "--scenarios",
        &scenarios.display().to_string(),
        "--out",
        &out.display().to_string(),
        "--junit",
        &junit.display().to_string(),
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_terminal_safe("report table", &String::from_utf8_lossy(&o.stdout));
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    assert!(!html.contains("<script>alert"), "HTML escaped");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is shown"
    );
    assert!(!html.contains('\u{1b}'), "no raw escape in the page");
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    assert!(!md.contains("<script>") && !md.contains('\u{1b}'));
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("json"))
            .expect("report.json reads");
    assert_eq!(
        json["scenarios"][0]["title"],
        HOSTILE.join(" "),
        "read back exactly"
    );
    let xml = std::fs::read_to_string(&junit).expect("junit");
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().expect("the JUnit XML is well formed") {
            quick_xml::events::Event::Eof => break,
            _ => continue,
        }
    }
}
