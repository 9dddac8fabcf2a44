//! `huntlab lint PAGE|CONTENT... [--json]`: what a published hunt page (or a
//! content file) will miss and what it will flood its user with, before it
//! is deployed.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use detections::import::{lint_detection, lint_page, read_input, Finding, Severity};
use detections::ranges::Ranges;
use detections::Engine;

use crate::escape::terminal as esc;

/// Arguments of `huntlab lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Published hunt pages (markdown or flat text), KQL files (`.kql`),
    /// Sentinel analytic rules (`.yaml`, `.yml`) or content files (`.toml`).
    #[arg(required = true, value_name = "PAGE|CONTENT")]
    pub inputs: Vec<PathBuf>,
    /// One JSON object per finding (JSON Lines), each naming its input.
    #[arg(long)]
    pub json: bool,
    /// Shared-range lists.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
}

/// A content file's findings, as `huntlab lint CONTENT` gives them: it must
/// load (and its examples hold) first.
pub fn lint_content(text: &str, origin: &str, ranges: &Ranges) -> anyhow::Result<Vec<Finding>> {
    let det = detections::load(text, origin, Engine::Fast)?;
    let failures = det.check_examples();
    if !failures.is_empty() {
        let what = |n| format!("{origin}: {n} example(s) of the content do not behave as they say");
        return Err(super::listed(what, &failures));
    }
    Ok(lint_detection(&det, ranges))
}

/// The findings of one input, or why it could not be read.
pub fn findings_of(path: &Path, ranges: &Ranges) -> anyhow::Result<Vec<Finding>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "toml") {
        return lint_content(&text, &path.display().to_string(), ranges);
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let page = read_input(ext, &text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(lint_page(&page, ranges))
}

/// Print the findings of one input, as text or JSON Lines.
pub fn print(out: &mut impl Write, input: &str, found: &[Finding], json: bool) -> io::Result<()> {
    if json {
        for f in found {
            let mut v = serde_json::to_value(f).map_err(io::Error::other)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("input".to_owned(), input.into());
            }
            writeln!(out, "{v}")?;
        }
        return Ok(());
    }
    writeln!(out, "{}: {} finding(s)", esc(input), found.len())?;
    for f in found {
        writeln!(out, "  {}", esc(&f.to_string()))?;
    }
    Ok(())
}

/// The exit status: 2 when an input could not be read, else 1 when a warning
/// or error stands, else 0.
pub fn status(unreadable: bool, found: &[Finding]) -> ExitCode {
    if unreadable {
        ExitCode::from(2)
    } else if found.iter().any(|f| f.severity != Severity::Info) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Run `huntlab lint`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ranges = args.ranges.load()?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut unreadable, mut all) = (false, Vec::new());
    for path in &args.inputs {
        match findings_of(path, &ranges) {
            Ok(found) => {
                print(&mut out, &path.display().to_string(), &found, args.json)?;
                all.extend(found);
            }
            Err(e) => {
                unreadable = true;
                out.flush()?;
                // Each line escaped: a listed error keeps its line breaks.
                let lines: Vec<String> = format!("{e:#}").lines().map(esc).collect();
                crate::note!("huntlab: error: {}", lines.join("\n"));
            }
        }
    }
    out.flush()?;
    Ok(status(unreadable, &all))
}
