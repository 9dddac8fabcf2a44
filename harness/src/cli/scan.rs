//! `huntlab scan`: run the tested hunts over exported telemetry (files, folders
//! or standard input; JSON Lines, CSV, EVTX, gzip) with the content's IOCs or
//! IOC feeds, and report every hit with its explanation.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::Context;
use detections::feed::FeedIoc;
use detections::key_index::KeyIndex;
use detections::pipeline::Pipeline;
use detections::Detection;

use super::content::ContentArg;
use super::limits::Limits;
use crate::escape::terminal as esc;
use crate::formats::{self, InputFormat, Options};
use crate::hits::{write_header, write_hit, Hit, OutputFormat};
use crate::scan::{JoinMode, Judgement, RowSink, Scanner, Tally, DEFAULT_PENDING};
use crate::scan_threaded::scan_each_input;

/// Arguments of `huntlab scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Telemetry files or folders (read recursively, in name order); `-` or
    /// nothing reads standard input. JSON Lines, CSV and EVTX, gzip-compressed or
    /// not, told apart by their content.
    #[arg(value_name = "FILE|DIR")]
    pub inputs: Vec<PathBuf>,
    /// The IOC feeds and how they are hunted.
    #[command(flatten)]
    pub feeds: super::feeds::FeedArgs,
    /// Read every input as this format instead of telling it from the content.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// How hits are written.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Short for `--output jsonl`.
    #[arg(long, conflicts_with = "output")]
    pub json: bool,
    /// Also write the hits an exclusion suppressed, with the exclusion.
    #[arg(long)]
    pub all: bool,
    /// Rows that could not be judged (rejected, or of a table no hunt reads
    /// carrying a hunted column) make the exit status 2 instead of 1.
    #[arg(long)]
    pub strict: bool,
    /// No row read at all is clean (exit 0). Without it an empty input is a
    /// warning and exit 1 (2 with --strict): an export that failed upstream
    /// must not look clean.
    #[arg(long)]
    pub allow_empty: bool,
    /// The most bytes a gzip input may decompress to.
    #[arg(long, value_name = "BYTES", default_value_t = formats::MAX_DECOMPRESSED)]
    pub max_decompressed: u64,
    /// The largest XML read: an EVTX record, or an `Event` row's `EventData`.
    #[arg(long, value_name = "BYTES", default_value_t = formats::MAX_XML)]
    pub max_xml: usize,
    /// Limits on one row.
    #[command(flatten)]
    pub limits: Limits,
    /// How many fired Sysmon rows may wait for their process creation (rows
    /// that come before it, as in newest-first exports).
    #[arg(long, value_name = "ROWS", default_value_t = DEFAULT_PENDING)]
    pub max_waiting: usize,
    /// The detection content: a built-in name (`seed`, `hardened`, `deployed`),
    /// a content file, or `none` (the generic feed content, hunting the --iocs
    /// feeds) [default: seed; with --iocs: none].
    #[arg(long, value_name = "NAME|FILE", value_parser = ContentArg::parse)]
    pub content: Option<ContentArg>,
    /// The shared-range lists indicators are flagged in.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
    /// Threads mapping lines to events: with 2 or more, one more thread reads
    /// the inputs and this one judges and reports, in input order (the output
    /// is the same as with 1, the default, where one thread does everything).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=8))]
    pub threads: Option<u32>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// The inputs named on the command line: files, every file under a folder (in
