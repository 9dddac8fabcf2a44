//! The report's tables, each built once here and drawn by every renderer that
//! shows it (terminal, Markdown, HTML). Column lists live only here.

use super::table::{Cell, Column, Detail, ReportTable};
use crate::metrics::Confusion;
use crate::report::{Cause, Report, Status};

mod kinds;
pub use kinds::{indicator_kinds, kinds_by_scenario};

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

/// Overall figures: rows, DNS lookups and incidents.
pub fn overall(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("overall", "Overall", OVERALL);
    for (level, c) in [
        ("row", &r.overall.event),
        ("DNS lookup", &r.overall.lookup),
        ("incident", &r.overall.host),
    ] {
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
    Column::centre("status"),
    Column::num("rows").group(ROWS).detail(Detail::Wide),
    Column::num("malicious").group(ROWS).detail(Detail::Wide),
    Column::num("fired").group(ROWS).detail(Detail::Wide),
    Column::num("alerts").group(ROWS).detail(Detail::Wide),
    Column::split_counts(COUNTS).group(EVENT),
    Column::num("precision").group(EVENT).detail(Detail::Wide),
    Column::num("recall").group(EVENT),
    Column::num("recall, visible rows")
        .group(EVENT)
        .detail(Detail::Full),
    // Brief: "lookups", so that the host column fits 100 characters.
    Column::num("lookup recall")
        .group("DNS lookups")
        .brief("lookups"),
    Column::num("hosts").group("Incidents"),
    Column::num("TP / FP / FN / TN")
        .group("Incidents")
        .detail(Detail::Full),
    Column::num("first detection").detail(Detail::Full),
];

/// One row per scenario; a scenario that fails the run is a failed row.
pub fn scenarios(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("scenarios", "Scenarios", SCENARIOS);
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
                Cell::Status {
                    status: s.status,
                    detail: &s.expectation_detail,
                },
                Cell::Count(s.rows),
                Cell::Count(s.malicious_rows),
                Cell::Count(s.fired),
                Cell::Count(s.alerts),
                Cell::Counts(s.event),
                Cell::Ratio(s.event.precision()),
                Cell::Ratio(s.event.recall()),
                Cell::Ratio(s.recall_visible),
                Cell::Ratio(s.lookup.recall()),
                Cell::Hosts {
                    alerted: s.hosts_alerted,
                    infected: s.hosts_infected,
                    silent: &s.silent_hosts,
                },
                Cell::Counts(s.host),
                Cell::FirstDetection {
                    secs: s.time_to_first_detection_s,
                    malicious: s.malicious_rows > 0,
                },
            ],
            s.status.fails_run(),
        );
    }
    t
}

const GAPS: &[Column] = &[
    Column::text("scenario"),
    Column::centre("status"),
    Column::text("cause"),
    Column::text("why the content accepts it").detail(Detail::Full),
];

/// One row per scenario the content declares a known gap for.
pub fn known_gaps(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("known-gaps", "Known gaps", GAPS);
    for s in r.scenarios.iter().filter(|s| s.known_gap.is_some()) {
        t.push(
            vec![
                Cell::Id(&s.id),
                Cell::Status {
                    status: s.status,
                    detail: &s.expectation_detail,
                },
                match &s.cause {
                    Some(c) => cause_cell(c),
                    None => Cell::Text("the expectation holds"),
                },
                Cell::Text(s.known_gap.as_deref().unwrap_or("")),
            ],
            s.status == Status::GapClosed,
        );
    }
    t
}

/// A cause as a cell: the exclusion or hunt it names, else a phrase.
fn cause_cell(c: &Cause) -> Cell<'_> {
    match c {
        Cause::Exclusion(x) => Cell::Labelled {
            label: "hidden by",
            id: x,
        },
        Cause::Hunt(h) => Cell::Labelled {
            label: "false positives of",
            id: h,
        },
        Cause::NotRead => Cell::Text("no hunt reads the rows"),
        Cause::NotMatched => Cell::Text("no hunt matches the rows"),
        Cause::OtherSuppression => Cell::Text("suppressed by another exclusion"),
    }
}

