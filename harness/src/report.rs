//! The detection-quality report: the data every renderer (terminal, JSON,
//! Markdown, HTML) draws from. `report.json` is this structure serialised; its
//! schema is documented in `docs/report-schema.md` and versioned by
//! [`SCHEMA_VERSION`].

use serde::Serialize;

use crate::metrics::Confusion;

/// Version of the `report.json` schema. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What was scored.
    pub detection: DetectionInfo,
    /// How it was run, and the row accounting.
    pub run: RunInfo,
    /// Overall figures.
    pub overall: Overall,
    /// Per hunt, over the rows it reads.
    pub hunts: Vec<HuntScore>,
    /// Per scenario.
    pub scenarios: Vec<ScenarioScore>,
    /// Per exclusion: what it removes and what it hides.
    pub exclusions: Vec<ExclusionScore>,
    /// Per telemetry source.
    pub sources: Vec<SourceScore>,
    /// `has_any` against strict alternatives on the same DNS rows.
    pub semantics: Vec<SemanticsScore>,
    /// The DNS server's alerts attributed by `ClientIP`, as an analyst does,
    /// against the label.
    pub host_attribution: HostAttribution,
    /// The first rows that could not be read (at most 20), for the reader.
    pub rejected_examples: Vec<Rejected>,
}

/// The detection content that was scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectionInfo {
    /// Content id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Domain IOCs.
    pub iocs: Vec<String>,
    /// Hunt ids.
    pub hunts: Vec<String>,
    /// Exclusion ids.
    pub exclusions: Vec<String>,
}

/// Run parameters and row accounting: `rows_read == rows_scored + rows_rejected`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// Seed given to the simulator.
    pub seed: u64,
    /// Scale given to the simulator.
    pub scale: f64,
    /// Number of scenarios run.
    pub scenario_count: usize,
    /// Rows read.
    pub rows_read: u64,
    /// Rows the detection evaluated.
    pub rows_scored: u64,
    /// Rows that could not be read (see `rejected_examples`).
    pub rows_rejected: u64,
}

/// Overall figures. `precision`, `recall` and `f1` are event level, repeated at the
/// top for readers who want one number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overall {
    /// Event-level precision.
    pub precision: Option<f64>,
    /// Event-level recall.
    pub recall: Option<f64>,
    /// Event-level F1.
    pub f1: Option<f64>,
    /// Every row: malicious truth against a standing alert.
    pub event: Confusion,
    /// Every host: infected (any malicious row) against flagged (any alert).
    pub host: Confusion,
    /// Scenarios whose declared expectation held.
    pub expectations_met: usize,
    /// Scenarios whose declared expectation did not hold.
    pub expectations_failed: usize,
}

/// One hunt, over the rows of the kinds it reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HuntScore {
    /// Hunt id.
    pub id: String,
    /// Rows it fired on, before exclusions.
    pub fired: u64,
    /// Rows where it alerted (fired and not suppressed).
    pub alerts: u64,
    /// Confusion over the rows it reads, after exclusions.
    #[serde(flatten)]
    pub confusion: Confusion,
}

/// One scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioScore {
    /// Scenario id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `benign`, `malicious`, `adversarial` or `background`.
    pub kind: String,
    /// Declared outcome: `alert`, `suppressed` or `no-match`.
    pub expected_outcome: String,
    /// Declared exclusion, if any.
    pub expected_exclusion: Option<String>,
    /// Whether the declaration held.
    pub expectation_met: bool,
    /// Why it held or not, in a sentence.
    pub expectation_detail: String,
    /// Rows generated.
    pub rows: u64,
    /// Rows labelled malicious.
    pub malicious_rows: u64,
    /// Rows a hunt fired on, before exclusions.
    pub fired: u64,
    /// Rows with a standing alert.
    pub alerts: u64,
    /// Rows a hunt fired on that exclusions suppressed.
    pub suppressed: u64,
    /// Event-level confusion (flattened: `tp`, `fp`, `fn`, `tn`, `precision`, `recall`, `f1`).
    #[serde(flatten)]
    pub event: Confusion,
    /// Host-level confusion.
    pub host: Confusion,
    /// Seconds from the scenario's first malicious row to its first alert on a
    /// malicious row (malicious and adversarial scenarios; `null` when never).
    pub time_to_first_detection_s: Option<f64>,
    /// Alert timeline of the malicious rows, for charts.
    pub timeline: Option<Timeline>,
}

