//! `huntlab simulate`: write scenario telemetry as JSON Lines, one file per table,
//! plus `labels.jsonl` (the ground truth of every row, by table and line).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use simulator::{Options, Scenario, Table};

use super::content::ContentArg;

/// Arguments of `huntlab simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Simulate only this scenario (repeat for several); default: all of them.
    #[arg(long = "scenario", value_name = "ID")]
    pub scenario: Vec<String>,
    /// A folder of scenario TOML files to use instead of the built-in library.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Folder the JSON Lines files are written to (created if missing).
    #[arg(long, default_value = "huntlab-sim")]
    pub out: PathBuf,
    /// Run seed (mixed with each scenario's own seed).
    #[arg(
        long = "seed",
        value_name = "SEED",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub rng_seed: u64,
    /// Multiply the frequency of rate- and interval-driven activity (at most 1000).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub scale: f64,
    /// Start every scenario here instead of at its own start: `2026-05-21T08:00:00Z`,
    /// `2026-05-21 08:00`, `2026-05-21`, or milliseconds since the epoch.
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,
    /// Give every scenario a window of this many hours instead of its own.
    #[arg(long, value_name = "H", allow_negative_numbers = true)]
    pub hours: Option<f64>,
    /// No progress and no summary: only errors.
    #[arg(long)]
    pub quiet: bool,
    /// The detection content the scenarios are checked against (the exclusions
    /// they name): a built-in name (`seed`, `hardened`, ...) or a content file.
    #[arg(long, value_name = "NAME|FILE", default_value = "seed", value_parser = ContentArg::parse)]
    pub content: ContentArg,
}

/// One output file.
struct Sink {
    out: BufWriter<File>,
    lines: u64,
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 16, f))
}

/// The scenarios `--scenario` selects, in library order.
fn select(all: Vec<Scenario>, ids: &[String]) -> anyhow::Result<Vec<Scenario>> {
    if ids.is_empty() {
        return Ok(all);
    }
    let known: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    let unknown: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| !known.contains(id))
        .collect();
    if !unknown.is_empty() {
        anyhow::bail!(
            "unknown scenario id(s): {}\nknown ids:\n  {}",
            unknown.join(", "),
            known.join("\n  ")
        );
    }
    Ok(all.into_iter().filter(|s| ids.contains(&s.id)).collect())
}

/// Run `huntlab simulate`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut opts = Options::new(args.rng_seed, args.scale).map_err(super::flag_error)?;
    if let Some(h) = args.hours {
        opts = opts.with_hours(h).map_err(super::flag_error)?;
    }
    if let Some(s) = &args.start {
        let start_ms = simulator::time::parse(s).map_err(|e| anyhow::anyhow!("--start: {e}"))?;
        opts = opts.with_start_ms(start_ms);
    }
    let det = args.content.load()?;
    let all = super::scenario_files::load_linted(args.scenarios.as_deref(), &det)?;
    let scenarios = select(all, &args.scenario)?;

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    // Files of an earlier run would mix with this one's: remove the ones we own.
    for t in Table::ALL {
        let p = args.out.join(format!("{}.jsonl", t.name()));
        if p.is_file() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    let labels_path = args.out.join("labels.jsonl");
    let mut labels = create(&labels_path)?;
    let mut sinks: BTreeMap<Table, Sink> = BTreeMap::new();

    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_message("simulating rows");
        b
    });
    let mut rows: u64 = 0;
    let mut line: Vec<u8> = Vec::with_capacity(4096);
    for rec in simulator::generate_all(&scenarios, &opts) {
        let sink = match sinks.entry(rec.table) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let path = args.out.join(format!("{}.jsonl", rec.table.name()));
                e.insert(Sink {
                    out: create(&path)?,
                    lines: 0,
                })
            }
        };
        // Written straight from the row into one reused buffer (no JSON values
        // built), the same bytes `serde_json` writes.
        line.clear();
        simulator::write_row(&rec.row, &mut line);
        line.push(b'\n');
        sink.out.write_all(&line)?;
        sink.lines += 1;
        line.clear();
        simulator::write_label(rec.table, sink.lines, rec.time_ms, &rec.label, &mut line);
        line.push(b'\n');
        labels.write_all(&line)?;
        rows += 1;
        if let Some(b) = &bar {
            if rows.is_multiple_of(65_536) {
                b.set_position(rows);
                b.set_message(format!("{rows} rows"));
            }
        }
    }
    for (t, s) in &mut sinks {
        s.out.flush().with_context(|| {
            format!(
                "cannot write {}",
                args.out.join(format!("{}.jsonl", t.name())).display()
            )
        })?;
    }
    labels
        .flush()
        .with_context(|| format!("cannot write {}", labels_path.display()))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !args.quiet {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        writeln!(
            out,
            "simulated {} scenario(s), seed {}, scale {}: {rows} rows in {}",
            scenarios.len(),
            args.rng_seed,
            args.scale,
            args.out.display()
        )?;
        for (t, s) in &sinks {
            writeln!(
                out,
                "  {:<24} {:>10}",
                format!("{}.jsonl", t.name()),
                s.lines
            )?;
        }
        writeln!(out, "  {:<24} {:>10}", "labels.jsonl", rows)?;
    }
    Ok(ExitCode::SUCCESS)
}
