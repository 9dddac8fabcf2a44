//! The `huntlab` command: parses arguments and calls into the harness library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use harness::cli;

/// The allocator: a scan allocates a few small strings per row, often on one
/// thread and frees them on another; mimalloc does both faster than the
/// system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Test-driven threat-detection content: score the NanoCore hunt on labelled
/// scenarios, explain its verdicts, simulate telemetry.
#[derive(Debug, Parser)]
#[command(name = "huntlab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every scenario through the simulator and the detection; print and write
    /// the detection-quality report.
    Report(cli::report::Args),
    /// Score two contents on the same scenarios, seed and scale, and show what
    /// changed: per scenario, hunt and exclusion, gaps closed and opened, a verdict.
    Compare(cli::compare::Args),
    /// Explain, line by line, why the detection did or did not alert on events.
    Explain(cli::explain::Args),
    /// Write scenario telemetry as JSON Lines, one file per table, plus labels.
    Simulate(cli::simulate::Args),
    /// List the scenario library.
    Scenarios(cli::scenarios::Args),
    /// Run a KQL query (the subset in docs/kql-evaluator.md) over JSON Lines tables.
    Kql(cli::kql::Args),
    /// Check IOC feeds: which domains the hunt would take, what it leaves out and why.
    Iocs(cli::iocs::Args),
    /// Run the hunts over exported telemetry (JSON Lines, CSV, EVTX, gzip) with
    /// the content's IOCs or IOC feeds; one line per alert, with its explanation.
    Scan(cli::scan::Args),
    /// Write the content's deployable forms: KQL (Sentinel, Defender, Sysmon Event
    /// table, ASIM), Sentinel analytic rules, Sigma rules.
    Export(cli::export::Args),
    /// Import published hunt pages as tested content: NAME.toml (read literally)
    /// and NAME.hardened.toml (read safely), with what lint finds.
    Import(cli::import::Args),
    /// Say what published hunt pages (or content files) will miss and what they
    /// will flood their user with, before they are deployed.
    Lint(cli::lint::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(a) => cli::report::run(a),
        Command::Compare(a) => cli::compare::run(a),
        Command::Explain(a) => cli::explain::run(a),
        Command::Simulate(a) => cli::simulate::run(a),
        Command::Scenarios(a) => cli::scenarios::run(a),
        Command::Kql(a) => cli::kql::run(a),
        Command::Iocs(a) => cli::iocs::run(a),
        Command::Scan(a) => cli::scan::run(a),
        Command::Export(a) => cli::export::run(a),
        Command::Import(a) => cli::import::run(a),
        Command::Lint(a) => cli::lint::run(a),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`huntlab explain big.jsonl | head`): stop quietly.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let text = format!("{e:#}");
            let lines: Vec<String> = text.lines().map(harness::escape::terminal).collect();
            harness::note!("huntlab: error: {}", lines.join("\n"));
            ExitCode::from(2)
        }
    }
}
