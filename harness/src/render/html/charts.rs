//! The page's three charts as inline SVG: recall per attack scenario (rows and
//! DNS lookups), what each exclusion removes and hides on each hunt, and when
//! the malicious activity was alerted. Colours are Okabe–Ito, and no two
//! meanings rest on hue alone: what an exclusion hid is hatched, what was
//! missed is dark grey. Only defined figures are drawn. Labels and tooltips
//! that came from scenario files are escaped like any other text on the page.

use maud::{html, Markup};

use super::format::{duration, finite, first_detection, int, nice_ceil, px, scale, shorten};
use crate::escape::Html;
use crate::metrics::fmt_ratio;
use crate::report::{Report, ScenarioScore, Timeline};

/// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const BLUE: &str = "#0072B2";
const ORANGE: &str = "#E69F00";
const VERMILLION: &str = "#D55E00";
const SKY: &str = "#56B4E9";
const GRID: &str = "#d9d9d9";
const INK: &str = "#1a1a1a";
const MUTED: &str = "#5c5c5c";

/// Colours by meaning.
const C_ROW_RECALL: &str = BLUE;
const C_LOOKUP_RECALL: &str = ORANGE;
pub(super) const C_ALERTED: &str = BLUE;
/// Hidden by an exclusion: vermillion with white hatching ([`hatch`]), in the
/// timeline and in the exclusions chart (each defines its own pattern).
pub(super) const C_HIDDEN: &str = "url(#chart-timeline-hatch)";
const C_HIDDEN_EXCLUSIONS: &str = "url(#chart-exclusions-hatch)";
pub(super) const C_MISSED: &str = DARK;
const C_BENIGN_SUPPRESSED: &str = SKY;
/// Dark grey: missed.
const DARK: &str = "#444444";

/// Width of every chart's coordinate system.
const CHART_W: f64 = 1000.0;
/// Left edge of every chart's plot area (labels sit to its left).
const PLOT_X: f64 = 310.0;
/// Top of the plot area of the two bar charts.
const BAR_TOP: f64 = 58.0;
/// Longest label shown in a chart before it is shortened (full text in the tooltip).
const LABEL_CHARS: usize = 44;

/// An `<svg>` chart with its accessible name (`title` is our own text) and a
/// white background under `body`.
fn svg(id: &str, height: f64, title: &str, body: Markup) -> Markup {
    html! {
        svg class="chart" id=(id) role="img" aria-label=(title) viewBox={ "0 0 " (px(CHART_W)) " " (px(height)) } width=(px(CHART_W)) height=(px(height)) {
            title { (title) } "\n"
            (hatch(id))
            rect x="0" y="0" width=(px(CHART_W)) height=(px(height)) fill="#ffffff" {} "\n"
            (body)
        }
        "\n"
    }
}

/// The hatching of [`C_HIDDEN`]: vermillion, white diagonal stripes, as
/// `<chart id>-hatch`. Each chart carries its own, so element ids stay unique
/// and a chart read alone still draws it.
fn hatch(chart: &str) -> Markup {
    html! {
        defs {
            pattern id={ (chart) "-hatch" } patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)" {
                rect x="0" y="0" width="6" height="6" fill=(VERMILLION) {}
                line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2.5" {}
            }
        }
        "\n"
    }
}

/// A legend: swatches and labels in one line starting at `(x, y)`.
fn legend(x: f64, y: f64, items: &[(&str, &str)]) -> Markup {
    let at = items.iter().scan(x, |cx, (fill, label)| {
        let here = *cx;
        *cx += 19.0 + 7.5 * label.chars().count() as f64 + 22.0;
        Some((here, *fill, *label))
    });
    html! {
        g class="legend" {
            @for (cx, fill, label) in at {
                rect x=(px(cx)) y=(px(y - 11.0)) width="14" height="14" fill=(fill) stroke=(INK) stroke-width="0.5" {}
                text x=(px(cx + 19.0)) y=(px(y)) font-size="13" fill=(INK) { (label) }
            }
        }
        "\n"
    }
}

