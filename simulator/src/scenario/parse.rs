//! Reading a scenario file: TOML into the raw schema, then into a [`Scenario`].

use serde::Deserialize;

use super::check::Check;
use super::error::ScenarioError;
use super::expect::Expect;
use super::types::{
    BackgroundParams, Delivery, Drop, Endpoint, Generator, Hollow, InfectionParams, JobParams,
    Launch, Scenario, ScenarioKind, Template,
};

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
}
