//! `huntlab import FILE... [--out DIR] [--json]`: a published hunt page as
//! tested content, `NAME.toml` (the literal reading) and `NAME.hardened.toml`
//! (the safer one), with what lint finds on the page.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use detections::import::{hardened, lint_page, literal, read_input, Finding};
use detections::ranges::Ranges;

use crate::escape::terminal as esc;

/// Arguments of `huntlab import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Published hunt pages (markdown tables or the flat text rendering), KQL
    /// files (`.kql`) or Sentinel analytic rules (`.yaml`, `.yml`).
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Where to write `NAME.toml` and `NAME.hardened.toml` (created if missing).
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// One JSON object per input (JSON Lines): the files written and the findings.
    #[arg(long)]
    pub json: bool,
    /// Shared-range lists.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
}

/// Import one page: write both readings (each checked to load with its
/// examples holding) and return their paths and the page's findings.
fn import_one(
    path: &Path,
    out: &Path,
    ranges: &Ranges,
) -> anyhow::Result<(Vec<PathBuf>, Vec<Finding>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let page = read_input(ext, &text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .with_context(|| format!("{}: no file stem to name the content", path.display()))?;
    let readings = [
        (format!("{name}.toml"), literal(&page, name)),
        (
            format!("{name}.hardened.toml"),
            hardened(&page, name, ranges),
        ),
    ];
    let mut written = Vec::new();
    for (file, content) in &readings {
        super::lint::lint_content(content, file, ranges).with_context(|| {
            format!(
                "{}: the imported content {file} does not load",
                path.display()
            )
        })?;
        let target = out.join(file);
        std::fs::write(&target, content)
            .with_context(|| format!("cannot write {}", target.display()))?;
        written.push(target);
    }
    Ok((written, lint_page(&page, ranges)))
}

/// Run `huntlab import`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ranges = args.ranges.load()?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut unreadable, mut all) = (false, Vec::new());
    for path in &args.inputs {
        match import_one(path, &args.out, &ranges) {
            Ok((written, found)) => {
                let input = path.display().to_string();
                let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                if args.json {
                    let v =
                        serde_json::json!({ "input": input, "written": files, "findings": found });
                    writeln!(out, "{v}")?;
                } else {
                    writeln!(out, "{}: wrote {}", esc(&input), esc(&files.join(", ")))?;
                    super::lint::print(&mut out, &input, &found, false)?;
                }
                all.extend(found);
            }
            Err(e) => {
                unreadable = true;
                out.flush()?;
                crate::note!("huntlab: error: {}", esc(&format!("{e:#}")));
            }
        }
    }
    out.flush()?;
    Ok(super::lint::status(unreadable, &all))
}
