//! Scenario files: what they say, and the checks they must pass.

use serde::{Deserialize, Serialize};

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

/// What the detection should do on the scenario's telemetry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// At least one alert stands.
    Alert,
    /// Hunts fire, and every row they fire on is suppressed.
    Suppressed,
    /// No hunt fires at all.
    NoMatch,
}

/// A scenario's declared expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome.
    pub outcome: Outcome,
    /// With `suppressed`: the exclusion that suppresses every row a hunt fires on.
    /// With `alert`: an exclusion that hides at least one malicious row (its blind
    /// spot), while an alert still stands elsewhere.
    #[serde(default)]
    pub exclusion: Option<String>,
}

/// A scenario file's problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML, or not the scenario schema.
    #[error("{origin}: line {line}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Valid TOML with a value that is not allowed.
    #[error("{origin}: field `{field}`: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
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
    /// Whether a scheduled task is installed (always with `schtasks-run`).
    pub persistence: bool,
    /// The scheduled task's name.
    pub task_name: String,
    /// Where the payload runs.
    pub hollow: Hollow,
    /// C2 host names as the implant asks for them (case, subdomains and trailing
    /// dots kept), tried in turn after each failed connection.
    pub c2_hosts: Vec<String>,
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
    /// Share of C2 lookups answered NXDOMAIN.
    pub nxdomain_share: f64,
    /// Hours between reboots (the task restarts the implant), if any.
    pub reboot_every_hours: Option<f64>,
    /// The infection starts at a random time within this many minutes of the start.
    pub infect_within_minutes: f64,
}

/// The generator template and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "template", rename_all = "kebab-case")]
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
    /// A NanoCore infection: delivery, persistence, payload, C2.
    NanocoreInfection(InfectionParams),
}

impl Template {
    /// Every template name, as scenario files write it.
    pub const NAMES: [&'static str; 7] = [
        "background-dns",
        "backup-job",
        "network-diagnostics",
        "software-update",
        "log-cleanup",
        "name-collision",
        "nanocore-infection",
    ];

    /// The template's name.
    pub fn name(&self) -> &'static str {
        match self {
            Template::BackgroundDns(_) => "background-dns",
            Template::BackupJob(_) => "backup-job",
            Template::NetworkDiagnostics(_) => "network-diagnostics",
            Template::SoftwareUpdate(_) => "software-update",
            Template::LogCleanup(_) => "log-cleanup",
            Template::NameCollision(_) => "name-collision",
            Template::NanocoreInfection(_) => "nanocore-infection",
        }
    }

    /// Whether the template's activity is the malware's (labels say malicious).
    pub fn is_malicious(&self) -> bool {
        matches!(self, Template::NanocoreInfection(_))
    }
}

/// A scenario's generator: who, when, which sensors, and the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generator {
    /// The template and its parameters.
    #[serde(flatten)]
    pub template: Template,
    /// The scenario's own seed (mixed with the run seed).
    pub seed: u64,
    /// Number of hosts.
    pub hosts: u32,
    /// Host names are `{host_prefix}-01`, `{host_prefix}-02`, ...
    pub host_prefix: String,
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
    /// Relative jitter of intervals and delays, in [0, 1).
    pub jitter: f64,
}

