//! What a scenario expects the detection to do, and the one reading of whether
//! it did.

use serde::{Deserialize, Serialize};

/// What the detection should do on the scenario's telemetry: not what it does
/// today. A content that accepts a different outcome for now declares a known
/// gap for the scenario (see [`Status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expected {
    /// At least one alert stands (malicious and adversarial scenarios).
    Alert,
    /// Hunts fire, and the named exclusion suppresses every row they fire on
    /// (benign scenarios an exclusion was written for).
    Suppressed,
    /// No alert stands, whether or not a hunt fired (benign and background
    /// scenarios).
    NoAlert,
    /// No hunt fires at all (background scenarios).
    NoMatch,
}

impl Expected {
    /// The outcome's name, as scenario files write it.
    pub fn name(self) -> &'static str {
        match self {
            Expected::Alert => "alert",
            Expected::Suppressed => "suppressed",
            Expected::NoAlert => "no-alert",
            Expected::NoMatch => "no-match",
        }
    }
}

/// A scenario's declared expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome.
    pub outcome: Expected,
    /// With `suppressed`: the exclusion that should suppress every row a hunt
    /// fires on. With `alert`, in an adversarial scenario: the exclusion the
    /// malware is shaped to satisfy (the report's context; the alert must stand
    /// all the same).
    #[serde(default)]
    pub exclusion: Option<String>,
}

/// What a scenario's rows did under the detection, counted as its expectation
/// reads them. "The named exclusion" is [`Expect::exclusion`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows some hunt fired on.
    pub fired: u64,
    /// Rows on which an alert stands.
    pub alerts: u64,
    /// Fired rows the named exclusion did not suppress (every fired row when no
    /// exclusion is named).
    pub fired_not_by_named: u64,
    /// Hosts with a malicious row (infected).
    pub hosts_infected: u64,
    /// Infected hosts with no alert on a malicious row of theirs (silent).
    pub hosts_silent: u64,
}

/// Where a scenario ends, once its expectation is read against what happened and
/// against the content's known gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The expectation holds, and no known gap is declared.
    Met,
    /// The expectation does not hold, and no known gap is declared.
    Failed,
    /// The expectation does not hold, and the content declares why.
    KnownGap,
    /// A known gap is declared, but the expectation now holds: the declaration
    /// is stale.
    GapClosed,
}

impl Status {
    /// The status for an expectation that `holds` or not, on a scenario that is
    /// (`gap`) or is not a declared known gap.
    pub fn of(holds: bool, gap: bool) -> Self {
        match (holds, gap) {
            (true, false) => Status::Met,
            (false, false) => Status::Failed,
            (false, true) => Status::KnownGap,
            (true, true) => Status::GapClosed,
        }
    }

    /// The name, as `report.json` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Failed => "failed",
            Status::KnownGap => "known_gap",
            Status::GapClosed => "gap_closed",
        }
    }

    /// Whether the status fails a run: an unexpected outcome, or a known gap
    /// that closed without its declaration being removed.
    pub fn fails_run(self) -> bool {
        matches!(self, Status::Failed | Status::GapClosed)
    }
}

impl Expect {
    /// Whether the expectation holds for these counts; when it does not, what was
    /// expected and what happened ([`Expect::describe`]).
    ///
    /// - `alert`: an alert stands, and every infected host has an alert on a
    ///   malicious row of its own (no host is silent).
    /// - `suppressed`: hunts fire, no alert stands, an exclusion is named and it
    ///   suppresses every fired row.
    /// - `no-alert`: no alert stands.
    /// - `no-match`: no hunt fires.
    pub fn check(&self, c: &Counts) -> Result<(), String> {
        let holds = match self.outcome {
            Expected::Alert => c.alerts > 0 && c.hosts_silent == 0,
            Expected::Suppressed => {
                c.fired > 0
                    && c.alerts == 0
                    && !self.named().is_empty()
                    && c.fired_not_by_named == 0
            }
            Expected::NoAlert => c.alerts == 0,
            Expected::NoMatch => c.fired == 0,
        };
        if holds {
            Ok(())
        } else {
            Err(self.describe(c))
        }
    }

