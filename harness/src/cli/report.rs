//! `huntlab report`: run the scenario library through the simulator and the
//! detection, print the quality table, write `report.json`, `report.md` and
//! `report.html`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::content::ContentArg;
use crate::render;
use crate::report::{Report, Status};
use crate::run::{run_library_sets, RunOptions};
use crate::seeds::{self, Outcome, SeedRange};
use detections::Detection;
use simulator::Scenario;

/// Arguments of `huntlab report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder the report files are written to.
    #[arg(long, default_value = "huntlab-report")]
    pub out: PathBuf,
    /// A folder of scenario TOML files to run instead of the built-in library.
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Simulator seed.
    #[arg(
        long = "seed",
        value_name = "SEED",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub rng_seed: u64,
    /// Run the library once per seed of an inclusive range (`1..20`) and report
    /// each scenario over the seeds: its status, the seeds it failed on, the
    /// spread of its alerts and recall. The report files are the first seed's,
    /// with a `seeds` section. Not with `--seed`.
    #[arg(
        long,
        value_name = "FIRST..LAST",
        value_parser = SeedRange::parse,
        conflicts_with = "rng_seed"
    )]
    pub seeds: Option<SeedRange>,
    /// Multiply how often the scenarios' background and benign activity runs (at
    /// most 1000; host counts and the malware's own timing do not scale).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub scale: f64,
    /// The detection content to score: a built-in name (`seed`, `hardened`, ...) or a
    /// content file.
    #[arg(long, value_name = "NAME|FILE", default_value = "seed", value_parser = ContentArg::parse)]
    pub content: ContentArg,
    /// The shared-range lists indicators are flagged in.
    #[command(flatten)]
    pub ranges: super::ranges::RangeArgs,
    /// Threads scoring the generated rows: the calling thread generates them,
    /// and the contents' scorers are dealt to the threads by their work (the
    /// report is the same with any number) [default: the machine's cores, at
    /// most 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=8))]
    pub threads: Option<u32>,
    /// No progress, no table: only errors.
    #[arg(long)]
    pub quiet: bool,
    /// Never colour the table (colour is on when stdout is a terminal and
    /// NO_COLOR is unset).
    #[arg(long)]
    pub no_color: bool,
    /// Print every column (kind, rows, malicious, fired, TN, the expected
    /// exclusion); without it the tables fit 100 columns.
    #[arg(long)]
    pub wide: bool,
    /// Quality gates (TOML: `[overall]`, `[hunts.<id>]`, `[exclusions]`,
    /// `[benign]`); exit 1 when one fails, naming it.
    #[arg(long, value_name = "FILE")]
    pub gates: Option<PathBuf>,
    /// Write JUnit XML here: one test case per scenario and per gate.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Judge as a scheduled rule (the engine with the facts each run's joins
    /// see, the exported queries run at the end of each window).
    #[command(flatten)]
    pub schedule: super::schedule::RuleArgs,
}

