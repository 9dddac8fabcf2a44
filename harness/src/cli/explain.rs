//! `huntlab explain`: why the detection did or did not alert, line by line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use detections::content::{Outcome, Verdict};
use detections::enrich::Joined;
use detections::pipeline::Pipeline;
use detections::{Detection, Event};
use serde_json::json;

use crate::escape::terminal as esc;
use crate::input::{Line, Lines};

/// Arguments of `huntlab explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines file of events (DnsEvents rows, Sysmon 1/11/22, Defender
    /// DeviceProcessEvents / DeviceFileEvents / DeviceEvents, ASIM DNS); `-` or
    /// nothing reads standard input. A file is read twice: first for Sysmon process
    /// creations, so DNS and file rows are joined to them in any row order.
    pub file: Option<PathBuf>,
    /// One JSON object per input line instead of text.
    #[arg(long)]
    pub json: bool,
    /// A detection content file to use instead of the built-in NanoCore content
    /// (loaded, and its examples checked, before any event is read).
    #[arg(long, value_name = "TOML")]
    pub content: Option<PathBuf>,
}

/// Load the content named on the command line, or the built-in one.
pub fn load_content(path: Option<&PathBuf>) -> anyhow::Result<Detection> {
    match path {
        None => Ok(detections::builtin(detections::Engine::Fast)),
        Some(p) => {
            let src = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read content file {}", p.display()))?;
            let det = detections::load(&src, &p.display().to_string(), detections::Engine::Fast)?;
            let failures = det.check_examples();
            if !failures.is_empty() {
                let list: Vec<String> = failures.iter().map(|f| format!("  {f}")).collect();
                anyhow::bail!(
                    "{}: {} example(s) of the content do not behave as they say:\n{}",
                    p.display(),
                    failures.len(),
                    list.join("\n")
                );
            }
            for n in &det.notes {
                let changes: Vec<String> = n.changes.iter().map(ToString::to_string).collect();
                eprintln!(
                    "huntlab: note: {}: line {}: IOC {:?} loaded as {:?} ({})",
                    p.display(),
                    n.line,
                    n.written,
                    n.loaded,
                    changes.join(", ")
                );
            }
            Ok(det)
        }
    }
}

/// Counts over one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
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
    /// Sysmon DNS / file rows whose process creation (event 1) was not in the input.
    pub unjoined: u64,
}

/// Remember every Sysmon process creation in `reader` in `pipeline`, so that a
/// second pass joins DNS and file rows to their process whatever the row order
/// (exports are often newest first). Lines that do not read are left for the
/// second pass to report.
pub fn prime(pipeline: &mut Pipeline<'_>, reader: impl BufRead) -> io::Result<()> {
    for item in Lines::new(reader) {
        if let (_, Line::Text(text)) = item? {
            pipeline.remember_line(&text);
        }
    }
    Ok(())
}

