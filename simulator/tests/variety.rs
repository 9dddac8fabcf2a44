//! Variety: the job templates draw install folders, shells, arguments, task
//! names, signatures and task start times from declared distributions; a
//! scenario fixes a value or names a distribution, and a seed gives the same
//! draws every time.

use std::collections::BTreeSet;

use simulator::{generate, Options, Record, Scenario};

const DIAG: &str = r#"id = "test-diag"
title = "Diagnostics"
kind = "benign"
description = "Something."

[expect]
outcome = "suppressed"
exclusion = "network-diagnostics"

[generator]
template = "network-diagnostics"
hosts = 30
start = 2026-05-21T00:00:00Z
hours = 6
interval_minutes = 30
"#;

fn rows(src: &str, seed: u64) -> Vec<Record> {
    let s = Scenario::parse(src, "test.toml").expect("parses");
    generate(&s, &Options::default().with_rng_seed(seed)).collect()
}

/// (image, parent image) of the tool's Sysmon process rows.
fn runs(rows: &[Record]) -> BTreeSet<(String, String)> {
    rows.iter()
        .filter(|r| r.label.step == "diag-run" && r.row.get("EventID") == Some(&1.into()))
        .map(|r| {
            let col = |c: &str| r.row[c].as_str().unwrap_or_default().to_owned();
            (col("Image"), col("ParentImage"))
        })
        .collect()
}

#[test]
fn left_out_keys_draw_from_the_default_distributions() {
    let seen = runs(&rows(DIAG, 3));
    let dirs: BTreeSet<&str> = seen
        .iter()
        .map(|(i, _)| i.rsplit_once('\\').map_or("", |(d, _)| d))
        .collect();
    let shells: BTreeSet<&str> = seen
        .iter()
        .map(|(_, p)| p.rsplit_once('\\').map_or("", |(_, f)| f))
        .collect();
    assert!(
        dirs.contains(r"C:\Tools\NetDiag") && dirs.len() > 1,
        "{dirs:?}"
    );
    assert_eq!(
        shells,
        ["cmd.exe", "powershell.exe", "pwsh.exe"]
            .into_iter()
            .collect(),
        "{seen:?}"
    );
}

#[test]
fn the_same_seed_gives_the_same_draws_and_another_seed_others() {
    assert_eq!(rows(DIAG, 5), rows(DIAG, 5));
    // Each host's runs, in order: (host, image, parent).
    let per_host = |seed| -> Vec<(String, String, String)> {
        rows(DIAG, seed)
            .iter()
            .filter(|r| r.label.step == "diag-run" && r.row.get("EventID") == Some(&1.into()))
            .map(|r| {
                let col = |c: &str| r.row[c].as_str().unwrap_or_default().to_owned();
                (r.label.host.clone(), col("Image"), col("ParentImage"))
            })
            .collect()
    };
    assert_ne!(per_host(5), per_host(6));
}

#[test]
fn a_fixed_value_or_a_named_distribution_is_what_is_drawn() {
    let fixed = DIAG.to_owned()
        + "install_dir = 'D:\\Apps\\NetDiag'\nshell = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe'\n";
    let seen = runs(&rows(&fixed, 1));
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|(i, p)| i == r"D:\Apps\NetDiag\nanocore.exe"
                && p == r"C:\Program Files\PowerShell\7\pwsh.exe"),
        "{seen:?}"
    );
    let named = DIAG.to_owned() + "shell = { draw = \"cmd-or-powershell\" }\n";
    let shells: BTreeSet<String> = runs(&rows(&named, 1)).into_iter().map(|(_, p)| p).collect();
    assert_eq!(shells.len(), 2, "{shells:?}");
    assert!(shells.iter().all(|p| !p.ends_with("pwsh.exe")));
}

#[test]
fn the_second_path_scenario_runs_the_tool_from_pwsh_under_d_apps() {
    let (_, src) = simulator::BUILTIN
        .iter()
        .find(|(n, _)| *n == "benign-netdiag-pwsh-second-path.toml")
        .expect("in the library");
    let seen = runs(&rows(src, 0));
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|(i, p)| i == r"D:\Apps\NetDiag\nanocore.exe" && p.ends_with(r"\pwsh.exe")),
        "{seen:?}"
    );
}
