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
        "simulator/build.rs must embed every scenarios/*.toml"
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

/// Where a bad file's one problem must be: its line and, for a bad value or
/// a key serde read by name, its field.
struct Want {
    line: usize,
    field: Option<&'static str>,
}

/// A problem TOML finds on a line that sets no key: a line, no field.
fn line(line: usize) -> Want {
    Want { line, field: None }
}

/// A problem with one field, on its line (a field the file leaves out: the
/// line of its table).
fn field(line: usize, field: &'static str) -> Want {
    Want {
        line,
        field: Some(field),
    }
}

#[test]
fn bad_files_name_the_path_and_the_line_or_field() {
    let cases = bad_keys_texts_and_schedules()
        .into_iter()
        .chain(bad_template_parameters())
        .chain(bad_infections());
    for (name, src, want) in cases {
        assert_names_the_path_and_the_place(name, &src, &want);
    }
    // The good files parse.
    Scenario::parse(GOOD, "good.toml").unwrap_or_else(|e| panic!("{e}"));
    Scenario::parse(INFECTION, "infection.toml").unwrap_or_else(|e| panic!("{e}"));
}

/// Bad files: unknown keys and values, bad TOML, empty texts and bad schedules.
fn bad_keys_texts_and_schedules() -> Vec<(&'static str, String, Want)> {
    vec![
        (
            "unknown top-level key",
            GOOD.replace("kind = \"benign\"", "kind = \"benign\"\ncolour = 1"),
            field(4, "colour"),
        ),
        (
            "unknown kind",
            GOOD.replace("\"benign\"", "\"friendly\""),
            field(3, "kind"),
        ),
        (
            "unknown outcome",
            GOOD.replace("\"suppressed\"", "\"maybe\""),
            field(7, "expect.outcome"),
        ),
        (
            "not TOML",
            GOOD.replace("hours = 4", "hours = "),
            field(14, "generator.hours"),
        ),
        (
            "a broken table header names no field",
            GOOD.replace("[generator]", "[generator"),
            line(10),
        ),
        (
            "unknown generator key",
            GOOD.replace("hosts = 2", "hosts = 2\nhostz = 3"),
            field(13, "generator.hostz"),
        ),
        (
            "zero hosts",
            GOOD.replace("hosts = 2", "hosts = 0"),
            field(12, "generator.hosts"),
        ),
        (
            "negative hosts",
            GOOD.replace("hosts = 2", "hosts = -3"),
            field(12, "generator.hosts"),
        ),
        (
            "zero hours (end at start)",
            GOOD.replace("hours = 4", "hours = 0"),
            field(14, "generator.hours"),
        ),
        (
            "negative hours (end before start)",
            GOOD.replace("hours = 4", "hours = -2"),
            field(14, "generator.hours"),
        ),
        (
            "zero interval",
            GOOD.replace("interval_minutes = 60", "interval_minutes = 0"),
            field(15, "generator.interval_minutes"),
        ),
        (
            "missing interval",
            GOOD.replace("interval_minutes = 60", ""),
            field(10, "generator.interval_minutes"),
        ),
        (
            "empty description",
            GOOD.replace("\"Something.\"", "\"  \""),
            field(4, "description"),
        ),
        (
            "empty title",
            GOOD.replace("\"A test\"", "\"\""),
            field(2, "title"),
        ),
        (
            "bad id",
            GOOD.replace("test-scenario", "Test Scenario"),
            field(1, "id"),
        ),
    ]
}

/// Bad files: a template's parameters out of range, or another template's.
fn bad_template_parameters() -> Vec<(&'static str, String, Want)> {
    vec![
        (
            "unknown template",
            GOOD.replace("\"backup-job\"\nhosts", "\"backup-jobs\"\nhosts"),
            field(11, "generator.template"),
        ),
        (
            "date without time",
            GOOD.replace("2026-05-21T00:00:00Z", "2026-05-21"),
            field(13, "generator.start"),
        ),
        (
            "jitter out of range",
            GOOD.replace("hours = 4", "hours = 4\njitter = 1.5"),
            field(15, "generator.jitter"),
        ),
        (
            "parameter of another template",
            GOOD.replace("hours = 4", "hours = 4\nrate_per_minute = 2"),
            field(15, "generator.rate_per_minute"),
        ),
        (
            "an undeclared distribution",
            GOOD.replace("hours = 4", "hours = 4\ninstall_dir = { draw = \"nope\" }"),
            field(15, "generator.install_dir"),
        ),
        (
            "a distribution of another key",
            GOOD.replace(
                "hours = 4",
                "hours = 4\ntask_name = { draw = \"admin-shells\" }",
            ),
            field(15, "generator.task_name"),
        ),
        (
            "a key the template does not vary",
            GOOD.replace(
                "hours = 4",
                "hours = 4\nshell = 'C:\\Windows\\System32\\cmd.exe'",
            ),
            field(15, "generator.shell"),
        ),
        (
            "a relative install folder",
            GOOD.replace("hours = 4", "hours = 4\ninstall_dir = 'Apps\\BackupTool'"),
            field(15, "generator.install_dir"),
        ),
        (
            "a start time past midnight",
            GOOD.replace("hours = 4", "hours = 4\ntask_start = \"25:00\""),
            field(15, "generator.task_start"),
        ),
        (
            "nothing records",
            GOOD.replace(
                "hours = 4",
                "hours = 4\nendpoint = \"none\"\nserver_dns = false",
            ),
            field(16, "generator.server_dns"),
        ),
        (
            "negative rate",
            GOOD.replace("template = \"backup-job\"", "template = \"background-dns\"")
                .replace("interval_minutes = 60", "rate_per_minute = -1.0"),
            field(15, "generator.rate_per_minute"),
        ),
        (
            "zero rate",
            GOOD.replace("template = \"backup-job\"", "template = \"background-dns\"")
                .replace("interval_minutes = 60", "rate_per_minute = 0"),
            field(15, "generator.rate_per_minute"),
        ),
        (
            "names without interval",
            GOOD.replace("template = \"backup-job\"", "template = \"background-dns\"")
                .replace(
                    "interval_minutes = 60",
                    "rate_per_minute = 1\nnames = [\"a.example\"]",
                ),
            field(10, "generator.names_interval_minutes"),
        ),
    ]
}

