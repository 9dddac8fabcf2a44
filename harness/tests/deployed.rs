//! The deployed reading of `backup-job` ("started by the Task Scheduler",
//! `detections/content/deployed.toml`) against the literal one (the built-in
//! content): on real process trees the literal branch hides nothing, the
//! deployed one hides the implant wherever the Task Scheduler starts it.

use harness::report::Report;
use harness::run::{run_library, RunOptions};

fn hidden(report: &Report, exclusion: &str, scenario: &str) -> (u64, u64) {
    report
        .exclusions
        .iter()
        .find(|x| x.id == exclusion)
        .expect("exclusion")
        .by_scenario
        .iter()
        .find(|b| b.scenario == scenario)
        .map_or((0, 0), |b| (b.benign_suppressed, b.malicious_hidden))
}

#[test]
fn the_deployed_reading_hides_the_scheduled_implant_the_literal_one_never_does() {
    let scenarios = simulator::builtin().expect("library loads");
    let opts = RunOptions::default();
    let seed = detections::builtin(detections::Engine::Fast);
    let deployed = detections::content::builtin_named("deployed", detections::Engine::Fast)
        .expect("the built-in `deployed`");
    let literal = run_library(&seed, &scenarios, &opts, &mut |_| {});
    let as_deployed = run_library(&deployed, &scenarios, &opts, &mut |_| {});
    for scenario in ["adversarial-task-restart", "adversarial-backup-schtasks"] {
        assert_eq!(hidden(&literal, "backup-job", scenario).1, 0, "{scenario}");
        assert!(
            hidden(&as_deployed, "backup-job", scenario).1 > 0,
            "{scenario}"
        );
    }
    // The literal reading's only malicious cost is the backup tool's path.
    let literal_hides: Vec<&str> = literal
        .exclusions
        .iter()
        .find(|x| x.id == "backup-job")
        .expect("backup-job")
        .by_scenario
        .iter()
        .filter(|b| b.malicious_hidden > 0)
        .map(|b| b.scenario.as_str())
        .collect();
    assert_eq!(literal_hides, ["adversarial-backup-path"]);
    // Read as deployed it also takes the cleanup tool's scheduled runs.
    assert!(hidden(&as_deployed, "backup-job", "benign-log-cleanup").0 > 0);
    assert_eq!(hidden(&literal, "backup-job", "benign-log-cleanup").0, 0);
}
