//! Time in the local KQL evaluator: timespan literals, and `ago()` and
//! `now()` read against the time the caller says the query runs at, as a
//! scheduled rule's run reads them; never the machine's clock.

#[path = "support/kql.rs"]
mod support;
use support::*;

/// Ticks (100 ns) of an ISO 8601 time.
fn at(iso: &str) -> i64 {
    let t = table(json!([{ "T": iso }]));
    match t.rows()[0][0] {
        kql_eval::value::Value::DateTime(ticks) => ticks,
        ref other => panic!("{iso} read as {other:?}"),
    }
}

fn events() -> Tables {
    tables(&[(
        "E",
        json!([
            { "T": "2026-05-21T07:00:00Z", "N": "two hours before" },
            { "T": "2026-05-21T08:00:00Z", "N": "an hour before, exactly" },
            { "T": "2026-05-21T08:30:00Z", "N": "half an hour before" },
            { "T": "2026-05-20T09:00:00Z", "N": "a day before, exactly" },
        ]),
    )])
}

fn names_at(query: &str, now: &str) -> Vec<String> {
    let q = Query::parse(query).unwrap_or_else(|e| panic!("{query}\n=> {e}"));
    let t = q
        .run_at(&events(), at(now))
        .unwrap_or_else(|e| panic!("{query}\n=> {e}"));
    t.to_json_rows()
        .into_iter()
        .map(|r| r["N"].as_str().expect("a name").to_owned())
        .collect()
}

#[test]
fn ago_is_measured_back_from_the_time_the_query_runs_at() {
    let now = "2026-05-21T09:00:00Z";
    assert_eq!(
        names_at("E | where T >= ago(1h)", now),
        ["an hour before, exactly", "half an hour before"]
    );
    assert_eq!(
        names_at("E | where T > ago(1h)", now),
        ["half an hour before"]
    );
    assert_eq!(names_at("E | where T >= ago(1d)", now).len(), 4);
    assert_eq!(
        names_at("E | where T < ago(1.5h)", now),
        ["two hours before", "a day before, exactly"]
    );
    // A let-bound timespan, and now() with and without an offset.
    assert_eq!(
        names_at(
            "let window = 30m;\nE | where T >= ago(window) and T < now()",
            now
        ),
        ["half an hour before"]
    );
    assert_eq!(
        names_at("E | where T <= now(timespan(-1h))", now),
        [
            "two hours before",
            "an hour before, exactly",
            "a day before, exactly"
        ]
    );
    // The same query at another time of run gives that run's rows.
    assert_eq!(
        names_at("E | where T >= ago(1h)", "2026-05-21T08:00:00Z"),
        [
            "two hours before",
            "an hour before, exactly",
            "half an hour before"
        ]
    );
}

#[test]
fn timespans_compare_convert_and_print_as_kusto_does() {
    let t = tables(&[("E", json!([{ "x": 1 }]))]);
    let r = rows(
        "E | extend a = 1h, b = 14d, c = 90s, d = 1h == 60m, e = 1d > 23h, f = timespan(-2h), g = 1500ms",
        &t,
    );
    let r = &r[0];
    assert_eq!(r["a"], "01:00:00");
    assert_eq!(r["b"], "14.00:00:00");
    assert_eq!(r["c"], "00:01:30");
    assert_eq!(r["d"], true);
    assert_eq!(r["e"], true);
    assert_eq!(r["f"], "-02:00:00");
    assert_eq!(r["g"], "00:00:01.5000000");
    assert_eq!(rows("E | extend s = tostring(2h)", &t)[0]["s"], "02:00:00");
}

#[test]
fn ago_without_a_time_of_run_is_an_error_never_the_clock() {
    let e = error("E | where T > ago(1h)", &events());
    let text = e.to_string();
    assert!(text.starts_with("1:15:"), "{text}");
    assert!(
        text.contains("ago() needs the time the query runs at"),
        "{text}"
    );
    let e = error("E | where T < now()", &events());
    assert!(e.to_string().contains("now() needs"), "{e}");
    // ago() of something that is not a constant timespan.
    let q = Query::parse("E | where T > ago(N)").expect("parses");
    let e = q.run_at(&events(), at("2026-05-21T09:00:00Z")).unwrap_err();
    assert!(e.to_string().contains("not a constant timespan"), "{e}");
    // A datetime and a timespan do not compare.
    let q = Query::parse("E | where T > 1h").expect("parses");
    let e = q.run(&events()).unwrap_err();
    assert!(
        e.to_string()
            .contains("cannot order a datetime with a timespan"),
        "{e}"
    );
}
