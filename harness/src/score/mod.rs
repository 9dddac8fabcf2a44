//! Scoring: every generated row goes through the field mapping, the Sysmon process
//! join and the detection; its decision is compared with its label.
//!
//! Memory stays bounded by the number of scenarios, hosts, exclusions and minutes
//! of simulated time, never by the number of rows.

use std::collections::BTreeMap;
use std::convert::Infallible;

use detections::enrich::ProcessJoin;
use detections::fields::{parse_row, RowError};
use detections::pipeline::Pipeline;
use detections::row::Columns;
use detections::{Decision, Detection, Event, Kind, Source};
use simulator::{Label, Options, Record, Scenario};

use crate::attribution::Attribution;
use crate::formats::Position;
use crate::metrics::{round, Confusion, FoldMap};
use crate::report::*;
use crate::scan::{JoinMode, Judgement, RowSink, Scanner};

mod acc;
mod changes;
mod kinds;
mod lookups;
mod parts;
mod semantics;
mod verdict;

pub use acc::TIMELINE_BINS;
use acc::{RowFacts, ScenarioAcc};
pub use lookups::LOOKUP_WINDOW_MS;
pub use verdict::is_attack;

/// How many rejected rows the report lists.
pub const REJECTED_EXAMPLES: usize = 20;

#[derive(Debug, Default, Clone)]
struct ExclusionAcc {
    benign_suppressed: u64,
    malicious_hidden: u64,
    not_evaluable: u64,
    by_scenario: BTreeMap<String, (u64, u64)>,
    /// Per hunt: [benign suppressed, malicious hidden, not evaluable].
    by_hunt: Vec<[u64; 3]>,
    /// Bit `b` set once branch `b` held on a row a hunt it guards fired on.
    branches_held: u64,
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

/// Accumulates decisions against labels, row by row: the rows are read,
/// judged and counted by the one reading loop ([`Scanner`]), and scored by
/// its sink.
#[derive(Debug)]
pub struct Scorer<'a> {
    scanner: Scanner<'a>,
    /// Each table's input index in the loop, and its rows so far.
    table_rows: FoldMap<(usize, u64)>,
    /// The tables, by input index.
    tables: Vec<String>,
    acc: Acc<'a>,
}

/// The scoring sink's state: every count the report is made of.
#[derive(Debug)]
struct Acc<'a> {
    det: &'a Detection,
    scenarios: Vec<&'a Scenario>,
    /// Each scenario's place in `by_scenario`, by its id (one lookup a row).
    scenario_at: FoldMap<usize>,
    /// Each scenario's id, the exclusion its expectation names, and its
    /// accumulator, in the order first seen (sorted by id when finished).
    by_scenario: Vec<(String, Option<usize>, ScenarioAcc)>,
    exclusions: Vec<ExclusionAcc>,
    /// Per exclusion: bit `h` set when hunt `h` applies it.
    guards: Vec<u64>,
    sources: BTreeMap<Source, SourceAcc>,
    hunts: Vec<HuntAcc>,
    semantics: semantics::Semantics,
    overall: Confusion,
    /// Malicious rows of a kind some hunt reads.
    visible_malicious: u64,
    lookups: lookups::Lookups,
    attribution: Attribution,
    /// The rows per indicator kind.
    kinds: kinds::KindsAcc,
}

impl<'a> Scorer<'a> {
    /// A scorer for this detection over these scenarios.
    pub fn new(det: &'a Detection, scenarios: &'a [Scenario]) -> Self {
        Self::with_history(det, scenarios, None)
    }

