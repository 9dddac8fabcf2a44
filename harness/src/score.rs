//! Scoring: every generated row goes through the field mapping, the Sysmon process
//! join and the detection; its decision is compared with its label.
//!
//! Memory stays bounded by the number of scenarios, hosts, exclusions and minutes
//! of simulated time, never by the number of rows.

use std::collections::{BTreeMap, HashMap};

use detections::matcher::{DomainSet, HasAny, HasAnyFast};
use detections::pipeline::Pipeline;
use detections::row::Columns;
use detections::{Decision, Detection, Event, Kind, Source};
use simulator::{Counts, Expected, Label, Options, Record, Scenario};

use crate::attribution::Attribution;
use crate::metrics::Confusion;
use crate::report::*;

/// Bins in each scenario's alert timeline.
pub const TIMELINE_BINS: usize = 48;
/// How many rejected rows the report lists.
pub const REJECTED_EXAMPLES: usize = 20;

#[derive(Debug, Default)]
struct ScenarioAcc {
    rows: u64,
    malicious_rows: u64,
    fired: u64,
    alerts: u64,
    suppressed: u64,
    event: Confusion,
    /// host -> (infected, flagged)
    hosts: BTreeMap<String, (bool, bool)>,
    first_malicious_ms: Option<i64>,
    last_malicious_ms: Option<i64>,
    first_malicious_alert_ms: Option<i64>,
    /// Fired rows the named exclusion did not suppress.
    fired_not_by_named: u64,
    /// Malicious rows the named exclusion suppressed.
    named_hidden: u64,
    /// minute -> [alerted, hidden, missed] for malicious rows.
    minutes: BTreeMap<i64, [u64; 3]>,
}

#[derive(Debug, Default, Clone)]
struct ExclusionAcc {
    benign_suppressed: u64,
    malicious_hidden: u64,
    not_evaluable: u64,
    by_scenario: BTreeMap<String, (u64, u64)>,
}

#[derive(Debug, Default, Clone, Copy)]
struct SourceAcc {
    rows: u64,
    fired: u64,
    alerts: u64,
    not_evaluable: u64,
}

#[derive(Debug, Default, Clone, Copy)]
struct HuntAcc {
    fired: u64,
    alerts: u64,
    confusion: Confusion,
}

/// Accumulates decisions against labels, row by row.
#[derive(Debug)]
pub struct Scorer<'a> {
    det: &'a Detection,
    scenarios: Vec<&'a Scenario>,
    pipeline: Pipeline<'a>,
    strict: DomainSet,
    has_any: HasAnyFast,
    rows_read: u64,
    rows_rejected: u64,
    rejected: Vec<Rejected>,
    table_rows: HashMap<String, u64>,
    by_scenario: BTreeMap<String, ScenarioAcc>,
    named_exclusion: HashMap<String, Option<usize>>,
    exclusions: Vec<ExclusionAcc>,
    sources: BTreeMap<Source, SourceAcc>,
    hunts: Vec<HuntAcc>,
    semantics: [Confusion; 3],
    overall: Confusion,
    attribution: Attribution,
}

impl<'a> Scorer<'a> {
    /// A scorer for this detection over these scenarios.
    pub fn new(det: &'a Detection, scenarios: &'a [Scenario]) -> Self {
        let domains = det.domains();
        let mut by_scenario = BTreeMap::new();
        let mut named_exclusion = HashMap::new();
        for s in scenarios {
            by_scenario.insert(s.id.clone(), ScenarioAcc::default());
            named_exclusion.insert(
                s.id.clone(),
                s.expect
                    .exclusion
                    .as_deref()
                    .and_then(|x| det.exclusion_index(x)),
            );
        }
        Self {
            det,
            scenarios: scenarios.iter().collect(),
            pipeline: Pipeline::new(det),
            strict: DomainSet::new(&domains),
            has_any: HasAnyFast::new(&domains),
            rows_read: 0,
            rows_rejected: 0,
            rejected: Vec::new(),
            table_rows: HashMap::new(),
            by_scenario,
            named_exclusion,
            exclusions: vec![ExclusionAcc::default(); det.exclusions.len()],
            sources: BTreeMap::new(),
            hunts: vec![HuntAcc::default(); det.hunts.len()],
            semantics: [Confusion::default(); 3],
            overall: Confusion::default(),
            attribution: Attribution::default(),
        }
    }

