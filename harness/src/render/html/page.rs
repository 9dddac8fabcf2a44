//! The page: head and style, the header with the overall figures, the charts,
//! the tables with their notes, and the footer.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::charts;
use super::format::{fmt_float, int, plural, ratio};
use super::summary;
use super::table::table;
use crate::escape::Html;
use crate::render::table::ReportTable;
use crate::render::tables;
use crate::report::Report;

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1320px; padding: 24px 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
code { font: 12.5px/1.3 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f2f2f2; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.sub { color: #5c5c5c; margin: 0 0 12px; }
.note { color: #5c5c5c; font-size: 13px; max-width: 980px; }
.iocs { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; padding: 0; margin: 6px 0 14px; }
.run { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 4px 18px; margin: 10px 0 18px; padding: 10px 14px; background: #f7f7f7; border-radius: 6px; }
.run div { display: flex; flex-direction: column; }
.run dt { color: #5c5c5c; font-size: 12px; }
.run dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 14px; margin: 18px 0 8px; }
.card { border: 1px solid #cfcfcf; border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
.card h3 { margin: 0 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #5c5c5c; }
.figs { display: flex; flex-wrap: wrap; gap: 8px 16px; }
.fig b { display: block; font-size: 23px; line-height: 1.1; font-variant-numeric: tabular-nums; }
.fig span { color: #5c5c5c; font-size: 12px; }
.counts { margin-top: 8px; color: #5c5c5c; font-size: 12.5px; font-variant-numeric: tabular-nums; }
.card.ok { border-left: 6px solid #0072B2; }
.card.bad { border-left: 6px solid #D55E00; }
.card p.what { margin: -6px 0 8px; color: #5c5c5c; font-size: 12px; }
#verdict { border: 2px solid #1a1a1a; border-radius: 8px; padding: 2px 16px 10px; margin: 12px 0 14px; }
#verdict h2 { margin-top: 10px; }
ul.verdict { list-style: none; padding: 0; margin: 0; font-size: 15px; }
ul.verdict li { display: grid; grid-template-columns: 1.6em 1fr; padding: 5px 0; border-bottom: 1px solid #ececec; }
ul.verdict li:last-child { border-bottom: none; }
ul.verdict li b { margin-right: 4px; }
ul.verdict li b::after { content: ":"; }
ul.verdict .mark { font-weight: 700; }
ul.verdict li.v-good .mark { color: #0072B2; }
ul.verdict li.v-note .mark { color: #7a5a00; }
ul.verdict li.v-bad .mark, ul.verdict li.v-bad b { color: #a3410b; }
.harmful { border-left: 6px solid #D55E00; background: #fdf0e6; padding: 4px 14px 8px; border-radius: 4px; margin: 0 0 14px; }
.harmful h3 { margin: 8px 0 4px; color: #a3410b; }
.harmful ul { margin: 0; padding-left: 20px; }
.st { display: inline-block; font-weight: 700; border-radius: 3px; padding: 0 5px; white-space: nowrap; }
.st.met { color: #0072B2; }
.st.gap { color: #1a1a1a; border: 1px dashed #7a5a00; background: #fff7e0; }
.st.bad { color: #fff; background: #D55E00; }
.harm { display: inline-block; font-weight: 700; color: #fff; background: #D55E00; border-radius: 3px; padding: 0 5px; white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 5px; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; border-bottom: 1px solid #9a9a9a; font-weight: 600; vertical-align: bottom; }
#scenarios td:first-child { min-width: 12em; }
#scenarios td:nth-child(3) { min-width: 9em; }
#hunts td:first-child code, #exclusions td:first-child code, #sources td:first-child code, ul.by li { white-space: nowrap; }
td code { overflow-wrap: break-word; }
thead tr.group th { background: #e6e6e6; text-align: center; border-bottom: 1px solid #cfcfcf; }
td.n { text-align: right; white-space: nowrap; }
th.n { text-align: right; }
td.c, th.c { text-align: center; }
tbody tr:nth-child(even) { background: #fafafa; }
.title { display: block; color: #5c5c5c; font-size: 12px; }
tr.failed td { background: #fdf0e6; }
.warn { color: #a3410b; font-weight: 600; }
.muted { color: #8a8a8a; }
.kind { display: inline-block; border: 1px solid #9a9a9a; border-radius: 10px; padding: 0 7px; font-size: 12px; white-space: nowrap; }
.kind.malicious { border-color: #D55E00; }
.kind.adversarial { border-color: #D55E00; border-style: dashed; }
.kind.benign { border-color: #0072B2; }
ul.by { margin: 0; padding-left: 16px; }
ul.fails { padding-left: 20px; }
figure { margin: 12px 0 20px; break-inside: avoid; }
figcaption { color: #5c5c5c; font-size: 13px; margin-top: 4px; }
svg.chart { display: block; width: 100%; max-width: 1000px; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
footer { margin-top: 40px; color: #8a8a8a; font-size: 12px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 9pt; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 3px; }
  code, .title, .kind { font-size: 7.5pt; }
  #scenarios td:first-child, #scenarios td:nth-child(3) { min-width: 0; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
}
"#;

/// Render the report as a self-contained HTML page.
pub fn render(r: &Report) -> String {
    render_with(r, None)
}

/// Render the report as a self-contained HTML page, with `comparison` (a
/// comparison of two contents, rendered by its own code) in its section.
pub fn render_with(r: &Report, comparison: Option<Markup>) -> String {
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            "\n"
            (head(r))
            body {
                "\n"
                (header(r))
                (summary::verdict(r))
                (summary::harmful(r))
                (section(&tables::impact(r), html! {
                    "What each exclusion removes (benign rows) and hides (malicious rows) on each hunt it guards. Harmful: it hides attacks on that hunt and removes no false positive there. A row two exclusions both suppress counts for each."
                }))
                (section(&tables::exposure(r), html! {
                    (crate::render::markdown::EXPOSURE_NOTE)
                }))
                (summary::cards(r))
                (summary::comparison(comparison))
                (scenarios(r))
                (misses(r))
                (charts_section(r))
                (section(&tables::hunts(r), html! {
                    "Each hunt over the rows of the kinds it reads, after exclusions. Origin: " code { "seed" } " is the source's query; " code { "added" } " is the content's own, with why. Fired: rows it matched; alerts: of those, rows no exclusion suppressed."
                }))
                @let kinds = tables::indicator_kinds(r);
                @if !kinds.rows.is_empty() {
                    (section(&kinds, html! {
                        (crate::render::markdown::KINDS_NOTE)
                    }))
                }
                @let by_scenario = tables::kinds_by_scenario(r);
                @if !by_scenario.rows.is_empty() {
                    (section(&by_scenario, html! {
                        "Each scenario's rows per indicator kind that fired in it."
                    }))
                }
                (section(&tables::exclusions(r), html! {
                    "Over every hunt: benign rows an exclusion suppressed are the false positives it removes; malicious rows it suppressed are its blind spot. Not evaluable: rows a hunt fired on where the exclusion could not be checked because the row carries no process."
                }))
                (section(&tables::readings(r), html! {
                    "The source's text, how the content reads it, and the condition it evaluates. A branch is one operand of the condition's top-level " code { "or" } " (the whole condition when there is none); it is inert when it held on no row a hunt it guards fired on."
                }))
                (section(&tables::sources(r), html! {
                    "Exclusions not evaluable: rows where a hunt fired but the source carries no querying or acting process, so no exclusion can suppress (or protect against) them there."
                }))
                (section(&tables::semantics(r), html! {
                    "The query's " code { "has_any" } " against strict alternatives, scored on every DNS row before exclusions."
                }))
                (section(&tables::attribution(r), html! {
                    "The DNS server's rows name the client by address: attributed by " code { "ClientIP" } " (DeviceNetworkInfo, Heartbeat), as an analyst does, a forwarder's address takes its clients' alerts."
                }))
                @if !r.host_attribution.forwarded.is_empty() {
                    (section(&tables::forwarded(r), html! {
                        "Hosts whose address carried other hosts' alerts."
                    }))
                }
                @if !r.deployed_forms.is_empty() {
                    (section(&tables::deployed(r), html! {
                        (crate::render::markdown::DEPLOYED_NOTE)
                    }))
                }
                @if let (Some(t), Some(line)) = (crate::render::seeds::table(r), crate::render::seeds::summary(r)) {
                    (section(&t, html! {
                        (line) ". " (crate::render::markdown::SEEDS_NOTE.replace("**", ""))
                    }))
                }
                (rejected(r))
                footer {
                    "huntlab report, schema version " (r.schema_version)
                    ". Simulated, labelled telemetry: figures describe the detection against the scenario library, not a production estate."
                }
                "\n"
            }
            "\n"
        }
        "\n"
    };
    page.into_string()
}

fn head(r: &Report) -> Markup {
    html! {
        head {
            "\n"
            meta charset="utf-8"; "\n"
            // Defence in depth: even if markup got in, the page may load and run nothing.
            meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"; "\n"
            meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
            title { "Detection quality: " (Html(&r.detection.title)) } "\n"
            // Our own constant, not text from a report.
            style { (PreEscaped(STYLE)) } "\n"
        }
        "\n"
    }
}

fn header(r: &Report) -> Markup {
    let d = &r.detection;
    let run = &r.run;
    let (hunts, exclusions) = (d.hunts.len() as u64, d.exclusions.len() as u64);
    html! {
        header {
            "\n"
            h1 { "Detection quality: " (Html(&d.title)) } "\n"
            p class="sub" {
                "Content " code { (Html(&d.id)) }
                " · " (hunts) " hunt" (plural(hunts))
                " · " (exclusions) " exclusion" (plural(exclusions))
            }
            "\n"
            div {
                b { "Domain IOCs (" (d.iocs.len()) ")" }
                @if d.iocs.is_empty() {
                    " " span class="muted" { "none" }
                } @else {
                    ul class="iocs" { @for i in &d.iocs { li { code { (Html(i)) } } } }
                }
            }
            "\n"
            dl class="run" {
                @for (k, v) in [
                    ("seed", run.rng_seed.to_string()),
                    ("scale", fmt_float(run.scale)),
                    ("scenarios", int(run.scenario_count as u64)),
                    ("rows read", int(run.rows_read)),
                    ("rows scored", int(run.rows_scored)),
                    ("rows rejected", int(run.rows_rejected)),
                    ("judged", crate::rule::describe(run.rule.as_ref())),
                ] {
                    div { dt { (k) } dd { (v) } }
                }
            }
        }
        "\n"
    }
}

fn charts_section(r: &Report) -> Markup {
    let attacks = r.scenarios.iter().filter(|s| s.malicious_rows > 0).count() as u64;
    let others = r.scenarios.len() as u64 - attacks;
    html! {
        h2 { "Charts" } "\n"
        h3 { "Recall per attack scenario: rows and DNS lookups" } "\n"
        figure {
            "\n"
            (charts::recall(r))
            figcaption {
                "Share of each attack scenario's malicious rows with an alert, and of its malicious DNS lookups (the endpoint's and the DNS server's rows of one lookup count once). "
                @if others > 0 {
                    (others) " scenario" (plural(others)) " with no malicious row " (if others == 1 { "is" } else { "are" })
                    " left out: recall is undefined there, and the status column above says whether " (if others == 1 { "it" } else { "they" }) " behaved."
                }
            }
            "\n"
        }
        "\n"
        h3 { "When the malicious activity was alerted" } "\n"
        figure {
            "\n"
            (charts::timeline(r))
            figcaption {
                "Malicious rows of each scenario over its activity, from its first to its last malicious row, in equal-width bins: alerted (solid blue), hidden by an exclusion (hatched vermillion), missed because no hunt fired (solid dark grey). Bar height: rows in the bin, relative to that scenario's busiest bin."
            }
            "\n"
        }
        "\n"
        h3 { "What each exclusion removes and what it hides, per hunt" } "\n"
        figure {
            "\n"
            (charts::exclusions(r))
            figcaption {
                "Per exclusion and hunt it guards: benign rows it suppressed (the false positives it removes, solid sky blue) against malicious rows it suppressed (its blind spot, hatched vermillion). ⚠ marks a harmful pair."
            }
            "\n"
        }
        "\n"
    }
}

/// A table under its title and a note in our own words.
fn section(t: &ReportTable, note: Markup) -> Markup {
    html! {
        h2 { (t.title) } "\n"
        p class="note" { (note) } "\n"
        (table(t))
    }
}

fn scenarios(r: &Report) -> Markup {
    let failing: Vec<_> = r
        .scenarios
        .iter()
        .filter(|s| s.status.fails_run())
        .collect();
    let gaps = tables::known_gaps(r);
    html! {
        (section(&tables::scenarios(r), html! {
            "Expected: what the detection should do. Status: met; known gap (the content declares why it accepts the outcome); failed; gap closed (declared, but the expectation now holds: remove the declaration). Event columns count rows (visible rows: those of a kind some hunt reads); lookup recall counts DNS lookups, where the endpoint's and the DNS server's row of one lookup count once; incidents are the scenario's hosts. First detection: time from the scenario's first malicious row to its first alert on one."
        }))
        @if !failing.is_empty() {
            h3 { "Scenarios that fail the run" } "\n"
            ul class="fails" {
                "\n"
                @for s in failing {
                    li { code { (Html(&s.id)) } ": " (Html(&s.expectation_detail)) } "\n"
                }
            }
            "\n"
        }
        @if !gaps.rows.is_empty() {
            h3 { (gaps.title) } "\n"
            p class="note" { "Outcomes the content accepts for now, each with its cause (the exclusion that hides the attack, or the hunt whose false positives stand) and the content's reason." } "\n"
            (table(&gaps))
        }
    }
}

fn misses(r: &Report) -> Markup {
    let ov = &r.overall;
    let steps = tables::unmatched_steps(r);
    html! {
        (section(&tables::misses(r), html! {
            "Malicious rows without an alert, by cause. Recall over every malicious row: " (ratio(ov.recall))
            "; over the rows of a kind some hunt reads: " (ratio(ov.recall_visible)) "."
        }))
        @if !steps.rows.is_empty() {
            h3 { (steps.title) } "\n"
            (table(&steps))
        }
    }
}

fn rejected(r: &Report) -> Markup {
    let n = r.run.rows_rejected;
    html! {
        @if n > 0 || !r.rejected_examples.is_empty() {
            (section(&tables::rejected(r), html! {
                (int(n)) " row" (plural(n)) " could not be read; the first " (r.rejected_examples.len()) " listed."
            }))
        }
    }
}
