//! Loading an IOC feed as `huntlab scan --iocs FEED` does before it reads a
//! row: the 100,000-domain list of `benches::feed` parsed, merged and compiled
//! into the built-in content (its matcher built). Checks what was accepted
//! and compiled before it times anything.

use std::time::Duration;

use benches::feed;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use detections::content::{load_with_iocs, NANOCORE_TOML};
use detections::feed::{FeedIoc, Format};
use detections::{Detection, Engine};
use std::hint::black_box;

/// The feed parsed as a plain list.
fn parse(text: &str) -> Vec<FeedIoc> {
    detections::feed::parse(text, "feed.txt", Some(Format::List))
        .expect("a plain list")
        .accepted
}

/// What `scan` loads before it reads a row: the merged entries and the
/// detection. (The index of the entries by value, for the hits' feed fields,
/// is made at the first hit.)
fn load(text: &str) -> (Vec<FeedIoc>, Detection) {
    let merged = detections::feed::merge([parse(text)]);
    let iocs = detections::feed::to_iocs(&merged.accepted);
    let det = load_with_iocs(NANOCORE_TOML, "nanocore.toml", Engine::Fast, iocs)
        .expect("the content loads with the feed");
    (merged.accepted, det)
}

fn bench_feed(c: &mut Criterion) {
    let mut g = c.benchmark_group("feed");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));

    let domains = feed::feed(100_000, 11);
    let text: String = domains.iter().map(|d| format!("{d}\n")).collect();
    let (accepted, det) = load(&text);
    assert_eq!(accepted.len(), domains.len(), "every domain accepted");
    assert!(accepted.iter().zip(&domains).all(|(a, d)| &a.value == d));
    assert_eq!(det.iocs.len(), domains.len(), "every domain compiled");
    let last = domains.last().expect("a domain");
    assert!(det.decide(&dns_event(&format!("c2.{last}"))).alert);
    assert!(!det.decide(&dns_event(&format!("x{last}"))).alert);
    drop((accepted, det));

    g.throughput(Throughput::Elements(domains.len() as u64));
    g.bench_function("parse-100k", |b| {
        b.iter_with_large_drop(|| {
            let accepted = parse(black_box(&text));
            assert_eq!(accepted.len(), domains.len());
            accepted
        })
    });
    g.bench_function("load-100k", |b| {
        b.iter_with_large_drop(|| {
            let loaded = load(black_box(&text));
            assert_eq!(loaded.1.iocs.len(), domains.len());
            loaded
        })
    });
    g.finish();
}

/// A `DnsEvents` row asking for `name`.
fn dns_event(name: &str) -> detections::Event {
    let row = serde_json::json!({"Type": "DnsEvents", "Computer": "dns01", "Name": name});
    detections::fields::parse_line(&row.to_string()).expect("a DnsEvents row")
}

criterion_group!(benches, bench_feed);
criterion_main!(benches);
