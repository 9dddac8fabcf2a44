//! Deterministic, seeded telemetry synthesis for huntlab scenarios.
//!
//! A [`Scenario`] (read from a TOML file in `scenarios/`) describes benign,
//! malicious, adversarial or background activity. [`generate`] turns it, with a
//! seed and a scale, into a time-ordered stream of [`Record`]s: one telemetry row
//! in a real source's shape (Sentinel `DnsEvents`, flattened Sysmon events 1 / 11
//! / 22, Defender `DeviceProcessEvents` / `DeviceFileEvents` / `DeviceEvents`),
//! with its ground-truth [`Label`] beside it, never inside it.
//!
//! No file or network I/O happens here: callers hand in the scenario text and write
//! the records wherever they like.

mod builtin;
pub mod rng;
pub mod scenario;
pub mod shapes;
mod stream;
mod templates;
pub mod time;

pub use builtin::{builtin, BUILTIN};
pub use scenario::{
    lint, BackgroundParams, Delivery, Drop, Endpoint, Expect, Generator, Hollow, InfectionParams,
    JobParams, Launch, Outcome, Scenario, ScenarioError, ScenarioKind, Template,
};

use serde::Serialize;
use serde_json::{Map, Value};

/// The table (output file) a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Table {
    /// Sentinel `DnsEvents`: DNS server logs, no process.
    DnsEvents,
    /// Flattened Sysmon events (1, 11, 22) as public datasets store them.
    SysmonEvents,
    /// Defender `DeviceProcessEvents`.
    DeviceProcessEvents,
    /// Defender `DeviceFileEvents`.
    DeviceFileEvents,
    /// Defender `DeviceEvents` (`DnsQueryResponse` rows).
    DeviceEvents,
}

impl Table {
    /// Every table, in output order.
    pub const ALL: [Table; 5] = [
        Table::DnsEvents,
        Table::SysmonEvents,
        Table::DeviceProcessEvents,
        Table::DeviceFileEvents,
        Table::DeviceEvents,
    ];

    /// The table's name (and its file's stem).
    pub fn name(self) -> &'static str {
        match self {
            Table::DnsEvents => "DnsEvents",
            Table::SysmonEvents => "SysmonEvents",
            Table::DeviceProcessEvents => "DeviceProcessEvents",
            Table::DeviceFileEvents => "DeviceFileEvents",
            Table::DeviceEvents => "DeviceEvents",
        }
    }
}

/// Ground truth for one row. Never written into the row itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The scenario that produced the row.
    pub scenario: String,
    /// True when the row is the malware's own activity.
    pub malicious: bool,
    /// The step of the scenario (`c2-lookup`, `dropper`, `backup-run`, ...).
    pub step: String,
    /// The endpoint the activity happened on (for `DnsEvents` rows: the client,
    /// not the DNS server that logged it).
    pub host: String,
}

/// One generated row and its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Milliseconds since the Unix epoch (UTC): the order key.
    pub time_ms: i64,
    /// The table the row belongs to.
    pub table: Table,
    /// The row, with the source's own column names and formats.
    pub row: Map<String, Value>,
    /// Ground truth.
    pub label: Label,
}

/// How to run the generator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The run seed, mixed with each scenario's own seed (default 0). The same
    /// seed gives the same bytes; another seed gives other, equally valid
    /// telemetry.
    pub seed: u64,
    /// Multiplies the frequency of every rate- or interval-driven activity
    /// (background lookups, job runs, extra names); NanoCore's own timing
    /// (client delays, keep-alives, reboots) does not scale. Default 1.0; a value
    /// that is not a positive finite number is treated as 1.0.
    pub scale: f64,
    /// Move every scenario's window to start here (ms since the epoch); `None`
    /// keeps each scenario's own start.
    pub start_ms: Option<i64>,
    /// Give every scenario a window of this many hours; `None` keeps each
    /// scenario's own length. A value that is not a positive finite number is
    /// treated as `None`.
    pub hours: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 0,
            scale: 1.0,
            start_ms: None,
            hours: None,
        }
    }
}

/// One scenario's telemetry: a lazy stream in time order (ties: host order, then
/// the order a host's activity wrote them). Memory holds one pending episode per
/// host, never the whole stream.
pub fn generate(scenario: &Scenario, opts: &Options) -> impl Iterator<Item = Record> + Send {
    let plan = templates::Plan::new(scenario, opts);
    let hosts = (0..scenario.generator.hosts)
        .map(|i| stream::Sorted::new(templates::activity(&plan, i)))
        .collect();
    stream::Merge::new(hosts)
}

/// Every scenario's telemetry merged in time order (ties: scenario order).
pub fn generate_all(scenarios: &[Scenario], opts: &Options) -> impl Iterator<Item = Record> + Send {
    stream::Merge::new(scenarios.iter().map(|s| generate(s, opts)).collect())
}

/// Every name the `background-dns` template's enterprise vocabulary can look up.
pub fn background_vocabulary() -> impl Iterator<Item = &'static str> {
    templates::vocabulary()
}
