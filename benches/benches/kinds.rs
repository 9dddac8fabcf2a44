//! Per-kind matching: what a row costs to judge when the content hunts
//! 100,000 or 1,000,000 indicators of one kind, for a domain (today's
//! `has_any` matcher), an IPv4 address, an `ip:port`, a SHA-256 and an MD5
//! digest. Each kind's content is one hunt over its list
//! (`benches::kinds::content`), loaded with the generated indicators as
//! `scan --iocs` loads a feed; its rows are of the table that carries the kind
//! (`DnsEvents`, `DeviceNetworkEvents`, `DeviceFileEvents`), half planted hits.
//!
//! Two measures per kind and size, per row: `decide` (the detection's
//! decision on rows already read into events: the matching) and `judge` (the
//! line read, mapped and decided, as `scan` judges it); and, once per kind,
//! `read` (the line read and mapped alone: what the table's row costs before
//! any matching). Before anything is timed, every row's decision is checked
//! against what was planted, through both paths, and the hits' match kind
//! (`benches::kinds::check`), so a matcher that misses or over-matches fails
//! the run.

use std::time::{Duration, Instant};

use benches::kinds::{self, KINDS, ROWS};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use detections::pipeline::Pipeline;
use detections::{Detection, Event};
use std::hint::black_box;

/// The allocator the `huntlab` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Indicator counts.
const SIZES: [usize; 2] = [100_000, 1_000_000];
/// The inputs' seed.
const SEED: u64 = 20;

/// How many of the events alert.
fn decide_all(det: &Detection, events: &[Event]) -> usize {
    events.iter().filter(|ev| det.decide(ev).alert).count()
}

/// How many of the lines alert, read and judged as `scan` judges them.
fn judge_all(det: &Detection, lines: &[String]) -> usize {
    let mut p = Pipeline::new(det);
    lines
        .iter()
        .filter(|l| p.judge_line(l).expect("the row reads").decision.alert)
        .count()
}

/// How many of the lines read (the field mapping alone, nothing decided).
fn read_all(lines: &[String]) -> usize {
    lines
        .iter()
        .filter(|l| detections::fields::parse_line(l).is_ok())
        .count()
}

fn bench_kinds(c: &mut Criterion) {
    let mut g = c.benchmark_group("kinds");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(ROWS as u64));
    for n in SIZES {
        for kind in KINDS {
            let values = kinds::indicators(kind, n, SEED);
            let rows = kinds::rows(kind, &values, ROWS, SEED);
            let t = Instant::now();
            let det = kinds::load(kind, &values)
                .unwrap_or_else(|e| panic!("the {kind} content loads: {e}"));
            let built = t.elapsed();
            assert_eq!(
                det.values(kind).len(),
                n,
                "{kind}: every indicator compiled"
            );
            let (events, hits) =
                kinds::check(&det, kind, &rows).unwrap_or_else(|m| panic!("{kind}: {m:?}"));
            assert!(hits > ROWS / 3 && hits < ROWS * 2 / 3, "{kind}: {hits}");
            eprintln!(
                "kinds: {kind} x {n}: content loaded in {:.0} ms; {hits} of {ROWS} rows alert",
                built.as_secs_f64() * 1e3
            );
            let lines: Vec<String> = rows.into_iter().map(|(l, _)| l).collect();
            g.bench_function(format!("decide/{kind}/{n}"), |b| {
                b.iter(|| assert_eq!(decide_all(&det, black_box(&events)), hits))
            });
            g.bench_function(format!("judge/{kind}/{n}"), |b| {
                b.iter(|| assert_eq!(judge_all(&det, black_box(&lines)), hits))
            });
            if n == SIZES[0] {
                assert_eq!(read_all(&lines), ROWS);
                g.bench_function(format!("read/{kind}"), |b| {
                    b.iter(|| assert_eq!(read_all(black_box(&lines)), ROWS))
                });
            }
        }
    }
    g.finish();
}

criterion_group!(benches, bench_kinds);
criterion_main!(benches);
