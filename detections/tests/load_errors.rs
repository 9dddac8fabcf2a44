//! Loading reports every problem with its location.

use detections::content::{load, Engine, LoadError, NANOCORE_TOML};
use detections::ioc::IocKind;

mod support;

fn problems(src: &str) -> LoadError {
    load(src, "test.toml", Engine::Fast).expect_err("the file should not load")
}

/// The 1-based numbers of the lines of `src` where `text` occurs, in order.
fn lines_of(src: &str, text: &str) -> Vec<usize> {
    src.match_indices(text)
        .map(|(at, _)| src[..at].matches('\n').count() + 1)
        .collect()
}

/// The 1-based number of the line of `src` where `text` first occurs.
fn line_of(src: &str, text: &str) -> usize {
    *lines_of(src, text)
        .first()
        .unwrap_or_else(|| panic!("{text:?} is not in the file"))
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
    assert_eq!(e.problems[0].line, Some(line_of(&src, "colour = ")));
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
    assert_eq!(
        e.problems[0].line,
        Some(line_of(&src, "op = \"matches regex\"")),
        "{e}"
    );
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
    // Both bad values, and each hunt over the domains (on DNS and on
    // network rows) left with no IOC to match.
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    let url = format!(
        "line {}: iocs[0].value:",
        line_of(&src, "value = \"http://estaliax.io/gate\"")
    );
    let wildcard = format!(
        "line {}: iocs[1].value:",
        line_of(&src, "value = \"*.duraktantuni.site\"")
    );
    assert!(
        msgs[0].starts_with(&url) && msgs[0].contains("is a URL"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with(&wildcard) && msgs[1].contains("wildcard"),
        "{msgs:?}"
    );
    assert!(msgs[2].starts_with("hunts[0]") && msgs[2].contains("empty IOC list"));
    assert!(msgs[3].starts_with("hunts[2]") && msgs[3].contains("empty IOC list"));

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
    let ids = lines_of(&src, "id = \"backup-job\"");
    assert_eq!(ids.len(), 2);
    assert!(
        all.contains(&format!(
            "line {}: exclusions[1].id: duplicate id `backup-job` (first at line {})",
            ids[1], ids[0]
        )),
        "{all}"
    );
    let lists = lines_of(
        &src,
        "exclusions = [\"backup-job\", \"network-diagnostics\"",
    );
    assert_eq!(lists.len(), 2);
    for (hunt, line) in lists.iter().enumerate() {
        assert!(
            all.contains(&format!(
                "line {line}: hunts[{hunt}].exclusions[1]: unknown exclusion `network-diagnostics`"
            )),
            "{all}"
        );
    }

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
    assert_eq!(
        e.problems[0].line,
        Some(line_of(&src, "id = \"software-update\"")),
        "{e}"
    );
}

#[test]
fn malformed_toml_reports_a_line() {
    let e = problems("id = \"x\"\ntitle = [\n");
    assert!(e.problems[0].line.is_some(), "{e}");
}

#[test]
fn an_expectation_of_the_wrong_kind_is_a_load_error_with_its_line() {
    // (example, what it expects, a word only the other kind can expect, the words
    // the loader lists, where the example is)
    let cases = [
        (
            "the backup tool in its folder",
            "suppressed",
            "fires",
            "`suppressed`, `did_not_apply`, `not_evaluable`",
            "exclusions[0].examples[0]",
        ),
        (
            "the IOC itself",
            "fires",
            "suppressed",
            "expected `fires` or `silent`",
            "hunts[0].examples[0]",
        ),
    ];
    for (name, right, wrong, allowed, path) in cases {
        let example = format!("name = \"{name}\"\nexpect = \"{right}\"");
        let bad = example.replace(right, wrong);
        let src = NANOCORE_TOML.replacen(&example, &bad, 1);
        assert_ne!(src, NANOCORE_TOML);
        let e = problems(&src);
        assert_eq!(e.problems.len(), 1, "{e}");
        let p = &e.problems[0];
        assert!(
            p.message.contains(&format!("unknown variant `{wrong}`")),
            "{e}"
        );
        assert!(p.message.contains(allowed), "{e}");
        // The `expect` line, after the example's name.
        assert_eq!(p.line, Some(line_of(&src, &bad) + 1), "{e}");
        assert_eq!(p.path, path, "{e}");
    }
}

#[test]
fn a_toml_syntax_error_is_one_line_naming_its_table() {
    let src = "id = \"x\"\n[[hunts]\n";
    let err = detections::load(src, "bad.toml", detections::Engine::Fast).unwrap_err();
    let p = &err.problems[0];
    assert!(!p.message.contains('\n'), "{:?}", p.message);
    assert!(p.message.contains("; expected"), "{:?}", p.message);
    assert_eq!(p.path, "hunts[0]");
}

#[test]
fn known_gaps_and_hunt_origins_are_checked() {
    let gap = |scenario: &str, why: &str| {
        format!("\n[[known_gaps]]\nscenario = \"{scenario}\"\nwhy = \"{why}\"\n")
    };
    // A second gap for the same scenario, and one that says no why.
    let src = format!(
        "{NANOCORE_TOML}{}{}",
        gap("adversarial-backup-path", "again"),
        gap("some-scenario", " ")
    );
    let e = problems(&src);
    let lines = lines_of(&src, "scenario = \"adversarial-backup-path\"");
    // The two gaps added after the content's own.
    let n = NANOCORE_TOML.matches("[[known_gaps]]").count();
    let (again, blank) = (format!("known_gaps[{n}]"), format!("known_gaps[{}]", n + 1));
    assert!(
        e.problems
            .iter()
            .any(|p| p.path == format!("{again}.scenario")
                && p.message
                    .contains("duplicate known gap for `adversarial-backup-path`")
                && p.line == Some(lines[1])),
        "{e}"
    );
    assert!(
        e.problems.iter().any(|p| p.path == format!("{blank}.why")
            && p.line == Some(line_of(&src, "scenario = \"some-scenario\""))),
        "{e}"
    );
    assert_eq!(e.problems.len(), 2, "{e}");
    // A hunt says where it comes from, in one of two words.
    let src = NANOCORE_TOML.replacen("origin = \"seed\"\n", "", 1);
    assert!(problems(&src)
        .to_string()
        .contains("missing field `origin`"));
    let src = NANOCORE_TOML.replacen("origin = \"seed\"", "origin = \"borrowed\"", 1);
    assert!(problems(&src)
        .to_string()
        .contains("unknown variant `borrowed`"));
}

/// The indicators of every kind, one each, as a content file writes them.
const EVERY_KIND: &str = r#"
[[iocs]]
type = "ipv4"
value = "198.51.100.7"

[[iocs]]
type = "ipv6"
value = "2001:db8::7"

[[iocs]]
type = "ip_port"
value = "198.51.100.7:8080"

[[iocs]]
type = "cidr"
value = "203.0.113.0/24"

[[iocs]]
type = "url"
value = "http://estaliax.io/gate.php"

[[iocs]]
type = "sha256"
value = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

[[iocs]]
type = "sha1"
value = "da39a3ee5e6b4b0d3255bfef95601890afd80709"

[[iocs]]
type = "md5"
value = "d41d8cd98f00b204e9800998ecf8427e"
"#;

/// How many domain indicators the seed holds.
fn seed_domains() -> usize {
    NANOCORE_TOML.matches("type = \"domain\"").count()
}

/// The seed with one indicator of every kind added before its first.
fn with_every_kind() -> String {
    NANOCORE_TOML.replacen(
        "[[iocs]]",
        &format!(
            "{EVERY_KIND}
[[iocs]]"
        ),
        1,
    )
}

#[test]
fn values_from_names_any_kinds_list_or_nothing() {
    let from = "values_from = \"iocs.domain\"";
    assert!(NANOCORE_TOML.contains(from));
    assert!(NANOCORE_TOML.contains(support::SEED_WHEN));
    // Every kind's list is read, from the content's indicators of that kind.
    for kind in detections::ioc::IocKind::ALL {
        let named = support::when_over(kind);
        let src = with_every_kind().replacen(support::SEED_WHEN, &named, 1);
        let det = load(&src, "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
        let values = det.hunts[0].when.predicates()[0].values;
        assert_eq!(values, det.values(kind), "{kind}");
        let want = if kind == IocKind::Domain {
            seed_domains()
        } else {
            1
        };
        assert_eq!(values.len(), want, "{kind}");
        // The seed's network hunt reads the domains whatever the first reads.
        let mut read = vec![IocKind::Domain, kind];
        read.dedup();
        assert_eq!(det.hunted_kinds, read, "{kind}");
        // With no indicator of the kind, the list is empty: the message it
        // has always had.
        if kind != IocKind::Domain {
            let e = problems(&NANOCORE_TOML.replacen(support::SEED_WHEN, &named, 1));
            assert_eq!(
                e.problems[0].to_string(),
                format!(
                    "hunts[0].when.values_from: empty IOC list: no {} indicators to match",
                    kind.label()
                )
            );
        }
    }
    // A name that is no kind's list.
    let src = NANOCORE_TOML.replacen(from, "values_from = \"iocs.hostname\"", 1);
    let e = problems(&src);
    assert_eq!(e.problems.len(), 1, "{e}");
    assert_eq!(
        e.problems[0].to_string(),
        "hunts[0].when.values_from: unknown source `iocs.hostname` (known: `iocs.domain`, `iocs.ipv4`, `iocs.ipv6`, `iocs.ip_port`, `iocs.cidr`, `iocs.url`, `iocs.sha256`, `iocs.sha1`, `iocs.md5`)"
    );
}

#[test]
fn an_ioc_of_every_kind_loads_and_an_unknown_type_does_not() {
    let det = load(&with_every_kind(), "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<IocKind> = det.iocs.iter().map(|i| i.kind).collect();
    let mut want = IocKind::ALL[1..].to_vec();
    want.extend(vec![IocKind::Domain; seed_domains()]);
    assert_eq!(kinds, want);
    // The seed's hunts read the domains only.
    assert_eq!(det.hunted_kinds, [IocKind::Domain]);
    // Fields a source lacks are optional: no confidence is none, not 0.
    assert_eq!(det.iocs[0].confidence, None);
    assert_eq!(det.iocs[0].threat_type, "");
    let src = NANOCORE_TOML.replacen("type = \"domain\"", "type = \"hostname\"", 1);
    let e = problems(&src);
    assert!(
        e.to_string().contains(
            "iocs[0].type: unsupported IOC type `hostname` (supported: domain, ipv4, ipv6, ip_port, cidr, url, sha256, sha1, md5)"
        ),
        "{e}"
    );
    // A value that is not of its declared kind names the kind.
    let src = with_every_kind().replacen("value = \"198.51.100.7\"", "value = \"198.51.100\"", 1);
    let e = problems(&src);
    assert!(
        e.to_string()
            .contains("iocs[0].value: `198.51.100` is not a valid IPv4 address"),
        "{e}"
    );
}

#[test]
fn a_known_gaps_exclusion_is_one_of_the_contents() {
    let src = NANOCORE_TOML.replacen(
        "exclusion = \"log-cleanup\"\n",
        "exclusion = \"log-clean-up\"\n",
        1,
    );
    assert_ne!(
        src, NANOCORE_TOML,
        "the content names log-cleanup for a gap"
    );
    let e = problems(&src);
    assert_eq!(e.problems.len(), 1, "{e}");
    let p = &e.problems[0];
    assert!(p.path.starts_with("known_gaps[") && p.path.ends_with("].exclusion"));
    assert_eq!(p.line, Some(line_of(&src, "exclusion = \"log-clean-up\"")));
    assert!(
        p.message.contains("`log-clean-up` is not an exclusion"),
        "{e}"
    );
    assert!(
        p.message.contains("log-cleanup"),
        "names the exclusions: {e}"
    );
    assert!(e.to_string().contains("test.toml"), "names the file: {e}");
    // The built-in contents name an exclusion of their own wherever an
    // exclusion is the gap's cause.
    let det = load(NANOCORE_TOML, "nanocore.toml", Engine::Fast).expect("loads");
    let gap = det.known_gap("adversarial-cleanup-task").expect("declared");
    assert_eq!(gap.exclusion.as_deref(), Some("log-cleanup"));
}
