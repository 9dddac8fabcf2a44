//! What a scenario expects the detection to do.

use serde::{Deserialize, Serialize};

/// What the detection should do on the scenario's telemetry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// At least one alert stands.
    Alert,
    /// Hunts fire, and every row they fire on is suppressed.
    Suppressed,
    /// No hunt fires at all.
    NoMatch,
}

/// A scenario's declared expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome.
    pub outcome: Outcome,
    /// With `suppressed`: the exclusion that suppresses every row a hunt fires on.
    /// With `alert`: an exclusion that hides at least one malicious row (its blind
    /// spot), while an alert still stands elsewhere.
    #[serde(default)]
    pub exclusion: Option<String>,
}
