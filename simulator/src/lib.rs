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
mod generate;
mod json;
mod options;
mod record;
pub mod rng;
mod row;
pub mod scenario;
pub mod shapes;
mod stream;
mod templates;
pub mod time;
pub mod variety;

pub use builtin::{builtin, BUILTIN};
pub use generate::{background_vocabulary, generate, generate_all, generate_all_indexed};
pub use json::{write_label, write_row, write_str};
pub use options::{Options, OptionsError, MAX_HOURS, MAX_SCALE};
pub use record::{Label, Record, Table};
pub use row::Row;
pub use scenario::{
    lint, BackgroundParams, Counts, Delivery, Drop, Endpoint, Expect, Expected, Firewall,
    Generator, Hollow, InfectionParams, JobParams, Launch, LookupParams, NetworkParams, Proxy,
    Scenario, ScenarioError, ScenarioKind, Sensors, Status, Template, Windows, DEFAULT_C2_PORT,
};