/// Run `huntlab explain`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let det = load_content(args.content.as_ref())?;
    let open = |p: &PathBuf| File::open(p).with_context(|| format!("cannot open {}", p.display()));
    let mut pipeline = Pipeline::new(&det);
    let stdin = || -> (Box<dyn BufRead>, String) {
        (
            Box::new(BufReader::new(io::stdin().lock())),
            "<stdin>".into(),
        )
    };
    let (reader, name) = match &args.file {
        None => stdin(),
        Some(p) if p.as_os_str() == "-" => stdin(),
        Some(p) => {
            prime(&mut pipeline, BufReader::new(open(p)?))
                .with_context(|| format!("reading {}", p.display()))?;
            let reader: Box<dyn BufRead> = Box::new(BufReader::new(open(p)?));
            (reader, p.display().to_string())
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let tally = explain(&mut pipeline, reader, &name, args.json, &mut out)?;
    out.flush()?;
    let name = crate::escape::terminal(&name);
    eprintln!(
        "huntlab: {name}: {} line(s): {} alert(s), {} suppressed, {} with no hunt firing, {} rejected, {} blank",
        tally.lines, tally.alerts, tally.suppressed, tally.quiet, tally.errors, tally.blank
    );
    if tally.unjoined > 0 {
        eprintln!(
            "huntlab: {name}: {} Sysmon DNS or file row(s) name a process whose creation (event 1) was not seen{}; exclusions that need its parent or command line could not suppress them",
            tally.unjoined,
            if args.file.as_ref().is_some_and(|p| p.as_os_str() != "-") {
                ""
            } else {
                " before them (standard input is read once: give it oldest first, or pass a file)"
            }
        );
    }
    Ok(if tally.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Explain every line of `reader` into `out`, judging each through `pipeline`
/// (its join empty, or primed by [`prime`]). Returns the counts.
pub fn explain(
    pipeline: &mut Pipeline<'_>,
    reader: impl BufRead,
    name: &str,
    json_out: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Tally> {
    let mut t = Tally::default();
    for item in Lines::new(reader) {
        let (n, line) = item.with_context(|| format!("reading {name}"))?;
        t.lines += 1;
        let text = match line {
            Line::Blank => {
                t.blank += 1;
                continue;
            }
            Line::Text(s) => s,
            other => {
                t.errors += 1;
                let reason = other.error().unwrap_or_default();
                write_error(out, json_out, name, n, &reason)?;
                continue;
            }
        };
        let judged = match pipeline.judge_line(&text) {
            Ok(j) => j,
            Err(e) => {
                t.errors += 1;
                write_error(out, json_out, name, n, &e.to_string())?;
                continue;
            }
        };
        let ev = &judged.event;
        let joined = judged.joined != Joined::Missing;
        let sysmon = matches!(
            ev.source,
            detections::Source::SysmonDnsQuery | detections::Source::SysmonFileCreate
        );
        if sysmon && !joined {
            t.unjoined += 1;
        }
        let v = pipeline.explain(&judged);
        if v.alert {
            t.alerts += 1;
        } else if v.hunts.is_empty() {
            t.quiet += 1;
        } else {
            t.suppressed += 1;
        }
        if json_out {
            let obj = json!({
                "line": n,
                "source": ev.source.name(),
                "alert": v.alert,
                "hunts": v.hunts.iter().map(|h| h.hunt.as_str()).collect::<Vec<_>>(),
                "suppressed_by": v.suppressed_by,
                "matches": v.hunts,
                "exclusions": v.exclusions,
                "process_joined": if sysmon { Some(joined) } else { None },
            });
            writeln!(out, "{obj}")?;
        } else {
            write_text(out, n, ev, &v)?;
            if sysmon && !joined {
                writeln!(out, "  note: this process's creation (Sysmon event 1) was not seen; its parent and command line are unknown")?;
            }
        }
    }
    Ok(t)
}

fn write_error(
    out: &mut dyn Write,
    json_out: bool,
    name: &str,
    n: u64,
    reason: &str,
) -> io::Result<()> {
    if json_out {
        writeln!(out, "{}", json!({ "line": n, "error": reason }))
    } else {
        writeln!(out, "line {n}: error in {name}: {}", esc(reason))
    }
}

fn describe(ev: &Event) -> String {
    let what = match (&ev.query_name, &ev.target_path, &ev.process) {
        (Some(q), _, _) => format!("query {:?}", q),
        (None, Some(f), _) => format!("file {:?}", f),
        (None, None, Some(p)) => format!("process {:?}", p.image.as_deref().unwrap_or("?")),
        _ => "no hunted field".into(),
    };
    format!("{}, {}", ev.source.name(), esc(&what))
}

fn write_text(out: &mut dyn Write, n: u64, ev: &Event, v: &Verdict) -> io::Result<()> {
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
    writeln!(out, "line {n}: {head} ({})", describe(ev))?;
    for h in &v.hunts {
        let m: Vec<String> = h.matched.iter().map(|m| esc(&m.to_string())).collect();
        writeln!(out, "  hunt {} fired: {}", h.hunt, m.join(" and "))?;
    }
    for x in &v.exclusions {
        let detail = match &x.outcome {
            Outcome::Suppressed { because } => {
                let m: Vec<String> = because.iter().map(|m| esc(&m.to_string())).collect();
                format!("suppressed: {}", m.join(" and "))
            }
            Outcome::DidNotApply => "did not apply".to_owned(),
            Outcome::NotEvaluable => {
                format!("not evaluable: {} rows carry no process", ev.source.name())
            }
        };
        writeln!(out, "  exclusion {}: {detail}", x.exclusion)?;
    }
    Ok(())
}
