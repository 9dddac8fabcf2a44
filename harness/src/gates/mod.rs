//! Quality gates for CI: thresholds read from a TOML file, checked against a
//! [`Report`], and the figures they name compared between two reports.
//!
//! ```toml
//! [overall]                      # event level
//! min_precision = 0.9
//! min_recall = 0.8
//!
//! [hunts.nanocore-c2-dns]        # any hunt, by id
//! min_recall = 0.95
//!
//! [exclusions]                   # every exclusion ...
//! max_malicious_hidden = 0
//! [exclusions.backup-job]        # ... or one, by id
//! max_malicious_hidden = 10
//!
//! [benign]                       # every benign scenario ...
//! max_false_positives = 0
//! [benign.background-has-collisions]   # ... or any scenario, by id
//! max_false_positives = 100
//! ```
//!
//! Pure: text in, [`Gates`] out; a report in, [`GateResult`]s out. An unknown key
//! is an error with its line; so is an id the report does not have
//! ([`Gates::check_ids`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use toml::{Spanned, Value};

use crate::metrics::fmt_ratio;
use crate::report::Report;

/// A problem in a gates file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct GateError {
    /// Every problem: its 1-based line, where known, and what is wrong.
    pub problems: Vec<(Option<usize>, String)>,
}

impl fmt::Display for GateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|(line, m)| match line {
                Some(l) => format!("line {l}: {m}"),
                None => m.clone(),
            })
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

/// `min_precision` / `min_recall`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratios {
    /// Precision at least this.
    pub min_precision: Option<f64>,
    /// Recall at least this.
    pub min_recall: Option<f64>,
}

/// A limit for one id, with the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct ForId<T> {
    /// Hunt, exclusion or scenario id.
    pub id: String,
    /// 1-based line of the id in the file.
    pub line: usize,
    /// The limit.
    pub limit: T,
}

/// A gates file, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gates {
    /// `[overall]`: event level.
    pub overall: Ratios,
    /// `[hunts.<id>]`.
    pub hunts: Vec<ForId<Ratios>>,
    /// `[exclusions] max_malicious_hidden`: for every exclusion.
    pub exclusions_all: Option<u64>,
    /// `[exclusions.<id>] max_malicious_hidden`.
    pub exclusions: Vec<ForId<u64>>,
    /// `[benign] max_false_positives`: for every scenario of kind `benign`.
    pub benign_all: Option<u64>,
    /// `[benign.<scenario-id>] max_false_positives`: for that scenario, any kind.
    pub benign: Vec<ForId<u64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    overall: Ratios,
    #[serde(default)]
    hunts: BTreeMap<Spanned<String>, Ratios>,
    #[serde(default)]
    exclusions: BTreeMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    benign: BTreeMap<Spanned<String>, Spanned<Value>>,
}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

/// A count limit: a non-negative integer.
fn count(v: &Spanned<Value>, key: &str) -> Result<u64, String> {
    match v.get_ref() {
        Value::Integer(n) if *n >= 0 => Ok(n.unsigned_abs()),
        _ => Err(format!("`{key}` must be a whole number, 0 or more")),
    }
}

/// A table of one limit (`key`) for all, and `[table.<id>]` tables of the same
/// limit for one each.
fn per_id(
    src: &str,
    table: &str,
    key: &str,
    entries: &BTreeMap<Spanned<String>, Spanned<Value>>,
    problems: &mut Vec<(Option<usize>, String)>,
) -> (Option<u64>, Vec<ForId<u64>>) {
    let (mut all, mut each) = (None, Vec::new());
    for (k, v) in entries {
        let line = line_of(src, k.span().start);
        let result = match v.get_ref() {
            _ if k.get_ref() == key => count(v, key).map(|n| all = Some(n)),
            Value::Table(t) => match t.iter().find(|(name, _)| *name != key) {
                Some((name, _)) => Err(format!(
                    "unknown key `{name}` in [{table}.{}] (known: {key})",
                    k.get_ref()
                )),
                None => match t.get(key) {
                    None => Err(format!("[{table}.{}] sets no `{key}`", k.get_ref())),
                    Some(n) => count(&Spanned::new(0..0, n.clone()), key).map(|limit| {
                        each.push(ForId {
                            id: k.get_ref().clone(),
                            line,
                            limit,
                        })
                    }),
                },
            },
            _ => Err(format!(
                "unknown key `{}` in [{table}] (known: {key}, or [{table}.<id>] tables)",
                k.get_ref()
            )),
        };
        if let Err(m) = result {
            problems.push((Some(line), m));
        }
    }
    (all, each)
}

