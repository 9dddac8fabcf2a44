//! Figures per indicator kind: each row's decision names the kinds of the
//! indicators its hunts fired on (`Decision::fired_kinds`) and those its
//! standing alert carries (`Decision::alerted_kinds`); counted here against
//! the row's label, over the run and per scenario.
//!
//! For each kind `k` and row: `k` fired when a hunt fired on an indicator of
//! `k`; `k` alerted when such a hunt's alert stands. A row `k` alerted on is a
//! TP or an FP of `k` by its label; a row `k` fired on and did not alert on is
//! `malicious_hidden` or `benign_suppressed` of `k`, whatever other kinds or
//! hunts did on it. So `fired = tp + fp + malicious_hidden +
//! benign_suppressed` for every kind, and a row counts for each kind it names.
//! A standing alert that names no kind (a hunt on a name or a path) is counted
//! apart ([`AlertsWithoutIndicator`]), so that the malicious rows with an
//! alert are those some kind alerted on plus those.

use std::collections::BTreeMap;

use detections::ioc::{IocKind, KindSet};
use detections::{Decision, Detection};

use crate::metrics::round;
use crate::report::{AlertsWithoutIndicator, KindInScenario, KindScore};

/// One kind's counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    fired: u64,
    tp: u64,
    fp: u64,
    malicious_hidden: u64,
    benign_suppressed: u64,
}

impl Counts {
    /// Count a row the kind fired on: `alerted` when its alert stands.
    fn add(&mut self, truth: bool, alerted: bool) {
        self.fired += 1;
        *match (alerted, truth) {
            (true, true) => &mut self.tp,
            (true, false) => &mut self.fp,
            (false, true) => &mut self.malicious_hidden,
            (false, false) => &mut self.benign_suppressed,
        } += 1;
    }
}

/// Every kind's counts, indexed in [`IocKind::ALL`]'s order.
type PerKind = [Counts; IocKind::ALL.len()];

/// The counts per kind, over the run and per scenario.
#[derive(Debug, Default)]
pub(super) struct KindsAcc {
    all: PerKind,
    by_scenario: BTreeMap<String, PerKind>,
    without: AlertsWithoutIndicator,
}

/// A kind's position in [`IocKind::ALL`].
fn index(k: IocKind) -> usize {
    IocKind::ALL
        .iter()
        .position(|x| *x == k)
        .expect("every kind is in ALL")
}

impl KindsAcc {
    /// Count one scored row of `scenario`.
    pub(super) fn add(&mut self, scenario: &str, d: &Decision, truth: bool) {
        if d.alert && d.alerted_kinds.is_empty() {
            *if truth {
                &mut self.without.tp
            } else {
                &mut self.without.fp
            } += 1;
        }
        if d.fired_kinds.is_empty() {
            return;
        }
        let per = match self.by_scenario.get_mut(scenario) {
            Some(p) => p,
            None => self.by_scenario.entry(scenario.to_owned()).or_default(),
        };
        for k in d.fired_kinds.iter() {
            let alerted = d.alerted_kinds.contains(k);
            self.all[index(k)].add(truth, alerted);
            per[index(k)].add(truth, alerted);
        }
    }

    /// The kinds that alerted in a scenario, by name, in the kinds' order.
    pub(super) fn alerted_in(&self, scenario: &str) -> Vec<String> {
        self.by_scenario.get(scenario).map_or_else(Vec::new, |per| {
            IocKind::ALL
                .iter()
                .zip(per)
                .filter(|(_, c)| c.tp + c.fp > 0)
                .map(|(k, _)| k.name().to_owned())
                .collect()
        })
    }

    /// Rows whose standing alert names no kind.
    pub(super) fn without(&self) -> AlertsWithoutIndicator {
        self.without
    }

    /// The report's entries: each kind the content's hunts read or that
    /// fired, in the kinds' order, with its scenarios by id.
    pub(super) fn finish(&self, det: &Detection) -> Vec<KindScore> {
        let hunted: KindSet = det.hunted_kinds.iter().copied().collect();
        IocKind::ALL
            .iter()
            .zip(&self.all)
            .filter(|(k, c)| hunted.contains(**k) || c.fired > 0)
            .map(|(&k, c)| KindScore {
                kind: k.name().to_owned(),
                label: k.label().to_owned(),
                indicators: det.iocs.iter().filter(|i| i.kind == k).count(),
                hunts: det
                    .hunts
                    .iter()
                    .filter(|h| h.when.indicator_kinds().contains(k))
                    .map(|h| h.id.clone())
                    .collect(),
                fired: c.fired,
                alerts: c.tp + c.fp,
                tp: c.tp,
                fp: c.fp,
                malicious_hidden: c.malicious_hidden,
                benign_suppressed: c.benign_suppressed,
                precision: (c.tp + c.fp > 0).then(|| round(c.tp as f64 / (c.tp + c.fp) as f64)),
                scenarios: self
                    .by_scenario
                    .iter()
                    .map(|(s, per)| (s, per[index(k)]))
                    .filter(|(_, c)| c.fired > 0)
                    .map(|(s, c)| KindInScenario {
                        scenario: s.clone(),
                        fired: c.fired,
                        tp: c.tp,
                        fp: c.fp,
                        malicious_hidden: c.malicious_hidden,
                        benign_suppressed: c.benign_suppressed,
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(fired: &[IocKind], alerted: &[IocKind], alert: bool) -> Decision {
        Decision {
            fired: u64::from(!fired.is_empty() || alert),
            alerted: u64::from(alert),
            fired_kinds: fired.iter().copied().collect(),
            alerted_kinds: alerted.iter().copied().collect(),
            alert,
            ..Decision::default()
        }
    }

    #[test]
    fn each_kind_counts_its_rows_by_label_and_alert() {
        use IocKind::{Domain, IpPort};
        let mut acc = KindsAcc::default();
        // An address alert on a malicious row, and one on a benign row.
        acc.add("a", &decision(&[IpPort], &[IpPort], true), true);
        acc.add("b", &decision(&[IpPort], &[IpPort], true), false);
        // Both kinds fired; the address hunt suppressed, the domain alert stands.
        acc.add("a", &decision(&[Domain, IpPort], &[Domain], true), true);
        // A benign row the exclusions cleared.
        acc.add("b", &decision(&[IpPort], &[], false), false);
        // An alert of a name hunt: no kind.
        acc.add("a", &decision(&[], &[], true), true);
        // A quiet row.
        acc.add("b", &Decision::default(), false);

        let ip = acc.all[index(IpPort)];
        assert_eq!(
            ip,
            Counts {
                fired: 4,
                tp: 1,
                fp: 1,
                malicious_hidden: 1,
                benign_suppressed: 1
            }
        );
        let dom = acc.all[index(Domain)];
        assert_eq!((dom.fired, dom.tp, dom.fp), (1, 1, 0));
        assert_eq!(acc.without(), AlertsWithoutIndicator { tp: 1, fp: 0 });
        assert_eq!(acc.alerted_in("a"), ["domain", "ip_port"]);
        assert_eq!(acc.alerted_in("b"), ["ip_port"]);
        assert!(acc.alerted_in("c").is_empty());
        let b = acc.by_scenario["b"][index(IpPort)];
        assert_eq!((b.fired, b.fp, b.benign_suppressed), (2, 1, 1));
    }
}
