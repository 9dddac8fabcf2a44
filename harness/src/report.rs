//! The detection-quality report: the data every renderer (terminal, JSON,
//! Markdown, HTML) draws from. `report.json` is this structure serialised; its
//! schema is documented in `docs/report-schema.md` and versioned by
//! [`SCHEMA_VERSION`].

pub use crate::mimic::MimicOutcome;
use serde::Serialize;
pub use simulator::Status;

use crate::metrics::Confusion;

mod verdict;
pub use verdict::{
    Attacks, Cause, Change, FalsePositives, GapGroup, Harmful, SilentHosts, Verdict,
};

/// Version of the `report.json` schema. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What was scored.
    pub detection: DetectionInfo,
    /// How it was run, and the row accounting.
    pub run: RunInfo,
    /// What a reader needs first: attacks detected, known gaps by cause, false
    /// positives left, harmful exclusions, and the change that would gain most.
    pub verdict: Verdict,
    /// Overall figures.
    pub overall: Overall,
    /// Per hunt, over the rows it reads.
    pub hunts: Vec<HuntScore>,
    /// Per indicator kind the content hunts (or that fired), in the kinds'
    /// order: the rows whose hunts fired on, and alerted on, an indicator of
    /// that kind.
    pub indicator_kinds: Vec<KindScore>,
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
    /// Each exported form of each hunt against the engine (`huntlab report`
    /// fills it; empty when not computed).
    pub deployed_forms: Vec<crate::deployed::DeployedForm>,
    /// Each scenario over several seeds (`report --seeds`; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds: Option<crate::seeds::Seeds>,
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
    /// SHA-256 of the content file's text (lower-case hex).
    pub source_sha256: String,
}

/// Run parameters and row accounting: `rows_read == rows_scored + rows_rejected`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// The huntlab version that wrote the report.
    pub huntlab_version: String,
    /// SHA-256 over the scenario files run: a line `id<TAB>origin<TAB>sha256 of
    /// the file's text` per scenario, in id order.
    pub scenarios_sha256: String,
    /// Seed given to the simulator.
    #[serde(rename = "seed")]
    pub rng_seed: u64,
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
    /// The scheduled rule the rows were judged as; null: the whole run at once.
    pub rule: Option<crate::rule::RuleInfo>,
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
    /// Every incident (a host within a scenario): infected (any malicious row)
    /// against flagged (any alert).
    pub host: Confusion,
    /// Every DNS lookup (rows of one host and name within the resolver's cache
    /// window): malicious (any malicious row) against flagged (any alert).
    pub lookup: Confusion,
    /// Recall over the malicious rows of a kind some hunt reads.
    pub recall_visible: Option<f64>,
    /// Why malicious rows carry no alert.
    pub misses: Misses,
    /// Rows whose standing alert carries no indicator kind (only hunts that
    /// fired on a name, path or other value alerted).
    pub alerts_without_indicator: AlertsWithoutIndicator,
    /// Scenarios with status `met`.
    pub expectations_met: usize,
    /// Scenarios with status `failed`.
    pub expectations_failed: usize,
    /// Scenarios with status `known_gap`.
    pub known_gaps: usize,
    /// Scenarios with status `gap_closed`.
    pub gaps_closed: usize,
}

/// Malicious rows without an alert, by cause. `not_read + not_matched + hidden`
/// is the false negatives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Misses {
    /// Rows of a kind no hunt reads (the dropper's script host, the mail client).
    pub not_read: u64,
    /// Rows a hunt reads and no hunt matches.
    pub not_matched: u64,
    /// Rows a hunt fired on that an exclusion suppressed.
    pub hidden: u64,
    /// `hidden` by exclusion: each row counts once, under the first exclusion
    /// (in content order) that suppressed it, so the `rows` add up to `hidden`;
    /// exclusions that suppressed no malicious row are left out.
    pub hidden_by: Vec<HiddenBy>,
    /// `not_read` and `not_matched` by the scenario step that wrote the rows
    /// (`dropper`, `persistence`, ...), sorted by step.
    pub unmatched_steps: Vec<StepMisses>,
}

