//! Two contents scored on the same run, side by side: per scenario, per hunt and
//! per exclusion, what changed (TP, FP, FN, precision, recall, F1), which gaps
//! closed and which opened, and a verdict: better, worse, mixed or the same.
//!
//! Pure: two [`Report`]s in, a [`Comparison`] out. Renderers are in
//! `render::compare`.

use serde::Serialize;

use crate::gates::Check;
use crate::metrics::{round, Confusion};
use crate::report::{ExclusionScore, Report, ScenarioScore, Status};

mod figures;
mod kinds;
use figures::{delta, signed};
pub use figures::{Count, Verdict};
pub use kinds::{KindChange, KindScenarioChange, WithoutIndicatorChange};

/// What changed in a confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    /// Change in true positives.
    pub tp: i64,
    /// Change in false positives.
    pub fp: i64,
    /// Change in false negatives.
    #[serde(rename = "fn")]
    pub fn_: i64,
    /// Change in precision (`null` where either side is undefined).
    pub precision: Option<f64>,
    /// Change in recall.
    pub recall: Option<f64>,
    /// Change in F1.
    pub f1: Option<f64>,
}

/// A confusion matrix before and after; a side is `None` when that content has
/// no such row (a hunt only one content has).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// The baseline's.
    pub baseline: Option<Confusion>,
    /// The candidate's.
    pub candidate: Option<Confusion>,
    /// Candidate minus baseline (sides present in one content count as zeros).
    pub delta: Delta,
    /// Fewer false positives or false negatives is better; `None` when only one
    /// content has the row.
    pub verdict: Option<Verdict>,
}

impl Change {
    /// Compare two sides.
    pub fn new(baseline: Option<Confusion>, candidate: Option<Confusion>) -> Self {
        let (a, b) = (baseline.unwrap_or_default(), candidate.unwrap_or_default());
        let delta = Delta {
            tp: signed(a.tp, b.tp),
            fp: signed(a.fp, b.fp),
            fn_: signed(a.fn_, b.fn_),
            precision: delta(a.precision(), b.precision()),
            recall: delta(a.recall(), b.recall()),
            f1: delta(a.f1(), b.f1()),
        };
        let verdict = (baseline.is_some() && candidate.is_some())
            .then(|| Verdict::of(b.fp < a.fp || b.fn_ < a.fn_, b.fp > a.fp || b.fn_ > a.fn_));
        Change {
            baseline,
            candidate,
            delta,
            verdict,
        }
    }
}

/// Where a scenario's gap went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapChange {
    /// A gap in the baseline, none in the candidate.
    Closed,
    /// None in the baseline, a gap in the candidate.
    Opened,
    /// A gap in both.
    Kept,
    /// A gap in neither.
    None,
}

/// Why a scenario has a gap: its expectation (what the detection should do) does
/// not hold, whether the content declares it a known gap or not. The reason is
/// the content's `why` for a known gap, else what happened.
pub fn gap(s: &ScenarioScore) -> Option<String> {
    match s.status {
        Status::KnownGap => Some(
            s.known_gap
                .clone()
                .unwrap_or_else(|| s.expectation_detail.clone()),
        ),
        Status::Failed => Some(s.expectation_detail.clone()),
        Status::Met | Status::GapClosed => None,
    }
}

/// One scenario, both ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioChange {
    /// Scenario id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Event-level confusion.
    #[serde(flatten)]
    pub change: Change,
    /// Malicious rows exclusions hid.
    pub hidden: Count,
    /// Whether its declared expectation held: baseline, candidate.
    pub expectation_met: [bool; 2],
    /// The baseline's gap, if any.
    pub gap_before: Option<String>,
    /// The candidate's gap, if any.
    pub gap_after: Option<String>,
    /// Where the gap went.
    pub gap: GapChange,
    /// Fewer FP and FN, or a closed gap, is better.
    pub verdict: Verdict,
}

/// One hunt, both ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HuntChange {
    /// Hunt id.
    pub id: String,
    /// Confusion over the rows it reads.
    #[serde(flatten)]
    pub change: Change,
}

/// One exclusion, both ways. Removing an exclusion would turn the benign rows it
/// suppresses into false positives and the malicious rows it hides into true
/// positives: so fewer hidden, or more benign suppressed, is better.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExclusionChange {
    /// Exclusion id.
    pub id: String,
    /// Benign rows suppressed: the false positives it removes.
    pub benign_suppressed: Count,
    /// Malicious rows suppressed: the attacks it hides.
    pub malicious_hidden: Count,
    /// Fired rows it could not judge.
    pub not_evaluable: Count,
    /// Of the rows it suppressed, the share that were benign, both ways.
    pub precision: [Option<f64>; 2],
    /// `None` when only one content has it.
    pub verdict: Option<Verdict>,
}

