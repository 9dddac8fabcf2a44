//! `huntlab explain` regressions, each named after what a new user tripped on:
//! alerts lost on custom tables, inputs that can be read only once, a closed
//! pipe, rows that cannot be joined, and notes where they change nothing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "support/spawn.rs"]
mod cli;
use cli::{stderr, Dir, BIN};

/// Run `huntlab explain ARGS` with `stdin` on its standard input.
fn run(args: &[&str], stdin: &str) -> Output {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    cli::run_with_stdin(&all, stdin)
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A Sysmon DNS row before its process's creation (newest first, as exports
/// come), whose exclusion needs the creation's company.
const NEWEST_FIRST: &str = concat!(
    r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","QueryName":"updates.estaliax.io"}"#,
    "\n",
    r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","Company":"Nanocore Imaging GmbH","ParentImage":"C:\\Windows\\explorer.exe"}"#,
    "\n",
);

#[test]
fn custom_tables_and_case_variants_alert_like_their_base_table() {
    let input = concat!(
        r#"{"Type":"DnsEvents_CL","Name":"estaliax.io"}"#,
        "\n",
        r#"{"Type":"dnsevents","Name":"a.estaliax.io"}"#,
        "\n",
        r#"{"Type":"DnsEvents_CL","Name_s":"duraktantuni.site"}"#,
        "\n",
        r#"{"Type":"DeviceEvents_CL","ActionType":"DnsQueryResponse","AdditionalFields":"{\"DnsQueryString\":\"estaliax.io\"}","InitiatingProcessFileName":"RegAsm.exe"}"#,
        "\n",
        r#"{"Type":"SysmonEvents","EventID":22,"Hostname":"ws1","ProcessGuid":"{x}","Image":"C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727\\RegAsm.exe","QueryName":"estaliax.io"}"#,
        "\n",
    );
    let out = run(&["--json"], input);
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 5);
    for r in &rows {
        assert_eq!(r["alert"], true, "{r}");
    }
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_unknown_table_carrying_a_hunted_column_is_counted_and_warned_about() {
    let input = concat!(
        r#"{"Type":"MyDnsLogs_CL","QueryName":"estaliax.io"}"#,
        "\n",
        r#"{"Type":"Syslog","SyslogMessage":"nothing hunted here"}"#,
        "\n",
    );
    let out = run(&["--json"], input);
    let rows = json_lines(&out);
    assert_eq!(rows[0]["warning"], "`QueryName` on a row no hunt reads");
    assert_eq!(rows[1]["warning"], Value::Null);
    let err = stderr(&out);
    assert!(
        err.contains("warning: <stdin>: 1 row(s) no hunt reads carry a value hunts look for, and were not judged (first: line 1"),
        "{err}"
    );
    assert_eq!(out.status.code(), Some(1), "a row not judged is not clean");
}

/// Rows naming a C2 domain of the content on the network tables: a Defender
/// connection (with its table named, and without: told by its action type),
/// Sysmon event 3, and a `DeviceEvents` action no hunt reads, with a URL.
const C2_NAME_ON_NETWORK_ROWS: &str = concat!(
    r#"{"Type":"DeviceNetworkEvents","DeviceName":"ws1","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.7","RemotePort":443,"RemoteUrl":"estaliax.io"}"#,
    "\n",
    r#"{"DeviceName":"ws1","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.7","RemotePort":443,"RemoteUrl":"https://a.estaliax.io/gate.php"}"#,
    "\n",
    r#"{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","DestinationIp":"198.51.100.7","DestinationPort":443,"DestinationHostname":"estaliax.io"}"#,
    "\n",
    r#"{"DeviceName":"ws1","ActionType":"BrowserLaunchedToOpenUrl","RemoteUrl":"https://estaliax.io/"}"#,
    "\n",
);

/// The built-in content's network hunt alerts on a C2 name in
/// `DeviceNetworkEvents.RemoteUrl` and Sysmon 3 `DestinationHostname` (saying
/// the latter is Sysmon's reverse lookup); a row of a kind no hunt reads
/// carrying it is counted as not judged.
#[test]
fn a_c2_name_in_a_network_row_alerts_under_the_built_in_content() {
    let out = run(&["--json"], C2_NAME_ON_NETWORK_ROWS);
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 4, "{}", stderr(&out));
    for r in &rows[..3] {
        assert_eq!(r["alert"], true, "{r}");
        assert_eq!(
            r["hunts"],
            serde_json::json!(["nanocore-c2-name-network"]),
            "{r}"
        );
    }
    let how: Vec<&Value> = rows[..3]
        .iter()
        .map(|r| &r["matches"][0]["matched"][0]["match_kind"])
        .collect();
    assert_eq!(
        how,
        ["domain", "domain", "domain_reverse_lookup"],
        "{rows:?}"
    );
    assert_eq!(rows[3]["alert"], false);
    assert_eq!(rows[3]["warning"], "`RemoteUrl` on a row no hunt reads");
    assert!(
        stderr(&out).contains("1 row(s) no hunt reads"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(1));
}

/// The same rows under a content whose hunts read DNS, process and file rows
/// only: never "no hunt fired" with exit 0.
#[test]
fn a_c2_name_in_a_network_row_no_hunt_reads_is_not_judged() {
    let dir = Dir::new("dns-only");
    let content = dir.file("dns-only.toml", &without_network_hunt());
    let out = run(
        &["--json", "--content", path_str(&content)],
        C2_NAME_ON_NETWORK_ROWS,
    );
    let rows = json_lines(&out);
    let warnings: Vec<&Value> = rows.iter().map(|r| &r["warning"]).collect();
    assert_eq!(
        warnings,
        [
            "`remote_host` on a row no hunt reads",
            // A full URL's host is the row's remote host.
            "`remote_host` on a row no hunt reads",
            "`remote_host` on a row no hunt reads",
            "`RemoteUrl` on a row no hunt reads"
        ]
    );
    assert!(
        stderr(&out).contains("4 row(s) no hunt reads"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(1));
}

/// The seed content without its hunt on network rows.
fn without_network_hunt() -> String {
    let seed = detections::content::NANOCORE_TOML;
    let start = seed
        .find("[[hunts]]\nid = \"nanocore-c2-name-network\"")
        .expect("the seed's network hunt");
    let end = start
        + seed[start..]
            .find("\n# ---")
            .expect("the exclusions follow");
    format!("{}{}", &seed[..start], &seed[end + 1..])
}

/// `explain` on a path that can be read only once gives what it gives on a file.
fn assert_reads_like_a_file(out: &Output) {
    let rows = json_lines(out);
    assert_eq!(rows.len(), 2, "{}", stderr(out));
    assert_eq!(rows[0]["process_joined"], true, "{}", rows[0]);
    assert_eq!(rows[0]["suppressed_by"], "name-collision");
    assert!(stderr(out).contains("2 line(s)"), "{}", stderr(out));
}

#[test]
fn dev_stdin_is_read_whole_and_joined_in_any_order() {
    assert_reads_like_a_file(&run(&["--json", "/dev/stdin"], NEWEST_FIRST));
}

#[test]
fn a_process_substitution_is_read_whole_and_joined_in_any_order() {
    let dir = Dir::new("procsub");
    let f = dir.file("in.jsonl", NEWEST_FIRST);
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("'{BIN}' explain --json <(cat '{}')", path_str(&f)))
        .output()
        .expect("bash runs");
    assert_reads_like_a_file(&out);
}

#[test]
fn a_fifo_is_read_whole_and_joined_in_any_order() {
    let dir = Dir::new("fifo");
    let fifo = dir.0.join("in.fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, NEWEST_FIRST).expect("write fifo"))
    };
    let out = run(&["--json", path_str(&fifo)], "");
    writer.join().expect("writer ends");
    assert_reads_like_a_file(&out);
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = Dir::new("head");
    let line = r#"{"Type":"DnsEvents","Computer":"dns01","Name":"www.example.com"}"#;
    let big = format!("{line}\n").repeat(200_000);
    let f = dir.file("big.jsonl", &big);
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{BIN}' explain '{}' | head -n 1 >/dev/null; echo \"status ${{PIPESTATUS[0]}}\"",
            path_str(&f)
        ))
        .output()
        .expect("bash runs");
    let err = stderr(&out);
    assert!(!err.contains("Broken pipe"), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "status 0");
}

