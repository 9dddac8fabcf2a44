//! A small report for the renderers' tests: every section filled, two scenario
//! ids hostile; and the same report with every count zero.

use crate::metrics::Confusion;
use crate::report::*;

/// A hostile scenario id: a script element.
pub(crate) const SCRIPT_ID: &str = "<script>alert(1)</script>";
/// A hostile host name.
pub(crate) const HOST_ID: &str = "WS-<b>07</b>&amp;";
/// A hostile scenario id: an attribute break-out.
pub(crate) const IMG_ID: &str = "\"><img src=x onerror=alert(1)>";

fn scenario(id: &str, kind: &str, event: Confusion, timeline: Option<Timeline>) -> ScenarioScore {
    ScenarioScore {
        id: id.to_owned(),
        title: format!("title of {id}"),
        kind: kind.to_owned(),
        expected_outcome: if kind == "benign" {
            "suppressed"
        } else {
            "alert"
        }
        .to_owned(),
        expected_exclusion: (kind == "benign").then(|| "excl-updater".to_owned()),
        status: if kind == "adversarial" {
            Status::Failed
        } else {
            Status::Met
        },
        known_gap: None,
        cause: (kind == "adversarial").then(|| Cause::Exclusion("excl-updater".into())),
        expectation_met: kind != "adversarial",
        expectation_detail: format!("detail for {id}"),
        rows: event.total(),
        malicious_rows: event.tp + event.fn_,
        fired: event.tp + event.fp + 1,
        alerts: event.tp + event.fp,
        suppressed: 1,
        alerted_kinds: if event.tp + event.fp > 0 {
            vec!["domain".into()]
        } else {
            Vec::new()
        },
        event,
        recall_visible: event.recall(),
        misses: Misses {
            not_read: 0,
            not_matched: event.fn_,
            hidden: 0,
            hidden_by: Vec::new(),
            unmatched_steps: Vec::new(),
        },
        lookup: event,
        host: Confusion {
            tp: 1,
            fp: 0,
            fn_: 0,
            tn: 2,
        },
        hosts_infected: u64::from(event.tp + event.fn_ > 0),
        hosts_alerted: u64::from(event.tp > 0),
        // A host name is telemetry: the missed attack's is hostile.
        silent_hosts: if kind != "benign" && event.tp == 0 && event.fn_ > 0 {
            vec![HOST_ID.to_owned()]
        } else {
            Vec::new()
        },
        time_to_first_detection_s: (event.tp > 0).then_some(75.5),
        timeline,
    }
}

/// A small report with every section filled, two scenario ids hostile.
pub(crate) fn sample() -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        detection: detection(),
        run: run(),
        overall: overall(),
        hunts: hunts(),
        indicator_kinds: indicator_kinds(),
        scenarios: scenarios(),
        verdict: verdict(),
        exclusions: exclusions(),
        sources: sources(),
        semantics: semantics(),
        host_attribution: host_attribution(),
        rejected_examples: rejected_examples(),
        deployed_forms: deployed_forms(),
        seeds: None,
    }
}

fn confusion(tp: u64, fp: u64, fn_: u64, tn: u64) -> Confusion {
    Confusion { tp, fp, fn_, tn }
}

/// A one-hour timeline from the per-bin counts given.
fn timeline(alerted: Vec<u64>, hidden: Vec<u64>, missed: Vec<u64>) -> Timeline {
    Timeline {
        start_ms: 1_700_000_000_000,
        end_ms: 1_700_000_000_000 + 3_600_000,
        alerted,
        hidden,
        missed,
    }
}

fn detection() -> DetectionInfo {
    DetectionInfo {
        id: "nanocore-dns".into(),
        title: "NanoCore RAT DNS hunt".into(),
        iocs: vec!["bad.example".into(), "c2.example".into()],
        hunts: vec!["dns".into(), "proc".into()],
        exclusions: vec!["excl-updater".into()],
        source_sha256: "0".repeat(64),
    }
}

fn run() -> RunInfo {
    RunInfo {
        huntlab_version: "0.1.0".into(),
        scenarios_sha256: "1".repeat(64),
        rng_seed: 7,
        scale: 1.0,
        scenario_count: 4,
        rows_read: 1200,
        rows_scored: 1198,
        rows_rejected: 2,
        rule: None,
    }
}

fn overall() -> Overall {
    Overall {
        precision: Some(0.9),
        recall: Some(0.75),
        f1: Some(0.818182),
        event: confusion(9, 1, 3, 1185),
        host: confusion(2, 0, 1, 5),
        lookup: confusion(5, 1, 1, 600),
        recall_visible: Some(0.818182),
        misses: Misses {
            not_read: 1,
            not_matched: 1,
            hidden: 1,
            hidden_by: vec![HiddenBy {
                exclusion: "excl-updater".into(),
                rows: 1,
                also_hidden_by_another: 0,
            }],
            unmatched_steps: vec![StepMisses {
                step: "dropper".into(),
                not_read: 1,
                not_matched: 1,
            }],
        },
        alerts_without_indicator: AlertsWithoutIndicator { tp: 2, fp: 0 },
        expectations_met: 3,
        expectations_failed: 1,
        known_gaps: 0,
        gaps_closed: 0,
    }
}

