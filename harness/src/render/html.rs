//! The report as one self-contained HTML page (`report.html`): no scripts, no
//! external styles, fonts or images; the charts are inline SVG. Every string that
//! came from telemetry or a scenario file is escaped with [`crate::escape::html`],
//! in text and in attribute values alike, inside the SVG too.
//!
//! The output is deterministic: the same report gives the same bytes (report
//! order is kept, coordinates and ratios are printed with fixed precision, and
//! nothing depends on the clock).

use std::fmt::Write;

use crate::escape::html as e;
use crate::metrics::{fmt_ratio, Confusion};
use crate::report::{Report, ScenarioScore, Timeline};

/// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const BLUE: &str = "#0072B2";
const ORANGE: &str = "#E69F00";
const VERMILLION: &str = "#D55E00";
const SKY: &str = "#56B4E9";
const PURPLE: &str = "#CC79A7";
const GRID: &str = "#d9d9d9";
const INK: &str = "#1a1a1a";
const MUTED: &str = "#5c5c5c";

/// Colours by meaning, shared by the charts and the page.
const C_PRECISION: &str = BLUE;
const C_RECALL: &str = PURPLE;
const C_ALERTED: &str = BLUE;
const C_HIDDEN: &str = ORANGE;
const C_MISSED: &str = VERMILLION;
const C_BENIGN_SUPPRESSED: &str = SKY;

