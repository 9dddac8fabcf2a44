//! Invariants of scoring, on the whole built-in library.

use detections::pipeline::Pipeline;
use harness::run::{run_library, RunOptions};
use harness::score::Scorer;
use serde_json::json;

#[test]
fn counts_add_up_per_scenario_and_overall() {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
    assert_eq!(r.run.rows_read, r.run.rows_scored + r.run.rows_rejected);
    assert_eq!(
        r.run.rows_rejected, 0,
        "the simulator writes only readable rows"
    );
    let mut malicious = 0;
    let mut rows = 0;
    for s in &r.scenarios {
        assert_eq!(
            s.event.tp + s.event.fn_,
            s.malicious_rows,
            "{}: TP + FN = malicious",
            s.id
        );
        assert_eq!(s.event.total(), s.rows, "{}", s.id);
        assert!(
            s.alerts <= s.fired,
            "{}: exclusions only remove alerts",
            s.id
        );
        assert_eq!(s.fired, s.alerts + s.suppressed, "{}", s.id);
        assert_eq!(s.event.tp + s.event.fp, s.alerts, "{}", s.id);
        malicious += s.malicious_rows;
        rows += s.rows;
    }
    assert_eq!(r.overall.event.tp + r.overall.event.fn_, malicious);
    assert_eq!(r.overall.event.total(), rows);
    assert_eq!(rows, r.run.rows_scored);
    let sources: u64 = r.sources.iter().map(|s| s.rows).sum();
    assert_eq!(sources, rows, "every scored row has a source");
    for h in &r.hunts {
        assert!(h.alerts <= h.fired, "{}", h.id);
    }
    let dns = r
        .semantics
        .iter()
        .map(|s| s.confusion.total())
        .collect::<Vec<_>>();
    assert!(
        dns.windows(2).all(|w| w[0] == w[1]),
        "every matcher sees the same DNS rows"
    );
}

#[test]
fn exclusions_only_ever_remove_alerts_row_by_row() {
    let det = detections::builtin(detections::Engine::Fast);
    let reference = detections::builtin(detections::Engine::Reference);
    let scenarios = simulator::builtin().expect("library loads");
    let mut pipeline = Pipeline::new(&det);
    let mut lines = Pipeline::new(&det);
    let mut n = 0;
    for rec in simulator::generate_all(&scenarios, &simulator::Options::default()) {
        let judged = pipeline.judge(rec.row.columns()).expect("readable row");
        let (ev, d) = (&judged.event, judged.decision);
        let line = serde_json::to_string(&rec.row).expect("serialises");
        assert_eq!(
            lines.judge_line(&line).expect("readable line"),
            judged,
            "a JSON Lines row and its map judge alike: {line}"
        );
        assert_eq!(d.alerted & !d.fired, 0, "an alert without a hunt firing");
        assert_eq!(d.alert, d.alerted != 0);
        assert!(!d.alert || d.suppressed_by.is_none());
        assert_eq!(d.fired != 0 && !d.alert, d.suppressed_by.is_some());
        assert_eq!(d, reference.decide(ev), "engines disagree on {:?}", rec.row);
        let v = pipeline.explain(&judged);
        assert_eq!(v.alert, d.alert);
        assert_eq!(
            v.suppressed_by.as_deref(),
            d.suppressed_by.map(|x| det.exclusions[x].id.as_str())
        );
        n += 1;
    }
    assert!(n > 1000);
}

#[test]
fn rejected_rows_are_counted_and_reported_not_dropped() {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    let mut scorer = Scorer::new(&det, &scenarios);
    let label = simulator::Label {
        scenario: scenarios[0].id.clone(),
        malicious: false,
        step: "test".into(),
        host: "WS-TEST".into(),
    };
    let rows = [
        json!({"Type": "DnsEvents", "Name": "ok.example.com"}),
        json!({"Type": "DnsEvents", "Name": 42}),
        json!({"foo": "bar"}),
        json!({"EventID": "twenty-two"}),
        json!({"Type": "DnsEvents", "Name": "estaliax.io"}),
    ];
    for r in &rows {
        scorer.observe_row("DnsEvents", 0, r.as_object().expect("object"), &label);
    }
    let rep = scorer.finish(RunOptions::default());
    assert_eq!(rep.run.rows_read, 5);
    assert_eq!(rep.run.rows_rejected, 3);
    assert_eq!(rep.run.rows_scored, 2);
    let errs: Vec<_> = rep
        .rejected_examples
        .iter()
        .map(|r| (r.row, r.error.as_str()))
        .collect();
    assert_eq!(
        errs[0],
        (2, "field `Name`: expected a string, found a number")
    );
    assert_eq!(errs[1].0, 3);
    assert_eq!(
        errs[2],
        (4, "field `EventID`: expected an integer, found a string")
    );
    // The benign row with the IOC is a false positive of the scenario it was given.
    assert_eq!(rep.overall.event.fp, 1);
}

