//! What each `huntlab scan` hit carries for an analyst to act on: the acting
//! process (from the row, or from its creation through the process join), the
//! account, the client's address, and for a firewall's or proxy's row the
//! endpoint as host and the appliance as device; the same in JSON Lines, CSV
//! and the table, each escaped for its format.

#[path = "support/spawn.rs"]
mod spawn;

use serde_json::{json, Value};
use spawn::{run_with_stdin, stderr, Dir};

/// A content file hunting the seed's C2 domain on DNS rows and a C2 address
/// on network rows, with no exclusion.
const CONTENT: &str = r#"
id = "hits-test"
title = "C2 lookups and connections"
description = "A test content."
source = "test"

[[iocs]]
type = "domain"
value = "estaliax.io"
threat_type = "botnet_cc"
first_seen = "2026-05-21"
malware_family = "Nanocore RAT"
source = "test"

[[iocs]]
type = "ipv4"
value = "203.0.113.9"
threat_type = "botnet_cc"
first_seen = "2026-05-21"
malware_family = "Nanocore RAT"
source = "test"

[[hunts]]
id = "c2-dns"
title = "C2 lookup"
description = "A lookup of the C2 domain."
origin = "seed"
reads = ["dns"]
when = { field = "query_name", op = "has_any", values_from = "iocs.domain" }

[[hunts]]
id = "c2-connection"
title = "C2 connection"
description = "A connection to the C2 address."
origin = "seed"
reads = ["network"]
when = { field = "remote_ip", op = "in", values_from = "iocs.ipv4" }
"#;

/// A command line an attacker chose: a spreadsheet formula, a terminal
/// escape, a bell, a carriage return and a line feed.
const HOSTILE: &str = "=cmd|' /C calc'!A0 \u{1b}[31mred\u{7}\r\nnext";

/// `huntlab scan --content CONTENT --output OUTPUT` over `rows`, one JSON
/// object a line.
fn scan(dir: &Dir, output: &str, rows: &[Value]) -> String {
    let content = dir.file("content.toml", CONTENT);
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let out = run_with_stdin(
        &[
            "scan",
            "--quiet",
            "--content",
            content.to_str().expect("utf-8"),
            "--output",
            output,
        ],
        text,
    );
    assert_eq!(out.status.code(), Some(1), "alerts: {}", stderr(&out));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn jsonl(dir: &Dir, rows: &[Value]) -> Vec<Value> {
    scan(dir, "jsonl", rows)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// A DNS server's row, a Sysmon 22 row before its process's creation, a
/// Defender connection, and a firewall's rows (one from an address a
/// heartbeat named, one from an address none did).
fn rows() -> Vec<Value> {
    vec![
        json!({"Type": "DnsEvents", "Computer": "dns01", "ClientIP": "10.1.2.3", "Name": "a.estaliax.io"}),
        json!({"EventID": 22, "Hostname": "ws1", "ProcessGuid": "{A}", "Image": "C:\\Temp\\a.exe", "QueryName": "estaliax.io"}),
        json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": "{A}", "Image": "C:\\Temp\\a.exe",
               "CommandLine": "a.exe /quiet", "ParentImage": "C:\\Windows\\explorer.exe",
               "ParentCommandLine": "explorer.exe", "User": "CORP\\alice"}),
        json!({"Type": "DeviceNetworkEvents", "DeviceName": "ws2", "ActionType": "ConnectionSuccess",
               "RemoteIP": "203.0.113.9", "RemotePort": 443,
               "InitiatingProcessFolderPath": "C:\\Users\\bob\\AppData\\b.exe",
               "InitiatingProcessCommandLine": "b.exe -connect",
               "InitiatingProcessParentFileName": "cmd.exe",
               "InitiatingProcessAccountName": "bob"}),
        json!({"Type": "Heartbeat", "Computer": "ws3.corp.example", "ComputerPrivateIPs": ["10.1.2.3"]}),
        json!({"Type": "CommonSecurityLog", "Computer": "fw01", "DeviceVendor": "Palo Alto Networks",
               "SourceIP": "10.1.2.3", "DestinationIP": "203.0.113.9", "DestinationPort": 443,
               "SourceUserName": "carol"}),
        json!({"Type": "CommonSecurityLog", "Computer": "fw01", "SourceIP": "10.9.9.9",
               "DestinationIP": "203.0.113.9"}),
    ]
}

