//! Scenario files: what they say, and the checks they must pass.

use serde::{Deserialize, Serialize};

/// What kind of activity a scenario is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// Legitimate activity (a documented false-positive scenario).
    Benign,
    /// A NanoCore infection.
    Malicious,
    /// Real malware shaped to satisfy an exclusion.
    Adversarial,
    /// Ordinary enterprise traffic.
    Background,
}

impl ScenarioKind {
    /// The kind's name, as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            ScenarioKind::Benign => "benign",
            ScenarioKind::Malicious => "malicious",
            ScenarioKind::Adversarial => "adversarial",
            ScenarioKind::Background => "background",
        }
    }
}

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

/// A scenario file's problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML, or not the scenario schema.
    #[error("{origin}: line {line}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Valid TOML with a value that is not allowed.
    #[error("{origin}: field `{field}`: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// A loaded scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it simulates.
    pub description: String,
    /// Kind.
    pub kind: ScenarioKind,
    /// What the detection should do.
    pub expect: Expect,
    /// Where it was read from.
    pub origin: String,
}