/// Each missed row counts once, under the first exclusion that hid it: the
/// per-exclusion lines add up to the hidden rows, per scenario and overall,
/// and the overlap is what every-exclusion counting added on top.
#[test]
fn hidden_rows_by_exclusion_add_up_to_the_hidden_rows() {
    let scenarios = simulator::builtin().expect("library loads");
    let mut overlap = 0;
    for b in detections::content::BUILTINS {
        let det = b.load(detections::Engine::Fast);
        let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
        let m = &r.overall.misses;
        let credited: u64 = m.hidden_by.iter().map(|h| h.rows).sum();
        assert_eq!(credited, m.hidden, "{}: per-exclusion rows sum", b.name);
        for s in &r.scenarios {
            let sum: u64 = s.misses.hidden_by.iter().map(|h| h.rows).sum();
            assert_eq!(sum, s.misses.hidden, "{}: {}", b.name, s.id);
        }
        // `exclusions[].malicious_hidden` counts a row for every exclusion
        // that suppressed it (and rows another hunt still alerted on), so it
        // bounds both the rows credited and the overlap.
        let also: u64 = m.hidden_by.iter().map(|h| h.also_hidden_by_another).sum();
        for h in &m.hidden_by {
            let x = r.exclusions.iter().find(|x| x.id == h.exclusion).unwrap();
            assert!(h.rows <= x.malicious_hidden, "{}: {}", b.name, x.id);
            assert!(h.also_hidden_by_another <= x.malicious_hidden);
        }
        overlap += also;
    }
    assert!(overlap > 0, "some built-in content hides a row twice");
}

/// The infected hosts that raised no alert, recounted from the rows and their
/// labels: an attack's silent hosts, its hosts infected and alerted, and the
/// verdict's totals.
#[test]
fn silent_hosts_recount_from_the_rows() {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
    let mut pipeline = Pipeline::new(&det);
    // (scenario, host) -> (infected, alerted on a malicious row)
    let mut hosts: std::collections::BTreeMap<(String, String), (bool, bool)> =
        std::collections::BTreeMap::new();
    for rec in simulator::generate_all(&scenarios, &simulator::Options::default()) {
        let alert = pipeline
            .judge(rec.row.columns())
            .expect("readable row")
            .decision
            .alert;
        let l = &rec.label;
        let h = hosts
            .entry((l.scenario.clone(), l.host.clone()))
            .or_default();
        h.0 |= l.malicious;
        h.1 |= l.malicious && alert;
    }
    let (mut infected, mut alerted) = (0, 0);
    for s in &r.scenarios {
        let of = |want: fn(&(bool, bool)) -> bool| {
            hosts
                .iter()
                .filter(|((sc, _), h)| sc == &s.id && want(h))
                .map(|((_, host), _)| host.clone())
                .collect::<Vec<_>>()
        };
        let silent = of(|h| h.0 && !h.1);
        assert_eq!(s.hosts_infected, of(|h| h.0).len() as u64, "{}", s.id);
        assert_eq!(s.hosts_alerted, of(|h| h.1).len() as u64, "{}", s.id);
        if s.expected_outcome == "alert" {
            assert_eq!(s.silent_hosts, silent, "{}", s.id);
            let holds = s.alerts > 0 && silent.is_empty();
            assert_eq!(s.expectation_met, holds, "{}", s.id);
            infected += s.hosts_infected;
            alerted += s.hosts_alerted;
        } else {
            assert!(s.silent_hosts.is_empty(), "{}", s.id);
        }
    }
    let a = &r.verdict.attacks;
    assert_eq!((a.hosts, a.hosts_detected), (infected, alerted));
    let named: usize = a.silent_hosts.iter().map(|s| s.hosts.len()).sum();
    assert!(
        named > 0,
        "the library has a detected attack with a silent host"
    );
}

/// A file's first pass (`explain`, the rule's history) maps only the rows
/// whose source can teach the join (`Source::teaches`): every simulated row
/// that does teach (a process creation, a task, a signer, a host's addresses)
/// is mapped there to the event the judging pass reads, and no other row is.
#[test]
fn the_first_pass_maps_every_row_that_teaches_the_join() {
    use detections::fields::{parse_row, teaching_row};
    use detections::Kind;
    let scenarios = simulator::builtin().expect("built-in library");
    let (mut taught, mut skipped) = (0u64, 0u64);
    for rec in simulator::generate_all(&scenarios, &RunOptions::default()) {
        let ev = parse_row(rec.row.columns()).expect("a simulated row reads");
        let teaches = ev.kind() == Kind::Process || ev.learned.is_some();
        match teaching_row(rec.row.columns()) {
            Some(first) => {
                assert_eq!(
                    first,
                    ev,
                    "{}: mapped alike in both passes",
                    rec.table.name()
                );
                taught += 1;
            }
            None => {
                assert!(
                    !teaches,
                    "{}: a row that teaches the join is skipped",
                    rec.table.name()
                );
                assert!(!ev.source.teaches(), "{}", rec.table.name());
                skipped += 1;
            }
        }
    }
    assert!(
        taught > 1_000 && skipped > 10_000,
        "{taught} taught, {skipped} skipped"
    );
}
