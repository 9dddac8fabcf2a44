//! The report's "deployed forms": each exported query, run by the local KQL
//! evaluator over every scenario's simulated tables (each scenario on its own),
//! against the rows the engine alerts on in the same tables, with the cause of
//! any difference. Forms the evaluator cannot run say why.

mod common;
pub mod sigma;

use common::{form, key, malicious_keys, run, tally, Forms, OnScenario, Row, Run, Scenario1};
pub use common::{DeployedForm, FormError};

use std::collections::{BTreeMap, BTreeSet, HashSet};

use detections::content::Detection;
use detections::enrich::ProcessJoin;
use detections::export::{self, Format, RuleTimes, AUDIT_FILTER};
use detections::history::RuleClock;
use detections::pipeline::Pipeline;
use detections::Decision;
use kql_eval::table::{DataTable, Tables};
use serde_json::Value;
use simulator::{Options, Record, Scenario, Table};
use std::convert::Infallible;

use crate::formats::Position;
use crate::scan::{JoinMode, Judgement, RowSink, Scanner};

const DNS_KEY: [&str; 5] = [
    "TimeGenerated",
    "Computer",
    "Name",
    "IPAddresses",
    "QueryType",
];
const ASIM_KEY: [&str; 5] = [
    "TimeGenerated",
    "Dvc",
    "DnsQuery",
    "DnsResponseName",
    "DnsQueryTypeName",
];
const DEFENDER_KEY: [&str; 3] = ["Timestamp", "DeviceName", "ReportId"];
/// The columns that identify a `CommonSecurityLog` row (the forms and the
/// Sigma rules over it key rows by them).
const CSL_KEY: [&str; 7] = [
    "TimeGenerated",
    "Computer",
    "SourceIP",
    "SourcePort",
    "DestinationIP",
    "DestinationPort",
    "RequestURL",
];

/// The columns of a `DnsEvents` row as the ASIM DNS parser maps it: each
/// name it gives, and the column it reads (a column the row lacks is empty).
const ASIM_COLUMNS: [(&str, &str); 6] = [
    ("TimeGenerated", "TimeGenerated"),
    ("Dvc", "Computer"),
    ("SrcIpAddr", "ClientIP"),
    ("DnsQuery", "Name"),
    ("DnsQueryTypeName", "QueryType"),
    ("DnsResponseName", "IPAddresses"),
];

/// An empty string: what the ASIM parser gives for a column the row lacks.
static BLANK: Value = Value::String(String::new());

/// A `DnsEvents` row as the ASIM DNS parser maps it.
pub fn asim_row(r: &Row) -> Row {
    ASIM_COLUMNS
        .into_iter()
        .map(|(to, from)| (to.to_owned(), r.get(from).unwrap_or(&BLANK).clone()))
        .collect()
}

fn is_defender(t: Table) -> bool {
    matches!(
        t,
        Table::DeviceEvents
            | Table::DeviceProcessEvents
            | Table::DeviceFileEvents
            | Table::DeviceNetworkEvents
    )
}

fn is_csl(t: Table) -> bool {
    t == Table::CommonSecurityLog
}

/// What each format exports of the content ([`export::exportable`]), in
/// the order of [`Format::ALL`].
type Views = Vec<(Format, Detection)>;