const MISSES: &[Column] = &[
    Column::text("why no alert"),
    Column::num("malicious rows"),
    Column::num("also hidden by another"),
];

/// Malicious rows without an alert, by cause. A hidden row counts once, under
/// the first exclusion (in content order) that suppressed it, so the
/// exclusions' rows add up to the hidden ones; the last column is the overlap:
/// rows the exclusion suppressed that another suppressed too.
pub fn misses(r: &Report) -> ReportTable<'_> {
    let m = &r.overall.misses;
    let mut t = ReportTable::new("misses", "Missed malicious rows", MISSES);
    let causes = [
        ("no hunt reads rows of its kind", Cell::Count(m.not_read)),
        ("a hunt reads it, none matches", Cell::Count(m.not_matched)),
        ("a hunt fired, an exclusion hid it", Cell::Alarm(m.hidden)),
    ];
    for (why, n) in causes {
        t.push(vec![Cell::Text(why), n, Cell::Text("")], false);
    }
    for h in &m.hidden_by {
        let by = Cell::Labelled {
            label: "hidden first by",
            id: &h.exclusion,
        };
        t.push(
            vec![
                by,
                Cell::Alarm(h.rows),
                Cell::Count(h.also_hidden_by_another),
            ],
            false,
        );
    }
    t
}

const STEPS: &[Column] = &[
    Column::text("step"),
    Column::num("no hunt reads"),
    Column::num("none matches"),
];

/// Malicious rows no hunt fired on, by the scenario step that wrote them.
pub fn unmatched_steps(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new(
        "unmatched-steps",
        "Malicious rows no hunt fired on, by step",
        STEPS,
    );
    for s in &r.overall.misses.unmatched_steps {
        t.push(
            vec![
                Cell::Id(&s.step),
                Cell::Count(s.not_read),
                Cell::Count(s.not_matched),
            ],
            false,
        );
    }
    t
}

const HUNTS: &[Column] = &[
    Column::text("hunt"),
    Column::text("origin"),
    Column::num("fired"),
    Column::num("alerts"),
    Column::split_counts(COUNTS),
    Column::num("precision"),
    Column::num("recall"),
    Column::num("F1"),
];

/// One row per hunt.
pub fn hunts(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("hunts", "Hunts", HUNTS);
    for h in &r.hunts {
        let mut cells = vec![
            Cell::Titled {
                id: &h.id,
                title: &h.title,
            },
            Cell::Origin {
                origin: &h.origin,
                why: h.origin_why.as_deref(),
            },
            Cell::Count(h.fired),
            Cell::Count(h.alerts),
        ];
        cells.extend(confusion_cells(&h.confusion));
        t.push(cells, false);
    }
    t
}

const IMPACT: &[Column] = &[
    Column::text("exclusion"),
    Column::text("on hunt"),
    Column::num("benign removed"),
    Column::num("malicious hidden"),
    Column::num("not evaluable"),
    Column::centre("harmful"),
];

