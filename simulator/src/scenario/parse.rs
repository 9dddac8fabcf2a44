//! Reading a scenario file: serde reads what the file says ([`FileSpec`]); this
//! turns it into a [`Scenario`], with defaults, and checks every value, so that
//! one reading reports every problem, each with its line.

use serde::de::Error as _;
use sha2::Digest as _;
use toml::value::{Datetime, Offset};

use super::check::{Check, Lines};
use super::error::ScenarioError;
use super::infection;
use super::lint::{check_values, Values};
use super::network;
use super::program;
use super::spec::{
    BackgroundSpec, FileSpec, GeneratorSpec, GeneratorTable, JobSpec, LookupSpec, PickSpec,
    TemplateSpec,
};
use super::tagged::{self, FieldError};
use super::types::{
    BackgroundParams, Endpoint, Generator, JobParams, LookupParams, Scenario, Template, Windows,
};
use crate::variety::{self, Dimension, Pick};

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

impl Scenario {
    /// Read a scenario file. `origin` names it in errors. A file that TOML or the
    /// schema rejects gives that one problem; otherwise every bad value is
    /// reported, each with its field and line.
    pub fn parse(src: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let file: FileSpec = toml::from_str(src).map_err(|e| schema_error(src, origin, &e))?;
        let table: GeneratorTable =
            toml::from_str(src).map_err(|e| schema_error(src, origin, &e))?;
        let lines = lines(src, &file, &table);
        let mut c = Check::new(Some(&lines));
        let template = template(&mut c, src, &file.generator, &table);
        let g = &file.generator;
        let id = file.id.into_inner();
        let rng_seed = match g.rng_seed {
            None => 0,
            Some(s) if s >= 0 => s as u64,
            Some(s) => {
                c.bad("generator.seed", format!("must be zero or more, got {s}"));
                0
            }
        };
        let hosts = match g.hosts {
            None => 1,
            Some(h) if (1..=100_000).contains(&h) => h as u32,
            Some(h) => {
                c.bad(
                    "generator.hosts",
                    format!("must be between 1 and 100000, got {h}"),
                );
                1
            }
        };
        let start_ms = datetime_ms(&mut c, &g.start);
        let host_prefix = g.host_prefix.clone().unwrap_or_else(|| default_prefix(&id));
        let host_subnet = g.host_subnet.as_deref().and_then(|v| subnet(&mut c, v));
        let users = g
            .users
            .clone()
            .unwrap_or_else(|| DEFAULT_USERS.iter().map(|u| (*u).to_owned()).collect());
        let dns_server = g
            .dns_server
            .clone()
            .unwrap_or_else(|| "DC01.corp.contoso.com".to_owned());
        let endpoint = g.endpoint.unwrap_or(Endpoint::Sysmon);
        let server_dns = g.server_dns.unwrap_or(true);
        let dns_forwarder = g.dns_forwarder.unwrap_or(false);
        let jitter = g.jitter.unwrap_or(0.2);
        let windows = g.windows.clone().unwrap_or_else(|| vec![Windows::Win10]);
        let sensors = network::sensors(&mut c, g);
        let title = file.title.into_inner();
        let description = file.description.into_inner();
        check_values(
            &mut c,
            &Values {
                id: &id,
                title: &title,
                description: &description,
                hosts,
                host_prefix: &host_prefix,
                users: &users,
                hours: g.hours,
                jitter,
                dns_server: &dns_server,
                endpoint,
                server_dns,
                dns_forwarder,
                windows: &windows,
            },
        );
        network::dns_views(
            &mut c,
            g,
            &network::Fleet {
                hosts,
                endpoint,
                windows: &windows,
                server_dns,
            },
            template.as_ref(),
        );
        let (Some(template), Some(start_ms)) = (template, start_ms) else {
            return Err(c.error(origin));
        };
        c.finish(origin)?;
        Ok(Scenario {
            source_sha256: format!("{:x}", sha2::Sha256::digest(src)),
            generator: Generator {
                template,
                rng_seed,
                hosts,
                host_prefix,
                host_subnet,
                users,
                start: crate::time::iso(start_ms),
                start_ms,
                hours: g.hours,
                endpoint,
                server_dns,
                dns_server,
                dns_forwarder,
                jitter,
                windows,
                sensors,
            },
            id,
            title,
            description,
            kind: file.kind,
            expect: file.expect,
            origin: origin.to_owned(),
        })
    }
}

