//! Shared helpers: run generated records through the detection as the harness
//! does (field mapping, Sysmon process join, decision).

#![allow(dead_code)]

use detections::pipeline::Pipeline;
use detections::{Decision, Detection, Event};
use simulator::{Counts, Options, Record, Scenario};

/// The built-in detection.
pub fn detection() -> Detection {
    detections::builtin(detections::Engine::Fast)
}

/// The built-in library.
pub fn library() -> Vec<Scenario> {
    simulator::builtin().expect("the built-in library parses")
}

/// One built-in scenario by id.
pub fn scenario(id: &str) -> Scenario {
    library()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no built-in scenario `{id}`"))
}

/// A record with its event (after the join) and decision.
pub struct Judged {
    pub rec: Record,
    pub ev: Event,
    pub d: Decision,
}

/// Generate, map, join and decide every record.
pub fn judge(det: &Detection, scenario: &Scenario, opts: &Options) -> Vec<Judged> {
    let mut pipeline = Pipeline::new(det);
    simulator::generate(scenario, opts)
        .map(|rec| {
            let judged = pipeline
                .judge(rec.row.columns())
                .unwrap_or_else(|e| panic!("{}: unreadable row {:?}: {e}", scenario.id, rec.row));
            Judged {
                rec,
                ev: judged.event,
                d: judged.decision,
            }
        })
        .collect()
}

/// Whether the scenario ends `met` (or `known_gap`, when the content declares
/// one) for this seed; the reason when it does not. The counts go to the
/// simulator's one reading of an expectation (`Expect::check`, through
/// `Expect::status`), which the harness's scoring uses too.
pub fn expectation(det: &Detection, scenario: &Scenario, seed: u64) -> Result<(), String> {
    let judged = judge(det, scenario, &Options::default().with_rng_seed(seed));
    let named = scenario.expect.exclusion.as_deref().map(|x| {
        det.exclusions
            .iter()
            .position(|e| e.id == x)
            .unwrap_or_else(|| panic!("unknown exclusion {x}"))
    });
    let by_named = |j: &Judged| named.is_some_and(|x| j.d.suppressing & (1 << x) != 0);
    let fired = || judged.iter().filter(|j| j.d.fired != 0);
    // Hosts with a malicious row, and those with an alert on one.
    let mut infected = std::collections::BTreeSet::new();
    let mut alerted = std::collections::BTreeSet::new();
    for j in judged.iter().filter(|j| j.rec.label.malicious) {
        infected.insert(j.rec.label.host.as_str());
        if j.d.alert {
            alerted.insert(j.rec.label.host.as_str());
        }
    }
    let counts = Counts {
        fired: fired().count() as u64,
        alerts: judged.iter().filter(|j| j.d.alert).count() as u64,
        fired_not_by_named: fired().filter(|j| !by_named(j)).count() as u64,
        hosts_infected: infected.len() as u64,
        hosts_silent: (infected.len() - alerted.len()) as u64,
    };
    let gap = det.known_gap(&scenario.id).is_some();
    let status = scenario.expect.status(&counts, gap);
    if !status.fails_run() {
        return Ok(());
    }
    let detail = scenario.expect.describe(&counts);
    let example = fired()
        .find(|j| j.d.alert || !by_named(j))
        .map(|j| format!("{:?}", j.rec.row))
        .unwrap_or_default();
    Err(format!(
        "{} (seed {seed}): {}: {detail}; rows {}; e.g. {example}",
        scenario.id,
        status.name(),
        judged.len()
    ))
}