/// One content, as the comparison names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// How it was named (`seed`, or a file path).
    pub label: String,
    /// Content id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// The run both were scored on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunKey {
    /// Simulator seed.
    #[serde(rename = "seed")]
    pub rng_seed: u64,
    /// Scale.
    pub scale: f64,
    /// Scenarios.
    pub scenario_count: usize,
    /// The scheduled rule both were judged as (null: one run over all rows).
    pub rule: Option<crate::rule::RuleInfo>,
}

/// The whole comparison (`comparison.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The content compared against.
    pub baseline: Side,
    /// The content under test.
    pub candidate: Side,
    /// The run.
    pub run: RunKey,
    /// The verdict over everything below.
    pub verdict: Verdict,
    /// The verdict in a line.
    pub summary: String,
    /// Scenarios the baseline declared a known gap and whose expectation holds
    /// in the candidate.
    pub gaps_closed: Vec<String>,
    /// Scenarios that failed in the baseline without being declared a gap and
    /// whose expectation holds in the candidate.
    pub failures_fixed: Vec<String>,
    /// Scenarios the candidate fails (status `failed` or `gap_closed`: what
    /// makes `report` exit 1 on it), by id.
    pub candidate_failing: Vec<String>,
    /// Scenarios with no gap in the baseline and one in the candidate.
    pub gaps_opened: Vec<String>,
    /// Attack scenarios (malicious and adversarial) where fewer malicious rows
    /// alert in the candidate, whether or not their expectation still holds: an
    /// attack seen less is named even while some alert still stands.
    pub attacks_weakened: Vec<String>,
    /// Attack scenarios where more malicious rows alert in the candidate.
    pub attacks_strengthened: Vec<String>,
    /// Event level, every row.
    pub event: Change,
    /// Host level.
    pub host: Change,
    /// Per scenario, in report order.
    pub scenarios: Vec<ScenarioChange>,
    /// Per hunt: the baseline's, then any only the candidate has.
    pub hunts: Vec<HuntChange>,
    /// Per exclusion: the baseline's, then any only the candidate has.
    pub exclusions: Vec<ExclusionChange>,
    /// Per indicator kind either content lists, in the kinds' order (not
    /// weighed in `verdict`: the rows are those above, sliced by kind).
    pub indicator_kinds: Vec<KindChange>,
    /// Rows whose alert carries no indicator kind.
    pub alerts_without_indicator: WithoutIndicatorChange,
    /// The gates checked on the candidate (`--gates`); empty when none were.
    pub gates: Vec<Check>,
    /// Each gated figure, candidate against baseline: failed where it got worse
    /// (`--fail-on-regression`); empty when not asked.
    pub regressions: Vec<Check>,
}

/// The two reports are not of the same run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the reports are not of the same run: {0}")]
pub struct NotComparable(pub String);

fn scenario_change(a: &ScenarioScore, b: &ScenarioScore) -> ScenarioChange {
    let change = Change::new(Some(a.event), Some(b.event));
    let hidden = |s: &ScenarioScore| s.timeline.as_ref().map_or(0, |t| t.hidden.iter().sum());
    let (gap_before, gap_after) = (gap(a), gap(b));
    let gap_change = match (&gap_before, &gap_after) {
        (Some(_), None) => GapChange::Closed,
        (None, Some(_)) => GapChange::Opened,
        (Some(_), Some(_)) => GapChange::Kept,
        (None, None) => GapChange::None,
    };
    let verdict = Verdict::all([
        change.verdict.unwrap_or(Verdict::Same),
        match gap_change {
            GapChange::Closed => Verdict::Better,
            GapChange::Opened => Verdict::Worse,
            GapChange::Kept | GapChange::None => Verdict::Same,
        },
    ]);
    ScenarioChange {
        id: a.id.clone(),
        kind: a.kind.clone(),
        change,
        hidden: Count::new(hidden(a), hidden(b)),
        expectation_met: [a.expectation_met, b.expectation_met],
        gap_before,
        gap_after,
        gap: gap_change,
        verdict,
    }
}

