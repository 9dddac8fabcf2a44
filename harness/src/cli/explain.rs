//! `huntlab explain`: why the detection did or did not alert, line by line.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use detections::content::{field_name, Match, Outcome, Verdict};
use detections::enrich::Joined;
use detections::pipeline::Pipeline;
use detections::Event;
use serde_json::json;

use super::content::ContentArg;
use super::limits::Limits;
use crate::escape::{json_text, terminal as esc};
use crate::formats::{self, FormatError, Item, ItemKind, Options, Position};

/// Arguments of `huntlab explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// File of events, read as `scan` reads it (JSON Lines, CSV, EVTX, Sentinel
    /// `Event` rows, gzip; DnsEvents rows, Sysmon 1/11/22, Defender
    /// DeviceProcessEvents / DeviceFileEvents / DeviceEvents, ASIM DNS, and
    /// custom `_CL` tables of these); `-` or nothing reads standard input once. A
    /// file is read twice, first for Sysmon process creations, so DNS and file
    /// rows are joined to them in any row order; a pipe, FIFO or `/dev/stdin` is
    /// first copied to a temporary file.
    pub file: Option<PathBuf>,
    /// One JSON object per input line instead of text.
    #[arg(long)]
    pub json: bool,
    /// Show only the rows where an alert stands (rejected lines are still shown).
    #[arg(long, conflicts_with = "fired")]
    pub alerts: bool,
    /// Show only the rows where a hunt fired, suppressed or not (rejected lines
    /// are still shown).
    #[arg(long)]
    pub fired: bool,
    /// The detection content: a built-in name (`seed`, `hardened`, ...) or a content
    /// file (loaded, and its examples checked, before any event is read).
    #[arg(long, value_name = "NAME|FILE", default_value = "seed", value_parser = ContentArg::parse)]
    pub content: ContentArg,
    /// Limits on one line.
    #[command(flatten)]
    pub limits: Limits,
}

/// Which judged rows `explain` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Show {
    /// Every line.
    #[default]
    All,
    /// Rows where an alert stands.
    Alerts,
    /// Rows where a hunt fired.
    Fired,
}

/// How `explain` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// One JSON object per line instead of text.
    pub json: bool,
    /// Which rows.
    pub show: Show,
    /// Limits on one line.
    pub limits: Limits,
}

/// Counts over one run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Lines read.
    pub lines: u64,
    /// Lines that alerted.
    pub alerts: u64,
    /// Lines a hunt fired on that exclusions suppressed.
    pub suppressed: u64,
    /// Lines read with no hunt firing.
    pub quiet: u64,
    /// Lines that could not be read.
    pub errors: u64,
    /// Blank lines.
    pub blank: u64,
    /// Unused space read (an EVTX log's preallocated chunks after its last
    /// record): not rows, not counted in `lines`.
    pub unused: u64,
    /// Sysmon DNS / file rows a hunt fired on whose process creation (event 1)
    /// was not in the input.
    pub unjoined: u64,
    /// Sysmon DNS / file rows a hunt fired on that carry no `ProcessGuid`.
    pub no_guid: u64,
    /// Rows of tables no hunt reads that carry a column hunts read.
    pub unread: u64,
    /// The first such row: where, and the hunted column.
    pub first_unread: Option<(Position, String)>,
}

/// Remember every Sysmon process creation in `reader` in `pipeline`, so that a
/// second pass joins DNS and file rows to their process whatever the row order
/// (exports are often newest first). Lines that do not read are left for the
/// second pass to report.
pub fn prime(
    pipeline: &mut Pipeline<'_>,
    reader: impl Read + Send + 'static,
    name: &str,
    limits: Limits,
) -> Result<(), FormatError> {
    for item in formats::open(reader, name, &options(limits))? {
        match item?.kind {
            ItemKind::Line(text) => pipeline.remember_line(&text),
            ItemKind::Row(row) => pipeline.remember(&row),
            ItemKind::Blank | ItemKind::Rejected(_) | ItemKind::Unused(_) => {}
        }
    }
    Ok(())
}

/// The readers' options for `explain`'s limits: the format told from the
/// content, as `scan` does.
fn options(limits: Limits) -> Options {
    Options {
        max_record: limits.max_line,
        max_depth: limits.max_depth,
        max_field: limits.max_field,
        ..Options::default()
    }
}

/// An input that can be read twice: the file itself, or a copy of a pipe, a FIFO
/// or a device in a temporary file (removed when dropped).
enum Input {
    File(PathBuf),
    Copy(tempfile::NamedTempFile, PathBuf),
}

