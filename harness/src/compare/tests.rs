//! `compare` on the renderers' sample report and changed copies of it.

use super::*;
use crate::render::test_report::{sample, SCRIPT_ID};

fn scenario<'a>(r: &'a mut Report, id: &str) -> &'a mut ScenarioScore {
    r.scenarios
        .iter_mut()
        .find(|s| s.id == id)
        .expect("a sample scenario")
}

#[test]
fn a_report_against_itself_is_the_same_everywhere() {
    let r = sample();
    let c = compare(&r, &r, ["a", "b"]).unwrap();
    assert_eq!(c.verdict, Verdict::Same);
    assert!(c.gaps_closed.is_empty() && c.gaps_opened.is_empty());
    assert!(c.scenarios.iter().all(|s| s.verdict == Verdict::Same));
    assert_eq!(c.event.delta.tp, 0);
    assert_eq!(c.event.delta.recall, Some(0.0));
    assert!(
        c.summary.starts_with("same: 0 gap(s) closed, 0 opened"),
        "{}",
        c.summary
    );
}

#[test]
fn fewer_misses_and_nothing_hidden_closes_the_gap_and_is_better() {
    let mut a = sample();
    // The beacon's hidden row is a gap the baseline declares.
    scenario(&mut a, "nanocore-beacon").status = Status::KnownGap;
    let mut b = a.clone();
    scenario(&mut b, "nanocore-beacon").status = Status::Met;
    // The beacon's one hidden row now alerts.
    let s = scenario(&mut b, "nanocore-beacon");
    s.event.tp += 1;
    s.event.fn_ -= 1;
    s.event.fp = 0;
    let t = s.timeline.as_mut().unwrap();
    t.hidden = vec![0; t.hidden.len()];
    b.overall.event.tp += 1;
    b.overall.event.fn_ -= 1;
    let c = compare(&a, &b, ["seed", "hardened"]).unwrap();
    let beacon = c
        .scenarios
        .iter()
        .find(|s| s.id == "nanocore-beacon")
        .unwrap();
    assert_eq!(beacon.gap, GapChange::Closed);
    assert_eq!(beacon.hidden, Count::new(1, 0));
    assert_eq!(beacon.change.delta.fn_, -1);
    assert_eq!(beacon.verdict, Verdict::Better);
    assert_eq!(c.gaps_closed, ["nanocore-beacon"]);
    assert_eq!(c.attacks_strengthened, ["nanocore-beacon"]);
    assert!(c.attacks_weakened.is_empty());
    assert_eq!(c.verdict, Verdict::Better);
    assert!(
        c.summary.starts_with("better: 1 gap(s) closed"),
        "{}",
        c.summary
    );
}

#[test]
fn an_attack_seen_less_is_named_while_its_expectation_still_holds() {
    let a = sample();
    let mut b = a.clone();
    // One of the beacon's alerts is now hidden; an alert still stands, so its
    // status (and gap) does not change.
    let s = scenario(&mut b, "nanocore-beacon");
    assert!(
        s.event.tp >= 2,
        "the sample's beacon alerts on two rows or more"
    );
    s.event.tp -= 1;
    s.event.fn_ += 1;
    b.overall.event.tp -= 1;
    b.overall.event.fn_ += 1;
    let c = compare(&a, &b, ["a", "b"]).unwrap();
    assert!(c.gaps_opened.is_empty() && c.gaps_closed.is_empty());
    assert_eq!(c.attacks_weakened, ["nanocore-beacon"]);
    assert!(
        c.summary.contains("1 attack scenario(s) seen less, 0 more"),
        "{}",
        c.summary
    );
    let text = crate::render::compare::text(&c, false, false);
    assert!(
        text.contains("attacks seen less: nanocore-beacon ("),
        "{text}"
    );
}

#[test]
fn a_new_false_positive_opens_a_gap_and_is_worse() {
    let a = sample();
    let mut b = a.clone();
    scenario(&mut b, "benign-updater").event.fp = 2;
    scenario(&mut b, "benign-updater").status = Status::Failed;
    b.overall.event.fp += 2;
    let c = compare(&a, &b, ["a", "b"]).unwrap();
    assert_eq!(c.gaps_opened, ["benign-updater"]);
    assert_eq!(c.event.delta.fp, 2);
    assert_eq!(c.verdict, Verdict::Worse);
}

#[test]
fn better_in_one_place_and_worse_in_another_is_mixed() {
    let a = sample();
    let mut b = a.clone();
    scenario(&mut b, "benign-updater").event.fp = 1;
    scenario(&mut b, "benign-updater").status = Status::Failed;
    let adv = scenario(&mut b, SCRIPT_ID);
    adv.event.tp = 2;
    adv.event.fn_ = 0;
    adv.status = Status::Met;
    let c = compare(&a, &b, ["a", "b"]).unwrap();
    assert_eq!(c.verdict, Verdict::Mixed);
    assert!(c.gaps_opened.contains(&"benign-updater".to_owned()));
}

