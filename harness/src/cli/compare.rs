//! `huntlab compare BASELINE CANDIDATE`: score two contents on the same
//! scenarios, seed and scale, and show what changed, as text, JSON or Markdown.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use detections::Detection;
use simulator::Scenario;

use super::content::ContentArg;
use crate::compare::{compare, Comparison};
use crate::report::Report;
use crate::run::{run_library_many, RunOptions};

/// How `compare` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal text.
    Text,
    /// JSON (`comparison.json`'s form).
    Json,
    /// GitHub-flavoured Markdown, to paste into a pull request.
    Md,
}

/// Arguments of `huntlab compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The content compared against: a built-in name (`seed`, `hardened`, ...) or a
    /// content file.
    #[arg(value_name = "BASELINE", value_parser = ContentArg::parse)]
    pub baseline: ContentArg,
    /// The content under test: a built-in name or a content file.
    #[arg(value_name = "CANDIDATE", value_parser = ContentArg::parse)]
    pub candidate: ContentArg,
    /// The shared-range lists indicators are flagged in.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
    /// A folder of scenario TOML files to run instead of the built-in library.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Simulator seed.
    #[arg(long = "seed", value_name = "SEED", default_value_t = 0)]
    pub rng_seed: u64,
    /// Multiply how often the scenarios' background and benign activity runs.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Short for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Quality gates (as for `report`), checked on the candidate: exit 1 when one
    /// fails, naming it.
    #[arg(long, value_name = "FILE")]
    pub gates: Option<PathBuf>,
    /// Exit 1 when the candidate is worse than the baseline on any gated figure
    /// (every figure a gate can name, without `--gates`).
    #[arg(long)]
    pub fail_on_regression: bool,
    /// Exit 1 when the candidate fails any scenario (status `failed` or
    /// `gap_closed`, as `report` on it would), naming them, whether or not it
    /// is better than the baseline.
    #[arg(long)]
    pub fail_on_failure: bool,
    /// Write JUnit XML here: a test case per scenario of the candidate, per gate
    /// and per figure compared.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Text: print every column (kind, precision and F1 per scenario); without
    /// it the tables fit 100 columns.
    #[arg(long)]
    pub wide: bool,
}

/// Load a content, with the scenarios linted against it.
fn linted(content: &ContentArg, scenarios: &[Scenario]) -> anyhow::Result<Detection> {
    let det = content.load_to_score()?;
    super::scenario_files::lint(scenarios, &det)?;
    Ok(det)
}

/// Both reports from one simulation (each as `run_library` gives it).
fn scored_both(
    a: &Detection,
    b: &Detection,
    scenarios: &[Scenario],
    opts: &RunOptions,
) -> (Report, Report) {
    let [a, b] = run_library_many([a, b], scenarios, opts, &mut |_| {});
    (a, b)
}

/// Score both contents on the same scenarios and options, and compare them.
pub fn compare_contents(
    baseline: &ContentArg,
    candidate: &ContentArg,
    scenarios: &[Scenario],
    opts: &RunOptions,
    ranges: &super::ranges::RangeArgs,
) -> anyhow::Result<(Report, Report, Comparison)> {
    // The mimics of both contents' exclusions, the candidate's first.
    let (da, db) = (baseline.load_to_score()?, candidate.load_to_score()?);
    let mut scenarios = scenarios.to_vec();
    super::scenario_files::with_mimics(&mut scenarios, &db);
    super::scenario_files::with_mimics(&mut scenarios, &da);
    super::scenario_files::lint(&scenarios, &da)?;
    super::scenario_files::lint(&scenarios, &db)?;
    super::ranges::note_detection(ranges, &da, &baseline.label())?;
    super::ranges::note_detection(ranges, &db, &candidate.label())?;
    let (a, b) = scored_both(&da, &db, &scenarios, opts);
    let c = compare(&a, &b, [&baseline.label(), &candidate.label()])?;
    Ok((a, b, c))
}

