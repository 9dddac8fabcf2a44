//! The report's tables, each built once here and drawn by every renderer that
//! shows it (terminal, Markdown, HTML). Column lists live only here.

use super::table::{Cell, Column, Detail, Table};
use crate::metrics::Confusion;
use crate::report::Report;

const COUNTS: &str = "TP / FP / FN / TN";

/// Counts, precision, recall and F1 of a confusion matrix: the cells under
/// [`COUNTS`], `precision`, `recall` and `F1`.
fn confusion_cells(c: &Confusion) -> [Cell<'static>; 4] {
    [
        Cell::Counts(*c),
        Cell::Ratio(c.precision()),
        Cell::Ratio(c.recall()),
        Cell::Ratio(c.f1()),
    ]
}

const OVERALL: &[Column] = &[
    Column::text("level"),
    Column::split_counts(COUNTS),
    Column::num("precision"),
    Column::num("recall"),
    Column::num("F1"),
];

/// Overall figures at event and host level.
pub fn overall(r: &Report) -> Table<'_> {
    let mut t = Table::new("overall", "Overall", OVERALL);
    for (level, c) in [("event", &r.overall.event), ("host", &r.overall.host)] {
        let mut cells = vec![Cell::Text(level)];
        cells.extend(confusion_cells(c));
        t.push(cells, false);
    }
    t
}

const ROWS: &str = "Rows";
const EVENT: &str = "Event level";
const SCENARIOS: &[Column] = &[
    Column::text("scenario"),
    Column::text("kind").detail(Detail::Wide),
    Column::text("expected"),
    Column::centre("met"),
    Column::num("rows").group(ROWS).detail(Detail::Wide),
    Column::num("malicious").group(ROWS).detail(Detail::Wide),
    Column::num("fired").group(ROWS).detail(Detail::Wide),
    Column::num("alerts").group(ROWS),
    Column::num("suppressed").group(ROWS).detail(Detail::Full),
    Column::split_counts(COUNTS).group(EVENT),
    Column::num("precision").group(EVENT),
    Column::num("recall").group(EVENT),
    Column::num("hosts TP / FP / FN / TN")
        .group("Host level")
        .detail(Detail::Full),
    Column::num("first detection").detail(Detail::Full),
];

/// One row per scenario; a scenario whose expectation did not hold is a failed row.
pub fn scenarios(r: &Report) -> Table<'_> {
    let mut t = Table::new("scenarios", "Scenarios", SCENARIOS);
    for s in &r.scenarios {
        t.push(
            vec![
                Cell::Titled {
                    id: &s.id,
                    title: &s.title,
                },
                Cell::Kind(&s.kind),
                Cell::Expected {
                    outcome: &s.expected_outcome,
                    exclusion: s.expected_exclusion.as_deref(),
                },
                Cell::Met {
                    met: s.expectation_met,
                    detail: &s.expectation_detail,
                },
                Cell::Count(s.rows),
                Cell::Count(s.malicious_rows),
                Cell::Count(s.fired),
                Cell::Count(s.alerts),
                Cell::Count(s.suppressed),
                Cell::Counts(s.event),
                Cell::Ratio(s.event.precision()),
                Cell::Ratio(s.event.recall()),
                Cell::Counts(s.host),
                Cell::FirstDetection {
                    secs: s.time_to_first_detection_s,
                    malicious: s.malicious_rows > 0,
                },
            ],
            !s.expectation_met,
        );
    }
    t
}

const HUNTS: &[Column] = &[
    Column::text("hunt"),
    Column::num("fired"),
    Column::num("alerts"),
    Column::split_counts(COUNTS),
    Column::num("precision"),
    Column::num("recall"),
    Column::num("F1"),
];

/// One row per hunt.
pub fn hunts(r: &Report) -> Table<'_> {
    let mut t = Table::new("hunts", "Hunts", HUNTS);
    for h in &r.hunts {
        let mut cells = vec![Cell::Id(&h.id), Cell::Count(h.fired), Cell::Count(h.alerts)];
        cells.extend(confusion_cells(&h.confusion));
        t.push(cells, false);
    }
    t
}

const EXCLUSIONS: &[Column] = &[
    Column::text("exclusion"),
    Column::text("documented for").detail(Detail::Page),
    Column::num("benign suppressed"),
    Column::num("malicious hidden"),
    Column::num("not evaluable"),
    Column::text("from scenarios").detail(Detail::Full),
];

