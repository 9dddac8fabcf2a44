//! What a scenario says: its kind, its generator, the template and its
//! parameters.

use serde::{Deserialize, Serialize};

use super::expect::Expect;
use super::program_params::{literal_host, ProgramParams};
use super::sensors::Sensors;
use crate::variety::{Dimension, Pick};

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
    /// SHA-256 of the scenario file's text, lower-case hex.
    pub source_sha256: String,
    /// How its telemetry is generated.
    pub generator: Generator,
}

/// Which endpoint sensor the scenario's hosts run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Endpoint {
    /// Sysmon: events 1, 11 and 22 in `SysmonEvents`.
    Sysmon,
    /// Defender for Endpoint: `DeviceProcessEvents`, `DeviceFileEvents`,
    /// `DeviceEvents` (`DnsQueryResponse`).
    Defender,
    /// Odd-numbered hosts Sysmon, even-numbered hosts Defender.
    Mixed,
    /// No endpoint sensor: only the DNS server's `DnsEvents` (needs `server_dns`).
    None,
}

/// The Windows release a host runs, where it changes what the sensors see: the
/// Task Scheduler's process tree (Windows 7 starts a task's action under a
/// transient `taskeng.exe`; Windows 10 and 11 under the Schedule service itself)
/// and Sysmon's event 22 (none on Windows 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Windows {
    /// Windows 7 (and Server 2008 R2).
    #[serde(rename = "7")]
    Win7,
    /// Windows 10.
    #[serde(rename = "10")]
    Win10,
    /// Windows 11.
    #[serde(rename = "11")]
    Win11,
}

impl Windows {
    /// Whether Sysmon can write event 22 (DNS query) here: the DNS client's
    /// query telemetry that Sysmon reads came with Windows 8.1 (and Server
    /// 2012 R2), so Windows 7 and Server 2008 R2 have none.
    pub fn has_dns_query_event(self) -> bool {
        self != Windows::Win7
    }
}

/// How the implant arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Outlook saves a `.vbs` to `%TEMP%`; `wscript.exe` runs it.
    Vbs,
    /// Outlook saves an invoice `.exe` attachment; the user runs it.
    Invoice,
    /// A Word macro starts `powershell.exe`, which downloads and runs the implant.
    Powershell,
    /// The user runs an `.msi`; `msiexec.exe` writes the implant and starts it.
    Msi,
    /// The last process of `parent_chain` (a loader, an abused updater)
    /// writes the implant and starts it itself.
    Loader,
}

/// How the dropper writes the implant file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Drop {
    /// Written under its final name (a file-creation row names it).
    Write,
    /// Written under a temporary name, then renamed: Sysmon 11 logs only the
    /// temporary name; Defender adds a `FileRenamed` row with the final name.
    Rename,
}

/// How the implant is first started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Launch {
    /// The dropper starts it; the implant then installs its task with
    /// `schtasks /create` (when `persistence`).
    Direct,
    /// The dropper installs the task, then starts it with `schtasks.exe /run /tn`,
    /// so `schtasks.exe` is the implant's parent.
    SchtasksRun,
}

/// How the implant starts again after a reboot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Persistence {
    /// Nothing starts it again.
    None,
    /// A scheduled task at logon, registered with `schtasks.exe` (the Task
    /// Scheduler starts it).
    ScheduledTask,
    /// A value under `HKCU\...\CurrentVersion\Run`, written with `reg.exe`
    /// (`explorer.exe` starts it at logon).
    RunKey,
    /// A service, created with `sc.exe` (`services.exe` starts it as SYSTEM).
    Service,
    /// A shortcut in the user's Startup folder (`explorer.exe` starts it).
    StartupFolder,
}

/// Where the payload runs (and resolves its C2 from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hollow {
    /// Hollowed into `C:\Windows\Microsoft.NET\Framework\v2.0.50727\RegAsm.exe`.
    #[serde(rename = "RegAsm.exe")]
    RegAsm,
    /// Hollowed into `C:\Windows\Microsoft.NET\Framework\v2.0.50727\RegSvcs.exe`.
    #[serde(rename = "RegSvcs.exe")]
    RegSvcs,
    /// The implant process itself.
    #[serde(rename = "none")]
    None,
}

/// Parameters of the `background-dns` template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackgroundParams {
    /// Lookups of the built-in enterprise vocabulary per host per minute (scale 1).
    pub rate_per_minute: f64,
    /// Extra names, looked up in turn on a jittered interval.
    pub names: Vec<String>,
    /// Minutes between extra-name lookups per host (scale 1).
    pub names_interval_minutes: f64,
}

