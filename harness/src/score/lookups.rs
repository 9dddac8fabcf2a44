//! DNS lookups: one lookup is often two rows (the endpoint's and the DNS
//! server's), and a retry inside the resolver's cache window is the same
//! lookup. Rows of one scenario, host and name (ASCII lower case, one trailing
//! dot removed) within [`LOOKUP_WINDOW_MS`] of the lookup's first row are one
//! lookup: malicious when any of its rows is, flagged when any alerts.
//!
//! Memory is bounded by the lookups open within the window: older ones are
//! closed as rows arrive in time order (the simulator's order).

use std::collections::BTreeMap;

use crate::metrics::{Confusion, FoldMap};

/// The resolver's cache window: the simulator's default TTL (300 s). A host
/// that looked a name up does not ask again within it.
pub const LOOKUP_WINDOW_MS: i64 = 300_000;

/// How many rows pass between sweeps of lookups whose window has passed.
const SWEEP_EVERY: u64 = 65_536;

#[derive(Debug, Clone, Copy)]
struct Open {
    start_ms: i64,
    malicious: bool,
    flagged: bool,
}

/// Open lookups by scenario, host and name; closed ones counted per scenario.
#[derive(Debug, Default)]
pub(super) struct Lookups {
    open: FoldMap<FoldMap<FoldMap<Open>>>,
    closed: BTreeMap<String, Confusion>,
    rows: u64,
}

impl Lookups {
    /// Count one DNS row.
    #[cfg(test)]
    fn add(
        &mut self,
        scenario: &str,
        host: &str,
        name: &str,
        time_ms: i64,
        malicious: bool,
        flagged: bool,
    ) {
        let key = detections::matcher::normalize_name(name);
        self.add_normalized(scenario, host, &key, time_ms, malicious, flagged);
    }

    /// Count one DNS row, its name already normalised
    /// ([`detections::matcher::normalize_name`]: ASCII lower case, one
    /// trailing dot removed).
    pub(super) fn add_normalized(
        &mut self,
        scenario: &str,
        host: &str,
        key: &str,
        time_ms: i64,
        malicious: bool,
        flagged: bool,
    ) {
        self.rows += 1;
        if self.rows.is_multiple_of(SWEEP_EVERY) {
            self.sweep(time_ms - LOOKUP_WINDOW_MS);
        }
        let hosts = match self.open.get_mut(scenario) {
            Some(h) => h,
            None => self.open.entry(scenario.to_owned()).or_default(),
        };
        let names = match hosts.get_mut(host) {
            Some(n) => n,
            None => hosts.entry(host.to_owned()).or_default(),
        };
        let row = Open {
            start_ms: time_ms,
            malicious,
            flagged,
        };
        match names.get_mut(key) {
            Some(o) if (time_ms - o.start_ms).abs() <= LOOKUP_WINDOW_MS => {
                o.malicious |= malicious;
                o.flagged |= flagged;
            }
            Some(o) => {
                let done = std::mem::replace(o, row);
                count(&mut self.closed, scenario, done);
            }
            None => {
                names.insert(key.to_owned(), row);
            }
        }
    }

    /// Close every lookup that started before `before`.
    fn sweep(&mut self, before: i64) {
        for (scenario, hosts) in &mut self.open {
            for names in hosts.values_mut() {
                names.retain(|_, o| {
                    let keep = o.start_ms >= before;
                    if !keep {
                        count(&mut self.closed, scenario, *o);
                    }
                    keep
                });
            }
            hosts.retain(|_, n| !n.is_empty());
        }
        self.open.retain(|_, h| !h.is_empty());
    }

    /// Lookup-level confusion per scenario (scenarios without DNS rows left out).
    pub(super) fn finish(mut self) -> BTreeMap<String, Confusion> {
        self.sweep(i64::MAX);
        self.closed
    }
}

fn count(closed: &mut BTreeMap<String, Confusion>, scenario: &str, o: Open) {
    let c = match closed.get_mut(scenario) {
        Some(c) => c,
        None => closed.entry(scenario.to_owned()).or_default(),
    };
    c.add(o.malicious, o.flagged);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_rows_of_one_lookup_count_once_and_the_window_splits() {
        let mut l = Lookups::default();
        // Endpoint and server rows of one lookup; the server's alerts.
        l.add("s", "h1", "C2.example.", 0, true, false);
        l.add("s", "h1", "c2.example", 10, true, true);
        // The same name after the window: another lookup, not alerted.
        l.add("s", "h1", "c2.example", LOOKUP_WINDOW_MS + 1, true, false);
        // Another host, benign.
        l.add("s", "h2", "c2.example", 20, false, false);
        let got = l.finish();
        assert_eq!(
            got["s"],
            Confusion {
                tp: 1,
                fp: 0,
                fn_: 1,
                tn: 1
            }
        );
    }
}
