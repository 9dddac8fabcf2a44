//! The page on a small report with every section filled and two hostile
//! scenario ids, and on an all-zero one.

use super::charts::{C_ALERTED, C_HIDDEN, C_MISSED};
use super::page::render;
use crate::escape::html as e;
use crate::render::test_report::{sample, zero, HOST_ID, IMG_ID, SCRIPT_ID};
use crate::report::Report;

/// The `<svg ...>...</svg>` element with the given id.
fn svg<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<svg class=\"chart\" id=\"{id}\""))
        .expect("svg present");
    let end = start + page[start..].find("</svg>").expect("svg closed");
    &page[start..end]
}

#[test]
fn page_has_every_table_and_the_three_charts() {
    let page = render(&sample());
    assert!(page.starts_with("<!DOCTYPE html>"));
    for id in [
        "impact",
        "scenarios",
        "misses",
        "unmatched-steps",
        "hunts",
        "indicator-kinds",
        "kinds-by-scenario",
        "exclusions",
        "readings",
        "sources",
        "semantics",
        "rejected",
    ] {
        assert!(page.contains(&format!("<table id=\"{id}\">")), "table {id}");
    }
    for id in ["chart-recall", "chart-exclusions", "chart-timeline"] {
        let s = svg(&page, id);
        assert!(s.contains("role=\"img\""), "{id} role");
        assert!(s.contains("aria-label=\""), "{id} aria-label");
        assert!(s.contains("<title>"), "{id} title");
        assert!(s.contains("<rect"), "{id} rect");
    }
    let scenarios = &page[page.find("<table id=\"scenarios\">").unwrap()..];
    let body = &scenarios[scenarios.find("<tbody>").unwrap()..scenarios.find("</tbody>").unwrap()];
    assert_eq!(body.matches("<tr").count(), 4);
    assert!(page.contains("nanocore-dns") && page.contains("bad.example"));
}

#[test]
fn timeline_has_a_row_per_scenario_with_a_timeline_and_a_legend() {
    let page = render(&sample());
    let s = svg(&page, "chart-timeline");
    assert!(s.contains(">nanocore-beacon</text>"));
    assert!(s.contains(&format!(">{}</text>", e(SCRIPT_ID))));
    assert!(!s.contains(">benign-updater</text>"));
    for label in [
        "alerted",
        "hidden by an exclusion",
        "missed (no hunt fired)",
    ] {
        assert!(s.contains(&format!(">{label}</text>")), "legend {label}");
    }
    for colour in [C_ALERTED, C_HIDDEN, C_MISSED] {
        // One legend swatch, and at least one bin segment.
        assert!(
            s.matches(&format!("fill=\"{colour}\"")).count() >= 2,
            "{colour}"
        );
    }
}

#[test]
fn recall_chart_draws_only_defined_figures() {
    let page = render(&sample());
    let s = svg(&page, "chart-recall");
    // The benign and background scenarios have no malicious rows: left out,
    // and the caption says why.
    assert!(!s.contains(">benign-updater</text>"), "{s}");
    assert!(s.contains(">nanocore-beacon</text>"));
    assert!(!s.contains("n/a"));
    assert!(s.contains(">0.900</text>"));
    assert!(page.contains("2 scenarios with no malicious row are left out"));
}

#[test]
fn verdict_and_harmful_exclusions_come_first_and_the_comparison_has_a_section() {
    let page = render(&sample());
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("id=\"verdict\"") < at("id=\"harmful\""));
    assert!(at("id=\"harmful\"") < at("<table id=\"impact\">"));
    assert!(at("<table id=\"impact\">") < at("<table id=\"scenarios\">"));
    assert!(at("id=\"comparison\"") < at("<table id=\"scenarios\">"));
    assert!(page.contains("huntlab compare BASELINE CANDIDATE"));
    let filled = super::render_with(&sample(), Some(maud::html! { p { "two contents" } }));
    assert!(filled.contains("<p>two contents</p>"));
    assert!(!filled.contains("huntlab compare BASELINE CANDIDATE"));
    // Harmful is said in words, not colour alone.
    assert!(page.contains("⚠ harmful"));
    assert!(page.contains("✗ failed"));
}

