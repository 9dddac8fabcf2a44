//! `huntlab iocs`: read IOC feeds and say which indicators the hunts would take
//! from them (counted by kind), which lie in shared infrastructure, and which
//! entries it leaves out and why.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use detections::feed::{self, Day, Feed, FeedIoc, Format, Location, Merged, Rejected};
use detections::ioc::IocKind;
use detections::ranges::{Ranges, Shared};
use serde_json::{json, Value};

use super::ranges::RangeArgs;
use crate::escape::{json_text, terminal as esc};

/// Arguments of `huntlab iocs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Feed files: ThreatFox CSV or JSON exports, STIX 2.1 bundles, MISP event
    /// JSON, or lists of one value per line; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// One JSON object (accepted, rejected, left_out_by_age, ...) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Read every file as this format instead of telling it from the content:
    /// threatfox-csv, threatfox-json, stix, misp or list.
    #[arg(long, value_name = "F", value_parser = |s: &str| s.parse::<Format>())]
    pub format: Option<Format>,
    /// Leave out indicators last seen (else first seen) more than DAYS days ago;
    /// indicators without a date are kept and counted.
    #[arg(long, value_name = "DAYS")]
    pub max_ioc_age: Option<u32>,
    /// Count ages from this day (YYYY-MM-DD, UTC) instead of today, so a run can
    /// be repeated.
    #[arg(long, value_name = "DATE", requires = "max_ioc_age", value_parser = parse_day)]
    pub as_of: Option<Day>,
    /// The shared-range lists indicators are flagged in.
    #[command(flatten)]
    pub ranges: RangeArgs,
}

/// How many of `iocs` there are of each kind, in [`IocKind::ALL`]'s order
/// (the kinds with none left out).
pub(crate) fn by_kind<'a>(iocs: impl IntoIterator<Item = &'a FeedIoc>) -> Vec<(IocKind, usize)> {
    let mut counts = [0usize; IocKind::ALL.len()];
    for i in iocs {
        counts[IocKind::ALL.iter().position(|k| *k == i.kind).unwrap_or(0)] += 1;
    }
    IocKind::ALL
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// `5 domain, 2 ip_port` (`none` for no indicator).
pub(crate) fn kinds_text(counts: &[(IocKind, usize)]) -> String {
    if counts.is_empty() {
        return "none".to_owned();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.name()))
        .collect();
    parts.join(", ")
}

pub(crate) fn parse_day(s: &str) -> Result<Day, String> {
    Day::parse(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

pub(crate) fn today() -> anyhow::Result<Day> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    Ok(Day::from_unix_seconds(i64::try_from(secs)?))
}

/// Read one feed file (`-` for standard input).
pub(crate) fn read_feed(path: &PathBuf, format: Option<Format>) -> anyhow::Result<Feed> {
    let (bytes, name) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .context("reading standard input")?;
        (buf, "<stdin>".to_owned())
    } else {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
        (bytes, name)
    };
    feed::parse_bytes(&bytes, &name, format).with_context(|| name.clone())
}

/// What the age filter did, for the output.
struct Aged {
    now: Day,
    max_days: u32,
    filter: feed::AgeFilter,
}

/// Run `huntlab iocs`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ranges = args.ranges.load()?;
    let mut feeds = args
        .files
        .iter()
        .map(|p| read_feed(p, args.format))
        .collect::<anyhow::Result<Vec<Feed>>>()?;
    // The accepted entries move into the merge; each feed's counts stay.
    let accepted: Vec<Vec<(IocKind, usize)>> = feeds.iter().map(|f| by_kind(&f.accepted)).collect();
    let lists: Vec<Vec<FeedIoc>> = feeds
        .iter_mut()
        .map(|f| std::mem::take(&mut f.accepted))
        .collect();
    let (merged, aged) = match args.max_ioc_age {
        None => (feed::merge(lists), None),
        Some(max_days) => {
            let now = match args.as_of {
                Some(d) => d,
                None => today()?,
            };
            let (merged, filter) = feed::merge_recent(lists, now, max_days);
            let aged = Aged {
                now,
                max_days,
                filter,
            };
            (merged, Some(aged))
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let run = Output {
        feeds: &feeds,
        accepted: &accepted,
        merged: &merged,
        aged: aged.as_ref(),
        ranges: &ranges,
        shared: &merged
            .accepted
            .iter()
            .map(|i| ranges.indicator(i.kind, &i.value))
            .collect::<Vec<_>>(),
    };
    if args.json {
        write_json(&mut out, &run)?;
    } else {
        write_text(&mut out, &run)?;
    }
    out.flush()?;
    summarise(&run);
    let rejected = feeds.iter().any(|f| !f.rejected.is_empty());
    Ok(if rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What the output is written from.
struct Output<'a> {
    feeds: &'a [Feed],
    /// Each feed's accepted entries, counted by kind.
    accepted: &'a [Vec<(IocKind, usize)>],
    merged: &'a Merged,
    aged: Option<&'a Aged>,
    ranges: &'a Ranges,
    /// Where each accepted indicator lies in shared infrastructure (by
    /// position in `merged.accepted`; empty for most).
    shared: &'a [Vec<Shared<'a>>],
}

impl Output<'_> {
    /// How many accepted indicators lie in shared infrastructure.
    fn shared_count(&self) -> usize {
        self.shared.iter().filter(|s| !s.is_empty()).count()
    }
}

