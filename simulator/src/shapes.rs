//! Hosts, processes and the rows each sensor writes about them, in the sources'
//! own column names and formats (see `docs/simulator.md` for the column lists).

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::record::{Label, Record, Table};
use crate::rng::{fnv1a, stable_hex, Rng};
use crate::scenario::Endpoint;
use crate::time;

/// The Active Directory domain every simulated host belongs to.
pub const AD_DOMAIN: &str = "CONTOSO";
/// Its DNS suffix.
pub const DNS_SUFFIX: &str = "corp.contoso.com";
/// Sysmon's event channel.
pub const SYSMON_CHANNEL: &str = "Microsoft-Windows-Sysmon/Operational";

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
            Endpoint::Mixed if i % 2 == 0 => Sensor::Sysmon,
            Endpoint::Mixed => Sensor::Defender,
        }
    }
}

/// Version information of an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub company: String,
    pub description: String,
    pub product: String,
    pub original_file_name: String,
    pub file_version: String,
}

impl Meta {
    pub fn new(
        company: &str,
        description: &str,
        product: &str,
        original: &str,
        version: &str,
    ) -> Meta {
        Meta {
            company: company.to_owned(),
            description: description.to_owned(),
            product: product.to_owned(),
            original_file_name: original.to_owned(),
            file_version: version.to_owned(),
        }
    }
}

/// Version information of well-known Windows and application binaries.
pub fn known_meta(image: &str) -> Option<Meta> {
    const MS: &str = "Microsoft Corporation";
    const WIN: &str = "Microsoft® Windows® Operating System";
    const WINVER: &str = "10.0.19041.1 (WinBuild.160101.0800)";
    const NET: &str = "Microsoft® .NET Framework";
    let m = |c: &str, d: &str, p: &str, o: &str, v: &str| Some(Meta::new(c, d, p, o, v));
    match basename(image).to_ascii_lowercase().as_str() {
        "explorer.exe" => m(MS, "Windows Explorer", WIN, "EXPLORER.EXE", WINVER),
        "svchost.exe" => m(
            MS,
            "Host Process for Windows Services",
            WIN,
            "svchost.exe",
            WINVER,
        ),
        "services.exe" => m(
            MS,
            "Services and Controller app",
            WIN,
            "services.exe",
            WINVER,
        ),
        "userinit.exe" => m(
            MS,
            "Userinit Logon Application",
            WIN,
            "USERINIT.EXE",
            WINVER,
        ),
        "wininit.exe" => m(
            MS,
            "Windows Start-Up Application",
            WIN,
            "WinInit.exe",
            WINVER,
        ),
        "cmd.exe" => m(MS, "Windows Command Processor", WIN, "Cmd.Exe", WINVER),
        "powershell.exe" => m(MS, "Windows PowerShell", WIN, "PowerShell.EXE", WINVER),
        "schtasks.exe" => m(
            MS,
            "Task Scheduler Configuration Tool",
            WIN,
            "schtasks.exe",
            WINVER,
        ),
        "wscript.exe" => m(
            MS,
            "Microsoft ® Windows Based Script Host",
            WIN,
            "wscript.exe",
            "5.812.10240.16384",
        ),
        "msiexec.exe" => m(
            MS,
            "Windows® installer",
            "Windows Installer - Unicode",
            "msiexec.exe",
            "5.0.19041.1",
        ),
        "rundll32.exe" => m(
            MS,
            "Windows host process (Rundll32)",
            WIN,
            "RUNDLL32.EXE",
            WINVER,
        ),
        "regasm.exe" => m(
            MS,
            "Microsoft .NET Assembly Registration Utility",
            NET,
            "RegAsm.exe",
            "2.0.50727.9149",
        ),
        "regsvcs.exe" => m(
            MS,
            "Microsoft .NET Services Installation Utility",
            NET,
            "RegSvcs.exe",
            "2.0.50727.9149",
        ),
        "outlook.exe" => m(
            MS,
            "Microsoft Outlook",
            "Microsoft Outlook",
            "Outlook.exe",
            "16.0.17328.20162",
        ),
        "winword.exe" => m(
            MS,
            "Microsoft Word",
            "Microsoft Office",
            "WinWord.exe",
            "16.0.17328.20162",
        ),
        "teams.exe" => m(
            MS,
            "Microsoft Teams",
            "Microsoft Teams",
            "Teams.exe",
            "1.7.00.6058",
        ),
        "onedrive.exe" => m(
            MS,
            "Microsoft OneDrive",
            "Microsoft OneDrive",
            "OneDrive.exe",
            "24.086.0428.0003",
        ),
        "msedge.exe" => m(
            MS,
            "Microsoft Edge",
            "Microsoft Edge",
            "msedge.exe",
            "124.0.2478.80",
        ),
        "chrome.exe" => m(
            "Google LLC",
            "Google Chrome",
            "Google Chrome",
            "chrome.exe",
            "124.0.6367.207",
        ),
        _ => None,
    }
}

