//! `huntlab export`'s forms: snapshots of every form of every built-in content,
//! the seed's own query reproduced, hostile values kept inside their literals,
//! IOC lists over `has_any`'s limit split and never cut, stable rule ids.

use detections::content::{builtins, load};
use detections::export::{self, export, Format, MAX_LIST};
use detections::Engine;
use kql_eval::table::{DataTable, Tables};
use serde_json::json;

#[test]
fn every_form_of_every_builtin_content_is_snapshotted() {
    for b in builtins() {
        let det = b.load(Engine::Fast);
        for format in Format::ALL {
            let files = export(&det, format).expect("every built-in exports");
            let text: String = files
                .iter()
                .map(|f| format!("==> {} <==\n{}\n", f.name, f.text))
                .collect();
            insta::assert_snapshot!(format!("export-{}-{}", b.name, format.name()), text);
        }
    }
}

/// A query declares the IOC lists its condition reads, and no other: an
/// unused list is text a rule carries for nothing (a large feed's is
/// megabytes).
#[test]
fn every_list_a_query_declares_it_reads() {
    for b in builtins() {
        let det = b.load(Engine::Fast);
        for format in Format::ALL {
            for f in export(&det, format).expect("every built-in exports") {
                for line in f
                    .text
                    .lines()
                    .filter(|l| l.trim_start().starts_with("let malicious_domains"))
                {
                    let name = line.trim_start()[4..].split(' ').next().unwrap();
                    let uses = f.text.matches(&format!("({name})")).count();
                    assert!(uses > 0, "{} declares {name} and never reads it", f.name);
                }
            }
        }
    }
}

#[test]
fn the_kql_form_of_the_seed_is_the_seed_query() {
    let det = detections::builtin(Engine::Fast);
    let files = export(&det, Format::Kql).unwrap();
    assert_eq!(files.len(), 1);
    let body: Vec<&str> = files[0]
        .text
        .lines()
        .filter(|l| !l.starts_with("//"))
        .collect();
    let seed = det.hunts[0].kql.as_deref().expect("the seed hunt's KQL");
    assert_eq!(body.join("\n"), seed);
}

#[test]
fn rule_ids_are_stable_uuids_of_the_ids_not_the_text() {
    let a = export::rule_id("nanocore-rat", "nanocore-c2-dns", "dnsevents");
    assert_eq!(
        a,
        export::rule_id("nanocore-rat", "nanocore-c2-dns", "dnsevents")
    );
    assert_ne!(
        a,
        export::rule_id("nanocore-rat-hardened", "nanocore-c2-dns", "dnsevents")
    );
    assert_ne!(
        a,
        export::rule_id("nanocore-rat", "nanocore-c2-dns", "defender")
    );
    let groups: Vec<usize> = a.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12]);
    assert_eq!(&a[14..15], "8", "version 8");
    assert!(
        matches!(&a[19..20], "8" | "9" | "a" | "b"),
        "RFC 9562 variant"
    );
    // Editing a hunt's text (its title, its condition) keeps every rule's id.
    let seed = detections::content::NANOCORE_TOML;
    let edited = seed.replace(
        "title = \"DNS lookup of a NanoCore C2 domain\"",
        "title = \"NanoCore C2 lookups\"",
    );
    assert_ne!(seed, edited);
    let ids = |text: &str| -> Vec<String> {
        let det = load(text, "t.toml", Engine::Fast).unwrap();
        export(&det, Format::Sentinel)
            .unwrap()
            .iter()
            .map(|f| f.text.lines().next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(seed), ids(&edited));
}

const HOSTILE: &str = "x\"]); DeviceEvents | take 1 // \\\" '\n''' \u{2028}: &lt; *?";

/// A content whose hunt and exclusion values are hostile strings.
fn hostile_content() -> String {
    let v = toml::Value::String(HOSTILE.to_owned()).to_string();
    format!(
        r#"id = "hostile"
title = "t"
source = "s"
description = "d"

[[hunts]]
id = "dns"
title = "t"
description = "d"
origin = "seed"
reads = ["dns"]
when = {{ field = "query_name", op = "has_any", values = [{v}] }}
exclusions = ["x"]

[[exclusions]]
id = "x"
scenario = "s"
description = "d"
seed_text = "t"
applies_to = ["dns"]
when = {{ field = "image", op = "=~", values = [{v}] }}
"#
    )
}

