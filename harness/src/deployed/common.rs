//! What the comparisons share: the form's record, running a query, and counting
//! its rows against the engine's.

use std::collections::{BTreeMap, HashSet};

use detections::content::{Detection, Hunt};
use detections::export::RuleTimes;
use detections::Decision;
use kql_eval::eval::Query;
use kql_eval::table::Tables;
use serde::Serialize;
use serde_json::{Map, Value};
use simulator::{Record, Table};

/// One exported form of one hunt, against the engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployedForm {
    /// The export format (`kql`, `kql-asim`, `kql-defender`, `kql-csl`,
    /// `kql-sysmon-event`, `sigma`), and for Sigma the rule's category.
    pub form: String,
    /// The hunt.
    pub hunt: String,
    /// The tables it reads.
    pub tables: String,
    /// `parity` (same rows and, for Defender and `CommonSecurityLog`, the same
    /// exclusion decisions),
    /// `differs` (counted below, with the cause) or `not_run` (the cause says why).
    pub status: &'static str,
    /// Rows of those tables the engine alerts on (for the hunt).
    pub engine_alerts: u64,
    /// Rows the query returns, when it ran.
    pub query_alerts: Option<u64>,
    /// Rows the query returns that the engine does not alert on, and how many
    /// of them are malicious.
    pub extra: u64,
    /// Of `extra`, malicious rows.
    pub extra_malicious: u64,
    /// Rows the engine alerts on that the query does not return.
    pub missed: u64,
    /// Of `missed`, malicious rows.
    pub missed_malicious: u64,
    /// Defender and `CommonSecurityLog`: rows the hunt fired on whose exclusion
    /// decisions differ.
    pub decisions_differ: Option<u64>,
    /// Why the form differs or was not run, else null.
    pub cause: Option<String>,
}

/// An exported query the evaluator rejected: a bug in the export.
#[derive(Debug, thiserror::Error)]
#[error("the exported {form} query of hunt {hunt} does not run: {error}")]
pub struct FormError {
    /// The form.
    pub form: String,
    /// The hunt.
    pub hunt: String,
    /// The evaluator's error.
    pub error: kql_eval::error::Error,
}

/// The forms compared so far, by hunt (its position) and form name, in the
/// order the report lists them.
pub(super) type Forms = BTreeMap<(usize, String), DeployedForm>;

/// A row, as the simulator writes it.
pub(super) type Row = Map<String, Value>;

/// One scenario: its rows, the engine's decision on each, the evaluator's
/// tables (every row, which the Sigma conversions read: they carry no
/// schedule), and the runs the exported KQL queries are run as.
pub(super) struct Scenario1<'a> {
    pub(super) records: &'a [Record],
    pub(super) decisions: &'a [Decision],
    pub(super) all: &'a Run,
    pub(super) runs: &'a [Run],
    /// The scheduled rule the KQL queries are written for, if any.
    pub(super) times: Option<&'a RuleTimes>,
}

/// One run of the exported queries: the time it runs at (100 ns ticks;
/// none for one run over every row) and the tables as they stand then.
pub(super) struct Run {
    pub(super) now: Option<i64>,
    pub(super) tables: Tables,
}

/// One hunt (the `h`-th of `det`) on one scenario: what each format's
/// comparison reads.
#[derive(Clone, Copy)]
pub(super) struct OnScenario<'a> {
    pub(super) det: &'a Detection,
    pub(super) h: usize,
    pub(super) hunt: &'a Hunt,
    pub(super) s: &'a Scenario1<'a>,
}

/// Key columns and the rows they identify, as a multiset.
fn keys(rows: impl Iterator<Item = (String, bool)>) -> BTreeMap<String, (u64, u64)> {
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (k, malicious) in rows {
        let e = m.entry(k).or_default();
        e.0 += 1;
        e.1 += u64::from(malicious);
    }
    m
}

/// A row's columns by name: a query's row or a generated one.
pub(super) trait Cells {
    /// Column `c`'s value.
    fn cell(&self, c: &str) -> Option<&Value>;
}

impl Cells for Row {
    fn cell(&self, c: &str) -> Option<&Value> {
        self.get(c)
    }
}

impl Cells for simulator::Row {
    fn cell(&self, c: &str) -> Option<&Value> {
        self.get(c)
    }
}

/// A row's key columns, as text: an absent, a null and an empty column alike
/// empty (a table's column the row does not carry comes back from a query
/// null, or empty where the column is a string: Kusto tells none apart).
pub(super) fn key(row: &impl Cells, columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| match row.cell(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) if s.is_empty() => String::new(),
            Some(v) => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\t")
}

/// Accumulate one scenario's comparison into `f`: `want` the engine's rows (key,
/// malicious), `got` the query's keys, `malicious` the keys of every malicious
/// row of the tables read (to tell what an extra row is).
pub(super) fn tally(
    f: &mut DeployedForm,
    want: Vec<(String, bool)>,
    got: Vec<String>,
    malicious: &HashSet<String>,
) {
    let mut want = keys(want.into_iter());
    f.engine_alerts += want.values().map(|v| v.0).sum::<u64>();
    *f.query_alerts.get_or_insert(0) += got.len() as u64;
    for k in got {
        match want.get_mut(&k) {
            Some(v) if v.0 > 0 => v.0 -= 1,
            _ => {
                f.extra += 1;
                f.extra_malicious += u64::from(malicious.contains(&k));
            }
        }
    }
    for v in want.values() {
        f.missed += v.0;
        f.missed_malicious += v.1.min(v.0);
    }
}

/// The keys of the malicious rows of the tables `read`.
pub(super) fn malicious_keys(
    records: &[Record],
    read: impl Fn(Table) -> bool,
    key_of: impl Fn(&simulator::Row) -> String,
) -> HashSet<String> {
    records
        .iter()
        .filter(|r| r.label.malicious && read(r.table))
        .map(|r| key_of(&r.row))
        .collect()
}

/// The keys of the rows `q` returns over every run, in order: a scheduled
/// rule's query keeps to its own window, so each row comes from one run.
pub(super) fn run(
    q: &str,
    runs: &[Run],
    columns: &[&str],
    form: &str,
    hunt: &Hunt,
) -> Result<Vec<String>, FormError> {
    let failed = |error| FormError {
        form: form.to_owned(),
        hunt: hunt.id.clone(),
        error,
    };
    let query = Query::parse(q).map_err(failed)?;
    let mut out = Vec::new();
    for r in runs {
        let result = match r.now {
            Some(now) => query.run_at(&r.tables, now),
            None => query.run(&r.tables),
        }
        .map_err(failed)?;
        out.extend(result.to_json_rows().iter().map(|row| key(row, columns)));
    }
    Ok(out)
}

pub(super) fn form(name: &str, hunt: &Hunt, tables: &str) -> DeployedForm {
    DeployedForm {
        form: name.to_owned(),
        hunt: hunt.id.clone(),
        tables: tables.to_owned(),
        status: "parity",
        engine_alerts: 0,
        query_alerts: None,
        extra: 0,
        extra_malicious: 0,
        missed: 0,
        missed_malicious: 0,
        decisions_differ: None,
        cause: None,
    }
}