/// One row per exclusion: what it removes and what it hides.
pub fn exclusions(r: &Report) -> Table<'_> {
    let mut t = Table::new("exclusions", "Exclusions", EXCLUSIONS);
    for x in &r.exclusions {
        t.push(
            vec![
                Cell::Id(&x.id),
                Cell::Id(&x.scenario),
                Cell::Count(x.benign_suppressed),
                Cell::Alarm(x.malicious_hidden),
                Cell::Count(x.not_evaluable),
                Cell::Breakdown(&x.by_scenario),
            ],
            false,
        );
    }
    t
}

const SOURCES: &[Column] = &[
    Column::text("source"),
    Column::centre("process on row"),
    Column::num("rows"),
    Column::num("fired"),
    Column::num("alerts"),
    Column::num("exclusions not evaluable"),
];

/// One row per telemetry source.
pub fn sources(r: &Report) -> Table<'_> {
    let mut t = Table::new("sources", "Telemetry sources", SOURCES);
    for s in &r.sources {
        t.push(
            vec![
                Cell::Id(&s.source),
                Cell::Present(s.has_process),
                Cell::Count(s.rows),
                Cell::Count(s.fired),
                Cell::Count(s.alerts),
                Cell::Alarm(s.not_evaluable),
            ],
            false,
        );
    }
    t
}

const SEMANTICS: &[Column] = &[
    Column::text("matcher"),
    Column::text("definition").detail(Detail::Full),
    Column::split_counts(COUNTS).detail(Detail::Full),
    Column::num("precision"),
    Column::num("recall"),
    Column::num("F1"),
];

/// One row per DNS matching semantics, before exclusions.
pub fn semantics(r: &Report) -> Table<'_> {
    let mut t = Table::new(
        "semantics",
        "DNS matching semantics (before exclusions)",
        SEMANTICS,
    );
    for s in &r.semantics {
        let mut cells = vec![Cell::Id(&s.matcher), Cell::Text(&s.definition)];
        cells.extend(confusion_cells(&s.confusion));
        t.push(cells, false);
    }
    t
}

const ATTRIBUTION: &[Column] = &[
    Column::text("DNS server alerts attributed by"),
    Column::split_counts("hosts TP / FP / FN / TN"),
    Column::num("precision"),
    Column::num("recall"),
    Column::num("to the host that asked"),
    Column::num("to another host").detail(Detail::Wide),
    Column::num("to no host").detail(Detail::Wide),
];

/// Host level with the DNS server's alerts attributed by label (the host that
/// asked) and by `ClientIP` (as an analyst maps it), and where those alerts went.
pub fn attribution(r: &Report) -> Table<'_> {
    let a = &r.host_attribution;
    let mut t = Table::new("attribution", "Host attribution", ATTRIBUTION);
    for (by, c, own, other, none) in [
        ("label", &a.host_by_label, a.dns_alerts, 0, 0),
        (
            "ClientIP",
            &a.host_by_client_ip,
            a.to_labelled_host,
            a.to_another_host,
            a.unmapped,
        ),
    ] {
        t.push(
            vec![
                Cell::Text(by),
                Cell::Counts(*c),
                Cell::Ratio(c.precision()),
                Cell::Ratio(c.recall()),
                Cell::Count(own),
                Cell::Alarm(other),
                Cell::Alarm(none),
            ],
            false,
        );
    }
    t
}

const FORWARDED: &[Column] = &[
    Column::text("host ClientIP maps to"),
    Column::num("others' alerts"),
    Column::num("hosts that asked"),
    Column::centre("infected"),
];

/// Hosts whose address carried other hosts' alerts (DNS forwarders).
pub fn forwarded(r: &Report) -> Table<'_> {
    let mut t = Table::new("forwarded", "Alerts attributed to a forwarder", FORWARDED);
    for f in &r.host_attribution.forwarded {
        t.push(
            vec![
                Cell::Id(&f.host),
                Cell::Count(f.alerts),
                Cell::Count(f.clients.len() as u64),
                Cell::Present(f.infected),
            ],
            false,
        );
    }
    t
}

const REJECTED: &[Column] = &[
    Column::text("table or file"),
    Column::num("row"),
    Column::text("why"),
];

/// The first rows that could not be read.
pub fn rejected(r: &Report) -> Table<'_> {
    let mut t = Table::new("rejected", "Rejected rows", REJECTED);
    for x in &r.rejected_examples {
        t.push(
            vec![Cell::Id(&x.table), Cell::Count(x.row), Cell::Text(&x.error)],
            false,
        );
    }
    t
}
