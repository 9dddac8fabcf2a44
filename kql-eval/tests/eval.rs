//! The local KQL evaluator, through queries and tables: the semantics document's
//! vectors and held-out style give the same rows as the `kql` functions; each
//! construct of the subset; and the seed's hunt. Errors and no-panic properties
//! are in `errors.rs`.

#[path = "support/kql.rs"]
mod support;
use support::*;

#[test]
fn semantics_table_through_the_evaluator() {
    let none = Tables::new();
    let dt = names_datatable();
    type Op = (&'static str, fn(&str, &str) -> bool);
    let ops: &[Op] = &[
        ("has", kql::has),
        ("has_cs", kql::has_cs),
        ("hasprefix", kql::hasprefix),
        ("hassuffix", kql::hassuffix),
        ("contains", kql::contains),
        ("contains_cs", kql::contains_cs),
        ("startswith", kql::startswith),
        ("endswith", kql::endswith),
        ("==", kql::eq),
        ("=~", kql::eq_ci),
    ];
    for needle in [IOC, "ESTALIAX.IO", "estaliax.io.", "io", ""] {
        for (op, f) in ops {
            let q = format!("{dt} | where Name {op} {}", quote(needle));
            assert_eq!(names(&q, &none), expect_names(|n| f(n, needle)), "{q}");
            let negated = match *op {
                "==" => "!=".to_owned(),
                "=~" => "!~".to_owned(),
                o => format!("!{o}"),
            };
            let q = format!("{dt} | where Name {negated} {}", quote(needle));
            assert_eq!(names(&q, &none), expect_names(|n| !f(n, needle)), "{q}");
        }
    }
}

#[test]
fn list_operators_through_the_evaluator() {
    let none = Tables::new();
    let dt = names_datatable();
    let lists: &[&[&str]] = &[
        &[IOC],
        &["duraktantuni.site", IOC],
        &["ESTALIAX.IO", "x"],
        &["estaliax.io."],
        &[""],
    ];
    for list in lists {
        let literal: Vec<String> = list.iter().map(|s| quote(s)).collect();
        let literal = literal.join(", ");
        let cases: [(&str, Vec<String>); 5] = [
            ("has_any", expect_names(|n| kql::has_any(n, list))),
            ("in", expect_names(|n| kql::in_list(n, list))),
            ("!in", expect_names(|n| !kql::in_list(n, list))),
            ("in~", expect_names(|n| kql::in_list_ci(n, list))),
            ("!in~", expect_names(|n| !kql::in_list_ci(n, list))),
        ];
        for (op, want) in cases {
            let q = format!("{dt} | where Name {op} ({literal})");
            assert_eq!(names(&q, &none), want, "{q}");
            let q = format!("let l = dynamic([{literal}]);\n{dt} | where Name {op} (l)");
            assert_eq!(names(&q, &none), want, "{q}");
            let q = format!("let l = datatable(V:string)[{literal}];\n{dt} | where Name {op} (l)");
            assert_eq!(names(&q, &none), want, "{q}");
        }
    }
}

#[test]
fn held_out_style_ioc_with_a_trailing_dot_needs_the_dot() {
    let none = Tables::new();
    let q = format!(
        "{} | where Name has_any (\"estaliax.io.\")",
        names_datatable()
    );
    let want = expect_names(|n| kql::has(n, "estaliax.io."));
    assert_eq!(want, ["estaliax.io.", "estaliax.io.example.net"]);
    assert_eq!(names(&q, &none), want);
    let q =
        "datatable(Name:string)['a.estaliax.io', 'a.estaliax.io.'] | where Name has 'estaliax.io.'";
    assert_eq!(names(q, &none), ["a.estaliax.io."]);
}

#[test]
fn the_seed_hunt() {
    let q = r#"// Hunt for DNS queries to known malicious domains
// Source: ThreatFox - Nanocore RAT
let malicious_domains = dynamic(["estaliax.io", "duraktantuni.site"]);
DnsEvents
| where Name has_any (malicious_domains)
| project TimeGenerated, Computer, Name, IPAddresses, QueryType
| order by TimeGenerated desc
"#;
    let out = run(q, &dns_events()).expect("the seed query runs");
    assert_eq!(
        out.column_names(),
        [
            "TimeGenerated",
            "Computer",
            "Name",
            "IPAddresses",
            "QueryType"
        ]
    );
    let got: Vec<Json> = out.to_json_rows().into_iter().map(Json::Object).collect();
    assert_eq!(
        got,
        [
            json!({"TimeGenerated": "2026-05-21T08:10:00.500Z", "Computer": "dc02",
                   "Name": "C2.DURAKTANTUNI.SITE.", "IPAddresses": "203.0.113.9", "QueryType": "AAAA"}),
            json!({"TimeGenerated": "2026-05-21T08:07:00.000Z", "Computer": "dc01",
                   "Name": "estaliax.io.example.net", "IPAddresses": "192.0.2.1", "QueryType": "A"}),
            json!({"TimeGenerated": "2026-05-21T08:00:00.000Z", "Computer": "dc01",
                   "Name": "estaliax.io", "IPAddresses": "203.0.113.7", "QueryType": "A"}),
        ]
    );
    // The JSON text keeps the project order.
    let text = serde_json::to_string(&out.to_json_rows()[0]).unwrap();
    assert!(text.starts_with(r#"{"TimeGenerated":"#), "{text}");
}

#[test]
fn where_logic_and_comparisons() {
    let t = dns_events();
    let q = |w: &str| {
        names(
            &format!("DnsEvents | where {w} | order by ClientIP asc"),
            &t,
        )
    };
    assert_eq!(
        q("Computer == 'dc02' and QueryType == 'A'"),
        ["xestaliax.io"]
    );
    assert_eq!(
        q("Computer == 'dc02' or Name startswith 'www'"),
        ["www.contoso.com", "C2.DURAKTANTUNI.SITE.", "xestaliax.io"]
    );
    assert_eq!(
        q("not(Computer == 'dc01') and (QueryType == 'AAAA' or Name == 'x')"),
        ["C2.DURAKTANTUNI.SITE."]
    );
    assert_eq!(q("isempty(IPAddresses)"), ["xestaliax.io"]);
    assert_eq!(
        q("isnotempty(IPAddresses) and Computer =~ 'DC02'"),
        ["C2.DURAKTANTUNI.SITE."]
    );
    assert_eq!(
        q("TimeGenerated >= datetime(2026-05-21 08:07) and TimeGenerated < datetime(2026-05-21T08:10:00Z)"),
        ["xestaliax.io", "estaliax.io.example.net"]
    );
    assert_eq!(q("Name !contains '.' or Name !has 'estaliax.io' and Name !endswith '.net' and Name !startswith 'C2' and Name != 'www.contoso.com'"), ["xestaliax.io"]);
    assert_eq!(
        q("Computer in ('dc02') and Name !in~ ('XESTALIAX.IO')"),
        ["C2.DURAKTANTUNI.SITE."]
    );
}

#[test]
fn nulls_in_where_comparisons_and_order() {
    let t = tables(&[(
        "T",
        json!([{"Name": "a", "N": 3}, {"Name": "b"}, {"Name": "c", "N": 1}, {"Name": "d", "N": null}]),
    )]);
    assert_eq!(names("T | where N > 0", &t), ["a", "c"]);
    assert_eq!(names("T | where N != 3", &t), ["b", "c", "d"]);
    assert_eq!(names("T | where isnull(N)", &t), ["b", "d"]);
    // Kusto's defaults: desc puts nulls last, asc puts them first; ties keep input order.
    assert_eq!(names("T | order by N", &t), ["a", "c", "b", "d"]);
    assert_eq!(names("T | sort by N asc", &t), ["b", "d", "c", "a"]);
    assert_eq!(
        names("T | sort by N asc nulls last", &t),
        ["c", "a", "b", "d"]
    );
    assert_eq!(
        names("T | sort by N desc nulls first", &t),
        ["b", "d", "a", "c"]
    );
}

#[test]
fn project_extend_and_functions() {
    let t = tables(&[(
        "DeviceEvents",
        json!([{
            "DeviceName": "WS-01",
            "AdditionalFields": "{\"DnsQueryString\":\"C2.Estaliax.io.\",\"Answers\":[\"203.0.113.7\"]}",
            "InitiatingProcessCommandLine": "\"C:\\Users\\a\\AppData\\Roaming\\{1B2E}\\run.exe\" -k"
        }]),
    )]);
    let q = r#"DeviceEvents
| extend Fields = parse_json(AdditionalFields)
| extend Query = tostring(Fields.DnsQueryString), First = tostring(Fields['Answers'][0])
| extend Lower = tolower(trim_end(@"\.", Query)), Upper = toupper(DeviceName)
| extend Exe = extract(@"\\([^\\]+\.exe)", 1, InitiatingProcessCommandLine)
| extend Kind = iff(Lower has "estaliax.io", "ioc", "other"), Both = strcat(Upper, "/", Lower)
| project Host = DeviceName, Lower, First, Exe, Kind, Both, Missing = tostring(Fields.Nope), NoMatch = extract("zz(z)", 1, Query)"#;
    assert_eq!(
        rows(q, &t),
        [
            json!({"Host": "WS-01", "Lower": "c2.estaliax.io", "First": "203.0.113.7",
                "Exe": "run.exe", "Kind": "ioc", "Both": "WS-01/c2.estaliax.io",
                "Missing": "", "NoMatch": ""})
        ]
    );
    // extend replaces an existing column by appending it anew, as Kusto documents.
    let out = run("DeviceEvents | extend DeviceName = tolower(DeviceName)", &t).unwrap();
    assert_eq!(
        out.column_names(),
        [
            "AdditionalFields",
            "InitiatingProcessCommandLine",
            "DeviceName"
        ]
    );
    let out = run(
        "DeviceEvents | project-away Initiating*, AdditionalFields",
        &t,
    )
    .unwrap();
    assert_eq!(out.column_names(), ["DeviceName"]);
}

#[test]
fn joins() {
    let t = tables(&[
        (
            "L",
            json!([{"K": "a", "V": 1}, {"K": "b", "V": 2}, {"K": "b", "V": 3}, {"K": "c", "V": 4}, {"V": 5}]),
        ),
        (
            "R",
            json!([{"K": "b", "W": 10}, {"K": "c", "W": 20}, {"K": "c", "W": 30}, {"K": "d", "W": 40}, {"W": 50}]),
        ),
    ]);
    let kv = |q: &str| -> Vec<Json> { rows(q, &t) };
    assert_eq!(
        kv("L | join kind=inner (R) on K"),
        [
            json!({"K": "b", "V": 2, "K1": "b", "W": 10}),
            json!({"K": "b", "V": 3, "K1": "b", "W": 10}),
            json!({"K": "c", "V": 4, "K1": "c", "W": 20}),
            json!({"K": "c", "V": 4, "K1": "c", "W": 30}),
            // An absent string is "", and "" == "" in Kusto.
            json!({"K": "", "V": 5, "K1": "", "W": 50}),
        ]
    );
    assert_eq!(
        kv("L | where V < 5 | join kind=leftouter (R | where W < 50) on $left.K == $right.K | project V, W"),
        [
            json!({"V": 1, "W": null}),
            json!({"V": 2, "W": 10}),
            json!({"V": 3, "W": 10}),
            json!({"V": 4, "W": 20}),
            json!({"V": 4, "W": 30}),
        ]
    );
    assert_eq!(
        kv("L | join kind=leftanti R on $right.K == $left.K"),
        [json!({"K": "a", "V": 1})]
    );
    // Null keys match nothing.
    let n = tables(&[
        ("A", json!([{"X": 1}, {"X": null}])),
        ("B", json!([{"X": 1}, {"X": null}])),
    ]);
    assert_eq!(
        rows("A | join kind=inner B on X | project X", &n),
        [json!({"X": 1})]
    );
}

#[test]
fn union_distinct_take_summarize() {
    let t = tables(&[
        (
            "A",
            json!([{"Host": "h1", "Name": "x"}, {"Host": "h2", "Name": "y"}, {"Host": "h1", "Name": "x"}]),
        ),
        ("B", json!([{"Host": "h3", "Extra": 1}])),
    ]);
    assert_eq!(
        rows(
            "union A, (B | where Extra == 1) | project Host, Name, Extra",
            &t
        ),
        [
            json!({"Host": "h1", "Name": "x", "Extra": null}),
            json!({"Host": "h2", "Name": "y", "Extra": null}),
            json!({"Host": "h1", "Name": "x", "Extra": null}),
            json!({"Host": "h3", "Name": "", "Extra": 1}),
        ]
    );
    assert_eq!(rows("A | union B | distinct Host", &t).len(), 3);
    assert_eq!(
        rows("A | distinct *", &t),
        [
            json!({"Host": "h1", "Name": "x"}),
            json!({"Host": "h2", "Name": "y"})
        ]
    );
    assert_eq!(rows("A | take 2", &t).len(), 2);
    assert_eq!(rows("A | limit 0", &t).len(), 0);
    assert_eq!(
        rows("A | summarize count() by Host", &t),
        [
            json!({"Host": "h1", "count_": 2}),
            json!({"Host": "h2", "count_": 1})
        ]
    );
    assert_eq!(
        rows(
            "A | summarize Hits = count() by H = toupper(Host), Name | order by Hits asc",
            &t
        ),
        [
            json!({"H": "H2", "Name": "y", "Hits": 1}),
            json!({"H": "H1", "Name": "x", "Hits": 2})
        ]
    );
    assert_eq!(
        rows("A | where Host == 'none' | summarize count()", &t),
        [json!({"count_": 0})]
    );
    assert_eq!(
        rows("A | summarize by Name", &t),
        [json!({"Name": "x"}), json!({"Name": "y"})]
    );
}

#[test]
fn lets_datatables_and_watchlists() {
    let t = tables(&[
        (
            "DnsEvents",
            dns_events()["DnsEvents"]
                .to_json_rows()
                .into_iter()
                .map(Json::Object)
                .collect(),
        ),
        (
            "nanocore_iocs",
            json!([{"SearchKey": "estaliax.io", "ThreatType": "botnet_cc"}]),
        ),
    ]);
    let q = r#"let iocs = _GetWatchlist('nanocore_iocs') | project SearchKey;
let hosts = datatable(Computer:string, Site:string, Weight:long, Seen:datetime, Meta:dynamic)
[
    "dc01", "HQ", 1, datetime(2026-05-21), dynamic({"a": [1, 'two']}),
    'dc02', 'Branch', -2, datetime(null), dynamic(null),
];
let wanted = 'HQ';
DnsEvents
| where Name has_any (iocs)
| join kind=inner (hosts) on Computer
| where Site == wanted
| project Name, Site, Weight, Seen, Meta"#;
    assert_eq!(
        rows(q, &t),
        [
            json!({"Name": "estaliax.io", "Site": "HQ", "Weight": 1,
                   "Seen": "2026-05-21T00:00:00.000Z", "Meta": {"a": [1, "two"]}}),
            json!({"Name": "estaliax.io.example.net", "Site": "HQ", "Weight": 1,
                   "Seen": "2026-05-21T00:00:00.000Z", "Meta": {"a": [1, "two"]}}),
        ]
    );
    // A watchlist in an inline list, with double parentheses as Kusto asks.
    let q = "DnsEvents | where Name in~ ((_GetWatchlist('nanocore_iocs') | project SearchKey)) | project Name";
    assert_eq!(rows(q, &t), [json!({"Name": "estaliax.io"})]);
}