fn hunts() -> Vec<HuntScore> {
    vec![HuntScore {
        id: "dns".into(),
        title: "DNS lookups of the IOCs".into(),
        origin: "seed".into(),
        origin_why: None,
        fired: 12,
        alerts: 10,
        confusion: confusion(9, 1, 3, 900),
    }]
}

/// Two indicator kinds: the domain, alerting in a hostile scenario, and an
/// address kind hidden there, read by a hunt with a hostile id.
fn indicator_kinds() -> Vec<KindScore> {
    let by = |scenario: &str, fired, tp, fp, hidden| KindInScenario {
        scenario: scenario.into(),
        fired,
        tp,
        fp,
        malicious_hidden: hidden,
        benign_suppressed: 0,
    };
    vec![
        KindScore {
            kind: "domain".into(),
            label: "domain".into(),
            indicators: 2,
            hunts: vec!["dns".into()],
            fired: 8,
            alerts: 8,
            tp: 7,
            fp: 1,
            malicious_hidden: 0,
            benign_suppressed: 0,
            precision: Some(0.875),
            scenarios: vec![by("nanocore-beacon", 8, 7, 1, 0)],
        },
        KindScore {
            kind: "ip_port".into(),
            label: "IP address and port".into(),
            indicators: 1,
            hunts: vec!["net-<u>addr</u>".into()],
            fired: 1,
            alerts: 0,
            tp: 0,
            fp: 0,
            malicious_hidden: 1,
            benign_suppressed: 0,
            precision: None,
            scenarios: vec![by(SCRIPT_ID, 1, 0, 0, 1)],
        },
    ]
}

/// One scenario of each kind; the adversarial and background ids hostile.
fn scenarios() -> Vec<ScenarioScore> {
    vec![
        scenario("benign-updater", "benign", confusion(0, 0, 0, 400), None),
        scenario(
            "nanocore-beacon",
            "malicious",
            confusion(9, 1, 1, 300),
            Some(timeline(
                vec![1, 2, 0, 6],
                vec![0, 0, 1, 0],
                vec![0, 0, 0, 1],
            )),
        ),
        scenario(
            SCRIPT_ID,
            "adversarial",
            confusion(0, 0, 2, 200),
            Some(timeline(vec![0, 0], vec![1, 0], vec![0, 1])),
        ),
        scenario(IMG_ID, "background", confusion(0, 0, 0, 285), None),
    ]
}

fn verdict() -> Verdict {
    Verdict {
        attacks: Attacks {
            scenarios: 2,
            scenarios_detected: 1,
            hosts: 2,
            hosts_detected: 1,
            missed: vec![SCRIPT_ID.into()],
            silent_hosts: Vec::new(),
        },
        known_gaps: Vec::new(),
        failing: vec![SCRIPT_ID.into()],
        false_positives: FalsePositives {
            rows: 1,
            lookups: 1,
            incidents: 0,
            scenarios: vec!["nanocore-beacon".into()],
        },
        harmful: vec![Harmful {
            exclusion: "excl-updater".into(),
            hunt: "dns".into(),
            malicious_hidden: 1,
        }],
        best_change: Some(Change {
            change: "drop_exclusions".into(),
            hunt: Some("dns".into()),
            exclusions: vec!["excl-updater".into()],
            gaps_closed: vec![SCRIPT_ID.into()],
            new_failures: Vec::new(),
            malicious_rows: 1,
            false_positive_rows: 0,
        }),
        lint: Vec::new(),
    }
}

fn exclusions() -> Vec<ExclusionScore> {
    vec![ExclusionScore {
        id: "excl-updater".into(),
        scenario: "benign-updater".into(),
        seed_text: "Exclude the <b>updater</b>".into(),
        reading: Some("as written".into()),
        condition: "image_name =~ \"updater.exe\"".into(),
        benign_suppressed: 40,
        malicious_hidden: 1,
        not_evaluable: 3,
        by_scenario: vec![ExclusionByScenario {
            scenario: IMG_ID.into(),
            benign_suppressed: 40,
            malicious_hidden: 1,
        }],
        by_hunt: vec![ExclusionByHunt {
            hunt: "dns".into(),
            benign_suppressed: 0,
            malicious_hidden: 1,
            not_evaluable: 3,
            harmful: true,
        }],
        inert_branches: vec![Branch {
            branch: 1,
            condition: "task_name =~ \"<i>x</i>\"".into(),
        }],
        exposure: detections::content::Exposure {
            exclusion: "excl-updater".into(),
            attacker_controlled: vec!["image_name"],
            not_attacker_controlled: Vec::new(),
            spoofable: true,
            mimic: vec![detections::content::Copied {
                field: "image_name",
                op: "=~",
                value: "<b>updater.exe</b>".into(),
            }],
            signer_note: None,
        },
        exposure_text: [
            "image_name".into(),
            String::new(),
            "image_name =~ \"<b>updater.exe</b>\"".into(),
        ],
        mimic: Some(crate::report::MimicOutcome {
            scenario: Some("mimic-<b>x</b>".into()),
            status: Some(Status::Failed),
            not_generated: None,
        }),
    }]
}

