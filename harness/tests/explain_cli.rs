//! `huntlab explain` end to end: the semantics document's vectors, process rows of
//! every documented scenario, errors per line, and the exit status.

#[path = "support/spawn.rs"]
mod spawn;

use serde_json::Value;

fn explain(input: &str, extra: &[&str]) -> (Vec<Value>, String, i32) {
    let mut args = vec!["explain", "--json"];
    args.extend_from_slice(extra);
    let out = spawn::run_with_stdin(&args, input);
    let lines = String::from_utf8(out.stdout)
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn semantics_document_vectors() {
    let vectors = [
        ("estaliax.io", true),
        ("a.estaliax.io", true),
        ("ESTALIAX.IO", true),
        ("estaliax.io.", true),
        ("xestaliax.io", false),
        ("estaliax.iox", false),
        ("estaliax.io.example.net", true),
        ("estaliax.io-cdn.net", true),
        ("login.estaliax.io:443", true),
        ("_ldap._tcp.estaliax.io", true),
        ("estaliax_io", false),
        ("", false),
    ];
    let input: String = vectors
        .iter()
        .map(|(name, _)| {
            format!(
                "{}\n",
                serde_json::json!({ "Type": "DnsEvents", "Computer": "dns01", "Name": name })
            )
        })
        .collect();
    let (out, _, code) = explain(&input, &[]);
    assert_eq!(code, 0);
    assert_eq!(out.len(), vectors.len());
    for (i, ((name, has), v)) in vectors.iter().zip(&out).enumerate() {
        assert_eq!(v["line"], i as u64 + 1);
        assert_eq!(v["alert"], *has, "{name:?}: {v}");
        let hunts = if *has {
            serde_json::json!(["nanocore-c2-dns"])
        } else {
            serde_json::json!([])
        };
        assert_eq!(v["hunts"], hunts, "{name:?}");
        assert_eq!(v["suppressed_by"], Value::Null);
        if *has {
            // Server-side DNS: every exclusion is not evaluable, the alert stands.
            for x in v["exclusions"].as_array().expect("exclusions") {
                assert_eq!(x["outcome"], "not_evaluable", "{x}");
            }
        }
    }
}

/// (name, row, alert, suppressed_by)
fn scenario_rows() -> Vec<(&'static str, Value, bool, Option<&'static str>)> {
    use serde_json::json;
    vec![
        (
            "backup job",
            json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": "{a1}", "Image": "C:\\Program Files\\BackupTool\\nanocore.exe", "CommandLine": "nanocore.exe --archive C:\\Windows\\System32\\config", "ParentImage": "C:\\Windows\\System32\\schtasks.exe", "ParentCommandLine": "schtasks.exe /run /tn \"Nightly Backup\""}),
            false,
            Some("backup-job"),
        ),
        (
            "network diagnostics",
            json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": "{a2}", "Image": "C:\\Tools\\nanocore.exe", "CommandLine": "nanocore.exe netstat -ano", "ParentImage": "C:\\Windows\\System32\\cmd.exe"}),
            false,
            Some("network-diagnostics"),
        ),
        (
            "software update (Defender)",
            json!({"Type": "DeviceFileEvents", "ActionType": "FileCreated", "DeviceName": "ws1", "FileName": "nanocore.dll", "FolderPath": "C:\\Windows\\Temp\\update_package\\nanocore.dll", "InitiatingProcessFileName": "msiexec.exe", "InitiatingProcessFolderPath": "C:\\Windows\\System32\\msiexec.exe"}),
            false,
            Some("software-update"),
        ),
        (
            "log cleanup",
            json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": "{a4}", "Image": "C:\\Tools\\nanocore.exe", "CommandLine": "nanocore.exe /clean /logs", "ParentImage": "C:\\Windows\\explorer.exe"}),
            false,
            Some("log-cleanup"),
        ),
        (
            "name collision (Defender)",
            json!({"Type": "DeviceProcessEvents", "ActionType": "ProcessCreated", "DeviceName": "ws1", "FileName": "NanoCore-Studio.exe", "FolderPath": "C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe", "ProcessCommandLine": "\"NanoCore-Studio.exe\"", "ProcessVersionInfoCompanyName": "Nanocore Imaging GmbH", "InitiatingProcessFileName": "explorer.exe"}),
            false,
            Some("name-collision"),
        ),
        (
            "implant under another name still alerts on its C2 lookup",
            json!({"EventID": 22, "Hostname": "ws1", "ProcessGuid": "{a9}", "Image": "C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727\\RegAsm.exe", "QueryName": "ESTALIAX.IO."}),
            true,
            None,
        ),
        (
            "nanocore.exe with no exclusion evidence alerts",
            json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": "{b1}", "Image": "C:\\Users\\a\\AppData\\Roaming\\nanocore.exe", "ParentImage": "C:\\Windows\\explorer.exe"}),
            true,
            None,
        ),
    ]
}