impl Input {
    fn open(p: &PathBuf) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(p).with_context(|| format!("cannot open {}", p.display()))?;
        if meta.is_file() {
            return Ok(Input::File(p.clone()));
        }
        let mut src = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
        let mut tmp = tempfile::NamedTempFile::new()
            .context("cannot create a temporary file to read the input twice")?;
        io::copy(&mut src, tmp.as_file_mut())
            .with_context(|| format!("reading {} into a temporary file", p.display()))?;
        Ok(Input::Copy(tmp, p.clone()))
    }

    fn reader(&self) -> anyhow::Result<File> {
        let (path, shown) = match self {
            Input::File(p) => (p.as_path(), p),
            Input::Copy(t, p) => (t.path(), p),
        };
        File::open(path).with_context(|| format!("cannot open {}", shown.display()))
    }
}

/// Run `huntlab explain`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let det = args.content.load()?;
    let mut pipeline = Pipeline::new(&det);
    let file = args.file.as_ref().filter(|p| p.as_os_str() != "-");
    let input = file.map(Input::open).transpose()?;
    let (reader, name): (Box<dyn Read + Send>, String) = match (&input, file) {
        (Some(input), Some(p)) => {
            let name = p.display().to_string();
            prime(&mut pipeline, input.reader()?, &name, args.limits)?;
            (Box::new(input.reader()?), name)
        }
        _ => (Box::new(io::stdin()), "<stdin>".into()),
    };
    let style = Style {
        json: args.json,
        show: if args.alerts {
            Show::Alerts
        } else if args.fired {
            Show::Fired
        } else {
            Show::All
        },
        limits: args.limits,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let tally = explain(&mut pipeline, reader, &name, style, &mut out)?;
    out.flush()?;
    let name = esc(&name);
    eprintln!(
        "huntlab: {name}: {} line(s): {} alert(s), {} suppressed, {} with no hunt firing, {} rejected, {} blank",
        tally.lines, tally.alerts, tally.suppressed, tally.quiet, tally.errors, tally.blank
    );
    if tally.unused > 0 {
        eprintln!(
            "huntlab: {name}: {} unused EVTX chunk(s) after the last record (space the log preallocates; no rows)",
            tally.unused
        );
    }
    if tally.unjoined > 0 {
        eprintln!(
            "huntlab: {name}: {} Sysmon DNS or file row(s) name a process whose creation (event 1) was not seen{}; exclusions that need its parent or command line could not suppress them",
            tally.unjoined,
            if file.is_some() {
                ""
            } else {
                " before them (standard input is read once: give it oldest first, or pass a file)"
            }
        );
    }
    if tally.no_guid > 0 {
        eprintln!(
            "huntlab: {name}: {} Sysmon DNS or file row(s) a hunt fired on carry no ProcessGuid, so they cannot be joined to their process; exclusions that need its parent or command line could not suppress them",
            tally.no_guid
        );
    }
    if let Some((line, what)) = &tally.first_unread {
        eprintln!(
            "huntlab: warning: {name}: {} row(s) of tables no hunt reads carry a column hunts read, and were not judged (first: {line}, {}); map the table to one huntlab reads",
            tally.unread,
            esc(what)
        );
    }
    Ok(if tally.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Explain every row of `reader` into `out`, read as `scan` reads it (the
/// format told from the content) and judged through `pipeline` (its join
/// empty, or primed by [`prime`]). Returns the counts.
pub fn explain(
    pipeline: &mut Pipeline<'_>,
    reader: impl Read + Send + 'static,
    name: &str,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<Tally> {
    let mut t = Tally::default();
    for item in formats::open(reader, name, &options(style.limits))? {
        let Item { position: n, kind } = item?;
        t.lines += u64::from(!matches!(kind, ItemKind::Unused(_)));
        let judged = match kind {
            ItemKind::Blank => {
                t.blank += 1;
                continue;
            }
            ItemKind::Unused(why) => {
                t.unused += 1;
                if !style.json {
                    writeln!(
                        out,
                        "{n}: unused space after the last record ({})",
                        esc(&why)
                    )?;
                }
                continue;
            }
            ItemKind::Rejected(r) => {
                t.errors += 1;
                write_error(out, style.json, name, n, &r.to_string())?;
                continue;
            }
            ItemKind::Line(text) => pipeline.judge_line(&text),
            ItemKind::Row(row) => pipeline.judge(&row),
        };
        let judged = match judged {
            Ok(j) => j,
            Err(e) => {
                t.errors += 1;
                write_error(out, style.json, name, n, &e.to_string())?;
                continue;
            }
        };
        let ev = &judged.event;
        let v = pipeline.explain(&judged);
        let fired = !v.hunts.is_empty();
        if v.alert {
            t.alerts += 1;
        } else if fired {
            t.suppressed += 1;
        } else {
            t.quiet += 1;
        }
        let sysmon = matches!(
            ev.source,
            detections::Source::SysmonDnsQuery | detections::Source::SysmonFileCreate
        );
        // The join matters only where a hunt fired: only there can a missing
        // parent or command line change the outcome.
        let unjoined = sysmon && judged.joined.is_unjoined();
        if unjoined && fired {
            match judged.joined {
                Joined::NoKey => t.no_guid += 1,
                _ => t.unjoined += 1,
            }
        }
        let warning = ev.unread_column.map(|c| {
            t.unread += 1;
            let what = format!("column `{c}` on a row of a table no hunt reads");
            if t.first_unread.is_none() {
                t.first_unread = Some((n, what.clone()));
            }
            what
        });
        let shown = match style.show {
            Show::All => true,
            Show::Alerts => v.alert,
            Show::Fired => fired,
        };
        if !shown {
            continue;
        }
        if style.json {
            let (key, at) = where_json(n);
            let obj = json!({
                key: at,
                "source": ev.source.name(),
                "alert": v.alert,
                "hunts": v.hunts.iter().map(|h| h.hunt.as_str()).collect::<Vec<_>>(),
                "suppressed_by": v.suppressed_by,
                "matches": v.hunts,
                "exclusions": v.exclusions,
                "process_joined": if sysmon { Some(!unjoined) } else { None },
                "warning": warning,
            });
            writeln!(out, "{}", json_text(&obj))?;
        } else {
            write_text(out, n, ev, &v)?;
            if unjoined && fired {
                let why = match judged.joined {
                    Joined::NoKey => "the row carries no ProcessGuid, so it cannot be joined to its process creation (Sysmon event 1)",
                    _ => "this process's creation (Sysmon event 1) was not seen",
                };
                writeln!(
                    out,
                    "  note: {why}; its parent and command line are unknown"
                )?;
            }
            if let Some(w) = &warning {
                writeln!(out, "  warning: {w}: not judged")?;
            }
        }
    }
    Ok(t)
}

/// Where a row is, as a JSON key and number: `line` (JSON Lines, CSV),
/// `record` (an EVTX record id) or `chunk` (an EVTX chunk).
fn where_json(p: Position) -> (&'static str, u64) {
    match p {
        Position::Line(n) => ("line", n),
        Position::Record(n) => ("record", n),
        Position::Chunk(n) => ("chunk", n),
    }
}

fn write_error(
    out: &mut dyn Write,
    json_out: bool,
    name: &str,
    n: Position,
    reason: &str,
) -> io::Result<()> {
    if json_out {
        let (key, at) = where_json(n);
        writeln!(out, "{}", json_text(&json!({ key: at, "error": reason })))
    } else {
        writeln!(out, "{n}: error in {}: {}", esc(name), esc(reason))
    }
}

/// A value as it is, quoted and escaped for the terminal (not for Rust: a
/// Windows path keeps single backslashes).
fn quoted(s: &str) -> String {
    format!("\"{}\"", esc(s))
}

fn describe(ev: &Event) -> String {
    let what = match (&ev.query_name, &ev.target_path, &ev.process) {
        (Some(q), _, _) => format!("query {}", quoted(q)),
        (None, Some(f), _) => format!("file {}", quoted(f)),
        (None, None, Some(p)) => format!("process {}", quoted(p.image.as_deref().unwrap_or("?"))),
        _ => "no hunted field".into(),
    };
    format!("{}, {what}", ev.source.name())
}

fn matches_text(ms: &[Match]) -> String {
    ms.iter()
        .map(|m| {
            format!(
                "{} {} {} {}",
                field_name(m.field),
                quoted(&m.value),
                m.op,
                quoted(&m.matched)
            )
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn write_text(out: &mut dyn Write, n: Position, ev: &Event, v: &Verdict) -> io::Result<()> {
    let head = if v.alert {
        "ALERT".to_owned()
    } else if v.hunts.is_empty() {
        "no alert: no hunt fired".to_owned()
    } else {
        format!(
            "no alert: suppressed by {}",
            v.suppressed_by.as_deref().unwrap_or("?")
        )
    };
    writeln!(out, "{n}: {head} ({})", describe(ev))?;
    for h in &v.hunts {
        writeln!(out, "  hunt {} fired: {}", h.hunt, matches_text(&h.matched))?;
    }
    for x in &v.exclusions {
        let detail = match &x.outcome {
            Outcome::Suppressed { because } => format!("suppressed: {}", matches_text(because)),
            Outcome::DidNotApply => "did not apply".to_owned(),
            Outcome::NotEvaluable => {
                format!("not evaluable: {} rows carry no process", ev.source.name())
            }
        };
        writeln!(out, "  exclusion {}: {detail}", x.exclusion)?;
    }
    Ok(())
}