fn exclusion_change(a: Option<&ExclusionScore>, b: Option<&ExclusionScore>) -> ExclusionChange {
    let count = |f: fn(&ExclusionScore) -> u64| Count::new(a.map_or(0, f), b.map_or(0, f));
    let benign = count(|x| x.benign_suppressed);
    let hidden = count(|x| x.malicious_hidden);
    let precision = |x: Option<&ExclusionScore>| {
        x.and_then(|x| {
            let all = x.benign_suppressed + x.malicious_hidden;
            (all > 0).then(|| round(x.benign_suppressed as f64 / all as f64))
        })
    };
    ExclusionChange {
        id: a.or(b).map(|x| x.id.clone()).unwrap_or_default(),
        verdict: (a.is_some() && b.is_some()).then(|| {
            Verdict::of(
                hidden.delta < 0 || benign.delta > 0,
                hidden.delta > 0 || benign.delta < 0,
            )
        }),
        benign_suppressed: benign,
        malicious_hidden: hidden,
        not_evaluable: count(|x| x.not_evaluable),
        precision: [precision(a), precision(b)],
    }
}

/// The ids of `a`, then those only `b` has.
fn union<'a, T>(a: &'a [T], b: &'a [T], id: fn(&T) -> &str) -> Vec<&'a str> {
    let mut ids: Vec<&str> = a.iter().map(id).collect();
    for x in b.iter().map(id) {
        if !ids.contains(&x) {
            ids.push(x);
        }
    }
    ids
}

/// Two reports of one run: the same seed, scale and rule.
fn comparable(
    ra: &crate::report::RunInfo,
    rb: &crate::report::RunInfo,
) -> Result<(), NotComparable> {
    if ra.rng_seed != rb.rng_seed || ra.scale != rb.scale || ra.rule != rb.rule {
        return Err(NotComparable(format!(
            "seed {} scale {} ({}) against seed {} scale {} ({})",
            ra.rng_seed,
            ra.scale,
            crate::rule::describe(ra.rule.as_ref()),
            rb.rng_seed,
            rb.scale,
            crate::rule::describe(rb.rule.as_ref())
        )));
    }
    Ok(())
}

/// Compare `candidate` with `baseline`: both reports must be of the same
/// scenarios, seed and scale. `labels` name the two contents as the user did.
pub fn compare<'a>(
    baseline: &'a Report,
    candidate: &'a Report,
    labels: [&str; 2],
) -> Result<Comparison, NotComparable> {
    let (ra, rb) = (&baseline.run, &candidate.run);
    comparable(ra, rb)?;
    let ids = |r: &Report| r.scenarios.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    if ids(baseline) != ids(candidate) {
        return Err(NotComparable("different scenarios".into()));
    }
    let scenarios: Vec<ScenarioChange> = baseline
        .scenarios
        .iter()
        .zip(&candidate.scenarios)
        .map(|(a, b)| scenario_change(a, b))
        .collect();
    let hunts: Vec<HuntChange> = union(&baseline.hunts, &candidate.hunts, |h| &h.id)
        .into_iter()
        .map(|id| {
            let side = |r: &Report| r.hunts.iter().find(|h| h.id == id).map(|h| h.confusion);
            HuntChange {
                id: id.to_owned(),
                change: Change::new(side(baseline), side(candidate)),
            }
        })
        .collect();
    let exclusions: Vec<ExclusionChange> =
        union(&baseline.exclusions, &candidate.exclusions, |x| &x.id)
            .into_iter()
            .map(|id| {
                let side = |r: &'a Report| r.exclusions.iter().find(|x| x.id == id);
                exclusion_change(side(baseline), side(candidate))
            })
            .collect();
    let pick = |g: GapChange| -> Vec<String> {
        scenarios
            .iter()
            .filter(|s| s.gap == g)
            .map(|s| s.id.clone())
            .collect()
    };
    let gaps_opened = pick(GapChange::Opened);
    let (gaps_closed, failures_fixed) = (
        closed(&scenarios, baseline, true),
        closed(&scenarios, baseline, false),
    );
    let candidate_failing = failing(candidate);
    let attacks = |weaker: bool| -> Vec<String> {
        scenarios
            .iter()
            .filter(|s| s.kind == "malicious" || s.kind == "adversarial")
            .filter(|s| {
                let (a, b) = (
                    s.change.baseline.map_or(0, |c| c.tp),
                    s.change.candidate.map_or(0, |c| c.tp),
                );
                if weaker {
                    b < a
                } else {
                    b > a
                }
            })
            .map(|s| s.id.clone())
            .collect()
    };
    let (attacks_weakened, attacks_strengthened) = (attacks(true), attacks(false));
    let event = Change::new(Some(baseline.overall.event), Some(candidate.overall.event));
    let host = Change::new(Some(baseline.overall.host), Some(candidate.overall.host));
    let verdict = Verdict::all(
        [event.verdict, host.verdict]
            .into_iter()
            .chain(scenarios.iter().map(|s| Some(s.verdict)))
            .chain(hunts.iter().map(|h| h.change.verdict))
            .chain(exclusions.iter().map(|x| x.verdict))
            .map(|v| v.unwrap_or(Verdict::Mixed)),
    );
    let side = |r: &Report, label: &str| Side {
        label: label.to_owned(),
        id: r.detection.id.clone(),
        title: r.detection.title.clone(),
    };
    let mut c = Comparison {
        baseline: side(baseline, labels[0]),
        candidate: side(candidate, labels[1]),
        run: RunKey {
            rng_seed: ra.rng_seed,
            scale: ra.scale,
            scenario_count: ra.scenario_count,
            rule: ra.rule.clone(),
        },
        verdict,
        summary: String::new(),
        gaps_closed,
        failures_fixed,
        candidate_failing,
        gaps_opened,
        attacks_weakened,
        attacks_strengthened,
        event,
        host,
        scenarios,
        hunts,
        exclusions,
        indicator_kinds: kinds::kind_changes(baseline, candidate),
        alerts_without_indicator: WithoutIndicatorChange::new(
            baseline.overall.alerts_without_indicator,
            candidate.overall.alerts_without_indicator,
        ),
        gates: Vec::new(),
        regressions: Vec::new(),
    };
    c.summary = summary(&c);
    Ok(c)
}