/// Width of every chart's coordinate system.
const CHART_W: f64 = 1000.0;
/// Left edge of every chart's plot area (labels sit to its left).
const PLOT_X: f64 = 250.0;
/// Top of the plot area of the two bar charts.
const BAR_TOP: f64 = 58.0;
/// Longest label shown in a chart before it is shortened (full text in the tooltip).
const LABEL_CHARS: usize = 32;

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
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
.card { border: 1px solid #cfcfcf; border-radius: 8px; padding: 12px 14px; break-inside: avoid; }
.card h3 { margin: 0 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #5c5c5c; }
.figs { display: flex; gap: 22px; }
.fig b { display: block; font-size: 26px; line-height: 1.1; font-variant-numeric: tabular-nums; }
.fig span { color: #5c5c5c; font-size: 12px; }
.counts { margin-top: 8px; color: #5c5c5c; font-size: 12.5px; font-variant-numeric: tabular-nums; }
.card.ok { border-left: 6px solid #0072B2; }
.card.bad { border-left: 6px solid #D55E00; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 5px; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; border-bottom: 1px solid #9a9a9a; font-weight: 600; vertical-align: bottom; }
#scenarios td:first-child { min-width: 13em; }
#scenarios td:nth-child(3) { min-width: 9em; }
#hunts td:first-child code, #exclusions td:first-child code, #sources td:first-child code, ul.by li { white-space: nowrap; }
td code { overflow-wrap: break-word; }
thead tr.group th { background: #e6e6e6; text-align: center; border-bottom: 1px solid #cfcfcf; }
td.n { text-align: right; white-space: nowrap; }
th.n { text-align: right; }
td.c, th.c { text-align: center; }
tbody tr:nth-child(even) { background: #fafafa; }
.title { display: block; color: #5c5c5c; font-size: 12px; }
.met { font-weight: 700; color: #0072B2; }
.unmet { font-weight: 700; color: #fff; background: #D55E00; border-radius: 3px; padding: 0 5px; }
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
    let mut o = String::with_capacity(64 * 1024);
    head(&mut o, r);
    header(&mut o, r);
    charts_intro(&mut o, r);
    scenarios_table(&mut o, r);
    hunts_table(&mut o, r);
    exclusions_section(&mut o, r);
    sources_table(&mut o, r);
    semantics_table(&mut o, r);
    rejected(&mut o, r);
    let _ = writeln!(
        o,
        "<footer>huntlab report, schema version {}. Simulated, labelled telemetry: figures describe the detection against the scenario library, not a production estate.</footer>",
        r.schema_version
    );
    o.push_str("</body>\n</html>\n");
    o
}

fn head(o: &mut String, r: &Report) {
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Defence in depth: even if markup got in, the page may load and run nothing.
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        o,
        "<title>Detection quality: {}</title>",
        e(&r.detection.title)
    );
    let _ = writeln!(o, "<style>{STYLE}</style>");
    o.push_str("</head>\n<body>\n");
}

fn header(o: &mut String, r: &Report) {
    let d = &r.detection;
    let _ = writeln!(o, "<header>\n<h1>Detection quality: {}</h1>", e(&d.title));
    let _ = writeln!(
        o,
        "<p class=\"sub\">Content <code>{}</code> · {} hunt{} · {} exclusion{}</p>",
        e(&d.id),
        d.hunts.len(),
        plural(d.hunts.len()),
        d.exclusions.len(),
        plural(d.exclusions.len())
    );
    let _ = write!(o, "<div><b>Domain IOCs ({})</b>", d.iocs.len());
    if d.iocs.is_empty() {
        o.push_str(" <span class=\"muted\">none</span></div>\n");
    } else {
        o.push_str("<ul class=\"iocs\">");
        for i in &d.iocs {
            let _ = write!(o, "<li><code>{}</code></li>", e(i));
        }
        o.push_str("</ul></div>\n");
    }
    let run = &r.run;
    o.push_str("<dl class=\"run\">");
    for (k, v) in [
        ("seed", run.seed.to_string()),
        ("scale", fmt_float(run.scale)),
        ("scenarios", int(run.scenario_count as u64)),
        ("rows read", int(run.rows_read)),
        ("rows scored", int(run.rows_scored)),
        ("rows rejected", int(run.rows_rejected)),
    ] {
        let _ = write!(o, "<div><dt>{k}</dt><dd>{v}</dd></div>");
    }
    o.push_str("</dl>\n");

    let ov = &r.overall;
    o.push_str("<section class=\"cards\" aria-label=\"Overall figures\">\n");
    card(
        o,
        "Event level (every row)",
        ov.precision,
        ov.recall,
        ov.f1,
        &ov.event,
    );
    card(
        o,
        "Host level (infected vs flagged)",
        ov.host.precision(),
        ov.host.recall(),
        ov.host.f1(),
        &ov.host,
    );
    let total = ov.expectations_met + ov.expectations_failed;
    let class = if ov.expectations_failed > 0 {
        "bad"
    } else {
        "ok"
    };
    let _ = writeln!(
        o,
        "<div class=\"card {class}\"><h3>Scenario expectations</h3><div class=\"figs\"><div class=\"fig\"><b>{}</b><span>met</span></div><div class=\"fig\"><b>{}</b><span>failed</span></div></div><div class=\"counts\">{}</div></div>",
        ov.expectations_met,
        ov.expectations_failed,
        if ov.expectations_failed > 0 {
            format!(
                "<span class=\"warn\">{} of {} scenario{} did not behave as declared.</span>",
                ov.expectations_failed,
                total,
                plural(total)
            )
        } else {
            format!("All {total} scenario{} behaved as declared.", plural(total))
        }
    );
    o.push_str("</section>\n</header>\n");
}

fn card(
    o: &mut String,
    title: &str,
    p: Option<f64>,
    rc: Option<f64>,
    f1: Option<f64>,
    c: &Confusion,
) {
    let _ = writeln!(
        o,
        "<div class=\"card\"><h3>{title}</h3><div class=\"figs\"><div class=\"fig\"><b>{}</b><span>precision</span></div><div class=\"fig\"><b>{}</b><span>recall</span></div><div class=\"fig\"><b>{}</b><span>F1</span></div></div><div class=\"counts\">TP {} · FP {} · FN {} · TN {}</div></div>",
        ratio(p),
        ratio(rc),
        ratio(f1),
        int(c.tp),
        int(c.fp),
        int(c.fn_),
        int(c.tn)
    );
}

fn charts_intro(o: &mut String, r: &Report) {
    o.push_str("<h2>Charts</h2>\n");
    o.push_str("<h3>Precision and recall per scenario</h3>\n<figure>\n");
    chart_precision_recall(o, r);
    o.push_str("<figcaption>Event-level precision and recall per scenario. <i>n/a</i>: precision is undefined when nothing alerted, recall when no row was malicious.</figcaption>\n</figure>\n");
    o.push_str("<h3>When the malicious activity was alerted</h3>\n<figure>\n");
    chart_timeline(o, r);
    o.push_str("<figcaption>Malicious rows of each scenario over its activity, from its first to its last malicious row, in equal-width bins. Bar height: rows in the bin, relative to that scenario's busiest bin.</figcaption>\n</figure>\n");
    o.push_str("<h3>What each exclusion removes and what it hides</h3>\n<figure>\n");
    chart_exclusions(o, r);
    o.push_str("<figcaption>Per exclusion: benign rows it suppressed (the false positives it removes) against malicious rows it suppressed (its blind spot).</figcaption>\n</figure>\n");
}

fn scenarios_table(o: &mut String, r: &Report) {
    o.push_str("<h2>Scenarios</h2>\n");
    o.push_str("<p class=\"note\">Event columns count rows: a malicious row is a true positive when an alert stands on it. Host columns count hosts: infected (any malicious row) against flagged (any alert). First detection: time from the scenario's first malicious row to its first alert on a malicious row.</p>\n");
    o.push_str("<div class=\"scroll\"><table id=\"scenarios\">\n<thead>\n");
    o.push_str("<tr class=\"group\"><th colspan=\"4\"></th><th colspan=\"5\">Rows</th><th colspan=\"6\">Event level</th><th>Host level</th><th></th></tr>\n");
    o.push_str("<tr><th>Scenario</th><th>Kind</th><th>Expected</th><th class=\"c\">Met</th>");
    numeric_headers(
        o,
        &[
            "rows",
            "malicious",
            "fired",
            "alerts",
            "suppressed",
            "TP",
            "FP",
            "FN",
            "TN",
            "precision",
            "recall",
            "TP / FP / FN / TN",
            "first detection",
        ],
    );
    o.push_str("</tr>\n</thead>\n<tbody>\n");
    for s in &r.scenarios {
        let expected = match &s.expected_exclusion {
            Some(x) => format!(
                "{} <span class=\"muted\">by</span> <code>{}</code>",
                e(&s.expected_outcome),
                e(x)
            ),
            None => e(&s.expected_outcome),
        };
        let met = if s.expectation_met {
            format!(
                "<span class=\"met\" title=\"{}\">✓</span>",
                e(&s.expectation_detail)
            )
        } else {
            format!(
                "<span class=\"unmet\" title=\"{}\">✗</span>",
                e(&s.expectation_detail)
            )
        };
        let _ = write!(
            o,
            "<tr{}><td><code>{}</code><span class=\"title\">{}</span></td><td>{}</td><td>{}</td><td class=\"c\">{}</td>",
            if s.expectation_met { "" } else { " class=\"failed\"" },
            e(&s.id),
            e(&s.title),
            kind_badge(&s.kind),
            expected,
            met
        );
        for v in [
            s.rows,
            s.malicious_rows,
            s.fired,
            s.alerts,
            s.suppressed,
            s.event.tp,
            s.event.fp,
            s.event.fn_,
            s.event.tn,
        ] {
            let _ = write!(o, "<td class=\"n\">{}</td>", int(v));
        }
        let _ = write!(
            o,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
            ratio(s.event.precision()),
            ratio(s.event.recall())
        );
        let _ = writeln!(
            o,
            "<td class=\"n\">{} / {} / {} / {}</td><td class=\"n\">{}</td></tr>",
            int(s.host.tp),
            int(s.host.fp),
            int(s.host.fn_),
            int(s.host.tn),
            ttfd(s)
        );
    }
    o.push_str("</tbody>\n</table></div>\n");
    let failed: Vec<&ScenarioScore> = r.scenarios.iter().filter(|s| !s.expectation_met).collect();
    if !failed.is_empty() {
        o.push_str("<h3>Expectations that did not hold</h3>\n<ul class=\"fails\">\n");
        for s in failed {
            let _ = writeln!(
                o,
                "<li><code>{}</code>: {}</li>",
                e(&s.id),
                e(&s.expectation_detail)
            );
        }
        o.push_str("</ul>\n");
    }
}

fn hunts_table(o: &mut String, r: &Report) {
    o.push_str("<h2>Hunts</h2>\n");
    o.push_str("<p class=\"note\">Each hunt over the rows of the kinds it reads, after exclusions. Fired: rows it matched; alerts: of those, rows no exclusion suppressed.</p>\n");
    o.push_str("<div class=\"scroll\"><table id=\"hunts\">\n<thead><tr><th>Hunt</th>");
    numeric_headers(
        o,
        &[
            "fired",
            "alerts",
            "TP",
            "FP",
            "FN",
            "TN",
            "precision",
            "recall",
            "F1",
        ],
    );
    o.push_str("</tr></thead>\n<tbody>\n");
    for h in &r.hunts {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            e(&h.id),
            int(h.fired),
            int(h.alerts)
        );
        confusion_cells(o, &h.confusion);
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table></div>\n");
}

fn exclusions_section(o: &mut String, r: &Report) {
    o.push_str("<h2>Exclusions</h2>\n");
    o.push_str("<p class=\"note\">Benign rows an exclusion suppressed are the false positives it removes; malicious rows it suppressed are its blind spot. A row two exclusions both suppress counts for each. Not evaluable: rows a hunt fired on where the exclusion could not be checked because the row carries no process.</p>\n");
    o.push_str("<div class=\"scroll\"><table id=\"exclusions\">\n<thead><tr><th>Exclusion</th><th>Documented for</th><th class=\"n\">benign suppressed</th><th class=\"n\">malicious hidden</th><th class=\"n\">not evaluable</th><th>By scenario</th></tr></thead>\n<tbody>\n");
    for x in &r.exclusions {
        let hidden = if x.malicious_hidden > 0 {
            format!("<span class=\"warn\">{}</span>", int(x.malicious_hidden))
        } else {
            int(x.malicious_hidden)
        };
        let by = if x.by_scenario.is_empty() {
            "<span class=\"muted\">–</span>".to_owned()
        } else {
            let mut b = String::from("<ul class=\"by\">");
            for s in &x.by_scenario {
                let _ = write!(
                    b,
                    "<li><code>{}</code> {} benign · {}</li>",
                    e(&s.scenario),
                    int(s.benign_suppressed),
                    if s.malicious_hidden > 0 {
                        format!(
                            "<span class=\"warn\">{} malicious</span>",
                            int(s.malicious_hidden)
                        )
                    } else {
                        "0 malicious".to_owned()
                    }
                );
            }
            b.push_str("</ul>");
            b
        };
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            e(&x.id),
            e(&x.scenario),
            int(x.benign_suppressed),
            hidden,
            int(x.not_evaluable),
            by
        );
    }
    o.push_str("</tbody>\n</table></div>\n");
}

fn sources_table(o: &mut String, r: &Report) {
    o.push_str("<h2>Telemetry sources</h2>\n");
    o.push_str("<p class=\"note\">Exclusions not evaluable: rows where a hunt fired but the source carries no querying or acting process, so no exclusion can suppress (or protect against) them there.</p>\n");
    o.push_str("<div class=\"scroll\"><table id=\"sources\">\n<thead><tr><th>Source</th><th class=\"c\">process on row</th><th class=\"n\">rows</th><th class=\"n\">fired</th><th class=\"n\">alerts</th><th class=\"n\">exclusions not evaluable</th></tr></thead>\n<tbody>\n");
    for s in &r.sources {
        let ne = if s.not_evaluable > 0 {
            format!("<span class=\"warn\">{}</span>", int(s.not_evaluable))
        } else {
            int(s.not_evaluable)
        };
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td class=\"c\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            e(&s.source),
            if s.has_process { "yes" } else { "<span class=\"warn\">no</span>" },
            int(s.rows),
            int(s.fired),
            int(s.alerts),
            ne
        );
    }
    o.push_str("</tbody>\n</table></div>\n");
}

fn semantics_table(o: &mut String, r: &Report) {
    o.push_str("<h2>DNS matching semantics</h2>\n");
    o.push_str("<p class=\"note\">The query's <code>has_any</code> against strict alternatives, scored on every DNS row before exclusions.</p>\n");
    o.push_str("<div class=\"scroll\"><table id=\"semantics\">\n<thead><tr><th>Matcher</th><th>Definition</th>");
    numeric_headers(o, &["TP", "FP", "FN", "TN", "precision", "recall", "F1"]);
    o.push_str("</tr></thead>\n<tbody>\n");
    for s in &r.semantics {
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td>",
            e(&s.matcher),
            e(&s.definition)
        );
        confusion_cells(o, &s.confusion);
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table></div>\n");
}

fn rejected(o: &mut String, r: &Report) {
    if r.rejected_examples.is_empty() && r.run.rows_rejected == 0 {
        return;
    }
    let _ = writeln!(
        o,
        "<h2>Rejected rows</h2>\n<p class=\"note\">{} row{} could not be read; the first {} listed.</p>",
        int(r.run.rows_rejected),
        plural_u64(r.run.rows_rejected),
        r.rejected_examples.len()
    );
    o.push_str("<div class=\"scroll\"><table id=\"rejected\">\n<thead><tr><th>Table or file</th><th class=\"n\">row</th><th>Why</th></tr></thead>\n<tbody>\n");
    for x in &r.rejected_examples {
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
            e(&x.table),
            x.row,
            e(&x.error)
        );
    }
    o.push_str("</tbody>\n</table></div>\n");
}

fn confusion_cells(o: &mut String, c: &Confusion) {
    for v in [c.tp, c.fp, c.fn_, c.tn] {
        let _ = write!(o, "<td class=\"n\">{}</td>", int(v));
    }
    for v in [c.precision(), c.recall(), c.f1()] {
        let _ = write!(o, "<td class=\"n\">{}</td>", ratio(v));
    }
}

fn kind_badge(kind: &str) -> String {
    let class = match kind {
        "benign" => "benign",
        "malicious" => "malicious",
        "adversarial" => "adversarial",
        _ => "other",
    };
    format!("<span class=\"kind {class}\">{}</span>", e(kind))
}

// ---------------------------------------------------------------- charts

/// `<svg>` opening with its accessible name; `title` is static text.
fn svg_open(o: &mut String, id: &str, height: f64, title: &str) {
    let _ = writeln!(
        o,
        "<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-label=\"{title}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\"><title>{title}</title>",
        px(CHART_W),
        px(height),
        px(CHART_W),
        px(height)
    );
    let _ = writeln!(
        o,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        px(CHART_W),
        px(height)
    );
}

/// A legend: swatches and labels in one line starting at `(x, y)`.
fn legend(o: &mut String, x: f64, y: f64, items: &[(&str, &str)]) {
    let mut cx = x;
    o.push_str("<g class=\"legend\">");
    for (fill, label) in items {
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{INK}\">{label}</text>",
            px(cx),
            px(y - 11.0),
            px(cx + 19.0),
            px(y)
        );
        cx += 19.0 + 7.5 * label.chars().count() as f64 + 22.0;
    }
    o.push_str("</g>\n");
}

/// A row label at the left of a chart: shortened if long, full text in a tooltip.
fn row_label(o: &mut String, y: f64, text: &str) {
    let short = shorten(text, LABEL_CHARS);
    let _ = writeln!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"12.5\" text-anchor=\"end\" fill=\"{INK}\"><title>{}</title>{}</text>",
        px(PLOT_X - 10.0),
        px(y),
        e(text),
        e(&short)
    );
}

fn chart_precision_recall(o: &mut String, r: &Report) {
    const PLOT_W: f64 = 620.0;
    const TOP: f64 = BAR_TOP;
    const GROUP_H: f64 = 34.0;
    const BAR_H: f64 = 12.0;
    let n = r.scenarios.len();
    let height = TOP + GROUP_H * n.max(1) as f64 + 30.0;
    svg_open(
        o,
        "chart-precision-recall",
        height,
        "Precision and recall per scenario",
    );
    legend(
        o,
        PLOT_X,
        22.0,
        &[(C_PRECISION, "precision"), (C_RECALL, "recall")],
    );
    let bottom = TOP + GROUP_H * n.max(1) as f64;
    // Grid and axis.
    for i in 0..=4 {
        let v = f64::from(i) / 4.0;
        let x = PLOT_X + v * PLOT_W;
        grid_line(o, i == 0, x, bottom, &format!("{v:.2}"));
    }
    if n == 0 {
        empty_note(o, "no scenarios");
    }
    for (i, s) in r.scenarios.iter().enumerate() {
        let gy = TOP + GROUP_H * i as f64;
        row_label(o, gy + 19.0, &s.id);
        for (k, (name, colour, v)) in [
            ("precision", C_PRECISION, s.event.precision()),
            ("recall", C_RECALL, s.event.recall()),
        ]
        .into_iter()
        .enumerate()
        {
            let y = gy + 4.0 + k as f64 * (BAR_H + 2.0);
            let tip = format!("{}: {name} {}", e(&s.id), fmt_ratio(finite(v)));
            match finite(v) {
                Some(v) => {
                    let w = v.clamp(0.0, 1.0) * PLOT_W;
                    let _ = writeln!(
                        o,
                        "<g><title>{tip}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{INK}\">{v:.3}</text></g>",
                        px(PLOT_X),
                        px(y),
                        px(w),
                        px(BAR_H),
                        px(PLOT_X + w + 4.0),
                        px(y + BAR_H - 2.0)
                    );
                }
                None => {
                    let _ = writeln!(
                        o,
                        "<g><title>{tip}</title><rect x=\"{}\" y=\"{}\" width=\"28\" height=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-dasharray=\"3 2\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" font-style=\"italic\" fill=\"{MUTED}\">n/a {name}</text></g>",
                        px(PLOT_X),
                        px(y),
                        px(BAR_H),
                        px(PLOT_X + 32.0),
                        px(y + BAR_H - 2.0)
                    );
                }
            }
        }
    }
    o.push_str("</svg>\n");
}

fn chart_exclusions(o: &mut String, r: &Report) {
    const PLOT_W: f64 = 620.0;
    const TOP: f64 = BAR_TOP;
    const GROUP_H: f64 = 34.0;
    const BAR_H: f64 = 12.0;
    let n = r.exclusions.len();
    let height = TOP + GROUP_H * n.max(1) as f64 + 30.0;
    svg_open(
        o,
        "chart-exclusions",
        height,
        "Benign rows suppressed against malicious rows hidden, per exclusion",
    );
    legend(
        o,
        PLOT_X,
        22.0,
        &[
            (
                C_BENIGN_SUPPRESSED,
                "benign suppressed (false positives removed)",
            ),
            (C_HIDDEN, "malicious hidden (blind spot)"),
        ],
    );
    let max = r
        .exclusions
        .iter()
        .map(|x| x.benign_suppressed.max(x.malicious_hidden))
        .max()
        .unwrap_or(0);
    let top = nice_ceil(max);
    let bottom = TOP + GROUP_H * n.max(1) as f64;
    let mut ticks = vec![0, top];
    if top / 2 * 2 == top {
        ticks.insert(1, top / 2);
    }
    for (i, t) in ticks.iter().enumerate() {
        let x = PLOT_X + scale(*t, top) * PLOT_W;
        grid_line(o, i == 0, x, bottom, &int(*t));
    }
    if n == 0 {
        empty_note(o, "no exclusions");
    }
    for (i, x) in r.exclusions.iter().enumerate() {
        let gy = TOP + GROUP_H * i as f64;
        row_label(o, gy + 19.0, &x.id);
        for (k, (name, colour, v)) in [
            (
                "benign suppressed",
                C_BENIGN_SUPPRESSED,
                x.benign_suppressed,
            ),
            ("malicious hidden", C_HIDDEN, x.malicious_hidden),
        ]
        .into_iter()
        .enumerate()
        {
            let y = gy + 4.0 + k as f64 * (BAR_H + 2.0);
            let w = scale(v, top) * PLOT_W;
            let _ = writeln!(
                o,
                "<g><title>{}: {name} {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{INK}\">{}</text></g>",
                e(&x.id),
                int(v),
                px(PLOT_X),
                px(y),
                px(w),
                px(BAR_H),
                px(PLOT_X + w + 4.0),
                px(y + BAR_H - 2.0),
                int(v)
            );
        }
    }
    o.push_str("</svg>\n");
}

fn chart_timeline(o: &mut String, r: &Report) {
    const PLOT_W: f64 = 480.0;
    const TOP: f64 = 44.0;
    const ROW_H: f64 = 40.0;
    const BAR_MAX: f64 = 28.0;
    let rows: Vec<(&ScenarioScore, &Timeline)> = r
        .scenarios
        .iter()
        .filter_map(|s| s.timeline.as_ref().map(|t| (s, t)))
        .collect();
    let n = rows.len();
    let height = TOP + ROW_H * n.max(1) as f64 + 30.0;
    svg_open(
        o,
        "chart-timeline",
        height,
        "Alert timeline of the malicious rows per scenario: alerted, hidden by an exclusion, missed",
    );
    legend(
        o,
        PLOT_X,
        22.0,
        &[
            (C_ALERTED, "alerted"),
            (C_HIDDEN, "hidden by an exclusion"),
            (C_MISSED, "missed (no hunt fired)"),
        ],
    );
    if n == 0 {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{MUTED}\">no scenario with malicious rows</text>",
            px(PLOT_X + 8.0),
            px(TOP + 24.0)
        );
    }
    let summary_x = PLOT_X + PLOT_W + 14.0;
    for (i, (s, t)) in rows.iter().enumerate() {
        let ry = TOP + ROW_H * i as f64;
        let base = ry + 4.0 + BAR_MAX;
        o.push_str("<g class=\"tl-row\">\n");
        let _ = writeln!(
            o,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\"/>",
            px(PLOT_X),
            px(ry + 4.0),
            px(PLOT_W),
            px(BAR_MAX)
        );
        row_label(o, ry + 23.0, &s.id);
        let bins = t.alerted.len().max(t.hidden.len()).max(t.missed.len());
        let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
        let busiest = (0..bins)
            .map(|b| at(&t.alerted, b) + at(&t.hidden, b) + at(&t.missed, b))
            .max()
            .unwrap_or(0);
        let bw = if bins == 0 { 0.0 } else { PLOT_W / bins as f64 };
        for b in 0..bins {
            let (a, h, m) = (at(&t.alerted, b), at(&t.hidden, b), at(&t.missed, b));
            if a + h + m == 0 {
                continue;
            }
            let _ = write!(
                o,
                "<g><title>{}, bin {} of {bins}: {} alerted, {} hidden, {} missed</title>",
                e(&s.id),
                b + 1,
                int(a),
                int(h),
                int(m)
            );
            let mut y = base;
            for (v, colour) in [(a, C_ALERTED), (h, C_HIDDEN), (m, C_MISSED)] {
                if v == 0 {
                    continue;
                }
                let hgt = (scale(v, busiest) * BAR_MAX).max(1.5);
                y -= hgt;
                let _ = write!(
                    o,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"/>",
                    px(PLOT_X + bw * b as f64 + 0.5),
                    px(y),
                    px((bw - 1.0).max(0.5)),
                    px(hgt)
                );
            }
            o.push_str("</g>\n");
        }
        let _ = writeln!(
            o,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{MUTED}\" stroke-width=\"1\"/>",
            px(PLOT_X),
            px(base),
            px(PLOT_X + PLOT_W),
            px(base)
        );
        let sum = |v: &[u64]| v.iter().sum::<u64>();
        let (a, h, m) = (sum(&t.alerted), sum(&t.hidden), sum(&t.missed));
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{INK}\"><tspan fill=\"{C_ALERTED}\" font-weight=\"700\">{}</tspan> alerted · <tspan fill=\"#9a5f00\" font-weight=\"700\">{}</tspan> hidden · <tspan fill=\"{C_MISSED}\" font-weight=\"700\">{}</tspan> missed</text>",
            px(summary_x),
            px(ry + 17.0),
            int(a),
            int(h),
            int(m)
        );
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{MUTED}\">over {}; first alert {}</text>",
            px(summary_x),
            px(ry + 32.0),
            duration(t.end_ms.saturating_sub(t.start_ms) as f64 / 1000.0),
            ttfd(s)
        );
        o.push_str("</g>\n");
    }
    let axis_y = TOP + ROW_H * n.max(1) as f64 + 12.0;
    let _ = writeln!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{MUTED}\">first malicious row</text><text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"{MUTED}\">last malicious row</text>",
        px(PLOT_X),
        px(axis_y),
        px(PLOT_X + PLOT_W),
        px(axis_y)
    );
    o.push_str("</svg>\n");
}