/// Where the fields a value check can name are.
fn lines(src: &str, file: &FileSpec, table: &GeneratorTable) -> Lines {
    let mut lines = Lines::default();
    for (key, span) in [
        ("id", file.id.span()),
        ("title", file.title.span()),
        ("description", file.description.span()),
        ("generator", table.generator.span()),
    ] {
        lines.insert(key, Lines::of_offset(src, span.start));
    }
    for key in table.generator.get_ref().keys() {
        lines.insert(
            format!("generator.{}", key.get_ref()),
            Lines::of_offset(src, key.span().start),
        );
    }
    lines
}

/// The one problem of a file TOML or the schema rejects.
fn schema_error(src: &str, origin: &str, e: &toml::de::Error) -> ScenarioError {
    let mut c = Check::new(None);
    let line = e.span().map_or(1, |s| Lines::of_offset(src, s.start));
    c.at(
        line,
        key_on_line(src, line),
        e.message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
    );
    c.error(origin)
}

/// The key a `key = value` line sets, with its table (`generator.hosts`):
/// what a problem TOML itself finds on that line is about.
fn key_on_line(src: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = src.lines().collect();
    let text = lines.get(line.checked_sub(1)?)?;
    let (key, _) = text.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let table = lines[..line - 1].iter().rev().find_map(|l| {
        let l = l.trim();
        l.strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .map(|t| t.trim_matches(['[', ']']).trim().to_owned())
    });
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_owned(),
    })
}

/// Read the template and its parameters from the generator table's keys that
/// are not the generator's own, then compile them.
fn template(
    c: &mut Check<'_>,
    src: &str,
    g: &GeneratorSpec,
    table: &GeneratorTable,
) -> Option<Template> {
    let mut entries: Vec<tagged::Entry<'_>> = table
        .generator
        .get_ref()
        .iter()
        .filter(|(k, _)| g.template_keys.contains_key(k.get_ref()))
        .collect();
    // In file order, so that serde's first error is the first in the file.
    entries.sort_by_key(|(k, _)| k.span().start);
    let (tags, fields): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(k, _)| k.get_ref() == "template");
    let generator_line = Lines::of_offset(src, table.generator.span().start);
    let read = match tags.first() {
        Some(tag) => tagged::read::<TemplateSpec>(*tag, &fields),
        None => Err(FieldError::missing_field("template")),
    };
    match read {
        Ok(spec) => Some(compile(c, spec)),
        Err(e) => {
            let line = e
                .span
                .as_ref()
                .map_or(generator_line, |s| Lines::of_offset(src, s.start));
            let template = tags.first().and_then(|(_, v)| v.get_ref().as_str());
            let message = match (e.expected, template) {
                (Some(expected), Some(name)) => format!(
                    "{}: not a generator field, nor a parameter of template `{name}` ({})",
                    e.message,
                    expected.join(", ")
                ),
                _ => e.message,
            };
            c.at(line, e.key.map(|k| format!("generator.{k}")), message);
            None
        }
    }
}

