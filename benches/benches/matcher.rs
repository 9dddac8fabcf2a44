//! `has_any` over DNS names: the reference, automaton and fast engines, with the
//! seed's two IOCs and with 10,000 (Kusto's `has_any` limit). Each benchmark checks
//! its hit count before it times anything.

use benches::{dns_names, ioc_set};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use detections::matcher::{DomainSet, HasAny, HasAnyAutomaton, HasAnyFast, HasAnyReference};
use std::hint::black_box;

const NAMES: usize = 100_000;

fn count(m: &dyn HasAny, names: &[String]) -> usize {
    names.iter().filter(|n| m.is_match(n)).count()
}

fn bench_has_any(c: &mut Criterion) {
    let names = dns_names(NAMES, 7);
    let mut g = c.benchmark_group("has_any");
    g.throughput(Throughput::Elements(NAMES as u64));
    for iocs in [2usize, 10_000] {
        let set = ioc_set(iocs, 11);
        let reference = HasAnyReference::new(&set);
        let fast = HasAnyFast::new(&set);
        let automaton = HasAnyAutomaton::new(&set);
        // Results first: every engine, and the hit count this input is built to give.
        let expected = count(&reference, &names);
        assert_eq!(count(&fast, &names), expected, "engines disagree");
        assert_eq!(count(&automaton, &names), expected, "engines disagree");
        assert_eq!(expected, HITS, "hit count for {iocs} IOCs");
        if iocs <= 2 {
            g.bench_with_input(BenchmarkId::new("reference", iocs), &names, |b, names| {
                b.iter(|| assert_eq!(count(black_box(&reference), names), expected))
            });
        } else {
            // The reference engine is linear in the IOC count: time a slice of the names.
            let slice = &names[..1_000];
            let slice_hits = count(&reference, slice);
            g.throughput(Throughput::Elements(slice.len() as u64));
            g.bench_with_input(BenchmarkId::new("reference", iocs), &slice, |b, names| {
                b.iter(|| assert_eq!(count(black_box(&reference), names), slice_hits))
            });
            g.throughput(Throughput::Elements(NAMES as u64));
        }
        g.bench_with_input(BenchmarkId::new("automaton", iocs), &names, |b, names| {
            b.iter(|| assert_eq!(count(black_box(&automaton), names), expected))
        });
        g.bench_with_input(BenchmarkId::new("fast", iocs), &names, |b, names| {
            b.iter(|| assert_eq!(count(black_box(&fast), names), expected))
        });
    }
    g.finish();
}

/// Hits in the 100,000 generated names: the IOC forms `has` matches (subdomain,
/// upper case with trailing dot, term sequence inside a longer name, the second
/// IOC's subdomain), plus generated names that happen to hold an IOC as terms.
const HITS: usize = 6_488;

fn bench_strict(c: &mut Criterion) {
    let names = dns_names(NAMES, 7);
    let set = DomainSet::new(&ioc_set(2, 11));
    let suffix_hits = names.iter().filter(|n| set.suffix(n).is_some()).count();
    let exact_hits = names.iter().filter(|n| set.exact(n).is_some()).count();
    assert!(suffix_hits > exact_hits && exact_hits > 0);
    let mut g = c.benchmark_group("strict");
    g.throughput(Throughput::Elements(NAMES as u64));
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

criterion_group!(benches, bench_has_any, bench_strict);
criterion_main!(benches);