impl Generator {
    /// Host `i`'s name (0-based `i`).
    pub fn host_name(&self, i: u32) -> String {
        format!("{}-{:02}", self.host_prefix, i + 1)
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: String,
    title: String,
    description: String,
    kind: ScenarioKind,
    expect: Expect,
    generator: RawGenerator,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenerator {
    template: String,
    seed: Option<i64>,
    hosts: Option<i64>,
    host_prefix: Option<String>,
    users: Option<Vec<String>>,
    start: toml::value::Datetime,
    hours: f64,
    endpoint: Option<Endpoint>,
    server_dns: Option<bool>,
    dns_server: Option<String>,
    jitter: Option<f64>,
    // background-dns
    rate_per_minute: Option<f64>,
    names: Option<Vec<String>>,
    names_interval_minutes: Option<f64>,
    // jobs
    interval_minutes: Option<f64>,
    files_per_run: Option<i64>,
    // nanocore-infection
    delivery: Option<Delivery>,
    implant_path: Option<String>,
    implant_args: Option<String>,
    company: Option<String>,
    drop: Option<Drop>,
    launch: Option<Launch>,
    persistence: Option<bool>,
    task_name: Option<String>,
    hollow: Option<Hollow>,
    c2_hosts: Option<Vec<String>>,
    c2_up: Option<f64>,
    session_minutes: Option<f64>,
    keepalive_seconds: Option<f64>,
    restart_delay_seconds: Option<f64>,
    connect_delay_seconds: Option<f64>,
    ttl_seconds: Option<f64>,
    nxdomain_share: Option<f64>,
    reboot_every_hours: Option<f64>,
    infect_within_minutes: Option<f64>,
}

/// Default accounts when a scenario names none.
const DEFAULT_USERS: [&str; 8] = [
    "a.berger",
    "j.okafor",
    "m.lindqvist",
    "s.haddad",
    "p.novak",
    "l.moreau",
    "r.tanaka",
    "e.santos",
];

/// Variables an implant path may use.
pub const PATH_VARIABLES: [&str; 7] = [
    "%APPDATA%",
    "%LOCALAPPDATA%",
    "%TEMP%",
    "%USERPROFILE%",
    "%USERNAME%",
    "%PROGRAMDATA%",
    "%GUID%",
];

fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

struct Check<'a> {
    origin: &'a str,
}

impl Check<'_> {
    fn bad(&self, field: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            origin: self.origin.to_owned(),
            field: field.to_owned(),
            message: message.into(),
        }
    }

    fn positive(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(self.bad(field, format!("must be a positive number, got {v}")))
        }
    }

    fn non_negative(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(self.bad(field, format!("must be zero or more, got {v}")))
        }
    }

    fn share(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(self.bad(field, format!("must be between 0 and 1, got {v}")))
        }
    }

    fn text(&self, field: &str, v: &str) -> Result<(), ScenarioError> {
        if v.trim().is_empty() {
            Err(self.bad(field, "must not be empty"))
        } else {
            Ok(())
        }
    }
}

fn datetime_ms(c: &Check<'_>, d: &toml::value::Datetime) -> Result<i64, ScenarioError> {
    let (Some(date), Some(time)) = (d.date, d.time) else {
        return Err(c.bad(
            "generator.start",
            "must be a date and time, e.g. 2026-05-21T08:00:00Z",
        ));
    };
    let offset_min = match d.offset {
        None | Some(toml::value::Offset::Z) => 0,
        Some(toml::value::Offset::Custom { minutes }) => i64::from(minutes),
    };
    let days = crate::time::days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    );
    Ok(days * 86_400_000
        + i64::from(time.hour) * 3_600_000
        + i64::from(time.minute) * 60_000
        + i64::from(time.second) * 1000
        + i64::from(time.nanosecond / 1_000_000)
        - offset_min * 60_000)
}

fn default_prefix(id: &str) -> String {
    let initials: String = id
        .split('-')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.chars().next())
        .take(5)
        .collect::<String>()
        .to_ascii_uppercase();
    format!("WS-{initials}")
}