/// The formats' forms of each hunt on one scenario, against the engine: each
/// format of [`Format::ALL`] that the local evaluator runs.
fn compare_scenario(
    original: &Detection,
    views: &Views,
    s: &Scenario1<'_>,
    forms: &mut Forms,
) -> Result<(), FormError> {
    // The forms are written from what each format keeps of each hunt; the
    // engine's alerts are the whole hunt's, by its index in `original`.
    // The ASIM DNS form is written from the `kql` view (`export::export`).
    let kql = views
        .iter()
        .find(|(f, _)| *f == Format::Kql)
        .map(|(_, d)| d);
    for (format, det) in views {
        let format = *format;
        let det = match (format, kql) {
            (Format::KqlAsim, Some(kql)) => kql,
            _ => det,
        };
        for (h, whole) in original.hunts.iter().enumerate() {
            let Some(hunt) = det.hunts.iter().find(|k| k.id == whole.id) else {
                continue;
            };
            let dns = export::dns_hunts(det).any(|d| d.id == hunt.id);
            let csl = export::csl_hunts(det).any(|d| d.id == hunt.id);
            let on = OnScenario { det, h, hunt, s };
            match format {
                Format::Kql | Format::KqlAsim if dns => dns_form(format, on, forms)?,
                // The ASIM network and web session forms: recorded once, by
                // `not_run`.
                Format::Kql | Format::KqlAsim => {}
                Format::KqlDefender => audited_form(on, forms, &DEFENDER)?,
                Format::KqlCsl if csl => audited_form(on, forms, &CSL)?,
                Format::KqlCsl => {}
                Format::Sigma => sigma::compare(on, forms)?,
                // Read by no local evaluator: recorded once, by `not_run`.
                Format::KqlSysmonEvent => {}
                // Its rules hold the `kql` and `kql-defender` queries, compared
                // as those forms.
                Format::Sentinel => {}
            }
        }
    }
    Ok(())
}

/// Why the local evaluator runs no query of a format for a hunt, `None` where
/// it runs them: `asim_network` says whether the hunt has ASIM network (and
/// web) session forms and no ASIM DNS form.
fn not_run(format: Format, asim_network: bool) -> Option<(&'static str, &'static str)> {
    match format {
        Format::KqlSysmonEvent => Some(("Event (Sysmon)", "parses Sysmon's EventData XML (parse_xml, mv-expand, evaluate bag_unpack and pivot), outside the local evaluator's subset; snapshot-tested only")),
        Format::KqlAsim if asim_network => Some((ASIM_SESSIONS, ASIM_NOT_RUN)),
        Format::Kql
        | Format::KqlAsim
        | Format::KqlDefender
        | Format::KqlCsl
        | Format::Sentinel
        | Format::Sigma => None,
    }
}

/// The ASIM network and web session parsers the `kql-asim` form reads for a
/// hunt over network rows.
const ASIM_SESSIONS: &str = "_Im_NetworkSession, _Im_WebSession";

/// Why the ASIM network and web session forms are not run.
const ASIM_NOT_RUN: &str = "reads ASIM's network and web session parsers, which the simulator does not write (Microsoft's Defender-to-ASIM parser drops the URL's scheme and swaps the addresses of inbound connections, so a simulated copy would be assumed, not measured); parsed by Kusto.Language and snapshot-tested only";

/// Why a hunt the export leaves out whole has no deployed form.
const LEFT_OUT: &str =
    "this form does not write this hunt's conditions yet (network rows' addresses, URLs and hosts, files' digests): it is not exported in this form (the kql-defender and kql-csl forms write them); huntlab scan and explain hunt it";

const NEVER_HOLDS: &str =
    "this form's rows never carry what this hunt's condition needs (a process, on CommonSecurityLog rows): it is not exported in this form, where it could return no row; the kql-defender form writes it, and huntlab scan and explain hunt it";

