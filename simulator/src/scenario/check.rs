//! Value checks shared by parsing and lint. Each problem names the field at
//! fault and, when the scenario was read from text, its line.

use std::collections::BTreeMap;

use super::error::{Problem, ScenarioError};

/// The line of every key of a scenario file that was read from text: `id`,
/// `generator` (its table header), `generator.hosts`, ...
#[derive(Debug, Default)]
pub(super) struct Lines(BTreeMap<String, usize>);

impl Lines {
    /// The 1-based line of byte `offset` of `src`.
    pub(super) fn of_offset(src: &str, offset: usize) -> usize {
        src.as_bytes()[..offset.min(src.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// Record where `key` is.
    pub(super) fn insert(&mut self, key: impl Into<String>, line: usize) {
        self.0.insert(key.into(), line);
    }

    /// The line of `field` (`generator.c2_hosts[2]` is on the line of
    /// `generator.c2_hosts`); a field the file leaves out is on its table's line.
    fn line(&self, field: &str) -> Option<usize> {
        let mut key = field.split('[').next().unwrap_or(field);
        loop {
            if let Some(l) = self.0.get(key) {
                return Some(*l);
            }
            key = key.rsplit_once('.')?.0;
        }
    }
}

/// Collects the problems of one scenario.
#[derive(Debug)]
pub(super) struct Check<'a> {
    lines: Option<&'a Lines>,
    problems: Vec<Problem>,
}

impl<'a> Check<'a> {
    /// Checks of a scenario read from text (problems name their lines) or built in
    /// code (`None`: no lines).
    pub(super) fn new(lines: Option<&'a Lines>) -> Check<'a> {
        Check {
            lines,
            problems: Vec::new(),
        }
    }

    /// A problem with `field`.
    pub(super) fn bad(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            line: self.lines.and_then(|l| l.line(field)),
            field: Some(field.to_owned()),
            message: message.into(),
        });
    }

    /// A problem found by the TOML reader, at `line`.
    pub(super) fn at(&mut self, line: usize, field: Option<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            line: Some(line),
            field,
            message: message.into(),
        });
    }

    /// `v`, after checking it is a positive number.
    pub(super) fn positive(&mut self, field: &str, v: f64) -> f64 {
        if !(v.is_finite() && v > 0.0) {
            self.bad(field, format!("must be a positive number, got {v}"));
        }
        v
    }

    /// `v`, after checking it is zero or more.
    pub(super) fn non_negative(&mut self, field: &str, v: f64) -> f64 {
        if !(v.is_finite() && v >= 0.0) {
            self.bad(field, format!("must be zero or more, got {v}"));
        }
        v
    }

    /// `v`, after checking it is a share (0 to 1).
    pub(super) fn share(&mut self, field: &str, v: f64) -> f64 {
        if !(0.0..=1.0).contains(&v) {
            self.bad(field, format!("must be between 0 and 1, got {v}"));
        }
        v
    }

    /// Check `v` is not blank.
    pub(super) fn text(&mut self, field: &str, v: &str) {
        if v.trim().is_empty() {
            self.bad(field, "must not be empty");
        }
    }

    /// Check every name of a list is a DNS name (no blanks, no spaces).
    pub(super) fn dns_names(&mut self, field: &str, names: &[String]) {
        for (i, n) in names.iter().enumerate() {
            if n.trim().is_empty() || n.chars().any(char::is_whitespace) {
                self.bad(&format!("{field}[{i}]"), format!("`{n}` is not a DNS name"));
            }
        }
    }

    /// `Ok` when no problem was found, else every problem.
    pub(super) fn finish(self, origin: &str) -> Result<(), ScenarioError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.error(origin))
        }
    }

    /// Every problem found, in line order.
    pub(super) fn error(mut self, origin: &str) -> ScenarioError {
        self.problems.sort_by_key(|p| p.line);
        ScenarioError {
            origin: origin.to_owned(),
            problems: self.problems,
        }
    }
}