/// Run `huntlab report`. Exits 1 when a scenario fails its expectation without
/// a known gap, a known gap has closed (its declaration must be removed), or a
/// gate fails.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let first_seed = args.seeds.map_or(args.rng_seed, |r| r.first);
    let opts = RunOptions::new(first_seed, args.scale).map_err(super::flag_error)?;
    let rule = args.schedule.rule()?;
    let det = args.content.load_to_score()?;
    super::ranges::note_detection(&args.ranges, &det, &args.content.label())?;
    let gates = super::gates::read(args.gates.as_deref())?;
    let scenarios = super::scenario_files::load_linted(args.scenarios.as_deref(), &det)?;
    super::scenario_files::note_gaps_not_run(&det, &scenarios);
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let bar = show_progress.then(|| spinner("running the exported queries"));
    // The exported queries first, on each scenario's scale-1 telemetry: what
    // they held is freed before the scorers' joins grow, so the peak is the
    // larger of the two, not their sum.
    let deployed = crate::deployed::deployed_forms(&det, &scenarios, &opts, rule.as_ref())?;
    if let Some(b) = &bar {
        b.set_message("scoring rows");
    }
    // A literal and hardened pair (`seed` and `hardened`, `published` and
    // `published-hardened`) is compared on the same simulation: one pass
    // generates each row once and scores it for each content.
    let other = super::compare::other_of_pair(&args.content, &scenarios)?;
    let mut progress = |n| {
        if let Some(b) = &bar {
            b.set_position(n);
            b.set_message(format!("{n} rows scored"));
        }
    };
    // The comparison is scored on the scenarios `compare` scores the pair on
    // (the hardened reading's mimics first): where those are this report's
    // own, the report is one side; where a mimic differs, the given content is
    // also scored on the pair's, so `report` and `compare` agree.
    let pair_set = other
        .as_ref()
        .map(|o| super::compare::pair_scenarios(&args.content, &det, o, args.scenarios.as_deref()))
        .transpose()?;
    let (mut report, pair) = score(
        &det,
        other.as_ref(),
        (&scenarios, pair_set),
        (&opts, rule.as_ref(), args.scoring_threads()),
        &mut progress,
    );
    if let Some(range) = args.seeds {
        report.seeds = Some(over_seeds(
            range,
            &report,
            &det,
            &scenarios,
            (&opts, rule.as_ref(), args.scoring_threads()),
            &mut progress,
        ));
    }
    report.deployed_forms = deployed;
    report.verdict.lint = detections::import::lint_detection(&det, &args.ranges.load()?);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let checks = gates
        .as_ref()
        .map_or(Ok(Vec::new()), |g| g.check(&report))?;
    if let Some(path) = &args.junit {
        super::gates::write_junit(path, &report, &[("gates", &checks)])?;
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let files = [
        ("report.json", render::json::render(&report)),
        ("report.md", render::markdown::render(&report)),
        ("report.html", render::html::render(&report)),
    ];
    for (name, text) in &files {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let comparison = pair
        .map(|(rp, o)| {
            super::compare::literal_vs_hardened(&args.content, rp.as_ref().unwrap_or(&report), &o)
        })
        .transpose()?;
    let compared = comparison
        .as_ref()
        .map(|c| super::compare::write_json(c, &args.out))
        .transpose()?;
    if !args.quiet {
        let colour = !args.no_color
            && std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none();
        let mut out = std::io::stdout().lock();
        write!(
            out,
            "{}",
            render::terminal::render(&report, colour, args.wide)
        )?;
        if let Some(c) = &comparison {
            write!(out, "\n{}\n", render::compare::text(c, true, args.wide))?;
        }
        writeln!(
            out,
            "wrote {}, {}, {}",
            args.out.join("report.json").display(),
            args.out.join("report.md").display(),
            args.out.join("report.html").display()
        )?;
        if let Some(p) = &compared {
            writeln!(out, "wrote {}", p.display())?;
        }
        if gates.is_some() {
            writeln!(out, "{}", super::gates::tally("gates", &checks))?;
        }
    }
    let fails = say_failures(&report, &args.content);
    let gate_failed = super::gates::say_failed("gate", &checks);
    Ok(if fails || gate_failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Name each scenario that fails the run on stderr (an expectation failed, a
/// known gap closed); whether any does.
fn say_failures(report: &crate::report::Report, given: &ContentArg) -> bool {
    let content = match given {
        ContentArg::File(p) => p.display().to_string(),
        ContentArg::Builtin(b) => b.file.to_owned(),
        ContentArg::Feed => given.label(),
    };
    match &report.seeds {
        Some(over) => say_failed_over_seeds(over, &content, report.run.rule.as_ref()),
        None => say_failed(report, &content, report.run.rule.as_ref()),
    }
}

/// The library scored once more for each seed of `range` after its first
/// (whose report is `first`), each scenario gathered over the seeds.
fn over_seeds(
    range: SeedRange,
    first: &crate::report::Report,
    det: &detections::Detection,
    scenarios: &[simulator::Scenario],
    (opts, rule, threads): (&RunOptions, Option<&crate::rule::Rule>, usize),
    progress: &mut dyn FnMut(u64),
) -> seeds::Seeds {
    let mut runs = vec![(range.first, outcomes(first))];
    for seed in range.seeds().skip(1) {
        let o = opts.with_rng_seed(seed);
        let [r] = run_library_sets([(det, scenarios)], &o, rule, threads, progress);
        runs.push((seed, outcomes(&r)));
    }
    seeds::over_seeds(range, &runs)
}

fn outcomes(r: &crate::report::Report) -> Vec<Outcome> {
    r.scenarios
        .iter()
        .map(|s| Outcome {
            id: s.id.clone(),
            kind: s.kind.clone(),
            status: s.status,
            alerts: s.alerts,
            recall: s.event.recall(),
        })
        .collect()
}

/// The report of `det` on `scenarios`, and where it has a pair, the pair's
/// reports for the comparison on `pair_set`: `None` for the given content's
/// when it is the report itself, else its report on the pair's own
/// scenarios. One generation of the scenarios feeds every report.
type Scored = (Report, Option<(Option<Report>, Report)>);

fn score(
    det: &Detection,
    other: Option<&Detection>,
    (scenarios, pair_set): (&[Scenario], Option<Vec<Scenario>>),
    (opts, rule, threads): (&RunOptions, Option<&crate::rule::Rule>, usize),
    progress: &mut dyn FnMut(u64),
) -> Scored {
    match (other, pair_set) {
        (Some(o), Some(set)) if set == scenarios => {
            let runs = [(det, scenarios), (o, scenarios)];
            let [r, o] = run_library_sets(runs, opts, rule, threads, progress);
            (r, Some((None, o)))
        }
        (Some(o), Some(set)) => {
            let runs = [(det, scenarios), (det, &set[..]), (o, &set[..])];
            let [r, rp, o] = run_library_sets(runs, opts, rule, threads, progress);
            (r, Some((Some(rp), o)))
        }
        _ => {
            let [r] = run_library_sets([(det, scenarios)], opts, rule, threads, progress);
            (r, None)
        }
    }
}

/// A progress spinner with its first message.
fn spinner(message: &'static str) -> indicatif::ProgressBar {
    let b = indicatif::ProgressBar::new_spinner();
    b.set_message(message);
    b
}

impl Args {
    /// The threads to score on: `--threads`, else the machine's cores, at
    /// most 8 (one when they cannot be told).
    fn scoring_threads(&self) -> usize {
        self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            |t| t as usize,
        )
    }
}

/// What to do about a known gap that closed: remove it; judged as a rule,
/// first see whether the rule's window closed it.
fn gap_closed_advice(id: &str, content: &str, rule: Option<&crate::rule::RuleInfo>) -> String {
    let content = crate::escape::terminal(content);
    match rule {
        None => format!("remove the known gap for {id} from {content}"),
        Some(r) => format!(
            "judged as a rule run every {} over {}: if the gap still holds without --rule-frequency/--rule-lookback, the rule's window closed it (what the exclusion needs is outside the lookback): keep it and judge with the rule you deploy; else remove the known gap for {id} from {content}",
            r.frequency, r.lookback
        ),
    }
}

/// The rule flags to replay a run with, with a leading space; empty without a rule.
fn rule_flags(rule: Option<&crate::rule::RuleInfo>) -> String {
    rule.map_or_else(String::new, |r| {
        format!(
            " --rule-frequency {} --rule-lookback {}",
            r.frequency, r.lookback
        )
    })
}

/// Say on standard error what fails over the seeds, naming the seeds and how to
/// replay the first; whether anything does.
fn say_failed_over_seeds(
    over: &seeds::Seeds,
    content: &str,
    rule: Option<&crate::rule::RuleInfo>,
) -> bool {
    for s in &over.scenarios {
        let id = crate::escape::terminal(&s.id);
        let seeds = &s.seeds_text;
        let flags = crate::escape::terminal(&rule_flags(rule));
        match s.status {
            seeds::OverSeeds::Failed => {
                crate::note!("huntlab: expectation failed over seeds: {id}: {seeds}{flags}");
            }
            seeds::OverSeeds::GapClosed => crate::note!(
                "huntlab: known gap closed on every seed: {id}: {}",
                gap_closed_advice(&id, content, rule)
            ),
            seeds::OverSeeds::Unstable => {
                crate::note!("huntlab: note: known gap unstable over seeds: {id}: {seeds}");
            }
            seeds::OverSeeds::Met | seeds::OverSeeds::KnownGap => {}
        }
    }
    !over.failing.is_empty()
}

/// Say on standard error what fails the one run; whether anything does.
fn say_failed(
    report: &crate::report::Report,
    content: &str,
    rule: Option<&crate::rule::RuleInfo>,
) -> bool {
    let mut fails = false;
    for s in &report.scenarios {
        let id = crate::escape::terminal(&s.id);
        match s.status {
            Status::Failed => crate::note!(
                "huntlab: expectation failed: {id}: {}",
                crate::escape::terminal(&s.expectation_detail)
            ),
            Status::GapClosed => crate::note!(
                "huntlab: known gap closed: {id}: the expectation now holds; {}",
                gap_closed_advice(&id, content, rule)
            ),
            Status::Met | Status::KnownGap => {}
        }
        fails |= s.status.fails_run();
    }
    fails
}