/// The last component of a Windows path.
pub fn basename(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().unwrap_or(path)
}

/// The folder of a Windows path (without the trailing backslash).
pub fn dirname(path: &str) -> &str {
    path.rfind('\\').map_or("", |i| &path[..i])
}

/// A running process, with its parent chain.
#[derive(Debug, Clone)]
pub struct Proc {
    pub guid: String,
    pub pid: u32,
    pub image: String,
    pub command_line: String,
    pub current_directory: String,
    /// `true` for `NT AUTHORITY\SYSTEM`, else the host's user.
    pub system: bool,
    pub integrity: &'static str,
    pub meta: Meta,
    /// Key of the binary's stable hashes.
    pub hash_key: String,
    pub created_ms: i64,
    /// Set when the Task Scheduler service started it.
    pub task_name: Option<String>,
    pub parent: Option<Arc<Proc>>,
}

/// What a new process looks like (its parent is given separately).
#[derive(Debug, Clone)]
pub struct Spec {
    pub image: String,
    pub command_line: String,
    pub system: bool,
    pub meta: Option<Meta>,
    /// Key of the binary's hashes; default: the image's file name (same binary
    /// everywhere).
    pub hash_key: Option<String>,
    pub task_name: Option<String>,
    pub current_directory: Option<String>,
}

impl Spec {
    pub fn new(image: &str, command_line: &str) -> Spec {
        Spec {
            image: image.to_owned(),
            command_line: command_line.to_owned(),
            system: false,
            meta: None,
            hash_key: None,
            task_name: None,
            current_directory: None,
        }
    }

    pub fn system(mut self) -> Spec {
        self.system = true;
        self
    }

    pub fn meta(mut self, meta: Meta) -> Spec {
        self.meta = Some(meta);
        self
    }

    pub fn hash_key(mut self, key: String) -> Spec {
        self.hash_key = Some(key);
        self
    }

    pub fn task(mut self, name: &str) -> Spec {
        self.task_name = Some(name.to_owned());
        self
    }

    pub fn cwd(mut self, dir: &str) -> Spec {
        self.current_directory = Some(dir.to_owned());
        self
    }
}

/// A DNS answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub cname: Option<String>,
    pub ips: Vec<String>,
    pub nxdomain: bool,
}

