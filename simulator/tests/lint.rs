//! The scenario files: the built-in library is complete and lints clean; bad
//! files are reported with their path and the line or field at fault.

use simulator::{lint, Scenario, ScenarioError};

fn exclusion_ids() -> Vec<String> {
    detections::builtin(detections::Engine::Fast)
        .exclusions
        .iter()
        .map(|x| x.id.clone())
        .collect()
}

#[test]
fn builtin_library_matches_the_scenarios_folder() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let embedded: Vec<&str> = simulator::BUILTIN.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        embedded, on_disk,
        "simulator/src/builtin.rs must embed every scenarios/*.toml"
    );
    for (name, src) in simulator::BUILTIN {
        let on_disk = std::fs::read_to_string(format!("{dir}/{name}")).expect("readable");
        assert_eq!(*src, on_disk, "{name}");
    }
}

#[test]
fn builtin_library_lints_clean_against_the_content() {
    let ids = exclusion_ids();
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    let lib = simulator::builtin().unwrap_or_else(|e| panic!("{e}"));
    let problems = lint(&lib, &known);
    assert!(problems.is_empty(), "{problems:#?}");
    // Every file is named after its id.
    for (s, (file, _)) in lib.iter().zip(simulator::BUILTIN) {
        assert_eq!(format!("{}.toml", s.id), *file);
    }
    // Every exclusion has a benign scenario that needs it and an adversarial one
    // that costs it.
    for x in &known {
        let named = |kind: &str| {
            lib.iter()
                .any(|s| s.kind.name() == kind && s.expect.exclusion.as_deref() == Some(*x))
        };
        assert!(named("benign"), "no benign scenario for {x}");
        assert!(named("adversarial"), "no adversarial scenario for {x}");
    }
}

const GOOD: &str = r#"id = "test-scenario"
title = "A test"
kind = "benign"
description = "Something."

[expect]
outcome = "suppressed"
exclusion = "backup-job"

[generator]
template = "backup-job"
hosts = 2
start = 2026-05-21T00:00:00Z
hours = 4
interval_minutes = 60
"#;

const INFECTION: &str = r#"id = "test-infection"
title = "An infection"
kind = "malicious"
description = "Something bad."

[expect]
outcome = "alert"

[generator]
template = "nanocore-infection"
start = 2026-05-21T00:00:00Z
hours = 4
c2_up = 0.5
"#;