/// A template's parameters, with defaults, checked.
fn compile(c: &mut Check<'_>, spec: TemplateSpec) -> Template {
    match spec {
        TemplateSpec::BackgroundDns(p) => Template::BackgroundDns(background(c, p)),
        TemplateSpec::BackupJob(p) => Template::BackupJob(job(c, "backup-job", p)),
        TemplateSpec::NetworkDiagnostics(p) => {
            Template::NetworkDiagnostics(job(c, "network-diagnostics", p))
        }
        TemplateSpec::SoftwareUpdate(p) => Template::SoftwareUpdate(job(c, "software-update", p)),
        TemplateSpec::LogCleanup(p) => Template::LogCleanup(job(c, "log-cleanup", p)),
        TemplateSpec::NameCollision(p) => Template::NameCollision(job(c, "name-collision", p)),
        TemplateSpec::SoarEnrichment(p) => Template::SoarEnrichment(lookups(c, p)),
        TemplateSpec::MailServer(p) => Template::MailServer(lookups(c, p)),
        TemplateSpec::NanocoreInfection(p) => {
            Template::NanocoreInfection(infection::params(c, *p, &infection::NANOCORE))
        }
        TemplateSpec::Implant(p) => {
            Template::Implant(infection::params(c, *p, &infection::GENERIC))
        }
        TemplateSpec::BackgroundNetwork(p) => {
            Template::BackgroundNetwork(network::background(c, p))
        }
        TemplateSpec::Program(p) => Template::Program(program::params(c, *p)),
    }
}

fn background(c: &mut Check<'_>, p: BackgroundSpec) -> BackgroundParams {
    let rate_per_minute = c.positive("generator.rate_per_minute", p.rate_per_minute);
    let names = p.names.unwrap_or_default();
    c.dns_names("generator.names", &names);
    let names_interval_minutes = match (names.is_empty(), p.names_interval_minutes) {
        (true, None) => 60.0,
        (true, Some(v)) => {
            c.bad("generator.names_interval_minutes", "needs `names`");
            v
        }
        (false, None) => {
            c.bad(
                "generator.names_interval_minutes",
                "is required with `names`",
            );
            60.0
        }
        (false, Some(v)) => c.positive("generator.names_interval_minutes", v),
    };
    BackgroundParams {
        rate_per_minute,
        names,
        names_interval_minutes,
    }
}

fn job(c: &mut Check<'_>, template: &str, p: JobSpec) -> JobParams {
    let interval_minutes = c.positive("generator.interval_minutes", p.interval_minutes);
    let files_per_run = match p.files_per_run {
        None => 2,
        Some(n) if (0..=1000).contains(&n) => n as u32,
        Some(n) => {
            c.bad(
                "generator.files_per_run",
                format!("must be between 0 and 1000, got {n}"),
            );
            0
        }
    };
    let given = [
        (Dimension::InstallDir, p.install_dir),
        (Dimension::Shell, p.shell),
        (Dimension::TaskName, p.task_name),
        (Dimension::Command, p.command),
        (Dimension::Signature, p.signature),
        (Dimension::TaskStart, p.task_start),
    ];
    let registered_days_before = p.registered_days_before.and_then(|d| {
        const FIELD: &str = "generator.registered_days_before";
        if !matches!(template, "backup-job" | "log-cleanup" | "software-update") {
            c.bad(
                FIELD,
                format!("the `{template}` template registers no task"),
            );
            return None;
        }
        if !(d.is_finite() && d > 0.0 && d <= 366.0) {
            c.bad(
                FIELD,
                format!("must be more than 0 and at most 366 days, got {d}"),
            );
            return None;
        }
        Some(d)
    });
    JobParams {
        interval_minutes,
        files_per_run,
        registered_days_before,
        variety: given
            .into_iter()
            .filter_map(|(dim, spec)| Some((dim, pick(c, template, dim, spec)?)))
            .collect(),
    }
}