/// Malicious rows of one scenario step that no hunt fired on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepMisses {
    /// The step, as the simulator labels it.
    pub step: String,
    /// Rows of a kind no hunt reads.
    pub not_read: u64,
    /// Rows a hunt reads and none matches.
    pub not_matched: u64,
}

/// Malicious rows one exclusion suppressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HiddenBy {
    /// Exclusion id.
    pub exclusion: String,
    /// Rows credited to it: it is the first exclusion, in content order, that
    /// suppressed them.
    pub rows: u64,
    /// Rows it suppressed that another exclusion suppressed too (the overlap;
    /// counted under the first of them in `rows`).
    pub also_hidden_by_another: u64,
}

/// One hunt, over the rows of the kinds it reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HuntScore {
    /// Hunt id.
    pub id: String,
    /// Title.
    pub title: String,
    /// `seed` (the source's query) or `added` (by the content).
    pub origin: String,
    /// Why the content added it (`null` for the seed's own).
    pub origin_why: Option<String>,
    /// Rows it fired on, before exclusions.
    pub fired: u64,
    /// Rows where it alerted (fired and not suppressed).
    pub alerts: u64,
    /// Confusion over the rows it reads, after exclusions.
    #[serde(flatten)]
    pub confusion: Confusion,
}

/// Rows whose standing alert carries no indicator kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AlertsWithoutIndicator {
    /// Malicious rows.
    pub tp: u64,
    /// Benign rows.
    pub fp: u64,
}

/// One indicator kind, at row level: the rows a hunt fired on by an indicator
/// of the kind, and what stood of those alerts. A row counts for every kind
/// its hunts fired on, so two kinds may count one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindScore {
    /// The kind's name (`domain`, `ipv4`, `ip_port`, `url`, `sha256`, ...).
    pub kind: String,
    /// A label for people (`IP address and port`).
    pub label: String,
    /// The content's indicators of the kind.
    pub indicators: usize,
    /// The hunts whose condition reads the kind's list, in content order.
    pub hunts: Vec<String>,
    /// Rows a hunt fired on by an indicator of the kind, before exclusions
    /// (`tp + fp + malicious_hidden + benign_suppressed`).
    pub fired: u64,
    /// Rows with a standing alert of a hunt that fired on the kind (`tp + fp`).
    pub alerts: u64,
    /// Malicious rows among `alerts`.
    pub tp: u64,
    /// Benign rows among `alerts`.
    pub fp: u64,
    /// Malicious rows the kind fired on whose hunts on it were all suppressed
    /// (the row may still alert through another kind or hunt).
    pub malicious_hidden: u64,
    /// Benign rows the kind fired on whose hunts on it were all suppressed:
    /// false positives the exclusions removed.
    pub benign_suppressed: u64,
    /// `tp / (tp + fp)`, or `null` with no alert.
    pub precision: Option<f64>,
    /// The scenarios the kind fired in, by id.
    pub scenarios: Vec<KindInScenario>,
}

