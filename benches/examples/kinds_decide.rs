//! The per-kind matching benchmark's decision loop, alone, for instruction
//! and cache-miss counts that do not depend on the machine's load:
//! `kinds_decide KIND N REPS [ROWS]` loads `benches::kinds::content(KIND)`
//! with N generated indicators, reads ROWS of its rows (default
//! `benches::kinds::ROWS`), then decides them REPS times in `decide_rows`
//! (count it alone, for example with callgrind's
//! `--toggle-collect=*decide_rows*`), checking each pass's alerts against the
//! planted hits. Prints the alerts per pass. (The benchmark checks each row's
//! decision; this checks the count, to keep the run short under a profiler.)

use detections::ioc::IocKind;
use detections::{Detection, Event};

/// Decide every event `reps` times; the alerts of one pass.
#[inline(never)]
fn decide_rows(det: &Detection, events: &[Event], reps: usize) -> usize {
    let mut alerts = 0;
    for _ in 0..reps {
        alerts = std::hint::black_box(events)
            .iter()
            .filter(|ev| det.decide(ev).alert)
            .count();
    }
    alerts
}

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args
        .next()
        .and_then(|k| IocKind::ALL.into_iter().find(|x| x.name() == k))
        .expect(
            "usage: kinds_decide KIND N REPS [ROWS] (KIND: domain, ipv4, ip_port, sha256, md5)",
        );
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let reps: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let rows: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(benches::kinds::ROWS);
    let values = benches::kinds::indicators(kind, n, 20);
    let rows = benches::kinds::rows(kind, &values, rows, 20);
    let det = benches::kinds::load(kind, &values).expect("the content loads");
    let hits = rows.iter().filter(|(_, hit)| *hit).count();
    let events: Vec<Event> = rows
        .iter()
        .map(|(line, _)| detections::fields::parse_line(line).expect("the row reads"))
        .collect();
    assert_eq!(decide_rows(&det, &events, reps), hits, "alerts as planted");
    println!(
        "{kind} x {n}: {hits} of {} rows alert, {reps} passes",
        rows.len()
    );
}