/// A row label at the left of a chart: shortened if long, full text in a tooltip.
fn row_label(y: f64, text: &str) -> Markup {
    html! {
        text x=(px(PLOT_X - 10.0)) y=(px(y)) font-size="12.5" text-anchor="end" fill=(INK) {
            title { (Html(text)) }
            (Html(&shorten(text, LABEL_CHARS)))
        }
        "\n"
    }
}

/// A note in the plot area where a chart has nothing to draw.
fn empty_note(y: f64, text: &str) -> Markup {
    html! {
        text x=(px(PLOT_X + 8.0)) y=(px(y)) font-size="13" fill=(MUTED) { (text) }
        "\n"
    }
}

/// One bar of a two-bar group.
struct Bar {
    name: &'static str,
    colour: &'static str,
    /// Length as a share of the plot width; `None` draws no bar, only `value`
    /// saying why.
    share: Option<f64>,
    /// The value as printed beside the bar and in its tooltip (why there is no
    /// bar, when there is none).
    value: String,
}

/// A horizontal bar chart: one group of two bars per labelled row, vertical
/// grid lines at `ticks` (share of the plot width, axis label).
struct BarChart<'a> {
    id: &'static str,
    title: &'static str,
    legend: &'a [(&'a str, &'a str)],
    ticks: Vec<(f64, String)>,
    empty: &'static str,
    groups: Vec<(String, [Bar; 2])>,
}

fn bar_chart(c: BarChart) -> Markup {
    const PLOT_W: f64 = 580.0;
    const GROUP_H: f64 = 34.0;
    const BAR_H: f64 = 12.0;
    let rows = c.groups.len().max(1) as f64;
    let bottom = BAR_TOP + GROUP_H * rows;
    let body = html! {
        (legend(PLOT_X, 22.0, c.legend))
        @for (i, (share, label)) in c.ticks.iter().enumerate() {
            @let x = px(PLOT_X + share * PLOT_W);
            line x1=(x) y1=(px(BAR_TOP - 6.0)) x2=(x) y2=(px(bottom)) stroke=(if i == 0 { MUTED } else { GRID }) stroke-width="1" {}
            text x=(x) y=(px(bottom + 16.0)) font-size="12" text-anchor="middle" fill=(MUTED) { (label) }
            "\n"
        }
        @if c.groups.is_empty() {
            (empty_note(BAR_TOP + 20.0, c.empty))
        }
        @for (i, (label, bars)) in c.groups.iter().enumerate() {
            @let gy = BAR_TOP + GROUP_H * i as f64;
            (row_label(gy + 19.0, label))
            @for (k, bar) in bars.iter().enumerate() {
                @let y = gy + 4.0 + k as f64 * (BAR_H + 2.0);
                g {
                    title { (Html(label)) ": " (bar.name) " " (bar.value) }
                    @match bar.share {
                        Some(share) => {
                            @let w = share.clamp(0.0, 1.0) * PLOT_W;
                            rect x=(px(PLOT_X)) y=(px(y)) width=(px(w)) height=(px(BAR_H)) fill=(bar.colour) {}
                            text x=(px(PLOT_X + w + 4.0)) y=(px(y + BAR_H - 2.0)) font-size="11" fill=(INK) { (bar.value) }
                        }
                        None => {
                            text x=(px(PLOT_X + 4.0)) y=(px(y + BAR_H - 2.0)) font-size="11" font-style="italic" fill=(MUTED) { (bar.name) ": " (bar.value) }
                        }
                    }
                }
                "\n"
            }
        }
    };
    svg(c.id, bottom + 30.0, c.title, body)
}

