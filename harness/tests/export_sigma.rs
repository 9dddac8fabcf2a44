//! The Sigma export against sigma-cli (Python; `.ci/sigma-deps` installs it,
//! pinned, and names its folder in `HUNTLAB_SIGMA_BIN`): every built-in
//! content's rules pass `sigma check`, and pySigma's Kusto backend converts
//! every built-in content's rules to the queries committed in `harness/src/deployed/sigma/`, which
//! the report's "deployed forms" (and `export_parity.rs`) run over the library.

use std::path::PathBuf;
use std::process::Command;

use detections::content::builtins;
use detections::export::{export, Format};
use detections::Engine;
use harness::deployed::sigma::{CONVERTED, CSL_PIPELINE, DNSEVENTS_PIPELINE};

fn sigma() -> PathBuf {
    let dir = std::env::var_os("HUNTLAB_SIGMA_BIN")
        .expect("HUNTLAB_SIGMA_BIN names the folder of sigma-cli (run .ci/sigma-deps)");
    PathBuf::from(dir).join("sigma")
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
        sigma_check(dir.path(), b.name);
        // The same rules as one stream, as `export --format sigma > rules.yml`
        // writes them: one document a rule.
        let stream = tempfile::tempdir().expect("a temporary folder");
        let o = Command::new(env!("CARGO_BIN_EXE_huntlab"))
            .args(["export", "--format", "sigma", "--content", b.name])
            .output()
            .expect("huntlab runs");
        assert!(o.status.success());
        // sigma check holds a file's name to SigmaHQ's conventions.
        let name = format!("huntlab_{}_rules.yml", b.name.replace('-', "_"));
        std::fs::write(stream.path().join(name), &o.stdout).expect("written");
        sigma_check(stream.path(), &format!("{} (the stream)", b.name));
    }
}

/// `sigma check` of a folder of rules: no error, condition error or issue.
/// The ATT&CK and D3FEND tag checks download MITRE's data at run time; every
/// other check runs, and any issue fails.
fn sigma_check(dir: &std::path::Path, what: &str) {
    let out = Command::new(sigma())
        .args([
            "check",
            "--fail-on-issues",
            "-x",
            "attacktag",
            "-x",
            "d3_fendtag",
        ])
        .arg(dir)
        .output()
        .expect("sigma runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "content {what}: sigma check failed\n{text}"
    );
    assert!(
        text.contains("Found 0 errors, 0 condition errors and 0 issues"),
        "{text}"
    );
}

#[test]
#[ignore = "needs sigma-cli (Python); .ci/run installs it with .ci/sigma-deps"]
fn the_kusto_backend_converts_every_contents_rules_to_the_committed_queries() {
    let converted_contents: Vec<&str> = CONVERTED.iter().map(|c| c.0).collect();
    for b in builtins() {
        assert!(
            converted_contents.contains(&b.name),
            "{}: no conversion committed",
            b.name
        );
    }
    for (content, rule, exported, converted, table, _) in CONVERTED {
        let dir = write_rules(content);
        let pipeline = dir.path().join("dnsevents-pipeline.yml");
        std::fs::write(&pipeline, DNSEVENTS_PIPELINE).expect("written");
        let csl = dir.path().join("csl-pipeline.yml");
        std::fs::write(&csl, CSL_PIPELINE).expect("written");
        let written = std::fs::read_to_string(dir.path().join(rule)).expect("exported");
        assert_eq!(
            written, exported,
            "{content} {rule}: the committed rule is the exported one"
        );
        let pipeline = match table {
            simulator::Table::DnsEvents => pipeline.display().to_string(),
            simulator::Table::CommonSecurityLog => csl.display().to_string(),
            _ => "microsoft_xdr".to_owned(),
        };
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
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            converted,
            "{content} {rule}"
        );
    }
}

/// A YAML document read by PyYAML (installed with sigma-cli), as JSON.
fn pyyaml(path: &std::path::Path) -> serde_json::Value {
    let python = sigma().with_file_name("python");
    let out = Command::new(python)
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))",
        ])
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
#[ignore = "needs PyYAML (installed with sigma-cli by .ci/sigma-deps)"]
fn sentinel_rules_read_back_through_a_yaml_parser_even_with_hostile_values() {
    const HOSTILE: &str = "x\"]); DeviceEvents | take 1 // \\\" '\n''' \u{2028}: #<b> *?";
    let title = toml::Value::String(HOSTILE.to_owned()).to_string();
    let hostile = detections::content::NANOCORE_TOML.replacen(
        "title = \"DNS lookup of a NanoCore C2 domain\"",
        &format!("title = {title}"),
        1,
    );
    let det = detections::load(&hostile, "hostile.toml", Engine::Fast).expect("loads");
    let mut contents: Vec<detections::Detection> =
        builtins().iter().map(|b| b.load(Engine::Fast)).collect();
    contents.push(det);
    let dir = tempfile::tempdir().expect("a temporary folder");
    for det in &contents {
        for f in export(det, Format::Sentinel).expect("exports") {
            let path = dir.path().join(&f.name);
            std::fs::write(&path, &f.text).expect("written");
            let doc = pyyaml(&path);
            let hunt = det
                .hunts
                .iter()
                .find(|h| f.name.starts_with(&format!("{}.", h.id)))
                .expect("a hunt");
            assert_eq!(doc["name"], serde_json::json!(hunt.title), "{}", f.name);
            let query = doc["query"].as_str().expect("a query");
            let body = if f.name.ends_with(".dnsevents.yaml") {
                detections::export::dnsevents_query(det, hunt, true, None)
            } else if f.name.ends_with(".csl.yaml") {
                detections::export::csl_query(det, hunt, None)
            } else {
                detections::export::defender_query(det, hunt, None)
            };
            assert!(format!("{query}\n").ends_with(&body), "{}", f.name);
            assert_eq!(doc["kind"], "Scheduled");
        }
    }
}
