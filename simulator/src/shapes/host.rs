//! One simulated host: its names, address, user, sensor and random stream.

use crate::row::Row;

use std::collections::BTreeSet;
use std::sync::Arc;

use super::process::Boot;
use crate::record::{Label, Record, Table};
use crate::rng::{fnv1a, Rng};
use crate::scenario::{Endpoint, Sensors, Windows};

/// The Active Directory domain every simulated host belongs to.
pub const AD_DOMAIN: &str = "CONTOSO";
/// Its DNS suffix.
pub const DNS_SUFFIX: &str = "corp.contoso.com";
/// The corporate DNS server's address (`DC01`).
pub const DNS_SERVER_IP: &str = "10.10.0.10";

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
/// Who a host is, before its random stream starts: what [`Host::new`] needs.
#[derive(Debug, Clone)]
pub struct Identity {
    pub scenario: String,
    pub malicious: bool,
    /// Short name, used in labels: `WS-BKP-01`.
    pub name: String,
    pub user: String,
    pub sensor: Sensor,
    pub windows: Windows,
    pub server_dns: bool,
    pub dns_server: String,
    /// The address of a DNS forwarder between the host and the corporate DNS
    /// server, if any: the host asks it, and the server logs its address.
    pub forwarder_ip: Option<String>,
    /// The Sysmon configuration, the firewall and the proxy.
    pub sensors: Arc<Sensors>,
    /// Whether the proxy inspects this host's HTTPS (logs full URLs).
    pub inspected: bool,
    /// The subnet its address lies in, when the scenario fixes one.
    pub subnet: Option<(std::net::Ipv4Addr, u8)>,
}

/// One simulated host.
#[derive(Debug, Clone)]
pub struct Host {
    /// Who it is.
    pub id: Identity,
    pub ip: String,
    pub device_id: String,
    pub guid_prefix: String,
    pub logon_hex: String,
    pub logon_guid: String,
    pub rng: Rng,
    /// The processes the last boot started.
    pub boot: Boot,
    /// SHA1s whose certificate row this host has written (Defender).
    pub certified: BTreeSet<String>,
    /// An image installed away from its documented path, and the path whose
    /// build it is: the same file has the same digests wherever it lies.
    pub installed_as: Option<(String, String)>,
}

/// The address of the host called `name` in `subnet` (stable: derived from
/// the names; neither the network's nor its broadcast address, in a subnet
/// that has them).
pub fn address_in(subnet: (std::net::Ipv4Addr, u8), scenario: &str, name: &str) -> String {
    let (net, prefix) = subnet;
    let size = 1u64 << (32 - u32::from(prefix));
    let h = fnv1a(name.as_bytes()) ^ fnv1a(scenario.as_bytes()).rotate_left(17);
    // A /31 or /32 has no network nor broadcast address to avoid.
    let host = if size <= 2 {
        h % size
    } else {
        1 + h % (size - 2)
    };
    std::net::Ipv4Addr::from(u32::from(net) + host as u32).to_string()
}

/// The address of the host called `name` in `scenario` (stable: derived from
/// the names).
pub fn address(scenario: &str, name: &str) -> String {
    let h = fnv1a(name.as_bytes()) ^ fnv1a(scenario.as_bytes()).rotate_left(17);
    format!(
        "10.{}.{}.{}",
        20 + (h & 0x3f),
        (h >> 8) & 0xff,
        10 + (h >> 16) % 240
    )
}

