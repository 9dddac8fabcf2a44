//! `report.json` says which huntlab, which content and which scenario files made
//! it, so two reports can be told apart.

use harness::report::Report;
use harness::run::{run_library, RunOptions};
use simulator::Scenario;

fn report(content: &str, scenarios: &[Scenario]) -> Report {
    let det = detections::content::builtin_named(content, detections::Engine::Fast)
        .expect("a built-in content");
    run_library(&det, scenarios, &RunOptions::default(), &mut |_| {})
}

fn two_scenarios() -> Vec<Scenario> {
    simulator::builtin()
        .expect("library loads")
        .into_iter()
        .filter(|s| s.id == "benign-backup-job" || s.id == "nanocore-vbs-regasm")
        .collect()
}

#[test]
fn the_report_names_its_version_and_hashes_its_content_and_scenario_files() {
    let scenarios = two_scenarios();
    assert_eq!(scenarios.len(), 2, "the two scenarios exist");
    let seed = report("seed", &scenarios);
    assert_eq!(seed.run.huntlab_version, env!("CARGO_PKG_VERSION"));
    for hash in [&seed.detection.source_sha256, &seed.run.scenarios_sha256] {
        assert_eq!(hash.len(), 64, "{hash}");
        assert!(hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }
    // The content hash is the hash of the file's text.
    assert_eq!(
        seed.detection.source_sha256,
        sha256(detections::content::NANOCORE_TOML)
    );

    // The same inputs give the same hashes, whatever order the scenarios come in.
    let mut reversed = scenarios.clone();
    reversed.reverse();
    let again = report("seed", &reversed);
    assert_eq!(again.detection.source_sha256, seed.detection.source_sha256);
    assert_eq!(again.run.scenarios_sha256, seed.run.scenarios_sha256);

    // Another content, or one scenario file changed, tells the reports apart.
    let hardened = report("hardened", &scenarios);
    assert_ne!(
        hardened.detection.source_sha256,
        seed.detection.source_sha256
    );
    assert_eq!(hardened.run.scenarios_sha256, seed.run.scenarios_sha256);
    let mut edited = scenarios.clone();
    let text = format!(
        "{}\n# edited\n",
        simulator::BUILTIN
            .iter()
            .find(|(file, _)| edited[0].origin.ends_with(file))
            .expect("the scenario's file")
            .1
    );
    edited[0] = Scenario::parse(&text, &edited[0].origin).expect("still a scenario");
    let changed = report("seed", &edited);
    assert_ne!(changed.run.scenarios_sha256, seed.run.scenarios_sha256);
}

fn sha256(text: &str) -> String {
    use sha2::Digest as _;
    format!("{:x}", sha2::Sha256::digest(text))
}
