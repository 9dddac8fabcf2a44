//! `huntlab export` end to end: files to standard output (each after a line
//! naming it) or into `--out`, every format and content, and clear errors.

#[path = "support/cli.rs"]
mod cli;

use cli::{huntlab, stderr, stdout, temp_dir};

#[test]
fn export_writes_to_standard_output_or_into_a_folder() {
    let o = huntlab(&["export", "--format", "kql"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("// file: nanocore-c2-dns.dnsevents.kql\n"),
        "{text}"
    );
    assert!(
        text.contains("| where Name has_any (malicious_domains)\n"),
        "{text}"
    );
    let dir = temp_dir("export-out");
    for (format, content, file) in [
        ("kql-defender", "hardened", "nanocore-artifact.defender.kql"),
        ("sentinel", "seed", "nanocore-c2-dns.dnsevents.yaml"),
        ("sigma", "deployed", "nanocore-c2-dns.dns_query.yml"),
        ("kql-asim", "seed", "nanocore-c2-dns.asim.kql"),
        ("kql-csl", "hardened", "nanocore-c2-name-network.csl.kql"),
        ("sentinel", "seed", "nanocore-c2-name-network.csl.yaml"),
        (
            "kql-sysmon-event",
            "seed",
            "nanocore-artifact.sysmon-event.kql",
        ),
    ] {
        let out = dir.join(format);
        let o = huntlab(&[
            "export",
            "--format",
            format,
            "--content",
            content,
            "--out",
            out.to_str().expect("a UTF-8 path"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let det = detections::content::builtin_named(content, detections::Engine::Fast).unwrap();
        let format = detections::export::Format::from_name(format).unwrap();
        let want = detections::export::export(&det, format).unwrap();
        let written = std::fs::read_to_string(out.join(file)).expect("the file is written");
        assert_eq!(
            Some(&written),
            want.iter().find(|f| f.name == file).map(|f| &f.text)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unknown_format_or_content_is_a_usage_error() {
    let o = huntlab(&["export", "--format", "splunk"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown format `splunk`"),
        "{}",
        stderr(&o)
    );
    let o = huntlab(&["export", "--format", "kql", "--content", "no-such-content"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("neither a built-in content"),
        "{}",
        stderr(&o)
    );
}

/// YAML rules to standard output are one document each, `---` between them:
/// `export --format sigma > rules.yml` holds every rule, each whole, as the
/// files do (the `sigma check` of the stream is in `export_sigma.rs`).
#[test]
fn yaml_rules_on_standard_output_are_separate_documents() {
    for (format, key) in [("sigma", "title: "), ("sentinel", "id: ")] {
        let o = huntlab(&["export", "--format", format, "--content", "published"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        let det = detections::content::builtin_named("published", detections::Engine::Fast)
            .expect("built in");
        let files = detections::export::export(
            &det,
            detections::export::Format::from_name(format).unwrap(),
        )
        .unwrap();
        let docs: Vec<&str> = text.split("\n---\n").collect();
        assert_eq!(docs.len(), files.len(), "{format}: one document a rule");
        for (doc, f) in docs.iter().zip(&files) {
            let body = doc
                .strip_prefix(&format!("# file: {}\n", f.name))
                .unwrap_or_else(|| panic!("{format}: {doc}"));
            assert_eq!(body.trim_end(), f.text.trim_end(), "{}", f.name);
            // The comment line, then the rule: its first key once.
            assert_eq!(doc.matches(&format!("\n{key}")).count(), 1, "{}", f.name);
        }
    }
    // KQL files stay as they were: a blank line and a comment between them.
    let o = huntlab(&[
        "export",
        "--format",
        "kql-defender",
        "--content",
        "published",
    ]);
    assert!(!stdout(&o).contains("\n---\n"));
}
