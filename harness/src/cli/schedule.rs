//! `--rule-frequency` and `--rule-lookback`: the scheduled rule `report`
//! judges as and `export` writes its queries for, read and checked once.

use crate::rule::Rule;

/// The scheduled rule's flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleArgs {
    /// As a scheduled rule that runs this often, each run over the rows of
    /// its window (`1h`, `30m`; 5m to 14d; default with --rule-lookback: 1h).
    #[arg(long, value_name = "DURATION")]
    pub rule_frequency: Option<String>,
    /// How far back the rule's joins read task registrations, signers and
    /// host addresses (`14d`; at least the frequency, at most 14d; default:
    /// the frequency). Without either flag: one run over all rows.
    #[arg(long, value_name = "DURATION")]
    pub rule_lookback: Option<String>,
}

impl RuleArgs {
    /// The rule the flags name, checked as Sentinel checks a scheduled
    /// rule's (`crate::rule::clock`); `None` when neither is given.
    pub fn rule(&self) -> anyhow::Result<Option<Rule>> {
        (self.rule_frequency.is_some() || self.rule_lookback.is_some())
            .then(|| {
                crate::rule::clock(
                    self.rule_frequency.as_deref(),
                    self.rule_lookback.as_deref(),
                )
            })
            .transpose()
            .map_err(|e| anyhow::anyhow!(e))
    }
}
