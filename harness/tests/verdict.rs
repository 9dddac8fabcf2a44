//! The verdict, exclusion impact per hunt, miss causes, lookups and the best
//! change, on the whole built-in library: they add up, they name what the seed
//! content misses, and the change they propose does what they say when it is
//! made and the library run again.

use detections::content::{load, Engine, NANOCORE_TOML};
use harness::report::{Cause, Report, Status};
use harness::run::{run_library, RunOptions};

fn run(content: &str) -> Report {
    let det = load(content, "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
    let scenarios = simulator::builtin().expect("library loads");
    run_library(&det, &scenarios, &RunOptions::default(), &mut |_| {})
}

/// The adversarial scenarios the seed content lets through.
const MISSED: [&str; 4] = [
    "adversarial-backup-path",
    "adversarial-cleanup-task",
    "adversarial-netdiag-decoy",
    "adversarial-renamed-studio",
];

#[test]
fn adversarial_scenarios_expect_alert_and_the_verdict_names_the_gaps() {
    let r = run(NANOCORE_TOML);
    for s in r.scenarios.iter().filter(|s| s.kind == "adversarial") {
        assert_eq!(s.expected_outcome, "alert", "{}", s.id);
    }
    for id in MISSED {
        let s = r.scenarios.iter().find(|s| s.id == id).expect("scenario");
        assert_eq!(s.status, Status::KnownGap, "{id}");
        assert!(s.known_gap.is_some(), "{id}");
        assert!(matches!(s.cause, Some(Cause::Exclusion(_))), "{id}");
    }
    let v = &r.verdict;
    // And the three attacks no DNS log sees: two only an address hunt sees,
    // and one on a site without network telemetry.
    let mut missed: Vec<&str> = MISSED.to_vec();
    missed.extend([
        "nanocore-c2-by-address",
        "nanocore-invoice-regsvcs-own-queries",
        "nanocore-own-resolver",
    ]);
    assert_eq!(v.attacks.missed, missed);
    assert_eq!(v.attacks.scenarios, 23);
    assert_eq!(v.attacks.scenarios_detected, 16);
    // Two detected attacks leave Windows 7 Sysmon hosts silent: declared gaps.
    let silent: Vec<(&str, Vec<&str>)> = v
        .attacks
        .silent_hosts
        .iter()
        .map(|s| {
            (
                s.scenario.as_str(),
                s.hosts.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        silent,
        [
            ("adversarial-task-restart", vec!["WS-ADV-RST-03"]),
            (
                "nanocore-four-hosts-two-blind",
                vec!["WS-QA-02", "WS-QA-04"]
            ),
        ]
    );
    assert!(v.failing.is_empty());
    let gaps: Vec<&str> = v
        .known_gaps
        .iter()
        .flat_map(|g| g.scenarios.iter().map(String::as_str))
        .collect();
    assert_eq!(gaps.len(), 13, "{gaps:?}");
    assert!(gaps.contains(&"background-has-collisions"));
    assert!(gaps.contains(&"benign-netdiag-pwsh-second-path"));
    assert_eq!(r.overall.known_gaps, 13);
    assert_eq!(r.overall.expectations_failed + r.overall.gaps_closed, 0);
    assert_eq!(
        v.false_positives.scenarios,
        [
            "background-has-collisions",
            "benign-mail-dnsbl",
            "benign-netdiag-pwsh-second-path",
            "benign-soar-enrichment"
        ]
    );
}

#[test]
fn impact_per_hunt_misses_and_lookups_add_up() {
    let r = run(NANOCORE_TOML);
    for x in &r.exclusions {
        // On this content no row fires two hunts, so the hunts split the totals.
        let benign: u64 = x.by_hunt.iter().map(|b| b.benign_suppressed).sum();
        let malicious: u64 = x.by_hunt.iter().map(|b| b.malicious_hidden).sum();
        assert_eq!(benign, x.benign_suppressed, "{}", x.id);
        assert_eq!(malicious, x.malicious_hidden, "{}", x.id);
        for b in &x.by_hunt {
            assert_eq!(
                b.harmful,
                b.malicious_hidden > 0 && b.benign_suppressed == 0,
                "{} on {}",
                x.id,
                b.hunt
            );
        }
    }
    // The four process exclusions are harmful on the DNS hunt, and only there.
    let harmful: Vec<(&str, &str)> = r
        .verdict
        .harmful
        .iter()
        .map(|h| (h.exclusion.as_str(), h.hunt.as_str()))
        .collect();
    assert_eq!(
        harmful,
        [
            ("backup-job", "nanocore-c2-dns"),
            ("network-diagnostics", "nanocore-c2-dns"),
            ("log-cleanup", "nanocore-c2-dns"),
            ("name-collision", "nanocore-c2-dns"),
        ]
    );
    let m = &r.overall.misses;
    assert_eq!(m.not_read + m.not_matched + m.hidden, r.overall.event.fn_);
    for s in &r.scenarios {
        let m = &s.misses;
        assert_eq!(
            m.not_read + m.not_matched + m.hidden,
            s.event.fn_,
            "{}",
            s.id
        );
        let steps: u64 = m
            .unmatched_steps
            .iter()
            .map(|x| x.not_read + x.not_matched)
            .sum();
        assert_eq!(steps, m.not_read + m.not_matched, "{}", s.id);
        assert!(s.lookup.total() <= s.rows, "{}", s.id);
    }
    // A lookup the DNS server's row alerted is detected even when an exclusion
    // hid the endpoint's row.
    let clearcache = r
        .scenarios
        .iter()
        .find(|s| s.id == "adversarial-clearcache")
        .expect("scenario");
    assert!(clearcache.event.recall() < Some(0.5));
    assert_eq!(clearcache.lookup.recall(), Some(1.0));
    assert!(r.overall.lookup.total() > 0);
}

#[test]
fn the_best_change_does_what_it_says_when_made() {
    let r = run(NANOCORE_TOML);
    let c = r.verdict.best_change.clone().expect("a change is proposed");
    assert_eq!(c.change, "drop_exclusions");
    assert_eq!(c.hunt.as_deref(), Some("nanocore-c2-dns"));
    assert_eq!(c.gaps_closed, MISSED);
    assert!(c.new_failures.is_empty());
    assert_eq!(c.false_positive_rows, 0);
    // Make the change: the DNS hunt keeps only the exclusions not dropped.
    let line = "exclusions = [\"backup-job\", \"network-diagnostics\", \"log-cleanup\", \"name-collision\"]";
    assert!(NANOCORE_TOML.contains(line));
    let kept: Vec<String> = [
        "backup-job",
        "network-diagnostics",
        "log-cleanup",
        "name-collision",
    ]
    .iter()
    .filter(|x| !c.exclusions.iter().any(|d| d == *x))
    .map(|x| format!("\"{x}\""))
    .collect();
    let changed = NANOCORE_TOML.replacen(line, &format!("exclusions = [{}]", kept.join(", ")), 1);
    let after = run(&changed);
    assert_eq!(
        after.overall.event.tp as i64 - r.overall.event.tp as i64,
        c.malicious_rows
    );
    assert_eq!(
        after.overall.event.fp as i64 - r.overall.event.fp as i64,
        c.false_positive_rows
    );
    for id in &c.gaps_closed {
        let s = after
            .scenarios
            .iter()
            .find(|s| &s.id == id)
            .expect("scenario");
        assert_eq!(s.status, Status::GapClosed, "{id}");
    }
    assert!(after.verdict.harmful.is_empty());
}

#[test]
fn a_branch_that_holds_on_no_fired_row_is_inert() {
    // On process trees as Windows builds them, no process a hunt fires on has a
    // schtasks.exe parent: the literal "launched by schtasks.exe" is inert.
    let branch = "{ field = \"parent_image_name\", op = \"=~\", values = [\"schtasks.exe\"] },";
    assert!(NANOCORE_TOML.contains(branch));
    let inert = |r: &Report, id: &str| -> Vec<(usize, String)> {
        r.exclusions
            .iter()
            .find(|x| x.id == id)
            .expect("exclusion")
            .inert_branches
            .iter()
            .map(|b| (b.branch, b.condition.clone()))
            .collect()
    };
    let literal = "parent_image_name =~ \"schtasks.exe\"".to_owned();
    let r = run(NANOCORE_TOML);
    assert_eq!(inert(&r, "backup-job"), [(1, literal.clone())]);
    // A branch added after it that never holds is named too.
    let extra = format!(
        "{branch}\n  {{ field = \"image_name\", op = \"=~\", values = [\"never-seen.exe\"] }},"
    );
    let r = run(&NANOCORE_TOML.replacen(branch, &extra, 1));
    assert_eq!(
        inert(&r, "backup-job"),
        [
            (1, literal),
            (2, "image_name =~ \"never-seen.exe\"".to_owned())
        ]
    );
    assert!(r
        .exclusions
        .iter()
        .filter(|e| e.id != "backup-job")
        .all(|e| e.inert_branches.is_empty()));
}
