//! The verdict as lines of text, built once here and drawn by every renderer:
//! attacks detected, known gaps by cause, what fails the run, false positives
//! left, harmful exclusions and the change that would gain most. A line says
//! what it holds (our words, identifiers from the content or scenario files,
//! counts), never how it looks, like the cells of [`super::table`].

use crate::report::{Cause, Change, Report};

/// A piece of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span<'a> {
    /// Our own words.
    Text(String),
    /// An identifier from the content or a scenario file (escaped by every
    /// renderer; code on the page).
    Id(&'a str),
}

/// How a line reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Nothing to act on.
    Good,
    /// Accepted for now, or a proposal.
    Note,
    /// Something to act on.
    Bad,
}

/// One line of the verdict: a short heading and what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// `attacks`, `known gaps`, `failing`, `false positives`, `harmful`,
    /// `change`.
    pub head: &'static str,
    /// How it reads.
    pub tone: Tone,
    /// What it says.
    pub spans: Vec<Span<'a>>,
}

impl<'a> Line<'a> {
    fn new(head: &'static str, tone: Tone, says: Says<'a>) -> Self {
        Line {
            head,
            tone,
            spans: says.0,
        }
    }
}

/// [`Tone::Good`] when `ok`, else [`Tone::Bad`].
fn good_if(ok: bool) -> Tone {
    if ok {
        Tone::Good
    } else {
        Tone::Bad
    }
}

/// Builds a line from text and identifiers.
struct Says<'a>(Vec<Span<'a>>);

