//! The local KQL evaluator, through queries and tables: the semantics document's
//! vectors and held-out style give the same rows as the `kql` functions; each
//! construct of the subset; errors for what is outside it; the seed's hunt; and
//! property tests that no input panics.

use detections::kql;
use detections::kql::error::{Error, Pos};
use detections::kql::eval::{run, Query};
use detections::kql::table::{Table, Tables};
use proptest::prelude::*;
use serde_json::{json, Value as Json};

/// Names of the semantics document's table (`Name <op> "estaliax.io"`).
const NAMES: &[&str] = &[
    "estaliax.io",
    "a.estaliax.io",
    "ESTALIAX.IO",
    "estaliax.io.",
    "xestaliax.io",
    "estaliax.iox",
    "estaliax.io.example.net",
    "estaliax.io-cdn.net",
    "login.estaliax.io:443",
    "_ldap._tcp.estaliax.io",
    "estaliax_io",
    "",
];

const IOC: &str = "estaliax.io";

/// A table from JSON objects.
fn table(rows: Json) -> Table {
    let rows: Vec<_> = rows
        .as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| r.as_object().expect("an object").clone())
        .collect();
    Table::from_json_rows(&rows)
}

fn tables(list: &[(&str, Json)]) -> Tables {
    list.iter()
        .map(|(n, rows)| (n.to_string(), table(rows.clone())))
        .collect()
}

/// Run a query; rows as JSON objects.
fn rows(query: &str, tables: &Tables) -> Vec<Json> {
    let t = run(query, tables).unwrap_or_else(|e| panic!("{query}\n=> {e}"));
    t.to_json_rows().into_iter().map(Json::Object).collect()
}

/// Run a query that must fail; its error.
fn error(query: &str, tables: &Tables) -> Error {
    match run(query, tables) {
        Ok(t) => panic!("{query}\n=> expected an error, got {:?}", t.to_json_rows()),
        Err(e) => e,
    }
}