/// The DNS hunt's `DnsEvents` (`kql`) or ASIM (`kql-asim`) query: the rows it
/// returns against the `DnsEvents` rows the engine alerts on.
fn dns_form(format: Format, on: OnScenario<'_>, forms: &mut Forms) -> Result<(), FormError> {
    let OnScenario { det, h, hunt, s } = on;
    let bit = 1u64 << h;
    let asim = format == Format::KqlAsim;
    let query = if asim {
        export::asim_query(det, hunt, s.times)
    } else {
        export::dnsevents_query(det, hunt, false, s.times)
    };
    let (columns, tables): (&[&str], &str) = if asim {
        (&ASIM_KEY, "_Im_Dns (from DnsEvents)")
    } else {
        (&DNS_KEY, "DnsEvents")
    };
    // A `DnsEvents` row as the query reads it.
    let as_read = |r: &simulator::Row| {
        let r = r.to_map();
        if asim {
            asim_row(&r)
        } else {
            r
        }
    };
    let want = s
        .records
        .iter()
        .zip(s.decisions)
        .filter(|(r, d)| r.table == Table::DnsEvents && d.alerted & bit != 0)
        .map(|(r, _)| (key(&as_read(&r.row), columns), r.label.malicious))
        .collect();
    let got = run(&query, s.runs, columns, format.name(), hunt)?;
    let bad = malicious_keys(
        s.records,
        |t| t == Table::DnsEvents,
        |r| key(&as_read(r), columns),
    );
    tally(
        forms
            .entry((h, format.name().to_owned()))
            .or_insert_with(|| form(format.name(), hunt, tables)),
        want,
        got,
        &bad,
    );
    Ok(())
}

/// A form whose query ends in [`AUDIT_FILTER`] (its exclusions' decisions
/// in `excluded_by` before it): its format, the tables it reads (and their
/// description), the columns that identify a row, and its query.
struct Audited {
    format: Format,
    tables: &'static str,
    reads: fn(Table) -> bool,
    key: &'static [&'static str],
    query: fn(&Detection, &detections::content::Hunt, Option<&RuleTimes>) -> String,
}

const DEFENDER: Audited = Audited {
    format: Format::KqlDefender,
    tables: "DeviceEvents, DeviceProcessEvents, DeviceFileEvents, DeviceNetworkEvents",
    reads: is_defender,
    key: &DEFENDER_KEY,
    query: export::defender_query,
};

const CSL: Audited = Audited {
    format: Format::KqlCsl,
    tables: "CommonSecurityLog",
    reads: is_csl,
    key: &CSL_KEY,
    query: export::csl_query,
};

/// The Defender or `CommonSecurityLog` query: its rows against the engine's
/// alerts on its tables, and its audit (the query without its filter)
/// against the engine's exclusion decisions.
fn audited_form(on: OnScenario<'_>, forms: &mut Forms, a: &Audited) -> Result<(), FormError> {
    let OnScenario { det, h, hunt, s } = on;
    let name = a.format.name();
    let rows = || s.records.iter().zip(s.decisions);
    let bit = 1u64 << h;
    let q = (a.query)(det, hunt, s.times);
    let entry = forms
        .entry((h, name.to_owned()))
        .or_insert_with(|| form(name, hunt, a.tables));
    let want = rows()
        .filter(|(r, d)| (a.reads)(r.table) && d.alerted & bit != 0)
        .map(|(r, _)| (key(&r.row, a.key), r.label.malicious))
        .collect();
    let got = run(&q, s.runs, a.key, name, hunt)?;
    let bad = malicious_keys(s.records, a.reads, |r| key(r, a.key));
    tally(entry, want, got, &bad);
    // The audit (the query without its filter): the exclusion decisions.
    let audit = q.strip_suffix(&format!("{AUDIT_FILTER}\n")).unwrap_or(&q);
    let audit_key: Vec<&str> = a.key.iter().copied().chain(["excluded_by"]).collect();
    let with_decision = |row: &simulator::Row, excluded: String| {
        let mut row = row.clone();
        row.insert("excluded_by", Value::String(excluded));
        key(&row, &audit_key)
    };
    let want: Vec<(String, bool)> = rows()
        .filter(|(r, d)| (a.reads)(r.table) && d.fired & bit != 0)
        .map(|(r, d)| {
            let excluded: Vec<&str> = hunt
                .exclusions
                .iter()
                .filter(|&&x| d.suppressing & (1 << x) != 0)
                .map(|&x| det.exclusions[x].id.as_str())
                .collect();
            (with_decision(&r.row, excluded.join(" ")), r.label.malicious)
        })
        .collect();
    let got = run(audit, s.runs, &audit_key, name, hunt)?;
    let mut probe = form("", hunt, "");
    tally(&mut probe, want, got, &HashSet::new());
    *entry.decisions_differ.get_or_insert(0) += probe.extra.max(probe.missed);
    Ok(())
}

