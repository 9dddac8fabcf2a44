//! What an attacker can do to each exclusion: the fields they control, the
//! ones they cannot satisfy without a stolen key, and the mimic that copies
//! a conjunction made only of the former.

use detections::content::{builtin_named, builtins, exposure, NANOCORE_TOML};
use detections::Engine;

fn exposure_of(content: &str, id: &str) -> detections::content::Exposure {
    let det = builtin_named(content, Engine::Fast).expect("built in");
    let x = det
        .exclusions
        .iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("no {id}"));
    exposure(x)
}

#[test]
fn an_exclusion_of_paths_and_task_names_is_spoofable_and_its_mimic_copies_them() {
    // The deployed reading of backup-job: the tool's path and the Task
    // Scheduler as the parent, nothing an attacker cannot copy.
    let e = exposure_of("deployed", "backup-job");
    assert!(e.spoofable, "{e:#?}");
    assert!(e.not_attacker_controlled.is_empty(), "{e:#?}");
    assert!(!e.mimic.is_empty());
    assert!(
        e.mimic
            .iter()
            .any(|c| c.field == "image" && c.value.contains(r"BackupTool\nanocore.exe")),
        "{e:#?}"
    );
}

#[test]
fn a_digest_beside_the_path_and_task_name_holds_the_attacker_back() {
    let e = exposure_of("hardened", "backup-job");
    assert!(!e.spoofable, "{e:#?}");
    assert_eq!(e.attacker_controlled, ["image", "task_name"]);
    assert_eq!(e.not_attacker_controlled, ["sha256"]);
    assert!(e.mimic.is_empty());
}

#[test]
fn every_exclusion_of_every_builtin_content_is_judged_and_its_mimic_names_only_its_own_values() {
    for b in builtins() {
        let det = b.load(Engine::Fast);
        for x in &det.exclusions {
            let e = exposure(x);
            assert_eq!(e.spoofable, !e.mimic.is_empty(), "{} {e:#?}", b.name);
            for c in &e.mimic {
                assert!(
                    x.when.predicates().iter().any(|t| {
                        detections::content::field_name(t.field) == c.field
                            && t.values.contains(&c.value)
                    }),
                    "{} {}: {c:?} is not the exclusion's",
                    b.name,
                    x.id
                );
            }
        }
    }
}

/// The seed's software-update, its image branch read as "written by a
/// Microsoft-signed image", pinned or not to a named image.
fn signed(image: Option<&str>) -> detections::content::Exposure {
    let from = r#"{ field = "image_name", op = "=~", values = ["msiexec.exe"] },"#;
    let signer = r#"{ field = "signer", op = "=~", values = ["Microsoft Corporation"] },"#;
    let to = match image {
        Some(i) => format!(
            r#"{{ all = [ {signer} {{ field = "image_name", op = "=~", values = ["{i}"] }} ] }},"#
        ),
        None => signer.to_owned(),
    };
    assert!(NANOCORE_TOML.contains(from));
    let text = NANOCORE_TOML.replacen(from, &to, 1);
    let det = detections::load(&text, "signed.toml", Engine::Fast).expect("loads");
    let x = det
        .exclusions
        .iter()
        .find(|x| x.id == "software-update")
        .expect("software-update");
    exposure(x)
}

#[test]
fn a_signer_holds_the_attacker_back_only_where_the_signed_image_cannot_host_their_code() {
    // Pinned to a tool that runs nothing it is given: the signer branch is
    // not theirs, and the mimic copies the next branch (the parent).
    let pinned = signed(Some("FabrikamUpdate.exe"));
    assert!(pinned.not_attacker_controlled.contains(&"signer"));
    assert!(pinned.spoofable, "{pinned:#?}");
    assert_eq!(pinned.mimic[0].field, "parent_image_name", "{pinned:#?}");
    assert_eq!(pinned.signer_note, None);
    // Pinned to msiexec, which installs what it is given: theirs.
    let host = signed(Some("msiexec.exe"));
    let fields: Vec<&str> = host.mimic.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["signer", "image_name"], "{host:#?}");
    assert!(
        host.signer_note
            .as_deref()
            .is_some_and(|n| n.contains("msiexec.exe")),
        "{host:#?}"
    );
    // Not pinned: any signed host will do.
    let any = signed(None);
    let fields: Vec<&str> = any.mimic.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["signer"], "{any:#?}");
    assert!(
        any.signer_note
            .as_deref()
            .is_some_and(|n| n.contains("not pinned")),
        "{any:#?}"
    );
}