/// The `Name` column of a result.
fn names(query: &str, tables: &Tables) -> Vec<String> {
    rows(query, tables)
        .iter()
        .map(|r| r["Name"].as_str().expect("Name is a string").to_owned())
        .collect()
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

/// `datatable(Name:string)[...]` of the semantics table.
fn names_datatable() -> String {
    let values: Vec<String> = NAMES.iter().map(|n| quote(n)).collect();
    format!("datatable(Name:string)[{}]", values.join(", "))
}

fn expect_names(f: impl Fn(&str) -> bool) -> Vec<String> {
    NAMES
        .iter()
        .filter(|n| f(n))
        .map(|n| n.to_string())
        .collect()
}

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

fn dns_events() -> Tables {
    tables(&[(
        "DnsEvents",
        json!([
            {"TimeGenerated": "2026-05-21T08:00:00.000Z", "Computer": "dc01", "Name": "estaliax.io",
             "IPAddresses": "203.0.113.7", "QueryType": "A", "ClientIP": "10.0.0.5"},
            {"TimeGenerated": "2026-05-21T08:05:00.000Z", "Computer": "dc01", "Name": "www.contoso.com",
             "IPAddresses": "198.51.100.1", "QueryType": "A", "ClientIP": "10.0.0.6"},
            {"TimeGenerated": "2026-05-21T08:10:00.500Z", "Computer": "dc02", "Name": "C2.DURAKTANTUNI.SITE.",
             "IPAddresses": "203.0.113.9", "QueryType": "AAAA", "ClientIP": "10.0.0.7"},
            {"TimeGenerated": "2026-05-21T08:07:00.000Z", "Computer": "dc02", "Name": "xestaliax.io",
             "IPAddresses": "", "QueryType": "A", "ClientIP": "10.0.0.8"},
            {"TimeGenerated": "2026-05-21T08:07:00.000Z", "Computer": "dc01", "Name": "estaliax.io.example.net",
             "IPAddresses": "192.0.2.1", "QueryType": "A", "ClientIP": "10.0.0.9"}
        ]),
    )])
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

/// (query, what its error says, line, column).
type ErrorCase = (&'static str, &'static str, u32, u32);

/// Constructs outside the subset: each error names the construct and where it is.
const OUT_OF_SUBSET: &[ErrorCase] = &[
    (
        "DnsEvents\n| mv-expand IPAddresses",
        "`mv-expand` is not supported",
        2,
        3,
    ),
    (
        "DnsEvents\n| join (DnsEvents) on Name",
        "join without kind=",
        2,
        3,
    ),
    (
        "DnsEvents | join kind=innerunique (DnsEvents) on Name",
        "join kind=innerunique",
        1,
        18,
    ),
    (
        "DnsEvents | join kind=rightouter (DnsEvents) on Name",
        "join kind=rightouter",
        1,
        18,
    ),
    ("DnsEvents | evaluate bag_unpack(x)", "`evaluate`", 1, 13),
    (
        "DnsEvents | where TimeGenerated > ago(1d)",
        "timespan literal 1d",
        1,
        39,
    ),
    ("DnsEvents | where TimeGenerated > ago(x)", "ago()", 1, 35),
    (
        "DnsEvents | extend X = 1 + 2",
        "arithmetic operator +",
        1,
        26,
    ),
    ("DnsEvents | where Name matches regex 'a'", "matches", 1, 24),
    ("DnsEvents | where Name has_all ('a')", "has_all", 1, 24),
    (
        "DnsEvents | where Name startswith_cs 'a'",
        "startswith_cs",
        1,
        24,
    ),
    (
        "DnsEvents | summarize dcount(Name) by Computer",
        "summarize dcount(...)",
        1,
        23,
    ),
    ("DnsEvents | parse Name with * '.' x", "`parse`", 1, 13),
    (
        "let f = (x:string) { x };\nDnsEvents",
        "let-bound function",
        1,
        9,
    ),
    (
        "DnsEvents | project tolower(Name)",
        "unnamed expression in project",
        1,
        21,
    ),
    ("DnsEvents | top 3 by Name", "`top`", 1, 13),
    ("union DnsEvents, Dns*", "wildcard", 1, 18),
    (
        "DnsEvents | where Name == 'a' | render table",
        "`render`",
        1,
        33,
    ),
    ("set x = 1;\nDnsEvents", "set statement", 1, 1),
    (
        "DnsEvents; DnsEvents",
        "more than one query statement",
        1,
        12,
    ),
    (
        "DnsEvents | extend x = trim_end(Name, Name)",
        "not a constant string",
        1,
        33,
    ),
];

/// Mistakes in a query of the subset: each error says what and where.
const MISTAKES: &[ErrorCase] = &[
    (
        "DnsEvents | where name has 'a'",
        "did you mean `Name`",
        1,
        19,
    ),
    ("DnsEvent | take 1", "unknown table `DnsEvent`", 1, 1),
    (
        "DnsEvents | where Name == 1",
        "cannot compare a string with a long",
        1,
        24,
    ),
    ("DnsEvents | where Name", "expected a bool", 1, 19),
    (
        "DnsEvents | where Name has 'a",
        "unterminated string",
        1,
        28,
    ),
    ("DnsEvents | project Name, Name", "named twice", 1, 27),
    ("DnsEvents | project-away Nope", "no column `Nope`", 1, 26),
    (
        "DnsEvents | extend x = extract('(a)', 2, Name)",
        "group",
        1,
        39,
    ),
    (
        "DnsEvents | extend x = extract('(', 1, Name)",
        "bad regular expression",
        1,
        32,
    ),
    (
        "let Name = 'x';\nDnsEvents | where Name == 'a'",
        "both a column and a let",
        2,
        19,
    ),
    ("DnsEvents | where Name.x == 'a'", "use parse_json", 1, 19),
    ("datatable(A:string)['a', 1]", "column `A` is string", 1, 26),
    (
        "datatable(A:string, B:long)['a']",
        "not a whole number of rows",
        1,
        1,
    ),
    (
        "datatable(A:guid)['a']",
        "datatable column type guid",
        1,
        13,
    ),
    ("DnsEvents | where", "expected an expression", 1, 18),
    ("DnsEvents | take -1", "non-negative", 1, 18),
    (
        "DnsEvents | where Name == 'a' Computer",
        "expected `|` or the end",
        1,
        31,
    ),
];

fn assert_errors(cases: &[ErrorCase]) {
    let t = dns_events();
    for &(query, says, line, column) in cases {
        let e = error(query, &t);
        let text = e.to_string();
        assert!(text.contains(says), "{query}\n=> {text}");
        assert_eq!(e.pos(), Some(Pos { line, column }), "{query}\n=> {text}");
        assert!(text.starts_with(&format!("{line}:{column}: ")), "{text}");
    }
}

#[test]
fn constructs_outside_the_subset_are_errors_with_positions() {
    assert_errors(OUT_OF_SUBSET);
}

#[test]
fn mistakes_are_errors_with_positions() {
    assert_errors(MISTAKES);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["(", "not(", "tolower(", "x in (", "dynamic(["] {
        let (head, tail) = open.split_at(open.len() - 1);
        let q = format!("DnsEvents | where {head}{}", tail.repeat(10_000));
        assert!(
            matches!(error(&q, &dns_events()), Error::TooDeep { .. }),
            "{open}"
        );
    }
    let q = format!("{}DnsEvents", "(".repeat(10_000));
    assert!(matches!(error(&q, &dns_events()), Error::TooDeep { .. }));
    // Long flat chains are fine.
    let chain = vec!["Name has 'x'"; 5_000].join(" or ");
    assert!(run(&format!("DnsEvents | where {chain}"), &dns_events()).is_ok());
    let path = ".a".repeat(5_000);
    let q = format!("DnsEvents | extend j = parse_json('{{}}') | where isnull(j{path})");
    assert_eq!(rows(&q, &dns_events()).len(), 5);
}

#[test]
fn a_parsed_query_runs_over_many_table_sets() {
    let q = Query::parse("T | where Name has 'a' | project Name").unwrap();
    for n in 0..3 {
        let rows: Vec<Json> = (0..n).map(|i| json!({"Name": format!("a.{i}")})).collect();
        let t = tables(&[("T", Json::Array(rows))]);
        assert_eq!(q.run(&t).unwrap().len(), n);
    }
}

/// Fragments random queries are built from.
const FRAGMENTS: &[&str] = &[
    "T",
    "| where",
    "| project",
    "| extend",
    "| join kind=inner",
    "| summarize count() by",
    "| order by",
    "| take",
    "| distinct",
    "| union",
    "| project-away",
    "Name",
    "N",
    "X",
    "has",
    "!has",
    "has_any",
    "in~",
    "==",
    "!=",
    "<",
    "=~",
    "and",
    "or",
    "not(",
    "(",
    ")",
    "[",
    "]",
    "'a'",
    "\"b\"",
    "@\"c\\\"",
    "1",
    "-2",
    "1.5",
    "dynamic([",
    "dynamic({",
    "}",
    ",",
    ";",
    "let",
    "=",
    "x",
    "datatable(",
    ":string",
    "tolower(",
    "parse_json(",
    ".",
    "extract(",
    "iff(",
    "$left",
    "on",
    "asc",
    "desc",
    "nulls",
    "first",
    "datetime(",
    "2026-05-21",
    "//",
    "\n",
    "`",
    "!",
    "~",
    "*",
    "_GetWatchlist(",
    "true",
    "null",
];

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)),
        ".{0,12}".prop_map(Json::String),
        Just(json!("2026-05-21T00:00:00.000Z")),
        Just(json!("{\"a\":[1,{\"b\":\"c\"}]}")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map("[A-Za-z]{1,3}", inner, 0..4)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

/// Queries that touch every operator, run over random tables.
const QUERIES: &[&str] = &[
    "T | where Name has_any ('a', 'b') or N > 1 or X == 2",
    "T | where Name in~ ('a') and not(isempty(X)) | project Name, N",
    "T | extend J = parse_json(tostring(X)) | extend V = tostring(J.a[0].b), E = extract('(.)', 1, tostring(Name)) | project V, E",
    "T | extend L = tolower(tostring(Name)), U = strcat(Name, N, X) | project-away Name",
    "T | order by N desc, Name asc | take 3",
    "T | summarize count() by N, X | order by count_",
    "T | distinct *",
    "T | join kind=inner (T | project Name, Other = N) on Name",
    "T | join kind=leftouter (T) on $left.N == $right.X",
    "T | join kind=leftanti (T | where N > 0) on X",
    "T | union (T | extend Y = 1) | where isnotnull(Y) or Name != ''",
    "T | extend I = iff(N > 0, 'p', 'n'), T2 = trim_end('x+', tostring(Name))",
    "T | where Name =~ X or Name !contains 'a' or N >= 0 or X < 1",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_text_never_panics_the_parser(text in "\\PC{0,200}") {
        let _ = Query::parse(&text);
    }

    #[test]
    fn random_token_soup_never_panics(parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40)) {
        let q = parts.join(" ");
        if let Ok(parsed) = Query::parse(&q) {
            let t = tables(&[("T", json!([{"Name": "a", "N": 1, "X": 2}]))]);
            let _ = parsed.run(&t);
        }
    }

    #[test]
    fn random_rows_never_panic_the_evaluator(
        rows in prop::collection::vec(
            prop::collection::btree_map(prop::sample::select(vec!["Name", "N", "X", "Other"]), json_value(), 0..4),
            0..8,
        )
    ) {
        let rows: Vec<Json> = rows.into_iter().map(|m| Json::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())).collect();
        let t = tables(&[("T", Json::Array(rows))]);
        for q in QUERIES {
            let _ = run(q, &t);
        }
    }
}