#[test]
fn a_hostile_value_stays_inside_its_literal_in_every_form() {
    let det = load(&hostile_content(), "hostile.toml", Engine::Fast).expect("loads");
    // KQL: the query parses as one statement, and the value it matches is
    // exactly the hostile value (a row holding it is returned, others not).
    let q = export::dnsevents_query(&det, &det.hunts[0], false, None);
    let mut tables = Tables::new();
    tables.insert(
        "DnsEvents".into(),
        DataTable::from_json_rows(&[
            json!({"TimeGenerated": "2026-05-21T00:00:00Z", "Computer": "a", "Name": HOSTILE, "IPAddresses": "", "QueryType": "A"}),
            json!({"TimeGenerated": "2026-05-21T00:00:01Z", "Computer": "b", "Name": "x", "IPAddresses": "", "QueryType": "A"}),
        ]
        .iter()
        .map(|v| v.as_object().unwrap().clone())
        .collect::<Vec<_>>()),
    );
    let rows = kql_eval::eval::run(&q, &tables)
        .expect("runs")
        .to_json_rows();
    assert_eq!(rows.len(), 1, "{q}");
    assert_eq!(rows[0]["Name"], json!(HOSTILE));
    // The Defender query parses too (it would fail on a value that broke out).
    kql_eval::eval::Query::parse(&export::defender_query(&det, &det.hunts[0], None))
        .expect("the Defender query parses");
    // YAML: every scalar holding the value reads back as the value.
    for format in [Format::Sentinel, Format::Sigma] {
        for f in export(&det, format).unwrap() {
            assert!(!f.text.contains('\u{2028}'), "{}", f.name);
            let doc: serde_json::Value = yaml_to_json(&f.text);
            let all = doc.to_string();
            assert!(doc.is_object(), "{}: {all}", f.name);
            if format == Format::Sentinel {
                assert!(doc["query"].as_str().unwrap().contains("has_any"));
            }
        }
    }
}

/// Read YAML through the toml-free route the tests have: a tiny check that the
/// document is a mapping of top-level keys, each at column 0 and unique, and
/// no line outside a block starts a new key from inside a quoted value.
fn yaml_to_json(text: &str) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    let mut current: Option<String> = None;
    let mut block = String::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('#') && !line.is_empty() {
            if let Some(k) = current.take() {
                map.insert(k, json!(block.trim_end()));
            }
            let (k, v) = line.split_once(':').expect("a top-level key");
            assert!(!map.contains_key(k), "duplicate key {k}");
            current = Some(k.to_owned());
            block = v.trim().to_owned();
            block.push('\n');
        } else {
            block.push_str(line.trim_start());
            block.push('\n');
        }
    }
    if let Some(k) = current {
        map.insert(k, json!(block.trim_end()));
    }
    serde_json::Value::Object(map)
}

