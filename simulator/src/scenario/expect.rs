//! What a scenario expects the detection to do, and the one reading of whether
//! it did.

use serde::{Deserialize, Serialize};

/// What the detection should do on the scenario's telemetry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expected {
    /// At least one alert stands.
    Alert,
    /// Hunts fire, and every row they fire on is suppressed.
    Suppressed,
    /// No hunt fires at all.
    NoMatch,
}

impl Expected {
    /// The outcome's name, as scenario files write it.
    pub fn name(self) -> &'static str {
        match self {
            Expected::Alert => "alert",
            Expected::Suppressed => "suppressed",
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
    /// With `suppressed`: the exclusion that suppresses every row a hunt fires on.
    /// With `alert`: an exclusion that hides at least one malicious row (its blind
    /// spot), while an alert still stands elsewhere.
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
    /// Malicious rows the named exclusion suppressed.
    pub named_hidden: u64,
}

impl Expect {
    /// Whether the expectation holds for these counts; when it does not, what was
    /// expected and what happened ([`Expect::describe`]).
    ///
    /// - `no-match`: no hunt fires.
    /// - `alert`: an alert stands; with an exclusion, that exclusion also hides
    ///   at least one malicious row.
    /// - `suppressed`: hunts fire, no alert stands, an exclusion is named and it
    ///   suppresses every fired row.
    pub fn check(&self, c: &Counts) -> Result<(), String> {
        let named = !self.named().is_empty();
        let holds = match self.outcome {
            Expected::NoMatch => c.fired == 0,
            Expected::Alert if !named => c.alerts > 0,
            Expected::Alert => c.alerts > 0 && c.named_hidden > 0,
            Expected::Suppressed => {
                c.fired > 0 && c.alerts == 0 && named && c.fired_not_by_named == 0
            }
        };
        if holds {
            Ok(())
        } else {
            Err(self.describe(c))
        }
    }

    /// The named exclusion, or "" (an empty name counts as none).
    fn named(&self) -> &str {
        self.exclusion.as_deref().unwrap_or("")
    }

    /// What the expectation asks for and what the counts show, in one sentence.
    pub fn describe(&self, c: &Counts) -> String {
        let named = self.named();
        match self.outcome {
            Expected::NoMatch => {
                format!("expected no hunt to fire; hunts fired on {} row(s)", c.fired)
            }
            Expected::Alert if named.is_empty() => {
                format!("expected an alert; {} alert(s) stand", c.alerts)
            }
            Expected::Alert => format!(
                "expected an alert while `{named}` hides malicious rows; {} alert(s) stand, `{named}` hid {} malicious row(s)",
                c.alerts, c.named_hidden
            ),
            Expected::Suppressed => format!(
                "expected every fired row suppressed by `{named}`; hunts fired on {} row(s), {} alert(s) stand, {} fired row(s) not suppressed by `{named}`",
                c.fired, c.alerts, c.fired_not_by_named
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_outcome_reads_its_counts() {
        let c = |fired, alerts, fired_not_by_named, named_hidden| Counts {
            fired,
            alerts,
            fired_not_by_named,
            named_hidden,
        };
        let cases = [
            (Expected::NoMatch, None, c(0, 0, 0, 0), true),
            (Expected::NoMatch, None, c(1, 0, 1, 0), false),
            (Expected::Alert, None, c(3, 1, 3, 0), true),
            (Expected::Alert, None, c(3, 0, 3, 0), false),
            (Expected::Alert, Some("x"), c(3, 1, 1, 2), true),
            (Expected::Alert, Some("x"), c(3, 1, 3, 0), false),
            (Expected::Suppressed, Some("x"), c(3, 0, 0, 0), true),
            (Expected::Suppressed, Some("x"), c(3, 0, 1, 0), false),
            (Expected::Suppressed, Some("x"), c(3, 1, 0, 0), false),
            (Expected::Suppressed, Some("x"), c(0, 0, 0, 0), false),
            (Expected::Suppressed, None, c(3, 0, 0, 0), false),
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
        }
    }
}
