//! The sample report's verdict.

use harness::report::*;

use super::HOSTILE_ID;

/// The verdict of the sample's scenarios: one attack missed, one with a
/// silent host (a declared gap), false positives and a harmful exclusion.
pub fn verdict() -> Verdict {
    Verdict {
        attacks: Attacks {
            scenarios: 4,
            scenarios_detected: 3,
            hosts: 6,
            hosts_detected: 4,
            missed: vec!["nanocore-doh-c2".into()],
            silent_hosts: vec![SilentHosts {
                scenario: "nanocore-masquerade-updater".into(),
                hosts: vec!["WS-SILENT-01".into()],
            }],
        },
        known_gaps: vec![GapGroup {
            cause: Cause::Exclusion("excl-signed-updater".into()),
            scenarios: vec!["nanocore-masquerade-updater".into()],
        }],
        failing: vec!["nanocore-doh-c2".into()],
        false_positives: FalsePositives {
            rows: 4,
            lookups: 2,
            incidents: 1,
            scenarios: vec!["benign-browsing".into(), HOSTILE_ID.into()],
        },
        harmful: vec![Harmful {
            exclusion: "excl-signed-updater".into(),
            hunt: "sysmon-dns-query".into(),
            malicious_hidden: 60,
        }],
        best_change: Some(Change {
            change: "drop_exclusions".into(),
            hunt: Some("sysmon-dns-query".into()),
            exclusions: vec!["excl-signed-updater".into()],
            gaps_closed: vec!["nanocore-masquerade-updater".into()],
            new_failures: Vec::new(),
            malicious_rows: 60,
            false_positive_rows: 0,
        }),
        lint: Vec::new(),
    }
}