fn build_template(c: &Check<'_>, g: &RawGenerator) -> Result<Template, ScenarioError> {
    let name = g.template.as_str();
    if !Template::NAMES.contains(&name) {
        return Err(c.bad(
            "generator.template",
            format!(
                "unknown template `{name}`; known: {}",
                Template::NAMES.join(", ")
            ),
        ));
    }
    let background = [
        ("rate_per_minute", g.rate_per_minute.is_some()),
        ("names", g.names.is_some()),
        ("names_interval_minutes", g.names_interval_minutes.is_some()),
    ];
    let job = [
        ("interval_minutes", g.interval_minutes.is_some()),
        ("files_per_run", g.files_per_run.is_some()),
    ];
    let infection = [
        ("delivery", g.delivery.is_some()),
        ("implant_path", g.implant_path.is_some()),
        ("implant_args", g.implant_args.is_some()),
        ("company", g.company.is_some()),
        ("drop", g.drop.is_some()),
        ("launch", g.launch.is_some()),
        ("persistence", g.persistence.is_some()),
        ("task_name", g.task_name.is_some()),
        ("hollow", g.hollow.is_some()),
        ("c2_hosts", g.c2_hosts.is_some()),
        ("c2_up", g.c2_up.is_some()),
        ("session_minutes", g.session_minutes.is_some()),
        ("keepalive_seconds", g.keepalive_seconds.is_some()),
        ("restart_delay_seconds", g.restart_delay_seconds.is_some()),
        ("connect_delay_seconds", g.connect_delay_seconds.is_some()),
        ("ttl_seconds", g.ttl_seconds.is_some()),
        ("nxdomain_share", g.nxdomain_share.is_some()),
        ("reboot_every_hours", g.reboot_every_hours.is_some()),
        ("infect_within_minutes", g.infect_within_minutes.is_some()),
    ];
    let used: &[(&str, bool)] = match name {
        "background-dns" => &background,
        "nanocore-infection" => &infection,
        _ => &job,
    };
    for (field, set) in background.iter().chain(&job).chain(&infection) {
        if *set && !used.iter().any(|(f, _)| f == field) {
            return Err(c.bad(
                &format!("generator.{field}"),
                format!("is not a parameter of template `{name}`"),
            ));
        }
    }
    Ok(match name {
        "background-dns" => {
            let rate = g.rate_per_minute.ok_or_else(|| {
                c.bad(
                    "generator.rate_per_minute",
                    "is required by template `background-dns`",
                )
            })?;
            let rate_per_minute = c.positive("generator.rate_per_minute", rate)?;
            let names = g.names.clone().unwrap_or_default();
            for (i, n) in names.iter().enumerate() {
                if n.trim().is_empty() || n.chars().any(|ch| ch.is_whitespace()) {
                    return Err(c.bad(
                        &format!("generator.names[{i}]"),
                        format!("`{n}` is not a DNS name"),
                    ));
                }
            }
            let names_interval_minutes = match (names.is_empty(), g.names_interval_minutes) {
                (true, None) => 60.0,
                (true, Some(_)) => {
                    return Err(c.bad("generator.names_interval_minutes", "needs `names`"));
                }
                (false, None) => {
                    return Err(c.bad(
                        "generator.names_interval_minutes",
                        "is required with `names`",
                    ));
                }
                (false, Some(v)) => c.positive("generator.names_interval_minutes", v)?,
            };
            Template::BackgroundDns(BackgroundParams {
                rate_per_minute,
                names,
                names_interval_minutes,
            })
        }
        "nanocore-infection" => Template::NanocoreInfection(infection_params(c, g)?),
        _ => {
            let iv = g.interval_minutes.ok_or_else(|| {
                c.bad(
                    "generator.interval_minutes",
                    format!("is required by template `{name}`"),
                )
            })?;
            let interval_minutes = c.positive("generator.interval_minutes", iv)?;
            let files_per_run = match g.files_per_run {
                None => 2,
                Some(n) if (0..=1000).contains(&n) => n as u32,
                Some(n) => {
                    return Err(c.bad(
                        "generator.files_per_run",
                        format!("must be between 0 and 1000, got {n}"),
                    ))
                }
            };
            let p = JobParams {
                interval_minutes,
                files_per_run,
            };
            match name {
                "backup-job" => Template::BackupJob(p),
                "network-diagnostics" => Template::NetworkDiagnostics(p),
                "software-update" => Template::SoftwareUpdate(p),
                "log-cleanup" => Template::LogCleanup(p),
                _ => Template::NameCollision(p),
            }
        }
    })
}