#[test]
fn process_rows_of_every_documented_scenario() {
    let rows = scenario_rows();
    let input: String = rows.iter().map(|(_, r, ..)| format!("{r}\n")).collect();
    let (out, _, code) = explain(&input, &[]);
    assert_eq!(code, 0);
    for ((name, _, alert, by), v) in rows.iter().zip(&out) {
        assert_eq!(v["alert"], *alert, "{name}: {v}");
        assert_eq!(
            v["suppressed_by"],
            by.map_or(Value::Null, Value::from),
            "{name}: {v}"
        );
        assert!(
            !v["hunts"].as_array().expect("hunts").is_empty(),
            "{name}: a hunt fires before exclusions"
        );
    }
}

#[test]
fn sysmon_dns_row_is_judged_with_its_process_from_event_1() {
    let input = concat!(
        r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{c1}","Image":"C:\\Tools\\nanocore.exe","CommandLine":"nanocore.exe --nmap 10.0.0.0/24","ParentImage":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"}"#,
        "\n",
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{c1}","Image":"C:\\Tools\\nanocore.exe","QueryName":"c2.estaliax.io"}"#,
        "\n",
    );
    let (out, _, _) = explain(input, &[]);
    assert_eq!(out[1]["hunts"], serde_json::json!(["nanocore-c2-dns"]));
    assert_eq!(out[1]["suppressed_by"], "network-diagnostics");
    assert_eq!(out[1]["alert"], false);
}

#[test]
fn bad_lines_get_an_error_object_and_the_run_goes_on() {
    let input = "{\"Name\": 5}\nnot json\n\n{\"foo\": 1}\n{\"Name\":\"estaliax.io\"}\n";
    let (out, stderr, code) = explain(input, &[]);
    assert_eq!(code, 1, "a failed line makes the exit status 1");
    assert_eq!(
        out.len(),
        4,
        "the blank line is counted, not explained: {out:?}"
    );
    assert_eq!(out[0]["line"], 1);
    assert_eq!(
        out[0]["error"],
        "field `Name`: expected a string, found a number"
    );
    assert_eq!(out[1]["line"], 2);
    assert_eq!(out[1]["error"], "invalid JSON: expected ident at column 2");
    assert_eq!(out[2]["line"], 4);
    assert!(out[2]["error"]
        .as_str()
        .expect("error")
        .contains("unknown row shape"));
    assert_eq!(out[3]["line"], 5);
    assert_eq!(out[3]["alert"], true);
    assert!(
        stderr.contains(
            "5 line(s): 1 alert(s), 0 suppressed, 0 with no hunt firing, 3 rejected, 1 blank"
        ),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_and_huge_lines_are_errors_not_panics() {
    // The first line is JSON, so the input reads as JSON Lines (the format is
    // told from the content, as `scan` tells it).
    let mut input = b"{\"Name\":\"first.example\"}\n\xff\xfe{}\n".to_vec();
    input.extend(std::iter::repeat_n(b'a', (1 << 20) + 10));
    input.extend(b"\n{\"Name\":\"ok.example\"}\n");
    let out = spawn::run_with_stdin(&["explain", "--json"], &input);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let v: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v[0]["alert"], false);
    assert!(v[1]["error"].as_str().expect("e").contains("invalid UTF-8"));
    assert_eq!(v[2]["line"], 3);
    assert!(
        v[2]["error"].as_str().expect("e").contains("longer than"),
        "{}",
        v[2]
    );
    assert_eq!(v[3]["alert"], false);
}

#[test]
fn text_output_names_hunt_ioc_and_exclusion() {
    let out = spawn::run_with_stdin(&["explain", "-"], b"{\"Name\":\"a.duraktantuni.site\"}\n");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("line 1: ALERT"), "{text}");
    assert!(text.contains("hunt nanocore-c2-dns fired: query_name \"a.duraktantuni.site\" has_any \"duraktantuni.site\""), "{text}");
    assert!(
        text.contains("exclusion backup-job: not evaluable"),
        "{text}"
    );
}

