//! The per-kind matching benchmark's decision loop, alone, for instruction
//! and cache-miss counts that do not depend on the machine's load:
//! `kinds_decide KIND N REPS` loads `benches::kinds::content(KIND)` with N
//! generated indicators, checks its `ROWS` rows, then decides them REPS times
//! in `decide_rows` (count it alone, for example with callgrind's
//! `--toggle-collect=*decide_rows*`). Prints the alerts per pass.

use benches::kinds::ROWS;
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
        .expect("usage: kinds_decide KIND N REPS (KIND: domain, ipv4, ip_port, sha256, md5)");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let reps: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let values = benches::kinds::indicators(kind, n, 20);
    let rows = benches::kinds::rows(kind, &values, ROWS, 20);
    let det = benches::kinds::load(kind, &values).expect("the content loads");
    let (events, hits) = benches::kinds::check(&det, kind, &rows).expect("rows as planted");
    assert_eq!(decide_rows(&det, &events, reps), hits);
    println!("{kind} x {n}: {hits} of {ROWS} rows alert, {reps} passes");
}