fn infection_params(c: &Check<'_>, g: &RawGenerator) -> Result<InfectionParams, ScenarioError> {
    let implant_path = g
        .implant_path
        .clone()
        .unwrap_or_else(|| r"%APPDATA%\%GUID%\DHCP Monitor\dhcpmon.exe".to_owned());
    c.text("generator.implant_path", &implant_path)?;
    let lower = implant_path.to_ascii_lowercase();
    if !(lower.ends_with(".exe") || lower.ends_with(".dll")) {
        return Err(c.bad("generator.implant_path", "must end in .exe or .dll"));
    }
    let mut rest = implant_path.as_str();
    while let Some(i) = rest.find('%') {
        let after = &rest[i..];
        let Some(var) = PATH_VARIABLES.iter().find(|v| after.starts_with(**v)) else {
            return Err(c.bad(
                "generator.implant_path",
                format!(
                    "unknown variable in `{implant_path}`; known: {}",
                    PATH_VARIABLES.join(", ")
                ),
            ));
        };
        rest = &after[var.len()..];
    }
    let absolute = implant_path.starts_with('%')
        || (implant_path.len() > 3
            && implant_path.as_bytes()[1] == b':'
            && implant_path.as_bytes()[2] == b'\\');
    if !absolute {
        return Err(c.bad(
            "generator.implant_path",
            "must be an absolute Windows path or start with a variable",
        ));
    }
    let task_name = g
        .task_name
        .clone()
        .unwrap_or_else(|| "DHCP Monitor".to_owned());
    c.text("generator.task_name", &task_name)?;
    let c2_hosts = g
        .c2_hosts
        .clone()
        .unwrap_or_else(|| vec!["estaliax.io".to_owned(), "duraktantuni.site".to_owned()]);
    if c2_hosts.is_empty() {
        return Err(c.bad("generator.c2_hosts", "must name at least one host"));
    }
    for (i, h) in c2_hosts.iter().enumerate() {
        if h.trim().is_empty() || h.chars().any(|ch| ch.is_whitespace()) {
            return Err(c.bad(
                &format!("generator.c2_hosts[{i}]"),
                format!("`{h}` is not a DNS name"),
            ));
        }
    }
    let launch = g.launch.unwrap_or(Launch::Direct);
    let persistence = g.persistence.unwrap_or(true);
    if launch == Launch::SchtasksRun && !persistence {
        return Err(c.bad(
            "generator.persistence",
            "`launch = \"schtasks-run\"` installs a task, so it cannot be false",
        ));
    }
    let reboot_every_hours = match g.reboot_every_hours {
        None => None,
        Some(v) => Some(c.positive("generator.reboot_every_hours", v)?),
    };
    if reboot_every_hours.is_some() && !persistence {
        return Err(c.bad(
            "generator.reboot_every_hours",
            "needs `persistence` (nothing restarts the implant)",
        ));
    }
    Ok(InfectionParams {
        delivery: g.delivery.unwrap_or(Delivery::Vbs),
        implant_path,
        implant_args: g.implant_args.clone().unwrap_or_default(),
        company: g.company.clone().unwrap_or_default(),
        drop: g.drop.unwrap_or(Drop::Write),
        launch,
        persistence,
        task_name,
        hollow: g.hollow.unwrap_or(Hollow::RegAsm),
        c2_hosts,
        c2_up: c.share("generator.c2_up", g.c2_up.unwrap_or(0.6))?,
        session_minutes: c.positive(
            "generator.session_minutes",
            g.session_minutes.unwrap_or(15.0),
        )?,
        keepalive_seconds: c.positive(
            "generator.keepalive_seconds",
            g.keepalive_seconds.unwrap_or(30.0),
        )?,
        restart_delay_seconds: c.non_negative(
            "generator.restart_delay_seconds",
            g.restart_delay_seconds.unwrap_or(5.0),
        )?,
        connect_delay_seconds: c.non_negative(
            "generator.connect_delay_seconds",
            g.connect_delay_seconds.unwrap_or(4.0),
        )?,
        ttl_seconds: c.non_negative("generator.ttl_seconds", g.ttl_seconds.unwrap_or(300.0))?,
        nxdomain_share: c.share("generator.nxdomain_share", g.nxdomain_share.unwrap_or(0.0))?,
        reboot_every_hours,
        infect_within_minutes: c.positive(
            "generator.infect_within_minutes",
            g.infect_within_minutes.unwrap_or(60.0),
        )?,
    })
}

