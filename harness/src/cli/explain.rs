//! `huntlab explain`: why the detection did or did not alert, line by line.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use detections::content::{field_name, HuntHit, Match, Outcome, Verdict};
use detections::enrich::Joined;
use detections::pipeline::Pipeline;
use detections::{Detection, Event};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::json;

use super::content::ContentArg;
use super::limits::Limits;
use crate::escape::{json_text, safe_json, terminal as esc};
use crate::formats::{self, Options, Position, RowStream};
use crate::scan::{JoinMode, Judgement, RejectedRow, RowSink, Scanner, Tally};
use crate::scan_threaded::scan_inputs;

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
    /// The detection content: a built-in name (`seed`, `hardened`, ...), a content
    /// file (loaded, and its examples checked, before any event is read), or
    /// `none` (the generic feed content, hunting the --iocs feeds) [default:
    /// seed; with --iocs: none].
    #[arg(long, value_name = "NAME|FILE", value_parser = ContentArg::parse)]
    pub content: Option<ContentArg>,
    /// The IOC feeds and how they are hunted, as `scan` takes them.
    #[command(flatten)]
    pub feeds: super::feeds::FeedArgs,
    /// The shared-range lists indicators are flagged in.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
    /// Limits on one line.
    #[command(flatten)]
    pub limits: Limits,
    /// No row read at all is clean (exit 0). Without it an empty input is a
    /// warning and exit 1: an export that failed upstream must not look clean.
    #[arg(long)]
    pub allow_empty: bool,
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

/// What one run of `explain` counted: the loop's tally, and the first row of
/// a table no hunt reads that carries a hunted column (where, and the column).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Explained {
    /// The loop's counts.
    pub tally: Tally,
    /// The first unread row: where, and the hunted column.
    pub first_unread: Option<(Position, String)>,
}

