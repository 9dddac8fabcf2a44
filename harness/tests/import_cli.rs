//! `huntlab lint` and `huntlab import` end to end: the findings per page as
//! JSON, the exit statuses (2 for an unreadable input, after the others; 1
//! for a warning or error; 0 for `info` alone), both readings written, loaded
//! by `--content FILE` in `explain` and `export`, and identical when imported
//! again.

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, published_page as page, stderr, stdout, temp_dir};

use std::path::PathBuf;

use serde_json::Value;

const SAMPLES: [&str; 7] = [
    "sample-asyncrat-ip.md",
    "sample-nanocore-hash.md",
    "sample-nanocore-mixed.md",
    "sample-unknown-rat-url.md",
    "sample-urlhaus.md",
    "sample-flat-remcos.txt",
    "nanocore-rat-hunt.txt",
];

/// `(severity, code)` of each JSON finding of an input.
fn codes(out: &str, input: &str) -> Vec<(String, String)> {
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .filter(|v| v["input"] == input)
        .map(|v| {
            (
                v["severity"].as_str().unwrap_or("").to_owned(),
                v["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn lint_json_names_each_finding_and_exits_1_on_warnings() {
    let inputs: Vec<String> = SAMPLES.iter().map(|s| page(s)).collect();
    let mut args = vec!["lint", "--json"];
    args.extend(inputs.iter().map(String::as_str));
    let o = huntlab(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let urlhaus = codes(&out, &page("sample-urlhaus.md"));
    assert!(urlhaus.contains(&("error".to_owned(), "address-as-dns-name".to_owned())));
    let asyncrat = codes(&out, &page("sample-asyncrat-ip.md"));
    assert!(asyncrat.contains(&("warning".to_owned(), "shared-range-bare".to_owned())));
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["subject"]["kind"], "indicator");
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));
    for input in &inputs {
        assert!(
            codes(&out, input).iter().any(|(_, c)| c == "no-time-bound"),
            "{input}"
        );
    }
}

#[test]
fn an_unreadable_input_exits_2_after_the_others_are_read() {
    let dir = temp_dir("lint-unreadable");
    let bad = dir.join("bad.md");
    std::fs::write(
        &bad,
        "| Type | Value | Threat Type | First Seen | Confidence |\n\
         | domain | a.example | botnet_cc | 2026-01-01 | 75% |\n\
         let d = dynamic([\"a.example\"]);\nDnsEvents\n| where Name contains \"a\"\n",
    )
    .unwrap();
    let o = huntlab(&["lint", bad.to_str().unwrap(), &page("sample-urlhaus.md")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.md: line 5: KQL block condition"), "{err}");
    assert!(
        stdout(&o).contains("sample-urlhaus.md: 7 finding(s)"),
        "{}",
        stdout(&o)
    );
    let o = huntlab(&[
        "import",
        "--out",
        dir.to_str().unwrap(),
        bad.to_str().unwrap(),
        &page("sample-urlhaus.md"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(dir.join("sample-urlhaus.toml").exists());
}

#[test]
fn info_findings_alone_exit_0() {
    let dir = temp_dir("lint-info");
    let text = std::fs::read_to_string(page("nanocore-rat-hunt.txt")).unwrap();
    let cut = text.find("Scenario:").unwrap();
    let clean = dir.join("clean.txt");
    std::fs::write(&clean, &text[..cut]).unwrap();
    let o = huntlab(&["lint", clean.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("info no-time-bound hunt domain-dns"));
}

#[test]
fn import_writes_both_readings_that_load_and_reimport_identically() {
    let dir = temp_dir("import");
    let out = dir.to_str().unwrap();
    let inputs: Vec<String> = SAMPLES.iter().map(|s| page(s)).collect();
    let mut args = vec!["import", "--out", out];
    args.extend(inputs.iter().map(String::as_str));
    let o = huntlab(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let mut first = Vec::new();
    for s in SAMPLES {
        let stem = s.rsplit_once('.').unwrap().0;
        for file in [format!("{stem}.toml"), format!("{stem}.hardened.toml")] {
            let path = dir.join(&file);
            first.push(std::fs::read(&path).unwrap_or_else(|_| panic!("{file} written")));
            // Each form writes the tables it covers: one of them takes every content.
            let exported = ["kql", "kql-defender", "kql-csl"].iter().any(|format| {
                let o = huntlab(&[
                    "export",
                    "--format",
                    format,
                    "--content",
                    path.to_str().unwrap(),
                ]);
                o.status.code() == Some(0) && !stdout(&o).is_empty()
            });
            assert!(exported, "{file} exports in no KQL form");
        }
    }
    let o = huntlab(&args);
    assert_eq!(o.status.code(), Some(1));
    let mut again = Vec::new();
    for s in SAMPLES {
        let stem = s.rsplit_once('.').unwrap().0;
        for file in [format!("{stem}.toml"), format!("{stem}.hardened.toml")] {
            again.push(std::fs::read(dir.join(&file)).unwrap());
        }
    }
    assert_eq!(first, again);
}

#[test]
fn an_imported_content_judges_rows_with_explain() {
    let dir = temp_dir("import-explain");
    let o = huntlab(&[
        "import",
        "--json",
        "--out",
        dir.to_str().unwrap(),
        &page("sample-urlhaus.md"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["written"].as_array().map(Vec::len), Some(2));
    let rows = dir.join("rows.jsonl");
    std::fs::write(
        &rows,
        "{\"Type\":\"CommonSecurityLog\",\"DeviceVendor\":\"Zscaler\",\"SourceIP\":\"10.20.1.15\",\"DestinationIP\":\"203.0.113.9\",\"DestinationPort\":47001,\"RequestURL\":\"http://203.0.113.9:47001/i\"}\n\
         {\"Type\":\"CommonSecurityLog\",\"DeviceVendor\":\"Zscaler\",\"SourceIP\":\"10.66.3.4\",\"DestinationIP\":\"203.0.113.9\",\"DestinationPort\":47001,\"RequestURL\":\"http://203.0.113.9:47001/i\"}\n",
    )
    .unwrap();
    let literal = dir.join("sample-urlhaus.toml");
    let o = huntlab(&[
        "explain",
        "--content",
        literal.to_str().unwrap(),
        rows.to_str().unwrap(),
    ]);
    let text = stdout(&o);
    assert!(text.contains("line 1: ALERT"), "{text}");
    assert!(text.contains("hunt url-proxy fired"), "{text}");
    assert!(
        text.contains("exclusion internal-malware-lab: suppressed")
            || text.contains("line 2: SUPPRESSED"),
        "{text}"
    );
    let hardened = dir.join("sample-urlhaus.hardened.toml");
    let o = huntlab(&[
        "explain",
        "--content",
        hardened.to_str().unwrap(),
        rows.to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains("hunt payload-url fired"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn report_lists_the_contents_findings_without_changing_its_exit() {
    let dir = temp_dir("import-report");
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../detections/content/nanocore.toml");
    let mut text = std::fs::read_to_string(seed).unwrap();
    text.push_str(
        "\n[[unexpressed]]\nid = \"update-agent\"\nscenario = \"Software update download\"\n\
         description = \"An update agent downloads packages.\"\n\
         seed_text = \"Exclude connections initiated by the update agent's process name.\"\n\
         field = \"image_name\"\nwhy = \"no_value\"\napplies_to = [\"dns\"]\nhunts = [\"nanocore-c2-dns\"]\n",
    );
    let content = dir.join("seed-unexpressed.toml");
    std::fs::write(&content, text).unwrap();
    let with = dir.join("with");
    let without = dir.join("without");
    let o = huntlab(&[
        "report",
        "--quiet",
        "--content",
        content.to_str().unwrap(),
        "--out",
        with.to_str().unwrap(),
    ]);
    let base = huntlab(&[
        "report",
        "--quiet",
        "--content",
        "seed",
        "--out",
        without.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), base.status.code(), "{}", stderr(&o));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(with.join("report.json")).unwrap()).unwrap();
    let lint = report["verdict"]["lint"].as_array().expect("lint findings");
    assert_eq!(lint.len(), 1);
    assert_eq!(lint[0]["code"], "exclusion-unexpressed");
    assert_eq!(lint[0]["subject"]["id"], "update-agent");
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(without.join("report.json")).unwrap())
            .unwrap();
    assert!(base["verdict"].get("lint").is_none());
}

#[test]
fn a_kql_file_and_an_analytic_rule_import_and_lint() {
    let dir = temp_dir("import-kql");
    let kql = dir.join("asyncrat.kql");
    std::fs::write(
        &kql,
        "// Source: ThreatFox - AsyncRAT\nlet malicious_ips = dynamic([\"3.0.12.40\", \"203.0.113.77\"]);\n\
         CommonSecurityLog\n| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)\n",
    )
    .unwrap();
    let rule = dir.join("urlhaus-rule.yaml");
    std::fs::write(
        &rule,
        "id: 0f1e\nname: URLhaus hosts\nquery: |\n  // Threat: malware_download\n  let malicious_domains = dynamic([\"203.0.113.9\", \"files.bad-cdn.example\"]);\n  DnsEvents\n  | where Name has_any (malicious_domains)\nseverity: Medium\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = huntlab(&[
        "import",
        "--json",
        "--out",
        out.to_str().unwrap(),
        kql.to_str().unwrap(),
        rule.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let codes = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes(&lines[0]),
        ["shared-range-bare", "firewall-source-ip", "no-time-bound"]
    );
    assert_eq!(codes(&lines[1]), ["address-as-dns-name", "no-time-bound"]);
    for file in [
        "asyncrat.toml",
        "asyncrat.hardened.toml",
        "urlhaus-rule.toml",
        "urlhaus-rule.hardened.toml",
    ] {
        let path = out.join(file);
        let o = huntlab(&["lint", path.to_str().unwrap()]);
        assert_ne!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
    }
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "query: |\n  let d = dynamic([\"a.example\"]);\n  DnsEvents\n  | where Name contains (d)\n",
    )
    .unwrap();
    let o = huntlab(&["lint", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.yaml: line 4: KQL block condition"),
        "{}",
        stderr(&o)
    );
}
