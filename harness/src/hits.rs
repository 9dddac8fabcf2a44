//! What `huntlab scan` writes for each hit: a row where a hunt fired, with its
//! explanation and the matched indicator's feed fields, as a terminal table
//! line, a JSON Lines object or a CSV record, with what an analyst acts on:
//! the acting process (from the row, or from its creation by the process
//! join), the account, the client's address and the appliance that logged the
//! row. Every string from telemetry or a feed is escaped for its format:
//! control characters made visible on the terminal, CSV cells neutralised
//! against formula injection.

use std::io::{self, Write};

use detections::content::{field_name, ExclusionResult, HuntHit, Verdict};
use detections::event::Process;
use detections::feed::FeedIoc;
use detections::Event;
use serde::Serialize;

use crate::escape::{csv_cell, safe_json, terminal as esc};

/// How hits are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned text, one hit a line.
    #[default]
    Table,
    /// One JSON object a line.
    Jsonl,
    /// CSV with a header row; cells neutralised against formula injection.
    Csv,
}

/// One hit, ready to write.
#[derive(Debug)]
pub struct Hit<'a> {
    /// The input it came from.
    pub input: &'a str,
    /// Where in it (`line 12`, `record 7`).
    pub position: String,
    /// The judged event.
    pub event: &'a Event,
    /// Why it fired, and what each exclusion did.
    pub verdict: &'a Verdict,
    /// Whether a Sysmon DNS or file row was joined to its process creation
    /// (`None` for rows that need no join).
    pub joined: Option<bool>,
    /// The matched indicator's feed entry, when the hunt matched one.
    pub ioc: Option<&'a FeedIoc>,
}

/// The object or the name the row is about: a query, a file, a process
/// (empty when the row names none).
fn subject(ev: &Event) -> String {
    ev.subject()
        .and_then(|s| s.value())
        .unwrap_or_default()
        .to_owned()
}

/// A value, with an empty one absent.
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// The acting process, when the row (or the join) names its image, command
/// line or parent: a row that names only an account has none.
fn acting(ev: &Event) -> Option<&Process> {
    ev.process.as_deref().filter(|p| {
        [
            &p.image,
            &p.command_line,
            &p.parent_image,
            &p.parent_command_line,
        ]
        .into_iter()
        .any(|v| present(v).is_some())
    })
}

/// The account the row names (the acting process's, or the row's own on a
/// firewall's, proxy's or click's row).
fn user(ev: &Event) -> Option<&str> {
    ev.process.as_ref().and_then(|p| present(&p.user))
}

/// The client's address: a DNS server's client, a firewall's or proxy's
/// source address.
fn client_ip(ev: &Event) -> Option<&str> {
    present(&ev.client_ip)
}

/// The appliance that wrote the row (a firewall or a proxy), when it is not
/// the endpoint.
fn device(ev: &Event) -> Option<&str> {
    ev.net.as_ref().and_then(|n| present(&n.device))
}

