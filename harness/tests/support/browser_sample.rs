//! The report the browser test renders: every section filled, with hostile
//! strings where telemetry and scenario files put text.

use harness::metrics::Confusion;
use harness::report::*;

#[path = "browser_exposure.rs"]
mod browser_exposure;
use browser_exposure::{exposure, mimic};
#[path = "browser_verdict.rs"]
mod browser_verdict;
use browser_verdict::verdict;

/// A hostile scenario id: it must reach the page as text, never as markup.
pub const HOSTILE_ID: &str = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";
pub const HOSTILE_ERROR: &str = "unexpected <svg onload=alert(3)> in field";
const TIMELINE_BINS: usize = 48;

fn confusion(tp: u64, fp: u64, fn_: u64, tn: u64) -> Confusion {
    Confusion { tp, fp, fn_, tn }
}

/// Per-bin counts from a small formula, so the timeline has shape.
fn bins(f: impl Fn(usize) -> u64) -> Vec<u64> {
    (0..TIMELINE_BINS).map(f).collect()
}

struct Spec {
    id: &'static str,
    title: &'static str,
    kind: &'static str,
    expected: &'static str,
    exclusion: Option<&'static str>,
    met: bool,
    event: Confusion,
    host: Confusion,
    fired: u64,
    suppressed: u64,
    ttfd: Option<f64>,
    timeline: Option<Timeline>,
}

fn scenario(s: Spec) -> ScenarioScore {
    ScenarioScore {
        id: s.id.to_owned(),
        title: s.title.to_owned(),
        kind: s.kind.to_owned(),
        expected_outcome: s.expected.to_owned(),
        expected_exclusion: s.exclusion.map(str::to_owned),
        // An adversarial scenario that is missed is a declared known gap; a
        // missed malicious one fails.
        status: match (s.met, s.kind) {
            (true, _) => Status::Met,
            (false, "adversarial") => Status::KnownGap,
            (false, _) => Status::Failed,
        },
        known_gap: (!s.met && s.kind == "adversarial")
            .then(|| "the updater exclusion trusts the <b>process name</b>".to_owned()),
        cause: (!s.met).then(|| match s.kind {
            "adversarial" => Cause::Exclusion("excl-signed-updater".into()),
            _ => Cause::NotMatched,
        }),
        expectation_met: s.met,
        expectation_detail: if s.met {
            "the declared outcome held".to_owned()
        } else {
            format!(
                "expected `{}`; {} alert(s) stand",
                s.expected,
                s.event.tp + s.event.fp
            )
        },
        rows: s.event.total(),
        malicious_rows: s.event.tp + s.event.fn_,
        fired: s.fired,
        alerts: s.event.tp + s.event.fp,
        suppressed: s.suppressed,
        alerted_kinds: if s.event.tp + s.event.fp > 0 {
            vec!["domain".to_owned()]
        } else {
            Vec::new()
        },
        event: s.event,
        recall_visible: s.event.recall(),
        misses: Misses {
            not_read: 0,
            not_matched: s.event.fn_.saturating_sub(s.suppressed),
            hidden: s.suppressed.min(s.event.fn_),
            hidden_by: Vec::new(),
            unmatched_steps: Vec::new(),
        },
        lookup: confusion(s.event.tp / 2, s.event.fp, s.event.fn_ / 2, s.event.tn / 2),
        host: s.host,
        hosts_infected: s.host.tp + s.host.fn_,
        hosts_alerted: s.host.tp,
        silent_hosts: (1..=s.host.fn_)
            .map(|i| format!("WS-SILENT-{i:02}"))
            .collect(),
        time_to_first_detection_s: s.ttfd,
        timeline: s.timeline,
    }
}

/// A small report with every section populated, one scenario id hostile.
pub fn sample_report() -> Report {
    let scenarios = sample_scenarios();
    let event = confusion(482, 4, 80, 21_650);
    let host = confusion(5, 1, 1, 60);
    Report {
        schema_version: SCHEMA_VERSION,
        detection: detection(),
        run: run(scenarios.len()),
        overall: overall(event, host),
        verdict: verdict(),
        hunts: hunts(),
        indicator_kinds: indicator_kinds(),
        scenarios,
        exclusions: exclusions(),
        sources: sources(),
        semantics: semantics(),
        host_attribution: host_attribution(),
        rejected_examples: rejected_examples(),
        deployed_forms: deployed_forms(),
        seeds: None,
    }
}

