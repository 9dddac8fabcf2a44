//! The local KQL evaluator's errors: constructs outside the subset and mistakes
//! are errors naming what and where, deep nesting is bounded, and no input
//! panics the lexer, the parser or the evaluator.

#[path = "support/kql.rs"]
mod support;
use support::*;

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
        "DnsEvents | where TimeGenerated > ago(1w)",
        "timespan literal 1w",
        1,
        39,
    ),
    (
        "DnsEvents | where TimeGenerated > bin(TimeGenerated, 1h)",
        "bin()",
        1,
        35,
    ),
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

/// Up to eight rows of up to four of the columns the queries name, each a
/// random JSON value.
fn random_rows() -> impl Strategy<Value = Vec<Json>> {
    prop::collection::vec(
        prop::collection::btree_map(
            prop::sample::select(vec!["Name", "N", "X", "Other"]),
            json_value(),
            0..4,
        )
        .prop_map(|m| Json::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        0..8,
    )
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
        rows in random_rows()
    ) {
        let t = tables(&[("T", Json::Array(rows))]);
        for q in QUERIES {
            let _ = run(q, &t);
        }
    }

    /// `extend` of a table the query made (extended in place) gives what
    /// `extend` of a given table (copied first) gives: the same columns,
    /// types and rows, or an error both ways.
    #[test]
    fn extend_in_place_is_extend_of_a_copy(
        rows in random_rows()
    ) {
        let t = tables(&[("T", Json::Array(rows))]);
        for ext in ["extend N = 1, Y = tostring(Name)", "extend X = N, Name = strcat(Name, X)", "extend Z = iff(N > 0, 'p', 'n')"] {
            let copied = run(&format!("T | {ext} | where 1 == 1"), &t);
            let in_place = run(&format!("T | where 1 == 1 | {ext}"), &t);
            prop_assert_eq!(copied.is_ok(), in_place.is_ok(), "{}", ext);
            if let (Ok(a), Ok(b)) = (copied, in_place) {
                prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", ext);
            }
        }
    }
}

#[test]
fn extend_in_place_runs_on_a_made_table() {
    let t = tables(&[(
        "T",
        json!([{"Name": "a", "N": 1, "X": 2}, {"Name": "b", "N": -1}]),
    )]);
    let copied = rows(
        "T | extend X = N, Name = strcat(Name, X) | where 1 == 1",
        &t,
    );
    let in_place = rows(
        "T | where 1 == 1 | extend X = N, Name = strcat(Name, X)",
        &t,
    );
    assert_eq!(copied, in_place);
    assert_eq!(in_place.len(), 2);
}