/// Parameters of the job templates (the five documented benign programs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobParams {
    /// Minutes between runs per host (scale 1).
    pub interval_minutes: f64,
    /// Files written per run.
    pub files_per_run: u32,
    /// What the template varies, each fixed or drawn ([`crate::variety`]), in
    /// the dimensions' order.
    pub variety: Vec<(Dimension, Pick)>,
    /// The job's tasks were registered this many days before the window (a
    /// scheduled rule's lookback may or may not reach back that far); `None`:
    /// in the job's first run, inside the window.
    pub registered_days_before: Option<f64>,
}

impl JobParams {
    /// How the scenario sets `dim`, when the template varies it.
    pub fn pick(&self, dim: Dimension) -> Option<&Pick> {
        self.variety.iter().find(|(d, _)| *d == dim).map(|(_, p)| p)
    }
}

/// Parameters of the templates of tools that resolve the IOCs on purpose
/// (`soar-enrichment`, `mail-server`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupParams {
    /// Minutes between runs per host (scale 1).
    pub interval_minutes: f64,
    /// The domains the tool looks up (the IOCs, as a case or a sender names them).
    pub names: Vec<String>,
    /// The reputation (DNSBL) zone each name is also looked up under
    /// (`estaliax.io.dbl.example.org`).
    pub dnsbl_zone: String,
}

/// Parameters of the `background-network` template: users browse HTTPS sites,
/// download files, and internet scanners probe the perimeter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkParams {
    /// Sites the users browse over HTTPS (host names).
    pub sites: Vec<String>,
    /// The address every site resolves to (a CDN's), else each name's answer.
    pub site_address: Option<String>,
    /// Page visits per host per hour (scale 1).
    pub visits_per_hour: f64,
    /// URLs the browser downloads files from.
    pub downloads: Vec<String>,
    /// Downloads per host per hour (scale 1).
    pub downloads_per_hour: f64,
    /// Internet addresses probing the perimeter inbound (the firewall denies).
    pub scanners: Vec<String>,
    /// Probes per hour (scale 1), seen by the firewall in front of host 01.
    pub scans_per_hour: f64,
    /// Software updaters that check their vendor's update host over HTTPS,
    /// started by the Task Scheduler.
    pub update_agents: Vec<UpdateAgent>,
    /// Update checks per host per hour (scale 1), each by one agent.
    pub updates_per_hour: f64,
    /// The public DNS-over-HTTPS resolver the browser asks (its address, one
    /// of `DOH_RESOLVERS`): its lookups are HTTPS requests to it, which no
    /// DNS log sees. `None`: the Windows DNS client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doh_resolver: Option<String>,
}

/// A software updater of `background-network`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateAgent {
    /// Its image (the implant path's variables expanded per host: a per-user
    /// updater lives under `%LOCALAPPDATA%`).
    pub image: String,
    /// The URL it checks.
    pub url: String,
    /// The address its update host resolves to (a CDN's or a cloud's), else
    /// the name's own answer.
    pub address: Option<String>,
}

