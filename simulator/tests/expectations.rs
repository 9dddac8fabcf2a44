//! A quick check that every built-in scenario's declared expectation holds when
//! its telemetry goes through the detection (the harness scores them in full).

mod common;

#[test]
fn every_builtin_expectation_holds_for_several_seeds() {
    let det = common::detection();
    let mut failures = Vec::new();
    for s in common::library() {
        for seed in [0, 1, 7, 20261128] {
            if let Err(e) = common::expectation(&det, &s, seed) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