impl Scenario {
    /// Read a scenario file. `origin` names it in errors.
    pub fn parse(src: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(src).map_err(|e| ScenarioError::Parse {
            origin: origin.to_owned(),
            line: e.span().map_or(1, |s| line_of(src, s.start)),
            message: e.message().trim().to_owned(),
        })?;
        let c = Check { origin };
        let g = &raw.generator;
        let template = build_template(&c, g)?;
        let seed = match g.seed {
            None => 0,
            Some(s) if s >= 0 => s as u64,
            Some(s) => {
                return Err(c.bad("generator.seed", format!("must be zero or more, got {s}")))
            }
        };
        let hosts = match g.hosts {
            None => 1,
            Some(h) if (1..=100_000).contains(&h) => h as u32,
            Some(h) => {
                return Err(c.bad(
                    "generator.hosts",
                    format!("must be between 1 and 100000, got {h}"),
                ))
            }
        };
        let start_ms = datetime_ms(&c, &g.start)?;
        let endpoint = g.endpoint.unwrap_or(Endpoint::Sysmon);
        let server_dns = g.server_dns.unwrap_or(true);
        let scenario = Scenario {
            generator: Generator {
                template,
                seed,
                hosts,
                host_prefix: g
                    .host_prefix
                    .clone()
                    .unwrap_or_else(|| default_prefix(&raw.id)),
                users: g
                    .users
                    .clone()
                    .unwrap_or_else(|| DEFAULT_USERS.iter().map(|u| (*u).to_owned()).collect()),
                start: crate::time::iso(start_ms),
                start_ms,
                hours: g.hours,
                endpoint,
                server_dns,
                dns_server: g
                    .dns_server
                    .clone()
                    .unwrap_or_else(|| "DC01.corp.contoso.com".to_owned()),
                jitter: g.jitter.unwrap_or(0.2),
            },
            id: raw.id,
            title: raw.title,
            description: raw.description,
            kind: raw.kind,
            expect: raw.expect,
            origin: origin.to_owned(),
        };
        scenario.validate()?;
        Ok(scenario)
    }

    /// Check the scenario's own values (what [`Scenario::parse`] checks after
    /// reading; [`lint`] runs it again on scenarios built in code).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let c = Check {
            origin: &self.origin,
        };
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(c.bad(
                "id",
                format!("`{}` must be lowercase letters, digits and `-`", self.id),
            ));
        }
        c.text("title", &self.title)?;
        c.text("description", &self.description)?;
        let g = &self.generator;
        if g.hosts == 0 {
            return Err(c.bad("generator.hosts", "must be at least 1"));
        }
        if g.host_prefix.is_empty()
            || !g
                .host_prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(c.bad(
                "generator.host_prefix",
                format!("`{}` must be letters, digits and `-`", g.host_prefix),
            ));
        }
        if g.users.is_empty() {
            return Err(c.bad("generator.users", "must name at least one account"));
        }
        for (i, u) in g.users.iter().enumerate() {
            if u.trim().is_empty() || u.contains(['\\', '/', '"']) {
                return Err(c.bad(
                    &format!("generator.users[{i}]"),
                    format!("`{u}` is not an account name"),
                ));
            }
        }
        let hours = c.positive("generator.hours", g.hours)?;
        if hours > 24.0 * 366.0 {
            return Err(c.bad(
                "generator.hours",
                format!("must be at most a year (8784), got {hours}"),
            ));
        }
        if !(0.0..1.0).contains(&g.jitter) {
            return Err(c.bad(
                "generator.jitter",
                format!("must be at least 0 and below 1, got {}", g.jitter),
            ));
        }
        c.text("generator.dns_server", &g.dns_server)?;
        if g.endpoint == Endpoint::None && !g.server_dns {
            return Err(c.bad(
                "generator.server_dns",
                "with `endpoint = \"none\"`, `server_dns = false` leaves no sensor to record anything",
            ));
        }
        Ok(())
    }
}

