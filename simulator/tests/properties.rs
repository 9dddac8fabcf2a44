//! Properties over seeds: every seed gives well-formed, time-ordered rows with
//! one label each; the same seed gives the same bytes; another seed differs.

use detections::fields::parse_row;
use detections::Source;
use proptest::prelude::*;
use simulator::{Options, Record, Table};

fn library() -> Vec<simulator::Scenario> {
    simulator::builtin().expect("library parses")
}

/// An hour of every scenario.
fn opts(seed: u64) -> Options {
    Options::default()
        .with_rng_seed(seed)
        .with_hours(1.0)
        .expect("a valid window")
}

fn source_fits(table: Table, src: Source) -> bool {
    match table {
        Table::DnsEvents => src == Source::DnsEvents,
        Table::SysmonEvents => {
            matches!(
                src,
                Source::SysmonProcessCreate
                    | Source::SysmonFileCreate
                    | Source::SysmonDnsQuery
                    | Source::SysmonNetworkConnect
            )
        }
        Table::DeviceProcessEvents => src == Source::DeviceProcessEvents,
        Table::DeviceFileEvents => src == Source::DeviceFileEvents,
        Table::DeviceEvents => matches!(src, Source::DeviceEventsDns | Source::DeviceEventsTask),
        Table::SecurityEvent => src == Source::SecurityEvent,
        Table::DeviceFileCertificateInfo => src == Source::DeviceFileCertificateInfo,
        Table::DeviceNetworkInfo => src == Source::DeviceNetworkInfo,
        Table::Heartbeat => src == Source::Heartbeat,
        Table::DeviceNetworkEvents => src == Source::DeviceNetworkEvents,
        Table::CommonSecurityLog => src == Source::CommonSecurityLog,
    }
}

fn jsonl(records: impl Iterator<Item = Record>) -> String {
    let mut s = String::new();
    for r in records {
        s.push_str(&serde_json::to_string(&r).expect("serialisable"));
        s.push('\n');
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_seed_gives_well_formed_ordered_labelled_rows(seed in any::<u64>()) {
        let lib = library();
        let ids: Vec<&str> = lib.iter().map(|s| s.id.as_str()).collect();
        let mut last = i64::MIN;
        let mut n = 0u64;
        for rec in simulator::generate_all(&lib, &opts(seed)) {
            prop_assert!(rec.time_ms >= last, "out of order at row {n}");
            last = rec.time_ms;
            let ev = parse_row(rec.row.columns()).map_err(|e| TestCaseError::fail(format!("{e}: {:?}", rec.row)))?;
            prop_assert!(source_fits(rec.table, ev.source), "{:?} read as {:?}", rec.table, ev.source);
            prop_assert!(ids.contains(&rec.label.scenario.as_str()));
            prop_assert!(!rec.label.step.is_empty() && !rec.label.host.is_empty());
            n += 1;
        }
        prop_assert!(n > 1000, "only {n} rows");
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes(seed in any::<u64>()) {
        let lib = library();
        let a = jsonl(simulator::generate_all(&lib, &opts(seed)));
        let b = jsonl(simulator::generate_all(&lib, &opts(seed)));
        prop_assert!(a == b, "same seed, different output");
        let c = jsonl(simulator::generate_all(&lib, &opts(seed.wrapping_add(1))));
        prop_assert!(a != c, "different seeds, same output");
    }
}

#[test]
fn options_move_and_shorten_the_window() {
    let lib = library();
    let start = simulator::time::parse("2027-01-01T00:00:00Z").expect("valid");
    let o = Options::default()
        .with_start_ms(start)
        .with_hours(2.0)
        .expect("a valid window");
    let mut n = 0;
    for rec in simulator::generate_all(&lib, &o) {
        // A task registered days before the window (`registered_days_before`)
        // is the only history before it: the administrator's shell, schtasks
        // and the registration, with the signers of what they ran.
        if rec.time_ms < start {
            assert!(
                ["task-register", "admin-shell", "certificate"].contains(&rec.label.step.as_str()),
                "{} {}",
                rec.label.scenario,
                rec.label.step
            );
            continue;
        }
        // Episodes start inside the window; their last rows may run a few
        // seconds past its end.
        assert!(
            rec.time_ms >= start && rec.time_ms < start + 2 * 3_600_000 + 600_000,
            "{}",
            rec.time_ms
        );
        n += 1;
    }
    assert!(n > 0);
}
