//! Hosts, processes and the rows each sensor writes about them, in the sources'
//! own column names and formats (see `docs/simulator.md` for the column lists).
//!
//! `host` is who (names, addresses, accounts) and `process` the process tree
//! (boots, scheduled tasks); `tasks` writes a task's registration and
//! `inventory` what the sensors report about the host itself;
//! `meta` holds binaries' version information, `path` Windows path helpers
//! and `dns` the simulated DNS answers. `sysmon`, `defender` and
//! `dnsevents` each write one sensor's columns; `rows` sends what happens on a
//! host to the sensors that see it.

mod boot;
mod conn;
mod defender;
mod dns;
mod dnsevents;
mod host;
mod inventory;
mod meta;
mod path;
mod perimeter;
mod process;
mod rows;
mod sysmon;
mod tasks;
mod traffic;

pub use boot::TASKENG;
pub use conn::{ptr_name, url_host, Conn, Proto};
pub use defender::PIN;
pub use dns::{answer, Answer};
pub use host::{address, Host, Identity, Sensor, AD_DOMAIN, DNS_SERVER_IP, DNS_SUFFIX};
pub use inventory::{heartbeat, network_info, EGRESS_IP};
pub use meta::{known_meta, Meta};
pub use path::{basename, dirname};
pub use process::{binary_key, Boot, Proc, Spec, Task};
pub use sysmon::{sysmon_results, SYSMON_CHANNEL};