/// Bad files: an infection's parameters.
fn bad_infections() -> Vec<(&'static str, String, Want)> {
    vec![
        (
            "c2_up above 1",
            INFECTION.replace("c2_up = 0.5", "c2_up = 1.5"),
            field(13, "generator.c2_up"),
        ),
        (
            "no C2 hosts",
            INFECTION.replace("c2_up = 0.5", "c2_hosts = []"),
            field(13, "generator.c2_hosts"),
        ),
        (
            "C2 host with a space",
            INFECTION.replace("c2_up = 0.5", "c2_hosts = [\"estaliax .io\"]"),
            field(13, "generator.c2_hosts[0]"),
        ),
        (
            "unknown path variable",
            INFECTION.replace("c2_up = 0.5", "implant_path = '%WINDIR%\\x.exe'"),
            field(13, "generator.implant_path"),
        ),
        (
            "implant not a program",
            INFECTION.replace("c2_up = 0.5", "implant_path = 'C:\\x\\run.dat'"),
            field(13, "generator.implant_path"),
        ),
        (
            "zero keep-alive",
            INFECTION.replace("c2_up = 0.5", "keepalive_seconds = 0"),
            field(13, "generator.keepalive_seconds"),
        ),
        (
            "reboots without a task",
            INFECTION.replace("c2_up = 0.5", "persistence = false\nreboot_every_hours = 2"),
            field(14, "generator.reboot_every_hours"),
        ),
        (
            "unknown delivery",
            INFECTION.replace("c2_up = 0.5", "delivery = \"usb\""),
            field(13, "generator.delivery"),
        ),
        (
            "own DNS server without saying how it is asked",
            INFECTION.replace("c2_up = 0.5", "server_dns = false"),
            field(13, "generator.server_dns"),
        ),
        (
            "event 22 asked of Windows 7 Sysmon hosts",
            INFECTION.replace(
                "c2_up = 0.5",
                "windows = [\"7\"]\nsysmon_events = [1, 11, 22]",
            ),
            field(14, "generator.sysmon_events"),
        ),
        (
            "endpoint DNS where no sensor logs it",
            INFECTION.replace("c2_up = 0.5", "windows = [\"7\"]\nendpoint_dns = true"),
            field(14, "generator.endpoint_dns"),
        ),
    ]
}