/// The domain kind, and an address kind whose alerts in the hostile scenario
/// an exclusion hid.
fn indicator_kinds() -> Vec<KindScore> {
    vec![
        KindScore {
            kind: "domain".into(),
            label: "domain".into(),
            indicators: 2,
            hunts: vec!["nanocore-c2-dns".into()],
            fired: 456,
            alerts: 456,
            tp: 452,
            fp: 4,
            malicious_hidden: 0,
            benign_suppressed: 0,
            precision: Some(0.991228),
            scenarios: Vec::new(),
        },
        KindScore {
            kind: "ip_port".into(),
            label: "IP address and port".into(),
            indicators: 1,
            hunts: vec!["c2-<b>address</b>".into()],
            fired: 60,
            alerts: 0,
            tp: 0,
            fp: 0,
            malicious_hidden: 60,
            benign_suppressed: 0,
            precision: None,
            scenarios: vec![KindInScenario {
                scenario: HOSTILE_ID.into(),
                fired: 60,
                tp: 0,
                fp: 0,
                malicious_hidden: 60,
                benign_suppressed: 0,
            }],
        },
    ]
}

/// The scenarios: the benign ones first, then the attacks.
fn sample_scenarios() -> Vec<ScenarioScore> {
    let mut scenarios = benign_scenarios();
    scenarios.extend(attack_scenarios());
    scenarios
}

/// The benign and background scenarios: no timeline.
fn benign_scenarios() -> Vec<ScenarioScore> {
    vec![
        scenario(Spec {
            id: "benign-software-updater",
            title: "Vendor updater resolves a lookalike domain",
            kind: "benign",
            expected: "suppressed",
            exclusion: Some("excl-signed-updater"),
            met: true,
            event: confusion(0, 0, 0, 2400),
            host: confusion(0, 0, 0, 12),
            fired: 180,
            suppressed: 180,
            ttfd: None,
            timeline: None,
        }),
        scenario(Spec {
            id: "benign-browsing",
            title: "Ordinary browsing and DNS noise",
            kind: "background",
            expected: "no-match",
            exclusion: None,
            met: true,
            event: confusion(0, 3, 0, 18_000),
            host: confusion(0, 1, 0, 40),
            fired: 3,
            suppressed: 0,
            ttfd: None,
            timeline: None,
        }),
    ]
}

/// The malicious and adversarial scenarios, each with a timeline; one id
/// hostile.
fn attack_scenarios() -> Vec<ScenarioScore> {
    let start = 1_717_200_000_000;
    vec![
        scenario(Spec {
            id: "nanocore-beacon-dns",
            title: "NanoCore client beacons to its C2 domains",
            kind: "malicious",
            expected: "alert",
            exclusion: None,
            met: true,
            event: confusion(430, 0, 14, 900),
            host: confusion(3, 0, 0, 5),
            fired: 430,
            suppressed: 0,
            ttfd: Some(4.2),
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 6 * 3_600_000,
                alerted: bins(|i| 6 + (i as u64 * 7) % 5),
                hidden: bins(|_| 0),
                missed: bins(|i| u64::from(i % 16 == 3)),
            }),
        }),
        scenario(Spec {
            id: "nanocore-masquerade-updater",
            title: "NanoCore runs as the updater's process name",
            kind: "adversarial",
            expected: "alert",
            exclusion: None,
            met: false,
            event: confusion(40, 0, 60, 300),
            host: confusion(1, 0, 1, 2),
            fired: 100,
            suppressed: 60,
            ttfd: Some(1_250.0),
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 2 * 3_600_000,
                alerted: bins(|i| if i >= 10 { 1 } else { 0 }),
                hidden: bins(|i| if i < 24 { 2 } else { 1 }),
                missed: bins(|_| 0),
            }),
        }),
        scenario(Spec {
            id: HOSTILE_ID,
            title: "Scenario with a hostile id",
            kind: "adversarial",
            expected: "alert",
            exclusion: None,
            met: true,
            event: confusion(12, 1, 6, 50),
            host: confusion(1, 0, 0, 1),
            fired: 13,
            suppressed: 0,
            ttfd: Some(95.0),
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 45 * 60_000,
                alerted: bins(|i| u64::from(i % 4 == 0)),
                hidden: bins(|_| 0),
                missed: bins(|i| u64::from(i % 8 == 1)),
            }),
        }),
        scenario(Spec {
            id: "nanocore-doh-c2",
            title: "C2 lookups over DNS-over-HTTPS: no DNS row names them",
            kind: "malicious",
            expected: "alert",
            exclusion: None,
            met: false,
            event: confusion(0, 0, 26, 120),
            host: confusion(0, 0, 1, 1),
            fired: 0,
            suppressed: 0,
            ttfd: None,
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 20 * 60_000,
                alerted: bins(|_| 0),
                hidden: bins(|_| 0),
                missed: bins(|i| u64::from(i % 3 == 0) + u64::from(i % 5 == 0)),
            }),
        }),
    ]
}

