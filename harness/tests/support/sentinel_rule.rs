//! What Sentinel requires of a scheduled analytic rule, as the Azure-Sentinel
//! repository's rule validation checks it
//! (`.script/tests/detectionTemplateSchemaValidation/Models/`), for
//! `export_kusto.rs`.

use serde_json::Value;

/// The tactics a rule may name, as Sentinel spells them (the Azure-Sentinel
/// repository's rule validation: `.script/tests/detectionTemplateSchemaValidation/Models/AttackTactic.cs`).
const TACTICS: [&str; 16] = [
    "InitialAccess",
    "Execution",
    "Persistence",
    "PrivilegeEscalation",
    "DefenseEvasion",
    "CredentialAccess",
    "Discovery",
    "LateralMovement",
    "Collection",
    "Exfiltration",
    "CommandAndControl",
    "Impact",
    "Reconnaissance",
    "ResourceDevelopment",
    "ImpairProcessControl",
    "InhibitResponseFunction",
];

/// The minutes of a rule's duration (`5m`, `1h`, `14d`).
fn minutes(v: &Value) -> Option<u64> {
    let s = v.as_str()?;
    let (n, unit) = s.split_at(s.len().checked_sub(1)?);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "m" => n,
        "h" => n * 60,
        "d" => n * 24 * 60,
        _ => return None,
    })
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_technique(s: &str) -> bool {
    let (main, sub) = s.split_once('.').unwrap_or((s, "000"));
    main.len() == 5
        && main.starts_with('T')
        && main[1..].bytes().all(|b| b.is_ascii_digit())
        && sub.len() == 3
        && sub.bytes().all(|b| b.is_ascii_digit())
}

/// A column name Sentinel maps an entity from: a letter or underscore, then
/// letters, digits and underscores.
fn is_column_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn non_empty_str(v: &Value, max: usize) -> bool {
    v.as_str()
        .is_some_and(|s| !s.trim().is_empty() && s.chars().count() <= max)
}

fn non_empty_list(v: &Value) -> Option<&Vec<Value>> {
    v.as_array().filter(|l| !l.is_empty())
}

/// The longest query of a scheduled analytic rule, in characters
/// (`ScheduledTemplateInternalModel.cs`, `[StringLength(10000, MinimumLength = 1)]`).
pub const QUERY_LIMIT: usize = 10_000;

/// What keeps `rule` from being a scheduled analytic rule Sentinel accepts. The fields and bounds are those of the
/// Azure-Sentinel repository's validation of a scheduled rule
/// (`.script/tests/detectionTemplateSchemaValidation/Models/`:
/// `AnalyticsTemplateInternalModelBase.cs`, `ScheduledTemplateInternalModel.cs`,
/// `ValidEntityMappingsAttribute.cs`); the 5-minute to 14-day range of the
/// frequency and period is also on Sentinel's "Scheduled analytics rules"
/// page. An entity mapping must also name a column of the query's result
/// (`columns`, from Kusto.Language).
pub fn rule_problems(rule: &Value, columns: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    let mut check = |ok: bool, what: &str| {
        if !ok {
            p.push(format!(
                "{what}: {}",
                rule.get(what.split(' ').next().unwrap_or(what))
                    .map_or("absent".to_owned(), Value::to_string)
            ));
        }
    };
    check(rule["id"].as_str().is_some_and(is_guid), "id (a GUID)");
    check(non_empty_str(&rule["name"], 256), "name");
    check(non_empty_str(&rule["description"], 5000), "description");
    check(
        ["Informational", "Low", "Medium", "High"]
            .contains(&rule["severity"].as_str().unwrap_or("")),
        "severity",
    );
    check(
        non_empty_list(&rule["requiredDataConnectors"]).is_some_and(|l| {
            l.iter().all(|c| {
                non_empty_str(&c["connectorId"], 200)
                    && non_empty_list(&c["dataTypes"])
                        .is_some_and(|t| t.iter().all(|t| non_empty_str(t, 200)))
            })
        }),
        "requiredDataConnectors",
    );
    let range = 5..=14 * 24 * 60;
    let frequency = minutes(&rule["queryFrequency"]);
    let period = minutes(&rule["queryPeriod"]);
    check(
        frequency.is_some_and(|m| range.contains(&m)),
        "queryFrequency (5m to 14d)",
    );
    check(
        period.is_some_and(|m| range.contains(&m)),
        "queryPeriod (5m to 14d)",
    );
    check(
        period >= frequency,
        "queryPeriod (not under queryFrequency)",
    );
    check(
        period.is_none_or(|p| p <= 2 * 24 * 60) || frequency.is_some_and(|f| f >= 60),
        "queryFrequency (at least 1h when queryPeriod is over 2 days)",
    );
    check(
        ["gt", "lt", "eq", "ne"].contains(&rule["triggerOperator"].as_str().unwrap_or("")),
        "triggerOperator",
    );
    check(
        rule["triggerThreshold"]
            .as_u64()
            .is_some_and(|n| n <= 10_000),
        "triggerThreshold (0 to 10000)",
    );
    check(
        non_empty_list(&rule["tactics"]).is_some_and(|l| {
            l.iter()
                .all(|t| TACTICS.contains(&t.as_str().unwrap_or("")))
        }),
        "tactics",
    );
    check(
        rule["relevantTechniques"]
            .as_array()
            .is_some_and(|l| l.iter().all(|t| t.as_str().is_some_and(is_technique))),
        "relevantTechniques",
    );
    check(
        non_empty_str(&rule["query"], QUERY_LIMIT),
        "query (1 to 10000 characters)",
    );
    check(
        rule.get("entityMappings")
            .is_none_or(|m| entity_mappings_ok(m, columns)),
        "entityMappings (1 to 5, each 1 to 3 fields, columns of the result)",
    );
    check(
        rule["version"]
            .as_str()
            .is_some_and(|v| v.len() <= 20 && v.split('.').all(|n| n.parse::<u32>().is_ok())),
        "version",
    );
    check(rule["kind"] == "Scheduled", "kind");
    p
}

