//! The verdict, from the scored scenarios and exclusions: attacks detected,
//! known gaps by cause, what fails the run, false positives left, harmful
//! exclusions.

use std::collections::BTreeMap;

use crate::report::{
    Attacks, Change, ExclusionScore, FalsePositives, GapGroup, Harmful, Overall, ScenarioScore,
    SilentHosts, Status, Verdict,
};

/// Whether a scenario kind is an attack.
pub fn is_attack(kind: &str) -> bool {
    matches!(kind, "malicious" | "adversarial")
}

/// The verdict.
pub(super) fn verdict(
    scenarios: &[ScenarioScore],
    exclusions: &[ExclusionScore],
    overall: &Overall,
    best_change: Option<Change>,
) -> Verdict {
    let mut attacks = Attacks::default();
    for s in scenarios.iter().filter(|s| is_attack(&s.kind)) {
        let detected = s.event.tp > 0;
        attacks.scenarios += 1;
        attacks.scenarios_detected += u64::from(detected);
        attacks.hosts += s.hosts_infected;
        attacks.hosts_detected += s.hosts_alerted;
        if !detected {
            attacks.missed.push(s.id.clone());
        } else if !s.silent_hosts.is_empty() {
            attacks.silent_hosts.push(SilentHosts {
                scenario: s.id.clone(),
                hosts: s.silent_hosts.clone(),
            });
        }
    }
    let mut groups: BTreeMap<_, Vec<String>> = BTreeMap::new();
    for s in scenarios.iter().filter(|s| s.status == Status::KnownGap) {
        if let Some(cause) = &s.cause {
            groups.entry(cause.clone()).or_default().push(s.id.clone());
        }
    }
    let false_positives = FalsePositives {
        rows: overall.event.fp,
        lookups: overall.lookup.fp,
        incidents: overall.host.fp,
        scenarios: scenarios
            .iter()
            .filter(|s| s.event.fp > 0)
            .map(|s| s.id.clone())
            .collect(),
    };
    let harmful = exclusions
        .iter()
        .flat_map(|x| {
            x.by_hunt.iter().filter(|b| b.harmful).map(|b| Harmful {
                exclusion: x.id.clone(),
                hunt: b.hunt.clone(),
                malicious_hidden: b.malicious_hidden,
            })
        })
        .collect();
    Verdict {
        attacks,
        known_gaps: groups
            .into_iter()
            .map(|(cause, scenarios)| GapGroup { cause, scenarios })
            .collect(),
        failing: scenarios
            .iter()
            .filter(|s| s.status.fails_run())
            .map(|s| s.id.clone())
            .collect(),
        false_positives,
        harmful,
        best_change,
        lint: Vec::new(),
    }
}
