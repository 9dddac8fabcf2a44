//! The indicator kinds, both ways: what each kind's alerts were in each
//! content, and in which scenarios they changed. A kind's verdict is shown
//! beside it and not folded into the comparison's verdict: alerts that move
//! from one kind to another (an address hunt replaced by the domain hunt) are
//! one change, which the row-level and scenario verdicts already weigh.

use serde::Serialize;

use detections::ioc::IocKind;

use super::figures::{Count, Verdict};
use crate::report::{AlertsWithoutIndicator, KindInScenario, KindScore, Report};

/// One indicator kind, both ways; a side that does not list the kind counts
/// zeros.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindChange {
    /// The kind's name (`ip_port`).
    pub kind: String,
    /// Rows it fired on, before exclusions.
    pub fired: Count,
    /// Malicious rows its alerts stand on.
    pub tp: Count,
    /// Benign rows its alerts stand on.
    pub fp: Count,
    /// Malicious rows it fired on whose hunts on it were all suppressed.
    pub malicious_hidden: Count,
    /// Benign rows it fired on whose hunts on it were all suppressed.
    pub benign_suppressed: Count,
    /// `tp / (tp + fp)`, both ways.
    pub precision: [Option<f64>; 2],
    /// More TP or fewer FP is better; `None` when only one content lists it.
    pub verdict: Option<Verdict>,
    /// The scenarios where its TP, FP or malicious hidden changed, by id.
    pub scenarios: Vec<KindScenarioChange>,
}

/// One indicator kind in one scenario, both ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindScenarioChange {
    /// Scenario id.
    pub scenario: String,
    /// Malicious rows the kind's alerts stand on.
    pub tp: Count,
    /// Benign rows the kind's alerts stand on.
    pub fp: Count,
    /// Malicious rows it fired on and exclusions suppressed (for the kind).
    pub malicious_hidden: Count,
}

/// Rows whose alert carries no indicator kind, both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WithoutIndicatorChange {
    /// Malicious rows.
    pub tp: Count,
    /// Benign rows.
    pub fp: Count,
}

impl WithoutIndicatorChange {
    pub(super) fn new(a: AlertsWithoutIndicator, b: AlertsWithoutIndicator) -> Self {
        WithoutIndicatorChange {
            tp: Count::new(a.tp, b.tp),
            fp: Count::new(a.fp, b.fp),
        }
    }
}

/// A kind's place in [`IocKind::ALL`] (unknown names last, by name).
fn rank(name: &str) -> (usize, &str) {
    let i = IocKind::ALL
        .iter()
        .position(|k| k.name() == name)
        .unwrap_or(IocKind::ALL.len());
    (i, name)
}

/// Every kind either report lists, in the kinds' order.
pub(super) fn kind_changes(a: &Report, b: &Report) -> Vec<KindChange> {
    let mut names: Vec<&str> = a
        .indicator_kinds
        .iter()
        .chain(&b.indicator_kinds)
        .map(|k| k.kind.as_str())
        .collect();
    names.sort_by_key(|n| rank(n));
    names.dedup();
    // The two runs have the same scenarios (the comparison checks).
    let mut ids: Vec<&str> = a.scenarios.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    names
        .into_iter()
        .map(|name| {
            let side = |r: &'_ Report| r.indicator_kinds.iter().find(|k| k.kind == name).cloned();
            change(name, side(a), side(b), &ids)
        })
        .collect()
}

fn change(name: &str, a: Option<KindScore>, b: Option<KindScore>, ids: &[&str]) -> KindChange {
    let count =
        |f: fn(&KindScore) -> u64| Count::new(a.as_ref().map_or(0, f), b.as_ref().map_or(0, f));
    let (tp, fp) = (count(|k| k.tp), count(|k| k.fp));
    let verdict = (a.is_some() && b.is_some())
        .then(|| Verdict::of(tp.delta > 0 || fp.delta < 0, tp.delta < 0 || fp.delta > 0));
    let none: &[KindInScenario] = &[];
    let (sa, sb) = (
        a.as_ref().map_or(none, |k| &k.scenarios),
        b.as_ref().map_or(none, |k| &k.scenarios),
    );
    let scenarios = ids
        .iter()
        .filter_map(|&id| {
            let pick = |s: &[KindInScenario], f: fn(&KindInScenario) -> u64| {
                s.iter().find(|c| c.scenario == id).map_or(0, f)
            };
            let both = |f: fn(&KindInScenario) -> u64| Count::new(pick(sa, f), pick(sb, f));
            let c = KindScenarioChange {
                scenario: id.to_owned(),
                tp: both(|c| c.tp),
                fp: both(|c| c.fp),
                malicious_hidden: both(|c| c.malicious_hidden),
            };
            (c.tp.delta != 0 || c.fp.delta != 0 || c.malicious_hidden.delta != 0).then_some(c)
        })
        .collect();
    KindChange {
        kind: name.to_owned(),
        fired: count(|k| k.fired),
        tp,
        fp,
        malicious_hidden: count(|k| k.malicious_hidden),
        benign_suppressed: count(|k| k.benign_suppressed),
        precision: [
            a.as_ref().and_then(|k| k.precision),
            b.as_ref().and_then(|k| k.precision),
        ],
        verdict,
        scenarios,
    }
}
