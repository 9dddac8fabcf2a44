//! Changes to the content, measured on the run's own rows without running it
//! again: stopping a hunt from applying some of its exclusions, and matching
//! DNS names by suffix instead of `has_any`. Each is read through the
//! scenarios' own expectations, so a change "closes a gap" exactly when the
//! expectation would hold.

use std::collections::BTreeMap;

use simulator::{Counts, Expect};

use super::acc::{HostRows, Loose, Pattern};
use crate::report::Change;

/// What a change needs to know of one scenario.
#[derive(Clone)]
pub(super) struct Outcome<'a> {
    pub id: &'a str,
    pub expect: &'a Expect,
    pub counts: Counts,
    /// Rows hunts fired on and no alert stands on, by pattern.
    pub patterns: &'a BTreeMap<Pattern, u64>,
    pub loose: Loose,
    /// Its infected hosts' malicious rows: which host a change silences or
    /// makes alert.
    pub hosts: Vec<&'a HostRows>,
}

/// A change's effect on one scenario: its new counts, and the alerts it adds
/// (malicious, benign) or removes (negative).
type Effect = (Counts, i64, i64);

/// Drop the exclusions in `dropped` from hunt `h` (whose exclusions are
/// `guarded`): a suppressed row alerts when `h` fired on it and no exclusion `h`
/// keeps suppressed it.
fn drop_effect(o: &Outcome<'_>, h: usize, guarded: u64, dropped: u64) -> Effect {
    let (mut malicious, mut benign) = (0, 0);
    for (&(fired, suppressing, truth), &n) in o.patterns {
        if fired & (1 << h) != 0 && suppressing & guarded & !dropped == 0 {
            *if truth { &mut malicious } else { &mut benign } += n;
        }
    }
    let mut c = o.counts;
    c.alerts += malicious + benign;
    c.fired_not_by_named += malicious + benign;
    let alerts = |host: &HostRows| {
        host.alerts > 0
            || host.hidden.keys().any(|&(fired, suppressing)| {
                fired & (1 << h) != 0 && suppressing & guarded & !dropped == 0
            })
    };
    c.hosts_silent = o.hosts.iter().filter(|host| !alerts(host)).count() as u64;
    (c, malicious as i64, benign as i64)
}

/// Match DNS names as an IOC or a subdomain of one: the loose rows no longer fire.
fn suffix_effect(o: &Outcome<'_>) -> Effect {
    let l = o.loose;
    let mut c = o.counts;
    c.fired -= l.fired;
    c.fired_not_by_named -= l.fired_not_by_named;
    c.alerts -= l.malicious_alerts + l.benign_alerts;
    // A host alerts on as many malicious rows as before, less its loose names.
    c.hosts_silent = o
        .hosts
        .iter()
        .filter(|h| h.alerts <= h.loose_alerts)
        .count() as u64;
    (c, -(l.malicious_alerts as i64), -(l.benign_alerts as i64))
}