const NEWEST_FIRST: &str = concat!(
    r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","QueryName":"updates.estaliax.io"}"#,
    "\n",
    r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","Company":"Nanocore Imaging GmbH","ParentImage":"C:\\Windows\\explorer.exe"}"#,
    "\n",
);

#[test]
fn a_file_is_joined_whatever_its_row_order() {
    let path =
        std::env::temp_dir().join(format!("huntlab-newest-first-{}.jsonl", std::process::id()));
    std::fs::write(&path, NEWEST_FIRST).expect("write");
    let (out, _, _) = explain("", &[path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out[0]["process_joined"], true);
    assert_eq!(out[0]["suppressed_by"], "name-collision", "{}", out[0]);
}

#[test]
fn standard_input_read_once_says_when_a_process_was_not_seen() {
    let (out, stderr, _) = explain(NEWEST_FIRST, &[]);
    assert_eq!(out[0]["process_joined"], false);
    assert_eq!(out[0]["alert"], true, "absent evidence never suppresses");
    assert!(stderr.contains("1 Sysmon DNS or file row(s) name a process whose creation (event 1) was not seen before them"), "{stderr}");
}

#[test]
fn unknown_tables_are_not_read_as_dns_and_a_bom_is_not_data() {
    let input = "\u{feff}{\"Type\":\"SecurityEvent\",\"Name\":\"estaliax.io\"}\n{\"Type\":\"Syslog\",\"Name\":\"estaliax.io\"}\n";
    let (out, stderr, code) = explain(input, &[]);
    // Not read as DNS, and not passed as clean either: both carry `Name`, a
    // column hunts read, so neither is judged (exit 1, as `scan`).
    assert_eq!(code, 1);
    assert!(stderr.contains("2 row(s) no hunt reads"), "{stderr}");
    for (v, source) in out.iter().zip(["SecurityEvent", "other table"]) {
        assert_eq!(v["source"], source, "{v}");
        assert_eq!(v["alert"], false);
    }
}

#[test]
fn content_whose_examples_fail_is_refused() {
    let content = detections::content::NANOCORE_TOML.replace(
        "name = \"the IOC itself\"\nexpect = \"fires\"\nrow = { Type = \"DnsEvents\", Name = \"estaliax.io\" }",
        "name = \"the IOC itself\"\nexpect = \"fires\"\nrow = { Type = \"DnsEvents\", Name = \"example.com\" }",
    );
    assert_ne!(content, detections::content::NANOCORE_TOML);
    let path =
        std::env::temp_dir().join(format!("huntlab-bad-content-{}.toml", std::process::id()));
    std::fs::write(&path, content).expect("write");
    let (out, stderr, code) = explain(
        "{\"Name\":\"x.io\"}\n",
        &["--content", path.to_str().expect("utf-8")],
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        stderr.contains("hunt nanocore-c2-dns: example \"the IOC itself\""),
        "{stderr}"
    );
}
