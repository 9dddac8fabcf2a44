//! `has_any` over a million realistic DNS names (`benches::feed`): the fast
//! engine, the reference and an Aho-Corasick baseline, with 2, 1,000, 100,000 and
//! 1,000,000 IOCs; building each; the strict matchers. Each benchmark checks its
//! hit count before it times anything.

use benches::{dns_names, feed, ioc_set};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use detections::matcher::{DomainSet, HasAny, HasAnyAutomaton, HasAnyFast, HasAnyReference};
use std::hint::black_box;
use std::time::Duration;

/// Names per `has_any` run.
const NAMES: usize = 1_000_000;
/// IOC set sizes: the seed's two, a common feed, a large one, a very large one.
const SETS: [usize; 4] = [2, 1_000, 100_000, 1_000_000];

fn count(m: &dyn HasAny, names: &[String]) -> usize {
    names.iter().filter(|n| m.is_match(n)).count()
}

/// How many names the slow engines are timed on (they are linear in the IOC
/// count, or slow per name): a prefix of the same names.
fn slice_len(engine: &str, iocs: usize) -> usize {
    match engine {
        "reference" => (2_000_000 / iocs).clamp(20, 100_000),
        _ if iocs >= 100_000 => 20_000,
        _ => 200_000,
    }
}

fn bench_has_any(c: &mut Criterion) {
    let mut g = c.benchmark_group("has_any");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    for iocs in SETS {
        let set = feed::feed(iocs, 11);
        let (names, planted) = feed::names(NAMES, &set, 7);
        let fast = HasAnyFast::new(&set);
        let reference = HasAnyReference::new(&set);
        // Results first: the fast engine finds every planted hit and nothing
        // else, and agrees with the reference on the slice the reference is
        // timed on.
        assert_eq!(count(&fast, &names), planted, "fast, {iocs} IOCs");
        let slice = &names[..slice_len("reference", iocs)];
        let slice_hits = count(&reference, slice);
        assert_eq!(
            count(&fast, slice),
            slice_hits,
            "fast = reference, {iocs} IOCs"
        );
        g.throughput(Throughput::Elements(NAMES as u64));
        g.bench_with_input(BenchmarkId::new("fast", iocs), &names, |b, names| {
            b.iter(|| assert_eq!(count(black_box(&fast), names), planted))
        });
        g.throughput(Throughput::Elements(slice.len() as u64));
        g.bench_with_input(BenchmarkId::new("reference", iocs), &slice, |b, names| {
            b.iter(|| assert_eq!(count(black_box(&reference), names), slice_hits))
        });
        // The automaton of a million IOCs takes gigabytes to build: left out.
        if iocs <= 100_000 {
            let automaton = HasAnyAutomaton::new(&set);
            let slice = &names[..slice_len("automaton", iocs)];
            let slice_hits = count(&fast, slice);
            assert_eq!(
                count(&automaton, slice),
                slice_hits,
                "automaton, {iocs} IOCs"
            );
            g.throughput(Throughput::Elements(slice.len() as u64));
            g.bench_with_input(BenchmarkId::new("automaton", iocs), &slice, |b, names| {
                b.iter(|| assert_eq!(count(black_box(&automaton), names), slice_hits))
            });
        }
    }
    g.finish();
}

/// Building each engine, and the fast engine's table memory (printed: criterion
/// times, it does not weigh).
fn bench_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("has_any_build");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(4));
    for iocs in SETS {
        let set = feed::feed(iocs, 11);
        let fast = HasAnyFast::new(&set);
        assert!(fast.is_match(&set[iocs - 1]), "built from the whole set");
        let bytes: usize = set.iter().map(String::len).sum();
        eprintln!(
            "has_any_build/fast/{iocs}: tables {:.1} MB for {:.1} MB of IOC text",
            fast.heap_bytes() as f64 / 1e6,
            bytes as f64 / 1e6
        );
        g.throughput(Throughput::Elements(iocs as u64));
        g.bench_with_input(BenchmarkId::new("fast", iocs), &set, |b, set| {
            b.iter(|| HasAnyFast::new(black_box(set)))
        });
        if iocs <= 100_000 {
            g.bench_with_input(BenchmarkId::new("automaton", iocs), &set, |b, set| {
                b.iter(|| HasAnyAutomaton::new(black_box(set)))
            });
        }
    }
    g.finish();
}

/// The earlier input (100,000 names, ~6 % IOC forms) with the seed's two IOCs:
/// the figures `docs/benchmarks.md` compared before the realistic feed.
fn bench_seed_names(c: &mut Criterion) {
    let names = dns_names(100_000, 7);
    let set = ioc_set(2, 11);
    let fast = HasAnyFast::new(&set);
    let reference = HasAnyReference::new(&set);
    let expected = count(&reference, &names);
    assert_eq!(expected, HITS);
    assert_eq!(count(&fast, &names), expected, "engines disagree");
    let mut g = c.benchmark_group("has_any_seed_names");
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("fast/2", |b| {
        b.iter(|| assert_eq!(count(black_box(&fast), &names), expected))
    });
    g.finish();
}

/// Hits in the 100,000 earlier names: the IOC forms `has` matches (subdomain,
/// upper case with trailing dot, term sequence inside a longer name, the second
/// IOC's subdomain), plus generated names that happen to hold an IOC as terms.
const HITS: usize = 6_488;

fn bench_strict(c: &mut Criterion) {
    let names = dns_names(100_000, 7);
    let set = DomainSet::new(&ioc_set(2, 11));
    let suffix_hits = names.iter().filter(|n| set.suffix(n).is_some()).count();
    let exact_hits = names.iter().filter(|n| set.exact(n).is_some()).count();
    assert!(suffix_hits > exact_hits && exact_hits > 0);
    let mut g = c.benchmark_group("strict");
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("suffix", |b| {
        b.iter(|| {
            assert_eq!(
                names
                    .iter()
                    .filter(|n| set.suffix(black_box(n)).is_some())
                    .count(),
                suffix_hits
            )
        })
    });
    g.bench_function("exact", |b| {
        b.iter(|| {
            assert_eq!(
                names
                    .iter()
                    .filter(|n| set.exact(black_box(n)).is_some())
                    .count(),
                exact_hits
            )
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_has_any,
    bench_build,
    bench_seed_names,
    bench_strict
);
criterion_main!(benches);