fn check_ratios(r: &Ratios, line: Option<usize>, problems: &mut Vec<(Option<usize>, String)>) {
    for (name, v) in [
        ("min_precision", r.min_precision),
        ("min_recall", r.min_recall),
    ] {
        if v.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
            problems.push((line, format!("`{name}` is a ratio, 0 to 1")));
        }
    }
}

impl Gates {
    /// Read a gates file. Unknown tables and keys are errors with their line.
    pub fn parse(src: &str) -> Result<Gates, GateError> {
        let file: File = toml::from_str(src).map_err(|e| GateError {
            problems: vec![(
                e.span().map(|s| line_of(src, s.start)),
                e.message().trim().to_owned(),
            )],
        })?;
        let mut problems = Vec::new();
        check_ratios(&file.overall, None, &mut problems);
        let hunts: Vec<ForId<Ratios>> = file
            .hunts
            .iter()
            .map(|(k, r)| ForId {
                id: k.get_ref().clone(),
                line: line_of(src, k.span().start),
                limit: *r,
            })
            .collect();
        for h in &hunts {
            check_ratios(&h.limit, Some(h.line), &mut problems);
        }
        let (exclusions_all, exclusions) = per_id(
            src,
            "exclusions",
            "max_malicious_hidden",
            &file.exclusions,
            &mut problems,
        );
        let (benign_all, benign) = per_id(
            src,
            "benign",
            "max_false_positives",
            &file.benign,
            &mut problems,
        );
        if !problems.is_empty() {
            problems.sort();
            return Err(GateError { problems });
        }
        Ok(Gates {
            overall: file.overall,
            hunts,
            exclusions_all,
            exclusions,
            benign_all,
            benign,
        })
    }

    /// Every id the gates name must be in the report: an error lists each one
    /// that is not, with its line.
    pub fn check_ids(&self, report: &Report) -> Result<(), GateError> {
        let mut problems = Vec::new();
        let mut want = |what: &str, id: &str, line: usize, known: Vec<&str>| {
            if !known.contains(&id) {
                problems.push((
                    Some(line),
                    format!("unknown {what} `{id}` (known: {})", known.join(", ")),
                ));
            }
        };
        for h in &self.hunts {
            want(
                "hunt",
                &h.id,
                h.line,
                report.hunts.iter().map(|h| h.id.as_str()).collect(),
            );
        }
        for x in &self.exclusions {
            let known = report.exclusions.iter().map(|x| x.id.as_str()).collect();
            want("exclusion", &x.id, x.line, known);
        }
        for s in &self.benign {
            let known = report.scenarios.iter().map(|s| s.id.as_str()).collect();
            want("scenario", &s.id, s.line, known);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(GateError { problems })
        }
    }
}

/// Which way a figure is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Higher is better (precision, recall): a gate is a minimum.
    Higher,
    /// Lower is better (hidden rows, false positives): a gate is a maximum.
    Lower,
}

/// One figure a gate can name, measured on a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The gate's name: `overall.min_precision`,
    /// `hunts.<id>.min_recall`, `exclusions.<id>.max_malicious_hidden`,
    /// `benign.<scenario>.max_false_positives`.
    pub gate: String,
    /// What it measures, for people: `hunt nanocore-c2-dns recall`.
    pub what: String,
    /// Which way is better.
    pub better: Better,
    /// The value; `None` where undefined (precision with nothing flagged).
    pub value: Option<f64>,
    /// Whether it is a count (shown without decimals).
    pub is_count: bool,
}

impl Figure {
    /// The value for people: `0.932`, `145` or `n/a`.
    pub fn shown(&self, v: Option<f64>) -> String {
        match v {
            Some(v) if self.is_count => format!("{v:.0}"),
            v => fmt_ratio(v),
        }
    }

