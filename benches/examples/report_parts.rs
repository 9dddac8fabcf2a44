//! Where `report`'s time goes at a scale: the built-in library generated only,
//! generated and scored by one content, and by the `seed`/`hardened` pair in one
//! pass. Each figure's row count is checked against the generation's first.
//!
//! `cargo run --release -p benches --example report_parts -- SCALE`

use std::time::Instant;

use harness::run::{run_library_many, RunOptions};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let scale: f64 = std::env::args()
        .nth(1)
        .map_or(10.0, |s| s.parse().expect("SCALE is a number"));
    let scenarios = simulator::builtin().expect("built-in library loads");
    let opts = RunOptions::new(1, scale).expect("scale accepted");
    let seed = detections::builtin(detections::Engine::Fast);
    let hardened = detections::content::builtin_named("hardened", detections::Engine::Fast)
        .expect("hardened is built in");

    let t = Instant::now();
    let rows = simulator::generate_all(&scenarios, &opts).count() as u64;
    report("generate", rows, t);

    let t = Instant::now();
    let [r] = run_library_many([&seed], &scenarios, &opts, &mut |_| {});
    assert_eq!(r.run.rows_read, rows);
    report("generate + score seed", rows, t);

    let t = Instant::now();
    let [a, b] = run_library_many([&seed, &hardened], &scenarios, &opts, &mut |_| {});
    assert_eq!((a.run.rows_read, b.run.rows_read), (rows, rows));
    report("generate + score seed and hardened", rows, t);
}

fn report(what: &str, rows: u64, t: Instant) {
    let s = t.elapsed().as_secs_f64();
    println!(
        "{what}: {rows} rows in {s:.2} s, {:.0} K rows/s",
        rows as f64 / s / 1e3
    );
}
