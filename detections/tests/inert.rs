//! A predicate on a field no row its hunt reads (or its exclusion applies to)
//! carries never holds: it is a load error naming the hunt's line and the
//! field, unless declared `inert` with a reason, which `lint` then reports.

use detections::content::{load, Engine, NANOCORE_TOML};
use detections::import::lint_detection;
use detections::ranges::Ranges;

const DNS_HUNT: &str =
    r#"when = { field = "query_name", op = "has_any", values_from = "iocs.domain" }"#;

/// The seed content with its DNS hunt also matching a file path (`any`).
fn with_file_path(extra: &str) -> String {
    NANOCORE_TOML.replacen(
        DNS_HUNT,
        &format!(
            r#"{extra}when = {{ any = [
  {{ field = "query_name", op = "has_any", values_from = "iocs.domain" }},
  {{ field = "file_path", op = "endswith", values = ["run.dat"] }},
] }}"#
        ),
        1,
    )
}

#[test]
fn a_field_no_row_read_carries_is_a_load_error_naming_it() {
    let src = with_file_path("");
    let e = load(&src, "test.toml", Engine::Fast).expect_err("refused");
    let p = e
        .problems
        .iter()
        .find(|p| p.path == "hunts[0].when")
        .unwrap_or_else(|| panic!("{e}"));
    assert!(
        p.message.contains("file_path") && p.message.contains("dns"),
        "{e}"
    );
    assert!(p.message.contains("inert"), "{e}");
    let line = src[..src.find("id = \"nanocore-c2-dns\"").expect("the hunt")]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(p.line, Some(line), "{e}");
}

#[test]
fn declared_inert_it_loads_and_lint_reports_it() {
    let src = with_file_path("inert = \"kept as the page wrote it\"\n");
    let det = load(&src, "test.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
    let found = lint_detection(&det, &Ranges::new(Ranges::builtin_lists()));
    let f = found
        .iter()
        .find(|f| f.code == "inert-predicate")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert!(f.to_string().contains("hunt nanocore-c2-dns"), "{f}");
    assert!(
        f.message.contains("file_path") && f.message.contains("kept as the page wrote it"),
        "{f}"
    );
}

#[test]
fn an_exclusion_on_a_field_its_rows_lack_is_refused_too() {
    // The software-update exclusion reads the file's path, which no DNS row
    // carries (its process fields, the DNS rows' acting process, are fine).
    let src = NANOCORE_TOML.replacen("applies_to = [\"file\"]", "applies_to = [\"dns\"]", 1);
    let e = load(&src, "test.toml", Engine::Fast).expect_err("refused");
    assert!(
        e.problems.iter().any(|p| p.path.ends_with(".when")
            && p.message
                .contains("reads file_path that no dns row carries")),
        "{e}"
    );
}
