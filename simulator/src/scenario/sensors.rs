//! What the sensors beyond each host's endpoint sensor log: the Sysmon
//! configuration, the firewall, the proxy and the endpoint DNS view.

use serde::{Deserialize, Serialize};

/// The perimeter firewall whose traffic log reaches `CommonSecurityLog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Firewall {
    /// No firewall log.
    None,
    /// Palo Alto Networks PAN-OS, `TRAFFIC` logs over CEF.
    PanOs,
    /// Fortinet FortiGate, forward traffic logs over CEF.
    Fortigate,
}

/// The web proxy whose log reaches `CommonSecurityLog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Proxy {
    /// No proxy log.
    None,
    /// Zscaler Internet Access, the NSS web log (`NSSWeblog`).
    Zscaler,
}

/// What the sensors beyond each host's endpoint sensor log, and which Sysmon
/// events the Sysmon hosts' configuration logs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensors {
    /// Whether the workspace receives Defender's `DeviceNetworkEvents` (the
    /// Defender connector streams each table only when asked to).
    pub defender_network: bool,
    /// The Sysmon events the configuration logs (of 1, 3, 11, 22).
    pub sysmon_events: Vec<u32>,
    /// Event 3 include rules: an image whose path contains one of these
    /// (case-insensitive) is logged...
    pub sysmon_net_images: Vec<String>,
    /// ... and so is a connection to one of these destination ports.
    pub sysmon_net_ports: Vec<u16>,
    /// The perimeter firewall (source NAT to the egress address).
    pub firewall: Firewall,
    /// The web proxy.
    pub proxy: Proxy,
    /// Share of hosts whose HTTPS the proxy inspects (full URLs); the others'
    /// HTTPS it logs as `CONNECT host:443` only.
    pub tls_inspection: f64,
    /// Whether the endpoint sensors' DNS view (Sysmon event 22, Defender's
    /// `DnsQueryResponse`) sees the scenario's lookups: `false` turns it off, as
    /// for a program that sends its own queries instead of asking the Windows
    /// DNS client.
    pub endpoint_dns: bool,
    /// Hosts (by number: 1 is `<host_prefix>-01`) whose endpoint DNS view is
    /// off while the others' follows `endpoint_dns`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoint_dns_off_hosts: Vec<u32>,
    /// Steps of the template (as labels name them: `c2-lookup`) whose lookups
    /// bypass the Windows DNS client, so no endpoint DNS view sees them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoint_dns_off_steps: Vec<String>,
}

/// Sysmon event 3 include rules modelled on sysmon-modular and SwiftOnSecurity:
/// user-writable folders and script hosts / LOLBins (not `RegAsm.exe` nor
/// `RegSvcs.exe` under `C:\Windows\Microsoft.NET`).
pub const SYSMON_NET_IMAGES: [&str; 14] = [
    r"\AppData\",
    r"C:\Users\",
    r"C:\ProgramData\",
    r"C:\Windows\Temp\",
    r"\powershell.exe",
    r"\rundll32.exe",
    r"\regsvr32.exe",
    r"\mshta.exe",
    r"\wscript.exe",
    r"\cscript.exe",
    r"\certutil.exe",
    r"\bitsadmin.exe",
    r"\msbuild.exe",
    r"\cmd.exe",
];

/// SwiftOnSecurity's event 3 destination ports (no high port such as 54984).
pub const SYSMON_NET_PORTS: [u16; 14] = [
    22, 23, 25, 143, 3389, 5800, 5900, 4444, 1080, 3128, 8080, 1723, 9001, 9030,
];

impl Default for Sensors {
    fn default() -> Sensors {
        Sensors {
            defender_network: false,
            sysmon_events: vec![1, 11, 22],
            sysmon_net_images: SYSMON_NET_IMAGES.iter().map(|s| (*s).to_owned()).collect(),
            sysmon_net_ports: SYSMON_NET_PORTS.to_vec(),
            firewall: Firewall::None,
            proxy: Proxy::None,
            tls_inspection: 0.0,
            endpoint_dns: true,
            endpoint_dns_off_hosts: Vec::new(),
            endpoint_dns_off_steps: Vec::new(),
        }
    }
}

impl Sensors {
    /// Whether these are the defaults (left out of a scenario's serialised form).
    pub fn is_default(&self) -> bool {
        *self == Sensors::default()
    }

    /// Whether the Sysmon configuration logs event `id`.
    pub fn sysmon_logs(&self, id: u32) -> bool {
        self.sysmon_events.contains(&id)
    }

    /// Whether the endpoint DNS view sees a lookup of `step` (on a host whose
    /// view [`Sensors::endpoint_dns`] says is on).
    pub fn endpoint_dns_sees(&self, step: &str) -> bool {
        self.endpoint_dns && !self.endpoint_dns_off_steps.iter().any(|s| s == step)
    }

    /// Whether the event 3 include rules match a connection by `image` to `port`.
    pub fn sysmon_net_includes(&self, image: &str, port: u16) -> bool {
        let lower = image.to_ascii_lowercase();
        self.sysmon_net_ports.contains(&port)
            || self
                .sysmon_net_images
                .iter()
                .any(|r| lower.contains(&r.to_ascii_lowercase()))
    }
}
