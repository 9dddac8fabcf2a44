//! A scheduled rule's timing in its exported queries. Sentinel runs a
//! scheduled rule every `queryFrequency` over the last `queryPeriod`; where
//! the period is longer than the frequency, so that the joins see facts
//! older than the window (a task registered days before), the query itself
//! keeps its hits to the rows of the last window, or each run would alert
//! again on rows an earlier run judged. The lookups the joins read (task
//! registrations, signers) read the whole period. Without a schedule the
//! queries are written as before: one run over whatever time range the
//! caller gives.

use std::fmt::Write as _;

/// A scheduled rule's frequency and lookback, as KQL timespan literals
/// (`1h`, `14d`): what `report --rule-frequency/--rule-lookback` and
/// `export --rule-frequency/--rule-lookback` take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTimes {
    /// How often the rule runs (`queryFrequency`).
    pub frequency: String,
    /// How far back it reads (`queryPeriod`).
    pub lookback: String,
}

/// The `let` statements naming the rule's frequency and lookback, written
/// first in the query; empty without a schedule.
pub(super) fn lets(rule: Option<&RuleTimes>) -> String {
    let mut out = String::new();
    if let Some(r) = rule {
        let _ = writeln!(out, "let query_frequency = {};", r.frequency);
        let _ = writeln!(out, "let query_period = {};", r.lookback);
    }
    out
}

/// The filter keeping the rows of the last window (the hits), on the
/// table's time column; empty without a schedule.
pub(super) fn window(rule: Option<&RuleTimes>, time: &str) -> String {
    rule.map_or_else(String::new, |_| {
        format!("| where {time} >= ago(query_frequency)\n")
    })
}

/// The filter keeping a lookup's rows of the whole period; empty without a
/// schedule.
pub(super) fn period(rule: Option<&RuleTimes>, time: &str) -> String {
    rule.map_or_else(String::new, |_| {
        format!("| where {time} >= ago(query_period)\n")
    })
}

/// Sentinel's `queryFrequency` and `queryPeriod` of the rule: an hour each
/// without a schedule.
pub(super) fn sentinel(rule: Option<&RuleTimes>) -> (&str, &str) {
    rule.map_or(("1h", "1h"), |r| {
        (r.frequency.as_str(), r.lookback.as_str())
    })
}
