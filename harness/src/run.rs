//! The main job, as a library call: simulate the scenarios, score every row.

use detections::Detection;
use simulator::Scenario;

use crate::report::Report;
use crate::score::Scorer;

/// How to run the library: the simulator's own options (seed and scale, checked
/// when they are set), under the name the harness has always used.
pub use simulator::Options as RunOptions;

/// Simulate every scenario (merged in time order) and score the result.
pub fn run_library(
    det: &Detection,
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> Report {
    let [report] = run_library_many([det], scenarios, opts, progress);
    report
}

/// Known gaps of the content that name no scenario: neither one of `scenarios`,
/// nor one of the built-in library, nor the mimic of one of its exclusions (so running a folder of a few scenarios does
/// not flag the built-in content's gaps). One message each, with its line.
pub fn unknown_known_gaps(det: &Detection, scenarios: &[Scenario]) -> Vec<String> {
    let builtin = simulator::BUILTIN
        .iter()
        .map(|(file, _)| file.trim_end_matches(".toml"));
    let mimics: Vec<String> = crate::mimic::mimics(det)
        .iter()
        .map(|m| crate::mimic::mimic_id(&m.exclusion))
        .collect();
    let mut known: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
    known.extend(builtin);
    known.extend(mimics.iter().map(String::as_str));
    det.known_gaps
        .iter()
        .filter(|g| !known.contains(&g.scenario.as_str()))
        .map(|g| {
            format!(
                "line {}: known_gaps: unknown scenario `{}`",
                g.line, g.scenario
            )
        })
        .collect()
}

/// The scenarios the content's known gaps name that are not among
/// `scenarios` (nor its mimics): a run with `--scenarios DIR` does not check
/// those gaps, and says so.
pub fn known_gaps_not_run(det: &Detection, scenarios: &[Scenario]) -> Vec<String> {
    let mimics: Vec<String> = crate::mimic::mimics(det)
        .iter()
        .map(|m| crate::mimic::mimic_id(&m.exclusion))
        .collect();
    det.known_gaps
        .iter()
        .filter(|g| !scenarios.iter().any(|s| s.id == g.scenario))
        .filter(|g| !mimics.contains(&g.scenario))
        .map(|g| g.scenario.clone())
        .collect()
}

/// Score every detection of `dets` on one simulation of `scenarios`: each row
/// is generated once and scored by each detection in turn, so each report is
/// the one [`run_library`] gives for it. `progress` is told the rows so far.
pub fn run_library_many<const N: usize>(
    dets: [&Detection; N],
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> [Report; N] {
    run_library_as(dets, scenarios, opts, None, progress)
}

/// [`run_library_many`], judged as the scheduled rule `rule` runs when one is
/// given: a first pass reads the facts its joins can see (task
/// registrations, signers, host addresses) with their times, then each row
/// is judged with those its run sees ([`crate::rule`]). The reports say which.
pub fn run_library_as<const N: usize>(
    dets: [&Detection; N],
    scenarios: &[Scenario],
    opts: &RunOptions,
    rule: Option<&crate::rule::Rule>,
    progress: &mut dyn FnMut(u64),
) -> [Report; N] {
    let history = rule.map(|(clock, _)| crate::rule::history(*clock, scenarios, opts));
    let mut scorers = dets.map(|det| Scorer::with_history(det, scenarios, history.clone()));
    let mut rows = 0u64;
    for rec in simulator::generate_all(scenarios, opts) {
        for scorer in &mut scorers {
            scorer.observe(&rec);
        }
        rows += 1;
        if rows.is_multiple_of(65_536) {
            progress(rows);
        }
    }
    scorers.map(|s| {
        let mut r = s.finish(*opts);
        r.run.rule = rule.map(|(_, info)| info.clone());
        r
    })
}
