//! What the detection says about a row: the compact [`Decision`] (the scoring hot
//! path) and the explained [`Verdict`], with each exclusion's [`Outcome`].

use serde::Serialize;

use super::cond::{Match, Matches, Pred};
use super::detection::{Detection, Exclusion, Hunt};
use crate::event::Event;
use crate::ioc::KindSet;
use crate::matcher::indicator::MatchKind;
use crate::spec::ExclusionExpect;

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
    /// What an exclusion example that this outcome meets says.
    pub fn as_expect(&self) -> ExclusionExpect {
        match self {
            Outcome::Suppressed { .. } => ExclusionExpect::Suppressed,
            Outcome::DidNotApply => ExclusionExpect::DidNotApply,
            Outcome::NotEvaluable => ExclusionExpect::NotEvaluable,
        }
    }

    /// The outcome's name, as content files write it (`did_not_apply`).
    pub fn name(&self) -> &'static str {
        self.as_expect().name()
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
    /// The kinds of the indicators the fired hunts matched on (the indicator
    /// lists, `values_from`, of the predicates that made each hunt fire, as
    /// the explained verdict names them), before exclusions. A hunt that
    /// fired on a name, path or other value adds none.
    pub fired_kinds: KindSet,
    /// Of `fired_kinds`, those of the hunts whose alert stands (fired and
    /// not suppressed): the kinds the row's alert carries.
    pub alerted_kinds: KindSet,
    /// The first exclusion that suppressed the row, when no alert stands.
    pub suppressed_by: Option<usize>,
    /// True when a hunt fired and no exclusion suppressed it.
    pub alert: bool,
}

/// What one exclusion did, without the explanation: the rule walk's own record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Suppressed,
    DidNotApply,
    NotEvaluable,
}

impl Status {
    /// The outcome, with the matches that explain a suppression.
    fn outcome(self, because: Vec<Match>) -> Outcome {
        match self {
            Status::Suppressed => Outcome::Suppressed { because },
            Status::DidNotApply => Outcome::DidNotApply,
            Status::NotEvaluable => Outcome::NotEvaluable,
        }
    }
}

impl Exclusion {
    /// The outcome decided before the condition is read: a row of a kind it does
    /// not cover, or a row without the process it reads.
    fn outcome_before_condition(&self, ev: &Event) -> Option<Status> {
        if !self.kinds.has(ev.kind()) {
            Some(Status::DidNotApply)
        } else if ev.process.is_none() && self.reads_process {
            Some(Status::NotEvaluable)
        } else {
            None
        }
    }

    /// Walk this exclusion on a row; when it suppresses, `out` has been told why.
    fn walk(&self, ev: &Event, out: &mut impl Matches) -> Status {
        if let Some(status) = self.outcome_before_condition(ev) {
            return status;
        }
        if self.when.walk(ev, out) {
            Status::Suppressed
        } else {
            Status::DidNotApply
        }
    }

    /// Which of its [`branches`](Exclusion::branches) hold on a row: bit `b` for
    /// branch `b`, every branch read (no short cut). 0 when the exclusion does not
    /// cover the row's kind or cannot be evaluated on it. Allocates nothing.
    pub fn branches_holding(&self, ev: &Event) -> u64 {
        if self.outcome_before_condition(ev).is_some() {
            return 0;
        }
        self.branches()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.walk(ev, &mut ()))
            .fold(0, |m, (b, _)| m | 1 << b)
    }

    /// Evaluate this exclusion on a row.
    pub fn evaluate(&self, ev: &Event) -> Outcome {
        let mut because = Vec::new();
        self.walk(ev, &mut because).outcome(because)
    }
}

/// Where the rule walk reports what happens on a row: the predicates that held
/// (through [`Matches`]), each fired hunt, and each of its exclusions.
trait WalkSink: Matches {
    /// Hunt `i` fired; the matches reported since the previous `fired` or
    /// `excluded` are why.
    fn fired(&mut self, i: usize, h: &Hunt);
    /// Exclusion `x` of a fired hunt gave `status`; when it suppressed, the matches
    /// reported since the previous `fired` or `excluded` are why.
    fn excluded(&mut self, x: usize, ex: &Exclusion, status: Status);
    /// Every exclusion of fired hunt `i` is evaluated; `suppressed` when one
    /// suppressed it.
    fn hunt_settled(&mut self, i: usize, suppressed: bool);
}

/// The scoring sink: fills a [`Decision`]'s bit masks, keeps no match, allocates
/// nothing. Of the matches, it keeps only the kinds of the indicator lists
/// that held, as a bit set.
#[derive(Default)]
struct Compact {
    d: Decision,
    /// Kinds of the indicator lists that held since the previous `fired` or
    /// `excluded`.
    pending: KindSet,
    /// The kinds the hunt being settled fired on.
    hunt: KindSet,
}