/// A sensor's DNS view follows the hosts: event 22 is fine when one Sysmon host
/// runs Windows 10, and an own DNS server is fine once the file says which
/// reading it means.
#[test]
fn sensor_views_that_some_host_can_write_are_accepted() {
    for (name, extra) in [
        (
            "client asks another server",
            "server_dns = false\nendpoint_dns = true",
        ),
        (
            "implant asks its server itself",
            "server_dns = false\nc2_resolver = \"8.8.8.8\"",
        ),
        (
            "event 22 on the Windows 10 host",
            "hosts = 2\nwindows = [\"7\", \"10\"]\nsysmon_events = [1, 11, 22]",
        ),
        (
            "endpoint DNS on Defender's Windows 7 host",
            "hosts = 2\nendpoint = \"mixed\"\nwindows = [\"7\"]\nendpoint_dns = true",
        ),
    ] {
        let src = INFECTION.replace("c2_up = 0.5", extra);
        Scenario::parse(&src, "good.toml").unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// One bad file's error: one problem, at its path and the line (and field) wanted.
fn assert_names_the_path_and_the_place(name: &str, src: &str, want: &Want) {
    let path = format!("bad/{}.toml", name.replace(' ', "-"));
    let err = Scenario::parse(src, &path)
        .err()
        .unwrap_or_else(|| panic!("{name}: accepted"));
    let text = err.to_string();
    assert!(text.starts_with(&format!("{path}: ")), "{name}: {text}");
    assert_eq!(err.problems.len(), 1, "{name}: {text}");
    let problem = &err.problems[0];
    assert_eq!(problem.line, Some(want.line), "{name}: {text}");
    assert_eq!(problem.field.as_deref(), want.field, "{name}: {text}");
    assert!(
        text.contains(&format!("line {}: ", want.line)),
        "{name}: {text}"
    );
    if let Some(f) = want.field {
        assert!(text.contains(&format!("field `{f}`")), "{name}: {text}");
    }
}

#[test]
fn one_reading_reports_every_problem_with_its_line() {
    let src = GOOD
        .replace("\"A test\"", "\"\"")
        .replace("hosts = 2", "hosts = 0")
        .replace(
            "interval_minutes = 60",
            "interval_minutes = 60\nrate_per_minute = 2",
        )
        .replace("hours = 4", "hours = -4");
    let err = Scenario::parse(&src, "bad/many.toml").expect_err("four problems");
    let got: Vec<(Option<usize>, Option<&str>)> = err
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Some(2), Some("title")),
            (Some(12), Some("generator.hosts")),
            (Some(14), Some("generator.hours")),
            (Some(16), Some("generator.rate_per_minute")),
        ],
        "{err}"
    );
    assert_eq!(err.to_string().lines().count(), 4, "{err}");
    assert!(
        err.to_string()
            .lines()
            .all(|l| l.starts_with("bad/many.toml: line ")),
        "{err}"
    );
}

#[test]
fn lint_reports_library_problems_by_file_and_field() {
    let ids = exclusion_ids();
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    let a = parse(GOOD.to_owned(), "lib/a.toml");
    let cases = library_problems();
    assert!(lint(std::slice::from_ref(&a), &known).is_empty());
    for (b, field, message) in cases {
        let problems = lint(&[a.clone(), b], &known);
        let hit = problems.iter().any(|p: &ScenarioError| {
            p.origin.starts_with("lib/")
                && p.origin != "lib/a.toml"
                && p.problems
                    .iter()
                    .any(|q| q.field.as_deref() == Some(field) && q.message.contains(message))
        });
        assert!(hit, "expected `{field}`: {message}; got {problems:#?}");
    }
}

/// A scenario file that parses.
fn parse(src: String, path: &str) -> Scenario {
    Scenario::parse(&src, path).unwrap_or_else(|e| panic!("{e}"))
}

/// Another benign scenario, with one change.
fn other(from: &str, to: &str) -> Scenario {
    parse(
        GOOD.replace("test-scenario", "other").replace(from, to),
        "lib/x.toml",
    )
}

/// Scenarios that parse but do not fit in a library beside `lib/a.toml`
/// (the good file), each with the field and the message lint must give.
fn library_problems() -> Vec<(Scenario, &'static str, &'static str)> {
    vec![
        (
            parse(
                GOOD.replace("hosts = 2", "hosts = 2\nhost_prefix = \"WS-OTHER\""),
                "lib/dup.toml",
            ),
            "id",
            "duplicate id",
        ),
        (
            other("\"backup-job\"\n\n", "\"backup-jobb\"\n\n"),
            "expect.exclusion",
            "unknown exclusion `backup-jobb`",
        ),
        (
            other("exclusion = \"backup-job\"\n", ""),
            "expect.exclusion",
            "must name the exclusion",
        ),
        (
            other("\"suppressed\"", "\"no-match\""),
            "expect.exclusion",
            "cannot name an exclusion",
        ),
        (
            other("hosts = 2", "hosts = 2\nhost_prefix = \"WS-TS\""),
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
            "needs a malicious template (`implant` or `nanocore-infection`)",
        ),
        (
            parse(INFECTION.replace("\"alert\"", "\"no-match\""), "lib/x.toml"),
            "expect.outcome",
            "must expect `alert`",
        ),
        (
            other(
                "outcome = \"suppressed\"\nexclusion = \"backup-job\"",
                "outcome = \"alert\"",
            ),
            "expect.outcome",
            "a benign scenario must expect `suppressed` or `no-alert`",
        ),
        (
            other("\"suppressed\"", "\"no-alert\""),
            "expect.exclusion",
            "outcome `no-alert` cannot name an exclusion",
        ),
        (
            parse(
                INFECTION.replace(
                    "outcome = \"alert\"",
                    "outcome = \"alert\"\nexclusion = \"backup-job\"",
                ),
                "lib/x.toml",
            ),
            "expect.exclusion",
            "only an adversarial scenario names an exclusion with `alert`",
        ),
    ]
}

#[test]
fn a_toml_syntax_error_is_one_line() {
    let err = simulator::Scenario::parse("id = \"a\"\nhosts = x\n", "bad.toml").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("bad.toml: line 2:"), "{text}");
    assert!(!text.trim_end().contains('\n'), "{text}");
}
