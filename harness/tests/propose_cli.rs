//! Any family, without Rust: four published pages of other families are
//! imported, scenarios are proposed for each, and `report` and `compare`
//! run on them. No simulated row carries a NanoCore value, every hunt that
//! can match alerts on some scenario, and the proposals tell the literal and
//! the hardened readings apart. Against the built-in (NanoCore) library such
//! a content gets one message saying what to do.

#[path = "support/cli.rs"]
mod cli;
use cli::{huntlab, published_page as page, stderr, stdout, temp_dir};

use std::path::Path;

use serde_json::Value;

const SAMPLES: [&str; 4] = [
    "sample-asyncrat-ip.md",
    "sample-unknown-rat-url.md",
    "sample-urlhaus.md",
    "sample-flat-remcos.txt",
];

/// NanoCore's own values, which no other family's telemetry may carry.
const NANOCORE: [&str; 6] = [
    "run.dat",
    "DHCP Monitor",
    "dhcpmon",
    "estaliax",
    "duraktantuni",
    "nanocore",
];

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Import `name` into `dir`, propose scenarios for its literal reading:
/// (literal, hardened, scenarios folder).
fn imported(dir: &Path, name: &str) -> (String, String, String) {
    let stem = name.rsplit_once('.').expect("an extension").0;
    let out = dir.join("content");
    huntlab(&["import", &page(name), "--out", &s(&out)]);
    let literal = s(&out.join(format!("{stem}.toml")));
    let hardened = s(&out.join(format!("{stem}.hardened.toml")));
    let scenarios = s(&dir.join(format!("scenarios-{stem}")));
    let o = huntlab(&[
        "scenarios",
        "--propose",
        "--content",
        &literal,
        "--out",
        &scenarios,
    ]);
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    assert!(
        stdout(&o).contains("scenario file(s) proposed"),
        "{}",
        stdout(&o)
    );
    (literal, hardened, scenarios)
}

/// The hunts (id, true positives) of a report written to `out`.
fn hunts(out: &Path) -> Vec<(String, u64)> {
    let text = std::fs::read_to_string(out.join("report.json")).expect("report.json");
    let v: Value = serde_json::from_str(&text).expect("JSON");
    v["hunts"]
        .as_array()
        .expect("hunts")
        .iter()
        .map(|h| {
            (
                h["id"].as_str().unwrap_or("").to_owned(),
                h["tp"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The hunts lint says can never match (an address used as a DNS name).
fn never_match(content: &str) -> Vec<String> {
    let o = huntlab(&["lint", content, "--json"]);
    stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|f| f["code"] == "address-as-dns-name")
        .flat_map(|f| {
            f["hunts"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|h| h.as_str().map(str::to_owned))
        })
        .collect()
}

#[test]
fn other_families_are_measured_with_proposed_scenarios() {
    let dir = temp_dir("propose");
    for name in SAMPLES {
        let (literal, hardened, scenarios) = imported(&dir, name);
        for content in [&literal, &hardened] {
            let out = dir.join("report");
            let o = huntlab(&[
                "report",
                "--content",
                content,
                "--scenarios",
                &scenarios,
                "--out",
                &s(&out),
                "--quiet",
            ]);
            assert_ne!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
            let never = never_match(content);
            for (hunt, tp) in hunts(&out) {
                assert!(
                    tp > 0 || never.contains(&hunt),
                    "{name}: {content}: hunt {hunt} alerts on no proposed scenario"
                );
            }
        }
        let sim = dir.join("sim");
        let o = huntlab(&[
            "simulate",
            "--scenarios",
            &scenarios,
            "--content",
            &literal,
            "--out",
            &s(&sim),
            "--quiet",
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        for file in std::fs::read_dir(&sim).expect("simulated") {
            let text = std::fs::read_to_string(file.expect("entry").path()).expect("rows");
            let lower = text.to_ascii_lowercase();
            for v in NANOCORE {
                assert!(
                    !lower.contains(&v.to_ascii_lowercase()),
                    "{name}: a simulated row names {v}"
                );
            }
        }
        let o = huntlab(&["compare", &literal, &hardened, "--scenarios", &scenarios]);
        assert_ne!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stdout(&o).contains("better"),
            "{name}: no proposed scenario tells the readings apart:\n{}",
            stdout(&o)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn another_familys_content_against_the_builtin_library_is_one_message() {
    let dir = temp_dir("propose-builtin");
    let (literal, _, _) = imported(&dir, "sample-flat-remcos.txt");
    for args in [
        vec!["report", "--content", &literal, "--quiet"],
        vec!["scenarios", "--content", &literal],
    ] {
        let o = huntlab(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("scenarios --propose") && err.contains("--scenarios DIR"),
            "{err}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_mimics_are_written_and_each_exclusion_gets_the_program_it_was_written_for() {
    let dir = temp_dir("propose-seed");
    let out = dir.join("scenarios");
    let o = huntlab(&[
        "scenarios",
        "--propose",
        "--content",
        "seed",
        "--out",
        &s(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let read =
        |f: &str| std::fs::read_to_string(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    // The adversary who copies each exclusion, as `report` generates it.
    assert!(read("mimic-backup-job.toml").contains("kind = \"adversarial\""));
    // A file exclusion's program writes the file its hunt fires on, where the
    // exclusion says.
    let update = read("propose-excused-software-update.toml");
    assert!(
        update.contains(r"files = ['C:\Windows\Temp\update_package\"),
        "{update}"
    );
    assert!(
        update.contains(r"image = 'C:\Windows\System32\msiexec.exe'"),
        "{update}"
    );
    // A process exclusion's program has the hunted name at the excused path,
    // with the variety of a real fleet.
    let backup = read("propose-excused-backup-job.toml");
    assert!(
        backup.contains(r"image = 'C:\Program Files\BackupTool\nanocore.exe'"),
        "{backup}"
    );
    assert!(backup.contains("install_dir = { one_of = "), "{backup}");
    let o = huntlab(&[
        "report",
        "--content",
        "seed",
        "--scenarios",
        &s(&out),
        "--out",
        &s(&dir.join("r")),
        "--quiet",
    ]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