// ---------------------------------------------------------------- formatting

/// A coordinate with fixed precision; never `NaN` or infinite.
fn px(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0.0".to_owned()
    }
}

/// `v / max` in `[0, 1]`; 0 when `max` is 0.
fn scale(v: u64, max: u64) -> f64 {
    if max == 0 {
        0.0
    } else {
        (v as f64 / max as f64).clamp(0.0, 1.0)
    }
}

/// The smallest of 1, 2, 5 × 10^k at or above `max` (1 for 0).
fn nice_ceil(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let c = step.saturating_mul(m);
            if c >= max {
                return c;
            }
        }
        if step > u64::MAX / 10 {
            return max;
        }
        step *= 10;
    }
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

fn ratio(v: Option<f64>) -> String {
    match finite(v) {
        Some(_) => fmt_ratio(v),
        None => "<span class=\"muted\">n/a</span>".to_owned(),
    }
}

fn fmt_float(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "n/a".to_owned()
    }
}

/// An integer with thousands separators.
fn int(v: u64) -> String {
    let digits = v.to_string();
    let head = match digits.len() % 3 {
        0 => 3,
        n => n,
    };
    let mut out = String::from(&digits[..head]);
    for group in digits.as_bytes()[head..].chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).unwrap_or_default());
    }
    out
}

