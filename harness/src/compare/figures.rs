//! The figures a comparison is made of: a verdict, a count both ways, and
//! the differences between two sides.

use serde::Serialize;

use crate::metrics::round;

/// Whether a change helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Something improved and nothing got worse.
    Better,
    /// Something got worse and nothing improved.
    Worse,
    /// Some things improved, others got worse.
    Mixed,
    /// Nothing changed.
    Same,
}

impl Verdict {
    /// From whether anything improved and whether anything got worse.
    pub fn of(improved: bool, regressed: bool) -> Self {
        match (improved, regressed) {
            (true, false) => Verdict::Better,
            (false, true) => Verdict::Worse,
            (true, true) => Verdict::Mixed,
            (false, false) => Verdict::Same,
        }
    }

    /// The verdict over several.
    pub fn all(items: impl IntoIterator<Item = Verdict>) -> Self {
        let (mut up, mut down) = (false, false);
        for v in items {
            up |= matches!(v, Verdict::Better | Verdict::Mixed);
            down |= matches!(v, Verdict::Worse | Verdict::Mixed);
        }
        Verdict::of(up, down)
    }

    /// The word, as JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Mixed => "mixed",
            Verdict::Same => "same",
        }
    }
}

/// Candidate minus baseline, `None` where either is undefined.
pub(super) fn delta(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(round(b? - a?))
}

pub(super) fn signed(a: u64, b: u64) -> i64 {
    i64::try_from(b).unwrap_or(i64::MAX) - i64::try_from(a).unwrap_or(i64::MAX)
}

/// A count before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The baseline's.
    pub baseline: u64,
    /// The candidate's.
    pub candidate: u64,
    /// Candidate minus baseline.
    pub delta: i64,
}

impl Count {
    pub(super) fn new(baseline: u64, candidate: u64) -> Self {
        Count {
            baseline,
            candidate,
            delta: signed(baseline, candidate),
        }
    }
}