/// name order), or standard input; each with whether a folder's walk found it
/// (such a file that is plainly not telemetry is skipped, not an error).
fn expand_inputs(args: &[PathBuf]) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    if args.is_empty() {
        out.push((PathBuf::from("-"), false));
    }
    for a in args {
        if a.as_os_str() != "-" && a.is_dir() {
            let mut found = Vec::new();
            walk(a, &mut found)?;
            found.sort();
            if found.is_empty() {
                // An export folder with nothing in it (or nothing but files
                // skipped above): no row is read, which the summary warns of.
                crate::note!(
                    "huntlab: scan: no file to read in folder {}",
                    crate::escape::terminal(&a.display().to_string())
                );
            }
            out.extend(found.into_iter().map(|p| (p, true)));
        } else {
            out.push((a.clone(), false));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for e in entries {
        let p = e
            .with_context(|| format!("cannot list folder {}", dir.display()))?
            .path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if let Some(why) = not_telemetry_by_name(&p) {
            crate::note!(
                "huntlab: scan: skipped {} ({why}; name it to read it)",
                crate::escape::terminal(&p.display().to_string())
            );
        } else if p.file_name().is_some_and(|n| n == "labels.jsonl") {
            // `huntlab simulate` writes the ground truth beside the tables it
            // labels: not telemetry. Named on the command line, it is read.
            crate::note!(
                "huntlab: scan: skipped {} (huntlab simulate's labels, not telemetry; name it to read it)",
                crate::escape::terminal(&p.display().to_string())
            );
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Why a file found in a folder is plainly not telemetry by its name, if it
/// is: a licence, read-me or change log, a document, image or source file, a
/// hidden file. Named on the command line, it is read.
fn not_telemetry_by_name(p: &Path) -> Option<&'static str> {
    let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or("");
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    if name.starts_with('.') {
        return Some("a hidden file");
    }
    if [
        "license",
        "licence",
        "copying",
        "notice",
        "readme",
        "changelog",
        "authors",
    ]
    .contains(&stem)
    {
        return Some("a licence, read-me or change log, not telemetry");
    }
    let documents = [
        "md", "markdown", "rst", "html", "htm", "pdf", "png", "jpg", "jpeg", "gif", "svg", "toml",
        "yaml", "yml", "py", "sh", "ps1", "rs", "kql",
    ];
    documents
        .contains(&ext)
        .then_some("a document, image, rule or source file by its name, not telemetry")
}

/// The feed entry of each domain, found by its value (the value a hit matched).
/// The index is made at the first hit: a scan that finds nothing needs none.
struct FeedIocs<'a> {
    accepted: &'a [FeedIoc],
    index: OnceLock<KeyIndex>,
}

impl<'a> FeedIocs<'a> {
    fn new(accepted: &'a [FeedIoc]) -> Self {
        FeedIocs {
            accepted,
            index: OnceLock::new(),
        }
    }

    fn get(&self, value: &str) -> Option<&'a FeedIoc> {
        let accepted = self.accepted;
        self.index
            .get_or_init(|| KeyIndex::of_first(accepted.len(), |j| &accepted[j].value))
            .get(value, |j| &accepted[j].value)
            .map(|k| &accepted[k])
    }
}

/// How an input is named in hits and messages.
fn input_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    }
}

fn open_input(path: &Path) -> anyhow::Result<Box<dyn Read + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin()));
    }
    let f = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Box::new(f))
}

/// Run `huntlab scan`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let content = super::feeds::content_or_default(&args.content, &args.feeds);
    let (det, accepted) = super::feeds::load(&content, &args.feeds, Some(&args.ranges))?;
    let feed_iocs = FeedIocs::new(&accepted);
    let (inputs, walked): (Vec<PathBuf>, Vec<bool>) =
        expand_inputs(&args.inputs)?.into_iter().unzip();
    let output = if args.json {
        OutputFormat::Jsonl
    } else {
        args.output
    };
    let options = Options {
        format: args.input_format,
        max_decompressed: args.max_decompressed,
        max_record: args.limits.max_line,
        max_xml: args.max_xml,
        max_depth: args.limits.max_depth,
        max_field: args.limits.max_field,
        probe: crate::formats::Probe::of(&det),
    };
    let bar = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_message("scanning");
        b
    });
    let mut scanner = Scanner::new(Pipeline::new(&det), JoinMode::Wait(args.max_waiting));
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    write_header(&mut out, output)?;
    let names: Vec<String> = inputs.iter().map(|p| input_name(p)).collect();
    let streams = inputs.iter().map(|path| -> anyhow::Result<_> {
        let reader = open_input(path)?;
        Ok(formats::open(reader, &input_name(path), &options)?)
    });
    let threads = args.threads.map_or(1, |t| t as usize);
    let mut hits = Hits {
        det: &det,
        names: &names,
        feed_iocs: &feed_iocs,
        output,
        all: args.all,
        bar: bar.as_ref(),
        rows: 0,
        out: &mut out,
    };
    // Every input is read, whatever another's fate: each that cannot be
    // opened or read on is named after the scan, and makes the exit 2.
    let mut unreadable: Vec<(usize, String)> = Vec::new();
    let mut failed = |i: usize, e: anyhow::Error| -> anyhow::Result<()> {
        let not_telemetry = matches!(
            e.downcast_ref::<formats::FormatError>(),
            Some(formats::FormatError::NotTelemetry { .. })
        );
        if not_telemetry && walked.get(i) == Some(&true) {
            crate::note!(
                "huntlab: scan: skipped {}",
                crate::escape::terminal(&format!("{e:#}"))
            );
        } else {
            unreadable.push((i, format!("{e:#}")));
        }
        Ok(())
    };
    scan_each_input(&mut scanner, streams, threads, &mut hits, &mut failed)?;
    out.flush()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let t = scanner.tally();
    summarise(t, &names);
    // A scan is clean only when every row was judged and no alert stands: a
    // row that could not be judged may be the attack, so it is never a pass.
    let unjudged = t.rows_rejected + t.unread;
    if unjudged > 0 && t.alerts == 0 {
        crate::note!(
            "huntlab: scan: not clean: {unjudged} row(s) could not be judged (exit 1; --strict makes it 2)"
        );
    }
    for (_, why) in &unreadable {
        crate::note!(
            "huntlab: scan: error: cannot read {}",
            crate::escape::terminal(why)
        );
    }
    if !unreadable.is_empty() {
        crate::note!(
            "huntlab: scan: {} of {} input(s) could not be read (exit 2); every other input was read and its hits written",
            unreadable.len(),
            names.len()
        );
        drop(scanner);
        return Ok(ExitCode::from(2));
    }
    let empty = t.rows_read == 0 && !args.allow_empty;
    if empty {
        crate::note!(
            "huntlab: warning: scan: no row read: an export that failed upstream looks like this (exit {}; --allow-empty if an empty input is expected)",
            if args.strict { 2 } else { 1 }
        );
    }
    let code = if args.strict && (unjudged > 0 || empty) {
        ExitCode::from(2)
    } else if t.alerts > 0 || unjudged > 0 || empty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends after this: the content and the feed entries are left
    // to the operating system rather than freed one allocation at a time (a
    // 10^6-domain feed is millions of them, a tenth of the time it took to
    // load). The scanner, which grows with the input, is freed.
    drop(scanner);
    std::mem::forget(feed_iocs);
    std::mem::forget(accepted);
    std::mem::forget(det);
    Ok(code)
}