    /// A scorer that judges as a scheduled rule does, when `history` is
    /// given: each row's joins see the facts its run sees
    /// ([`detections::history`]).
    pub fn with_history(
        det: &'a Detection,
        scenarios: &'a [Scenario],
        history: Option<detections::history::History>,
    ) -> Self {
        let domains = det.domains();
        let (n_hunts, n_excl) = (det.hunts.len(), det.exclusions.len());
        let mut by_scenario = Vec::new();
        let mut scenario_at = FoldMap::default();
        for s in scenarios {
            let named = s
                .expect
                .exclusion
                .as_deref()
                .and_then(|x| det.exclusion_index(x));
            let acc = ScenarioAcc::new(n_hunts, n_excl);
            // A scenario listed twice is counted once, under the last one's
            // expectation.
            match scenario_at.get(&s.id) {
                Some(&at) => by_scenario[at] = (s.id.clone(), named, acc),
                None => {
                    scenario_at.insert(s.id.clone(), by_scenario.len());
                    by_scenario.push((s.id.clone(), named, acc));
                }
            }
        }
        let mut guards = vec![0u64; n_excl];
        for (h, hunt) in det.hunts.iter().enumerate() {
            for &x in &hunt.exclusions {
                guards[x] |= 1 << h;
            }
        }
        let exclusion = ExclusionAcc {
            by_hunt: vec![[0; 3]; n_hunts],
            ..ExclusionAcc::default()
        };
        let acc = Acc {
            det,
            scenarios: scenarios.iter().collect(),
            scenario_at,
            by_scenario,
            exclusions: vec![exclusion; n_excl],
            guards,
            sources: BTreeMap::new(),
            hunts: vec![HuntAcc::default(); n_hunts],
            semantics: semantics::Semantics::new(&domains),
            overall: Confusion::default(),
            visible_malicious: 0,
            lookups: lookups::Lookups::default(),
            attribution: Attribution::default(),
            kinds: kinds::KindsAcc::default(),
        };
        // No row waits for its process creation: each row is scored within
        // the call that reads it, with its own label.
        let join = match history {
            Some(h) => ProcessJoin::new().with_history(h),
            None => ProcessJoin::new(),
        };
        let scanner = Scanner::new(Pipeline::with_join(det, join), JoinMode::Wait(0))
            .with_rejected_examples(REJECTED_EXAMPLES);
        Self {
            scanner,
            table_rows: FoldMap::default(),
            tables: Vec::new(),
            acc,
        }
    }

    /// Score one generated record.
    pub fn observe(&mut self, rec: &Record) {
        self.observe_mapped(rec, parse_row(rec.row.columns()));
    }

    /// Score one generated record already mapped to its event (by
    /// [`detections::fields::parse_row`] of its row, once for every scorer
    /// of the record): the same counts as [`Scorer::observe`].
    pub fn observe_mapped(&mut self, rec: &Record, event: Result<Event, RowError>) {
        let (input, position) = self.position(rec.table.name(), rec.time_ms);
        let mut sink = Labelled {
            acc: &mut self.acc,
            time_ms: rec.time_ms,
            label: &rec.label,
        };
        let Ok(()) = self.scanner.mapped(input, position, event, &mut sink);
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
        let (input, position) = self.position(table, time_ms);
        let mut sink = Labelled {
            acc: &mut self.acc,
            time_ms,
            label,
        };
        let Ok(()) = self.scanner.row(input, position, row, &mut sink);
    }

    /// The next row of `table`: its input index and position (row n of a
    /// table is line n of the table's file as `simulate` writes it), with
    /// the join told its time.
    fn position(&mut self, table: &str, time_ms: i64) -> (usize, Position) {
        let (input, row_no) = match self.table_rows.get_mut(table) {
            Some((i, n)) => {
                *n += 1;
                (*i, *n)
            }
            None => {
                let i = self.tables.len();
                self.tables.push(table.to_owned());
                self.table_rows.insert(table.to_owned(), (i, 1));
                (i, 1)
            }
        };
        self.scanner.at(time_ms);
        (input, Position::Line(row_no))
    }

    /// Rows read so far.
    pub fn rows_read(&self) -> u64 {
        self.scanner.tally().rows_read
    }
}

/// The scoring sink for one row: the accumulator, and the row's time and
/// label.
struct Labelled<'s, 'a> {
    acc: &'s mut Acc<'a>,
    time_ms: i64,
    label: &'s Label,
}

impl RowSink for Labelled<'_, '_> {
    type Error = Infallible;

    fn row(&mut self, j: &Judgement) -> Result<(), Infallible> {
        let (ev, d) = (&j.judged.event, &j.judged.decision);
        self.acc.score(ev, d, self.time_ms, self.label);
        Ok(())
    }
}