#[test]
fn ioc_lists_over_the_has_any_limit_are_split_never_cut() {
    let det = detections::builtin(Engine::Fast);
    let iocs: Vec<detections::ioc::Ioc> = (0..MAX_LIST + 5)
        .map(|i| {
            let mut ioc = det.iocs[0].clone();
            ioc.value = format!("d{i}.example");
            ioc
        })
        .collect();
    let det = detections::content::load_with_iocs(
        detections::content::NANOCORE_TOML,
        "seed",
        Engine::Fast,
        iocs,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let q = export::dnsevents_query(&det, &det.hunts[0], false, None);
    assert!(q.contains("let malicious_domains_1 = dynamic(["));
    assert!(q.contains("let malicious_domains_2 = dynamic(["));
    assert!(q.contains("Name has_any (malicious_domains_1) or Name has_any (malicious_domains_2)"));
    let last = format!("d{}.example", MAX_LIST + 4);
    let mut tables = Tables::new();
    let rows: Vec<_> = ["d0.example", &last, "nope.example"]
        .iter()
        .map(|n| json!({"TimeGenerated": "2026-05-21T00:00:00Z", "Computer": "a", "Name": n, "IPAddresses": "", "QueryType": "A"}).as_object().unwrap().clone())
        .collect();
    tables.insert("DnsEvents".into(), DataTable::from_json_rows(&rows));
    let out = kql_eval::eval::run(&q, &tables).expect("runs within the limit");
    let names: Vec<_> = out
        .to_json_rows()
        .iter()
        .map(|r| r["Name"].clone())
        .collect();
    assert_eq!(names.len(), 2, "the first and the last IOC both match");
}

#[test]
fn the_defender_querys_command_line_normalisation_is_the_task_joins() {
    // The expression the Defender query compares command lines with (taken from
    // the export), against `normalise_command`, the engine's.
    let det = detections::builtin(Engine::Fast);
    let q = export::defender_query(&det, &det.hunts[1], None);
    let line = q
        .lines()
        .find(|l| l.starts_with("| extend task_host = tolower(DeviceName), task_command = "))
        .expect("the task join's key");
    let expr = line.split_once("task_command = ").unwrap().1;
    let inputs = [
        r#""C:\Program Files\SysTidy\nanocore.exe"   /temp  /days 7"#,
        "  a.exe\t\"/x\"\r\n ",
        r#"C:\x\A.EXE "quoted arg""#,
        "",
        "\"\"",
    ];
    let rows: Vec<String> = inputs.iter().map(|i| export::kql_string(i)).collect();
    let query = format!(
        "datatable(command_line:string)[{}]\n| extend n = {expr}\n| project n",
        rows.join(", ")
    );
    let out = kql_eval::eval::run(&query, &Tables::new()).expect("runs");
    let got: Vec<String> = out
        .to_json_rows()
        .iter()
        .map(|r| r["n"].as_str().unwrap().to_owned())
        .collect();
    let want: Vec<String> = inputs
        .iter()
        .map(|i| detections::learn::normalise_command(i))
        .collect();
    assert_eq!(got, want);
    // A rewrite with a group reference is outside the subset, not a guess.
    let e = kql_eval::eval::run(
        r#"datatable(C:string)['ab'] | extend n = replace_regex(C, '(a)', @'\1')"#,
        &Tables::new(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("refers to groups"), "{e}");
}

/// A Defender rule's `requiredDataConnectors` lists the tables its query
/// reads, and only those (not `DeviceFileCertificateInfo` on every rule).
#[test]
fn sentinel_rules_require_only_the_tables_their_query_reads() {
    for b in detections::content::builtins() {
        let det = b.load(detections::Engine::Fast);
        let rules = export::export(&det, export::Format::Sentinel).expect("rules");
        for r in rules.iter().filter(|r| r.name.ends_with(".defender.yaml")) {
            let (head, query) = r.text.split_once("\nquery: ").expect("a query");
            let listed: Vec<&str> = head
                .lines()
                .skip_while(|l| !l.contains("dataTypes:"))
                .skip(1)
                .take_while(|l| l.starts_with("      - "))
                .map(|l| l.trim_start_matches("      - "))
                .collect();
            let read: Vec<&str> = export::DEFENDER_SOURCES
                .into_iter()
                .filter(|t| {
                    query
                        .lines()
                        .any(|l| l.trim() == *t || l.trim().ends_with(&format!("= {t}")))
                })
                .collect();
            assert!(!read.is_empty(), "{}: {}", b.name, r.name);
            assert_eq!(listed, read, "{}: {}", b.name, r.name);
        }
    }
}

/// The Sysmon `Event` form pivots each event's fields back into one row keyed
/// by the event itself (a digest of its host and `EventData`), so two events
/// of one host in the same instant stay two rows; `take_any`, not the
/// deprecated `any`.
#[test]
fn the_sysmon_event_form_keeps_two_events_of_one_instant_apart() {
    let det = detections::builtin(detections::Engine::Fast);
    for f in export::export(&det, export::Format::KqlSysmonEvent).expect("exports") {
        let pivot = f
            .text
            .lines()
            .find(|l| l.contains("evaluate pivot("))
            .expect("a pivot");
        assert!(
            pivot.ends_with(
                "take_any(sysmon_value), TimeGenerated, Computer, EventID, sysmon_event);"
            ),
            "{pivot}"
        );
        assert!(
            f.text.contains(
                "| extend sysmon_event = hash_sha256(strcat(Computer, \"|\", EventData))"
            ),
            "{}",
            f.text
        );
        assert!(!f.text.contains(" any("), "{}", f.text);
    }
}
