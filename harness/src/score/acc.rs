//! One scenario's accumulator: its rows' decisions against their labels, as
//! its expectation, its miss causes, its timeline and the counterfactual
//! changes read them.

use std::collections::BTreeMap;

use detections::Decision;
use simulator::{Counts, Scenario};

use crate::metrics::{round, Confusion, FoldMap};
use crate::report::{Cause, HiddenBy, Misses, ScenarioScore, Status, StepMisses, Timeline};
use detections::content::KnownGap;

/// Bins in each scenario's alert timeline.
pub const TIMELINE_BINS: usize = 48;

/// What scoring knows about one row, beyond its decision.
#[derive(Debug, Clone, Copy)]
pub(super) struct RowFacts<'a> {
    /// The row is malicious.
    pub truth: bool,
    /// Some hunt reads rows of its kind.
    pub readable: bool,
    /// A DNS row a hunt fired on whose name is neither an IOC nor a subdomain
    /// of one (what `suffix` matching would not fire on).
    pub loose: bool,
    /// The scenario's named exclusion suppressed the row.
    pub by_named: bool,
    /// Milliseconds since the epoch.
    pub time_ms: i64,
    /// The endpoint the row is attributed to.
    pub host: &'a str,
    /// The scenario step that wrote the row.
    pub step: &'a str,
}

/// A host of the scenario: an incident.
#[derive(Debug, Default, Clone)]
struct HostAcc {
    infected: bool,
    flagged: bool,
    /// Its malicious rows, as a change reads them.
    rows: HostRows,
}

impl HostAcc {
    /// An alert stands on one of its malicious rows.
    fn detected(&self) -> bool {
        self.rows.alerts > 0
    }
}

/// One host's malicious rows as the changes read them: whether the host would
/// still raise an alert, or start to, under a change.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct HostRows {
    /// Malicious rows with a standing alert.
    pub alerts: u64,
    /// Of those, DNS rows `suffix` matching would not fire on.
    pub loose_alerts: u64,
    /// Its malicious rows a hunt fired on and exclusions suppressed, by
    /// `(fired, suppressing)`.
    pub hidden: BTreeMap<(u64, u64), u64>,
    /// Its malicious rows of a kind some hunt reads.
    pub visible: u64,
}

/// Fired DNS rows `suffix` matching would not fire on, as the expectation and
/// the counts of alerts read them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Loose {
    pub fired: u64,
    pub fired_not_by_named: u64,
    pub malicious_alerts: u64,
    pub benign_alerts: u64,
}

/// Unmatched rows by step, as the report lists them.
pub(super) fn steps(by: &BTreeMap<String, [u64; 2]>) -> Vec<StepMisses> {
    by.iter()
        .map(|(step, [r, m])| StepMisses {
            step: step.clone(),
            not_read: *r,
            not_matched: *m,
        })
        .collect()
}

/// Hidden rows by exclusion, as the report lists them: `credited[x]` is
/// `[first, overlap]` for `exclusions[x]`; exclusions that suppressed no
/// malicious row are left out.
pub(super) fn hidden_by(exclusions: &[String], credited: &[[u64; 2]]) -> Vec<HiddenBy> {
    exclusions
        .iter()
        .zip(credited)
        .filter(|(_, [r, o])| r + o > 0)
        .map(|(x, [r, o])| HiddenBy {
            exclusion: x.clone(),
            rows: *r,
            also_hidden_by_another: *o,
        })
        .collect()
}

/// The key of a suppressed row's pattern: the hunts that fired, the exclusions
/// that suppressed, and whether the row is malicious.
pub(super) type Pattern = (u64, u64, bool);

#[derive(Debug)]
pub(super) struct ScenarioAcc {
    rows: u64,
    malicious_rows: u64,
    /// Malicious rows of a kind some hunt reads.
    visible_malicious: u64,
    fired: u64,
    alerts: u64,
    suppressed: u64,
    event: Confusion,
    /// Each host's rows (listed sorted by name where the order shows).
    hosts: FoldMap<HostAcc>,
    first_malicious_ms: Option<i64>,
    last_malicious_ms: Option<i64>,
    first_malicious_alert_ms: Option<i64>,
    /// Fired rows the named exclusion did not suppress.
    fired_not_by_named: u64,
    not_read: u64,
    not_matched: u64,
    hidden: u64,
    /// step -> [not read, not matched] malicious rows.
    unmatched_steps: BTreeMap<String, [u64; 2]>,
    /// Per exclusion: malicious rows it suppressed.
    hidden_by: Vec<u64>,
    /// Per exclusion: `[first, overlap]`: malicious rows credited to it (the
    /// first exclusion in content order that suppressed them), and rows it
    /// suppressed that another exclusion suppressed too.
    credited: Vec<[u64; 2]>,
    /// Per hunt: rows it fired on.
    fired_by_hunt: Vec<u64>,
    /// Per hunt: benign rows it alerted on.
    false_alerts_by_hunt: Vec<u64>,
    /// Rows a hunt fired on and no alert stands on, by pattern.
    pub(super) patterns: BTreeMap<Pattern, u64>,
    pub(super) loose: Loose,
    /// minute -> [alerted, hidden, missed] for malicious rows.
    minutes: BTreeMap<i64, [u64; 3]>,
}

