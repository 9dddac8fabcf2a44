//! The report as a terminal table, with colour when asked for. Strings from
//! telemetry or scenario files pass through [`crate::escape::terminal`].

use std::fmt::Write;

use crate::escape::terminal as esc;
use crate::metrics::fmt_ratio;
use crate::report::Report;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn ok(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn bad(&self, s: &str) -> String {
        self.wrap("31;1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_owned()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// Render the report for a terminal; `colour` adds ANSI colours.
pub fn render(r: &Report, colour: bool) -> String {
    let p = Paint(colour);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        p.bold(&format!("huntlab report: {}", esc(&r.detection.title)))
    );
    let _ = writeln!(
        o,
        "{}",
        p.dim(&format!(
            "seed {}  scale {}  scenarios {}  rows read {} = scored {} + rejected {}",
            r.run.seed,
            r.run.scale,
            r.run.scenario_count,
            r.run.rows_read,
            r.run.rows_scored,
            r.run.rows_rejected
        ))
    );
    let _ = writeln!(o);
    let w = r
        .scenarios
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let header = format!(
        "{}  {}  {}  {:>6} {:>5} {:>6} {:>6}  {:>5} {:>5} {:>5} {:>6}  {:>6} {:>6}  {:>9}  {}",
        pad("scenario", w),
        pad("kind", 11),
        pad("expected", 32),
        "rows",
        "mal",
        "fired",
        "alerts",
        "TP",
        "FP",
        "FN",
        "TN",
        "prec",
        "recall",
        "hosts hit",
        "met"
    );
    let _ = writeln!(o, "{}", p.bold(&header));
    for s in &r.scenarios {
        let expected = match &s.expected_exclusion {
            Some(x) => format!("{} ({})", s.expected_outcome, esc(x)),
            None => s.expected_outcome.clone(),
        };
        let hosts = format!("{}/{}", s.host.tp + s.host.fp, s.host.total());
        let met = if s.expectation_met {
            p.ok("yes")
        } else {
            p.bad("NO")
        };
        let _ = writeln!(
            o,
            "{}  {}  {}  {:>6} {:>5} {:>6} {:>6}  {:>5} {:>5} {:>5} {:>6}  {:>6} {:>6}  {:>9}  {}",
            pad(&esc(&s.id), w),
            pad(&s.kind, 11),
            pad(&expected, 32),
            s.rows,
            s.malicious_rows,
            s.fired,
            s.alerts,
            s.event.tp,
            s.event.fp,
            s.event.fn_,
            s.event.tn,
            fmt_ratio(s.event.precision()),
            fmt_ratio(s.event.recall()),
            hosts,
            met
        );
    }
    let _ = writeln!(o);
    let ev = &r.overall.event;
    let host = &r.overall.host;
    let _ = writeln!(
        o,
        "{}  events: precision {}  recall {}  F1 {}   hosts: precision {}  recall {}  F1 {}",
        p.bold("overall"),
        fmt_ratio(ev.precision()),
        fmt_ratio(ev.recall()),
        fmt_ratio(ev.f1()),
        fmt_ratio(host.precision()),
        fmt_ratio(host.recall()),
        fmt_ratio(host.f1())
    );
    let _ = writeln!(o);
    let xw = r
        .exclusions
        .iter()
        .map(|x| x.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(17);
    let _ = writeln!(
        o,
        "{}",
        p.bold(&format!(
            "{} benign suppressed  malicious hidden  not evaluable",
            pad("exclusions", xw)
        ))
    );
    for x in &r.exclusions {
        let hidden = format!("{:>16}", x.malicious_hidden);
        let hidden = if x.malicious_hidden > 0 {
            p.bad(&hidden)
        } else {
            hidden
        };
        let _ = writeln!(
            o,
            "{} {:>17}  {}  {:>13}",
            pad(&esc(&x.id), xw),
            x.benign_suppressed,
            hidden,
            x.not_evaluable
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}",
        p.bold(&format!(
            "{} precision  recall  (before exclusions)",
            pad("DNS semantics", xw)
        ))
    );
    for s in &r.semantics {
        let _ = writeln!(
            o,
            "{} {:>9}  {:>6}",
            pad(&s.matcher, xw),
            fmt_ratio(s.confusion.precision()),
            fmt_ratio(s.confusion.recall())
        );
    }
    let _ = writeln!(o);
    let line = format!(
        "expectations: {} met, {} failed",
        r.overall.expectations_met, r.overall.expectations_failed
    );
    let _ = writeln!(
        o,
        "{}",
        if r.overall.expectations_failed == 0 {
            p.ok(&line)
        } else {
            p.bad(&line)
        }
    );
    o
}
