//! `huntlab simulate` and `huntlab scenarios`, run as a user would.

use std::path::PathBuf;
use std::process::Command;

fn huntlab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_huntlab"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "huntlab-simulate-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn simulate_writes_one_file_per_table_and_labels_by_line() {
    let out = scratch("tables");
    let run = huntlab()
        .args([
            "simulate",
            "--scenario",
            "nanocore-powershell-mixed",
            "--scenario",
            "benign-backup-job",
            "--hours",
            "2",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary = String::from_utf8_lossy(&run.stdout);
    assert!(summary.contains("labels.jsonl"), "{summary}");
    let labels = std::fs::read_to_string(out.join("labels.jsonl")).expect("labels written");
    let mut per_table = std::collections::BTreeMap::<String, u64>::new();
    for line in labels.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON label");
        let table = v["table"].as_str().expect("table").to_owned();
        let n = per_table.entry(table.clone()).or_default();
        *n += 1;
        assert_eq!(v["line"].as_u64(), Some(*n), "lines count up per table");
        assert!(["nanocore-powershell-mixed", "benign-backup-job"]
            .contains(&v["scenario"].as_str().expect("scenario")));
        assert!(
            v["malicious"].is_boolean()
                && v["time_ms"].is_i64()
                && v["host"].is_string()
                && v["step"].is_string()
        );
    }
    for (table, n) in &per_table {
        let text = std::fs::read_to_string(out.join(format!("{table}.jsonl"))).expect("table file");
        assert_eq!(text.lines().count() as u64, *n, "{table}");
        for line in text.lines() {
            detections::fields::parse_line(line).unwrap_or_else(|e| panic!("{table}: {e}: {line}"));
        }
        assert!(summary.contains(&format!("{table}.jsonl")), "{summary}");
    }
    assert!(
        per_table.contains_key("DnsEvents")
            && per_table.contains_key("SysmonEvents")
            && per_table.contains_key("DeviceEvents")
    );
    // Same arguments, same bytes.
    let again = scratch("tables-again");
    let run = huntlab()
        .args([
            "simulate",
            "--quiet",
            "--scenario",
            "nanocore-powershell-mixed",
            "--scenario",
            "benign-backup-job",
            "--hours",
            "2",
            "--out",
        ])
        .arg(&again)
        .output()
        .expect("runs");
    assert!(run.status.success());
    assert!(run.stdout.is_empty(), "--quiet prints nothing");
    for name in per_table
        .keys()
        .map(|t| format!("{t}.jsonl"))
        .chain(["labels.jsonl".to_owned()])
    {
        assert_eq!(
            std::fs::read(out.join(&name)).expect("a"),
            std::fs::read(again.join(&name)).expect("b"),
            "{name}"
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&again);
}

#[test]
fn simulate_rejects_unknown_ids_and_bad_options() {
    let out = scratch("bad");
    let run = huntlab()
        .args(["simulate", "--scenario", "no-such-thing", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("no-such-thing") && err.contains("benign-backup-job"),
        "{err}"
    );
    for (bad, flag) in [
        ("--scale=0", "--scale"),
        ("--hours=-1", "--hours"),
        ("--start=21.05.2026", "--start"),
    ] {
        let run = huntlab()
            .arg("simulate")
            .arg(bad)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("runs");
        assert!(!run.status.success(), "{bad:?} accepted");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains(flag),
            "{bad:?}"
        );
    }
}

#[test]
fn scenarios_lists_the_library_as_a_table_and_as_json_lines() {
    let run = huntlab().arg("scenarios").output().expect("runs");
    assert!(run.status.success());
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        text.contains("benign-backup-job") && text.contains("suppressed (backup-job)"),
        "{text}"
    );
    let run = huntlab()
        .args(["scenarios", "--json"])
        .output()
        .expect("runs");
    assert!(run.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    // The library, then the mimic of each of the seed's five exclusions,
    // generated from the content and named by where they come from.
    assert_eq!(lines.len(), simulator::BUILTIN.len() + 5);
    for v in &lines[simulator::BUILTIN.len()..] {
        assert!(v["id"].as_str().unwrap().starts_with("mimic-"), "{v}");
        assert!(
            v["origin"]
                .as_str()
                .unwrap()
                .starts_with("the mimic of exclusion `"),
            "{v}"
        );
        assert_eq!(v["expect"]["outcome"], "alert", "{v}");
    }
    for v in &lines {
        assert!(
            v["id"].is_string()
                && v["kind"].is_string()
                && v["title"].is_string()
                && v["expect"]["outcome"].is_string()
                && v["server_dns"].is_boolean()
                && v["endpoint_dns"].is_boolean()
                && v["endpoint_dns_off_hosts"].is_array()
                && v["endpoint_dns_off_steps"].is_array(),
            "{v}"
        );
    }
    // The scenario whose implant sends its own DNS queries is seen by no
    // endpoint DNS log, and says so.
    let own = lines
        .iter()
        .find(|v| v["id"] == "nanocore-invoice-regsvcs-own-queries")
        .expect("listed");
    assert_eq!(own["server_dns"], false, "{own}");
}

#[test]
fn a_scenario_folder_replaces_the_library_and_bad_files_name_their_path() {
    let dir = scratch("folder");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let (_, src) = simulator::BUILTIN
        .iter()
        .find(|(n, _)| *n == "benign-log-cleanup.toml")
        .expect("built-in");
    std::fs::write(dir.join("b.toml"), src).expect("write");
    std::fs::write(dir.join("notes.txt"), "not a scenario").expect("write");
    let run = huntlab()
        .args(["scenarios", "--json", "--scenarios"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The file's scenario and the content's five mimics.
    assert_eq!(String::from_utf8_lossy(&run.stdout).lines().count(), 6);
    std::fs::write(dir.join("a.toml"), src.replace("hosts = 2", "hosts = 0")).expect("write");
    let run = huntlab()
        .args(["scenarios", "--scenarios"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("a.toml") && err.contains("generator.hosts"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lint refuses, with exit 2, a file whose sensor switches ask for what
/// the scenario does not have: a host beyond its hosts, a step its template
/// does not look names up in.
#[test]
fn scenarios_exits_2_on_a_switch_naming_a_host_or_step_that_is_not_there() {
    let (_, src) = simulator::BUILTIN
        .iter()
        .find(|(n, _)| *n == "nanocore-vbs-regasm.toml")
        .expect("built-in");
    for (name, extra, key) in [
        (
            "host",
            "endpoint_dns_off_hosts = [99]",
            "generator.endpoint_dns_off_hosts",
        ),
        (
            "step",
            "endpoint_dns_off_steps = [\"backup-lookup\"]",
            "generator.endpoint_dns_off_steps",
        ),
    ] {
        let dir = scratch(&format!("switch-{name}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let bad = src.replace(
            "template = \"nanocore-infection\"",
            &format!("template = \"nanocore-infection\"\n{extra}"),
        );
        assert_ne!(bad, *src, "{name}: the key was inserted");
        std::fs::write(dir.join("bad.toml"), bad).expect("write");
        let run = huntlab()
            .args(["scenarios", "--scenarios"])
            .arg(&dir)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains("bad.toml") && err.contains(key),
            "{name}: {err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