/// The tables the exported queries read.
const READ: [&str; 8] = [
    "DnsEvents",
    "DeviceEvents",
    "DeviceProcessEvents",
    "DeviceFileEvents",
    "DeviceNetworkEvents",
    "DeviceFileCertificateInfo",
    "CommonSecurityLog",
    CLICKS,
];

/// Safe Links clicks: the Defender form of a link hunt reads them, and no
/// simulated traffic writes them (clicks come from mail), so the table is
/// always there and empty.
const CLICKS: &str = "UrlClickEvents";

/// A row with every documented column of the clicks' table, for the
/// columns of its empty table: text, the time a time.
fn clicks_sample() -> Row {
    schema_columns(CLICKS)
        .map(|c| {
            let v = if c == "Timestamp" {
                "2026-01-01T00:00:00Z"
            } else {
                ""
            };
            (c.to_owned(), Value::String(v.to_owned()))
        })
        .collect()
}

/// The tables whose rows differ in their columns by the device that wrote
/// them (a firewall's, a proxy's; a connection with or without a URL): the
/// evaluator gets every documented column of theirs, null where a row has
/// none, as Sentinel's table has them.
const SPARSE: [&str; 2] = ["CommonSecurityLog", "DeviceNetworkEvents"];

/// The documented columns `table`'s rows are given where they lack them
/// (`SPARSE` tables only; none for the others).
fn documented_columns(table: &str) -> Vec<&'static str> {
    if !SPARSE.contains(&table) {
        return Vec::new();
    }
    schema_columns(table).collect()
}

/// The documented columns of `table`, in the order its schema lists them.
fn schema_columns(table: &str) -> impl Iterator<Item = &'static str> {
    sources::schema_names(sources::schema_text(&format!("{table}.columns")).unwrap_or(""))
}

/// A row with every documented column of its table (`SPARSE` tables only),
/// null where it has none.
pub fn documented(table: &str, mut row: Row) -> Row {
    for c in documented_columns(table) {
        row.entry(c).or_insert(Value::Null);
    }
    row
}

/// A documented column a row lacks, as [`documented`] gives it.
static NULL: Value = Value::Null;

/// Each scenario's tables for the evaluator, with an empty table of each
/// table's columns (from `schema`) where the scenario writes none. Each
/// table is built from the records' cells (and the documented columns a
/// row lacks, as [`documented`] adds them), without a map per row: a
/// scenario's telemetry is held as records and as tables, not also as maps.
fn tables<'r>(
    records: impl Iterator<Item = &'r Record>,
    schema: &BTreeMap<&'static str, Row>,
) -> Tables {
    let empty = |sample: &Row| {
        let cols = DataTable::from_json_rows(std::slice::from_ref(sample))
            .into_parts()
            .0;
        DataTable::new(cols, Vec::new()).unwrap_or_else(|_| DataTable::from_json_rows(&[]))
    };
    // The records of each table read, in order (references: one pass).
    let mut by_table: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in records {
        if READ.contains(&r.table.name()) {
            by_table.entry(r.table.name()).or_default().push(r);
        }
    }
    let mut out = Tables::new();
    for (name, sample) in schema.iter().filter(|(n, _)| READ.contains(n)) {
        let rows = by_table.get(name).map_or(&[][..], Vec::as_slice);
        let t = if rows.is_empty() {
            empty(&documented(name, sample.clone()))
        } else {
            // What `documented` adds to a row: the documented columns it lacks.
            let doc = &documented_columns(name);
            DataTable::from_json_cells(rows, |r| {
                let own = r.row.columns().iter().map(|(k, v)| (*k, v));
                let lacking = doc.iter().filter(|c| r.row.get(c).is_none());
                own.chain(lacking.map(|c| (*c, &NULL)))
            })
        };
        out.insert((*name).to_owned(), t);
    }
    // Each row's cells as `asim_row` maps them, read in place.
    let dns = by_table.get("DnsEvents").map_or(&[][..], Vec::as_slice);
    let asim = match (dns.is_empty(), schema.get("DnsEvents")) {
        (true, Some(sample)) => empty(&asim_row(sample)),
        _ => DataTable::from_json_cells(dns, |r| {
            (ASIM_COLUMNS.iter()).map(|(to, from)| (*to, r.row.get(from).unwrap_or(&BLANK)))
        }),
    };
    out.insert("_Im_Dns".into(), asim);
    out
}