fn by_source<'a>(hits: &'a [Value], source: &str) -> Vec<&'a Value> {
    hits.iter().filter(|h| h["source"] == source).collect()
}

#[test]
fn json_hits_carry_process_user_client_and_device() {
    let dir = Dir::new("scan-hits-json");
    let hits = jsonl(&dir, &rows());
    assert_eq!(hits.len(), 5, "{hits:#?}");

    let dns = by_source(&hits, "DnsEvents")[0];
    assert_eq!(
        dns["host"], "dns01",
        "the DNS server's row names the server"
    );
    assert_eq!(dns["client_ip"], "10.1.2.3");
    assert_eq!(dns["device"], Value::Null);
    assert_eq!(dns["process"], Value::Null, "a DNS server's row names none");
    assert_eq!(dns["user"], Value::Null);

    // The query came before its process's creation: it waited for it, and
    // carries the creation's command line, parent and account.
    let sysmon = by_source(&hits, "Sysmon 22 (DnsQuery)")[0];
    assert_eq!(sysmon["process_joined"], true);
    assert_eq!(
        sysmon["process"],
        json!({"image": "C:\\Temp\\a.exe", "command_line": "a.exe /quiet",
               "parent_image": "C:\\Windows\\explorer.exe", "parent_command_line": "explorer.exe"})
    );
    assert_eq!(sysmon["user"], "CORP\\alice");
    assert_eq!(sysmon["client_ip"], Value::Null);
    assert_eq!(sysmon["matches"][0]["matched"][0]["match_kind"], "domain");
    assert_eq!(
        sysmon["ioc"]["value"],
        Value::Null,
        "no feed: no feed entry"
    );

    let dne = by_source(&hits, "DeviceNetworkEvents")[0];
    assert_eq!(dne["host"], "ws2");
    assert_eq!(
        dne["process"],
        json!({"image": "C:\\Users\\bob\\AppData\\b.exe", "command_line": "b.exe -connect",
               "parent_image": "cmd.exe", "parent_command_line": null})
    );
    assert_eq!(dne["user"], "bob");
    assert_eq!(dne["device"], Value::Null);

    // A firewall's row: the endpoint is the host the heartbeat named for its
    // source address, else the address; the firewall is the device.
    let csl = by_source(&hits, "CommonSecurityLog");
    assert_eq!(csl.len(), 2);
    assert_eq!(csl[0]["host"], "ws3.corp.example");
    assert_eq!(csl[0]["client_ip"], "10.1.2.3");
    assert_eq!(csl[0]["device"], "fw01");
    assert_eq!(csl[0]["user"], "carol");
    assert_eq!(
        csl[0]["process"],
        Value::Null,
        "an account alone is no process"
    );
    assert_eq!(csl[1]["host"], "10.9.9.9", "an address no host reported");
    assert_eq!(csl[1]["client_ip"], "10.9.9.9");
    assert_eq!(csl[1]["device"], "fw01");
    assert_eq!(csl[1]["user"], Value::Null);
}