/// `scan`'s sink: each hit (a row where an alert stands, or with `--all`
/// where a hunt fired) written as it is settled, and the progress bar kept.
struct Hits<'a, W: Write> {
    det: &'a Detection,
    names: &'a [String],
    feed_iocs: &'a FeedIocs<'a>,
    output: OutputFormat,
    all: bool,
    bar: Option<&'a indicatif::ProgressBar>,
    /// Rows pushed so far (scored or rejected), for the progress bar.
    rows: u64,
    out: &'a mut W,
}

impl<W: Write> Hits<'_, W> {
    fn progress(&mut self) {
        self.rows += 1;
        if let Some(b) = self.bar {
            if self.rows.is_multiple_of(65_536) {
                b.set_message(format!("{} rows read", self.rows));
            }
        }
    }
}

impl<W: Write> RowSink for Hits<'_, W> {
    type Error = io::Error;

    fn row(&mut self, j: &Judgement) -> io::Result<()> {
        self.progress();
        let d = j.judged.decision;
        if !(d.alert || (self.all && d.fired != 0)) {
            return Ok(());
        }
        let verdict = self.det.verdict(&j.judged.event);
        let ioc = verdict
            .hunts
            .iter()
            .flat_map(|h| h.matched.iter())
            .find_map(|m| self.feed_iocs.get(&m.matched));
        let hit = Hit {
            input: &self.names[j.input],
            position: j.position.to_string(),
            event: &j.judged.event,
            verdict: &verdict,
            joined: j.joined,
            ioc,
        };
        write_hit(self.out, self.output, &hit)
    }

    fn rejected(&mut self, _r: &crate::scan::RejectedRow) -> io::Result<()> {
        self.progress();
        Ok(())
    }
}

fn summarise(t: &Tally, names: &[String]) {
    let sources: Vec<String> = t
        .by_source
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    crate::note!(
        "huntlab: scan: {} row(s) read = {} scored + {} rejected, and {} blank line(s); {} alert(s), {} suppressed hit(s), {} fired row(s) not joined to their process",
        t.rows_read, t.rows_scored, t.rows_rejected, t.blank, t.alerts, t.suppressed, t.unjoined
    );
    if !sources.is_empty() {
        crate::note!("huntlab: rows by source: {}", sources.join(", "));
    }
    for u in &t.unused {
        crate::note!(
            "huntlab: unused: {}: {}: after the last record, space the log preallocates (no rows): {}",
            esc(&names[u.input]),
            u.position,
            esc(&u.reason)
        );
    }
    if t.unread > 0 {
        crate::note!(
            "huntlab: warning: {} row(s) no hunt reads carry a value hunts look for (a column hunts read, or a value of a kind the content holds indicators of), and were not judged",
            t.unread
        );
    }
    for r in &t.rejected {
        crate::note!(
            "huntlab: rejected: {}: {}: {}",
            esc(&names[r.input]),
            r.position,
            esc(&r.reason)
        );
    }
    if t.rows_rejected > t.rejected.len() as u64 {
        crate::note!(
            "huntlab: rejected: ... and {} more",
            t.rows_rejected - t.rejected.len() as u64
        );
    }
    if t.possible_misses > 0 {
        crate::note!(
            "huntlab: scan: warning: {} possible miss(es): rejected row(s) too long to read that hold an indicator of the content (raise --max-line to judge them)",
            t.possible_misses
        );
    }
}
