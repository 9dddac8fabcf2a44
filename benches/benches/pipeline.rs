//! The simulator's throughput, and end-to-end scoring (field mapping, process join,
//! detection, accumulation) of the built-in library. Each checks its row and
//! expectation counts before it times anything.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use harness::run::{run_library, RunOptions};
use std::hint::black_box;

fn bench_pipeline(c: &mut Criterion) {
    let det = detections::builtin(detections::Engine::Fast);
    let scenarios = simulator::builtin().expect("built-in library loads");
    let opts = simulator::Options::default();

    let rows = simulator::generate_all(&scenarios, &opts).count() as u64;
    assert!(rows > 10_000, "library too small to time: {rows}");
    let report = run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {});
    assert_eq!(report.run.rows_read, rows);
    assert_eq!(report.overall.expectations_failed, 0);
    let alerts = report.overall.event.tp + report.overall.event.fp;

    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows));
    g.bench_function("simulate", |b| {
        b.iter(|| {
            assert_eq!(
                simulator::generate_all(black_box(&scenarios), &opts).count() as u64,
                rows
            )
        })
    });
    g.bench_function("simulate+score", |b| {
        b.iter(|| {
            let r = run_library(
                &det,
                black_box(&scenarios),
                &RunOptions::default(),
                &mut |_| {},
            );
            assert_eq!(r.overall.event.tp + r.overall.event.fp, alerts);
        })
    });
    g.finish();
}

criterion_group!(benches, bench_pipeline);
criterion_main!(benches);