/// Standard error whose reader is gone (`huntlab explain FILE 2>&1 >/dev/null
/// | head -0`). Every message ends quietly and the exit status is
/// the command's own, never a panic (101).
#[test]
fn a_closed_standard_error_ends_quietly_with_the_commands_own_status() {
    let dir = Dir::new("closed-stderr");
    // A rejected line, so each command has something to say on standard error.
    let f = dir.file(
        "rows.jsonl",
        "{\"Type\":\"DnsEvents\",\"Computer\":\"dns01\",\"Name\":\"estaliax.io\"}\nnot json\n",
    );
    for (args, status) in [
        (vec!["explain", path_str(&f)], 1),
        (vec!["scan", path_str(&f)], 1),
        (
            vec!["export", "--format", "sigma", "--rule-frequency", "1h"],
            0,
        ),
        (vec!["scan", "--no-such-flag"], 2),
    ] {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(BIN)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::from(writer))
            .output()
            .expect("huntlab runs");
        assert_eq!(out.status.code(), Some(status), "{args:?}");
    }
}

#[test]
fn a_sysmon_row_without_a_process_guid_says_it_was_not_joined() {
    let input = concat!(
        r#"{"EventID":22,"Hostname":"ws1","Image":"C:\\Users\\u\\AppData\\Roaming\\x\\nanocore.exe","QueryName":"estaliax.io"}"#,
        "\n",
    );
    let out = run(&["--json"], input);
    let rows = json_lines(&out);
    assert_eq!(rows[0]["process_joined"], false, "{}", rows[0]);
    assert!(
        stderr(&out).contains("1 Sysmon DNS or file row(s) a hunt fired on carry no ProcessGuid"),
        "{}",
        stderr(&out)
    );
    let text = run(&[], input);
    assert!(String::from_utf8_lossy(&text.stdout).contains("carries no ProcessGuid"));
}

