//! Hosts, processes and the rows each sensor writes about them, in the sources'
//! own column names and formats (see `docs/simulator.md` for the column lists).
//!
//! `host` is who (names, addresses, accounts) and `process` the process tree;
//! `meta` holds binaries' version information, `path` Windows path helpers
//! and `dns` the simulated DNS answers. `sysmon`, `defender` and
//! `dnsevents` each write one sensor's columns; `rows` sends what happens on a
//! host to the sensors that see it.

mod defender;
mod dns;
mod dnsevents;
mod host;
mod meta;
mod path;
mod process;
mod rows;
mod sysmon;

pub use dns::{answer, Answer};
pub use host::{Host, Sensor, AD_DOMAIN, DNS_SUFFIX};
pub use meta::{known_meta, Meta};
pub use path::{basename, dirname};
pub use process::{Proc, Spec};
pub use sysmon::{sysmon_results, SYSMON_CHANNEL};
