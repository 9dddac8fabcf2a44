//! The report's per-hunt, per-source and rejected-row parts, made from the
//! scoring sink's counts when the run finishes.

use std::collections::BTreeMap;

use detections::{Detection, Kind, Source};

use super::changes::HuntExclusions;
use super::{ExclusionAcc, HuntAcc, SourceAcc};
use crate::formats::Position;
use crate::report::{
    ExclusionScore, HuntScore, MimicOutcome, Rejected, ScenarioScore, SourceScore,
};
use crate::scan::RejectedRow;

/// Each hunt's exclusions, with the malicious rows each hid on that hunt and
/// whether it was harmful there: what the best-change search weighs.
pub(super) fn hunt_exclusions<'a>(
    det: &'a Detection,
    exclusions: &[ExclusionScore],
    accs: &[ExclusionAcc],
    excl_ids: &'a [String],
) -> Vec<HuntExclusions<'a>> {
    det.hunts
        .iter()
        .enumerate()
        .map(|(h, hunt)| HuntExclusions {
            id: &hunt.id,
            exclusions: hunt
                .exclusions
                .iter()
                .map(|&x| {
                    let by = exclusions[x].by_hunt.iter().find(|b| b.hunt == hunt.id);
                    let hidden = accs[x].by_hunt[h][1];
                    (
                        x,
                        excl_ids[x].as_str(),
                        hidden,
                        by.is_some_and(|b| b.harmful),
                    )
                })
                .collect(),
        })
        .collect()
}

/// Each hunt's score.
pub(super) fn hunt_scores(det: &Detection, accs: &[HuntAcc]) -> Vec<HuntScore> {
    det.hunts
        .iter()
        .zip(accs)
        .map(|(h, a)| HuntScore {
            id: h.id.clone(),
            title: h.title.clone(),
            origin: h.origin.name().to_owned(),
            origin_why: h.origin.why().map(str::to_owned),
            fired: a.fired,
            alerts: a.alerts,
            confusion: a.confusion,
        })
        .collect()
}

/// Each telemetry source's rows and outcomes.
pub(super) fn source_scores(sources: &BTreeMap<Source, SourceAcc>) -> Vec<SourceScore> {
    sources
        .iter()
        .map(|(s, a)| SourceScore {
            source: s.name().to_owned(),
            rows: a.rows,
            fired: a.fired,
            alerts: a.alerts,
            not_evaluable: a.not_evaluable,
            has_process: !matches!(s, Source::DnsEvents) && s.kind() != Kind::Other,
        })
        .collect()
}

/// The rejected rows the report names: each with its table (by the loop's
/// input index) and its row number.
pub(super) fn rejected_examples(rejected: &[RejectedRow], tables: &[String]) -> Vec<Rejected> {
    rejected
        .iter()
        .map(|r| Rejected {
            table: tables[r.input].clone(),
            row: match r.position {
                Position::Line(n) | Position::Record(n) | Position::Chunk(n) => n,
            },
            error: r.reason.clone(),
        })
        .collect()
}

/// Each exclusion's mimic ([`crate::mimic`]) and the status its scenario
/// ended with in `scenarios` (not run when the library did not hold it).
pub(super) fn mimic_outcomes(
    det: &Detection,
    exclusions: &mut [ExclusionScore],
    scenarios: &[ScenarioScore],
) {
    for m in crate::mimic::mimics(det) {
        let Some(x) = exclusions.iter_mut().find(|x| x.id == m.exclusion) else {
            continue;
        };
        x.mimic = Some(match m.scenario {
            Ok(s) => MimicOutcome {
                status: scenarios.iter().find(|t| t.id == s.id).map(|t| t.status),
                scenario: Some(s.id),
                not_generated: None,
            },
            Err(why) => MimicOutcome {
                scenario: None,
                status: None,
                not_generated: Some(why),
            },
        });
    }
}