/// The set bits of `mask`, lowest first (one step a set bit, not 64).
pub(super) fn bits(mask: u64) -> impl Iterator<Item = usize> {
    let mut rest = mask;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            i
        })
    })
}

fn earliest(t: Option<i64>, now: i64) -> Option<i64> {
    Some(t.map_or(now, |t| t.min(now)))
}

impl ScenarioAcc {
    pub(super) fn new(hunts: usize, exclusions: usize) -> Self {
        Self {
            rows: 0,
            malicious_rows: 0,
            visible_malicious: 0,
            fired: 0,
            alerts: 0,
            suppressed: 0,
            event: Confusion::default(),
            hosts: FoldMap::default(),
            first_malicious_ms: None,
            last_malicious_ms: None,
            first_malicious_alert_ms: None,
            fired_not_by_named: 0,
            not_read: 0,
            not_matched: 0,
            hidden: 0,
            unmatched_steps: BTreeMap::new(),
            hidden_by: vec![0; exclusions],
            credited: vec![[0; 2]; exclusions],
            fired_by_hunt: vec![0; hunts],
            false_alerts_by_hunt: vec![0; hunts],
            patterns: BTreeMap::new(),
            loose: Loose::default(),
            minutes: BTreeMap::new(),
        }
    }

    /// Count one row.
    pub(super) fn add(&mut self, d: &Decision, f: RowFacts<'_>) {
        let (truth, fired) = (f.truth, d.fired != 0);
        self.rows += 1;
        self.fired += u64::from(fired);
        self.alerts += u64::from(d.alert);
        self.suppressed += u64::from(fired && !d.alert);
        self.event.add(truth, d.alert);
        let host = match self.hosts.get_mut(f.host) {
            Some(h) => h,
            None => self.hosts.entry(f.host.to_owned()).or_default(),
        };
        host.infected |= truth;
        host.flagged |= d.alert;
        if truth {
            host.rows.visible += u64::from(f.readable);
            if d.alert {
                host.rows.alerts += 1;
                host.rows.loose_alerts += u64::from(f.loose);
            } else if fired {
                *host
                    .rows
                    .hidden
                    .entry((d.fired, d.suppressing))
                    .or_default() += 1;
            }
        }
        for h in bits(d.fired) {
            self.fired_by_hunt[h] += 1;
        }
        if !truth {
            for h in bits(d.alerted) {
                self.false_alerts_by_hunt[h] += 1;
            }
        }
        if fired {
            self.fired_not_by_named += u64::from(!f.by_named);
            if !d.alert {
                *self
                    .patterns
                    .entry((d.fired, d.suppressing, truth))
                    .or_default() += 1;
            }
        }
        if f.loose {
            self.loose.fired += 1;
            self.loose.fired_not_by_named += u64::from(!f.by_named);
            if d.alert {
                *if truth {
                    &mut self.loose.malicious_alerts
                } else {
                    &mut self.loose.benign_alerts
                } += 1;
            }
        }
        if !truth {
            return;
        }
        self.malicious_rows += 1;
        self.visible_malicious += u64::from(f.readable);
        self.first_malicious_ms = earliest(self.first_malicious_ms, f.time_ms);
        self.last_malicious_ms = Some(
            self.last_malicious_ms
                .map_or(f.time_ms, |t| t.max(f.time_ms)),
        );
        if d.alert {
            self.first_malicious_alert_ms = earliest(self.first_malicious_alert_ms, f.time_ms);
        } else if fired {
            self.hidden += 1;
            let shared = d.suppressing.count_ones() > 1;
            for (i, x) in bits(d.suppressing).enumerate() {
                self.hidden_by[x] += 1;
                self.credited[x][0] += u64::from(i == 0);
                self.credited[x][1] += u64::from(shared);
            }
        } else {
            let step = match self.unmatched_steps.get_mut(f.step) {
                Some(s) => s,
                None => self.unmatched_steps.entry(f.step.to_owned()).or_default(),
            };
            if f.readable {
                self.not_matched += 1;
                step[1] += 1;
            } else {
                self.not_read += 1;
                step[0] += 1;
            }
        }
        let class = if d.alert {
            0
        } else if fired {
            1
        } else {
            2
        };
        self.minutes
            .entry(f.time_ms.div_euclid(60_000))
            .or_default()[class] += 1;
    }