impl Acc<'_> {
    fn score(&mut self, ev: &Event, d: &Decision, time_ms: i64, label: &Label) {
        let truth = label.malicious;
        let fired = d.fired != 0;
        let readable = self.det.hunts.iter().any(|h| h.reads_kind(ev.kind()));
        self.overall.add(truth, d.alert);
        self.visible_malicious += u64::from(truth && readable);
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

        let mut loose = false;
        if ev.kind() == Kind::Dns {
            let name = ev.query_name.as_deref().unwrap_or("");
            let suffix = self.semantics.add(name, truth);
            loose = fired && !suffix;
            self.lookups.add_normalized(
                &label.scenario,
                &label.host,
                self.semantics.normal(),
                time_ms,
                truth,
                d.alert,
            );
        }

        self.score_exclusions(ev, d, &label.scenario, truth);
        self.kinds.add(&label.scenario, d, truth);

        let at = match self.scenario_at.get(label.scenario.as_str()) {
            Some(&at) => at,
            None => {
                let at = self.by_scenario.len();
                self.scenario_at.insert(label.scenario.clone(), at);
                let acc = ScenarioAcc::new(self.det.hunts.len(), self.det.exclusions.len());
                self.by_scenario.push((label.scenario.clone(), None, acc));
                at
            }
        };
        let (_, named, s) = &mut self.by_scenario[at];
        let named = *named;
        s.add(
            d,
            RowFacts {
                truth,
                readable,
                loose,
                by_named: named.is_some_and(|x| d.suppressing & (1 << x) != 0),
                time_ms,
                host: &label.host,
                step: &label.step,
            },
        );
    }

    /// Each exclusion's suppressions, overall, by scenario and by hunt, and
    /// which of its branches held where a hunt it guards fired.
    fn score_exclusions(&mut self, ev: &Event, d: &Decision, scenario: &str, truth: bool) {
        if d.fired == 0 {
            return;
        }
        for (x, acc) in self.exclusions.iter_mut().enumerate() {
            let guarded = d.fired & self.guards[x];
            if guarded == 0 {
                continue;
            }
            let ex = &self.det.exclusions[x];
            let all = u64::MAX >> (64 - ex.branches().len());
            if acc.branches_held != all {
                acc.branches_held |= ex.branches_holding(ev);
            }
            let suppressed = d.suppressing & (1 << x) != 0;
            let not_evaluable = d.not_evaluable & (1 << x) != 0;
            if suppressed {
                let e = match acc.by_scenario.get_mut(scenario) {
                    Some(e) => e,
                    None => acc.by_scenario.entry(scenario.to_owned()).or_default(),
                };
                if truth {
                    acc.malicious_hidden += 1;
                    e.1 += 1;
                } else {
                    acc.benign_suppressed += 1;
                    e.0 += 1;
                }
            }
            acc.not_evaluable += u64::from(not_evaluable);
            for h in acc::bits(guarded) {
                let by = &mut acc.by_hunt[h];
                if suppressed {
                    by[usize::from(truth)] += 1;
                }
                by[2] += u64::from(not_evaluable);
            }
        }
    }
}