fn accepted_json(i: &FeedIoc, shared: &[Shared]) -> Value {
    let f = &i.feed;
    let shared: Vec<Value> = shared
        .iter()
        .map(|s| json!({"provider": s.provider, "range": s.range}))
        .collect();
    json!({
        "value": i.value,
        "kind": i.kind.name(),
        "shared": shared,
        "type": f.ioc_type.as_deref().unwrap_or(i.kind.name()),
        "written": i.written,
        "changes": i.changes,
        "threat_type": f.threat_type,
        "malware_family": f.malware_family,
        "first_seen": f.first_seen,
        "last_seen": f.last_seen,
        "confidence": f.confidence,
        "reference": f.reference,
        "tags": f.tags,
        "id": f.id,
        "format": i.format.name(),
        "file": &*i.origin,
        "line": i.at.line,
        "path": i.at.path,
    })
}

fn rejected_json(file: &str, r: &Rejected) -> Value {
    json!({
        "file": file,
        "line": r.at.line,
        "path": r.at.path,
        "value": r.value,
        "reason": r.reason.to_string(),
        "code": r.reason.code(),
    })
}

/// Write the JSON object one entry at a time: a feed of a million domains is
/// never held as one JSON value (that took 7 GiB).
fn write_json(out: &mut dyn Write, run: &Output) -> io::Result<()> {
    out.write_all(b"{\"accepted\":[")?;
    for (k, (i, shared)) in run.merged.accepted.iter().zip(run.shared).enumerate() {
        if k > 0 {
            out.write_all(b",")?;
        }
        out.write_all(json_text(&accepted_json(i, shared)).as_bytes())?;
    }
    out.write_all(b"],\"rejected\":[")?;
    let rejected = run
        .feeds
        .iter()
        .flat_map(|f| f.rejected.iter().map(|r| rejected_json(&f.origin, r)));
    for (k, r) in rejected.enumerate() {
        if k > 0 {
            out.write_all(b",")?;
        }
        out.write_all(json_text(&r).as_bytes())?;
    }
    // The rest is small: written as one object, its opening brace left out.
    let rest = json_text(&to_json(run));
    writeln!(out, "],{}", &rest[1..])
}

/// `{"domain": 5, "ip_port": 2}`.
fn kinds_json(counts: &[(IocKind, usize)]) -> Value {
    let map: serde_json::Map<String, Value> = counts
        .iter()
        .map(|(k, n)| (k.name().to_owned(), json!(n)))
        .collect();
    Value::Object(map)
}

/// What follows the accepted and rejected entries.
fn to_json(run: &Output) -> Value {
    let (feeds, merged, aged) = (run.feeds, run.merged, run.aged);
    let notes: Vec<Value> = feeds
        .iter()
        .flat_map(|f| {
            f.notes.iter().map(|n| {
                json!({
                    "file": f.origin,
                    "line": n.at.as_ref().and_then(|a| a.line),
                    "path": n.at.as_ref().and_then(|a| a.path.clone()),
                    "message": n.message,
                })
            })
        })
        .collect();
    let files: Vec<Value> = feeds
        .iter()
        .zip(run.accepted)
        .map(|(f, accepted)| {
            json!({
                "file": f.origin,
                "format": f.format.name(),
                "accepted": accepted.iter().map(|(_, n)| n).sum::<usize>(),
                "kinds": kinds_json(accepted),
                "rejected": f.rejected.len(),
            })
        })
        .collect();
    let lists: Vec<Value> = run
        .ranges
        .lists()
        .iter()
        .map(|l| json!({"provider": l.name, "origin": l.origin, "title": l.title, "ranges": l.written}))
        .collect();
    json!({
        "kinds": kinds_json(&by_kind(&merged.accepted)),
        "shared": run.shared_count(),
        "range_lists": lists,
        "left_out_by_age": aged.map_or(0, |a| a.filter.left_out.len()),
        "undated": aged.map(|a| a.filter.undated),
        "as_of": aged.map(|a| a.now.to_string()),
        "duplicates_merged": merged.duplicates.len(),
        "files": files,
        "notes": notes,
    })
}

/// `file:12` or `file:/Event/Attribute/3`.
fn place(file: &str, at: &Location) -> String {
    esc(&format!("{file}:{}", at.compact()))
}

