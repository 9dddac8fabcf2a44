//! Mimic scenarios: generated from each exclusion, copying what the attacker
//! controls and nothing else, measured like any scenario, and reported beside
//! the exclusion.

use detections::content::{builtin_named, builtins};
use detections::Engine;
use harness::mimic::{mimic_id, mimics, MIMIC_C2};
use harness::report::Status;
use simulator::Template;

fn infection(s: &simulator::Scenario) -> &simulator::InfectionParams {
    match &s.generator.template {
        Template::NanocoreInfection(p) => p,
        t => panic!("{}: not an infection: {t:?}", s.id),
    }
}

/// The mimic `content`'s exclusion `exclusion` gets.
fn mimic_of(content: &str, exclusion: &str) -> harness::mimic::Mimic {
    let det = builtin_named(content, Engine::Fast).expect("built in");
    mimics(&det)
        .into_iter()
        .find(|m| m.exclusion == exclusion)
        .expect("the exclusion's mimic")
}

#[test]
fn every_builtin_exclusion_on_processes_or_files_gets_a_mimic_that_parses() {
    for b in builtins() {
        let det = b.load(Engine::Fast);
        let ms = mimics(&det);
        let guarded = det
            .exclusions
            .iter()
            .filter(|x| {
                x.applies_to
                    .iter()
                    .any(|k| k.name() != "dns" && k.name() != "network")
            })
            .count();
        assert_eq!(ms.len(), guarded, "{}", b.name);
        for m in &ms {
            let s = m
                .scenario
                .as_ref()
                .unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert_eq!(s.id, mimic_id(&m.exclusion));
            assert_eq!(s.expect.exclusion.as_deref(), Some(m.exclusion.as_str()));
            assert_eq!(infection(s).c2_hosts, [MIMIC_C2]);
        }
    }
}

#[test]
fn a_mimic_copies_the_path_and_task_name_but_never_the_digest() {
    let s = mimic_of("hardened", "backup-job")
        .scenario
        .expect("generated");
    let p = infection(&s);
    assert_eq!(p.implant_path, r"C:\Program Files\BackupTool\nanocore.exe");
    assert_eq!(p.task_name, "Nightly Backup");
    assert_eq!(
        p.persistence,
        simulator::scenario::Persistence::ScheduledTask
    );
    assert!(p.implant_hashes.is_none(), "a digest is not the attacker's");
    assert!(!s.description.contains("sha256"), "{}", s.description);
}

#[test]
fn a_file_exclusion_mimic_is_a_dll_written_by_the_parent_it_names() {
    let s = mimic_of("seed", "software-update")
        .scenario
        .expect("generated");
    let p = infection(&s);
    assert!(p.implant_path.ends_with(".dll"), "{}", p.implant_path);
    assert_eq!(p.delivery, simulator::Delivery::Msi);
}

/// The seed with network-diagnostics' parent predicate replaced by `to`.
fn netdiag_parent(to: &str) -> detections::Detection {
    let text = detections::content::NANOCORE_TOML;
    let from =
        r#"{ field = "parent_image_name", op = "in~", values = ["cmd.exe", "powershell.exe"] },"#;
    assert!(text.contains(from));
    detections::load(&text.replacen(from, to, 1), "cmd.toml", Engine::Fast).expect("loads")
}

#[test]
fn a_parent_no_delivery_launches_from_is_copied_as_a_loader() {
    // network-diagnostics read as "started from cmd.exe" only: no delivery
    // of the infection template starts from cmd.exe, so the implant's
    // loader is cmd.exe.
    let det =
        netdiag_parent(r#"{ field = "parent_image_name", op = "=~", values = ["cmd.exe"] },"#);
    let m = mimics(&det)
        .into_iter()
        .find(|m| m.exclusion == "network-diagnostics")
        .expect("listed");
    let s = m.scenario.expect("cmd.exe is copied as the loader");
    let p = infection(&s);
    assert_eq!(p.delivery, simulator::Delivery::Loader);
    assert_eq!(
        p.parent_chain,
        vec![r"C:\Windows\System32\cmd.exe".to_owned()]
    );
}

#[test]
fn a_value_the_template_cannot_take_is_said_not_generated() {
    // A fragment of a parent's path is no program to start from.
    let det =
        netdiag_parent(r#"{ field = "parent_image", op = "contains", values = ['\Tools\'] },"#);
    let m = mimics(&det)
        .into_iter()
        .find(|m| m.exclusion == "network-diagnostics")
        .expect("listed");
    let why = m.scenario.expect_err("a fragment cannot be copied");
    assert!(why.contains(r"\Tools\"), "{why}");
}

#[test]
fn hardened_survives_its_mimics_but_the_declared_msi_one_and_the_report_says_so() {
    let det = builtin_named("hardened", Engine::Fast).expect("built in");
    let mut scenarios = simulator::builtin().expect("library");
    scenarios.extend(mimics(&det).into_iter().filter_map(|m| m.scenario.ok()));
    let report = harness::run::run_library(
        &det,
        &scenarios,
        &harness::run::RunOptions::default(),
        &mut |_| {},
    );
    for x in &report.exclusions {
        let m = x
            .mimic
            .as_ref()
            .expect("every exclusion guards the artifact hunt");
        let want = if x.id == "software-update" {
            Status::KnownGap
        } else {
            Status::Met
        };
        assert_eq!(m.status, Some(want), "{}", x.id);
        assert_eq!(m.scenario.as_deref(), Some(mimic_id(&x.id).as_str()));
    }
    let seed = builtin_named("seed", Engine::Fast).expect("built in");
    let report = harness::run::run_library(
        &seed,
        &scenarios,
        &harness::run::RunOptions::default(),
        &mut |_| {},
    );
    for x in &report.exclusions {
        let m = x.mimic.as_ref().expect("a mimic");
        assert_eq!(m.status, Some(Status::KnownGap), "{}", x.id);
    }
}