/// Measure one change over every scenario.
fn measure(
    change: &str,
    hunt: Option<String>,
    exclusions: Vec<String>,
    outcomes: &[Outcome<'_>],
    effect: impl Fn(&Outcome<'_>) -> Effect,
) -> Change {
    let mut c = Change {
        change: change.to_owned(),
        hunt,
        exclusions,
        gaps_closed: Vec::new(),
        new_failures: Vec::new(),
        malicious_rows: 0,
        false_positive_rows: 0,
    };
    for o in outcomes {
        let (counts, malicious, benign) = effect(o);
        c.malicious_rows += malicious;
        c.false_positive_rows += benign;
        let before = o.expect.check(&o.counts).is_ok();
        let after = o.expect.check(&counts).is_ok();
        if !before && after {
            c.gaps_closed.push(o.id.to_owned());
        } else if before && !after {
            c.new_failures.push(o.id.to_owned());
        }
    }
    c
}

/// One hunt as the changes see it.
pub(super) struct HuntExclusions<'a> {
    pub id: &'a str,
    /// Its exclusions: (index, id, malicious rows of this hunt it hid, harmful
    /// on this hunt).
    pub exclusions: Vec<(usize, &'a str, u64, bool)>,
}

/// Every change worth measuring: each exclusion that hid malicious rows of a
/// hunt, dropped from that hunt alone; all the exclusions harmful on a hunt,
/// dropped together; and suffix matching when some fired DNS name is not an
/// IOC or a subdomain of one.
fn candidates(hunts: &[HuntExclusions<'_>], outcomes: &[Outcome<'_>]) -> Vec<Change> {
    let mut out = Vec::new();
    for (h, hunt) in hunts.iter().enumerate() {
        let guarded = hunt.exclusions.iter().fold(0, |m, e| m | 1 << e.0);
        let drop = |set: &[&(usize, &str, u64, bool)]| {
            let mask = set.iter().fold(0, |m, e| m | 1 << e.0);
            let ids = set.iter().map(|e| e.1.to_owned()).collect();
            measure(
                "drop_exclusions",
                Some(hunt.id.to_owned()),
                ids,
                outcomes,
                |o| drop_effect(o, h, guarded, mask),
            )
        };
        for e in hunt.exclusions.iter().filter(|e| e.2 > 0) {
            out.push(drop(&[e]));
        }
        let harmful: Vec<_> = hunt.exclusions.iter().filter(|e| e.3).collect();
        if harmful.len() > 1 {
            out.push(drop(&harmful));
        }
    }
    if outcomes.iter().any(|o| o.loose.fired > 0) {
        out.push(measure(
            "suffix_names",
            None,
            Vec::new(),
            outcomes,
            suffix_effect,
        ));
    }
    out
}

/// The change that gains most: it breaks no scenario and loses no alert on a
/// malicious row (a change that trades detections for fewer false positives is
/// a trade-off to weigh, not a recommendation), closes the most gaps, then gains
/// the most alerts on malicious rows net of false positives, then drops the
/// fewest exclusions. `None` when no change gains anything.
pub(super) fn best(hunts: &[HuntExclusions<'_>], outcomes: &[Outcome<'_>]) -> Option<Change> {
    let net = |c: &Change| c.malicious_rows - c.false_positive_rows;
    candidates(hunts, outcomes)
        .into_iter()
        .filter(|c| c.new_failures.is_empty() && c.malicious_rows >= 0)
        .filter(|c| !c.gaps_closed.is_empty() || net(c) > 0)
        // The first of equals wins: `max_by` keeps the last.
        .rev()
        .max_by(|a, b| {
            (
                a.gaps_closed.len(),
                net(a),
                std::cmp::Reverse(a.exclusions.len()),
            )
                .cmp(&(
                    b.gaps_closed.len(),
                    net(b),
                    std::cmp::Reverse(b.exclusions.len()),
                ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use simulator::Expected;

    fn expect(outcome: Expected) -> Expect {
        Expect {
            outcome,
            exclusion: None,
        }
    }

    #[test]
    fn drops_and_suffix_are_read_through_the_expectations() {
        let (alert, no_alert) = (expect(Expected::Alert), expect(Expected::NoAlert));
        // Hunt 0 fired on 5 malicious rows that exclusion 0 alone suppressed, and
        // on 2 that exclusions 0 and 1 both suppressed.
        let attack: BTreeMap<Pattern, u64> = [((1, 1, true), 5), ((1, 3, true), 2)].into();
        // Hunt 0 fired on 4 benign rows exclusion 1 suppressed; 3 alerts stand
        // on loose names.
        let benign: BTreeMap<Pattern, u64> = [((1, 2, false), 4)].into();
        let counts = |fired, alerts| Counts {
            fired,
            alerts,
            fired_not_by_named: fired,
            ..Counts::default()
        };
        let outcomes = [
            Outcome {
                id: "attack",
                expect: &alert,
                counts: counts(7, 0),
                patterns: &attack,
                loose: Loose::default(),
                hosts: Vec::new(),
            },
            Outcome {
                id: "benign",
                expect: &no_alert,
                counts: counts(7, 3),
                patterns: &benign,
                loose: Loose {
                    fired: 3,
                    fired_not_by_named: 3,
                    malicious_alerts: 0,
                    benign_alerts: 3,
                },
                hosts: Vec::new(),
            },
        ];
        let hunts = [HuntExclusions {
            id: "h",
            exclusions: vec![(0, "x0", 7, true), (1, "x1", 2, false)],
        }];
        let all = candidates(&hunts, &outcomes);
        let find = |ids: &[&str]| {
            all.iter()
                .find(|c| c.exclusions == ids)
                .unwrap_or_else(|| panic!("{ids:?}"))
        };
        let x0 = find(&["x0"]);
        assert_eq!((x0.malicious_rows, x0.false_positive_rows), (5, 0));
        assert_eq!(x0.gaps_closed, ["attack"]);
        let x1 = find(&["x1"]);
        assert_eq!((x1.malicious_rows, x1.false_positive_rows), (0, 4));
        assert!(x1.gaps_closed.is_empty());
        let suffix = all
            .iter()
            .find(|c| c.change == "suffix_names")
            .expect("suffix");
        assert_eq!((suffix.malicious_rows, suffix.false_positive_rows), (0, -3));
        assert_eq!(suffix.gaps_closed, ["benign"]);
        // Both close one gap; the suffix change gains 3 net, the drop 5.
        let best = super::best(&hunts, &outcomes).expect("a best change");
        assert_eq!(best.exclusions, ["x0"]);

        // With no exclusion to drop, the suffix change closes the benign gap; it
        // is the best change only while it loses no alert on a malicious row.
        let none = [HuntExclusions {
            id: "h",
            exclusions: Vec::new(),
        }];
        let best = super::best(&none, &outcomes).expect("a best change");
        assert_eq!(best.change, "suffix_names");
        let mut with_loss = outcomes.clone();
        with_loss[0].counts = counts(7, 4);
        with_loss[0].loose = Loose {
            fired: 1,
            fired_not_by_named: 1,
            malicious_alerts: 1,
            benign_alerts: 0,
        };
        let all = candidates(&none, &with_loss);
        assert_eq!(all[0].gaps_closed, ["benign"]);
        assert_eq!(all[0].malicious_rows, -1);
        assert_eq!(super::best(&none, &with_loss), None);
    }

    #[test]
    fn a_change_reads_which_hosts_would_alert() {
        let alert = expect(Expected::Alert);
        // Host A alerts on 2 malicious rows, one of them a loose name; host B's
        // only rows hunt 0 fired on were suppressed by exclusion 0.
        let a = HostRows {
            alerts: 2,
            loose_alerts: 1,
            hidden: BTreeMap::new(),
            visible: 2,
        };
        let b = HostRows {
            alerts: 0,
            loose_alerts: 0,
            hidden: [((1, 1), 3)].into(),
            visible: 3,
        };
        let patterns: BTreeMap<Pattern, u64> = [((1, 1, true), 3)].into();
        let o = Outcome {
            id: "two-hosts",
            expect: &alert,
            counts: Counts {
                fired: 5,
                alerts: 2,
                fired_not_by_named: 5,
                hosts_infected: 2,
                hosts_silent: 1,
            },
            patterns: &patterns,
            loose: Loose {
                fired: 1,
                fired_not_by_named: 1,
                malicious_alerts: 1,
                benign_alerts: 0,
            },
            hosts: vec![&a, &b],
        };
        assert!(alert.check(&o.counts).is_err(), "host B is silent");
        let (dropped, malicious, _) = drop_effect(&o, 0, 1, 1);
        assert_eq!((dropped.hosts_silent, malicious), (0, 3));
        assert!(alert.check(&dropped).is_ok(), "dropping x0 makes B alert");
        let (kept, _, _) = drop_effect(&o, 1, 1, 1);
        assert_eq!(kept.hosts_silent, 1, "hunt 1 never fired on B's rows");
        let (suffix, _, _) = suffix_effect(&o);
        assert_eq!(suffix.hosts_silent, 1, "A keeps its one strict alert");
        let strict_only = HostRows {
            loose_alerts: 2,
            ..a.clone()
        };
        let o = Outcome {
            hosts: vec![&strict_only, &b],
            ..o
        };
        assert_eq!(
            suffix_effect(&o).0.hosts_silent,
            2,
            "A's alerts were all loose"
        );
    }
}