/// The largest scale the deployed forms are run at. The local KQL evaluator
/// holds a scenario's whole tables (several kilobytes a row): at the run's
/// scale, `report --scale 10` held 3.5 GB and `--scale 1000` passed 15 GB, so
/// larger runs check the exported queries on the scale-1 telemetry of the same
/// seed and window, and score the engine on every row at the run's scale.
pub const DEPLOYED_MAX_SCALE: f64 = 1.0;

/// Every exported form of every hunt of `det`, run over each scenario of
/// `scenarios` (simulated with `opts`, each on its own, at a scale of at most
/// [`DEPLOYED_MAX_SCALE`]) against the engine. With `rule`, both judge as
/// that scheduled rule runs: the engine with the facts each run sees
/// ([`crate::rule`]), the KQL queries written for the rule
/// ([`export::export_as`]) and run at the end of each window over the rows
/// that exist then, `ago()` read against that time.
pub fn deployed_forms(
    det: &Detection,
    scenarios: &[Scenario],
    opts: &Options,
    rule: Option<&crate::rule::Rule>,
) -> Result<Vec<DeployedForm>, FormError> {
    let capped = if opts.scale() > DEPLOYED_MAX_SCALE {
        opts.with_scale(DEPLOYED_MAX_SCALE).unwrap_or(*opts)
    } else {
        *opts
    };
    let opts = &capped;
    // A row of each table the queries read, for the columns of an empty table:
    // from the scenarios run, else from the built-in library.
    let mut schema: BTreeMap<&'static str, Row> = BTreeMap::from([(CLICKS, clicks_sample())]);
    let library = simulator::builtin().unwrap_or_default();
    for s in scenarios.iter().chain(&library) {
        if READ.iter().all(|t| schema.contains_key(t)) {
            break;
        }
        for r in simulator::generate(s, opts) {
            if READ.contains(&r.table.name()) {
                schema
                    .entry(r.table.name())
                    .or_insert_with(|| r.row.to_map());
            }
        }
    }
    let views: Views = Format::ALL
        .into_iter()
        .map(|f| (f, export::exportable(det, f).0))
        .collect();
    let times = rule.map(|(clock, _)| crate::rule::times(clock));
    let mut forms = Forms::new();
    for scenario in scenarios {
        let records: Vec<Record> = simulator::generate(scenario, opts).collect();
        let decisions = engine_decisions(det, scenario, &records, opts, rule);
        let all = Run {
            now: None,
            tables: tables(records.iter(), &schema),
        };
        let runs = match rule {
            Some((clock, _)) => rule_runs(clock, &records, &schema),
            None => Vec::new(),
        };
        let s = Scenario1 {
            records: &records,
            decisions: &decisions,
            all: &all,
            runs: if rule.is_some() {
                &runs
            } else {
                std::slice::from_ref(&all)
            },
            times: times.as_ref(),
        };
        compare_scenario(det, &views, &s, &mut forms)?;
    }
    // The hunts with an ASIM DNS form (run), from the `kql` view.
    let kql = export::exportable(det, Format::Kql).0;
    for format in Format::ALL {
        let left = export::exportable(det, format).1;
        for (h, hunt) in det.hunts.iter().enumerate() {
            let left_out = left.iter().find(|l| l.whole && l.hunt == hunt.id);
            let (tables, cause) = if let Some(l) = left_out {
                ("", if l.never { NEVER_HOLDS } else { LEFT_OUT })
            } else if let Some(why) = not_run(
                format,
                !export::dns_hunts(&kql).any(|d| d.id == hunt.id)
                    && export::asim_network_hunts(det).any(|n| n.id == hunt.id),
            ) {
                why
            } else {
                continue;
            };
            let mut f = form(format.name(), hunt, tables);
            f.status = "not_run";
            f.cause = Some(cause.into());
            forms.insert((h, format.name().to_owned()), f);
        }
    }
    let mut out: Vec<DeployedForm> = forms.into_values().collect();
    for f in &mut out {
        if f.status == "parity"
            && (f.extra > 0 || f.missed > 0 || f.decisions_differ.unwrap_or(0) > 0)
        {
            f.status = "differs";
            if f.cause.is_none() {
                f.cause =
                    Some("the exported query and the engine disagree: a bug in the export".into());
            }
        } else if f.status == "parity" {
            // A Sigma conversion that happens to agree needs no cause.
            f.cause = None;
        }
    }
    Ok(out)
}