    /// Score one generated record.
    pub fn observe(&mut self, rec: &Record) {
        self.observe_row(rec.table.name(), rec.time_ms, &rec.row, &rec.label);
    }

    /// Score one row of `table` with its label. A row that cannot be read is
    /// counted as rejected, with its table, row number and reason.
    pub fn observe_row<C: Columns + ?Sized>(
        &mut self,
        table: &str,
        time_ms: i64,
        row: &C,
        label: &Label,
    ) {
        self.rows_read += 1;
        let row_no = match self.table_rows.get_mut(table) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                self.table_rows.insert(table.to_owned(), 1);
                1
            }
        };
        let judged = match self.pipeline.judge(row) {
            Ok(j) => j,
            Err(e) => {
                self.rows_rejected += 1;
                if self.rejected.len() < REJECTED_EXAMPLES {
                    self.rejected.push(Rejected {
                        table: table.to_owned(),
                        row: row_no,
                        error: e.to_string(),
                    });
                }
                return;
            }
        };
        self.score(&judged.event, &judged.decision, time_ms, label);
    }

    fn score(&mut self, ev: &Event, d: &Decision, time_ms: i64, label: &Label) {
        let truth = label.malicious;
        let fired = d.fired != 0;
        self.overall.add(truth, d.alert);
        self.attribution.observe(ev, label, d.alert);

        let src = self.sources.entry(ev.source).or_default();
        src.rows += 1;
        src.fired += u64::from(fired);
        src.alerts += u64::from(d.alert);
        src.not_evaluable += u64::from(fired && d.not_evaluable != 0);

        for (i, h) in self.det.hunts.iter().enumerate() {
            if h.reads_kind(ev.kind()) {
                let acc = &mut self.hunts[i];
                let alerted = d.alerted & (1 << i) != 0;
                acc.fired += u64::from(d.fired & (1 << i) != 0);
                acc.alerts += u64::from(alerted);
                acc.confusion.add(truth, alerted);
            }
        }

        if ev.kind() == Kind::Dns {
            let name = ev.query_name.as_deref().unwrap_or("");
            self.semantics[0].add(truth, self.has_any.is_match(name));
            self.semantics[1].add(truth, self.strict.exact(name).is_some());
            self.semantics[2].add(truth, self.strict.suffix(name).is_some());
        }

        for (x, acc) in self.exclusions.iter_mut().enumerate() {
            if d.suppressing & (1 << x) != 0 {
                let e = acc.by_scenario.entry(label.scenario.clone()).or_default();
                if truth {
                    acc.malicious_hidden += 1;
                    e.1 += 1;
                } else {
                    acc.benign_suppressed += 1;
                    e.0 += 1;
                }
            }
            if d.not_evaluable & (1 << x) != 0 {
                acc.not_evaluable += 1;
            }
        }

        let named = self.named_exclusion.get(&label.scenario).copied().flatten();
        if !self.by_scenario.contains_key(&label.scenario) {
            self.by_scenario
                .insert(label.scenario.clone(), ScenarioAcc::default());
        }
        let Some(s) = self.by_scenario.get_mut(&label.scenario) else {
            return;
        };
        s.rows += 1;
        s.fired += u64::from(fired);
        s.alerts += u64::from(d.alert);
        s.suppressed += u64::from(fired && !d.alert);
        s.event.add(truth, d.alert);
        match s.hosts.get_mut(&label.host) {
            Some(host) => {
                host.0 |= truth;
                host.1 |= d.alert;
            }
            None => {
                s.hosts.insert(label.host.clone(), (truth, d.alert));
            }
        }
        if fired {
            let by_named = named.is_some_and(|x| d.suppressing & (1 << x) != 0);
            s.fired_not_by_named += u64::from(!by_named);
            s.named_hidden += u64::from(truth && by_named);
        }
        if truth {
            s.malicious_rows += 1;
            s.first_malicious_ms = Some(s.first_malicious_ms.map_or(time_ms, |t| t.min(time_ms)));
            s.last_malicious_ms = Some(s.last_malicious_ms.map_or(time_ms, |t| t.max(time_ms)));
            if d.alert {
                s.first_malicious_alert_ms = Some(
                    s.first_malicious_alert_ms
                        .map_or(time_ms, |t| t.min(time_ms)),
                );
            }
            let class = if d.alert {
                0
            } else if fired {
                1
            } else {
                2
            };
            s.minutes.entry(time_ms.div_euclid(60_000)).or_default()[class] += 1;
        }
    }

    /// Rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// The report.
    pub fn finish(self, params: Options) -> Report {
        let det = self.det;
        let mut scenarios = Vec::new();
        let mut host_total = Confusion::default();
        let (mut met, mut failed) = (0, 0);
        for (id, acc) in &self.by_scenario {
            let sc = self.scenarios.iter().find(|s| &s.id == id);
            let (ok, detail) = match sc {
                Some(sc) => check_expectation(sc, acc),
                None => (
                    false,
                    "rows carry a scenario id that is not in the library".to_owned(),
                ),
            };
            if ok {
                met += 1;
            } else {
                failed += 1;
            }
            let mut host = Confusion::default();
            for (infected, flagged) in acc.hosts.values() {
                host.add(*infected, *flagged);
            }
            host_total.merge(&host);
            let ttfd = match (acc.first_malicious_ms, acc.first_malicious_alert_ms) {
                (Some(a), Some(b)) => Some((b - a) as f64 / 1000.0),
                _ => None,
            };
            scenarios.push(ScenarioScore {
                id: id.clone(),
                title: sc.map_or_else(String::new, |s| s.title.clone()),
                kind: sc.map_or("unknown", |s| s.kind.name()).to_owned(),
                expected_outcome: sc
                    .map_or("unknown", |s| outcome_name(s.expect.outcome))
                    .to_owned(),
                expected_exclusion: sc.and_then(|s| s.expect.exclusion.clone()),
                expectation_met: ok,
                expectation_detail: detail,
                rows: acc.rows,
                malicious_rows: acc.malicious_rows,
                fired: acc.fired,
                alerts: acc.alerts,
                suppressed: acc.suppressed,
                event: acc.event,
                host,
                time_to_first_detection_s: ttfd,
                timeline: timeline(acc),
            });
        }
        let exclusions = det
            .exclusions
            .iter()
            .zip(&self.exclusions)
            .map(|(x, a)| ExclusionScore {
                id: x.id.clone(),
                scenario: x.scenario.clone(),
                benign_suppressed: a.benign_suppressed,
                malicious_hidden: a.malicious_hidden,
                not_evaluable: a.not_evaluable,
                by_scenario: a
                    .by_scenario
                    .iter()
                    .map(|(s, (b, m))| ExclusionByScenario {
                        scenario: s.clone(),
                        benign_suppressed: *b,
                        malicious_hidden: *m,
                    })
                    .collect(),
            })
            .collect();
        let hunts = det
            .hunts
            .iter()
            .zip(&self.hunts)
            .map(|(h, a)| HuntScore {
                id: h.id.clone(),
                fired: a.fired,
                alerts: a.alerts,
                confusion: a.confusion,
            })
            .collect();
        let sources = self
            .sources
            .iter()
            .map(|(s, a)| SourceScore {
                source: s.name().to_owned(),
                rows: a.rows,
                fired: a.fired,
                alerts: a.alerts,
                not_evaluable: a.not_evaluable,
                has_process: !matches!(s, Source::DnsEvents) && s.kind() != Kind::Other,
            })
            .collect();
        let semantics = [
            (
                "has_any",
                "Name has_any (IOCs): the source's query; term-bounded, any position",
            ),
            (
                "exact",
                "normalised Name == IOC: what an equality join does",
            ),
            (
                "suffix",
                "normalised Name == IOC or endswith \".\" + IOC: the domain or a subdomain",
            ),
        ]
        .iter()
        .zip(self.semantics)
        .map(|((m, def), c)| SemanticsScore {
            matcher: (*m).to_owned(),
            definition: (*def).to_owned(),
            confusion: c,
        })
        .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            detection: DetectionInfo {
                id: det.id.clone(),
                title: det.title.clone(),
                iocs: det.domains().iter().map(|d| (*d).to_owned()).collect(),
                hunts: det.hunts.iter().map(|h| h.id.clone()).collect(),
                exclusions: det.exclusions.iter().map(|x| x.id.clone()).collect(),
            },
            run: RunInfo {
                seed: params.seed(),
                scale: params.scale(),
                scenario_count: self.scenarios.len(),
                rows_read: self.rows_read,
                rows_scored: self.rows_read - self.rows_rejected,
                rows_rejected: self.rows_rejected,
            },
            overall: Overall {
                precision: self.overall.precision(),
                recall: self.overall.recall(),
                f1: self.overall.f1(),
                event: self.overall,
                host: host_total,
                expectations_met: met,
                expectations_failed: failed,
            },
            hunts,
            scenarios,
            exclusions,
            sources,
            semantics,
            host_attribution: self.attribution.finish(),
            rejected_examples: self.rejected,
        }
    }
}