impl Matches for Compact {
    fn held(&mut self, p: &Pred, _: &str, _: usize, _: Option<MatchKind>) {
        if let Some(k) = p.list() {
            self.pending.insert(k);
        }
    }
    fn mark(&self) -> usize {
        usize::from(self.pending.bits())
    }
    fn rewind(&mut self, mark: usize) {
        // `mark` came from `mark`: the set's bits.
        self.pending = KindSet::from_bits(mark as u16);
    }
}

impl WalkSink for Compact {
    fn fired(&mut self, i: usize, _: &Hunt) {
        self.d.fired |= 1 << i;
        self.hunt = std::mem::take(&mut self.pending);
        self.d.fired_kinds = self.d.fired_kinds.union(self.hunt);
    }
    fn excluded(&mut self, x: usize, _: &Exclusion, status: Status) {
        self.pending = KindSet::EMPTY;
        match status {
            Status::Suppressed => self.d.suppressing |= 1 << x,
            Status::NotEvaluable => self.d.not_evaluable |= 1 << x,
            Status::DidNotApply => {}
        }
    }
    fn hunt_settled(&mut self, i: usize, suppressed: bool) {
        if !suppressed {
            self.d.alerted |= 1 << i;
            self.d.alerted_kinds = self.d.alerted_kinds.union(self.hunt);
        }
    }
}

/// The explaining sink: builds a [`Verdict`]'s hunt hits and exclusion results.
#[derive(Default)]
struct Explain {
    /// Matches reported since the previous `fired` or `excluded`.
    matches: Vec<Match>,
    hunts: Vec<HuntHit>,
    exclusions: Vec<ExclusionResult>,
}

impl Matches for Explain {
    fn held(&mut self, p: &Pred, value: &str, i: usize, how: Option<MatchKind>) {
        self.matches.held(p, value, i, how);
    }
    fn mark(&self) -> usize {
        self.matches.mark()
    }
    fn rewind(&mut self, mark: usize) {
        self.matches.rewind(mark);
    }
}

impl WalkSink for Explain {
    fn fired(&mut self, _: usize, h: &Hunt) {
        self.hunts.push(HuntHit {
            hunt: h.id.clone(),
            matched: std::mem::take(&mut self.matches),
        });
    }
    fn excluded(&mut self, _: usize, ex: &Exclusion, status: Status) {
        let because = std::mem::take(&mut self.matches);
        // An exclusion shared by two fired hunts is listed once.
        if !self.exclusions.iter().any(|r| r.exclusion == ex.id) {
            self.exclusions.push(ExclusionResult {
                exclusion: ex.id.clone(),
                outcome: status.outcome(because),
            });
        }
    }
    fn hunt_settled(&mut self, _: usize, _: bool) {}
}

/// What the rule walk finds for the row as a whole.
struct Summary {
    /// A hunt fired and no exclusion suppressed it.
    alert: bool,
    /// The first exclusion that suppressed a fired hunt, when no alert stands.
    suppressed_by: Option<usize>,
}

impl Detection {
    /// The one rule walk: each hunt that reads the row's kind, and when it fires,
    /// each of its exclusions in order, reported to `sink`.
    fn walk(&self, ev: &Event, sink: &mut impl WalkSink) -> Summary {
        let mut alert = false;
        let mut suppressed_by = None;
        for (i, h) in self.hunts.iter().enumerate() {
            if !h.reads_kind(ev.kind()) || !h.when.walk(ev, sink) {
                continue;
            }
            sink.fired(i, h);
            let mut suppressed = false;
            for &x in &h.exclusions {
                let ex = &self.exclusions[x];
                let status = ex.walk(ev, sink);
                if status == Status::Suppressed {
                    suppressed_by.get_or_insert(x);
                    suppressed = true;
                }
                sink.excluded(x, ex, status);
            }
            sink.hunt_settled(i, suppressed);
            alert |= !suppressed;
        }
        Summary {
            alert,
            suppressed_by: if alert { None } else { suppressed_by },
        }
    }

    /// Whether hunt `h` fires on `ev` (ignoring exclusions).
    pub fn hunt_fires(&self, h: &Hunt, ev: &Event) -> bool {
        h.reads_kind(ev.kind()) && h.when.holds(ev)
    }

    /// The compact decision for a row: the scoring hot path, which allocates
    /// nothing. Agrees with [`Detection::verdict`] on `alert` and `suppressed_by`.
    pub fn decide(&self, ev: &Event) -> Decision {
        let mut sink = Compact::default();
        let s = self.walk(ev, &mut sink);
        Decision {
            alert: s.alert,
            suppressed_by: s.suppressed_by,
            ..sink.d
        }
    }

    /// The full, explained verdict for a row.
    pub fn verdict(&self, ev: &Event) -> Verdict {
        let mut sink = Explain::default();
        let s = self.walk(ev, &mut sink);
        Verdict {
            hunts: sink.hunts,
            exclusions: sink.exclusions,
            suppressed_by: s.suppressed_by.map(|x| self.exclusions[x].id.clone()),
            alert: s.alert,
        }
    }
}