impl Host {
    /// A host with its own random stream, booted before `window_start`.
    pub fn new(id: Identity, mut rng: Rng, window_start: i64) -> Host {
        let ip = match id.subnet {
            Some(net) => address_in(net, &id.scenario, &id.name),
            None => address(&id.scenario, &id.name),
        };
        let guid_prefix = rng.hex(8);
        let logon_hex = format!("{:x}", 0x10_0000 + rng.below(0xef_ffff));
        let logon_guid = format!(
            "{{{guid_prefix}-{}-{}-{}-{}}}",
            rng.hex(4),
            rng.hex(4),
            rng.hex(4),
            rng.hex(12)
        );
        let device_id = rng.hex(40);
        let boot_at = window_start - 7_200_000 - rng.range(0, 3_600_000);
        let placeholder = Boot::placeholder();
        let mut host = Host {
            id,
            ip,
            device_id,
            guid_prefix,
            logon_hex,
            logon_guid,
            rng,
            boot: placeholder,
            certified: BTreeSet::new(),
            installed_as: None,
        };
        host.reboot(boot_at);
        host
    }

    /// The address the corporate DNS server logs as `ClientIP` for this host's
    /// queries: the forwarder's, when there is one.
    pub fn dns_client_ip(&self) -> String {
        self.id
            .forwarder_ip
            .clone()
            .unwrap_or_else(|| self.ip.clone())
    }

    /// The DNS server the host asks (its adapter's `DnsAddresses`).
    pub fn dns_resolver_ip(&self) -> String {
        self.id
            .forwarder_ip
            .clone()
            .unwrap_or_else(|| DNS_SERVER_IP.to_owned())
    }

    /// The user's SID (`S-1-5-21-...-RID`, stable for the account).
    pub fn user_sid(&self) -> String {
        format!(
            "S-1-5-21-1004336348-1177238915-682003330-{}",
            1100 + fnv1a(self.id.user.as_bytes()) % 900
        )
    }

    /// `WS-BKP-01.corp.contoso.com` (Sysmon `Hostname`).
    pub fn fqdn(&self) -> String {
        let mut s = String::with_capacity(self.id.name.len() + 1 + DNS_SUFFIX.len());
        s.push_str(&self.id.name);
        s.push('.');
        s.push_str(DNS_SUFFIX);
        s
    }

    /// `ws-bkp-01.corp.contoso.com` (Defender `DeviceName`).
    pub fn device_name(&self) -> String {
        let mut s = self.fqdn();
        s.make_ascii_lowercase();
        s
    }

    pub fn profile(&self) -> String {
        format!(r"C:\Users\{}", self.id.user)
    }

    pub fn temp(&self) -> String {
        format!(r"C:\Users\{}\AppData\Local\Temp", self.id.user)
    }

    pub fn appdata(&self) -> String {
        format!(r"C:\Users\{}\AppData\Roaming", self.id.user)
    }

    pub fn local_appdata(&self) -> String {
        format!(r"C:\Users\{}\AppData\Local", self.id.user)
    }

    /// A scenario's path with this host's user folders in place of
    /// `%LOCALAPPDATA%`, `%APPDATA%`, `%TEMP%`, `%USERPROFILE%`, `%USERNAME%`
    /// and `%PROGRAMDATA%` (`%GUID%` is the caller's).
    pub fn expand(&self, path: &str) -> String {
        path.replace("%LOCALAPPDATA%", &self.local_appdata())
            .replace("%APPDATA%", &self.appdata())
            .replace("%TEMP%", &self.temp())
            .replace("%USERPROFILE%", &self.profile())
            .replace("%USERNAME%", &self.id.user)
            .replace("%PROGRAMDATA%", r"C:\ProgramData")
    }

    /// A record of this host's activity: the row and its label (malicious when
    /// the host's activity is the malware's).
    pub(super) fn record(&self, t: i64, table: Table, row: Row, step: &str) -> Record {
        let mut r = self.inventory(t, table, row, step);
        r.label.malicious = self.id.malicious;
        r
    }

    /// A record of what the host's sensors report about the host itself (its
    /// addresses, its files' certificates): never the malware's activity.
    pub(super) fn inventory(&self, t: i64, table: Table, row: Row, step: &str) -> Record {
        Record {
            time_ms: t,
            table,
            row,
            label: Label {
                scenario: self.id.scenario.clone(),
                malicious: false,
                step: step.to_owned(),
                host: self.id.name.clone(),
            },
        }
    }
}
