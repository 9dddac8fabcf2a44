//! Host attribution: the DNS server's alerts attributed by `ClientIP`, as an
//! analyst does, against the label. On the library, the label view is the
//! report's host level; the forwarder scenario's alerts all go to the forwarder.

use harness::run::{run_library, RunOptions};

#[test]
fn a_forwarder_takes_its_clients_alerts() {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("library loads");
    let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
    let a = &r.host_attribution;
    assert_eq!(a.host_by_label, r.overall.host);
    assert_eq!(
        a.dns_alerts,
        a.to_labelled_host + a.to_another_host + a.unmapped
    );
    let forwarder = r
        .scenarios
        .iter()
        .find(|s| s.id == "nanocore-dns-forwarder")
        .expect("scenario");
    assert_eq!(a.forwarded.len(), 1, "{:?}", a.forwarded);
    let f = &a.forwarded[0];
    assert_eq!(f.host, "WS-BRANCH-DNS");
    assert_eq!(f.alerts, forwarder.alerts, "every alert of the branch");
    assert_eq!(f.clients, ["WS-BRANCH-01", "WS-BRANCH-02", "WS-BRANCH-03"]);
    assert!(!f.infected);
    // The cost: the three branch hosts are missed and the forwarder is flagged.
    assert_eq!(a.host_by_client_ip.fn_, a.host_by_label.fn_ + 3);
    assert_eq!(a.host_by_client_ip.fp, a.host_by_label.fp + 1);
    assert_eq!(a.unmapped, 0, "every host reports its address");
}

/// A known gap is credited to the exclusion the content names, not to the one
/// that happened to suppress most rows: under `deployed`, `backup-job` also
/// hides the cleanup task's implant (started by the Task Scheduler), and the
/// content declares the gap on `log-cleanup`.
#[test]
fn a_known_gap_is_credited_to_the_exclusion_the_content_names() {
    use harness::report::{Cause, Status};
    let scenarios = simulator::builtin().expect("library loads");
    for name in ["seed", "deployed", "published"] {
        let det =
            detections::content::builtin_named(name, detections::Engine::Fast).expect("built-in");
        let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
        for g in det.known_gaps.iter().filter(|g| g.exclusion.is_some()) {
            let Some(s) = r.scenarios.iter().find(|s| s.id == g.scenario) else {
                continue;
            };
            if s.status != Status::KnownGap {
                continue;
            }
            let named = g.exclusion.clone().unwrap();
            assert_eq!(
                s.cause,
                Some(Cause::Exclusion(named.clone())),
                "{name}: {}",
                s.id
            );
            let group = r
                .verdict
                .known_gaps
                .iter()
                .find(|k| k.scenarios.contains(&s.id))
                .expect("grouped");
            assert_eq!(group.cause, Cause::Exclusion(named), "{name}: {}", s.id);
        }
    }
    let det = detections::content::builtin_named("deployed", detections::Engine::Fast).unwrap();
    let r = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
    let s = r
        .scenarios
        .iter()
        .find(|s| s.id == "adversarial-cleanup-task")
        .unwrap();
    assert_eq!(s.status, Status::KnownGap);
    assert_eq!(s.cause, Some(Cause::Exclusion("log-cleanup".into())));
}
