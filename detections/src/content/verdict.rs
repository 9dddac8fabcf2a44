//! What the detection says about a row: the compact [`Decision`] (the scoring hot
//! path) and the explained [`Verdict`], with each exclusion's [`Outcome`].

use serde::Serialize;

use super::cond::Match;
use super::detection::{row_kind, Detection, Exclusion, Hunt};
use crate::event::Event;

/// What one exclusion did to one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Its condition held: the row is suppressed.
    Suppressed {
        /// The predicates that held.
        because: Vec<Match>,
    },
    /// Evaluated, and it does not suppress (or the row is of a kind it does not cover).
    DidNotApply,
    /// The row has no process context, so a process-based exclusion cannot be
    /// evaluated (server-side DNS); the alert stands.
    NotEvaluable,
}

impl Outcome {
    /// The outcome's name.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Suppressed { .. } => "suppressed",
            Outcome::DidNotApply => "did not apply",
            Outcome::NotEvaluable => "not evaluable",
        }
    }
}

impl Exclusion {
    /// Evaluate this exclusion on a row.
    pub fn evaluate(&self, ev: &Event) -> Outcome {
        let Some(kind) = row_kind(ev.kind()) else {
            return Outcome::DidNotApply;
        };
        if !self.applies_to.contains(&kind) {
            return Outcome::DidNotApply;
        }
        if ev.process.is_none() && self.when.reads_process() {
            return Outcome::NotEvaluable;
        }
        match self.when.eval(ev) {
            Some(because) => Outcome::Suppressed { because },
            None => Outcome::DidNotApply,
        }
    }
}

/// A hunt that fired on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HuntHit {
    /// The hunt's id.
    pub hunt: String,
    /// What matched.
    pub matched: Vec<Match>,
}

/// One exclusion's outcome on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionResult {
    /// The exclusion's id.
    pub exclusion: String,
    /// What it did.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Why the detection did or did not alert on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The hunts that fired.
    pub hunts: Vec<HuntHit>,
    /// Each exclusion of the fired hunts, with its outcome.
    pub exclusions: Vec<ExclusionResult>,
    /// The first exclusion that suppressed the row, when no alert stands.
    pub suppressed_by: Option<String>,
    /// True when a hunt fired and no exclusion suppressed it.
    pub alert: bool,
}

/// The compact result of [`Detection::decide`]: bit masks, no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    /// Bit `i` set when hunt `i` fired, before exclusions (at most 64 hunts).
    pub fired: u64,
    /// Bit `i` set when hunt `i` fired and none of its exclusions suppressed it.
    pub alerted: u64,
    /// Bit `x` set when exclusion `x` suppressed a fired hunt on this row.
    pub suppressing: u64,
    /// Bit `x` set when exclusion `x` could not be evaluated on a fired hunt's row.
    pub not_evaluable: u64,
    /// The first exclusion that suppressed the row, when no alert stands.
    pub suppressed_by: Option<usize>,
    /// True when a hunt fired and no exclusion suppressed it.
    pub alert: bool,
}

impl Detection {
    /// Whether hunt `h` fires on `ev` (ignoring exclusions).
    pub fn hunt_fires(&self, h: &Hunt, ev: &Event) -> bool {
        h.reads_kind(ev.kind()) && h.when.holds(ev)
    }

    /// The compact decision for a row: the scoring hot path. Agrees with
    /// [`Detection::verdict`] on `alert` and `suppressed_by`.
    pub fn decide(&self, ev: &Event) -> Decision {
        let mut d = Decision::default();
        for (i, h) in self.hunts.iter().enumerate() {
            if !self.hunt_fires(h, ev) {
                continue;
            }
            d.fired |= 1 << i;
            let mut suppressed = false;
            for &x in &h.exclusions {
                match self.exclusions[x].evaluate(ev) {
                    Outcome::Suppressed { .. } => {
                        if d.suppressed_by.is_none() {
                            d.suppressed_by = Some(x);
                        }
                        d.suppressing |= 1 << x;
                        suppressed = true;
                    }
                    Outcome::NotEvaluable => d.not_evaluable |= 1 << x,
                    Outcome::DidNotApply => {}
                }
            }
            if !suppressed {
                d.alerted |= 1 << i;
            }
        }
        d.alert = d.alerted != 0;
        if d.alert {
            d.suppressed_by = None;
        }
        d
    }

    /// The full, explained verdict for a row.
    pub fn verdict(&self, ev: &Event) -> Verdict {
        let mut hunts = Vec::new();
        let mut results: Vec<ExclusionResult> = Vec::new();
        let mut any_unsuppressed = false;
        let mut suppressed_by = None;
        for h in &self.hunts {
            if !h.reads_kind(ev.kind()) {
                continue;
            }
            let Some(matched) = h.when.eval(ev) else {
                continue;
            };
            hunts.push(HuntHit {
                hunt: h.id.clone(),
                matched,
            });
            let mut suppressed = false;
            for &x in &h.exclusions {
                let ex = &self.exclusions[x];
                let outcome = ex.evaluate(ev);
                if matches!(outcome, Outcome::Suppressed { .. }) {
                    if suppressed_by.is_none() {
                        suppressed_by = Some(ex.id.clone());
                    }
                    suppressed = true;
                }
                if !results.iter().any(|r| r.exclusion == ex.id) {
                    results.push(ExclusionResult {
                        exclusion: ex.id.clone(),
                        outcome,
                    });
                }
            }
            any_unsuppressed |= !suppressed;
        }
        Verdict {
            hunts,
            exclusions: results,
            suppressed_by: if any_unsuppressed {
                None
            } else {
                suppressed_by
            },
            alert: any_unsuppressed,
        }
    }
}