#[test]
fn the_unjoined_note_is_given_only_where_a_hunt_fired() {
    let input = concat!(
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{q}","Image":"C:\\Windows\\System32\\svchost.exe","QueryName":"www.example.com"}"#,
        "\n",
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{r}","Image":"C:\\x\\RegAsm.exe","QueryName":"estaliax.io"}"#,
        "\n",
    );
    let out = run(&[], input);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        text.matches("note: this process's creation").count(),
        1,
        "{text}"
    );
    let line2 = text.split("line 2:").nth(1).expect("line 2 shown");
    assert!(line2.contains("note: this process's creation"), "{text}");
    assert!(stderr(&out).contains("1 Sysmon DNS or file row(s) name a process"));
    // Both rows are still marked in JSON.
    let rows = json_lines(&run(&["--json"], input));
    assert_eq!(rows[0]["process_joined"], false);
    assert_eq!(rows[1]["process_joined"], false);
}

#[test]
fn text_output_shows_windows_paths_as_they_are() {
    let input = concat!(
        r#"{"Type":"DeviceProcessEvents","ActionType":"ProcessCreated","FileName":"nanocore.exe","FolderPath":"C:\\Backup\\nanocore.exe","ProcessCommandLine":"nanocore.exe /backup"}"#,
        "\n",
    );
    let text = String::from_utf8(run(&[], input).stdout).expect("utf-8");
    assert!(
        text.contains(r#"process "C:\Backup\nanocore.exe""#),
        "{text}"
    );
    assert!(!text.contains(r"\\"), "no doubled backslashes: {text}");
}

#[test]
fn invalid_utf8_names_the_byte_as_people_count() {
    let mut child = Command::new(BIN)
        .args(["explain", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"{\"Name\":\"\xff\"}\n")
        .expect("write");
    let out = child.wait_with_output().expect("ends");
    let rows = json_lines(&out);
    assert_eq!(
        rows[0]["error"],
        "invalid UTF-8 at byte 10 of the line (the first byte is byte 1)"
    );
}

#[test]
fn alerts_and_fired_filter_the_rows_shown() {
    let input = concat!(
        r#"{"Type":"DnsEvents","Name":"www.example.com"}"#,
        "\n",
        r#"{"Type":"DnsEvents","Name":"estaliax.io"}"#,
        "\n",
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","QueryName":"updates.estaliax.io"}"#,
        "\n",
        r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","Company":"Nanocore Imaging GmbH","ParentImage":"C:\\Windows\\explorer.exe"}"#,
        "\n",
        "not json\n",
    );
    let dir = Dir::new("filters");
    let f = dir.file("in.jsonl", input);
    let lines_of = |flag: &str| -> Vec<Value> {
        json_lines(&run(&["--json", flag, path_str(&f)], ""))
            .iter()
            .map(|r| r["line"].clone())
            .collect()
    };
    // Lines 3 (joined to line 4) and 4 (the tool's own creation: the artifact
    // hunt) are suppressed by name-collision; the rejected line 5 is always shown.
    assert_eq!(lines_of("--alerts"), [2, 5]);
    assert_eq!(lines_of("--fired"), [2, 3, 4, 5]);
}

/// A Sysmon lookup of the C2 stored in Sentinel's `Event` table (the XML in
/// `EventData`), as `docs/inputs.md` shows it.
const EVENT_TABLE_ROW: &str = r#"{"TimeGenerated":"2026-05-21T10:10:00Z","Source":"Microsoft-Windows-Sysmon","EventLog":"Microsoft-Windows-Sysmon/Operational","Computer":"ws2.corp.local","EventID":22,"Type":"Event","EventData":"<DataItem type=\"System.XmlData\"><EventData xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><Data Name=\"ProcessGuid\">{6c1e0b5a-1111-6650-0000-0010aabbccdd}</Data><Data Name=\"QueryName\">estaliax.io</Data><Data Name=\"Image\">C:\\Users\\bob\\AppData\\Local\\Temp\\RegSvc.exe</Data></EventData></DataItem>"}"#;

/// `explain` read only JSON Lines: an `Event`-table row was "other table, no
/// hunted field" while `scan` alerted on it. Both now read through the same
/// readers, so they agree on it, and on CSV and EVTX inputs.
#[test]
fn explain_reads_event_table_rows_as_scan_does() {
    let out = run(&["--json"], &format!("{EVENT_TABLE_ROW}\n"));
    let v = json_lines(&out);
    assert_eq!(v.len(), 1, "{}", stderr(&out));
    assert_eq!(v[0]["alert"], true, "{}", v[0]);
    assert_eq!(v[0]["source"], "Sysmon 22 (DnsQuery)");
    let scan = cli::run_with_stdin(&["scan", "--json"], format!("{EVENT_TABLE_ROW}\n"));
    assert_eq!(scan.status.code(), Some(1), "scan alerts too");

    // A CSV export of DnsEvents reads the same way.
    let csv = "TimeGenerated,Computer,Name,QueryType\n2026-05-21T10:00:00Z,dns01,a.estaliax.io,A\n";
    let v = json_lines(&run(&["--json"], csv));
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0]["line"].as_u64(), v[0]["alert"].as_bool()),
        (Some(2), Some(true))
    );
}
