//! The top of the page: the verdict (from [`crate::render::verdict`]), the
//! harmful exclusions, the overall cards, and the comparison section that
//! `huntlab compare` fills.

use maud::{html, Markup};

use super::format::{int, plural, ratio};
use crate::escape::Html;
use crate::metrics::Confusion;
use crate::render::verdict::{self, Span, Tone};
use crate::report::Report;

/// Spans of a verdict line: our words as text, identifiers as code.
pub(super) fn spans(spans: &[Span<'_>]) -> Markup {
    html! {
        @for s in spans {
            @match s {
                Span::Text(t) => (t),
                Span::Id(id) => code { (Html(id)) },
            }
        }
    }
}

/// The verdict: one line per answer, each with a labelled mark (not colour
/// alone) saying how it reads.
pub(super) fn verdict(r: &Report) -> Markup {
    let lines = verdict::lines(r);
    html! {
        section id="verdict" aria-label="Verdict" {
            "\n"
            h2 { "Verdict" } "\n"
            ul class="verdict" {
                "\n"
                @for l in &lines {
                    @let (class, mark) = match l.tone {
                        Tone::Good => ("v-good", "✓"),
                        Tone::Note => ("v-note", "◐"),
                        Tone::Bad => ("v-bad", "✗"),
                    };
                    li class=(class) {
                        span class="mark" aria-hidden="true" { (mark) }
                        span { b { (l.head) } " " (spans(&l.spans)) }
                    }
                    "\n"
                }
            }
            "\n"
        }
        "\n"
    }
}

/// The harmful exclusions, each with what it hides, at the top of the page;
/// nothing when there is none.
pub(super) fn harmful(r: &Report) -> Markup {
    let harmful = &r.verdict.harmful;
    html! {
        @if !harmful.is_empty() {
            section id="harmful" class="harmful" aria-label="Harmful exclusions" {
                "\n"
                h3 { "⚠ Harmful exclusions: they hide attacks and remove no false positive" } "\n"
                ul {
                    @for h in harmful {
                        li {
                            code { (Html(&h.exclusion)) } " on " code { (Html(&h.hunt)) }
                            ": hides " (int(h.malicious_hidden)) " malicious row" (plural(h.malicious_hidden))
                            ", suppresses no benign row there."
                        }
                        "\n"
                    }
                }
                "\n"
            }
            "\n"
        }
    }
}

/// The comparison of two contents, when the report has one; else a note that
/// says how to get one.
pub(super) fn comparison(comparison: Option<Markup>) -> Markup {
    html! {
        section id="comparison" aria-label="Comparison" {
            "\n"
            h2 { "Comparison" } "\n"
            @match comparison {
                Some(m) => (m),
                None => p class="note" {
                    "This report scores one content. " code { "huntlab compare BASELINE CANDIDATE" }
                    " scores two on the same scenarios and shows what changes."
                },
            }
            "\n"
        }
        "\n"
    }
}

/// The overall cards: rows, DNS lookups, incidents, scenario statuses.
pub(super) fn cards(r: &Report) -> Markup {
    let ov = &r.overall;
    html! {
        section class="cards" aria-label="Overall figures" {
            "\n"
            (card("Rows", "every row", &ov.event))
            (card("DNS lookups", "endpoint and server rows of one lookup count once", &ov.lookup))
            (card("Incidents", "a host within a scenario", &ov.host))
            (statuses(r))
        }
        "\n"
    }
}

/// A card of precision, recall and F1 over its counts.
fn card(title: &str, what: &str, c: &Confusion) -> Markup {
    let fig = |v: Markup, label: &str| html! { div class="fig" { b { (v) } span { (label) } } };
    html! {
        div class="card" {
            h3 { (title) } p class="what" { (what) }
            div class="figs" {
                (fig(ratio(c.precision()), "precision"))
                (fig(ratio(c.recall()), "recall"))
                (fig(ratio(c.f1()), "F1"))
            }
            div class="counts" {
                "TP " (int(c.tp)) " · FP " (int(c.fp)) " · FN " (int(c.fn_)) " · TN " (int(c.tn))
            }
        }
        "\n"
    }
}

fn statuses(r: &Report) -> Markup {
    let ov = &r.overall;
    let failing = ov.expectations_failed + ov.gaps_closed;
    let fig = |n: usize, label: &str| html! { div class="fig" { b { (n) } span { (label) } } };
    html! {
        div class={ "card " (if failing > 0 { "bad" } else { "ok" }) } {
            h3 { "Scenarios" } p class="what" { "against what the detection should do" }
            div class="figs" {
                (fig(ov.expectations_met, "met"))
                (fig(ov.known_gaps, "known gaps"))
                (fig(ov.expectations_failed, "failed"))
                (fig(ov.gaps_closed, "gaps closed"))
            }
            div class="counts" {
                @if failing > 0 {
                    span class="warn" {
                        (failing) " scenario" (plural(failing as u64))
                        (if failing == 1 { " fails" } else { " fail" }) " the run."
                    }
                } @else {
                    "None fails the run; known gaps are declared by the content."
                }
            }
        }
        "\n"
    }
}
