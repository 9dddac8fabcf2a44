//! What a scheduled rule's joins can see. A rule runs every `frequency` over
//! the rows of the window that just ended, and joins them with what the
//! workspace holds over its lookback: task registrations, signers, the
//! addresses hosts reported. A task registered before the lookback began is
//! unknown to the run, however long ago it was registered; one registered
//! later in the same window is known, since the run comes after it.
//!
//! [`History`] holds every such fact with its time (read in a first pass over
//! the rows); [`crate::enrich::ProcessJoin`] asks it, for a row's time, the
//! latest fact the run that judges that row can see.

use std::collections::HashMap;

use crate::event::Learned;
use crate::learn::task_key;

/// A scheduled rule's clock: it runs every `frequency_ms` (at the end of each
/// window of that length, counted from the epoch) and its joins reach back
/// `lookback_ms` from the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleClock {
    /// How often the rule runs, in milliseconds (more than 0).
    pub frequency_ms: i64,
    /// How far back its joins read, in milliseconds (at least the frequency).
    pub lookback_ms: i64,
}

impl RuleClock {
    /// The run that judges a row of time `t`: the end of its window.
    pub fn run_at(&self, t: i64) -> i64 {
        (t.div_euclid(self.frequency_ms) + 1) * self.frequency_ms
    }

    /// Whether the run that judges a row of time `row_ms` sees a fact of time
    /// `fact_ms`: before the run, and within its lookback.
    pub fn sees(&self, fact_ms: i64, row_ms: i64) -> bool {
        let run = self.run_at(row_ms);
        fact_ms < run && fact_ms >= run - self.lookback_ms
    }
}

/// Facts of one key, in the order they were learned.
type Timeline = Vec<(i64, String)>;

/// Every fact the rows teach, with its time: task names by host and action,
/// signers by SHA1, hosts by the addresses they reported.
#[derive(Debug, Clone)]
pub struct History {
    clock: RuleClock,
    tasks: HashMap<(String, String), Timeline>,
    signers: HashMap<String, Timeline>,
    endpoints: HashMap<String, Timeline>,
}

impl History {
    /// An empty history read by `clock`.
    pub fn new(clock: RuleClock) -> Self {
        Self {
            clock,
            tasks: HashMap::new(),
            signers: HashMap::new(),
            endpoints: HashMap::new(),
        }
    }

    /// The clock.
    pub fn clock(&self) -> RuleClock {
        self.clock
    }

    /// Remember a fact a row of `host` taught at `at_ms`.
    pub fn learn(&mut self, host: &str, fact: &Learned, at_ms: i64) {
        match fact {
            Learned::Signer { sha1, signer } => self
                .signers
                .entry(sha1.to_ascii_lowercase())
                .or_default()
                .push((at_ms, signer.clone())),
            Learned::Task { name, command } => self
                .tasks
                .entry(task_key(host, command))
                .or_default()
                .push((at_ms, name.clone())),
            Learned::Addresses { ips } if !host.is_empty() => {
                for ip in ips {
                    self.endpoints
                        .entry(ip.trim().to_ascii_lowercase())
                        .or_default()
                        .push((at_ms, host.to_owned()));
                }
            }
            Learned::Addresses { .. } => {}
        }
    }

    /// The latest fact of `line` the run judging a row of `row_ms` sees.
    fn seen(&self, line: Option<&Timeline>, row_ms: i64) -> Option<String> {
        line?
            .iter()
            .filter(|(t, _)| self.clock.sees(*t, row_ms))
            .max_by_key(|(t, _)| *t)
            .map(|(_, v)| v.clone())
    }

    /// The task whose action is `command` on `host`, as the run judging a
    /// row of `row_ms` knows it.
    pub fn task(&self, host: &str, command: &str, row_ms: i64) -> Option<String> {
        self.seen(self.tasks.get(&task_key(host, command)), row_ms)
    }

    /// The signer of the image of `sha1`, as that run knows it.
    pub fn signer(&self, sha1: &str, row_ms: i64) -> Option<String> {
        self.seen(self.signers.get(&sha1.to_ascii_lowercase()), row_ms)
    }

    /// The host that reported `ip`, as that run knows it.
    pub fn endpoint(&self, ip: &str, row_ms: i64) -> Option<String> {
        self.seen(self.endpoints.get(&ip.trim().to_ascii_lowercase()), row_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;

    fn task() -> Learned {
        Learned::Task {
            name: r"\Nightly Backup".into(),
            command: r#""C:\Program Files\BackupTool\nanocore.exe""#.into(),
        }
    }

    #[test]
    fn an_hourly_rule_sees_a_task_registered_within_its_lookback_and_not_before() {
        let clock = RuleClock {
            frequency_ms: HOUR,
            lookback_ms: 14 * DAY,
        };
        let mut h = History::new(clock);
        let registered = 10 * DAY + 30 * 60_000;
        h.learn("WS1", &task(), registered);
        let cmd = r"C:\Program Files\BackupTool\nanocore.exe";
        // Earlier in the same window: the run comes after the registration.
        assert!(h.task("ws1", cmd, 10 * DAY + 60_000).is_some());
        // Two days later: within 14 days.
        assert!(h.task("ws1", cmd, 12 * DAY + 5 * HOUR).is_some());
        // Fifteen days later: past the lookback.
        assert!(h.task("ws1", cmd, 25 * DAY + HOUR).is_none());
        // A window before the registration: not yet.
        assert!(h.task("ws1", cmd, 10 * DAY - 1).is_none());
        // With a one-hour lookback, only the window of the registration.
        let short = RuleClock {
            frequency_ms: HOUR,
            lookback_ms: HOUR,
        };
        let mut h = History::new(short);
        h.learn("WS1", &task(), registered);
        assert!(h.task("ws1", cmd, 10 * DAY + 50 * 60_000).is_some());
        assert!(h.task("ws1", cmd, 10 * DAY + 2 * HOUR).is_none());
    }

    #[test]
    fn the_latest_fact_the_run_sees_wins() {
        let clock = RuleClock {
            frequency_ms: HOUR,
            lookback_ms: DAY,
        };
        let mut h = History::new(clock);
        let ips = |ip: &str| Learned::Addresses {
            ips: vec![ip.to_owned()],
        };
        h.learn("WS1", &ips("10.0.0.5"), 0);
        h.learn("WS2", &ips("10.0.0.5"), 5 * HOUR);
        assert_eq!(h.endpoint("10.0.0.5", HOUR).as_deref(), Some("WS1"));
        assert_eq!(h.endpoint("10.0.0.5", 6 * HOUR).as_deref(), Some("WS2"));
        assert_eq!(h.endpoint("10.0.0.5", 40 * HOUR), None);
    }
}