fn sources() -> Vec<SourceScore> {
    vec![SourceScore {
        source: "DnsEvents".into(),
        rows: 900,
        fired: 12,
        alerts: 10,
        not_evaluable: 3,
        has_process: false,
    }]
}

fn semantics() -> Vec<SemanticsScore> {
    vec![SemanticsScore {
        matcher: "has_any".into(),
        definition: "term match".into(),
        confusion: confusion(9, 2, 3, 886),
    }]
}

fn host_attribution() -> HostAttribution {
    HostAttribution {
        dns_alerts: 7,
        to_labelled_host: 4,
        to_another_host: 2,
        unmapped: 1,
        host_by_label: confusion(2, 1, 0, 5),
        host_by_client_ip: confusion(1, 2, 1, 4),
        forwarded: vec![ForwardedTo {
            host: "FWD-<i>".into(),
            alerts: 2,
            clients: vec!["WS-01".into()],
            infected: false,
        }],
    }
}

fn rejected_examples() -> Vec<Rejected> {
    vec![Rejected {
        table: "DnsEvents".into(),
        row: 17,
        error: "bad <b>field</b>".into(),
    }]
}

fn deployed_forms() -> Vec<crate::deployed::DeployedForm> {
    vec![crate::deployed::DeployedForm {
        form: "sigma dns_query".into(),
        hunt: "nanocore-c2-dns".into(),
        tables: "DnsEvents".into(),
        status: "differs",
        engine_alerts: 3,
        query_alerts: Some(4),
        extra: 1,
        extra_malicious: 0,
        missed: 0,
        missed_malicious: 0,
        decisions_differ: None,
        cause: Some("a <b>substring</b> | match".into()),
    }]
}

/// The sample with every count zero.
pub(crate) fn zero() -> Report {
    let mut r = sample();
    r.run = RunInfo {
        huntlab_version: "0.1.0".into(),
        scenarios_sha256: "1".repeat(64),
        rng_seed: 0,
        scale: 0.0,
        scenario_count: 0,
        rows_read: 0,
        rows_scored: 0,
        rows_rejected: 0,
        rule: None,
    };
    r.overall = Overall {
        precision: None,
        recall: None,
        f1: None,
        event: Confusion::default(),
        host: Confusion::default(),
        lookup: Confusion::default(),
        recall_visible: None,
        misses: Misses::default(),
        alerts_without_indicator: AlertsWithoutIndicator::default(),
        expectations_met: 0,
        expectations_failed: 0,
        known_gaps: 0,
        gaps_closed: 0,
    };
    for s in &mut r.scenarios {
        *s = ScenarioScore {
            rows: 0,
            malicious_rows: 0,
            fired: 0,
            alerts: 0,
            suppressed: 0,
            alerted_kinds: Vec::new(),
            event: Confusion::default(),
            recall_visible: None,
            misses: Misses::default(),
            lookup: Confusion::default(),
            host: Confusion::default(),
            time_to_first_detection_s: None,
            timeline: s.timeline.as_ref().map(|t| Timeline {
                start_ms: 0,
                end_ms: 0,
                alerted: vec![0; t.alerted.len()],
                hidden: vec![0; t.hidden.len()],
                missed: vec![0; t.missed.len()],
            }),
            ..s.clone()
        };
    }
    for k in &mut r.indicator_kinds {
        *k = KindScore {
            fired: 0,
            alerts: 0,
            tp: 0,
            fp: 0,
            malicious_hidden: 0,
            benign_suppressed: 0,
            precision: None,
            scenarios: Vec::new(),
            ..k.clone()
        };
    }
    for x in &mut r.exclusions {
        x.benign_suppressed = 0;
        x.malicious_hidden = 0;
        x.not_evaluable = 0;
        x.by_hunt.clear();
    }
    r.verdict = Verdict {
        attacks: Attacks::default(),
        known_gaps: Vec::new(),
        failing: Vec::new(),
        false_positives: FalsePositives::default(),
        harmful: Vec::new(),
        best_change: None,
        lint: Vec::new(),
    };
    r
}