/// The readers' options for `explain`'s limits: the format told from the
/// content, as `scan` does.
fn options(limits: Limits, det: &Detection) -> Options {
    Options {
        max_record: limits.max_line,
        max_depth: limits.max_depth,
        max_field: limits.max_field,
        probe: crate::formats::Probe::of(det),
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
    fn open(p: &Path) -> anyhow::Result<Self> {
        let meta = std::fs::metadata(p).with_context(|| format!("cannot open {}", p.display()))?;
        if meta.is_file() {
            return Ok(Input::File(p.to_path_buf()));
        }
        let mut src = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
        let mut tmp = tempfile::NamedTempFile::new()
            .context("cannot create a temporary file to read the input twice")?;
        io::copy(&mut src, tmp.as_file_mut())
            .with_context(|| format!("reading {} into a temporary file", p.display()))?;
        Ok(Input::Copy(tmp, p.to_path_buf()))
    }

    fn reader(&self) -> anyhow::Result<File> {
        let (path, shown) = match self {
            Input::File(p) => (p.as_path(), p),
            Input::Copy(t, p) => (t.path(), p),
        };
        File::open(path).with_context(|| format!("cannot open {}", shown.display()))
    }
}

/// Explain every row of the file at `path` (`None` or `-`: standard input)
/// into `out`, read as `scan` reads it (the format told from the content)
/// through the one reading loop. A file is read twice, first for what teaches
/// the join ([`JoinMode::PrimeFirst`]), so rows join in any order; standard
/// input is read once, each row judged as it comes.
pub fn explain_path<W: Write>(
    det: &Detection,
    path: Option<&Path>,
    style: Style,
    out: &mut W,
) -> anyhow::Result<Explained> {
    let options = options(style.limits, det);
    match path.filter(|p| p.as_os_str() != "-") {
        Some(p) => {
            let input = Input::open(p)?;
            let name = p.display().to_string();
            let inputs = std::iter::once(()).map(|()| -> anyhow::Result<RowStream> {
                Ok(formats::open(input.reader()?, &name, &options)?)
            });
            explain(det, inputs, &name, JoinMode::PrimeFirst, style, out)
        }
        None => {
            let name = "<stdin>";
            let inputs = std::iter::once(()).map(|()| -> anyhow::Result<RowStream> {
                Ok(formats::open(io::stdin(), name, &options)?)
            });
            explain(det, inputs, name, JoinMode::Wait(0), style, out)
        }
    }
}

/// Explain every row of `inputs` (one input, named `name`) into `out`,
/// joined as `mode` says.
fn explain<I, W: Write>(
    det: &Detection,
    inputs: I,
    name: &str,
    mode: JoinMode,
    style: Style,
    out: &mut W,
) -> anyhow::Result<Explained>
where
    I: IntoIterator<Item = anyhow::Result<RowStream>> + Clone,
    I::IntoIter: Send,
{
    let mut scanner = Scanner::new(Pipeline::new(det), mode);
    let mut sink = Explainer {
        det,
        name,
        style,
        first_unread: None,
        out,
        buf: Vec::new(),
    };
    scan_inputs(&mut scanner, inputs, 1, &mut sink)?;
    Ok(Explained {
        first_unread: sink.first_unread,
        tally: scanner.tally().clone(),
    })
}

/// Run `huntlab explain`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let content = super::feeds::content_or_default(&args.content, &args.feeds);
    let (det, _) = super::feeds::load(&content, &args.feeds, Some(&args.ranges))?;
    let file = args.file.as_deref().filter(|p| p.as_os_str() != "-");
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
    let explained = explain_path(&det, file, style, &mut out)?;
    out.flush()?;
    let name = file.map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let name = esc(&name);
    let t = &explained.tally;
    crate::note!(
        "huntlab: {name}: {} line(s): {} alert(s), {} suppressed, {} with no hunt firing, {} rejected, {} blank",
        t.rows_read + t.blank, t.alerts, t.suppressed, t.quiet, t.rows_rejected, t.blank
    );
    if t.possible_misses > 0 {
        crate::note!(
            "huntlab: {name}: warning: {} possible miss(es): rejected line(s) too long to read that hold an indicator of the content (raise --max-line to judge them)",
            t.possible_misses
        );
    }
    if !t.unused.is_empty() {
        crate::note!(
            "huntlab: {name}: {} unused EVTX chunk(s) after the last record (space the log preallocates; no rows)",
            t.unused.len()
        );
    }
    let unjoined = t.unjoined - t.no_process_key;
    if unjoined > 0 {
        crate::note!(
            "huntlab: {name}: {unjoined} Sysmon DNS or file row(s) name a process whose creation (event 1) was not seen{}; exclusions that need its parent or command line could not suppress them",
            if file.is_some() {
                ""
            } else {
                " before them (standard input is read once: give it oldest first, or pass a file)"
            }
        );
    }
    if t.no_process_key > 0 {
        crate::note!(
            "huntlab: {name}: {} Sysmon DNS or file row(s) a hunt fired on carry no ProcessGuid, so they cannot be joined to their process; exclusions that need its parent or command line could not suppress them",
            t.no_process_key
        );
    }
    if let Some((line, what)) = &explained.first_unread {
        crate::note!(
            "huntlab: warning: {name}: {} row(s) no hunt reads carry a value hunts look for, and were not judged (first: {line}, {}); map the table to one huntlab reads, or hunt its rows",
            t.unread,
            esc(what)
        );
    }
    let empty = t.rows_read == 0 && !args.allow_empty;
    if empty {
        crate::note!(
            "huntlab: warning: {name}: no row read: an export that failed upstream looks like this (exit 1; --allow-empty if an empty input is expected)"
        );
    }
    // A row not judged (rejected, or carrying a value no hunt reads) is not
    // clean, as in `scan`; nor is no row at all.
    Ok(if t.rows_rejected + t.unread > 0 || empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `explain`'s sink: every row the loop settles, explained as text or JSON
/// (filtered by [`Show`]); rejected rows and unused space as they come.
struct Explainer<'a, W: Write> {
    det: &'a Detection,
    name: &'a str,
    style: Style,
    /// The first unread row: where, and the hunted column.
    first_unread: Option<(Position, String)>,
    out: &'a mut W,
    /// The JSON line being written, reused from row to row.
    buf: Vec<u8>,
}

impl<W: Write> RowSink for Explainer<'_, W> {
    type Error = io::Error;

    fn rejected(&mut self, r: &RejectedRow) -> io::Result<()> {
        let json = self.style.json;
        if json {
            if let Some(indicator) = &r.indicator {
                let (key, at) = where_json(r.position);
                let obj = json!({ key: at, "error": r.reason, "possible_miss": true, "indicator": indicator });
                return writeln!(self.out, "{}", json_text(&obj));
            }
        }
        write_error(self.out, json, self.name, r.position, &r.reason)
    }

    fn unused(&mut self, u: &RejectedRow) -> io::Result<()> {
        if self.style.json {
            return Ok(());
        }
        let why = esc(&u.reason);
        writeln!(
            self.out,
            "{}: unused space after the last record ({why})",
            u.position
        )
    }

    fn row(&mut self, j: &Judgement) -> io::Result<()> {
        let n = j.position;
        let ev = &j.judged.event;
        // The explained walk is the decision's with a sink that keeps why: a
        // row no hunt fired on has nothing to explain.
        let v = if j.judged.decision.fired == 0 {
            Verdict {
                hunts: Vec::new(),
                exclusions: Vec::new(),
                suppressed_by: None,
                alert: false,
            }
        } else {
            self.det.verdict(ev)
        };
        let fired = !v.hunts.is_empty();
        let warning = ev.unread_column.map(|c| {
            let what = format!("`{c}` on a row no hunt reads");
            if self.first_unread.is_none() {
                self.first_unread = Some((n, what.clone()));
            }
            what
        });
        let shown = match self.style.show {
            Show::All => true,
            Show::Alerts => v.alert,
            Show::Fired => fired,
        };
        if !shown {
            return Ok(());
        }
        let out = &mut *self.out;
        if self.style.json {
            let line = RowJson {
                at: where_json(n),
                source: ev.source.name(),
                verdict: &v,
                process_joined: j.joined,
                warning: warning.as_deref(),
            };
            return write_json_line(out, &mut self.buf, &line);
        }
        write_text(out, n, ev, &v)?;
        // The join matters only where a hunt fired: only there can a missing
        // parent or command line change the outcome.
        if j.joined == Some(false) && fired {
            let why = match j.judged.joined {
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
        Ok(())
    }
}

/// One explained row as `explain --json` writes it: where it is, its source,
/// the verdict and the join, in that order of keys.
struct RowJson<'a> {
    at: (&'static str, u64),
    source: &'a str,
    verdict: &'a Verdict,
    process_joined: Option<bool>,
    warning: Option<&'a str>,
}

impl Serialize for RowJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        /// The names of the hunts that fired, as a list.
        struct Names<'a>(&'a [HuntHit]);
        impl Serialize for Names<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|h| h.hunt.as_str()))
            }
        }
        let v = self.verdict;
        let mut m = s.serialize_map(Some(9))?;
        m.serialize_entry(self.at.0, &self.at.1)?;
        m.serialize_entry("source", self.source)?;
        m.serialize_entry("alert", &v.alert)?;
        m.serialize_entry("hunts", &Names(&v.hunts))?;
        m.serialize_entry("suppressed_by", &v.suppressed_by)?;
        m.serialize_entry("matches", &v.hunts)?;
        m.serialize_entry("exclusions", &v.exclusions)?;
        m.serialize_entry("process_joined", &self.process_joined)?;
        m.serialize_entry("warning", &self.warning)?;
        m.end()
    }
}