/// Check a library of scenarios: each scenario's own values, unique ids and host
/// prefixes, expectations that name known exclusions (`suppressed` must name
/// one; `no-match` must not), and kinds that fit their templates.
pub fn lint(scenarios: &[Scenario], known_exclusions: &[&str]) -> Vec<ScenarioError> {
    let mut out = Vec::new();
    let bad = |s: &Scenario, field: &str, message: String| ScenarioError::Invalid {
        origin: s.origin.clone(),
        field: field.to_owned(),
        message,
    };
    for (i, s) in scenarios.iter().enumerate() {
        if let Err(e) = s.validate() {
            out.push(e);
        }
        if let Some(first) = scenarios[..i].iter().find(|o| o.id == s.id) {
            out.push(bad(
                s,
                "id",
                format!("duplicate id `{}` (also in {})", s.id, first.origin),
            ));
        }
        if let Some(first) = scenarios[..i].iter().find(|o| {
            o.generator
                .host_prefix
                .eq_ignore_ascii_case(&s.generator.host_prefix)
        }) {
            out.push(bad(
                s,
                "generator.host_prefix",
                format!(
                    "`{}` is also used by `{}` ({}); host names must be unique per scenario",
                    s.generator.host_prefix, first.id, first.origin
                ),
            ));
        }
        match (&s.expect.exclusion, s.expect.outcome) {
            (None, Outcome::Suppressed) => out.push(bad(
                s,
                "expect.exclusion",
                "outcome `suppressed` must name the exclusion that suppresses it".into(),
            )),
            (Some(x), Outcome::NoMatch) => out.push(bad(
                s,
                "expect.exclusion",
                format!("outcome `no-match` cannot name an exclusion (`{x}`): nothing fires to suppress"),
            )),
            (Some(x), _) if !known_exclusions.contains(&x.as_str()) => out.push(bad(
                s,
                "expect.exclusion",
                format!("unknown exclusion `{x}`; known: {}", known_exclusions.join(", ")),
            )),
            _ => {}
        }
        let malicious_template = s.generator.template.is_malicious();
        match s.kind {
            ScenarioKind::Malicious | ScenarioKind::Adversarial if !malicious_template => {
                out.push(bad(
                    s,
                    "generator.template",
                    format!(
                        "a {} scenario needs the `nanocore-infection` template, not `{}`",
                        s.kind.name(),
                        s.generator.template.name()
                    ),
                ))
            }
            ScenarioKind::Benign | ScenarioKind::Background if malicious_template => out.push(bad(
                s,
                "generator.template",
                format!(
                    "a {} scenario cannot use `nanocore-infection` (its rows are malicious)",
                    s.kind.name()
                ),
            )),
            _ => {}
        }
        if s.kind == ScenarioKind::Malicious && s.expect.outcome != Outcome::Alert {
            out.push(bad(
                s,
                "expect.outcome",
                "a malicious scenario must expect `alert`".into(),
            ));
        }
        if s.kind == ScenarioKind::Adversarial && s.expect.exclusion.is_none() {
            out.push(bad(
                s,
                "expect.exclusion",
                "an adversarial scenario must name the exclusion the malware satisfies".into(),
            ));
        }
    }
    out
}
