//! The verdict's types: what the report answers first (attacks detected and
//! their silent hosts, known gaps by cause, what fails the run, false
//! positives left, harmful exclusions, the best change).

use serde::Serialize;

/// The verdict: what the report answers first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Attacks (malicious and adversarial scenarios) and whether they alerted.
    pub attacks: Attacks,
    /// Scenarios with status `known_gap`, grouped by what causes them.
    pub known_gaps: Vec<GapGroup>,
    /// Scenarios with status `failed` or `gap_closed`: what fails the run.
    pub failing: Vec<String>,
    /// Alerts on benign rows that stand.
    pub false_positives: FalsePositives,
    /// Each (exclusion, hunt) where the exclusion is harmful, content order.
    pub harmful: Vec<Harmful>,
    /// The change that would gain the most, measured on this run; `null` when
    /// no change measured gains anything without breaking a scenario.
    pub best_change: Option<Change>,
    /// What `huntlab lint` finds in the content (its unexpressed exclusions,
    /// its indicators in shared ranges); absent when nothing. It never
    /// changes the exit status.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lint: Vec<detections::import::Finding>,
}

/// Attacks detected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Attacks {
    /// Malicious and adversarial scenarios.
    pub scenarios: u64,
    /// Of those, scenarios where an alert stands on a malicious row.
    pub scenarios_detected: u64,
    /// Infected hosts (incidents) in them.
    pub hosts: u64,
    /// Of those, hosts with an alert on a malicious row.
    pub hosts_detected: u64,
    /// The scenarios with no alert on a malicious row.
    pub missed: Vec<String>,
    /// The detected scenarios with infected hosts that raised no alert on a
    /// malicious row, in scenario order.
    pub silent_hosts: Vec<SilentHosts>,
}

/// An attack scenario's infected hosts that raised no alert.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SilentHosts {
    /// Scenario id.
    pub scenario: String,
    /// The hosts, sorted.
    pub hosts: Vec<String>,
}

/// What causes a scenario's outcome to differ from its expectation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Cause {
    /// The exclusion hid the rows that would have alerted (the one hiding most).
    Exclusion(String),
    /// Alerts of this hunt stand on rows that should not alert (the one with
    /// most).
    Hunt(String),
    /// No hunt reads the scenario's malicious rows.
    NotRead,
    /// Hunts read the rows, and none matches.
    NotMatched,
    /// Hunts fired, but not only the expected exclusion suppressed them.
    OtherSuppression,
}

/// Known gaps that share a cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapGroup {
    /// The cause.
    #[serde(flatten)]
    pub cause: Cause,
    /// Scenario ids, sorted.
    pub scenarios: Vec<String>,
}

/// Alerts on benign rows that stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FalsePositives {
    /// Rows.
    pub rows: u64,
    /// DNS lookups.
    pub lookups: u64,
    /// Incidents (a host within a scenario) with an alert and no malicious row.
    pub incidents: u64,
    /// The scenarios they come from.
    pub scenarios: Vec<String>,
}

/// An exclusion that hides attacks on a hunt and removes no false positive there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Harmful {
    /// Exclusion id.
    pub exclusion: String,
    /// Hunt id.
    pub hunt: String,
    /// Malicious rows of the hunt it hid.
    pub malicious_hidden: u64,
}

/// A change to the content, measured on the run's own rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `drop_exclusions` (stop applying `exclusions` to `hunt`) or
    /// `suffix_names` (match DNS names as an IOC or a subdomain of one instead
    /// of `has_any`).
    pub change: String,
    /// The hunt changed (`null` for `suffix_names`).
    pub hunt: Option<String>,
    /// The exclusions dropped from it (empty for `suffix_names`).
    pub exclusions: Vec<String>,
    /// Scenarios whose expectation would hold and does not today.
    pub gaps_closed: Vec<String>,
    /// Scenarios whose expectation holds today and would not.
    pub new_failures: Vec<String>,
    /// Change in malicious rows with an alert (positive: more detected).
    pub malicious_rows: i64,
    /// Change in benign rows with an alert (negative: fewer false positives).
    pub false_positive_rows: i64,
}
