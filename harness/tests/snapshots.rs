//! The report on the built-in library is deterministic: its JSON and Markdown are
//! pinned as insta snapshots, so a change to the content, the scenarios or the
//! scoring shows up as a snapshot diff.

use harness::render;
use harness::run::{run_library, RunOptions};

fn report() -> harness::report::Report {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {})
}

#[test]
fn report_json_snapshot() {
    insta::assert_snapshot!("report.json", render::json::render(&report()));
}

#[test]
fn report_markdown_snapshot() {
    insta::assert_snapshot!("report.md", render::markdown::render(&report()));
}

#[test]
fn same_seed_same_bytes_other_seed_other_rows() {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    let a = run_library(
        &det,
        &scenarios,
        &RunOptions::default().with_rng_seed(5),
        &mut |_| {},
    );
    let b = run_library(
        &det,
        &scenarios,
        &RunOptions::default().with_rng_seed(5),
        &mut |_| {},
    );
    assert_eq!(render::json::render(&a), render::json::render(&b));
    assert_eq!(render::html::render(&a), render::html::render(&b));
    let c = run_library(
        &det,
        &scenarios,
        &RunOptions::default().with_rng_seed(6),
        &mut |_| {},
    );
    assert_ne!(render::json::render(&a), render::json::render(&c));
}

#[test]
fn telemetry_strings_are_escaped_in_markdown() {
    let mut r = report();
    r.scenarios[0].id = "evil|<script>alert(1)</script>[x](http://e)".into();
    r.rejected_examples.push(harness::report::Rejected {
        table: "DnsEvents".into(),
        row: 1,
        error: "field `Name`: <img src=x onerror=alert(1)>".into(),
    });
    let md = render::markdown::render(&r);
    assert!(!md.contains("<script>"));
    assert!(!md.contains("<img"));
    assert!(md.contains("evil\\|&lt;script&gt;alert(1)&lt;/script&gt;\\[x\\](http://e)"));
}