/// The answer the simulated DNS gives for `name` (stable: derived from the name).
pub fn answer(name: &str, qtype: &str, nxdomain: bool) -> Answer {
    if nxdomain {
        return Answer {
            cname: None,
            ips: Vec::new(),
            nxdomain: true,
        };
    }
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let h = fnv1a(lower.as_bytes());
    let b = |k: u32| ((h >> (8 * k)) & 0xff) as u8;
    let internal = lower.ends_with(DNS_SUFFIX);
    let cname = (!internal && h % 3 == 0).then(|| {
        let label = lower.split('.').next().unwrap_or("edge");
        format!("{label}.edge-{:x}.azurefd.net", h >> 52)
    });
    let count = if internal {
        1
    } else {
        1 + (h >> 40) as usize % 2
    };
    let ips = (0..count)
        .map(|k| {
            let k = k as u32;
            if qtype == "AAAA" {
                format!(
                    "2603:1030:{:x}:{:x}::{:x}",
                    b(k),
                    b(k + 1),
                    u16::from(b(k + 2)) + 1
                )
            } else if internal {
                format!("10.10.{}.{}", b(k), b(k + 1) % 250 + 2)
            } else {
                let first =
                    [13, 20, 23, 34, 40, 52, 104, 142, 151, 172, 185, 198][usize::from(b(k)) % 12];
                format!("{first}.{}.{}.{}", b(k + 1), b(k + 2), b(k + 3) % 250 + 2)
            }
        })
        .collect();
    Answer {
        cname,
        ips,
        nxdomain: false,
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

    fn pid(&mut self) -> u32 {
        (self.rng.range(400, 15_000) as u32) & !3
    }

    fn guid(&mut self, t: i64) -> String {
        let secs = (t.div_euclid(1000)) as u64;
        format!(
            "{{{}-{:04x}-{:04x}-{}-{}}}",
            self.guid_prefix,
            secs & 0xffff,
            (secs >> 16) & 0xffff,
            self.rng.hex(4),
            self.rng.hex(12)
        )
    }

    /// A process that was already running before the window (no row is written).
    pub fn existing(
        &mut self,
        image: &str,
        command_line: &str,
        system: bool,
        parent_image: &str,
        t: i64,
    ) -> Arc<Proc> {
        let parent = Arc::new(Proc {
            guid: self.guid(t - 60_000),
            pid: self.pid(),
            image: parent_image.to_owned(),
            command_line: parent_image.to_owned(),
            current_directory: r"C:\Windows\system32\".to_owned(),
            system: true,
            integrity: "System",
            meta: known_meta(parent_image).unwrap_or_default(),
            hash_key: basename(parent_image).to_ascii_lowercase(),
            created_ms: t - 60_000,
            task_name: None,
            parent: None,
        });
        Arc::new(Proc {
            guid: self.guid(t),
            pid: self.pid(),
            image: image.to_owned(),
            command_line: command_line.to_owned(),
            current_directory: r"C:\Windows\system32\".to_owned(),
            system,
            integrity: if system { "System" } else { "Medium" },
            meta: known_meta(image).unwrap_or_default(),
            hash_key: basename(image).to_ascii_lowercase(),
            created_ms: t,
            task_name: None,
            parent: Some(parent),
        })
    }

    /// The user's `explorer.exe`, running since before the window.
    pub fn explorer(&mut self, window_start: i64) -> Arc<Proc> {
        let t = window_start - 3_600_000 - self.rng.range(0, 3_600_000);
        self.existing(
            r"C:\Windows\explorer.exe",
            r"C:\Windows\Explorer.EXE",
            false,
            r"C:\Windows\System32\userinit.exe",
            t,
        )
    }

    /// The Task Scheduler service (`svchost.exe -k netsvcs -p -s Schedule`).
    pub fn scheduler(&mut self, window_start: i64) -> Arc<Proc> {
        let t = window_start - 7_200_000 - self.rng.range(0, 3_600_000);
        self.existing(
            r"C:\Windows\System32\svchost.exe",
            r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule",
            true,
            r"C:\Windows\System32\services.exe",
            t,
        )
    }

    /// `services.exe`, running since boot.
    pub fn services(&mut self, window_start: i64) -> Arc<Proc> {
        let t = window_start - 7_300_000 - self.rng.range(0, 3_600_000);
        self.existing(
            r"C:\Windows\System32\services.exe",
            r"C:\Windows\system32\services.exe",
            true,
            r"C:\Windows\System32\wininit.exe",
            t,
        )
    }

    /// Start a process at `t`; its creation row (if the host has a sensor) goes to `out`.
    pub fn spawn(
        &mut self,
        t: i64,
        parent: &Arc<Proc>,
        spec: Spec,
        step: &str,
        out: &mut Vec<Record>,
    ) -> Arc<Proc> {
        let meta = spec
            .meta
            .or_else(|| known_meta(&spec.image))
            .unwrap_or_default();
        let system = spec.system;
        let cwd = spec.current_directory.unwrap_or_else(|| {
            if system {
                r"C:\Windows\system32\".to_owned()
            } else {
                format!("{}\\", self.profile())
            }
        });
        let p = Arc::new(Proc {
            guid: self.guid(t),
            pid: self.pid(),
            hash_key: spec
                .hash_key
                .unwrap_or_else(|| basename(&spec.image).to_ascii_lowercase()),
            image: spec.image,
            command_line: spec.command_line,
            current_directory: cwd,
            system,
            integrity: if system { "System" } else { "Medium" },
            meta,
            created_ms: t,
            task_name: spec.task_name,
            parent: Some(Arc::clone(parent)),
        });
        if let Some(r) = self.process_row(t, &p, step) {
            out.push(r);
        }
        p
    }

    fn account(&self, system: bool) -> String {
        if system {
            r"NT AUTHORITY\SYSTEM".to_owned()
        } else {
            format!(r"{AD_DOMAIN}\{}", self.user)
        }
    }

    fn defender_account(&self, system: bool) -> (String, String) {
        if system {
            ("nt authority".to_owned(), "system".to_owned())
        } else {
            (AD_DOMAIN.to_ascii_lowercase(), self.user.clone())
        }
    }

    fn sysmon_head(&self, t: i64, event_id: u32) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("@timestamp".into(), time::iso(t).into());
        m.insert("Hostname".into(), self.fqdn().into());
        m.insert("Channel".into(), SYSMON_CHANNEL.into());
        m.insert("SourceName".into(), "Microsoft-Windows-Sysmon".into());
        m.insert("EventID".into(), event_id.into());
        m.insert("RuleName".into(), "-".into());
        m.insert("UtcTime".into(), time::sysmon(t).into());
        m
    }

    fn defender_head(&self, t: i64, action: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("Timestamp".into(), time::iso(t).into());
        m.insert("DeviceId".into(), self.device_id.clone().into());
        m.insert("DeviceName".into(), self.device_name().into());
        m.insert("ActionType".into(), action.into());
        m
    }

    /// Defender's `InitiatingProcess*` columns describing `p`.
    fn initiating(&self, m: &mut Map<String, Value>, p: &Proc) {
        let (dom, acc) = self.defender_account(p.system);
        m.insert("InitiatingProcessAccountDomain".into(), dom.into());
        m.insert("InitiatingProcessAccountName".into(), acc.into());
        m.insert(
            "InitiatingProcessSHA256".into(),
            stable_hex(&format!("sha256:{}", p.hash_key), 64, false).into(),
        );
        m.insert(
            "InitiatingProcessFileName".into(),
            basename(&p.image).into(),
        );
        m.insert("InitiatingProcessFolderPath".into(), p.image.clone().into());
        m.insert("InitiatingProcessId".into(), p.pid.into());
        m.insert(
            "InitiatingProcessCommandLine".into(),
            p.command_line.clone().into(),
        );
        m.insert(
            "InitiatingProcessCreationTime".into(),
            time::iso(p.created_ms).into(),
        );
        m.insert(
            "InitiatingProcessVersionInfoCompanyName".into(),
            p.meta.company.clone().into(),
        );
        let (ppid, pname) = p.parent.as_ref().map_or((0, String::new()), |pp| {
            (pp.pid, basename(&pp.image).to_owned())
        });
        m.insert("InitiatingProcessParentId".into(), ppid.into());
        m.insert("InitiatingProcessParentFileName".into(), pname.into());
    }

    fn defender_tail(&mut self, m: &mut Map<String, Value>, task: Option<&str>, table: Table) {
        if let Some(task) = task {
            m.insert("TaskName".into(), task.into());
        }
        m.insert("ReportId".into(), self.rng.range(1_000, 9_999_999).into());
        m.insert("Type".into(), table.name().into());
    }

    fn record(&self, t: i64, table: Table, row: Map<String, Value>, step: &str) -> Record {
        Record {
            time_ms: t,
            table,
            row,
            label: self.label(step),
        }
    }

    fn hashes_sysmon(key: &str) -> String {
        format!(
            "SHA1={},MD5={},SHA256={},IMPHASH={}",
            stable_hex(&format!("sha1:{key}"), 40, true),
            stable_hex(&format!("md5:{key}"), 32, true),
            stable_hex(&format!("sha256:{key}"), 64, true),
            stable_hex(&format!("imphash:{key}"), 32, true),
        )
    }

    fn dash(s: &str) -> Value {
        if s.is_empty() {
            "-".into()
        } else {
            s.into()
        }
    }

    /// The creation row of `p`.
    pub fn process_row(&mut self, t: i64, p: &Proc, step: &str) -> Option<Record> {
        let parent = p.parent.as_deref();
        match self.sensor {
            Sensor::None => None,
            Sensor::Sysmon => {
                let mut m = self.sysmon_head(t, 1);
                m.insert("ProcessGuid".into(), p.guid.clone().into());
                m.insert("ProcessId".into(), p.pid.into());
                m.insert("Image".into(), p.image.clone().into());
                m.insert("FileVersion".into(), Self::dash(&p.meta.file_version));
                m.insert("Description".into(), Self::dash(&p.meta.description));
                m.insert("Product".into(), Self::dash(&p.meta.product));
                m.insert("Company".into(), Self::dash(&p.meta.company));
                m.insert(
                    "OriginalFileName".into(),
                    Self::dash(&p.meta.original_file_name),
                );
                m.insert("CommandLine".into(), p.command_line.clone().into());
                m.insert(
                    "CurrentDirectory".into(),
                    p.current_directory.clone().into(),
                );
                m.insert("User".into(), self.account(p.system).into());
                m.insert(
                    "LogonGuid".into(),
                    if p.system {
                        format!("{{{}-0000-0000-0000-000000000000}}", self.guid_prefix)
                    } else {
                        self.logon_guid.clone()
                    }
                    .into(),
                );
                m.insert(
                    "LogonId".into(),
                    if p.system {
                        "0x3e7".to_owned()
                    } else {
                        format!("0x{}", self.logon_hex)
                    }
                    .into(),
                );
                m.insert("TerminalSessionId".into(), u32::from(!p.system).into());
                m.insert("IntegrityLevel".into(), p.integrity.into());
                m.insert("Hashes".into(), Self::hashes_sysmon(&p.hash_key).into());
                m.insert(
                    "ParentProcessGuid".into(),
                    parent.map_or("-".to_owned(), |q| q.guid.clone()).into(),
                );
                m.insert("ParentProcessId".into(), parent.map_or(0, |q| q.pid).into());
                m.insert(
                    "ParentImage".into(),
                    parent.map_or("-".to_owned(), |q| q.image.clone()).into(),
                );
                m.insert(
                    "ParentCommandLine".into(),
                    parent
                        .map_or("-".to_owned(), |q| q.command_line.clone())
                        .into(),
                );
                m.insert(
                    "ParentUser".into(),
                    self.account(parent.map_or(true, |q| q.system)).into(),
                );
                Some(self.record(t, Table::SysmonEvents, m, step))
            }
            Sensor::Defender => {
                let mut m = self.defender_head(t, "ProcessCreated");
                m.insert("FileName".into(), basename(&p.image).into());
                m.insert("FolderPath".into(), p.image.clone().into());
                m.insert(
                    "SHA1".into(),
                    stable_hex(&format!("sha1:{}", p.hash_key), 40, false).into(),
                );
                m.insert(
                    "SHA256".into(),
                    stable_hex(&format!("sha256:{}", p.hash_key), 64, false).into(),
                );
                m.insert(
                    "MD5".into(),
                    stable_hex(&format!("md5:{}", p.hash_key), 32, false).into(),
                );
                m.insert(
                    "FileSize".into(),
                    (20_000 + fnv1a(p.hash_key.as_bytes()) % 4_000_000).into(),
                );
                m.insert(
                    "ProcessVersionInfoCompanyName".into(),
                    p.meta.company.clone().into(),
                );
                m.insert(
                    "ProcessVersionInfoProductName".into(),
                    p.meta.product.clone().into(),
                );
                m.insert(
                    "ProcessVersionInfoOriginalFileName".into(),
                    p.meta.original_file_name.clone().into(),
                );
                m.insert(
                    "ProcessVersionInfoFileDescription".into(),
                    p.meta.description.clone().into(),
                );
                m.insert("ProcessId".into(), p.pid.into());
                m.insert("ProcessCommandLine".into(), p.command_line.clone().into());
                m.insert("ProcessIntegrityLevel".into(), p.integrity.into());
                m.insert("ProcessCreationTime".into(), time::iso(p.created_ms).into());
                let (dom, acc) = self.defender_account(p.system);
                m.insert("AccountDomain".into(), dom.into());
                m.insert("AccountName".into(), acc.into());
                m.insert(
                    "AccountSid".into(),
                    if p.system {
                        "S-1-5-18".to_owned()
                    } else {
                        format!(
                            "S-1-5-21-1004336348-1177238915-682003330-{}",
                            1100 + fnv1a(self.user.as_bytes()) % 900
                        )
                    }
                    .into(),
                );
                m.insert(
                    "LogonId".into(),
                    if p.system {
                        999
                    } else {
                        u64::from_str_radix(&self.logon_hex, 16).unwrap_or(0)
                    }
                    .into(),
                );
                if let Some(q) = parent {
                    self.initiating(&mut m, q);
                }
                self.defender_tail(&mut m, p.task_name.as_deref(), Table::DeviceProcessEvents);
                Some(self.record(t, Table::DeviceProcessEvents, m, step))
            }
        }
    }

    /// `p` creates the file `path` at `t`.
    pub fn file(&mut self, t: i64, p: &Proc, path: &str, step: &str, out: &mut Vec<Record>) {
        match self.sensor {
            Sensor::None => {}
            Sensor::Sysmon => {
                let mut m = self.sysmon_head(t, 11);
                m.insert("ProcessGuid".into(), p.guid.clone().into());
                m.insert("ProcessId".into(), p.pid.into());
                m.insert("Image".into(), p.image.clone().into());
                m.insert("TargetFilename".into(), path.into());
                m.insert("CreationUtcTime".into(), time::sysmon(t).into());
                m.insert("User".into(), self.account(p.system).into());
                out.push(self.record(t, Table::SysmonEvents, m, step));
            }
            Sensor::Defender => {
                let m = self.defender_file(t, p, "FileCreated", path, None);
                out.push(self.record(t, Table::DeviceFileEvents, m, step));
            }
        }
    }

    /// `p` renames `from` to `to` at `t`: Sysmon records nothing (event 11 is
    /// creation only); Defender writes a `FileRenamed` row.
    pub fn rename(
        &mut self,
        t: i64,
        p: &Proc,
        from: &str,
        to: &str,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        if self.sensor == Sensor::Defender {
            let m = self.defender_file(t, p, "FileRenamed", to, Some(from));
            out.push(self.record(t, Table::DeviceFileEvents, m, step));
        }
    }

    fn defender_file(
        &mut self,
        t: i64,
        p: &Proc,
        action: &str,
        path: &str,
        previous: Option<&str>,
    ) -> Map<String, Value> {
        let mut m = self.defender_head(t, action);
        m.insert("FileName".into(), basename(path).into());
        m.insert("FolderPath".into(), path.into());
        if let Some(prev) = previous {
            m.insert("PreviousFileName".into(), basename(prev).into());
            m.insert("PreviousFolderPath".into(), prev.into());
        }
        let key = format!("file:{}", path.to_ascii_lowercase());
        m.insert(
            "SHA1".into(),
            stable_hex(&format!("sha1:{key}"), 40, false).into(),
        );
        m.insert(
            "SHA256".into(),
            stable_hex(&format!("sha256:{key}"), 64, false).into(),
        );
        m.insert(
            "MD5".into(),
            stable_hex(&format!("md5:{key}"), 32, false).into(),
        );
        m.insert(
            "FileSize".into(),
            (512 + fnv1a(key.as_bytes()) % 2_000_000).into(),
        );
        self.initiating(&mut m, p);
        self.defender_tail(&mut m, p.task_name.as_deref(), Table::DeviceFileEvents);
        m
    }

    /// A DNS lookup of `name` by `p` at `t`: the endpoint's row (Sysmon 22 or
    /// Defender `DnsQueryResponse`, when the host has a sensor and `p` is known)
    /// and the DNS server's `DnsEvents` row (when `server`).
    #[allow(clippy::too_many_arguments)]
    pub fn lookup(
        &mut self,
        t: i64,
        p: Option<&Proc>,
        name: &str,
        qtype: &str,
        ans: &Answer,
        server: bool,
        step: &str,
        out: &mut Vec<Record>,
    ) {
        if let Some(p) = p {
            match self.sensor {
                Sensor::None => {}
                Sensor::Sysmon => {
                    let mut m = self.sysmon_head(t, 22);
                    m.insert("ProcessGuid".into(), p.guid.clone().into());
                    m.insert("ProcessId".into(), p.pid.into());
                    m.insert("QueryName".into(), name.into());
                    m.insert(
                        "QueryStatus".into(),
                        if ans.nxdomain { "9003" } else { "0" }.into(),
                    );
                    m.insert("QueryResults".into(), sysmon_results(ans).into());
                    m.insert("Image".into(), p.image.clone().into());
                    m.insert("User".into(), self.account(p.system).into());
                    out.push(self.record(t, Table::SysmonEvents, m, step));
                }
                Sensor::Defender => {
                    let mut m = self.defender_head(t, "DnsQueryResponse");
                    let mut af = Map::new();
                    af.insert("DnsQueryString".into(), name.into());
                    af.insert("DnsQueryType".into(), qtype.into());
                    m.insert(
                        "AdditionalFields".into(),
                        Value::Object(af).to_string().into(),
                    );
                    self.initiating(&mut m, p);
                    self.defender_tail(&mut m, p.task_name.as_deref(), Table::DeviceEvents);
                    out.push(self.record(t, Table::DeviceEvents, m, step));
                }
            }
        }
        if server && self.server_dns {
            let ts = t + self.rng.range(1, 3);
            let mut m = Map::new();
            m.insert("TimeGenerated".into(), time::iso(ts).into());
            m.insert("Computer".into(), self.dns_server.clone().into());
            m.insert("SourceSystem".into(), "OpsManager".into());
            m.insert(
                "EventId".into(),
                if ans.nxdomain { 258 } else { 257 }.into(),
            );
            m.insert("SubType".into(), "LookupQuery".into());
            m.insert("ClientIP".into(), self.ip.clone().into());
            m.insert("Name".into(), name.into());
            m.insert(
                "Result".into(),
                if ans.nxdomain { "Failure" } else { "Success" }.into(),
            );
            m.insert("IPAddresses".into(), ans.ips.join(",").into());
            m.insert("Message".into(), "".into());
            m.insert("TaskCategory".into(), "LookupQuery".into());
            m.insert("QueryType".into(), qtype.into());
            m.insert("ResultCode".into(), if ans.nxdomain { 3 } else { 0 }.into());
            m.insert("MaliciousIP".into(), "".into());
            m.insert("IndicatorThreatType".into(), "".into());
            m.insert("Description".into(), "".into());
            m.insert("Confidence".into(), "".into());
            m.insert("Type".into(), "DnsEvents".into());
            m.insert(
                "_ResourceId".into(),
                format!(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/huntlab/providers/microsoft.compute/virtualmachines/{}",
                    self.dns_server.split('.').next().unwrap_or("dns").to_ascii_lowercase()
                )
                .into(),
            );
            out.push(self.record(ts, Table::DnsEvents, m, step));
        }
    }
}

/// Sysmon's `QueryResults`: `type:  5 cname;::ffff:1.2.3.4;` or `-`.
pub fn sysmon_results(ans: &Answer) -> String {
    if ans.nxdomain || ans.ips.is_empty() {
        return "-".to_owned();
    }
    let mut s = String::new();
    if let Some(c) = &ans.cname {
        s.push_str("type:  5 ");
        s.push_str(c);
        s.push(';');
    }
    for ip in &ans.ips {
        if ip.contains(':') {
            s.push_str(ip);
        } else {
            s.push_str("::ffff:");
            s.push_str(ip);
        }
        s.push(';');
    }
    s
}