/// One row per exclusion and hunt it guards: what it removes and what it hides
/// there; a harmful pair is flagged.
pub fn impact(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("impact", "Exclusion impact per hunt", IMPACT);
    for x in &r.exclusions {
        for b in &x.by_hunt {
            t.push(
                vec![
                    Cell::Id(&x.id),
                    Cell::Id(&b.hunt),
                    Cell::Count(b.benign_suppressed),
                    Cell::Alarm(b.malicious_hidden),
                    Cell::Count(b.not_evaluable),
                    Cell::Harmful(b.harmful),
                ],
                false,
            );
        }
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

/// One row per exclusion: what it removes and what it hides, over every hunt.
pub fn exclusions(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("exclusions", "Exclusions", EXCLUSIONS);
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

const EXPOSURE: &[Column] = &[
    Column::text("exclusion"),
    Column::text("attacker controls"),
    Column::text("holds them back").detail(Detail::Page),
    Column::centre("spoofable"),
    Column::centre("mimic"),
    Column::text("an attack that copies").detail(Detail::Full),
];

/// One row per exclusion: the fields an attacker controls, those that hold
/// them back, and whether one of its conjunctions is theirs alone
/// (spoofable: an attack that copies those values is suppressed).
pub fn exposure(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("exposure", "Exclusions an attacker can satisfy", EXPOSURE);
    for x in &r.exclusions {
        let [controls, held, mimic] = &x.exposure_text;
        t.push(
            vec![
                Cell::Id(&x.id),
                Cell::Text(controls),
                Cell::Text(held),
                Cell::Text(if x.exposure.spoofable {
                    "SPOOFABLE"
                } else {
                    "–"
                }),
                Cell::Text(x.mimic.as_ref().map_or("–", |m| m.label())),
                Cell::Code(mimic),
            ],
            false,
        );
    }
    t
}

const READINGS: &[Column] = &[
    Column::text("exclusion"),
    Column::text("the source's text"),
    Column::text("how the content reads it"),
    Column::text("condition"),
    Column::text("inert branches"),
];

/// One row per exclusion: the source's text, the content's reading, the
/// condition it evaluates, and its branches that held on no row.
pub fn readings(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("readings", "Exclusions as written and as read", READINGS);
    for x in &r.exclusions {
        t.push(
            vec![
                Cell::Id(&x.id),
                Cell::Text(&x.seed_text),
                Cell::Text(x.reading.as_deref().unwrap_or("as written")),
                Cell::Code(&x.condition),
                Cell::Branches(&x.inert_branches),
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
pub fn sources(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("sources", "Telemetry sources", SOURCES);
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
pub fn semantics(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new(
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
pub fn attribution(r: &Report) -> ReportTable<'_> {
    let a = &r.host_attribution;
    let mut t = ReportTable::new("attribution", "Host attribution", ATTRIBUTION);
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
pub fn forwarded(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("forwarded", "Alerts attributed to a forwarder", FORWARDED);
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
pub fn rejected(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("rejected", "Rejected rows", REJECTED);
    for x in &r.rejected_examples {
        t.push(
            vec![Cell::Id(&x.table), Cell::Count(x.row), Cell::Text(&x.error)],
            false,
        );
    }
    t
}

const DEPLOYED: &[Column] = &[
    Column::text("form"),
    Column::text("hunt"),
    Column::text("tables").detail(Detail::Wide),
    Column::centre("status"),
    Column::num("engine alerts"),
    Column::num("query rows"),
    Column::num("extra"),
    Column::num("extra malicious").detail(Detail::Wide),
    Column::num("missed"),
    Column::num("missed malicious").detail(Detail::Wide),
    Column::text("cause").detail(Detail::Wide),
];

/// Each exported form of each hunt against the engine (empty when not computed).
pub fn deployed(r: &Report) -> ReportTable<'_> {
    let mut t = ReportTable::new("deployed", "Deployed forms", DEPLOYED);
    for f in &r.deployed_forms {
        let ran = f.query_alerts.is_some();
        let count = |n: u64| if ran { Cell::Count(n) } else { Cell::Text("-") };
        t.push(
            vec![
                Cell::Id(&f.form),
                Cell::Id(&f.hunt),
                Cell::Text(&f.tables),
                Cell::Text(f.status),
                count(f.engine_alerts),
                f.query_alerts.map_or(Cell::Text("not run"), Cell::Count),
                count(f.extra),
                count(f.extra_malicious),
                count(f.missed),
                count(f.missed_malicious),
                Cell::Text(f.cause.as_deref().unwrap_or("")),
            ],
            f.status == "differs",
        );
    }
    t
}
