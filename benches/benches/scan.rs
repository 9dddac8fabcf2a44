//! End to end over JSON Lines, as `huntlab scan` reads them: a million
//! `DnsEvents` rows against a 100,000-domain feed, and the simulator's Sysmon
//! rows with the built-in content; the simulator writing JSON Lines; `report`'s
//! scoring at a larger scale. Each checks its row and alert counts before it
//! times anything.

use std::error::Error;
use std::io::Cursor;
use std::time::Duration;

use benches::feed;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use detections::ioc::{Ioc, IocKind};
use detections::pipeline::Pipeline;
use detections::{Detection, Engine};
use harness::formats::{open, Options};
use harness::run::run_library;
use harness::scan::{Discard, JoinMode, Scanner, Tally, DEFAULT_PENDING};
use harness::scan_threaded::scan_inputs;
use simulator::Table;
use std::hint::black_box;

/// The allocator the `huntlab` binary runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Scan `bytes` as one JSON Lines input; the tally.
fn scan(det: &Detection, bytes: &'static [u8]) -> Tally {
    let mut s = Scanner::new(Pipeline::new(det), JoinMode::Wait(DEFAULT_PENDING));
    for item in open(Cursor::new(bytes), "bench.jsonl", &Options::default()).expect("opens") {
        let Ok(()) = s.item(0, item.expect("reads"), &mut Discard);
    }
    let Ok(()) = s.finish(&mut Discard);
    s.tally().clone()
}

/// [`scan`] as `huntlab scan --threads N` runs it (`N` mapping threads beside
/// the reading and the judging one).
fn scan_threads(det: &Detection, bytes: &'static [u8], threads: usize) -> Tally {
    let mut s = Scanner::new(Pipeline::new(det), JoinMode::Wait(DEFAULT_PENDING));
    let input = std::iter::once(()).map(|()| -> Result<_, Box<dyn Error + Send + Sync>> {
        Ok(open(
            Cursor::new(bytes),
            "bench.jsonl",
            &Options::default(),
        )?)
    });
    scan_inputs(&mut s, input, threads, &mut Discard).expect("scans");
    s.tally().clone()
}

/// The built-in content with these domains as its IOCs.
fn with_feed(domains: &[String]) -> Detection {
    let iocs = domains
        .iter()
        .map(|d| Ioc {
            kind: IocKind::Domain,
            value: d.clone(),
            threat_type: "botnet_cc".into(),
            first_seen: String::new(),
            confidence: Some(50),
            malware_family: String::new(),
            source: "bench".into(),
            status: String::new(),
        })
        .collect();
    detections::content::load_with_iocs(
        detections::content::NANOCORE_TOML,
        "nanocore.toml",
        Engine::Fast,
        iocs,
    )
    .expect("content loads with the feed")
}

fn bench_scan(c: &mut Criterion) {
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(8));

    let domains = feed::feed(100_000, 11);
    let (names, planted) = feed::names(1_000_000, &domains, 7);
    let dns: &'static [u8] = Box::leak(feed::dns_events_jsonl(&names).into_boxed_slice());
    let det = with_feed(&domains);
    let t = scan(&det, dns);
    assert_eq!((t.rows_read, t.rows_rejected), (1_000_000, 0));
    assert_eq!(t.alerts as usize, planted, "every planted hit alerts");
    g.throughput(Throughput::Elements(t.rows_read));
    g.bench_function("dnsevents-1M-feed-100k", |b| {
        b.iter(|| assert_eq!(scan(&det, black_box(dns)).alerts, t.alerts))
    });
    assert_eq!(scan_threads(&det, dns, 2), t, "two threads count alike");
    g.bench_function("dnsevents-1M-feed-100k-threads-2", |b| {
        b.iter(|| assert_eq!(scan_threads(&det, black_box(dns), 2).alerts, t.alerts))
    });

    let scenarios = simulator::builtin().expect("built-in library loads");
    let opts = simulator::Options::new(0, 10.0).expect("scale");
    let mut sysmon = Vec::new();
    for rec in simulator::generate_all(&scenarios, &opts) {
        if rec.table == Table::SysmonEvents {
            serde_json::to_writer(&mut sysmon, &rec.row).expect("writes");
            sysmon.push(b'\n');
        }
    }
    let sysmon: &'static [u8] = Box::leak(sysmon.into_boxed_slice());
    let det = detections::builtin(Engine::Fast);
    let t = scan(&det, sysmon);
    assert!(t.rows_read > 100_000 && t.rows_rejected == 0, "{t:?}");
    assert!(t.alerts > 0, "the library's Sysmon rows alert");
    g.throughput(Throughput::Elements(t.rows_read));
    g.bench_function("sysmon-scale-10", |b| {
        b.iter(|| assert_eq!(scan(&det, black_box(sysmon)).alerts, t.alerts))
    });
    assert_eq!(scan_threads(&det, sysmon, 2), t, "two threads count alike");
    g.bench_function("sysmon-scale-10-threads-2", |b| {
        b.iter(|| assert_eq!(scan_threads(&det, black_box(sysmon), 2).alerts, t.alerts))
    });
    g.finish();
}

/// The simulator writing every table as JSON Lines (into memory), and
/// simulating plus scoring (`report`) at scale 10.
fn bench_simulate(c: &mut Criterion) {
    let scenarios = simulator::builtin().expect("built-in library loads");
    let opts = simulator::Options::new(0, 10.0).expect("scale");
    let write = |out: &mut Vec<u8>| {
        let mut rows = 0u64;
        for rec in simulator::generate_all(&scenarios, &opts) {
            simulator::write_row(&rec.row, out);
            out.push(b'\n');
            rows += 1;
        }
        rows
    };
    let mut buf = Vec::new();
    let rows = write(&mut buf);
    let lines = buf.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(lines, rows);
    assert!(rows > 300_000, "{rows}");
    let det = detections::builtin(Engine::Fast);
    let report = run_library(&det, &scenarios, &opts, &mut |_| {});
    assert_eq!(report.run.rows_read, rows);
    assert_eq!(report.overall.expectations_failed, 0);
    let alerts = report.overall.event.tp + report.overall.event.fp;

    let mut g = c.benchmark_group("simulate");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(rows));
    g.bench_function("jsonl-scale-10", |b| {
        b.iter(|| {
            buf.clear();
            assert_eq!(write(black_box(&mut buf)), rows);
        })
    });
    g.bench_function("report-scale-10", |b| {
        b.iter(|| {
            let r = run_library(&det, black_box(&scenarios), &opts, &mut |_| {});
            assert_eq!(r.overall.event.tp + r.overall.event.fp, alerts);
        })
    });
    g.finish();
}

criterion_group!(benches, bench_scan, bench_simulate);
criterion_main!(benches);