fn detection() -> DetectionInfo {
    DetectionInfo {
        id: "nanocore-rat-dns".into(),
        title: "NanoCore RAT: DNS lookups of known C2 domains".into(),
        iocs: vec![
            "nanocore-c2.example".into(),
            "backup-c2.example".into(),
            "<u>bold</u>.example".into(),
        ],
        hunts: vec!["dns-events".into(), "sysmon-dns-query".into()],
        exclusions: vec!["excl-signed-updater".into(), "excl-dns-server".into()],
        source_sha256: "0".repeat(64),
    }
}

fn run(scenario_count: usize) -> RunInfo {
    RunInfo {
        huntlab_version: "0.1.0".into(),
        scenarios_sha256: "1".repeat(64),
        rng_seed: 42,
        scale: 1.0,
        scenario_count,
        rows_read: 22_219,
        rows_scored: 22_216,
        rows_rejected: 3,
        rule: None,
    }
}

fn overall(event: Confusion, host: Confusion) -> Overall {
    Overall {
        precision: event.precision(),
        recall: event.recall(),
        f1: event.f1(),
        event,
        host,
        lookup: confusion(241, 2, 40, 10_825),
        recall_visible: Some(0.9),
        misses: Misses {
            not_read: 12,
            not_matched: 8,
            hidden: 60,
            hidden_by: vec![HiddenBy {
                exclusion: "excl-signed-updater".into(),
                rows: 60,
                also_hidden_by_another: 0,
            }],
            unmatched_steps: vec![
                StepMisses {
                    step: "dropper".into(),
                    not_read: 12,
                    not_matched: 0,
                },
                StepMisses {
                    step: "c2-lookup".into(),
                    not_read: 0,
                    not_matched: 8,
                },
            ],
        },
        alerts_without_indicator: AlertsWithoutIndicator { tp: 30, fp: 0 },
        expectations_met: 4,
        expectations_failed: 1,
        known_gaps: 1,
        gaps_closed: 0,
    }
}

fn hunts() -> Vec<HuntScore> {
    vec![
        HuntScore {
            id: "dns-events".into(),
            title: "Server DNS lookups of the IOCs".into(),
            origin: "seed".into(),
            origin_why: None,
            fired: 600,
            alerts: 360,
            confusion: confusion(357, 3, 50, 12_000),
        },
        HuntScore {
            id: "sysmon-dns-query".into(),
            title: "Endpoint DNS lookups of the IOCs".into(),
            origin: "added".into(),
            origin_why: Some("endpoint rows name the <i>process</i>".into()),
            fired: 300,
            alerts: 126,
            confusion: confusion(125, 1, 30, 9_000),
        },
    ]
}

fn exclusions() -> Vec<ExclusionScore> {
    vec![signed_updater_exclusion(), dns_server_exclusion()]
}

/// The harmful exclusion: it hides malicious rows on one hunt.
fn signed_updater_exclusion() -> ExclusionScore {
    let signed = exposure("excl-signed-updater", "signer", "Vendor", false);
    ExclusionScore {
        id: "excl-signed-updater".into(),
        scenario: "benign-software-updater".into(),
        seed_text: "Exclude the signed updater".into(),
        reading: Some("the process name is the updater's".into()),
        condition: "image_name =~ \"updater.exe\" or signer =~ \"Vendor\"".into(),
        benign_suppressed: 180,
        malicious_hidden: 60,
        not_evaluable: 240,
        by_scenario: vec![
            ExclusionByScenario {
                scenario: "benign-software-updater".into(),
                benign_suppressed: 180,
                malicious_hidden: 0,
            },
            ExclusionByScenario {
                scenario: "nanocore-masquerade-updater".into(),
                benign_suppressed: 0,
                malicious_hidden: 60,
            },
        ],
        by_hunt: vec![
            ExclusionByHunt {
                hunt: "dns-events".into(),
                benign_suppressed: 180,
                malicious_hidden: 0,
                not_evaluable: 240,
                harmful: false,
            },
            ExclusionByHunt {
                hunt: "sysmon-dns-query".into(),
                benign_suppressed: 0,
                malicious_hidden: 60,
                not_evaluable: 0,
                harmful: true,
            },
        ],
        inert_branches: vec![Branch {
            branch: 1,
            condition: "signer =~ \"Vendor\"".into(),
        }],
        exposure_text: harness::report::exposure_text(&signed),
        exposure: signed,
        mimic: mimic(Some("mimic-<signed>"), None),
    }
}