#[test]
fn hostile_strings_appear_only_escaped() {
    let page = render(&sample());
    assert!(!page.contains("<script"), "no script element");
    assert!(!page.contains("<img"), "no img element");
    assert!(!page.contains(SCRIPT_ID) && !page.contains(IMG_ID));
    assert!(!page.contains("<b>field</b>"));
    // A silent host's name, on the hosts cell and in the verdict.
    let mut r = sample();
    r.verdict.attacks.silent_hosts = vec![crate::report::SilentHosts {
        scenario: "nanocore-beacon".into(),
        hosts: vec![HOST_ID.into()],
    }];
    let with_host = render(&r);
    assert!(!with_host.contains(HOST_ID) && !with_host.contains("<b>07"));
    assert!(with_host.contains("title=\"silent: WS-&lt;b&gt;07&lt;/b&gt;&amp;amp;\""));
    assert!(with_host.contains("<code>WS-&lt;b&gt;07&lt;/b&gt;&amp;amp;</code>"));
    assert!(!page.contains("<u>addr</u>"));
    assert!(page.contains("<code>net-&lt;u&gt;addr&lt;/u&gt;</code>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Inside the SVG too, in labels and tooltips.
    let s = svg(&page, "chart-recall");
    assert!(s.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
}

#[test]
fn no_external_resources() {
    let page = render(&sample());
    for needle in [
        "http://", "https://", "<link", "<script", "<img", "<iframe", "<object", "@import",
        "src=\"", "href=",
    ] {
        assert!(!page.contains(needle), "page contains {needle}");
    }
    assert!(page.contains("default-src 'none'"));
}

#[test]
fn zero_valued_report_renders_without_nan() {
    let page = render(&zero());
    assert!(!page.contains("NaN"), "no NaN");
    for id in ["chart-recall", "chart-exclusions", "chart-timeline"] {
        let s = svg(&page, id);
        assert!(s.contains("<rect"), "{id}");
        assert!(!s.contains("inf"), "{id}: no infinite coordinate");
    }
    let empty = Report {
        scenarios: vec![],
        exclusions: vec![],
        ..zero()
    };
    let page = render(&empty);
    assert!(!page.contains("NaN"));
    assert!(page.contains("no exclusions"));
    assert!(page.contains("no scenario with malicious rows"));
}

#[test]
fn output_is_deterministic() {
    assert_eq!(render(&sample()), render(&sample()));
}

/// Every string a report carries from a scenario file, the content or
/// telemetry, made hostile with `<script>` and `"`, reaches the page only
/// escaped: in text, in attribute values (the expectation detail is a
/// tooltip) and in the charts.
#[test]
fn every_scenario_exclusion_and_hunt_string_is_escaped() {
    let evil = |field: &str| format!("<script>x-{field}\"</script>");
    let mut r = sample();
    r.detection.title = evil("title");
    r.detection.id = evil("content");
    r.detection.iocs = vec![evil("ioc")];
    r.hunts[0].id = evil("hunt");
    let s = &mut r.scenarios[1];
    s.id = evil("scenario");
    s.title = evil("scenario-title");
    s.kind = evil("kind");
    s.expected_outcome = evil("outcome");
    s.expected_exclusion = Some(evil("expected-exclusion"));
    s.expectation_met = false;
    s.expectation_detail = evil("detail");
    let x = &mut r.exclusions[0];
    x.id = evil("exclusion");
    x.scenario = evil("documented-for");
    x.by_scenario[0].scenario = evil("by-scenario");
    x.seed_text = evil("seed-text");
    x.reading = Some(evil("reading"));
    x.condition = evil("condition");
    x.inert_branches[0].condition = evil("branch");
    r.hunts[0].origin_why = Some(evil("origin-why"));
    r.scenarios[2].known_gap = Some(evil("gap-why"));
    r.overall.misses.unmatched_steps[0].step = evil("step");
    r.verdict.harmful[0].exclusion = evil("harmful");
    r.verdict.attacks.missed[0] = evil("missed");
    r.sources[0].source = evil("source");
    r.semantics[0].matcher = evil("matcher");
    r.semantics[0].definition = evil("definition");
    r.rejected_examples[0].table = evil("table");
    r.rejected_examples[0].error = evil("error");

    let page = render(&r);
    assert!(!page.contains("<script"), "no script element");
    for field in [
        "title",
        "content",
        "ioc",
        "hunt",
        "scenario",
        "scenario-title",
        "kind",
        "outcome",
        "expected-exclusion",
        "detail",
        "exclusion",
        "documented-for",
        "by-scenario",
        "source",
        "matcher",
        "definition",
        "table",
        "error",
        "seed-text",
        "reading",
        "condition",
        "branch",
        "origin-why",
        "gap-why",
        "step",
        "harmful",
        "missed",
    ] {
        assert!(
            page.contains(&format!("&lt;script&gt;x-{field}&quot;&lt;/script&gt;")),
            "{field} escaped"
        );
        assert!(
            !page.contains(&format!("x-{field}\"")),
            "{field}: a raw quote"
        );
    }
    assert!(page.contains("title=\"&lt;script&gt;x-detail&quot;&lt;/script&gt;\""));
    let s = svg(&page, "chart-recall");
    assert!(s.contains("<title>&lt;script&gt;x-scenario&quot;&lt;/script&gt;</title>"));
    let s = svg(&page, "chart-exclusions");
    assert!(s.contains("<title>⚠ &lt;script&gt;x-exclusion&quot;&lt;/script&gt; on dns</title>"));
}