/// The name of an outcome as scenario files write it.
pub fn outcome_name(o: Expected) -> &'static str {
    o.name()
}

/// Whether the scenario's expectation holds, and what it asked for against what
/// happened (the simulator's one reading of an expectation).
fn check_expectation(sc: &Scenario, a: &ScenarioAcc) -> (bool, String) {
    let counts = Counts {
        fired: a.fired,
        alerts: a.alerts,
        fired_not_by_named: a.fired_not_by_named,
        named_hidden: a.named_hidden,
    };
    (
        sc.expect.check(&counts).is_ok(),
        sc.expect.describe(&counts),
    )
}

fn timeline(a: &ScenarioAcc) -> Option<Timeline> {
    let (start, end) = (a.first_malicious_ms?, a.last_malicious_ms?);
    let first_min = start.div_euclid(60_000);
    let span = (end.div_euclid(60_000) - first_min + 1).max(1);
    let mut bins = [[0u64; 3]; TIMELINE_BINS];
    for (m, c) in &a.minutes {
        let i =
            (((m - first_min) * TIMELINE_BINS as i64) / span).clamp(0, TIMELINE_BINS as i64 - 1);
        for k in 0..3 {
            bins[i as usize][k] += c[k];
        }
    }
    Some(Timeline {
        start_ms: start,
        end_ms: end,
        alerted: bins.iter().map(|b| b[0]).collect(),
        hidden: bins.iter().map(|b| b[1]).collect(),
        missed: bins.iter().map(|b| b[2]).collect(),
    })
}

/// Score a stream of records. `progress` is called every 65,536 rows with the
/// count so far.
pub fn score<I: IntoIterator<Item = Record>>(
    det: &Detection,
    scenarios: &[Scenario],
    records: I,
    params: Options,
    progress: &mut dyn FnMut(u64),
) -> Report {
    let mut scorer = Scorer::new(det, scenarios);
    for rec in records {
        scorer.observe(&rec);
        if scorer.rows_read().is_multiple_of(65_536) {
            progress(scorer.rows_read());
        }
    }
    scorer.finish(params)
}