#[test]
fn an_exclusion_hiding_less_is_better_and_removing_less_is_worse() {
    let a = sample();
    let mut b = a.clone();
    b.exclusions[0].malicious_hidden = 0;
    let c = compare(&a, &b, ["a", "b"]).unwrap();
    assert_eq!(c.exclusions[0].verdict, Some(Verdict::Better));
    let mut d = a.clone();
    d.exclusions[0].benign_suppressed = 0;
    let c = compare(&a, &d, ["a", "b"]).unwrap();
    assert_eq!(c.exclusions[0].verdict, Some(Verdict::Worse));
}

#[test]
fn a_hunt_only_one_content_has_has_no_verdict_of_its_own() {
    let a = sample();
    let mut b = a.clone();
    b.hunts[0].id = "renamed".into();
    let c = compare(&a, &b, ["a", "b"]).unwrap();
    assert_eq!(c.hunts.len(), 2);
    assert!(c.hunts.iter().all(|h| h.change.verdict.is_none()));
    assert!(c.hunts[0].change.candidate.is_none());
    assert!(c.hunts[1].change.baseline.is_none());
    assert_eq!(c.verdict, Verdict::Mixed);
}

#[test]
fn reports_of_different_runs_do_not_compare() {
    let a = sample();
    let mut b = a.clone();
    b.run.rng_seed += 1;
    assert!(compare(&a, &b, ["a", "b"]).is_err());
    let mut b = a.clone();
    b.scenarios.pop();
    assert_eq!(
        compare(&a, &b, ["a", "b"]).unwrap_err().to_string(),
        "the reports are not of the same run: different scenarios"
    );
}

#[test]
fn changes_read_as_before_after_and_difference() {
    assert_eq!(count_change(579, 209), "579 → 209 (-370)");
    assert_eq!(count_change(98, 98), "98 (same)");
    assert_eq!(
        ratio_change(Some(0.629321), Some(0.866197)),
        "0.629 → 0.866 (+0.237)"
    );
    assert_eq!(ratio_change(None, Some(1.0)), "n/a → 1.000");
    assert_eq!(ratio_change(Some(0.9091), Some(0.9094)), "0.909 (same)");
}

#[test]
fn indicator_kinds_change_kind_by_kind_and_scenario_by_scenario() {
    use crate::report::{KindInScenario, KindScore};
    let a = sample();
    let mut b = a.clone();
    // The candidate alerts on the address the baseline hid, hunts no domain,
    // and hunts a URL that fires nowhere.
    let ip = &mut b.indicator_kinds[1];
    assert_eq!(ip.kind, "ip_port");
    ip.tp = 1;
    ip.alerts = 1;
    ip.malicious_hidden = 0;
    ip.precision = Some(1.0);
    ip.scenarios = vec![KindInScenario {
        scenario: SCRIPT_ID.into(),
        fired: 1,
        tp: 1,
        fp: 0,
        malicious_hidden: 0,
        benign_suppressed: 0,
    }];
    b.indicator_kinds.remove(0);
    b.indicator_kinds.push(KindScore {
        kind: "url".into(),
        label: "URL".into(),
        indicators: 1,
        hunts: vec!["web".into()],
        fired: 0,
        alerts: 0,
        tp: 0,
        fp: 0,
        malicious_hidden: 0,
        benign_suppressed: 0,
        precision: None,
        scenarios: Vec::new(),
    });
    b.overall.alerts_without_indicator.fp = 3;
    let c = compare(&a, &b, ["a", "b"]).unwrap();
    let kinds: Vec<&str> = c.indicator_kinds.iter().map(|k| k.kind.as_str()).collect();
    assert_eq!(kinds, ["domain", "ip_port", "url"], "in the kinds' order");

    let domain = &c.indicator_kinds[0];
    assert_eq!(domain.verdict, None, "only the baseline hunts domains");
    assert_eq!((domain.tp.baseline, domain.tp.candidate), (7, 0));
    assert_eq!(domain.scenarios.len(), 1);
    assert_eq!(domain.scenarios[0].scenario, "nanocore-beacon");
    assert_eq!(domain.scenarios[0].fp.delta, -1);

    let ip = &c.indicator_kinds[1];
    assert_eq!(ip.verdict, Some(Verdict::Better));
    assert_eq!((ip.tp.delta, ip.malicious_hidden.delta), (1, -1));
    assert_eq!(ip.precision, [None, Some(1.0)]);
    assert_eq!(ip.scenarios.len(), 1);
    assert_eq!(ip.scenarios[0].scenario, SCRIPT_ID);
    assert_eq!(ip.scenarios[0].tp.delta, 1);

    let url = &c.indicator_kinds[2];
    assert_eq!(url.verdict, None);
    assert!(url.scenarios.is_empty());
    assert_eq!(c.alerts_without_indicator.fp.delta, 3);
    // Kinds are shown, not weighed: the rest of the reports is the same.
    assert_eq!(c.verdict, Verdict::Same);
}
