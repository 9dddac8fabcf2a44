//! The Sigma export against sigma-cli (Python; `.ci/sigma-deps` installs it,
//! pinned, and names its folder in `HUNTLAB_SIGMA_BIN`): every built-in
//! content's rules pass `sigma check`, and pySigma's Kusto backend converts the
//! seed's rules to the committed queries in `tests/fixtures/sigma/`, which
//! `export_sigma_cost` runs over the library.

use std::path::PathBuf;
use std::process::Command;

use detections::content::builtins;
use detections::export::{export, Format};
use detections::Engine;

fn sigma() -> PathBuf {
    let dir = std::env::var_os("HUNTLAB_SIGMA_BIN")
        .expect("HUNTLAB_SIGMA_BIN names the folder of sigma-cli (run .ci/sigma-deps)");
    PathBuf::from(dir).join("sigma")
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigma")
}

fn write_rules(content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let det = detections::content::builtin_named(content, Engine::Fast).expect("built in");
    for f in export(&det, Format::Sigma).expect("exports") {
        std::fs::write(dir.path().join(&f.name), &f.text).expect("written");
    }
    dir
}

#[test]
#[ignore = "needs sigma-cli (Python); .ci/run installs it with .ci/sigma-deps"]
fn every_builtin_contents_sigma_rules_pass_sigma_check() {
    for b in builtins() {
        let dir = write_rules(b.name);
        // The ATT&CK and D3FEND tag checks download MITRE's data at run time;
        // every other check runs, and any issue fails.
        let out = Command::new(sigma())
            .args([
                "check",
                "--fail-on-issues",
                "-x",
                "attacktag",
                "-x",
                "d3_fendtag",
            ])
            .arg(dir.path())
            .output()
            .expect("sigma runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "content {}: sigma check failed\n{text}",
            b.name
        );
        assert!(
            text.contains("Found 0 errors, 0 condition errors and 0 issues"),
            "{text}"
        );
    }
}

#[test]
#[ignore = "needs sigma-cli (Python); .ci/run installs it with .ci/sigma-deps"]
fn the_kusto_backend_converts_the_seeds_rules_to_the_committed_queries() {
    let dir = write_rules("seed");
    for (rule, pipeline, committed) in [
        (
            "nanocore-c2-dns.dns_query.yml",
            fixtures()
                .join("dnsevents-pipeline.yml")
                .display()
                .to_string(),
            "seed.nanocore-c2-dns.dnsevents.kql",
        ),
        (
            "nanocore-artifact.process_creation.yml",
            "microsoft_xdr".to_owned(),
            "seed.nanocore-artifact.process_creation.kql",
        ),
    ] {
        let out = Command::new(sigma())
            .args(["convert", "-t", "kusto", "-p", &pipeline])
            .arg(dir.path().join(rule))
            .output()
            .expect("sigma runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = std::fs::read_to_string(fixtures().join(committed)).expect("committed");
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{rule}");
    }
}
