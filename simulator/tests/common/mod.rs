//! Shared helpers: run generated records through the detection as the harness
//! does (field mapping, Sysmon process join, decision).

#![allow(dead_code)]

use detections::pipeline::Pipeline;
use detections::{Decision, Detection, Event};
use simulator::{Options, Outcome, Record, Scenario};

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
                .judge(&rec.row)
                .unwrap_or_else(|e| panic!("{}: unreadable row {:?}: {e}", scenario.id, rec.row));
            Judged {
                rec,
                ev: judged.event,
                d: judged.decision,
            }
        })
        .collect()
}

/// Whether the scenario's declared expectation holds for this seed; the
/// reason when it does not. Same reading as the harness's scoring: `suppressed`
/// means hunts fire, no alert stands and the named exclusion suppresses every
/// fired row; `alert` with an exclusion means an alert stands and the exclusion
/// hides at least one malicious row.
pub fn expectation(det: &Detection, scenario: &Scenario, seed: u64) -> Result<(), String> {
    let judged = judge(
        det,
        scenario,
        &Options {
            seed,
            ..Options::default()
        },
    );
    let named = scenario.expect.exclusion.as_deref().map(|x| {
        det.exclusions
            .iter()
            .position(|e| e.id == x)
            .unwrap_or_else(|| panic!("unknown exclusion {x}"))
    });
    let fired = judged.iter().filter(|j| j.d.fired != 0).count();
    let alerts = judged.iter().filter(|j| j.d.alert).count();
    let by_named = |j: &Judged| named.is_some_and(|x| j.d.suppressing & (1 << x) != 0);
    let not_by_named: Vec<&Judged> = judged
        .iter()
        .filter(|j| j.d.fired != 0 && !by_named(j))
        .collect();
    let hidden = judged
        .iter()
        .filter(|j| j.d.fired != 0 && j.rec.label.malicious && by_named(j))
        .count();
    let ok = match scenario.expect.outcome {
        Outcome::NoMatch => fired == 0,
        Outcome::Alert if named.is_none() => alerts > 0,
        Outcome::Alert => alerts > 0 && hidden > 0,
        Outcome::Suppressed => fired > 0 && alerts == 0 && not_by_named.is_empty(),
    };
    if ok {
        Ok(())
    } else {
        let example = judged
            .iter()
            .find(|j| j.d.fired != 0 && (j.d.alert || !by_named(j)))
            .map(|j| format!("{:?}", j.rec.row))
            .unwrap_or_default();
        Err(format!(
            "{} (seed {seed}): expected {:?} {:?}; rows {}, fired {fired}, alerts {alerts}, hidden {hidden}, fired not by named {}; e.g. {example}",
            scenario.id,
            scenario.expect.outcome,
            scenario.expect.exclusion,
            judged.len(),
            not_by_named.len()
        ))
    }
}