    /// The status of a scenario with these counts, `gap` telling whether the
    /// content declares it a known gap.
    pub fn status(&self, c: &Counts, gap: bool) -> Status {
        Status::of(self.check(c).is_ok(), gap)
    }

    /// The named exclusion, or "" (an empty name counts as none).
    fn named(&self) -> &str {
        self.exclusion.as_deref().unwrap_or("")
    }

    /// What the expectation asks for and what the counts show, in one sentence.
    pub fn describe(&self, c: &Counts) -> String {
        let named = self.named();
        match self.outcome {
            Expected::Alert if c.hosts_silent > 0 => format!(
                "expected an alert on every infected host; {} alert(s) stand, {} of {} infected hosts raised no alert",
                c.alerts, c.hosts_silent, c.hosts_infected
            ),
            Expected::Alert => format!("expected an alert; {} alert(s) stand", c.alerts),
            Expected::Suppressed => format!(
                "expected every fired row suppressed by `{named}`; hunts fired on {} row(s), {} alert(s) stand, {} fired row(s) not suppressed by `{named}`",
                c.fired, c.alerts, c.fired_not_by_named
            ),
            Expected::NoAlert => format!(
                "expected no alert; hunts fired on {} row(s), {} alert(s) stand",
                c.fired, c.alerts
            ),
            Expected::NoMatch => {
                format!("expected no hunt to fire; hunts fired on {} row(s)", c.fired)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_host_is_named_by_its_count() {
        let e = Expect {
            outcome: Expected::Alert,
            exclusion: None,
        };
        let c = Counts {
            fired: 9,
            alerts: 7,
            fired_not_by_named: 9,
            hosts_infected: 4,
            hosts_silent: 2,
        };
        assert_eq!(
            e.check(&c),
            Err("expected an alert on every infected host; 7 alert(s) stand, 2 of 4 infected hosts raised no alert".to_owned())
        );
    }

    #[test]
    fn each_outcome_reads_its_counts() {
        let c = |fired, alerts, fired_not_by_named| Counts {
            fired,
            alerts,
            fired_not_by_named,
            ..Counts::default()
        };
        let hosts = |alerts, infected, silent| Counts {
            fired: alerts,
            alerts,
            fired_not_by_named: alerts,
            hosts_infected: infected,
            hosts_silent: silent,
        };
        let cases = [
            (Expected::NoMatch, None, c(0, 0, 0), true),
            (Expected::NoMatch, None, c(1, 0, 1), false),
            (Expected::Alert, None, c(3, 1, 3), true),
            (Expected::Alert, None, c(3, 0, 3), false),
            (Expected::Alert, Some("x"), c(3, 1, 1), true),
            (Expected::Alert, Some("x"), c(3, 0, 0), false),
            (Expected::Alert, None, hosts(3, 4, 0), true),
            (Expected::Alert, None, hosts(3, 4, 2), false),
            (Expected::NoAlert, None, hosts(0, 4, 4), true),
            (Expected::NoAlert, None, c(0, 0, 0), true),
            (Expected::NoAlert, None, c(3, 0, 3), true),
            (Expected::NoAlert, None, c(3, 1, 3), false),
            (Expected::Suppressed, Some("x"), c(3, 0, 0), true),
            (Expected::Suppressed, Some("x"), c(3, 0, 1), false),
            (Expected::Suppressed, Some("x"), c(3, 1, 0), false),
            (Expected::Suppressed, Some("x"), c(0, 0, 0), false),
            (Expected::Suppressed, None, c(3, 0, 0), false),
        ];
        for (outcome, exclusion, counts, holds) in cases {
            let e = Expect {
                outcome,
                exclusion: exclusion.map(str::to_owned),
            };
            let got = e.check(&counts);
            assert_eq!(got.is_ok(), holds, "{e:?} {counts:?}");
            if let Err(detail) = got {
                assert_eq!(detail, e.describe(&counts));
            }
            let want = if holds { Status::Met } else { Status::Failed };
            assert_eq!(e.status(&counts, false), want);
            let gap = if holds {
                Status::GapClosed
            } else {
                Status::KnownGap
            };
            assert_eq!(e.status(&counts, true), gap);
        }
    }
}