enum Want {
    Line(usize),
    Field(&'static str),
}

#[test]
fn bad_files_name_the_path_and_the_line_or_field() {
    let cases: &[(&str, String, Want)] = &[
        (
            "unknown top-level key",
            GOOD.replace("kind = \"benign\"", "kind = \"benign\"\ncolour = 1"),
            Want::Line(4),
        ),
        (
            "unknown kind",
            GOOD.replace("\"benign\"", "\"friendly\""),
            Want::Line(3),
        ),
        (
            "unknown outcome",
            GOOD.replace("\"suppressed\"", "\"maybe\""),
            Want::Line(7),
        ),
        (
            "not TOML",
            GOOD.replace("hours = 4", "hours = "),
            Want::Line(14),
        ),
        (
            "unknown generator key",
            GOOD.replace("hosts = 2", "hosts = 2\nhostz = 3"),
            Want::Line(13),
        ),
        (
            "zero hosts",
            GOOD.replace("hosts = 2", "hosts = 0"),
            Want::Field("generator.hosts"),
        ),
        (
            "negative hosts",
            GOOD.replace("hosts = 2", "hosts = -3"),
            Want::Field("generator.hosts"),
        ),
        (
            "zero hours (end at start)",
            GOOD.replace("hours = 4", "hours = 0"),
            Want::Field("generator.hours"),
        ),
        (
            "negative hours (end before start)",
            GOOD.replace("hours = 4", "hours = -2"),
            Want::Field("generator.hours"),
        ),
        (
            "zero interval",
            GOOD.replace("interval_minutes = 60", "interval_minutes = 0"),
            Want::Field("generator.interval_minutes"),
        ),
        (
            "missing interval",
            GOOD.replace("interval_minutes = 60", ""),
            Want::Field("generator.interval_minutes"),
        ),
        (
            "empty description",
            GOOD.replace("\"Something.\"", "\"  \""),
            Want::Field("description"),
        ),
        (
            "empty title",
            GOOD.replace("\"A test\"", "\"\""),
            Want::Field("title"),
        ),
        (
            "bad id",
            GOOD.replace("test-scenario", "Test Scenario"),
            Want::Field("id"),
        ),
        (
            "unknown template",
            GOOD.replace("\"backup-job\"\nhosts", "\"backup-jobs\"\nhosts"),
            Want::Field("generator.template"),
        ),
        (
            "date without time",
            GOOD.replace("2026-05-21T00:00:00Z", "2026-05-21"),
            Want::Field("generator.start"),
        ),
        (
            "jitter out of range",
            GOOD.replace("hours = 4", "hours = 4\njitter = 1.5"),
            Want::Field("generator.jitter"),
        ),
        (
            "parameter of another template",
            GOOD.replace("hours = 4", "hours = 4\nrate_per_minute = 2"),
            Want::Field("generator.rate_per_minute"),
        ),
        (
            "nothing records",
            GOOD.replace(
                "hours = 4",
                "hours = 4\nendpoint = \"none\"\nserver_dns = false",
            ),
            Want::Field("generator.server_dns"),
        ),
        (
            "negative rate",
            GOOD.replace("template = \"backup-job\"", "template = \"background-dns\"")
                .replace("interval_minutes = 60", "rate_per_minute = -1.0"),
            Want::Field("generator.rate_per_minute"),
        ),
        (
            "zero rate",
            GOOD.replace("template = \"backup-job\"", "template = \"background-dns\"")
                .replace("interval_minutes = 60", "rate_per_minute = 0"),
            Want::Field("generator.rate_per_minute"),
        ),
        (
            "names without interval",
            GOOD.replace("template = \"backup-job\"", "template = \"background-dns\"")
                .replace(
                    "interval_minutes = 60",
                    "rate_per_minute = 1\nnames = [\"a.example\"]",
                ),
            Want::Field("generator.names_interval_minutes"),
        ),
        (
            "c2_up above 1",
            INFECTION.replace("c2_up = 0.5", "c2_up = 1.5"),
            Want::Field("generator.c2_up"),
        ),
        (
            "no C2 hosts",
            INFECTION.replace("c2_up = 0.5", "c2_hosts = []"),
            Want::Field("generator.c2_hosts"),
        ),
        (
            "C2 host with a space",
            INFECTION.replace("c2_up = 0.5", "c2_hosts = [\"estaliax .io\"]"),
            Want::Field("generator.c2_hosts[0]"),
        ),
        (
            "unknown path variable",
            INFECTION.replace("c2_up = 0.5", "implant_path = '%WINDIR%\\x.exe'"),
            Want::Field("generator.implant_path"),
        ),
        (
            "implant not a program",
            INFECTION.replace("c2_up = 0.5", "implant_path = 'C:\\x\\run.dat'"),
            Want::Field("generator.implant_path"),
        ),
        (
            "zero keep-alive",
            INFECTION.replace("c2_up = 0.5", "keepalive_seconds = 0"),
            Want::Field("generator.keepalive_seconds"),
        ),
        (
            "reboots without a task",
            INFECTION.replace("c2_up = 0.5", "persistence = false\nreboot_every_hours = 2"),
            Want::Field("generator.reboot_every_hours"),
        ),
        (
            "unknown delivery",
            INFECTION.replace("c2_up = 0.5", "delivery = \"usb\""),
            Want::Line(13),
        ),
    ];
    for (name, src, want) in cases {
        let path = format!("bad/{}.toml", name.replace(' ', "-"));
        let err = Scenario::parse(src, &path)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        let text = err.to_string();
        assert!(text.starts_with(&format!("{path}: ")), "{name}: {text}");
        match (want, &err) {
            (Want::Line(l), ScenarioError::Parse { line, .. }) => {
                assert_eq!(line, l, "{name}: {text}")
            }
            (Want::Field(f), ScenarioError::Invalid { field, .. }) => {
                assert_eq!(field, f, "{name}: {text}");
                assert!(text.contains(&format!("field `{f}`")), "{name}: {text}");
            }
            _ => panic!("{name}: wrong kind of error: {text}"),
        }
    }
    // The good files parse.
    Scenario::parse(GOOD, "good.toml").unwrap_or_else(|e| panic!("{e}"));
    Scenario::parse(INFECTION, "infection.toml").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn lint_reports_library_problems_by_file_and_field() {
    let ids = exclusion_ids();
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    let parse =
        |src: String, path: &str| Scenario::parse(&src, path).unwrap_or_else(|e| panic!("{e}"));
    let a = parse(GOOD.to_owned(), "lib/a.toml");
    let cases: Vec<(Scenario, &str, &str)> = vec![
        (
            parse(
                GOOD.replace("hosts = 2", "hosts = 2\nhost_prefix = \"WS-OTHER\""),
                "lib/dup.toml",
            ),
            "id",
            "duplicate id",
        ),
        (
            parse(
                GOOD.replace("test-scenario", "other")
                    .replace("\"backup-job\"\n\n", "\"backup-jobb\"\n\n"),
                "lib/x.toml",
            ),
            "expect.exclusion",
            "unknown exclusion `backup-jobb`",
        ),
        (
            parse(
                GOOD.replace("test-scenario", "other")
                    .replace("exclusion = \"backup-job\"\n", ""),
                "lib/x.toml",
            ),
            "expect.exclusion",
            "must name the exclusion",
        ),
        (
            parse(
                GOOD.replace("test-scenario", "other")
                    .replace("\"suppressed\"", "\"no-match\""),
                "lib/x.toml",
            ),
            "expect.exclusion",
            "cannot name an exclusion",
        ),
        (
            parse(
                GOOD.replace("test-scenario", "other")
                    .replace("hosts = 2", "hosts = 2\nhost_prefix = \"WS-TS\""),
                "lib/x.toml",
            ),
            "generator.host_prefix",
            "also used by `test-scenario`",
        ),
        (
            parse(
                INFECTION.replace("\"malicious\"", "\"benign\""),
                "lib/x.toml",
            ),
            "generator.template",
            "cannot use `nanocore-infection`",
        ),
        (
            parse(
                GOOD.replace("test-scenario", "other")
                    .replace("\"benign\"", "\"adversarial\"")
                    .replace("hosts = 2", "hosts = 2\nhost_prefix = \"WS-Q\""),
                "lib/x.toml",
            ),
            "generator.template",
            "needs the `nanocore-infection` template",
        ),
        (
            parse(INFECTION.replace("\"alert\"", "\"no-match\""), "lib/x.toml"),
            "expect.outcome",
            "must expect `alert`",
        ),
    ];
    assert!(lint(std::slice::from_ref(&a), &known).is_empty());
    for (b, field, message) in cases {
        let problems = lint(&[a.clone(), b], &known);
        let hit = problems.iter().any(|p| match p {
            ScenarioError::Invalid {
                origin,
                field: f,
                message: m,
            } => {
                origin.starts_with("lib/")
                    && origin != "lib/a.toml"
                    && f == field
                    && m.contains(message)
            }
            ScenarioError::Parse { .. } => false,
        });
        assert!(hit, "expected `{field}`: {message}; got {problems:#?}");
    }
}