    /// The counts the scenario's expectation reads.
    pub(super) fn counts(&self) -> Counts {
        let (infected, detected) = self.hosts_detected();
        Counts {
            fired: self.fired,
            alerts: self.alerts,
            fired_not_by_named: self.fired_not_by_named,
            hosts_infected: infected,
            hosts_silent: infected - detected,
        }
    }

    /// The infected hosts with no alert on a malicious row of theirs, sorted.
    pub(super) fn silent_hosts(&self) -> Vec<String> {
        let mut silent: Vec<String> = self
            .hosts
            .iter()
            .filter(|(_, h)| h.infected && !h.detected())
            .map(|(name, _)| name.clone())
            .collect();
        silent.sort_unstable();
        silent
    }

    /// The infected hosts' malicious rows, as the changes read them.
    pub(super) fn infected_hosts(&self) -> Vec<&HostRows> {
        self.hosts
            .values()
            .filter(|h| h.infected)
            .map(|h| &h.rows)
            .collect()
    }

    /// Why malicious rows carry no alert; `exclusions` names them.
    pub(super) fn misses(&self, exclusions: &[String]) -> Misses {
        Misses {
            not_read: self.not_read,
            not_matched: self.not_matched,
            hidden: self.hidden,
            hidden_by: hidden_by(exclusions, &self.credited),
            unmatched_steps: steps(&self.unmatched_steps),
        }
    }

    /// Add this scenario's hidden rows by exclusion to `into`.
    pub(super) fn merge_hidden(&self, into: &mut [[u64; 2]]) {
        for (e, c) in into.iter_mut().zip(&self.credited) {
            e[0] += c[0];
            e[1] += c[1];
        }
    }

    /// Add this scenario's unmatched rows by step to `into`.
    pub(super) fn merge_steps(&self, into: &mut BTreeMap<String, [u64; 2]>) {
        for (step, [r, m]) in &self.unmatched_steps {
            let e = into.entry(step.clone()).or_default();
            e[0] += r;
            e[1] += m;
        }
    }

    /// Incidents: infected against flagged, per host.
    fn incidents(&self) -> Confusion {
        let mut c = Confusion::default();
        for h in self.hosts.values() {
            c.add(h.infected, h.flagged);
        }
        c
    }

    /// Infected hosts, and those of them an alert stands on a malicious row of.
    fn hosts_detected(&self) -> (u64, u64) {
        let infected = self.hosts.values().filter(|h| h.infected).count() as u64;
        let detected = self.hosts.values().filter(|h| h.detected()).count() as u64;
        (infected, detected)
    }

    /// What makes an expectation that does not hold differ: for an attack, the
    /// exclusion that hid most of its rows, else whether hunts read them; for
    /// rows that should not alert, the hunt with most alerts on benign rows
    /// (else the one that fired most).
    fn cause(&self, sc: &Scenario, hunts: &[String], exclusions: &[String]) -> Cause {
        let most = |v: &[u64], names: &[String]| {
            let (i, n) = v.iter().enumerate().fold(
                (0, 0),
                |best, (i, &n)| if n > best.1 { (i, n) } else { best },
            );
            (n > 0).then(|| names[i].clone())
        };
        if sc.expect.outcome == simulator::Expected::Alert {
            let (hidden_by, visible) = self.silent_rows(exclusions.len());
            return match most(&hidden_by, exclusions) {
                Some(x) => Cause::Exclusion(x),
                None if visible > 0 => Cause::NotMatched,
                None => Cause::NotRead,
            };
        }
        if self.alerts > 0 || sc.expect.outcome == simulator::Expected::NoMatch {
            let by = most(&self.false_alerts_by_hunt, hunts)
                .or_else(|| most(&self.fired_by_hunt, hunts));
            if let Some(h) = by {
                return Cause::Hunt(h);
            }
        }
        Cause::OtherSuppression
    }

    /// The malicious rows of the silent hosts (all of the scenario's when none
    /// is silent): per exclusion, the rows it suppressed, and the rows of a
    /// kind some hunt reads. What keeps an attack's expectation from holding
    /// is on those hosts.
    fn silent_rows(&self, exclusions: usize) -> (Vec<u64>, u64) {
        let silent: Vec<&HostAcc> = self
            .hosts
            .values()
            .filter(|h| h.infected && !h.detected())
            .collect();
        if silent.is_empty() {
            return (self.hidden_by.clone(), self.visible_malicious);
        }
        let mut hidden_by = vec![0; exclusions];
        let mut visible = 0;
        for h in silent {
            visible += h.rows.visible;
            for (&(_, suppressing), &n) in &h.rows.hidden {
                for x in bits(suppressing).filter(|&x| x < exclusions) {
                    hidden_by[x] += n;
                }
            }
        }
        (hidden_by, visible)
    }

