//! `huntlab scenarios`: list the scenario library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::content::ContentArg;

/// Arguments of `huntlab scenarios`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder of scenario TOML files to list instead of the built-in library.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The detection content the scenarios are checked against (the exclusions
    /// they name): a built-in name (`seed`, `hardened`, ...) or a content file.
    #[arg(long, value_name = "NAME|FILE", default_value = "seed", value_parser = ContentArg::parse)]
    pub content: ContentArg,
    /// Write scenarios proposed for the content into `--out` instead of
    /// listing: what each hunt should alert on, the benign traffic its
    /// indicators share the wire with, look-alikes of its names.
    #[arg(long, requires = "out", conflicts_with_all = ["scenarios", "json"])]
    pub propose: bool,
    /// The folder `--propose` writes into (created if missing).
    #[arg(long, value_name = "DIR", requires = "propose")]
    pub out: Option<PathBuf>,
    /// The shared ranges `--propose` reads the content's lint with.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
}

/// Write the proposed scenarios into `dir`, then say what was written and
/// what could not be proposed.
fn propose(
    det: &detections::Detection,
    label: &str,
    dir: &std::path::Path,
    ranges: &detections::ranges::Ranges,
) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    let findings = detections::import::lint_detection(det, ranges);
    let p = crate::propose::propose(det, &findings);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for f in &p.files {
        let path = dir.join(&f.file);
        std::fs::write(&path, &f.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    // The proposals must read as scenario files and lint with the content.
    let scenarios = if p.files.is_empty() {
        Vec::new()
    } else {
        super::scenario_files::load_linted(Some(dir), det)?
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(
        out,
        "{} scenario file(s) proposed in {} ({} scenario(s) there with the content's mimics)",
        p.files.len(),
        crate::escape::terminal(&dir.display().to_string()),
        scenarios.len()
    )?;
    for (what, why) in &p.skipped {
        writeln!(
            out,
            "  not proposed: {}: {}",
            crate::escape::terminal(what),
            crate::escape::terminal(why)
        )?;
    }
    if !p.covers.is_empty() {
        writeln!(
            out,
            "lint findings, and the proposed scenario that tests each:"
        )?;
    }
    for c in &p.covers {
        let by = c
            .scenario
            .as_deref()
            .unwrap_or("no proposed scenario tests it");
        writeln!(
            out,
            "  {}: {}",
            crate::escape::terminal(&c.finding),
            crate::escape::terminal(by)
        )?;
    }
    writeln!(
        out,
        "next: huntlab report --content {} --scenarios {}",
        crate::escape::terminal(label),
        crate::escape::terminal(&dir.display().to_string())
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Run `huntlab scenarios`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let det = args.content.load()?;
    if let (true, Some(dir)) = (args.propose, &args.out) {
        return propose(&det, &args.content.label(), dir, &args.ranges.load()?);
    }
    let scenarios = super::scenario_files::load_linted(args.scenarios.as_deref(), &det)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        for s in &scenarios {
            let g = &s.generator;
            let line = json!({
                "id": s.id,
                "kind": s.kind.name(),
                "title": s.title,
                "expect": {
                    "outcome": s.expect.outcome.name(),
                    "exclusion": s.expect.exclusion,
                },
                "template": g.template.name(),
                "hosts": g.hosts,
                "host_prefix": g.host_prefix,
                "start": g.start,
                "hours": g.hours,
                "endpoint": g.endpoint,
                "server_dns": g.server_dns,
                "endpoint_dns": g.sensors.endpoint_dns,
                "endpoint_dns_off_hosts": g.sensors.endpoint_dns_off_hosts,
                "endpoint_dns_off_steps": g.sensors.endpoint_dns_off_steps,
                "dns_forwarder": g.dns_forwarder,
                "windows": g.windows,
                "origin": s.origin,
            });
            writeln!(out, "{line}")?;
        }
    } else {
        let expect = |s: &simulator::Scenario| match &s.expect.exclusion {
            Some(x) => format!("{} ({x})", s.expect.outcome.name()),
            None => s.expect.outcome.name().to_owned(),
        };
        let w_id = scenarios
            .iter()
            .map(|s| s.id.len())
            .max()
            .unwrap_or(2)
            .max(2);
        let w_kind = 11;
        let w_exp = scenarios
            .iter()
            .map(|s| expect(s).len())
            .max()
            .unwrap_or(6)
            .max(6);
        writeln!(
            out,
            "{:w_id$}  {:w_kind$}  {:w_exp$}  TITLE",
            "ID", "KIND", "EXPECT"
        )?;
        for s in &scenarios {
            writeln!(
                out,
                "{:w_id$}  {:w_kind$}  {:w_exp$}  {}",
                crate::escape::terminal(&s.id),
                s.kind.name(),
                crate::escape::terminal(&expect(s)),
                crate::escape::terminal(&s.title)
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