/// Recall per scenario with malicious rows: over its rows and over its DNS
/// lookups. Scenarios without malicious rows are left out (recall is undefined
/// there); a scenario without DNS lookups says so instead of a second bar.
pub(super) fn recall(r: &Report) -> Markup {
    let bar = |name, colour, v: Option<f64>, why: &str| Bar {
        name,
        colour,
        share: finite(v),
        value: finite(v).map_or_else(|| why.to_owned(), |v| fmt_ratio(Some(v))),
    };
    bar_chart(BarChart {
        id: "chart-recall",
        title: "Recall per attack scenario: rows and DNS lookups",
        legend: &[
            (C_ROW_RECALL, "recall over rows"),
            (C_LOOKUP_RECALL, "recall over DNS lookups"),
        ],
        ticks: (0..=4)
            .map(|i| {
                let v = f64::from(i) / 4.0;
                (v, format!("{v:.2}"))
            })
            .collect(),
        empty: "no scenario with malicious rows",
        groups: r
            .scenarios
            .iter()
            .filter(|s| s.malicious_rows > 0)
            .map(|s| {
                (
                    s.id.clone(),
                    [
                        bar("rows", C_ROW_RECALL, s.event.recall(), ""),
                        bar(
                            "lookups",
                            C_LOOKUP_RECALL,
                            s.lookup.recall(),
                            "no malicious DNS lookup",
                        ),
                    ],
                )
            })
            .collect(),
    })
}

/// Per exclusion and hunt it guards: benign rows suppressed against malicious
/// rows hidden; a harmful pair's label starts with ⚠.
pub(super) fn exclusions(r: &Report) -> Markup {
    let pairs: Vec<_> = r
        .exclusions
        .iter()
        .flat_map(|x| x.by_hunt.iter().map(move |b| (x, b)))
        .collect();
    let top = nice_ceil(
        pairs
            .iter()
            .map(|(_, b)| b.benign_suppressed.max(b.malicious_hidden))
            .max()
            .unwrap_or(0),
    );
    let mut ticks = vec![0, top];
    if top / 2 * 2 == top {
        ticks.insert(1, top / 2);
    }
    let bar = |name, colour, v: u64| Bar {
        name,
        colour,
        share: Some(scale(v, top)),
        value: int(v),
    };
    bar_chart(BarChart {
        id: "chart-exclusions",
        title: "Benign rows suppressed against malicious rows hidden, per exclusion and hunt",
        legend: &[
            (
                C_BENIGN_SUPPRESSED,
                "benign suppressed (false positives removed)",
            ),
            (C_HIDDEN_EXCLUSIONS, "malicious hidden (blind spot)"),
        ],
        ticks: ticks.into_iter().map(|t| (scale(t, top), int(t))).collect(),
        empty: "no exclusions",
        groups: pairs
            .iter()
            .map(|(x, b)| {
                let mark = if b.harmful { "⚠ " } else { "" };
                (
                    format!("{mark}{} on {}", x.id, b.hunt),
                    [
                        bar(
                            "benign suppressed",
                            C_BENIGN_SUPPRESSED,
                            b.benign_suppressed,
                        ),
                        bar("malicious hidden", C_HIDDEN_EXCLUSIONS, b.malicious_hidden),
                    ],
                )
            })
            .collect(),
    })
}

/// Malicious rows of each scenario over its activity, in equal-width bins:
/// alerted, hidden by an exclusion, missed.
pub(super) fn timeline(r: &Report) -> Markup {
    const PLOT_W: f64 = 450.0;
    const TOP: f64 = 44.0;
    const ROW_H: f64 = 40.0;
    let rows: Vec<(&ScenarioScore, &Timeline)> = r
        .scenarios
        .iter()
        .filter_map(|s| s.timeline.as_ref().map(|t| (s, t)))
        .collect();
    let n = rows.len().max(1) as f64;
    let axis_y = TOP + ROW_H * n + 12.0;
    let body = html! {
        (legend(PLOT_X, 22.0, &[
            (C_ALERTED, "alerted"),
            (C_HIDDEN, "hidden by an exclusion"),
            (C_MISSED, "missed (no hunt fired)"),
        ]))
        @if rows.is_empty() {
            (empty_note(TOP + 24.0, "no scenario with malicious rows"))
        }
        @for (i, (s, t)) in rows.iter().enumerate() {
            (timeline_row(TOP + ROW_H * i as f64, PLOT_W, s, t))
        }
        text x=(px(PLOT_X)) y=(px(axis_y)) font-size="12" fill=(MUTED) { "first malicious row" }
        text x=(px(PLOT_X + PLOT_W)) y=(px(axis_y)) font-size="12" text-anchor="end" fill=(MUTED) { "last malicious row" }
        "\n"
    };
    svg(
        "chart-timeline",
        TOP + ROW_H * n + 30.0,
        "Alert timeline of the malicious rows per scenario: alerted, hidden by an exclusion, missed",
        body,
    )
}