    /// Whether `self` is worse than `before` (an undefined value is the worst).
    pub fn worse_than(&self, before: &Figure) -> bool {
        match (before.value, self.value) {
            (Some(a), Some(b)) => match self.better {
                Better::Higher => b < a,
                Better::Lower => b > a,
            },
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// A check, as outputs show it (JSON, JUnit, standard error): a gate, or a
/// figure compared with the baseline's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// `overall.min_recall`, `exclusions.backup-job.max_malicious_hidden`.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// What was measured against what.
    pub message: String,
}

/// One gate, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct GateResult {
    /// The figure.
    pub figure: Figure,
    /// The gate's limit.
    pub limit: f64,
    /// Whether the figure is within the limit (an undefined one is not).
    pub passed: bool,
    /// `hunt nanocore-c2-dns recall 0.729, at least 0.900`.
    pub message: String,
}

impl GateResult {
    /// As outputs show it.
    pub fn to_check(&self) -> Check {
        Check {
            name: self.figure.gate.clone(),
            passed: self.passed,
            message: self.message.clone(),
        }
    }
}

fn ratio_figures(
    gate: &str,
    what: &str,
    c: &crate::metrics::Confusion,
    r: &Ratios,
) -> Vec<(Figure, Option<f64>)> {
    let mut out = Vec::new();
    for (name, word, value, limit) in [
        ("min_precision", "precision", c.precision(), r.min_precision),
        ("min_recall", "recall", c.recall(), r.min_recall),
    ] {
        out.push((
            Figure {
                gate: format!("{gate}.{name}"),
                what: format!("{what} {word}"),
                better: Better::Higher,
                value,
                is_count: false,
            },
            limit,
        ));
    }
    out
}

fn count_figure(gate: String, what: String, value: u64) -> Figure {
    Figure {
        gate,
        what,
        better: Better::Lower,
        value: Some(value as f64),
        is_count: true,
    }
}

/// Every figure a gate can name on `report`, with the limit `gates` sets for it
/// (`None` when it sets none), in a fixed order.
pub fn figures(report: &Report, gates: &Gates) -> Vec<(Figure, Option<f64>)> {
    let mut out = ratio_figures("overall", "overall", &report.overall.event, &gates.overall);
    for h in &report.hunts {
        let r = gates
            .hunts
            .iter()
            .find(|g| g.id == h.id)
            .map_or_else(Ratios::default, |g| g.limit);
        out.extend(ratio_figures(
            &format!("hunts.{}", h.id),
            &format!("hunt {}", h.id),
            &h.confusion,
            &r,
        ));
    }
    for x in &report.exclusions {
        let limit = gates
            .exclusions
            .iter()
            .find(|g| g.id == x.id)
            .map(|g| g.limit)
            .or(gates.exclusions_all);
        out.push((
            count_figure(
                format!("exclusions.{}.max_malicious_hidden", x.id),
                format!("exclusion {} malicious rows hidden", x.id),
                x.malicious_hidden,
            ),
            limit.map(|n| n as f64),
        ));
    }
    for s in &report.scenarios {
        let named = gates.benign.iter().find(|g| g.id == s.id).map(|g| g.limit);
        let limit = named.or(gates.benign_all.filter(|_| s.kind == "benign"));
        out.push((
            count_figure(
                format!("benign.{}.max_false_positives", s.id),
                format!("scenario {} false positives", s.id),
                s.event.fp,
            ),
            limit.map(|n| n as f64),
        ));
    }
    out
}

/// Check every gate `gates` sets on `report`, in the order of [`figures`].
pub fn check(report: &Report, gates: &Gates) -> Vec<GateResult> {
    figures(report, gates)
        .into_iter()
        .filter_map(|(figure, limit)| {
            let limit = limit?;
            let shown = |v| figure.shown(Some(v));
            let (passed, message) = match (figure.better, figure.value) {
                (_, None) => (
                    false,
                    format!(
                        "{} is undefined, which passes no limit ({})",
                        figure.what,
                        shown(limit)
                    ),
                ),
                (Better::Higher, Some(v)) => (
                    v >= limit,
                    format!("{} {}, at least {}", figure.what, shown(v), shown(limit)),
                ),
                (Better::Lower, Some(v)) => (
                    v <= limit,
                    format!("{} {}, at most {}", figure.what, shown(v), shown(limit)),
                ),
            };
            Some(GateResult {
                figure,
                limit,
                passed,
                message,
            })
        })
        .collect()
}

/// Each figure compared between `baseline` and `candidate`: those `gates` set a
/// limit on, or every figure when `gates` is `None`. A check fails when the
/// candidate's figure is worse (an undefined figure is the worst).
pub fn regressions(baseline: &Report, candidate: &Report, gates: Option<&Gates>) -> Vec<Check> {
    let none = Gates::default();
    let g = gates.unwrap_or(&none);
    let before = figures(baseline, g);
    figures(candidate, g)
        .into_iter()
        .filter(|(_, limit)| gates.is_none() || limit.is_some())
        .filter_map(|(after, _)| {
            let (was, _) = before.iter().find(|(f, _)| f.gate == after.gate)?;
            let worse = after.worse_than(was);
            let (a, b) = (after.shown(was.value), after.shown(after.value));
            let message = if a == b {
                format!("{} {b} (same)", after.what)
            } else {
                format!("{} {a} → {b}", after.what)
            };
            Some(Check {
                name: after.gate,
                passed: !worse,
                message,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
