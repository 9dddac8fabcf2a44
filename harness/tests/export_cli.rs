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
