//! The report as Markdown (`report.md`). Every string that came from telemetry or
//! a scenario file is escaped with [`crate::escape::markdown`].

use std::fmt::Write;

use crate::escape::markdown as md;
use crate::metrics::{fmt_ratio, Confusion};
use crate::report::Report;

fn ttfd(s: Option<f64>) -> String {
    s.map_or_else(|| "–".to_owned(), |v| format!("{v:.1} s"))
}

fn counts(c: &Confusion) -> String {
    format!("{} / {} / {} / {}", c.tp, c.fp, c.fn_, c.tn)
}

/// Render the report as Markdown.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Detection quality: {}", md(&r.detection.title));
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Content `{}`; IOCs: {}. Seed {}, scale {}; {} scenarios; rows read {}, scored {}, rejected {}.",
        md(&r.detection.id),
        r.detection.iocs.iter().map(|i| md(i)).collect::<Vec<_>>().join(", "),
        r.run.seed,
        r.run.scale,
        r.run.scenario_count,
        r.run.rows_read,
        r.run.rows_scored,
        r.run.rows_rejected
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "## Overall");
    let _ = writeln!(o);
    let _ = writeln!(o, "| level | TP / FP / FN / TN | precision | recall | F1 |");
    let _ = writeln!(o, "|---|---|---|---|---|");
    for (name, c) in [("event", &r.overall.event), ("host", &r.overall.host)] {
        let _ = writeln!(
            o,
            "| {name} | {} | {} | {} | {} |",
            counts(c),
            fmt_ratio(c.precision()),
            fmt_ratio(c.recall()),
            fmt_ratio(c.f1())
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Scenario expectations: {} met, {} failed.",
        r.overall.expectations_met, r.overall.expectations_failed
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "## Scenarios");
    let _ = writeln!(o);
    let _ = writeln!(o, "| scenario | kind | expected | met | rows | malicious | fired | alerts | suppressed | TP / FP / FN / TN | precision | recall | hosts TP / FP / FN / TN | first detection |");
    let _ = writeln!(
        o,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for s in &r.scenarios {
        let expected = match &s.expected_exclusion {
            Some(x) => format!("{} ({})", s.expected_outcome, md(x)),
            None => s.expected_outcome.clone(),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&s.id),
            s.kind,
            expected,
            if s.expectation_met { "yes" } else { "**NO**" },
            s.rows,
            s.malicious_rows,
            s.fired,
            s.alerts,
            s.suppressed,
            counts(&s.event),
            fmt_ratio(s.event.precision()),
            fmt_ratio(s.event.recall()),
            counts(&s.host),
            ttfd(s.time_to_first_detection_s)
        );
    }
    let failed: Vec<_> = r.scenarios.iter().filter(|s| !s.expectation_met).collect();
    if !failed.is_empty() {
        let _ = writeln!(o);
        for s in failed {
            let _ = writeln!(o, "- **{}**: {}", md(&s.id), md(&s.expectation_detail));
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## Hunts");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "| hunt | fired | alerts | TP / FP / FN / TN | precision | recall | F1 |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    for h in &r.hunts {
        let c = &h.confusion;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md(&h.id),
            h.fired,
            h.alerts,
            counts(c),
            fmt_ratio(c.precision()),
            fmt_ratio(c.recall()),
            fmt_ratio(c.f1())
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## Exclusions");
    let _ = writeln!(o);
    let _ = writeln!(o, "Benign rows an exclusion suppressed are the false positives it removes; malicious rows it suppressed are its blind spot. A row two exclusions both suppress counts for each.");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "| exclusion | benign suppressed | malicious hidden | not evaluable | from scenarios |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|");
    for x in &r.exclusions {
        let from = x
            .by_scenario
            .iter()
            .map(|b| {
                format!(
                    "{} ({} benign, {} malicious)",
                    md(&b.scenario),
                    b.benign_suppressed,
                    b.malicious_hidden
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md(&x.id),
            x.benign_suppressed,
            x.malicious_hidden,
            x.not_evaluable,
            if from.is_empty() {
                "–".to_owned()
            } else {
                from
            }
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## Telemetry sources");
    let _ = writeln!(o);
    let _ = writeln!(o, "Rows where a hunt fired but the exclusions could not be evaluated: the source carries no process, so no exclusion can protect against (or suppress) them there.");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "| source | process on row | rows | fired | alerts | exclusions not evaluable |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for s in &r.sources {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            md(&s.source),
            if s.has_process { "yes" } else { "no" },
            s.rows,
            s.fired,
            s.alerts,
            s.not_evaluable
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## DNS matching semantics (before exclusions)");
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "| matcher | definition | TP / FP / FN / TN | precision | recall | F1 |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for s in &r.semantics {
        let c = &s.confusion;
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            md(&s.matcher),
            md(&s.definition),
            counts(c),
            fmt_ratio(c.precision()),
            fmt_ratio(c.recall()),
            fmt_ratio(c.f1())
        );
    }
    if !r.rejected_examples.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "## Rejected rows ({} in all)", r.run.rows_rejected);
        let _ = writeln!(o);
        for x in &r.rejected_examples {
            let _ = writeln!(o, "- {} row {}: {}", md(&x.table), x.row, md(&x.error));
        }
    }
    o
}