/// Parameters of the `nanocore-infection` template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfectionParams {
    /// How the implant arrives.
    pub delivery: Delivery,
    /// The implant's path (`%APPDATA%`, `%LOCALAPPDATA%`, `%TEMP%`,
    /// `%USERPROFILE%`, `%USERNAME%`, `%PROGRAMDATA%` and `%GUID%` are expanded
    /// per host). An `.exe` runs itself; a `.dll` runs under `rundll32.exe`.
    pub implant_path: String,
    /// Arguments on the implant's command line.
    pub implant_args: String,
    /// Version-info company of the implant (empty: none).
    pub company: String,
    /// How the implant file is written.
    pub drop: Drop,
    /// How the implant is first started.
    pub launch: Launch,
    /// How the implant persists (always a task with `schtasks-run`).
    pub persistence: Persistence,
    /// The persistence entry's name: the task, the Run value, the service or
    /// the startup-folder shortcut.
    pub task_name: String,
    /// Where the payload runs.
    pub hollow: Hollow,
    /// The image the payload is hollowed into instead of `hollow`'s, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hollow_image: Option<String>,
    /// The processes from the user's shell down to the delivery's program
    /// (the last opens the attachment or document); empty: the delivery's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parent_chain: Vec<String>,
    /// C2 host names as the implant asks for them (case, subdomains and trailing
    /// dots kept), tried in turn after each failed connection.
    pub c2_hosts: Vec<String>,
    /// C2 addresses as `ip:port`: the C2 names resolve to them (name `i` to
    /// address `i`, in turn) and the implant connects to them; with no names,
    /// the implant connects by address only, without DNS. Empty: each name's
    /// simulated DNS answer, port [`DEFAULT_C2_PORT`].
    pub c2_addresses: Vec<(String, u16)>,
    /// The implant's own DNS server (NanoCore's `PrimaryDnsServer`): it asks
    /// it over UDP/53 itself, so no DNS log sees the names, only network
    /// telemetry does. `None`: the Windows resolver.
    pub c2_resolver: Option<String>,
    /// A URL the dropper downloads the implant from (`powershell` delivery).
    pub download_url: Option<String>,
    /// The implant file's digests, pinned: (SHA-256, SHA-1, MD5), lower-case.
    pub implant_hashes: Option<(String, String, String)>,
    /// Probability that a connection attempt reaches the C2 server.
    pub c2_up: f64,
    /// Mean length of a C2 session, in minutes.
    pub session_minutes: f64,
    /// Keep-alive period while connected, in seconds.
    pub keepalive_seconds: f64,
    /// Client setting: wait after a lost connection, in seconds.
    pub restart_delay_seconds: f64,
    /// Client setting: wait before connecting, in seconds.
    pub connect_delay_seconds: f64,
    /// Resolver cache lifetime: a name is looked up again only after this long.
    pub ttl_seconds: f64,
    /// Share of C2 lookups answered NXDOMAIN (the C2 domain taken down: 1).
    /// After an NXDOMAIN for a name without a trailing dot, the Windows resolver
    /// asks again with the primary DNS suffix appended (`estaliax.io.corp.contoso.com`).
    pub nxdomain_share: f64,
    /// The C2 names resolve to this sinkhole address, where no C2 answers.
    pub sinkhole: Option<String>,
    /// Hours between reboots (the task restarts the implant), if any.
    pub reboot_every_hours: Option<f64>,
    /// The infection starts at a random time within this many minutes of the start.
    pub infect_within_minutes: f64,
    /// Files the payload writes in its `%APPDATA%\{GUID}\` folder on install
    /// (NanoCore's `run.dat`), each a step named after it (`run-dat`).
    pub payload_files: Vec<String>,
}

/// The C2 port when a scenario gives no `c2_addresses` (the NICT lab client's
/// `ConnectionPort`).
pub const DEFAULT_C2_PORT: u16 = 54984;

/// The generator template and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "template", rename_all = "kebab-case")]
// One per scenario, read once: the infection's size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Template {
    /// Ordinary DNS lookups from browsers and office applications.
    BackgroundDns(BackgroundParams),
    /// `C:\Program Files\BackupTool\nanocore.exe` run under `schtasks.exe /run`.
    BackupJob(JobParams),
    /// An admin's `nanocore.exe` with netstat / nmap / tcpdump arguments.
    NetworkDiagnostics(JobParams),
    /// An update that writes `nanocore.dll` through msiexec and a staging folder.
    SoftwareUpdate(JobParams),
    /// A cleanup tool `nanocore.exe`, ad hoc with `/clean` and as `TempCleanup`.
    LogCleanup(JobParams),
    /// The third-party `NanoCore-Studio.exe` of Nanocore Imaging GmbH.
    NameCollision(JobParams),
    /// A threat-intelligence enrichment (SOAR) worker resolving indicators.
    SoarEnrichment(LookupParams),
    /// A mail server resolving senders' domains and their DNSBL names.
    MailServer(LookupParams),
    /// A NanoCore infection: delivery, persistence, payload, C2.
    NanocoreInfection(InfectionParams),
    /// Any family's implant: the same chain, every family-specific value
    /// (C2, image, task, hollowing target, payload files) from the scenario.
    Implant(InfectionParams),
    /// Browsing, downloads and inbound scans, as network telemetry.
    BackgroundNetwork(NetworkParams),
    /// Any benign program, with the values an exclusion names (image, parent,
    /// command line, task, signer) and the destinations it talks to.
    Program(ProgramParams),
}