fn hunts(v: &Verdict) -> String {
    v.hunts
        .iter()
        .map(|h| h.hunt.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first value a hunt matched (the IOC or artifact name).
fn matched(v: &Verdict) -> String {
    v.hunts
        .iter()
        .flat_map(|h| h.matched.iter())
        .map(|m| m.matched.clone())
        .next()
        .unwrap_or_default()
}

/// Each exclusion's outcome, `id=outcome` (`suppressed`, `did_not_apply`,
/// `not_evaluable`).
fn exclusions(v: &Verdict) -> String {
    v.exclusions
        .iter()
        .map(|x| format!("{}={}", x.exclusion, x.outcome.name()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn verdict_word(v: &Verdict) -> String {
    match &v.suppressed_by {
        None => "ALERT".to_owned(),
        Some(x) => format!("suppressed by {x}"),
    }
}

/// The CSV header, in column order (columns are added at the end, so a
/// column's position holds).
pub const CSV_HEADER: [&str; 22] = [
    "input",
    "position",
    "time",
    "host",
    "source",
    "subject",
    "verdict",
    "hunts",
    "matched",
    "threat_type",
    "malware_family",
    "confidence",
    "first_seen",
    "reference",
    "exclusions",
    "client_ip",
    "device",
    "user",
    "image",
    "command_line",
    "parent_image",
    "parent_command_line",
];

fn csv_record(h: &Hit) -> [String; 22] {
    let f = h.ioc.map(|i| &i.feed);
    let opt = |s: Option<&Option<String>>| s.and_then(Clone::clone).unwrap_or_default();
    let p = acting(h.event);
    let process = |field: fn(&Process) -> &Option<String>| {
        p.and_then(|p| present(field(p)))
            .unwrap_or_default()
            .to_owned()
    };
    [
        h.input.to_owned(),
        h.position.clone(),
        h.event.time.clone().unwrap_or_default(),
        h.event.host.clone().unwrap_or_default(),
        h.event.source.name().to_owned(),
        subject(h.event),
        verdict_word(h.verdict),
        hunts(h.verdict),
        matched(h.verdict),
        opt(f.map(|f| &f.threat_type)),
        opt(f.map(|f| &f.malware_family)),
        f.and_then(|f| f.confidence)
            .map(|c| c.to_string())
            .unwrap_or_default(),
        opt(f.map(|f| &f.first_seen)),
        opt(f.map(|f| &f.reference)),
        exclusions(h.verdict),
        client_ip(h.event).unwrap_or_default().to_owned(),
        device(h.event).unwrap_or_default().to_owned(),
        user(h.event).unwrap_or_default().to_owned(),
        process(|p| &p.image),
        process(|p| &p.command_line),
        process(|p| &p.parent_image),
        process(|p| &p.parent_command_line),
    ]
}

/// Write the header a format needs before its first hit.
pub fn write_header(out: &mut dyn Write, format: OutputFormat) -> io::Result<()> {
    match format {
        OutputFormat::Csv => writeln!(out, "{}", CSV_HEADER.join(",")),
        OutputFormat::Table | OutputFormat::Jsonl => Ok(()),
    }
}

/// Write one hit.
pub fn write_hit(out: &mut dyn Write, format: OutputFormat, h: &Hit) -> io::Result<()> {
    match format {
        OutputFormat::Jsonl => writeln!(out, "{}", to_json(h)?),
        OutputFormat::Csv => {
            let cells: Vec<String> = csv_record(h).iter().map(|c| csv_cell(c)).collect();
            writeln!(out, "{}", cells.join(","))
        }
        OutputFormat::Table => write_table(out, h),
    }
}

/// A hit as the table writes it: the row's line, then indented lines for the
/// matches, the context an analyst acts on, the exclusions and the join.
fn write_table(out: &mut dyn Write, h: &Hit) -> io::Result<()> {
    let ev = h.event;
    writeln!(
        out,
        "{}: {}  {}  {}  {} \"{}\"  {}  {}",
        esc(h.input),
        h.position,
        esc(ev.time.as_deref().unwrap_or("-")),
        esc(ev.host.as_deref().unwrap_or("-")),
        ev.source.name(),
        esc(&subject(ev)),
        verdict_word(h.verdict),
        hunts(h.verdict),
    )?;
    for hh in &h.verdict.hunts {
        for m in &hh.matched {
            let feed = h
                .ioc
                .filter(|i| i.value == m.matched)
                .map(describe_ioc)
                .unwrap_or_default();
            writeln!(
                out,
                "    {} {} {} {}{}",
                field_name(m.field),
                esc(&m.value),
                m.op,
                esc(&m.matched),
                esc(&feed)
            )?;
        }
    }
    write_context(out, ev)?;
    if !h.verdict.exclusions.is_empty() {
        writeln!(out, "    exclusions: {}", exclusions(h.verdict))?;
    }
    if h.joined == Some(false) {
        writeln!(
            out,
            "    note: the process's creation was not in the input; exclusions that need its parent or command line could not suppress"
        )?;
    }
    Ok(())
}

/// `    process: IMAGE "CMDLINE" (parent IMAGE "CMDLINE")`, `    user: U`,
/// `    client: IP`, `    device: D`: each where the row names it.
fn write_context(out: &mut dyn Write, ev: &Event) -> io::Result<()> {
    if let Some(p) = acting(ev) {
        let mut line = esc(present(&p.image).unwrap_or("-"));
        if let Some(c) = present(&p.command_line) {
            line.push_str(&format!(" \"{}\"", esc(c)));
        }
        let parent = match (present(&p.parent_image), present(&p.parent_command_line)) {
            (None, None) => None,
            (Some(i), None) => Some(esc(i)),
            (i, Some(c)) => Some(format!("{} \"{}\"", esc(i.unwrap_or("-")), esc(c))),
        };
        if let Some(parent) = parent {
            line.push_str(&format!(" (parent {parent})"));
        }
        writeln!(out, "    process: {line}")?;
    }
    let labelled = [
        ("user", user(ev)),
        ("client", client_ip(ev)),
        ("device", device(ev)),
    ];
    for (label, v) in labelled {
        if let Some(v) = v {
            writeln!(out, "    {label}: {}", esc(v))?;
        }
    }
    Ok(())
}

/// ` (botnet_cc, Nanocore RAT, confidence 75, first seen 2026-05-21)`.
fn describe_ioc(i: &FeedIoc) -> String {
    let f = &i.feed;
    let parts: Vec<String> = [
        f.threat_type.clone(),
        f.malware_family.clone(),
        f.confidence.map(|c| format!("confidence {c}")),
        f.first_seen.as_ref().map(|d| format!("first seen {d}")),
        f.reference.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// A hit as `--json` writes it (serialised straight from the verdict and the
/// feed entry: no JSON value is built).
#[derive(Serialize)]
struct HitJson<'a> {
    input: &'a str,
    position: &'a str,
    time: &'a Option<String>,
    host: &'a Option<String>,
    device: Option<&'a str>,
    client_ip: Option<&'a str>,
    user: Option<&'a str>,
    source: &'static str,
    subject: String,
    process: Option<ProcessJson<'a>>,
    alert: bool,
    hunts: Vec<&'a str>,
    suppressed_by: &'a Option<String>,
    matches: &'a [HuntHit],
    exclusions: &'a [ExclusionResult],
    process_joined: Option<bool>,
    ioc: Option<IocJson<'a>>,
}

/// The acting process: every key present, `null` where the row and the join
/// name none.
#[derive(Serialize)]
struct ProcessJson<'a> {
    image: Option<&'a str>,
    command_line: Option<&'a str>,
    parent_image: Option<&'a str>,
    parent_command_line: Option<&'a str>,
}

impl<'a> ProcessJson<'a> {
    fn of(p: &'a Process) -> Self {
        ProcessJson {
            image: present(&p.image),
            command_line: present(&p.command_line),
            parent_image: present(&p.parent_image),
            parent_command_line: present(&p.parent_command_line),
        }
    }
}

#[derive(Serialize)]
struct IocJson<'a> {
    value: &'a str,
    threat_type: &'a Option<String>,
    malware_family: &'a Option<String>,
    confidence: Option<u8>,
    first_seen: &'a Option<String>,
    last_seen: &'a Option<String>,
    reference: &'a Option<String>,
    tags: &'a [String],
    feed: &'a str,
    feed_line: Option<u64>,
}

fn to_json(h: &Hit) -> io::Result<String> {
    let ev = h.event;
    let v = h.verdict;
    let ioc = h.ioc.map(|i| {
        let f = &i.feed;
        IocJson {
            value: &i.value,
            threat_type: &f.threat_type,
            malware_family: &f.malware_family,
            confidence: f.confidence,
            first_seen: &f.first_seen,
            last_seen: &f.last_seen,
            reference: &f.reference,
            tags: &f.tags,
            feed: &i.origin,
            feed_line: i.at.line,
        }
    });
    let hit = HitJson {
        input: h.input,
        position: &h.position,
        time: &ev.time,
        host: &ev.host,
        device: device(ev),
        client_ip: client_ip(ev),
        user: user(ev),
        source: ev.source.name(),
        subject: subject(ev),
        process: acting(ev).map(ProcessJson::of),
        alert: v.alert,
        hunts: v.hunts.iter().map(|h| h.hunt.as_str()).collect(),
        suppressed_by: &v.suppressed_by,
        matches: &v.hunts,
        exclusions: &v.exclusions,
        process_joined: h.joined,
        ioc,
    };
    Ok(safe_json(
        serde_json::to_string(&hit).map_err(io::Error::other)?,
    ))
}
