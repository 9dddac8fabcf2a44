//! Loading reports every problem with its location.

use detections::content::{load, Engine, LoadError, NANOCORE_TOML};

fn problems(src: &str) -> LoadError {
    load(src, "test.toml", Engine::Fast).expect_err("the file should not load")
}

#[test]
fn unknown_field_names_its_line() {
    let src = NANOCORE_TOML.replacen(
        "threat_type = \"botnet_cc\"",
        "threat_type = \"botnet_cc\"\ncolour = \"red\"",
        1,
    );
    let e = problems(&src);
    assert_eq!(e.problems.len(), 1);
    assert!(
        e.problems[0].message.contains("unknown field `colour`"),
        "{e}"
    );
    assert_eq!(e.problems[0].line, Some(20));
}

#[test]
fn unknown_operator() {
    let src = NANOCORE_TOML.replacen("op = \"has_any\"", "op = \"matches regex\"", 1);
    let e = problems(&src);
    assert!(
        e.problems[0]
            .message
            .contains("unknown variant `matches regex`"),
        "{e}"
    );
    assert!(e.problems[0].line.is_some());
}

#[test]
fn bad_and_duplicate_iocs_are_each_reported_and_normalisation_is_noted() {
    let src = NANOCORE_TOML
        .replacen(
            "value = \"estaliax.io\"",
            "value = \"http://estaliax.io/gate\"",
            1,
        )
        .replacen(
            "value = \"duraktantuni.site\"",
            "value = \"*.duraktantuni.site\"",
            1,
        );
    let e = problems(&src);
    let msgs: Vec<_> = e.problems.iter().map(|p| p.to_string()).collect();
    // Both bad values, and the hunt that is left with no IOC to match.
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert!(
        msgs[0].starts_with("line 18: iocs[0].value:") && msgs[0].contains("is a URL"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with("line 27: iocs[1].value:") && msgs[1].contains("wildcard"),
        "{msgs:?}"
    );
    assert!(msgs[2].contains("empty IOC list"), "{msgs:?}");

    let dup = NANOCORE_TOML.replacen(
        "value = \"duraktantuni.site\"",
        "value = \"Estaliax[.]IO.\"",
        1,
    );
    let e = problems(&dup);
    assert!(
        e.problems[0]
            .message
            .contains("duplicate IOC `estaliax.io`"),
        "{e}"
    );

    let noted =
        NANOCORE_TOML.replacen("value = \"estaliax.io\"", "value = \" Estaliax[.]IO. \"", 1);
    let d = load(&noted, "noted.toml", Engine::Fast).unwrap();
    assert_eq!(d.notes.len(), 1);
    assert_eq!(d.notes[0].loaded, "estaliax.io");
    assert_eq!(d.notes[0].changes.len(), 4);
}

#[test]
fn empty_ioc_list() {
    let start = NANOCORE_TOML.find("[[iocs]]").unwrap();
    let end = NANOCORE_TOML.find("# ---").unwrap();
    let src = format!("{}{}", &NANOCORE_TOML[..start], &NANOCORE_TOML[end..]);
    let e = problems(&src);
    assert!(
        e.problems
            .iter()
            .any(|p| p.message.contains("empty IOC list")),
        "{e}"
    );
}

#[test]
fn duplicate_id_unknown_exclusion_and_unused_exclusion() {
    let src = NANOCORE_TOML.replacen("id = \"network-diagnostics\"", "id = \"backup-job\"", 1);
    let e = problems(&src);
    let all = e.to_string();
    assert!(
        all.contains("duplicate id `backup-job` (first at line"),
        "{all}"
    );
    assert!(
        all.contains("unknown exclusion `network-diagnostics`"),
        "{all}"
    );

    let src = NANOCORE_TOML.replacen(
        "exclusions = [\"backup-job\", \"network-diagnostics\", \"software-update\", \"log-cleanup\", \"name-collision\"]",
        "exclusions = [\"backup-job\", \"network-diagnostics\", \"log-cleanup\", \"name-collision\"]",
        1,
    );
    let e = problems(&src);
    assert_eq!(e.problems.len(), 1, "{e}");
    assert!(
        e.problems[0]
            .message
            .contains("exclusion `software-update` is used by no hunt"),
        "{e}"
    );
    assert!(e.problems[0].line.is_some());
}

#[test]
fn malformed_toml_reports_a_line() {
    let e = problems("id = \"x\"\ntitle = [\n");
    assert!(e.problems[0].line.is_some(), "{e}");
}