/// Where in a scenario's malicious activity the alerts fell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// First malicious row, ms since the epoch.
    pub start_ms: i64,
    /// Last malicious row, ms since the epoch.
    pub end_ms: i64,
    /// Per equal-width bin: malicious rows with a standing alert.
    pub alerted: Vec<u64>,
    /// Per bin: malicious rows a hunt fired on that an exclusion suppressed.
    pub hidden: Vec<u64>,
    /// Per bin: malicious rows no hunt fired on.
    pub missed: Vec<u64>,
}

/// One exclusion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExclusionScore {
    /// Exclusion id.
    pub id: String,
    /// The documented scenario it is for.
    pub scenario: String,
    /// Benign rows it suppressed: the false positives it removes.
    pub benign_suppressed: u64,
    /// Malicious rows it suppressed: its blind spot.
    pub malicious_hidden: u64,
    /// Rows a hunt fired on where it could not be evaluated (no process context).
    pub not_evaluable: u64,
    /// The scenarios those rows came from.
    pub by_scenario: Vec<ExclusionByScenario>,
}

/// An exclusion's effect within one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionByScenario {
    /// Scenario id.
    pub scenario: String,
    /// Benign rows suppressed.
    pub benign_suppressed: u64,
    /// Malicious rows hidden.
    pub malicious_hidden: u64,
}

/// One telemetry source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceScore {
    /// Source name.
    pub source: String,
    /// Rows scored.
    pub rows: u64,
    /// Rows a hunt fired on.
    pub fired: u64,
    /// Rows with a standing alert.
    pub alerts: u64,
    /// Fired rows on which the exclusions could not be evaluated: protection the
    /// exclusions cannot give on this source.
    pub not_evaluable: u64,
    /// Whether the source carries the querying / acting process.
    pub has_process: bool,
}

/// One DNS matching semantics, scored on every DNS row, before exclusions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SemanticsScore {
    /// `has_any` (the source's query), `exact` (an equality join), `suffix`
    /// (the domain or a subdomain of it).
    pub matcher: String,
    /// What it means.
    pub definition: String,
    /// Confusion over DNS rows.
    #[serde(flatten)]
    pub confusion: Confusion,
}

/// Who the DNS server's alerts belong to: by label (the host that asked) and by
/// `ClientIP` (the host whose address it is, from `DeviceNetworkInfo` /
/// `Heartbeat`), and what the difference costs at host level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostAttribution {
    /// `DnsEvents` rows with a standing alert.
    pub dns_alerts: u64,
    /// Of those, rows whose `ClientIP` is the labelled host's address.
    pub to_labelled_host: u64,
    /// Rows whose `ClientIP` is another host's (a forwarder's).
    pub to_another_host: u64,
    /// Rows whose `ClientIP` no host reported.
    pub unmapped: u64,
    /// Host-level confusion, alerts attributed by label (as `overall.host`).
    pub host_by_label: Confusion,
    /// Host-level confusion, the DNS server's alerts attributed by `ClientIP`.
    pub host_by_client_ip: Confusion,
    /// Hosts that received other hosts' alerts through their address.
    pub forwarded: Vec<ForwardedTo>,
}

/// A host whose address carried other hosts' lookups (a DNS forwarder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForwardedTo {
    /// The host `ClientIP` maps to.
    pub host: String,
    /// Other hosts' alerts attributed to it.
    pub alerts: u64,
    /// The hosts that asked (from the labels).
    pub clients: Vec<String>,
    /// Whether it is itself infected.
    pub infected: bool,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Table or file.
    pub table: String,
    /// 1-based row number within it.
    pub row: u64,
    /// Why.
    pub error: String,
}