/// One indicator kind within one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindInScenario {
    /// Scenario id.
    pub scenario: String,
    /// Rows the kind fired on, before exclusions.
    pub fired: u64,
    /// Malicious rows it alerted on.
    pub tp: u64,
    /// Benign rows it alerted on.
    pub fp: u64,
    /// Malicious rows it fired on and exclusions suppressed (for the kind).
    pub malicious_hidden: u64,
    /// Benign rows it fired on and exclusions suppressed (for the kind).
    pub benign_suppressed: u64,
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
    /// Declared outcome: what the detection should do (`alert`, `suppressed`,
    /// `no-alert`, `no-match`).
    pub expected_outcome: String,
    /// Declared exclusion, if any.
    pub expected_exclusion: Option<String>,
    /// `met`, `failed`, `known_gap` or `gap_closed`.
    pub status: Status,
    /// Why the content accepts the gap, when it declares one for this scenario.
    pub known_gap: Option<String>,
    /// What makes the outcome differ from the expectation (`null` when it holds).
    pub cause: Option<Cause>,
    /// Whether the expectation held.
    pub expectation_met: bool,
    /// What was expected and what happened, in a sentence.
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
    /// The indicator kinds (`ip_port`, `domain`, ...) of the scenario's
    /// standing alerts, in the kinds' order.
    pub alerted_kinds: Vec<String>,
    /// Event-level confusion (flattened: `tp`, `fp`, `fn`, `tn`, `precision`, `recall`, `f1`).
    #[serde(flatten)]
    pub event: Confusion,
    /// Recall over the malicious rows of a kind some hunt reads.
    pub recall_visible: Option<f64>,
    /// Why malicious rows carry no alert.
    pub misses: Misses,
    /// Lookup-level confusion (DNS rows of one host and name within the
    /// resolver's cache window count once).
    pub lookup: Confusion,
    /// Incident-level confusion: each host of the scenario.
    pub host: Confusion,
    /// Hosts with a malicious row (infected).
    pub hosts_infected: u64,
    /// Of those, hosts with an alert on a malicious row of their own (a
    /// firewall's or proxy's row counts for the endpoint its source address
    /// maps to).
    pub hosts_alerted: u64,
    /// The infected hosts with no alert on a malicious row, sorted, for a
    /// scenario whose expected outcome is `alert` (empty for the others): any
    /// one of them keeps the expectation from holding.
    pub silent_hosts: Vec<String>,
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
    /// The source's exclusion text, verbatim.
    pub seed_text: String,
    /// How the content reads that text, where it is loose or cut off.
    pub reading: Option<String>,
    /// The condition the content evaluates, KQL-like.
    pub condition: String,
    /// Benign rows it suppressed: the false positives it removes.
    pub benign_suppressed: u64,
    /// Malicious rows it suppressed: its blind spot.
    pub malicious_hidden: u64,
    /// Rows a hunt fired on where it could not be evaluated (no process context).
    pub not_evaluable: u64,
    /// The scenarios those rows came from.
    pub by_scenario: Vec<ExclusionByScenario>,
    /// Per hunt it guards, in content order.
    pub by_hunt: Vec<ExclusionByHunt>,
    /// Branches of its condition that held on no row a hunt it guards fired on,
    /// over the whole run.
    pub inert_branches: Vec<Branch>,
    /// What an attacker can do to it: the fields they control, those they
    /// do not, whether one conjunction is theirs alone (`spoofable`), and the
    /// values a mimic copies.
    pub exposure: detections::content::Exposure,
    /// The exposure as the tables print it ([`exposure_text`]).
    #[serde(skip)]
    pub exposure_text: [String; 3],
    /// Its mimic (an attack generated from it that copies every value the
    /// attacker controls) and how it ended; null when it guards no hunt on
    /// process or file rows.
    pub mimic: Option<MimicOutcome>,
}

/// An exposure as the tables print it: the fields the attacker controls,
/// those that hold them back, and the mimic's values.
pub fn exposure_text(e: &detections::content::Exposure) -> [String; 3] {
    let mimic: Vec<String> = e
        .mimic
        .iter()
        .map(|c| format!("{} {} \"{}\"", c.field, c.op, c.value))
        .collect();
    let mut held = e.not_attacker_controlled.join(", ");
    if held.is_empty() {
        held = "nothing".into();
    }
    if let Some(note) = &e.signer_note {
        held = format!("{held} (no: {note})");
    }
    [e.attacker_controlled.join(", "), held, mimic.join(" and ")]
}

/// An exclusion's effect on one hunt it guards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionByHunt {
    /// Hunt id.
    pub hunt: String,
    /// Benign rows of the hunt it suppressed.
    pub benign_suppressed: u64,
    /// Malicious rows of the hunt it suppressed.
    pub malicious_hidden: u64,
    /// Rows the hunt fired on where it could not be evaluated.
    pub not_evaluable: u64,
    /// It hides malicious rows of this hunt and removes no false positive there.
    pub harmful: bool,
}

/// One branch of an exclusion's condition: an operand of its top-level `any`
/// (the whole condition when it has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branch {
    /// 0-based position among the branches.
    pub branch: usize,
    /// The branch, KQL-like.
    pub condition: String,
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
