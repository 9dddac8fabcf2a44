//! What loading a content file found wrong: each problem with its line and
//! place in the file, and the text helpers that find them.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// One problem found while loading a content file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// Where in the file's structure (`hunts[0].when.any[1]`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Loading failed; every problem found is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in {origin}:\n{}", problems.len(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
pub struct LoadError {
    /// The file (as the caller named it).
    pub origin: String,
    /// Every problem.
    pub problems: Vec<Problem>,
}

pub(super) fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The table an offset of a TOML text falls in, as `iocs[1]` or `exclusions[3]`
/// (array-of-tables entries counted from 0), `hunts[0].examples[2]`, or
/// `(top level)`.
pub(super) fn table_at(src: &str, offset: usize) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut current = "(top level)".to_owned();
    let mut parents: BTreeMap<String, String> = BTreeMap::new();
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        if pos > offset {
            break;
        }
        pos += line.len();
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            // A malformed header (`[[hunts]`) still names its table.
            let name = name.trim().trim_end_matches(']').trim().to_owned();
            let n = counts
                .entry(name.clone())
                .and_modify(|c| *c += 1)
                .or_insert(0);
            // A nested array (`hunts.examples`) is numbered under its parent entry.
            let label = match name.rsplit_once('.') {
                Some((parent, leaf)) => {
                    let p = parents
                        .get(parent)
                        .cloned()
                        .unwrap_or_else(|| parent.to_owned());
                    let key = format!("{p}.{leaf}");
                    let m = counts
                        .entry(key.clone())
                        .and_modify(|c| *c += 1)
                        .or_insert(0);
                    format!("{key}[{m}]")
                }
                None => format!("{name}[{n}]"),
            };
            parents.insert(name, label.clone());
            current = label;
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            let name = name.trim();
            current = match name.rsplit_once('.') {
                Some((parent, leaf)) => format!(
                    "{}.{leaf}",
                    parents
                        .get(parent)
                        .cloned()
                        .unwrap_or_else(|| parent.to_owned())
                ),
                None => name.to_owned(),
            };
        }
    }
    current
}

/// A TOML error's message on one line (the parser breaks its "expected ..."
/// onto a second line).
pub(super) fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}