/// Seconds for people: `42.0 s`, `3 min 20 s`, `2 h 05 min`.
fn duration(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "n/a".to_owned();
    }
    if secs < 60.0 {
        return format!("{secs:.1} s");
    }
    let whole = secs.round() as u64;
    if whole < 3600 {
        format!("{} min {} s", whole / 60, whole % 60)
    } else if whole < 86_400 {
        format!("{} h {:02} min", whole / 3600, (whole % 3600) / 60)
    } else {
        format!("{} d {:02} h", whole / 86_400, (whole % 86_400) / 3600)
    }
}

fn ttfd(s: &ScenarioScore) -> String {
    match s.time_to_first_detection_s {
        Some(v) => duration(v),
        None if s.malicious_rows > 0 => "never".to_owned(),
        None => "–".to_owned(),
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_u64(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Right-aligned header cells for a table's numeric columns.
fn numeric_headers(o: &mut String, names: &[&str]) {
    for h in names {
        let _ = write!(o, "<th class=\"n\">{h}</th>");
    }
}

/// A vertical grid line of a bar chart with its axis label (the first one darker).
fn grid_line(o: &mut String, first: bool, x: f64, bottom: f64, label: &str) {
    let _ = writeln!(
        o,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/><text x=\"{x}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
        px(BAR_TOP - 6.0),
        px(bottom),
        if first { MUTED } else { GRID },
        px(bottom + 16.0),
        label,
        x = px(x)
    );
}

/// The note a bar chart shows when it has no rows.
fn empty_note(o: &mut String, text: &str) {
    let _ = writeln!(
        o,
        "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"{MUTED}\">{text}</text>",
        px(PLOT_X + 8.0),
        px(BAR_TOP + 20.0)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::*;

    const SCRIPT_ID: &str = "<script>alert(1)</script>";
    const IMG_ID: &str = "\"><img src=x onerror=alert(1)>";

    fn scenario(
        id: &str,
        kind: &str,
        event: Confusion,
        timeline: Option<Timeline>,
    ) -> ScenarioScore {
        ScenarioScore {
            id: id.to_owned(),
            title: format!("title of {id}"),
            kind: kind.to_owned(),
            expected_outcome: if kind == "benign" {
                "suppressed"
            } else {
                "alert"
            }
            .to_owned(),
            expected_exclusion: (kind == "benign").then(|| "excl-updater".to_owned()),
            expectation_met: kind != "adversarial",
            expectation_detail: format!("detail for {id}"),
            rows: event.total(),
            malicious_rows: event.tp + event.fn_,
            fired: event.tp + event.fp + 1,
            alerts: event.tp + event.fp,
            suppressed: 1,
            event,
            host: Confusion {
                tp: 1,
                fp: 0,
                fn_: 0,
                tn: 2,
            },
            time_to_first_detection_s: (event.tp > 0).then_some(75.5),
            timeline,
        }
    }

    fn sample() -> Report {
        let tl = |a: Vec<u64>, h: Vec<u64>, m: Vec<u64>| Timeline {
            start_ms: 1_700_000_000_000,
            end_ms: 1_700_000_000_000 + 3_600_000,
            alerted: a,
            hidden: h,
            missed: m,
        };
        Report {
            schema_version: SCHEMA_VERSION,
            detection: DetectionInfo {
                id: "nanocore-dns".into(),
                title: "NanoCore RAT DNS hunt".into(),
                iocs: vec!["bad.example".into(), "c2.example".into()],
                hunts: vec!["dns".into(), "proc".into()],
                exclusions: vec!["excl-updater".into()],
            },
            run: RunInfo {
                seed: 7,
                scale: 1.0,
                scenario_count: 4,
                rows_read: 1200,
                rows_scored: 1198,
                rows_rejected: 2,
            },
            overall: Overall {
                precision: Some(0.9),
                recall: Some(0.75),
                f1: Some(0.818182),
                event: Confusion {
                    tp: 9,
                    fp: 1,
                    fn_: 3,
                    tn: 1185,
                },
                host: Confusion {
                    tp: 2,
                    fp: 0,
                    fn_: 1,
                    tn: 5,
                },
                expectations_met: 3,
                expectations_failed: 1,
            },
            hunts: vec![HuntScore {
                id: "dns".into(),
                fired: 12,
                alerts: 10,
                confusion: Confusion {
                    tp: 9,
                    fp: 1,
                    fn_: 3,
                    tn: 900,
                },
            }],
            scenarios: vec![
                scenario(
                    "benign-updater",
                    "benign",
                    Confusion {
                        tp: 0,
                        fp: 0,
                        fn_: 0,
                        tn: 400,
                    },
                    None,
                ),
                scenario(
                    "nanocore-beacon",
                    "malicious",
                    Confusion {
                        tp: 9,
                        fp: 1,
                        fn_: 1,
                        tn: 300,
                    },
                    Some(tl(vec![1, 2, 0, 6], vec![0, 0, 1, 0], vec![0, 0, 0, 1])),
                ),
                scenario(
                    SCRIPT_ID,
                    "adversarial",
                    Confusion {
                        tp: 0,
                        fp: 0,
                        fn_: 2,
                        tn: 200,
                    },
                    Some(tl(vec![0, 0], vec![1, 0], vec![0, 1])),
                ),
                scenario(
                    IMG_ID,
                    "background",
                    Confusion {
                        tp: 0,
                        fp: 0,
                        fn_: 0,
                        tn: 285,
                    },
                    None,
                ),
            ],
            exclusions: vec![ExclusionScore {
                id: "excl-updater".into(),
                scenario: "benign-updater".into(),
                benign_suppressed: 40,
                malicious_hidden: 1,
                not_evaluable: 3,
                by_scenario: vec![ExclusionByScenario {
                    scenario: IMG_ID.into(),
                    benign_suppressed: 40,
                    malicious_hidden: 1,
                }],
            }],
            sources: vec![SourceScore {
                source: "DnsEvents".into(),
                rows: 900,
                fired: 12,
                alerts: 10,
                not_evaluable: 3,
                has_process: false,
            }],
            semantics: vec![SemanticsScore {
                matcher: "has_any".into(),
                definition: "term match".into(),
                confusion: Confusion {
                    tp: 9,
                    fp: 2,
                    fn_: 3,
                    tn: 886,
                },
            }],
            rejected_examples: vec![Rejected {
                table: "DnsEvents".into(),
                row: 17,
                error: "bad <b>field</b>".into(),
            }],
        }
    }

    fn zero() -> Report {
        let mut r = sample();
        r.run = RunInfo {
            seed: 0,
            scale: 0.0,
            scenario_count: 0,
            rows_read: 0,
            rows_scored: 0,
            rows_rejected: 0,
        };
        r.overall = Overall {
            precision: None,
            recall: None,
            f1: None,
            event: Confusion::default(),
            host: Confusion::default(),
            expectations_met: 0,
            expectations_failed: 0,
        };
        for s in &mut r.scenarios {
            *s = ScenarioScore {
                rows: 0,
                malicious_rows: 0,
                fired: 0,
                alerts: 0,
                suppressed: 0,
                event: Confusion::default(),
                host: Confusion::default(),
                time_to_first_detection_s: None,
                timeline: s.timeline.as_ref().map(|t| Timeline {
                    start_ms: 0,
                    end_ms: 0,
                    alerted: vec![0; t.alerted.len()],
                    hidden: vec![0; t.hidden.len()],
                    missed: vec![0; t.missed.len()],
                }),
                ..s.clone()
            };
        }
        for x in &mut r.exclusions {
            x.benign_suppressed = 0;
            x.malicious_hidden = 0;
            x.not_evaluable = 0;
        }
        r
    }

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
            "scenarios",
            "hunts",
            "exclusions",
            "sources",
            "semantics",
            "rejected",
        ] {
            assert!(page.contains(&format!("<table id=\"{id}\">")), "table {id}");
        }
        for id in [
            "chart-precision-recall",
            "chart-exclusions",
            "chart-timeline",
        ] {
            let s = svg(&page, id);
            assert!(s.contains("role=\"img\""), "{id} role");
            assert!(s.contains("aria-label=\""), "{id} aria-label");
            assert!(s.contains("<title>"), "{id} title");
            assert!(s.contains("<rect"), "{id} rect");
        }
        let scenarios = &page[page.find("<table id=\"scenarios\">").unwrap()..];
        let body =
            &scenarios[scenarios.find("<tbody>").unwrap()..scenarios.find("</tbody>").unwrap()];
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
    fn precision_recall_chart_shows_undefined_ratios_as_na() {
        let page = render(&sample());
        let s = svg(&page, "chart-precision-recall");
        // The benign scenario has neither alerts nor malicious rows.
        assert!(s.contains("n/a precision") && s.contains("n/a recall"));
        assert!(s.contains(">0.900</text>"));
    }

    #[test]
    fn hostile_strings_appear_only_escaped() {
        let page = render(&sample());
        assert!(!page.contains("<script"), "no script element");
        assert!(!page.contains("<img"), "no img element");
        assert!(!page.contains(SCRIPT_ID) && !page.contains(IMG_ID));
        assert!(!page.contains("<b>field</b>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        // Inside the SVG too, in labels and tooltips.
        let s = svg(&page, "chart-precision-recall");
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
        for id in [
            "chart-precision-recall",
            "chart-exclusions",
            "chart-timeline",
        ] {
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
        assert!(page.contains("no scenarios") && page.contains("no exclusions"));
        assert!(page.contains("no scenario with malicious rows"));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(render(&sample()), render(&sample()));
    }

    #[test]
    fn helpers() {
        assert_eq!(int(1_234_567), "1,234,567");
        assert_eq!(int(0), "0");
        assert_eq!(int(100), "100");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(123_456), "123,456");
        assert_eq!(nice_ceil(0), 1);
        assert_eq!(nice_ceil(3), 5);
        assert_eq!(nice_ceil(40), 50);
        assert_eq!(nice_ceil(100), 100);
        assert_eq!(scale(5, 0), 0.0);
        assert_eq!(px(f64::NAN), "0.0");
        assert_eq!(duration(75.5), "1 min 16 s");
        assert_eq!(duration(7260.0), "2 h 01 min");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