/// An inert exclusion whose scenario, seed text and condition are hostile.
fn dns_server_exclusion() -> ExclusionScore {
    let hostile = exposure("excl-dns-server", "image", "<svg onload=alert(4)>", true);
    ExclusionScore {
        id: "excl-dns-server".into(),
        scenario: HOSTILE_ID.into(),
        seed_text: HOSTILE_ERROR.into(),
        reading: None,
        condition: "image contains \"<svg onload=alert(4)>\"".into(),
        benign_suppressed: 0,
        malicious_hidden: 0,
        not_evaluable: 0,
        by_scenario: vec![],
        by_hunt: vec![ExclusionByHunt {
            hunt: "dns-events".into(),
            benign_suppressed: 0,
            malicious_hidden: 0,
            not_evaluable: 0,
            harmful: false,
        }],
        inert_branches: vec![Branch {
            branch: 0,
            condition: "image contains \"<svg onload=alert(4)>\"".into(),
        }],
        exposure_text: harness::report::exposure_text(&hostile),
        exposure: hostile,
        mimic: mimic(None, Some("<script>alert(1)</script> cannot be copied")),
    }
}

fn sources() -> Vec<SourceScore> {
    vec![
        SourceScore {
            source: "DnsEvents".into(),
            rows: 12_410,
            fired: 600,
            alerts: 360,
            not_evaluable: 240,
            has_process: false,
        },
        SourceScore {
            source: "Sysmon EventID 22".into(),
            rows: 9_806,
            fired: 300,
            alerts: 126,
            not_evaluable: 0,
            has_process: true,
        },
    ]
}

fn semantics() -> Vec<SemanticsScore> {
    vec![
        SemanticsScore {
            matcher: "has_any".into(),
            definition: "term match on the query name".into(),
            confusion: confusion(540, 12, 22, 11_836),
        },
        SemanticsScore {
            matcher: "exact".into(),
            definition: "equality with an IOC".into(),
            confusion: confusion(410, 0, 152, 11_848),
        },
        SemanticsScore {
            matcher: "suffix".into(),
            definition: "the IOC or a subdomain of it".into(),
            confusion: confusion(562, 0, 0, 11_848),
        },
    ]
}

fn host_attribution() -> HostAttribution {
    HostAttribution {
        dns_alerts: 40,
        to_labelled_host: 30,
        to_another_host: 8,
        unmapped: 2,
        host_by_label: Confusion {
            tp: 4,
            fp: 1,
            fn_: 1,
            tn: 20,
        },
        host_by_client_ip: Confusion {
            tp: 3,
            fp: 2,
            fn_: 2,
            tn: 19,
        },
        forwarded: vec![ForwardedTo {
            host: "BR-DNS".into(),
            alerts: 8,
            clients: vec!["BR-01".into(), "BR-02".into()],
            infected: false,
        }],
    }
}

fn rejected_examples() -> Vec<Rejected> {
    vec![
        Rejected {
            table: "DnsEvents".into(),
            row: 118,
            error: HOSTILE_ERROR.into(),
        },
        Rejected {
            table: "Sysmon".into(),
            row: 7,
            error: "TimeGenerated is not a timestamp".into(),
        },
    ]
}

fn deployed_forms() -> Vec<harness::deployed::DeployedForm> {
    vec![harness::deployed::DeployedForm {
        form: "sigma dns_query".into(),
        hunt: "nanocore-c2-dns".into(),
        tables: "DnsEvents".into(),
        status: "differs",
        engine_alerts: 1516,
        query_alerts: Some(1659),
        extra: 143,
        extra_malicious: 0,
        missed: 0,
        missed_malicious: 0,
        decisions_differ: None,
        cause: Some(HOSTILE_ERROR.into()),
    }]
}
