//! A model table ([`crate::render::table`]) as an HTML `<table>`: numbers right
//! aligned with thousands separators, identifiers in `<code>`, a group header
//! row where columns have groups, split counts as four columns. Text that came
//! from telemetry or a scenario file is escaped by the template.

use maud::{html, Markup};

use super::format::{first_detection, int, ratio};
use crate::escape::Html;
use crate::render::table::{expected_word, Align, Cell, Column, Detail, ReportTable, COUNT_NAMES};
use crate::report::Status;

/// The table, in a horizontally scrolling box.
pub(super) fn table(t: &ReportTable) -> Markup {
    html! {
        div class="scroll" {
            table id=(t.id) {
                "\n"
                thead {
                    "\n"
                    (groups(t))
                    tr {
                        @for c in t.columns_for(Detail::Page) {
                            @if c.split {
                                @for name in COUNT_NAMES { th class=[align(c)] { (name) } }
                            } @else {
                                th class=[align(c)] { (c.name) }
                            }
                        }
                    }
                    "\n"
                }
                "\n"
                tbody {
                    "\n"
                    @for row in &t.rows {
                        tr class=[row.failed.then_some("failed")] {
                            @for (c, cell) in t.cells_for(row, Detail::Page) { (td(c, cell)) }
                        }
                        "\n"
                    }
                }
                "\n"
            }
        }
        "\n"
    }
}

/// The class of a column's cells: `n` for numbers, `c` for centred marks.
fn align(c: &Column) -> Option<&'static str> {
    match c.align {
        Align::Left => None,
        Align::Right => Some("n"),
        Align::Centre => Some("c"),
    }
}

/// Width of a column on the page.
fn span(c: &Column) -> usize {
    if c.split {
        COUNT_NAMES.len()
    } else {
        1
    }
}

/// A header row naming each run of columns that share a group; none when no
/// column has one.
fn groups(t: &ReportTable) -> Markup {
    let mut runs: Vec<(Option<&str>, usize)> = Vec::new();
    for c in t.columns_for(Detail::Page) {
        match runs.last_mut() {
            Some((group, n)) if *group == c.group => *n += span(c),
            _ => runs.push((c.group, span(c))),
        }
    }
    html! {
        @if runs.iter().any(|(g, _)| g.is_some()) {
            tr class="group" {
                @for (group, n) in runs {
                    th colspan=[(n > 1).then_some(n)] { @if let Some(g) = group { (g) } }
                }
            }
            "\n"
        }
    }
}

/// One cell (four for split counts).
fn td(c: &Column, cell: &Cell) -> Markup {
    match *cell {
        Cell::Counts(m) if c.split => html! {
            @for v in [m.tp, m.fp, m.fn_, m.tn] { td class="n" { (int(v)) } }
        },
        _ => html! { td class=[align(c)] { (content(cell)) } },
    }
}

/// What a cell shows.
fn content(cell: &Cell) -> Markup {
    match *cell {
        Cell::Id(id) => html! { code { (Html(id)) } },
        Cell::Titled { id, title } => html! {
            code { (Html(id)) } span class="title" { (Html(title)) }
        },
        Cell::Text(s) => html! { (Html(s)) },
        Cell::Code(s) => html! { code { (Html(s)) } },
        Cell::Labelled { label, id } => html! { (label) " " code { (Html(id)) } },
        Cell::Kind(kind) => html! {
            span class={ "kind " (kind_class(kind)) } { (Html(kind)) }
        },
        Cell::Expected { outcome, exclusion } => html! {
            (Html(outcome))
            @if let Some(x) = exclusion { " " span class="muted" { (expected_word(outcome)) } " " code { (Html(x)) } }
        },
        Cell::Status { status, detail } => {
            let (class, mark) = match status {
                Status::Met => ("st met", "✓ met"),
                Status::KnownGap => ("st gap", "◐ known gap"),
                Status::Failed => ("st bad", "✗ failed"),
                Status::GapClosed => ("st bad", "✗ gap closed"),
            };
            html! { span class=(class) title=(Html(detail)) { (mark) } }
        }
        Cell::Origin { origin, why } => html! {
            (Html(origin))
            @if let Some(why) = why { span class="title" { (Html(why)) } }
        },
        Cell::Harmful(true) => html! { span class="harm" { "⚠ harmful" } },
        Cell::Harmful(false) => html! { span class="muted" { "–" } },
        Cell::Ids([]) => html! { span class="muted" { "–" } },
        Cell::Ids(ids) => html! {
            @for (i, id) in ids.iter().enumerate() { @if i > 0 { ", " } code { (Html(id)) } }
        },
        Cell::Branches([]) => html! { span class="muted" { "none" } },
        Cell::Branches(bs) => html! {
            ul class="by" {
                @for b in bs { li { "#" (b.branch + 1) " " code { (Html(&b.condition)) } } }
            }
        },
        Cell::Present(true) => html! { "yes" },
        Cell::Present(false) => warn("no"),
        Cell::Count(n) => html! { (int(n)) },
        Cell::Alarm(n) if n > 0 => warn(&int(n)),
        Cell::Alarm(n) => html! { (int(n)) },
        Cell::Ratio(v) => ratio(v),
        Cell::Counts(m) => html! {
            (int(m.tp)) " / " (int(m.fp)) " / " (int(m.fn_)) " / " (int(m.tn))
        },
        Cell::FirstDetection { secs, malicious } => html! { (first_detection(secs, malicious)) },
        Cell::Hosts { infected: 0, .. } => html! { span class="muted" { "–" } },
        Cell::Hosts {
            alerted,
            infected,
            silent: [],
        } => html! { (int(alerted)) "/" (int(infected)) },
        Cell::Hosts {
            alerted,
            infected,
            silent,
        } => html! {
            span class="warn" title={ "silent: " (Html(&silent.join(", "))) } {
                (int(alerted)) "/" (int(infected))
            }
        },
        Cell::Breakdown([]) => html! { span class="muted" { "–" } },
        Cell::Breakdown(by) => html! {
            ul class="by" {
                @for b in by {
                    li {
                        code { (Html(&b.scenario)) } " " (int(b.benign_suppressed)) " benign · "
                        @if b.malicious_hidden > 0 {
                            (warn(&format!("{} malicious", int(b.malicious_hidden))))
                        } @else {
                            "0 malicious"
                        }
                    }
                }
            }
        },
    }
}

fn warn(text: &str) -> Markup {
    html! { span class="warn" { (text) } }
}

/// The badge class of a scenario kind; unknown kinds get a plain badge.
fn kind_class(kind: &str) -> &'static str {
    match kind {
        "benign" => "benign",
        "malicious" => "malicious",
        "adversarial" => "adversarial",
        _ => "other",
    }
}
