//! Process trees as Windows builds them, over the whole library: no process is a
//! child of `schtasks.exe` (it only asks the Task Scheduler service), so no row a
//! hunt fires on has a `schtasks.exe` parent (the literal reading of
//! `backup-job`'s second branch is inert); and the same process and the same
//! file carry the same PID, GUID, creation time and hashes in every row and
//! table that names them.

mod common;

use std::collections::BTreeMap;

use detections::{Field, Kind};
use serde_json::Value;
use simulator::{Options, Table};

fn s<'a>(row: &'a simulator::Row, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}

fn n(row: &simulator::Row, key: &str) -> i64 {
    row.get(key).and_then(Value::as_i64).unwrap_or(-1)
}

fn basename(path: &str) -> String {
    path.rsplit('\\')
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase()
}

#[test]
fn no_process_is_a_child_of_schtasks_and_no_fired_row_has_that_parent() {
    let det = common::detection();
    for seed in [0, 1] {
        for sc in common::library() {
            for j in common::judge(&det, &sc, &Options::default().with_rng_seed(seed)) {
                let row = &j.rec.row;
                for parent in [
                    basename(s(row, "ParentImage")),
                    basename(s(row, "InitiatingProcessParentFileName")),
                ] {
                    assert_ne!(parent, "schtasks.exe", "{}: {row:?}", sc.id);
                }
                if j.rec.table == Table::DeviceProcessEvents {
                    assert_ne!(
                        basename(s(row, "InitiatingProcessFileName")),
                        "schtasks.exe",
                        "{}: {row:?}",
                        sc.id
                    );
                }
                if j.d.fired != 0 {
                    let parent = j.ev.field(Field::ParentImageName).unwrap_or("");
                    assert!(
                        !parent.eq_ignore_ascii_case("schtasks.exe"),
                        "{}: a fired row with a schtasks.exe parent: {row:?}",
                        sc.id
                    );
                }
            }
        }
    }
}

#[test]
fn processes_and_files_are_the_same_in_every_row_that_names_them() {
    let lib = simulator::builtin().expect("library parses");
    // Sysmon: (host, GUID) -> (PID, image) from event 1.
    let mut sysmon: BTreeMap<(String, String), (i64, String)> = BTreeMap::new();
    // Defender: (device, PID, creation time) -> (file name, SHA1) from process rows.
    let mut defender: BTreeMap<(String, i64, String), (String, String)> = BTreeMap::new();
    // Defender: (device, path) -> SHA1 from file rows.
    let mut files: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut checked = [0u64; 4];
    for rec in simulator::generate_all(&lib, &Options::default()) {
        let r = &rec.row;
        match rec.table {
            Table::SysmonEvents => {
                let host = s(r, "Hostname").to_owned();
                let me = (n(r, "ProcessId"), s(r, "Image").to_owned());
                let key = (host.clone(), s(r, "ProcessGuid").to_owned());
                if n(r, "EventID") == 1 {
                    let parent = (host, s(r, "ParentProcessGuid").to_owned());
                    if let Some(p) = sysmon.get(&parent) {
                        assert_eq!(
                            (n(r, "ParentProcessId"), s(r, "ParentImage").to_owned()),
                            *p,
                            "{r:?}"
                        );
                        checked[0] += 1;
                    }
                    assert!(sysmon.insert(key, me).is_none(), "a GUID reused: {r:?}");
                } else if let Some(p) = sysmon.get(&key) {
                    assert_eq!(me, *p, "{r:?}");
                    checked[1] += 1;
                }
            }
            Table::DeviceProcessEvents | Table::DeviceFileEvents | Table::DeviceEvents => {
                let device = s(r, "DeviceName").to_owned();
                let initiating = (
                    device.clone(),
                    n(r, "InitiatingProcessId"),
                    s(r, "InitiatingProcessCreationTime").to_owned(),
                );
                if let Some(p) = defender.get(&initiating) {
                    let seen = (
                        s(r, "InitiatingProcessFileName").to_owned(),
                        s(r, "InitiatingProcessSHA1").to_owned(),
                    );
                    assert_eq!(seen, *p, "{r:?}");
                    checked[2] += 1;
                }
                let path = (device.clone(), s(r, "FolderPath").to_ascii_lowercase());
                match rec.table {
                    Table::DeviceProcessEvents => {
                        let me = (
                            device,
                            n(r, "ProcessId"),
                            s(r, "ProcessCreationTime").to_owned(),
                        );
                        let file = (s(r, "FileName").to_owned(), s(r, "SHA1").to_owned());
                        if let Some(sha1) = files.get(&path) {
                            assert_eq!(&file.1, sha1, "the file that runs: {r:?}");
                            checked[3] += 1;
                        }
                        defender.insert(me, file);
                    }
                    Table::DeviceFileEvents => {
                        files.insert(path, s(r, "SHA1").to_owned());
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert!(
        checked.iter().all(|&c| c > 0),
        "each consistency was checked on some rows: {checked:?}"
    );
}

#[test]
fn task_actions_run_under_the_schedule_service_or_taskeng() {
    let det = common::detection();
    let mut actions = 0;
    for sc in common::library() {
        for j in common::judge(&det, &sc, &Options::default()) {
            if j.ev.kind() == Kind::Process && j.ev.field(Field::TaskName).is_some() {
                let parent =
                    j.ev.field(Field::ParentImageName)
                        .unwrap_or("")
                        .to_ascii_lowercase();
                let cmd = j.ev.field(Field::ParentCommandLine).unwrap_or("");
                // A task's action started by hand (the implant's first run, an
                // admin's run) has another parent; every other has the service's.
                if parent == "svchost.exe" || parent == "taskeng.exe" {
                    assert!(
                        parent == "taskeng.exe" || cmd.contains("-k netsvcs"),
                        "{}: {:?}",
                        sc.id,
                        j.rec.row
                    );
                    actions += 1;
                }
            }
        }
    }
    assert!(actions > 20, "{actions} task runs");
}