impl<'a> Says<'a> {
    fn new() -> Self {
        Says(Vec::new())
    }
    fn text(mut self, s: impl Into<String>) -> Self {
        match self.0.last_mut() {
            Some(Span::Text(t)) => t.push_str(&s.into()),
            _ => self.0.push(Span::Text(s.into())),
        }
        self
    }
    fn id(mut self, s: &'a str) -> Self {
        self.0.push(Span::Id(s));
        self
    }
    /// Identifiers joined by `, `.
    fn ids(mut self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        for (i, s) in ids.into_iter().enumerate() {
            if i > 0 {
                self = self.text(", ");
            }
            self = self.id(s);
        }
        self
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A count with its sign (`+0` for none).
fn signed(n: i64) -> String {
    if n >= 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// What a cause says, before the scenarios it groups.
fn cause<'a>(c: &'a Cause, s: Says<'a>) -> Says<'a> {
    match c {
        Cause::Exclusion(x) => s.text("hidden by exclusion ").id(x),
        Cause::Hunt(h) => s.text("false positives of hunt ").id(h),
        Cause::NotRead => s.text("no hunt reads the rows"),
        Cause::NotMatched => s.text("no hunt matches the rows"),
        Cause::OtherSuppression => s.text("suppressed by another exclusion"),
    }
}

/// A change, in words.
pub fn change(c: &Change) -> Vec<Span<'_>> {
    let s = match (&c.hunt, c.change.as_str()) {
        (Some(h), "drop_exclusions") => Says::new()
            .text("stop applying ")
            .ids(c.exclusions.iter().map(String::as_str))
            .text(" to ")
            .id(h),
        _ => Says::new()
            .text("match DNS names as an IOC domain or a subdomain of one instead of has_any"),
    };
    let mut s = s.text(": ");
    if !c.gaps_closed.is_empty() {
        s = s
            .text(format!(
                "closes {} (",
                plural(c.gaps_closed.len() as u64, "gap", "gaps")
            ))
            .ids(c.gaps_closed.iter().map(String::as_str))
            .text("), ");
    }
    let fp = match c.false_positive_rows {
        0 => "no false positive added".to_owned(),
        n if n < 0 => format!("{} false-positive rows fewer", -n),
        n => format!("+{n} false-positive rows"),
    };
    s.text(format!(
        "{} malicious rows alerted, {fp}",
        signed(c.malicious_rows)
    ))
    .0
}

/// The verdict's lines, in reading order.
pub fn lines(r: &Report) -> Vec<Line<'_>> {
    let v = &r.verdict;
    let a = &v.attacks;
    let mut out = Vec::new();
    let mut s = Says::new().text(format!(
        "{} of {} detected ({} of {} infected hosts)",
        a.scenarios_detected,
        plural(a.scenarios, "attack scenario", "attack scenarios"),
        a.hosts_detected,
        a.hosts
    ));
    if !a.missed.is_empty() {
        s = s
            .text("; missed: ")
            .ids(a.missed.iter().map(String::as_str));
    }
    for (i, silent) in a.silent_hosts.iter().enumerate() {
        s = s
            .text(if i == 0 { "; silent hosts: " } else { "; " })
            .id(&silent.scenario)
            .text(" (")
            .ids(silent.hosts.iter().map(String::as_str))
            .text(")");
    }
    let quiet = a.missed.is_empty() && a.silent_hosts.is_empty();
    out.push(Line::new("attacks", good_if(quiet), s));
    if !v.known_gaps.is_empty() {
        let n: usize = v.known_gaps.iter().map(|g| g.scenarios.len()).sum();
        let mut s = Says::new().text(format!("{n}, declared by the content: "));
        for (i, g) in v.known_gaps.iter().enumerate() {
            if i > 0 {
                s = s.text("; ");
            }
            s = cause(&g.cause, s)
                .text(" (")
                .ids(g.scenarios.iter().map(String::as_str))
                .text(")");
        }
        out.push(Line::new("known gaps", Tone::Note, s));
    }
    if !v.failing.is_empty() {
        let s = Says::new()
            .text("not as declared, the run fails: ")
            .ids(v.failing.iter().map(String::as_str));
        out.push(Line::new("failing", Tone::Bad, s));
    }
    let fp = &v.false_positives;
    let mut s = Says::new().text(format!(
        "{} ({}, {})",
        plural(fp.rows, "row", "rows"),
        plural(fp.lookups, "DNS lookup", "DNS lookups"),
        plural(fp.incidents, "incident", "incidents")
    ));
    if !fp.scenarios.is_empty() {
        s = s
            .text(" from ")
            .ids(fp.scenarios.iter().map(String::as_str));
    }
    out.push(Line::new("false positives", good_if(fp.rows == 0), s));
    if !v.harmful.is_empty() {
        // One clause per hunt, in the order the pairs come (content order).
        let mut hunts: Vec<&str> = Vec::new();
        for h in &v.harmful {
            if !hunts.contains(&h.hunt.as_str()) {
                hunts.push(&h.hunt);
            }
        }
        let mut s = Says::new();
        for (i, hunt) in hunts.iter().enumerate() {
            if i > 0 {
                s = s.text("; ");
            }
            let on: Vec<_> = v.harmful.iter().filter(|h| h.hunt == *hunt).collect();
            for (k, h) in on.iter().enumerate() {
                if k > 0 {
                    s = s.text(", ");
                }
                s = s
                    .id(&h.exclusion)
                    .text(format!(" ({})", h.malicious_hidden));
            }
            s = s.text(" on ").id(hunt).text(format!(
                ": hide{} malicious rows and remove no false positive there",
                if on.len() == 1 { "s" } else { "" }
            ));
        }
        out.push(Line::new("harmful", Tone::Bad, s));
    }
    out.extend(lint_line(v));
    if let Some(c) = &v.best_change {
        out.push(Line {
            head: "best change",
            tone: Tone::Note,
            spans: change(c),
        });
    }
    out
}

/// The content's lint findings, when there are any.
fn lint_line(v: &crate::report::Verdict) -> Option<Line<'_>> {
    use detections::import::{Severity, Subject};
    if v.lint.is_empty() {
        return None;
    }
    let mut s = Says::new().text(format!(
        "{}: ",
        plural(v.lint.len() as u64, "finding", "findings")
    ));
    for (i, f) in v.lint.iter().enumerate() {
        if i > 0 {
            s = s.text("; ");
        }
        let (Subject::Indicator(id) | Subject::Hunt(id) | Subject::Exclusion(id)) = &f.subject;
        s = s.text(format!("{} {} ", f.severity.name(), f.code)).id(id);
    }
    let bad = v.lint.iter().any(|f| f.severity != Severity::Info);
    Some(Line::new(
        "lint",
        if bad { Tone::Bad } else { Tone::Note },
        s,
    ))
}

/// A line as plain text, identifiers passed through `esc` and wrapped in
/// `quote` on both sides.
pub fn plain(spans: &[Span<'_>], esc: fn(&str) -> String, quote: &str) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) => t.clone(),
            Span::Id(id) => format!("{quote}{}{quote}", esc(id)),
        })
        .collect()
}