/// For `report`: when it scores a built-in of a literal and hardened pair
/// (`seed` and `hardened`, `published` and `published-hardened`), the other
/// one, loaded and linted, to score on the same run and compare (the literal
/// reading the baseline).
pub fn other_of_pair(
    given: &ContentArg,
    scenarios: &[Scenario],
) -> anyhow::Result<Option<Detection>> {
    let ContentArg::Builtin(b) = given else {
        return Ok(None);
    };
    let Some((literal, hardened)) = detections::content::builtin_pair(b.name) else {
        return Ok(None);
    };
    let other = if literal.name == b.name {
        hardened
    } else {
        literal
    };
    Ok(Some(linted(&ContentArg::Builtin(other), scenarios)?))
}

/// The scenarios `compare LITERAL HARDENED` scores a built-in pair on: the
/// library of `dir`, then the hardened reading's mimics, then the literal's
/// (an id both have is the hardened one's: the candidate's). `report` scores
/// its comparison on these, so the two commands agree on every scenario.
pub fn pair_scenarios(
    given: &ContentArg,
    det: &Detection,
    other: &Detection,
    dir: Option<&std::path::Path>,
) -> anyhow::Result<Vec<Scenario>> {
    let hardened_given = matches!(given, ContentArg::Builtin(b)
        if detections::content::builtin_pair(b.name).is_some_and(|(_, h)| h.name == b.name));
    let (literal, hardened) = if hardened_given {
        (other, det)
    } else {
        (det, other)
    };
    let mut scenarios = super::scenario_files::load_scenarios(dir)?;
    super::scenario_files::with_mimics(&mut scenarios, hardened);
    super::scenario_files::with_mimics(&mut scenarios, literal);
    super::scenario_files::lint(&scenarios, literal)?;
    super::scenario_files::lint(&scenarios, hardened)?;
    Ok(scenarios)
}

/// Compare `report` (of the given content) with `other`'s (of
/// [`other_of_pair`]), the literal reading the baseline.
pub fn literal_vs_hardened(
    given: &ContentArg,
    report: &Report,
    other: &Report,
) -> anyhow::Result<Comparison> {
    let ContentArg::Builtin(b) = given else {
        anyhow::bail!("{} is no built-in pair", given.label());
    };
    let Some((literal, hardened)) = detections::content::builtin_pair(b.name) else {
        anyhow::bail!("{} is no built-in pair", b.name);
    };
    let (a, o) = if literal.name == b.name {
        (report, other)
    } else {
        (other, report)
    };
    Ok(compare(a, o, [literal.name, hardened.name])?)
}

/// Write `comparison.json` into `out`; returns its path.
pub fn write_json(c: &Comparison, out: &Path) -> anyhow::Result<PathBuf> {
    let path = out.join("comparison.json");
    std::fs::write(&path, crate::render::compare::json(c))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Run `huntlab compare`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let opts = RunOptions::new(args.rng_seed, args.scale).map_err(super::flag_error)?;
    let gates = super::gates::read(args.gates.as_deref())?;
    let scenarios = super::scenario_files::load_scenarios(args.scenarios.as_deref())?;
    let (a, b, mut c) = compare_contents(
        &args.baseline,
        &args.candidate,
        &scenarios,
        &opts,
        &args.ranges,
    )?;
    if let Some(g) = &gates {
        g.check(&a)?;
        c.gates = g.check(&b)?;
    }
    if args.fail_on_regression {
        c.regressions = crate::gates::regressions(&a, &b, gates.as_ref().map(|g| g.gates()));
    }
    if let Some(path) = &args.junit {
        let checks = [("gates", &c.gates[..]), ("regressions", &c.regressions[..])];
        super::gates::write_junit(path, &b, &checks)?;
    }
    let format = if args.json { Format::Json } else { args.format };
    let text = match format {
        Format::Text => crate::render::compare::text(&c, false, args.wide),
        Format::Json => crate::render::compare::json(&c),
        Format::Md => crate::render::compare::markdown(&c),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    let gate_failed = super::gates::say_failed("gate", &c.gates);
    let regressed = super::gates::say_failed("regression check", &c.regressions);
    let fails = args.fail_on_failure && !c.candidate_failing.is_empty();
    if fails {
        crate::note!(
            "huntlab: the candidate fails {} scenario(s): {}",
            c.candidate_failing.len(),
            crate::escape::terminal(&c.candidate_failing.join(", "))
        );
    }
    Ok(if gate_failed || regressed || fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