/// `value` as one line of JSON safe for a terminal ([`safe_json`]), written
/// through `buf`, reused from row to row.
fn write_json_line<W: Write + ?Sized>(
    out: &mut W,
    buf: &mut Vec<u8>,
    value: &impl Serialize,
) -> io::Result<()> {
    buf.clear();
    serde_json::to_writer(&mut *buf, value).map_err(io::Error::other)?;
    if memchr::memchr2(0xC2, 0xE2, buf).is_some() {
        let text = String::from_utf8(std::mem::take(buf)).map_err(io::Error::other)?;
        let safe = safe_json(text);
        out.write_all(safe.as_bytes())?;
    } else {
        out.write_all(buf)?;
    }
    out.write_all(b"\n")
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
    let what = match ev.subject() {
        Some(s) => format!("{} {}", s.label(), quoted(s.value().unwrap_or("?"))),
        None => "no hunted field".into(),
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
    } else if v.hunts.is_empty() && ev.unread_column.is_some() {
        "not judged: no hunt reads it".to_owned()
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
        // The outcome's name in words (`did not apply`), and why.
        let name = x.outcome.name().replace('_', " ");
        let detail = match &x.outcome {
            Outcome::Suppressed { because } => format!("{name}: {}", matches_text(because)),
            Outcome::DidNotApply => name,
            Outcome::NotEvaluable => {
                format!("{name}: {} rows carry no process", ev.source.name())
            }
        };
        writeln!(out, "  exclusion {}: {detail}", x.exclusion)?;
    }
    Ok(())
}