/// Scenarios whose gap closed, of those the baseline declared a known gap
/// (`declared`) or of those it failed undeclared.
fn closed(scenarios: &[ScenarioChange], baseline: &Report, declared: bool) -> Vec<String> {
    scenarios
        .iter()
        .zip(&baseline.scenarios)
        .filter(|(s, a)| s.gap == GapChange::Closed && (a.status == Status::KnownGap) == declared)
        .map(|(s, _)| s.id.clone())
        .collect()
}

/// The scenarios a report fails (status `failed` or `gap_closed`), by id.
fn failing(r: &Report) -> Vec<String> {
    r.scenarios
        .iter()
        .filter(|s| matches!(s.status, Status::Failed | Status::GapClosed))
        .map(|s| s.id.clone())
        .collect()
}

/// `0.629 → 0.866 (+0.237)`, or `0.909 (same)`.
pub fn ratio_change(a: Option<f64>, b: Option<f64>) -> String {
    let f = crate::metrics::fmt_ratio;
    match delta(a, b) {
        _ if f(a) == f(b) => format!("{} (same)", f(b)),
        Some(d) => format!("{} → {} ({d:+.3})", f(a), f(b)),
        None => format!("{} → {}", f(a), f(b)),
    }
}

/// `98 → 98`, or `579 → 209 (-370)`.
pub fn count_change(a: u64, b: u64) -> String {
    if a == b {
        format!("{b} (same)")
    } else {
        format!("{a} → {b} ({:+})", signed(a, b))
    }
}

/// The verdict in one line: the verdict, gaps, failures fixed, attacks seen
/// less and more, recall, precision, false positives, and the scenarios the
/// candidate still fails.
fn summary(c: &Comparison) -> String {
    let (a, b) = (
        c.event.baseline.unwrap_or_default(),
        c.event.candidate.unwrap_or_default(),
    );
    let mut line = format!(
        "{}: {} gap(s) closed, {} opened, {} failure(s) fixed; {} attack scenario(s) seen \
         less, {} more; recall {}, precision {}, false positives {}",
        c.verdict.name(),
        c.gaps_closed.len(),
        c.gaps_opened.len(),
        c.failures_fixed.len(),
        c.attacks_weakened.len(),
        c.attacks_strengthened.len(),
        ratio_change(a.recall(), b.recall()),
        ratio_change(a.precision(), b.precision()),
        count_change(a.fp, b.fp),
    );
    if !c.candidate_failing.is_empty() {
        line.push_str(&format!(
            "; the candidate still fails {} scenario(s)",
            c.candidate_failing.len()
        ));
    }
    line
}

#[cfg(test)]
mod tests;