/// One scenario's row of the timeline, its top at `ry`: stacked bins, a base
/// line, and the totals to the right.
fn timeline_row(ry: f64, plot_w: f64, s: &ScenarioScore, t: &Timeline) -> Markup {
    const BAR_MAX: f64 = 28.0;
    let base = ry + 4.0 + BAR_MAX;
    let bins = t.alerted.len().max(t.hidden.len()).max(t.missed.len());
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    let counts: Vec<[u64; 3]> = (0..bins)
        .map(|b| [at(&t.alerted, b), at(&t.hidden, b), at(&t.missed, b)])
        .collect();
    let busiest = counts.iter().map(|c| c.iter().sum()).max().unwrap_or(0);
    let bw = if bins == 0 { 0.0 } else { plot_w / bins as f64 };
    let sum = |v: &[u64]| int(v.iter().sum::<u64>());
    let summary_x = PLOT_X + plot_w + 14.0;
    html! {
        g class="tl-row" {
            "\n"
            rect x=(px(PLOT_X)) y=(px(ry + 4.0)) width=(px(plot_w)) height=(px(BAR_MAX)) fill="#f4f4f4" {} "\n"
            (row_label(ry + 23.0, &s.id))
            @for (b, [a, h, m]) in counts.iter().enumerate() {
                @if a + h + m > 0 {
                    g {
                        title { (Html(&s.id)) ", bin " (b + 1) " of " (bins) ": " (int(*a)) " alerted, " (int(*h)) " hidden, " (int(*m)) " missed" }
                        @for (v, colour, y) in stack(base, [(*a, C_ALERTED), (*h, C_HIDDEN), (*m, C_MISSED)], busiest, BAR_MAX) {
                            rect x=(px(PLOT_X + bw * b as f64 + 0.5)) y=(px(y)) width=(px((bw - 1.0).max(0.5))) height=(px(v)) fill=(colour) {}
                        }
                    }
                    "\n"
                }
            }
            line x1=(px(PLOT_X)) y1=(px(base)) x2=(px(PLOT_X + plot_w)) y2=(px(base)) stroke=(MUTED) stroke-width="1" {} "\n"
            text x=(px(summary_x)) y=(px(ry + 17.0)) font-size="12" fill=(INK) {
                tspan fill=(C_ALERTED) font-weight="700" { (sum(&t.alerted)) } " alerted · "
                tspan fill="#a3410b" font-weight="700" { (sum(&t.hidden)) } " hidden · "
                tspan fill=(C_MISSED) font-weight="700" { (sum(&t.missed)) } " missed"
            }
            "\n"
            text x=(px(summary_x)) y=(px(ry + 32.0)) font-size="11" fill=(MUTED) {
                "over " (duration(t.end_ms.saturating_sub(t.start_ms) as f64 / 1000.0))
                "; first alert " (first_detection(s.time_to_first_detection_s, s.malicious_rows > 0))
            }
            "\n"
        }
        "\n"
    }
}

/// Stacked segments of one bin, bottom up from `base`: (height, colour, top),
/// empty segments left out, each at least 1.5 high.
fn stack(
    base: f64,
    parts: [(u64, &'static str); 3],
    busiest: u64,
    max_h: f64,
) -> Vec<(f64, &'static str, f64)> {
    let mut y = base;
    parts
        .into_iter()
        .filter(|(v, _)| *v > 0)
        .map(|(v, colour)| {
            let h = (scale(v, busiest) * max_h).max(1.5);
            y -= h;
            (h, colour, y)
        })
        .collect()
}