impl Template {
    /// The template's name.
    pub fn name(&self) -> &'static str {
        match self {
            Template::BackgroundDns(_) => "background-dns",
            Template::BackupJob(_) => "backup-job",
            Template::NetworkDiagnostics(_) => "network-diagnostics",
            Template::SoftwareUpdate(_) => "software-update",
            Template::LogCleanup(_) => "log-cleanup",
            Template::NameCollision(_) => "name-collision",
            Template::SoarEnrichment(_) => "soar-enrichment",
            Template::MailServer(_) => "mail-server",
            Template::NanocoreInfection(_) => "nanocore-infection",
            Template::Implant(_) => "implant",
            Template::BackgroundNetwork(_) => "background-network",
            Template::Program(_) => "program",
        }
    }

    /// The steps (as labels name them) whose lookups ask the Windows DNS
    /// client, so that an endpoint DNS view can see them, given the
    /// parameters: what `endpoint_dns_off_steps` may name.
    pub fn lookup_steps(&self) -> Vec<&'static str> {
        match self {
            Template::BackgroundDns(p) if p.names.is_empty() => vec!["lookup"],
            Template::BackgroundDns(_) => vec!["lookup", "extra-name"],
            Template::BackupJob(_) => vec!["backup-lookup"],
            Template::NetworkDiagnostics(_) => vec!["diag-lookup"],
            Template::SoftwareUpdate(_) => vec!["update-lookup"],
            Template::LogCleanup(_) => vec![],
            Template::NameCollision(_) => vec!["studio-lookup"],
            Template::SoarEnrichment(_) => vec!["enrich-lookup", "reputation-lookup"],
            Template::MailServer(_) => vec!["sender-lookup", "dnsbl-lookup"],
            Template::NanocoreInfection(p) | Template::Implant(p) => {
                // A download from an address needs no lookup.
                let by_name = |u: &String| !literal_host(u);
                let download = match p.delivery {
                    Delivery::Powershell => p.download_url.as_ref().is_none_or(by_name),
                    _ => p.download_url.as_ref().is_some_and(by_name),
                };
                let c2 = !p.c2_hosts.is_empty() && p.c2_resolver.is_none();
                [("stage-download", download), ("c2-lookup", c2)]
                    .into_iter()
                    .filter_map(|(s, on)| on.then_some(s))
                    .collect()
            }
            Template::Program(p) if p.looks_up() => vec!["program-network"],
            Template::Program(_) => vec![],
            Template::BackgroundNetwork(p) => {
                let browser = p.doh_resolver.is_none();
                [
                    ("browse", browser && !p.sites.is_empty()),
                    ("download", browser && !p.downloads.is_empty()),
                    ("update-check", !p.update_agents.is_empty()),
                ]
                .into_iter()
                .filter_map(|(s, on)| on.then_some(s))
                .collect()
            }
        }
    }

    /// Whether the template's activity is the malware's (labels say malicious).
    pub fn is_malicious(&self) -> bool {
        matches!(self, Template::NanocoreInfection(_) | Template::Implant(_))
    }
}

/// A scenario's generator: who, when, which sensors, and the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generator {
    /// The template and its parameters.
    #[serde(flatten)]
    pub template: Template,
    /// The scenario's own seed (mixed with the run seed).
    pub rng_seed: u64,
    /// Number of hosts.
    pub hosts: u32,
    /// Host names are `{host_prefix}-01`, `{host_prefix}-02`, ...
    pub host_prefix: String,
    /// The subnet the hosts' addresses lie in (`10.66.0.0/16`), if fixed:
    /// (network address, prefix length).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_subnet: Option<(std::net::Ipv4Addr, u8)>,
    /// Account names; host `i` uses `users[i % len]`.
    pub users: Vec<String>,
    /// Start of the window, as written (RFC 3339, UTC).
    pub start: String,
    /// Start of the window, milliseconds since the epoch.
    pub start_ms: i64,
    /// Length of the window in hours.
    pub hours: f64,
    /// The endpoint sensor.
    pub endpoint: Endpoint,
    /// Whether the corporate DNS server logs the scenario's lookups (`DnsEvents`).
    pub server_dns: bool,
    /// The DNS server's name (`DnsEvents.Computer`).
    pub dns_server: String,
    /// Whether a DNS forwarder (`{host_prefix}-DNS`, a server with a Log
    /// Analytics agent) stands between the hosts and the DNS server: the server
    /// logs the forwarder's address as every lookup's `ClientIP`.
    pub dns_forwarder: bool,
    /// Relative jitter of intervals and delays, in [0, 1).
    pub jitter: f64,
    /// Windows releases; host `i` runs `windows[i % len]`.
    pub windows: Vec<Windows>,
    /// The Sysmon configuration, the firewall and the proxy.
    #[serde(skip_serializing_if = "Sensors::is_default")]
    pub sensors: Sensors,
}

impl Generator {
    /// Host `i`'s name (0-based `i`).
    pub fn host_name(&self, i: u32) -> String {
        format!("{}-{:02}", self.host_prefix, i + 1)
    }

    /// Host `i`'s Windows release (0-based `i`).
    pub fn windows_of(&self, i: u32) -> Windows {
        self.windows
            .get(i as usize % self.windows.len().max(1))
            .copied()
            .unwrap_or(Windows::Win10)
    }
}