#[test]
fn csv_and_table_carry_the_same_appended_and_indented() {
    let dir = Dir::new("scan-hits-text");
    let csv = scan(&dir, "csv", &rows());
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    // The earlier columns hold their places; the new ones follow.
    assert_eq!(header[..4], ["input", "position", "time", "host"]);
    assert_eq!(header[14], "exclusions");
    assert_eq!(
        header[15..],
        [
            "client_ip",
            "device",
            "user",
            "image",
            "command_line",
            "parent_image",
            "parent_command_line"
        ]
    );
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.expect("reads")).collect();
    assert_eq!(recs.len(), 5);
    let col = |rec: &csv::StringRecord, name: &str| -> String {
        let i = header.iter().position(|h| h == name).expect(name);
        rec[i].to_owned()
    };
    let sysmon = recs
        .iter()
        .find(|x| col(x, "source") == "Sysmon 22 (DnsQuery)")
        .expect("the Sysmon hit");
    assert_eq!(col(sysmon, "command_line"), "a.exe /quiet");
    assert_eq!(col(sysmon, "parent_image"), "C:\\Windows\\explorer.exe");
    assert_eq!(col(sysmon, "user"), "CORP\\alice");
    assert_eq!(col(sysmon, "client_ip"), "");
    let fw = recs
        .iter()
        .find(|x| col(x, "source") == "CommonSecurityLog")
        .expect("a firewall hit");
    assert_eq!(
        [col(fw, "host"), col(fw, "client_ip"), col(fw, "device")],
        ["ws3.corp.example", "10.1.2.3", "fw01"]
    );
    assert_eq!(col(fw, "image"), "");

    let table = scan(&dir, "table", &rows());
    let lines: Vec<&str> = table.lines().collect();
    let at = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("{prefix}: {table}"))
    };
    let s = at("<stdin>: line 2 ");
    assert!(lines[s].contains("  ws1  Sysmon 22 (DnsQuery)"), "{table}");
    let block = &lines[s + 1..];
    assert!(
        block.contains(
            &r#"    process: C:\Temp\a.exe "a.exe /quiet" (parent C:\Windows\explorer.exe "explorer.exe")"#
        ),
        "{table}"
    );
    assert!(block.contains(&r"    user: CORP\alice"), "{table}");
    let f = at("<stdin>: line 6 ");
    assert!(
        lines[f].contains("  ws3.corp.example  CommonSecurityLog"),
        "{table}"
    );
    assert_eq!(
        lines[f + 2..f + 5],
        [
            "    user: carol",
            "    client: 10.1.2.3",
            "    device: fw01"
        ],
        "{table}"
    );
    assert!(!lines[f + 1].contains("process:"), "{table}");
}

#[test]
fn hostile_process_and_account_strings_are_escaped_for_each_format() {
    let dir = Dir::new("scan-hits-hostile");
    let rows = vec![
        json!({"EventID": 1, "Hostname": "ws1", "ProcessGuid": "{H}", "Image": "C:\\Temp\\h.exe",
               "CommandLine": HOSTILE, "ParentImage": HOSTILE, "User": HOSTILE}),
        json!({"EventID": 22, "Hostname": "ws1", "ProcessGuid": "{H}", "Image": "C:\\Temp\\h.exe", "QueryName": "estaliax.io"}),
        json!({"Type": "CommonSecurityLog", "Computer": HOSTILE, "SourceIP": "10.1.2.3",
               "DestinationIP": "203.0.113.9", "SourceUserName": HOSTILE}),
    ];

    // JSON Lines: read back exactly, no control character raw.
    let text = scan(&dir, "jsonl", &rows);
    assert!(!text.contains(['\u{1b}', '\u{7}', '\r']), "{text:?}");
    let hits: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["process"]["command_line"], HOSTILE);
    assert_eq!(hits[0]["process"]["parent_image"], HOSTILE);
    assert_eq!(hits[0]["user"], HOSTILE);
    assert_eq!(hits[1]["device"], HOSTILE);
    assert_eq!(hits[1]["user"], HOSTILE);

    // CSV: every cell that starts a formula is neutralised, and reads back.
    let csv = scan(&dir, "csv", &rows);
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let header = r.headers().expect("header").clone();
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.expect("the CSV reads back");
        for (name, cell) in header.iter().zip(rec.iter()) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula in {name}: {cell:?}"
            );
        }
        n += 1;
    }
    assert_eq!(n, 2);
    let quoted = format!("'{HOSTILE}");
    let cells: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .from_reader(csv.as_bytes())
        .records()
        .map(|x| x.expect("reads"))
        .collect();
    let i = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(&cells[0][i("command_line")], quoted);
    assert_eq!(&cells[0][i("parent_image")], quoted);
    assert_eq!(&cells[0][i("user")], quoted);
    assert_eq!(&cells[1][i("device")], quoted);

    // The table: control characters shown, never sent.
    let table = scan(&dir, "table", &rows);
    for (i, c) in table.chars().enumerate() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{80}'..='\u{9f}').contains(&c)),
            "control character {c:?} at char {i}: {table}"
        );
    }
    let shown = r"=cmd|' /C calc'!A0 \u{1b}[31mred\u{7}\u{d}\u{a}next";
    assert!(
        table.contains(&format!(
            r#"    process: C:\Temp\h.exe "{shown}" (parent {shown})"#
        )),
        "{table}"
    );
    assert!(table.contains(&format!("    user: {shown}")), "{table}");
    assert!(table.contains(&format!("    device: {shown}")), "{table}");
}
