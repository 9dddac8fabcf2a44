//! Authoring a content's examples: a row naming a column its source does not
//! carry is a load error naming the column (unless the example declares it in
//! `unread`, as the built-in contents do for a `TaskName` on a Defender
//! process row, to show it is not read), and a failing example says which
//! predicate decided it.

use detections::content::{load, Engine, LoadError, HARDENED_TOML, NANOCORE_TOML};

fn problems(src: &str) -> LoadError {
    load(src, "test.toml", Engine::Fast).expect_err("the file should not load")
}

fn line_of(src: &str, text: &str) -> usize {
    let at = src
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} not in the file"));
    src[..at].matches('\n').count() + 1
}

#[test]
fn an_example_column_its_source_does_not_carry_is_a_load_error_naming_it() {
    let row = "row = { Type = \"DnsEvents\", Name = \"a.estaliax.io\" }";
    let src = NANOCORE_TOML.replacen(
        row,
        "row = { Type = \"DnsEvents\", Name = \"a.estaliax.io\", ProcessCommandLine = \"x.exe\" }",
        1,
    );
    assert_ne!(src, NANOCORE_TOML);
    let e = problems(&src);
    assert_eq!(e.problems.len(), 1, "{e}");
    let p = &e.problems[0];
    assert_eq!(p.path, "hunts[0].examples[1]", "{e}");
    assert_eq!(p.line, Some(line_of(&src, "name = \"a subdomain\"")), "{e}");
    assert!(
        p.message.contains(
            "column `ProcessCommandLine` is not a column of DnsEvents rows (huntlab never reads it there)"
        ),
        "{e}"
    );
    // Columns the source documents, or that the mapping reads, are fine in
    // any case, and with a custom table's suffix.
    let src = NANOCORE_TOML.replacen(
        row,
        "row = { Type = \"DnsEvents\", Name = \"a.estaliax.io\", ClientIP = \"10.0.0.5\", computer = \"dns01\", QueryType_d = 1 }",
        1,
    );
    load(&src, "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_column_carried_deliberately_is_declared_unread() {
    // The built-in example carries TaskName on a Defender process row to
    // show it is not read, and declares it.
    let declared = "unread = [\"TaskName\"]\n";
    for src in [NANOCORE_TOML, HARDENED_TOML] {
        assert_eq!(src.matches(declared).count(), 1);
        load(src, "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
        // Without the declaration it is an error naming the column.
        let bare = src.replacen(declared, "", 1);
        let e = problems(&bare);
        assert_eq!(e.problems.len(), 1, "{e}");
        assert!(
            e.problems[0]
                .message
                .contains("column `TaskName` is not a column of DeviceProcessEvents rows"),
            "{e}"
        );
        assert!(
            e.problems[0].message.contains("unread = [\"TaskName\"]"),
            "{e}"
        );
        // A declaration that names a column the row lacks, or one its source
        // carries, is an error too: nothing is declared by mistake.
        let stale = src.replacen(declared, "unread = [\"TaskName\", \"Colour\"]\n", 1);
        let e = problems(&stale);
        assert!(
            e.problems[0]
                .message
                .contains("`unread` names `Colour`, which its row does not have"),
            "{e}"
        );
        let read = src.replacen(declared, "unread = [\"TaskName\", \"FileName\"]\n", 1);
        let e = problems(&read);
        assert!(
            e.problems[0]
                .message
                .contains("`unread` names `FileName`, a column DeviceProcessEvents rows carry"),
            "{e}"
        );
    }
}

#[test]
fn a_failing_hunt_example_names_the_predicate_that_decided_it() {
    let src = NANOCORE_TOML.replacen(
        "row = { Type = \"DnsEvents\", Name = \"a.estaliax.io\" }",
        "row = { Type = \"DnsEvents\", Name = \"a.example.com\" }",
        1,
    );
    let d = load(&src, "test.toml", Engine::Fast).unwrap();
    let f = d.check_examples();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].name, "a subdomain");
    assert_eq!(
        f[0].message,
        "expected fires, got silent: hunt condition false at {field = \"query_name\", op = \"has_any\"} (the row's \"a.example.com\")"
    );
    // A hunt that fires where it should not: the predicate that held, on
    // what, by which value.
    let src = NANOCORE_TOML.replacen(
        "name = \"a subdomain\"\nexpect = \"fires\"",
        "name = \"a subdomain\"\nexpect = \"silent\"",
        1,
    );
    let d = load(&src, "test.toml", Engine::Fast).unwrap();
    let f = d.check_examples();
    assert_eq!(
        f[0].message,
        "expected silent, got fires: hunt condition held at {field = \"query_name\", op = \"has_any\"} (\"a.estaliax.io\" matched \"estaliax.io\")"
    );
    // A row of a kind the hunt does not read.
    let src = NANOCORE_TOML.replacen(
        "row = { Type = \"DnsEvents\", Name = \"a.estaliax.io\" }",
        "row = { EventID = 1, Image = 'C:\\Tools\\a.estaliax.io.exe' }",
        1,
    );
    let d = load(&src, "test.toml", Engine::Fast).unwrap();
    let f = d.check_examples();
    assert!(
        f[0].message.starts_with(
            "expected fires, got silent: the hunt does not read process rows (the row is Sysmon 1 (ProcessCreate); it reads dns)"
        ),
        "{}",
        f[0].message
    );
}

#[test]
fn a_failing_exclusion_example_names_the_exclusion_predicate_that_held() {
    let src = NANOCORE_TOML.replacen(
        "name = \"the backup tool in its folder\"\nexpect = \"suppressed\"",
        "name = \"the backup tool in its folder\"\nexpect = \"did_not_apply\"",
        1,
    );
    assert_ne!(src, NANOCORE_TOML);
    let d = load(&src, "test.toml", Engine::Fast).unwrap();
    let f = d.check_examples();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].owner, "exclusion backup-job");
    assert_eq!(
        f[0].message,
        "expected did_not_apply, got suppressed: exclusion condition held at {field = \"image\", op = \"contains\"} ('C:\\Program Files\\BackupTool\\nanocore.exe' matched 'C:\\Program Files\\BackupTool\\nanocore.exe')"
    );
}