/// How a job scenario sets one varied value: as given (a fixed value, checked,
/// or a distribution of that dimension), or the template's default
/// distribution; `None` for a dimension the template does not vary.
fn pick(c: &mut Check<'_>, template: &str, dim: Dimension, spec: Option<PickSpec>) -> Option<Pick> {
    let field = format!("generator.{}", dim.key());
    let default = variety::defaults(template)
        .iter()
        .find(|(d, _)| *d == dim)
        .map(|(_, name)| *name);
    let Some(default) = default else {
        if spec.is_some() {
            c.bad(
                &field,
                format!("template `{template}` does not vary `{}`", dim.key()),
            );
        }
        return None;
    };
    Some(match spec {
        None => Pick::Draw { draw: default },
        Some(PickSpec::Fixed(v)) => {
            if let Some(e) = variety::check_fixed(dim, &v) {
                c.bad(&field, e);
            }
            Pick::Fixed(v)
        }
        Some(PickSpec::OneOf(o)) => {
            program::one_of(c, &field, o, &|v| variety::check_fixed(dim, v))
        }
        Some(PickSpec::Draw(d)) => match variety::named(&d.draw) {
            Some(dist) if dist.dimension == dim => Pick::Draw { draw: dist.name },
            found => {
                let known: Vec<&str> = variety::DISTRIBUTIONS
                    .iter()
                    .filter(|x| x.dimension == dim)
                    .map(|x| x.name)
                    .collect();
                let what = if found.is_some() {
                    "varies another key"
                } else {
                    "is not declared"
                };
                c.bad(
                    &field,
                    format!(
                        "distribution `{}` {what}; for `{}`: {}",
                        d.draw,
                        dim.key(),
                        known.join(", ")
                    ),
                );
                Pick::Draw { draw: default }
            }
        },
    })
}

fn lookups(c: &mut Check<'_>, p: LookupSpec) -> LookupParams {
    let interval_minutes = c.positive("generator.interval_minutes", p.interval_minutes);
    if p.names.is_empty() {
        c.bad("generator.names", "must name at least one domain");
    }
    c.dns_names("generator.names", &p.names);
    let dnsbl_zone = p.dnsbl_zone.unwrap_or_else(|| "dbl.example.org".to_owned());
    c.dns_names("generator.dnsbl_zone", std::slice::from_ref(&dnsbl_zone));
    LookupParams {
        interval_minutes,
        names: p.names,
        dnsbl_zone,
    }
}

/// Milliseconds since the epoch of a TOML date-time (no offset means UTC).
fn datetime_ms(c: &mut Check<'_>, d: &Datetime) -> Option<i64> {
    let (Some(date), Some(time)) = (d.date, d.time) else {
        c.bad(
            "generator.start",
            "must be a date and time, e.g. 2026-05-21T08:00:00Z",
        );
        return None;
    };
    let offset_min = match d.offset {
        None | Some(Offset::Z) => 0,
        Some(Offset::Custom { minutes }) => i64::from(minutes),
    };
    let days = crate::time::days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    );
    Some(
        days * 86_400_000
            + i64::from(time.hour) * 3_600_000
            + i64::from(time.minute) * 60_000
            + i64::from(time.second) * 1000
            + i64::from(time.nanosecond / 1_000_000)
            - offset_min * 60_000,
    )
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

/// `generator.host_subnet`: an IPv4 network `a.b.c.d/n` (8 <= n <= 32),
/// its address bits beyond the prefix zero.
fn subnet(c: &mut Check<'_>, v: &str) -> Option<(std::net::Ipv4Addr, u8)> {
    const FIELD: &str = "generator.host_subnet";
    let parsed = v
        .split_once('/')
        .and_then(|(a, n)| Some((a.parse::<std::net::Ipv4Addr>().ok()?, n.parse::<u8>().ok()?)));
    match parsed {
        Some((a, n)) if (8..=32).contains(&n) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(n)).unwrap_or(0);
            if u32::from(a) & !mask != 0 {
                c.bad(FIELD, format!("`{v}` has address bits beyond its /{n}"));
            }
            Some((a, n))
        }
        _ => {
            c.bad(
                FIELD,
                format!("`{v}` is not an IPv4 subnet from /8 to /32 (10.66.0.0/16)"),
            );
            None
        }
    }
}