fn describe(i: &FeedIoc, shared: &[Shared]) -> String {
    let f = &i.feed;
    let mut parts: Vec<String> = Vec::new();
    if !shared.is_empty() {
        let shared: Vec<String> = shared.iter().map(ToString::to_string).collect();
        parts.push(format!("SHARED: {}", shared.join(", ")));
    }
    parts.extend(f.ioc_type.clone());
    parts.extend(f.threat_type.clone());
    parts.extend(f.malware_family.clone());
    parts.extend(f.confidence.map(|c| format!("confidence {c}")));
    parts.extend(f.first_seen.as_ref().map(|d| format!("first seen {d}")));
    parts.extend(f.last_seen.as_ref().map(|d| format!("last seen {d}")));
    if !i.changes.is_empty() {
        let changes: Vec<String> = i.changes.iter().map(ToString::to_string).collect();
        parts.push(format!("written \"{}\": {}", i.written, changes.join(", ")));
    }
    esc(&parts.join(", "))
}

fn write_text(out: &mut dyn Write, run: &Output) -> io::Result<()> {
    let (feeds, merged, aged) = (run.feeds, run.merged, run.aged);
    let left_out = aged.map_or(&[][..], |a| &a.filter.left_out[..]);
    let width = merged
        .accepted
        .iter()
        .chain(left_out)
        .map(|i| esc(&i.value).chars().count())
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "accepted: {} indicator(s): {}",
        merged.accepted.len(),
        kinds_text(&by_kind(&merged.accepted))
    )?;
    for (i, shared) in merged.accepted.iter().zip(run.shared) {
        let place = place(&i.origin, &i.at);
        let (kind, what) = (i.kind.name(), describe(i, shared));
        // A URL keeps its path as the feed wrote it: escaped for the terminal.
        let line = format!("  {:width$}  {kind:7}  {place}  {what}", esc(&i.value));
        writeln!(out, "{}", line.trim_end())?;
    }
    if let Some(a) = aged.filter(|a| !a.filter.left_out.is_empty()) {
        writeln!(
            out,
            "left out by age: {} (seen more than {} day(s) before {})",
            a.filter.left_out.len(),
            a.max_days,
            a.now
        )?;
        for i in &a.filter.left_out {
            let seen = i.seen().map_or_else(String::new, |d| d.to_string());
            writeln!(
                out,
                "  {:width$}  {}  seen {seen}",
                esc(&i.value),
                place(&i.origin, &i.at)
            )?;
        }
    }
    let rejected: usize = feeds.iter().map(|f| f.rejected.len()).sum();
    writeln!(
        out,
        "rejected: {rejected} entr{}",
        if rejected == 1 { "y" } else { "ies" }
    )?;
    for f in feeds {
        for r in &f.rejected {
            let (value, reason) = (esc(&r.value), esc(&r.reason.to_string()));
            writeln!(out, "{}: {value}: {reason}", place(&f.origin, &r.at))?;
        }
    }
    Ok(())
}

/// Per-file counts (`accepted`: each feed's), notes and the totals, on
/// standard error.
fn summarise(run: &Output) {
    let (feeds, merged, aged) = (run.feeds, run.merged, run.aged);
    for (f, accepted) in feeds.iter().zip(run.accepted) {
        for n in &f.notes {
            let at =
                n.at.as_ref()
                    .map_or_else(|| esc(&f.origin), |a| place(&f.origin, a));
            crate::note!("huntlab: note: {at}: {}", esc(&n.message));
        }
        crate::note!(
            "huntlab: {} ({}): {} accepted ({}), {} rejected",
            esc(&f.origin),
            f.format.label(),
            accepted.iter().map(|(_, n)| n).sum::<usize>(),
            kinds_text(accepted),
            f.rejected.len()
        );
        if accepted.is_empty() {
            crate::note!(
                "huntlab: warning: {}: no indicator for a hunt in this feed",
                esc(&f.origin)
            );
        }
    }
    let rejected: usize = feeds.iter().map(|f| f.rejected.len()).sum();
    let mut total = format!(
        "huntlab: {} file(s): {} indicator(s) accepted ({}), {rejected} rejected, {} duplicate(s) across files merged (first kept)",
        feeds.len(),
        merged.accepted.len(),
        kinds_text(&by_kind(&merged.accepted)),
        merged.duplicates.len()
    );
    if let Some(a) = aged {
        total.push_str(&format!(
            ", {} left out by age (more than {} day(s) before {}), {} without a date kept",
            a.filter.left_out.len(),
            a.max_days,
            a.now,
            a.filter.undated
        ));
    }
    crate::note!("{total}");
    let shared = run.shared_count();
    if shared > 0 {
        crate::note!(
            "huntlab: note: {shared} indicator(s) lie in shared infrastructure (marked SHARED): a hunt on the bare address alerts on every site sharing it"
        );
    }
}
