//! The tables per indicator kind: each kind's rows over the run, and each
//! scenario's rows per kind.

use crate::metrics::round;
use crate::render::table::{Cell, Column, Detail, ReportTable};
use crate::report::Report;

const KINDS: &[Column] = &[
    Column::text("indicator kind"),
    Column::num("indicators").detail(Detail::Wide),
    Column::text("hunts").detail(Detail::Full),
    Column::num("fired"),
    Column::num("alerts").detail(Detail::Wide),
    Column::num("TP"),
    Column::num("FP"),
    Column::num("malicious hidden"),
    Column::num("benign suppressed").detail(Detail::Wide),
    Column::num("precision"),
];

/// One row per indicator kind the content hunts (or that fired), then, when
/// some alert stands on no indicator, a row for those.
pub fn indicator_kinds(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("indicator-kinds", "Indicator kinds", KINDS);
    for k in &r.indicator_kinds {
        t.push(
            vec![
                Cell::Titled {
                    id: &k.kind,
                    title: &k.label,
                },
                Cell::Count(k.indicators as u64),
                Cell::Ids(&k.hunts),
                Cell::Count(k.fired),
                Cell::Count(k.alerts),
                Cell::Count(k.tp),
                Cell::Count(k.fp),
                Cell::Alarm(k.malicious_hidden),
                Cell::Count(k.benign_suppressed),
                Cell::Ratio(k.precision),
            ],
            false,
        );
    }
    let w = r.overall.alerts_without_indicator;
    if w.tp + w.fp > 0 {
        let none = Cell::Text("–");
        t.push(
            vec![
                Cell::Text("no indicator (a name, a path)"),
                none,
                none,
                none,
                Cell::Count(w.tp + w.fp),
                Cell::Count(w.tp),
                Cell::Count(w.fp),
                none,
                none,
                Cell::Ratio(Some(round(w.tp as f64 / (w.tp + w.fp) as f64))),
            ],
            false,
        );
    }
    t
}

const BY_SCENARIO: &[Column] = &[
    Column::text("scenario"),
    Column::text("expected"),
    Column::text("indicator kind"),
    Column::num("fired"),
    Column::num("TP"),
    Column::num("FP"),
    Column::num("malicious hidden"),
    Column::num("benign suppressed"),
];

/// One row per scenario and indicator kind that fired in it, by scenario id
/// then in the kinds' order.
pub fn kinds_by_scenario(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new(
        "kinds-by-scenario",
        "Indicator kinds by scenario",
        BY_SCENARIO,
    );
    for s in &r.scenarios {
        for k in &r.indicator_kinds {
            let Some(c) = k.scenarios.iter().find(|c| c.scenario == s.id) else {
                continue;
            };
            t.push(
                vec![
                    Cell::Id(&s.id),
                    Cell::Expected {
                        outcome: &s.expected_outcome,
                        exclusion: s.expected_exclusion.as_deref(),
                    },
                    Cell::Id(&k.kind),
                    Cell::Count(c.fired),
                    Cell::Count(c.tp),
                    Cell::Count(c.fp),
                    Cell::Alarm(c.malicious_hidden),
                    Cell::Count(c.benign_suppressed),
                ],
                false,
            );
        }
    }
    t
}
