//! One simulated host: its names, address, user, sensor and random stream.

use serde_json::{Map, Value};

use crate::record::{Label, Record, Table};
use crate::rng::{fnv1a, Rng};
use crate::scenario::Endpoint;

/// The Active Directory domain every simulated host belongs to.
pub const AD_DOMAIN: &str = "CONTOSO";
/// Its DNS suffix.
pub const DNS_SUFFIX: &str = "corp.contoso.com";

/// The sensor on one host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensor {
    /// Sysmon (events 1, 11, 22).
    Sysmon,
    /// Defender for Endpoint.
    Defender,
    /// None (only the DNS server sees the host).
    None,
}

impl Sensor {
    /// The sensor of host `i` (0-based) under `endpoint`: `mixed` gives odd-numbered
    /// hosts (01, 03, ...) Sysmon and even-numbered hosts Defender.
    pub fn of(endpoint: Endpoint, i: u32) -> Sensor {
        match endpoint {
            Endpoint::Sysmon => Sensor::Sysmon,
            Endpoint::Defender => Sensor::Defender,
            Endpoint::None => Sensor::None,
            Endpoint::Mixed if i.is_multiple_of(2) => Sensor::Sysmon,
            Endpoint::Mixed => Sensor::Defender,
        }
    }
}
/// One simulated host.
#[derive(Debug, Clone)]
pub struct Host {
    pub scenario: String,
    pub malicious: bool,
    /// Short name, used in labels: `WS-BKP-01`.
    pub name: String,
    pub ip: String,
    pub user: String,
    pub sensor: Sensor,
    pub server_dns: bool,
    pub dns_server: String,
    pub device_id: String,
    pub guid_prefix: String,
    pub logon_hex: String,
    pub logon_guid: String,
    pub rng: Rng,
}

impl Host {
    /// A host with its own random stream.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: &str,
        malicious: bool,
        name: String,
        user: &str,
        sensor: Sensor,
        server_dns: bool,
        dns_server: &str,
        mut rng: Rng,
    ) -> Host {
        let h = fnv1a(name.as_bytes()) ^ fnv1a(scenario.as_bytes()).rotate_left(17);
        let ip = format!(
            "10.{}.{}.{}",
            20 + (h & 0x3f),
            (h >> 8) & 0xff,
            10 + (h >> 16) % 240
        );
        let guid_prefix = rng.hex(8);
        let logon_hex = format!("{:x}", 0x10_0000 + rng.below(0xef_ffff));
        let logon_guid = format!(
            "{{{guid_prefix}-{}-{}-{}-{}}}",
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(12)
        );
        Host {
            scenario: scenario.to_owned(),
            malicious,
            name,
            ip,
            user: user.to_owned(),
            sensor,
            server_dns,
            dns_server: dns_server.to_owned(),
            device_id: rng.hex(40),
            guid_prefix,
            logon_hex,
            logon_guid,
            rng,
        }
    }

    /// `WS-BKP-01.corp.contoso.com` (Sysmon `Hostname`).
    pub fn fqdn(&self) -> String {
        format!("{}.{DNS_SUFFIX}", self.name)
    }

    /// `ws-bkp-01.corp.contoso.com` (Defender `DeviceName`).
    pub fn device_name(&self) -> String {
        self.fqdn().to_ascii_lowercase()
    }

    pub fn profile(&self) -> String {
        format!(r"C:\Users\{}", self.user)
    }

    pub fn temp(&self) -> String {
        format!(r"C:\Users\{}\AppData\Local\Temp", self.user)
    }

    pub fn appdata(&self) -> String {
        format!(r"C:\Users\{}\AppData\Roaming", self.user)
    }

    pub fn local_appdata(&self) -> String {
        format!(r"C:\Users\{}\AppData\Local", self.user)
    }

    fn label(&self, step: &str) -> Label {
        Label {
            scenario: self.scenario.clone(),
            malicious: self.malicious,
            step: step.to_owned(),
            host: self.name.clone(),
        }
    }

    /// A record of this host's activity: the row and its label.
    pub(super) fn record(
        &self,
        t: i64,
        table: Table,
        row: Map<String, Value>,
        step: &str,
    ) -> Record {
        Record {
            time_ms: t,
            table,
            row,
            label: self.label(step),
        }
    }
}