    /// The exclusion a known gap names, when it suppressed some of the
    /// scenario's rows: the content's own account of the gap.
    fn declared_cause(&self, gap: Option<&KnownGap>, exclusions: &[String]) -> Option<Cause> {
        let named = gap?.exclusion.as_deref()?;
        let x = exclusions.iter().position(|e| e == named)?;
        let suppressed: u64 = self
            .patterns
            .iter()
            .filter(|((_, by, _), _)| by & (1 << x) != 0)
            .map(|(_, n)| n)
            .sum();
        (suppressed > 0).then(|| Cause::Exclusion(named.to_owned()))
    }

    /// The scenario's score. `sc` is `None` for rows whose scenario is not in
    /// the library; `gap` is the content's known gap for it.
    pub(super) fn finish(
        &self,
        id: &str,
        sc: Option<&Scenario>,
        gap: Option<&KnownGap>,
        lookup: Confusion,
        names: (&[String], &[String]),
    ) -> ScenarioScore {
        let (hosts_infected, hosts_alerted) = self.hosts_detected();
        // Only an attack's expectation asks every infected host to alert.
        let silent_hosts = match sc {
            Some(sc) if sc.expect.outcome == simulator::Expected::Alert => self.silent_hosts(),
            _ => Vec::new(),
        };
        let (holds, detail) = match sc {
            Some(sc) => {
                let c = self.counts();
                let mut detail = sc.expect.describe(&c);
                if !silent_hosts.is_empty() {
                    detail = format!("{detail}: {}", silent_hosts.join(", "));
                }
                (sc.expect.check(&c).is_ok(), detail)
            }
            None => (
                false,
                "rows carry a scenario id that is not in the library".to_owned(),
            ),
        };
        let ttfd = match (self.first_malicious_ms, self.first_malicious_alert_ms) {
            (Some(a), Some(b)) => Some((b - a) as f64 / 1000.0),
            _ => None,
        };
        let recall_visible = (self.visible_malicious > 0)
            .then(|| round(self.event.tp as f64 / self.visible_malicious as f64));
        ScenarioScore {
            id: id.to_owned(),
            title: sc.map_or_else(String::new, |s| s.title.clone()),
            kind: sc.map_or("unknown", |s| s.kind.name()).to_owned(),
            expected_outcome: sc.map_or("unknown", |s| s.expect.outcome.name()).to_owned(),
            expected_exclusion: sc.and_then(|s| s.expect.exclusion.clone()),
            status: Status::of(holds, gap.is_some()),
            known_gap: gap.map(|g| g.why.clone()),
            cause: sc.filter(|_| !holds).map(|sc| {
                self.declared_cause(gap, names.1)
                    .unwrap_or_else(|| self.cause(sc, names.0, names.1))
            }),
            expectation_met: holds,
            expectation_detail: detail,
            rows: self.rows,
            malicious_rows: self.malicious_rows,
            fired: self.fired,
            alerts: self.alerts,
            suppressed: self.suppressed,
            // Filled from the per-kind counts (`kinds`).
            alerted_kinds: Vec::new(),
            event: self.event,
            recall_visible,
            misses: self.misses(names.1),
            lookup,
            host: self.incidents(),
            hosts_infected,
            hosts_alerted,
            silent_hosts,
            time_to_first_detection_s: ttfd,
            timeline: self.timeline(),
        }
    }

    fn timeline(&self) -> Option<Timeline> {
        let (start, end) = (self.first_malicious_ms?, self.last_malicious_ms?);
        let first_min = start.div_euclid(60_000);
        let span = (end.div_euclid(60_000) - first_min + 1).max(1);
        let mut bins = [[0u64; 3]; TIMELINE_BINS];
        for (m, c) in &self.minutes {
            let i = (((m - first_min) * TIMELINE_BINS as i64) / span)
                .clamp(0, TIMELINE_BINS as i64 - 1);
            for k in 0..3 {
                bins[i as usize][k] += c[k];
            }
        }
        Some(Timeline {
            start_ms: start,
            end_ms: end,
            alerted: bins.iter().map(|b| b[0]).collect(),
            hidden: bins.iter().map(|b| b[1]).collect(),
            missed: bins.iter().map(|b| b[2]).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn bits_are_the_set_bits_lowest_first(mask in any::<u64>()) {
            let by_filter: Vec<usize> = (0..64).filter(|i| mask & (1 << i) != 0).collect();
            prop_assert_eq!(super::bits(mask).collect::<Vec<_>>(), by_filter);
        }
    }
}
