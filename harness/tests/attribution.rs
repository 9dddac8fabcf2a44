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