impl Scorer<'_> {
    /// The report.
    pub fn finish(self, params: Options) -> Report {
        let Scorer {
            scanner,
            tables,
            table_rows: _,
            acc: st,
        } = self;
        let det = st.det;
        let hunt_ids: Vec<String> = det.hunts.iter().map(|h| h.id.clone()).collect();
        let excl_ids: Vec<String> = det.exclusions.iter().map(|x| x.id.clone()).collect();
        let mut lookups = st.lookups.finish();
        let mut scenarios = Vec::new();
        let mut outcomes = Vec::new();
        let (mut host_total, mut lookup_total, mut misses) = (
            Confusion::default(),
            Confusion::default(),
            Misses::default(),
        );
        let mut steps = BTreeMap::new();
        let mut credited = vec![[0; 2]; excl_ids.len()];
        let mut by_scenario: Vec<_> = st.by_scenario.iter().collect();
        by_scenario.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (id, _, acc) in by_scenario {
            let sc = st.scenarios.iter().find(|s| &s.id == id).copied();
            let gap = det.known_gap(id);
            let lookup = lookups.remove(id).unwrap_or_default();
            let mut score = acc.finish(id, sc, gap, lookup, (&hunt_ids, &excl_ids));
            score.alerted_kinds = st.kinds.alerted_in(id);
            host_total.merge(&score.host);
            lookup_total.merge(&score.lookup);
            misses.not_read += score.misses.not_read;
            misses.not_matched += score.misses.not_matched;
            misses.hidden += score.misses.hidden;
            acc.merge_steps(&mut steps);
            acc.merge_hidden(&mut credited);
            if let Some(sc) = sc {
                outcomes.push(changes::Outcome {
                    id,
                    expect: &sc.expect,
                    counts: acc.counts(),
                    patterns: &acc.patterns,
                    loose: acc.loose,
                    hosts: acc.infected_hosts(),
                });
            }
            scenarios.push(score);
        }
        let count = |st: Status| scenarios.iter().filter(|s| s.status == st).count();
        let mut exclusions: Vec<ExclusionScore> = det
            .exclusions
            .iter()
            .zip(&st.exclusions)
            .enumerate()
            .map(|(x, (ex, a))| exclusion_score(det, x, ex, a))
            .collect();
        parts::mimic_outcomes(det, &mut exclusions, &scenarios);
        misses.hidden_by = acc::hidden_by(&excl_ids, &credited);
        misses.unmatched_steps = acc::steps(&steps);
        let hunt_exclusions = parts::hunt_exclusions(det, &exclusions, &st.exclusions, &excl_ids);
        let best_change = changes::best(&hunt_exclusions, &outcomes);
        let hunts = parts::hunt_scores(det, &st.hunts);
        let sources = parts::source_scores(&st.sources);
        let overall = Overall {
            precision: st.overall.precision(),
            recall: st.overall.recall(),
            f1: st.overall.f1(),
            event: st.overall,
            host: host_total,
            lookup: lookup_total,
            recall_visible: (st.visible_malicious > 0)
                .then(|| round(st.overall.tp as f64 / st.visible_malicious as f64)),
            misses,
            alerts_without_indicator: st.kinds.without(),
            expectations_met: count(Status::Met),
            expectations_failed: count(Status::Failed),
            known_gaps: count(Status::KnownGap),
            gaps_closed: count(Status::GapClosed),
        };
        let t = scanner.tally();
        let verdict = verdict::verdict(&scenarios, &exclusions, &overall, best_change);
        Report {
            schema_version: SCHEMA_VERSION,
            detection: DetectionInfo {
                id: det.id.clone(),
                title: det.title.clone(),
                iocs: det.domains().iter().map(|d| (*d).to_owned()).collect(),
                hunts: hunt_ids,
                exclusions: excl_ids,
                source_sha256: det.source_sha256.clone(),
            },
            run: RunInfo {
                huntlab_version: env!("CARGO_PKG_VERSION").to_owned(),
                scenarios_sha256: scenarios_sha256(&st.scenarios),
                rng_seed: params.rng_seed(),
                scale: params.scale(),
                scenario_count: st.scenarios.len(),
                rows_read: t.rows_read,
                rows_scored: t.rows_scored,
                rows_rejected: t.rows_rejected,
                rule: None,
            },
            verdict,
            overall,
            hunts,
            indicator_kinds: st.kinds.finish(det),
            scenarios,
            exclusions,
            sources,
            semantics: st.semantics.finish(),
            host_attribution: st.attribution.finish(),
            rejected_examples: parts::rejected_examples(&t.rejected, &tables),
            deployed_forms: Vec::new(),
            seeds: None,
        }
    }
}

/// One exclusion's score: what it removes and hides, overall, by scenario and
/// by hunt, its texts, and its branches that never held.
fn exclusion_score(
    det: &Detection,
    x: usize,
    ex: &detections::content::Exclusion,
    a: &ExclusionAcc,
) -> ExclusionScore {
    let by_hunt = det
        .hunts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.exclusions.contains(&x))
        .map(|(h, hunt)| {
            let [benign, malicious, not_evaluable] = a.by_hunt[h];
            ExclusionByHunt {
                hunt: hunt.id.clone(),
                benign_suppressed: benign,
                malicious_hidden: malicious,
                not_evaluable,
                harmful: malicious > 0 && benign == 0,
            }
        })
        .collect();
    let exposure = detections::content::exposure(ex);
    ExclusionScore {
        id: ex.id.clone(),
        scenario: ex.scenario.clone(),
        seed_text: ex.seed_text.clone(),
        reading: ex.interpretation.clone(),
        condition: ex.when.to_string(),
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
        by_hunt,
        inert_branches: ex
            .branches()
            .iter()
            .enumerate()
            .filter(|(b, _)| a.branches_held & (1 << b) == 0)
            .map(|(b, c)| Branch {
                branch: b,
                condition: c.to_string(),
            })
            .collect(),
        exposure_text: crate::report::exposure_text(&exposure),
        exposure,
        mimic: None,
    }
}

/// One SHA-256 over the scenario files that were run: each file's origin and the
/// SHA-256 of its text, one line each, in id order (so the order they were given
/// in does not change it).
fn scenarios_sha256(scenarios: &[&Scenario]) -> String {
    use sha2::Digest as _;
    let mut lines: Vec<(&str, &str, &str)> = scenarios
        .iter()
        .map(|s| (s.id.as_str(), s.origin.as_str(), s.source_sha256.as_str()))
        .collect();
    lines.sort_unstable();
    let mut h = sha2::Sha256::new();
    for (id, origin, sha) in lines {
        h.update(format!("{id}\t{origin}\t{sha}\n"));
    }
    format!("{:x}", h.finalize())
}