fn entity_mappings_ok(mappings: &Value, columns: &[String]) -> bool {
    non_empty_list(mappings).is_some_and(|l| {
        l.len() <= 5
            && l.iter().all(|m| {
                non_empty_str(&m["entityType"], 100)
                    && non_empty_list(&m["fieldMappings"]).is_some_and(|f| {
                        f.len() <= 3
                            && f.iter().all(|f| {
                                non_empty_str(&f["identifier"], 100)
                                    && f["columnName"].as_str().is_some_and(|c| {
                                        is_column_name(c) && columns.iter().any(|k| k == c)
                                    })
                            })
                    })
            })
    })
}

#[test]
fn the_rule_check_names_what_sentinel_would_refuse() {
    let columns = vec!["TimeGenerated".to_owned(), "Name".to_owned()];
    let good = serde_json::json!({
        "id": "f8e4135f-18eb-8e19-9e9f-8cba184acdc3",
        "name": "A rule",
        "description": "What it finds.",
        "severity": "High",
        "requiredDataConnectors": [{"connectorId": "DNS", "dataTypes": ["DnsEvents"]}],
        "queryFrequency": "1h",
        "queryPeriod": "1h",
        "triggerOperator": "gt",
        "triggerThreshold": 0,
        "tactics": ["CommandAndControl"],
        "relevantTechniques": ["T1071.004"],
        "query": "DnsEvents",
        "entityMappings": [{"entityType": "DNS", "fieldMappings": [{"identifier": "DomainName", "columnName": "Name"}]}],
        "version": "1.0.0",
        "kind": "Scheduled"
    });
    assert_eq!(rule_problems(&good, &columns), Vec::<String>::new());
    let mut no_mappings = good.clone();
    no_mappings
        .as_object_mut()
        .expect("an object")
        .remove("entityMappings");
    assert_eq!(rule_problems(&no_mappings, &columns), Vec::<String>::new());
    for (field, bad) in [
        ("id", serde_json::json!("not-a-guid")),
        ("severity", serde_json::json!("Critical")),
        ("queryFrequency", serde_json::json!("2m")),
        ("queryPeriod", serde_json::json!("15d")),
        ("triggerOperator", serde_json::json!(">")),
        ("triggerThreshold", serde_json::json!(10_001)),
        ("tactics", serde_json::json!(["CommandControl"])),
        ("relevantTechniques", serde_json::json!(["T1071.4"])),
        ("requiredDataConnectors", serde_json::json!([])),
        ("query", serde_json::json!("")),
        ("version", serde_json::json!("one")),
        ("kind", serde_json::json!("NRT")),
        (
            "entityMappings",
            serde_json::json!([{"entityType": "DNS", "fieldMappings": [{"identifier": "DomainName", "columnName": "QueryName"}]}]),
        ),
    ] {
        let mut rule = good.clone();
        rule[field] = bad;
        let problems = rule_problems(&rule, &columns);
        assert!(
            problems.iter().any(|p| p.starts_with(field)),
            "{field}: {problems:?}"
        );
        let mut rule = good.clone();
        rule.as_object_mut().expect("an object").remove(field);
        if field != "entityMappings" {
            assert!(!rule_problems(&rule, &columns).is_empty(), "{field} absent");
        }
    }
    // A query of 10,000 characters is taken, one of 10,001 refused.
    let mut long = good.clone();
    long["query"] = serde_json::json!(format!("DnsEvents\n{}", "/".repeat(QUERY_LIMIT - 10)));
    assert_eq!(rule_problems(&long, &columns), Vec::<String>::new());
    long["query"] = serde_json::json!(format!("DnsEvents\n{}", "/".repeat(QUERY_LIMIT - 9)));
    let problems = rule_problems(&long, &columns);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("query (1 to 10000 characters)")),
        "{problems:?}"
    );
    let mut short = good.clone();
    short["queryPeriod"] = serde_json::json!("30m");
    assert!(rule_problems(&short, &columns)
        .iter()
        .any(|p| p.contains("not under queryFrequency")));
}
