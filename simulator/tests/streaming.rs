//! Streaming: large runs are generated lazily and in order. The stream holds one
//! pending episode per host, so memory does not grow with the number of rows;
//! these tests take many rows one at a time without collecting them.

#[test]
fn two_hundred_thousand_rows_of_one_scenario_in_order() {
    let lib = simulator::builtin().expect("library parses");
    let s = lib
        .iter()
        .find(|s| s.id == "background-enterprise")
        .expect("built-in");
    let opts = simulator::Options::new(0, 50.0).expect("a valid scale");
    let mut last = i64::MIN;
    let mut n = 0u64;
    for rec in simulator::generate(s, &opts).take(200_000) {
        assert!(rec.time_ms >= last, "out of order at row {n}");
        last = rec.time_ms;
        n += 1;
    }
    assert_eq!(n, 200_000);
}

#[test]
fn the_whole_library_at_large_scale_streams_in_order() {
    let lib = simulator::builtin().expect("library parses");
    let opts = simulator::Options::new(3, 100.0).expect("a valid scale");
    let mut last = i64::MIN;
    let mut n = 0u64;
    let mut scenarios = std::collections::BTreeSet::new();
    for rec in simulator::generate_all(&lib, &opts).take(200_000) {
        assert!(rec.time_ms >= last, "out of order at row {n}");
        last = rec.time_ms;
        if scenarios.len() < lib.len() {
            scenarios.insert(rec.label.scenario.clone());
        }
        n += 1;
    }
    assert_eq!(n, 200_000);
    assert!(
        scenarios.len() > 5,
        "scenarios interleave in time: {scenarios:?}"
    );
}