/// The engine's decision on each of a scenario's rows, through the reading
/// loop in order (no row waits: a row that does not read decides nothing);
/// with `rule`, each row joined with the facts its run sees.
fn engine_decisions(
    det: &Detection,
    scenario: &Scenario,
    records: &[Record],
    opts: &Options,
    rule: Option<&crate::rule::Rule>,
) -> Vec<Decision> {
    let join = match rule {
        Some((clock, _)) => ProcessJoin::new().with_history(crate::rule::history(
            *clock,
            std::slice::from_ref(scenario),
            opts,
        )),
        None => ProcessJoin::new(),
    };
    let mut scanner = Scanner::new(Pipeline::with_join(det, join), JoinMode::Wait(0));
    let mut decisions = Decisions(vec![Decision::default(); records.len()]);
    for (n, r) in (1..).zip(records) {
        scanner.at(r.time_ms);
        let Ok(()) = scanner.row(0, Position::Line(n), r.row.columns(), &mut decisions);
    }
    let Ok(()) = scanner.finish(&mut decisions);
    decisions.0
}

/// The runs of a scheduled rule over a scenario: one at the end of each
/// window that holds a row, over the rows written before it (100 ns ticks,
/// as the evaluator's datetimes).
fn rule_runs(
    clock: &RuleClock,
    records: &[Record],
    schema: &BTreeMap<&'static str, Row>,
) -> Vec<Run> {
    let ends: BTreeSet<i64> = records.iter().map(|r| clock.run_at(r.time_ms)).collect();
    ends.into_iter()
        .map(|end| Run {
            now: Some(end * TICKS_PER_MS),
            tables: tables(records.iter().filter(|r| r.time_ms < end), schema),
        })
        .collect()
}

/// 100 ns ticks in a millisecond.
const TICKS_PER_MS: i64 = 10_000;

/// Each row's decision, by its position (line `n` is the `n`-th record):
/// the default (nothing fired) for a row that does not read. A row may be
/// judged after a later one (a row that waits for its process, or its
/// host's), so the decisions are placed, not pushed.
struct Decisions(Vec<Decision>);

impl RowSink for Decisions {
    type Error = Infallible;

    fn row(&mut self, j: &Judgement) -> Result<(), Infallible> {
        if let Position::Line(n) = j.position {
            if let Some(d) = usize::try_from(n)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.0.get_mut(i))
            {
                *d = j.judged.decision;
            }
        }
        Ok(())
    }
}
