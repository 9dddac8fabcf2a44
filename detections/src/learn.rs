//! Rows no hunt reads, read for what they tell about other rows ([`Learned`]):
//! a file's signer (`DeviceFileCertificateInfo`), a task's name and action
//! (`DeviceEvents` `ScheduledTaskCreated`, Security event 4698) and a host's
//! addresses (`DeviceNetworkInfo`, `Heartbeat`).
//!
//! Their embedded documents (`AdditionalFields`, `TaskContent`, `EventData`)
//! are read leniently: one that does not read teaches nothing, and the row is
//! still a well-formed row of its table. A column of the wrong JSON type is an
//! error, as on every other row.

use serde_json::{Map, Value};

use crate::cells::{integer, text, RowError};
use crate::event::Learned;
use crate::row::{Cell, Columns};
use sources::NormField as F;
use sources::{
    column_in, inside_in, DEVICE_EVENTS_TASK, DEVICE_FILE_CERTIFICATE_INFO, DEVICE_NETWORK_INFO,
    EVENT_ID_COLUMN, HEARTBEAT, SECURITY_EVENT, SECURITY_TASK_CREATED,
};

// The columns each source tells its lessons in (`sources`), resolved when compiled.
const CERT_SIGNED: &str = DEVICE_FILE_CERTIFICATE_INFO.column_of(F::IsSigned);
const CERT_SHA1: &str = DEVICE_FILE_CERTIFICATE_INFO.column_of(F::Sha1);
const CERT_SIGNER: &str = DEVICE_FILE_CERTIFICATE_INFO.column_of(F::Signer);
const TASK_NAME_INSIDE: (&str, &[&str]) = inside_in(DEVICE_EVENTS_TASK.fields, F::TaskName);
const TASK_CONTENT_INSIDE: (&str, &[&str]) = inside_in(DEVICE_EVENTS_TASK.fields, F::TaskContent);
const SECURITY_TASK_NAME: &str = SECURITY_EVENT.column_of(F::TaskName);
const SECURITY_TASK_CONTENT: &str = SECURITY_EVENT.column_of(F::TaskContent);
const SECURITY_EVENT_DATA: &str = SECURITY_EVENT.column_of(F::EventData);
const HEARTBEAT_IPS: &str = column_in(HEARTBEAT.fields, F::HostAddresses);
const NETWORK_INFO_IPS: &str = column_in(DEVICE_NETWORK_INFO.fields, F::HostAddresses);

/// `DeviceFileCertificateInfo`: the signer of the file with `SHA1` (a row that
/// says `IsSigned == false` teaches nothing).
pub(crate) fn certificate<C: Columns + ?Sized>(row: &C) -> Result<Option<Learned>, RowError> {
    if matches!(row.cell(CERT_SIGNED), Cell::Bool(false)) {
        return Ok(None);
    }
    Ok(match (text(row, CERT_SHA1)?, text(row, CERT_SIGNER)?) {
        (Some(sha1), Some(signer)) if !sha1.is_empty() && !signer.is_empty() => {
            Some(Learned::Signer {
                sha1: sha1.to_ascii_lowercase(),
                signer,
            })
        }
        _ => None,
    })
}

/// `DeviceEvents` `ScheduledTaskCreated`: `AdditionalFields` (an object, or a
/// string holding one) carries `TaskName` and `TaskContent`; `TaskContent` (JSON,
/// or the task's XML) carries the `Exec` action's `Command` and `Arguments`.
pub(crate) fn scheduled_task<C: Columns + ?Sized>(row: &C) -> Result<Option<Learned>, RowError> {
    let parsed;
    let fields = match row.cell(TASK_NAME_INSIDE.0) {
        Cell::Object(o) => o,
        Cell::Str(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(o)) => {
                parsed = o;
                &parsed
            }
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    let name = fields.get(TASK_NAME_INSIDE.1[0]).and_then(Value::as_str);
    let command = match fields.get(TASK_CONTENT_INSIDE.1[0]) {
        Some(Value::String(s)) if s.trim_start().starts_with('<') => xml_action(s),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(o)) => json_action(&o),
            _ => None,
        },
        Some(Value::Object(o)) => json_action(o),
        _ => None,
    };
    Ok(task(name, command))
}

/// Windows Security event 4698 ("A scheduled task was created"): `TaskName` and
/// `TaskContent` (the task's XML) as flattened columns, or inside `EventData`
/// as Sentinel's `SecurityEvent` stores them.
pub(crate) fn security_4698<C: Columns + ?Sized>(row: &C) -> Result<Option<Learned>, RowError> {
    if integer(row, EVENT_ID_COLUMN).ok().flatten() != Some(SECURITY_TASK_CREATED) {
        return Ok(None);
    }
    if let Some(content) = text(row, SECURITY_TASK_CONTENT)? {
        let command = xml_action(&unescape(&content));
        return Ok(task(text(row, SECURITY_TASK_NAME)?.as_deref(), command));
    }
    let Some(data) = text(row, SECURITY_EVENT_DATA)? else {
        return Ok(None);
    };
    // `EventData` names its items as the flattened columns are named.
    let name = xml_data(&data, SECURITY_TASK_NAME).map(unescape);
    let command = xml_data(&data, SECURITY_TASK_CONTENT).and_then(|c| xml_action(&unescape(c)));
    Ok(task(name.as_deref(), command))
}

/// `Heartbeat`: `ComputerPrivateIPs` (an array, or a string holding one).
pub(crate) fn heartbeat<C: Columns + ?Sized>(row: &C) -> Result<Option<Learned>, RowError> {
    Ok(addresses(&list(row.cell(HEARTBEAT_IPS)), |v| {
        v.as_str().map(str::to_owned)
    }))
}

/// `DeviceNetworkInfo`: `IPAddresses`, a JSON array of `{"IPAddress": ...}`
/// objects (or a string holding one).
pub(crate) fn network_info<C: Columns + ?Sized>(row: &C) -> Result<Option<Learned>, RowError> {
    Ok(addresses(&list(row.cell(NETWORK_INFO_IPS)), |v| {
        v.get("IPAddress")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }))
}

fn list(cell: Cell<'_>) -> Vec<Value> {
    match cell {
        Cell::Array(a) => a.to_vec(),
        Cell::Str(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn addresses(items: &[Value], ip: impl Fn(&Value) -> Option<String>) -> Option<Learned> {
    let ips: Vec<String> = items.iter().filter_map(ip).collect();
    (!ips.is_empty()).then_some(Learned::Addresses { ips })
}

fn task(name: Option<&str>, command: Option<String>) -> Option<Learned> {
    match (name, command) {
        (Some(name), Some(command)) if !name.is_empty() && !command.is_empty() => {
            Some(Learned::Task {
                name: name.to_owned(),
                command,
            })
        }
        _ => None,
    }
}

fn joined(command: &str, arguments: &str) -> Option<String> {
    let (c, a) = (command.trim(), arguments.trim());
    match (c.is_empty(), a.is_empty()) {
        (true, _) => None,
        (false, true) => Some(c.to_owned()),
        (false, false) => Some(format!("{c} {a}")),
    }
}

/// `Actions.Exec.Command` and `.Arguments` of a task's JSON content.
fn json_action(content: &Map<String, Value>) -> Option<String> {
    let exec = content.get("Actions")?.get("Exec")?;
    let field = |k: &str| exec.get(k).and_then(Value::as_str).unwrap_or("");
    joined(field("Command"), field("Arguments"))
}

/// `<Exec><Command>` and `<Arguments>` of a task's XML.
fn xml_action(xml: &str) -> Option<String> {
    let exec = xml_element(xml, "Exec")?;
    let command = unescape(xml_element(exec, "Command")?);
    let arguments = xml_element(exec, "Arguments").map(unescape);
    joined(&command, arguments.as_deref().unwrap_or(""))
}

/// The text inside the first `<tag>...</tag>` (the opening tag may carry
/// attributes).
fn xml_element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let mut rest = xml;
    loop {
        let i = rest.find('<')?;
        rest = &rest[i + 1..];
        let Some(after) = rest.strip_prefix(tag) else {
            continue;
        };
        match after.chars().next() {
            Some('>') | Some(' ') | Some('\t') | Some('\r') | Some('\n') => {}
            _ => continue,
        }
        let body = &after[after.find('>')? + 1..];
        let end = body.find(&format!("</{tag}>"))?;
        return Some(&body[..end]);
    }
}

/// The text of `<Data Name="name">...</Data>` in an `EventData` document.
fn xml_data<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<Data Name=\"{name}\">");
    let body = &xml[xml.find(&open)? + open.len()..];
    Some(&body[..body.find("</Data>")?])
}

/// XML character references and the five named entities.
pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..end];
        let ch = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A command line as the process join compares it: quotes dropped, runs of
/// white space one space, ASCII lower case.
pub fn normalise_command(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '"')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// The key a task's action is known by: the host (lower case) and its
/// normalised command line.
pub(crate) fn task_key(host: &str, command: &str) -> (String, String) {
    (host.to_ascii_lowercase(), normalise_command(command))
}

/// [`task_key`] as one string, written into `key` (reused, so a look-up
/// allocates nothing): the host's length, the host, then the normalised
/// command line, all in lower case; no two (host, command) pairs share one.
pub(crate) fn task_key_into(key: &mut String, host: &str, command: &str) {
    key.clear();
    key.push_str(itoa::Buffer::new().format(host.len()));
    key.push(':');
    key.push_str(host);
    let start = key.len();
    if command.is_ascii() {
        // The common command line, as bytes: the words are the
        // runs between ASCII white space (as `char::is_whitespace` knows it)
        // and quotes, each pushed whole.
        let bytes = command.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && splits(bytes[i]) {
                i += 1;
            }
            let word = i;
            i = word_end(bytes, i);
            if word < i {
                if key.len() > start {
                    key.push(' ');
                }
                key.push_str(&command[word..i]);
            }
        }
    } else {
        for w in command
            .split(|c: char| c.is_whitespace() || c == '"')
            .filter(|w| !w.is_empty())
        {
            if key.len() > start {
                key.push(' ');
            }
            key.push_str(w);
        }
    }
    key.make_ascii_lowercase();
}

/// An ASCII byte that parts the words of a command line: white space or a
/// quote.
fn splits(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r' | b'"')
}

/// Where the word of `b` at `i` ends: the first byte from `i` that
/// [`splits`], or the end. Eight bytes a time: a word's bytes below 0x21 and
/// its quotes are flagged with word arithmetic (the lowest flagged is exact:
/// a borrow only flags bytes above it), and a flagged control byte that is
/// not white space goes on.
fn word_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let quote = w ^ (ONES * u64::from(b'"'));
        let flags = (w.wrapping_sub(ONES * 0x21) & !w | quote.wrapping_sub(ONES) & !quote) & HIGH;
        if flags == 0 {
            i += 8;
            continue;
        }
        let at = i + (flags.trailing_zeros() / 8) as usize;
        if splits(b[at]) {
            return at;
        }
        i = at + 1;
    }
    while i < b.len() && !splits(b[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::parse_line;

    fn learned(line: &str) -> Option<Learned> {
        parse_line(line).expect("reads").learned
    }

    #[test]
    fn defender_task_creation_with_json_content() {
        let content = serde_json::json!({"Triggers": {}, "Actions": {"Exec": {"Command": r"C:\x\dhcpmon.exe", "Arguments": ""}}});
        let fields =
            serde_json::json!({"TaskName": r"\DHCP Monitor", "TaskContent": content.to_string()});
        let row = serde_json::json!({"Type": "DeviceEvents", "ActionType": "ScheduledTaskCreated", "AdditionalFields": fields.to_string()});
        let want = Some(Learned::Task {
            name: r"\DHCP Monitor".into(),
            command: r"C:\x\dhcpmon.exe".into(),
        });
        assert_eq!(learned(&row.to_string()), want);
        let as_object =
            serde_json::json!({"ActionType": "ScheduledTaskCreated", "AdditionalFields": fields});
        assert_eq!(learned(&as_object.to_string()), want);
    }

    #[test]
    fn security_4698_from_event_data_and_flattened() {
        let data = r#"<EventData xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><Data Name="TaskName">\TempCleanup</Data><Data Name="TaskContent">&lt;?xml version="1.0" encoding="UTF-16"?&gt;&lt;Task&gt;&lt;Actions Context="Author"&gt;&lt;Exec&gt;&lt;Command&gt;"C:\Program Files\SysTidy\nanocore.exe"&lt;/Command&gt;&lt;Arguments&gt;/temp /days 7&lt;/Arguments&gt;&lt;/Exec&gt;&lt;/Actions&gt;&lt;/Task&gt;</Data></EventData>"#;
        let row = serde_json::json!({"Type": "SecurityEvent", "EventID": 4698, "Computer": "ws1", "EventData": data});
        let line = row.to_string();
        assert_eq!(
            learned(&line),
            Some(Learned::Task {
                name: r"\TempCleanup".into(),
                command: r#""C:\Program Files\SysTidy\nanocore.exe" /temp /days 7"#.into()
            })
        );
        let flat = serde_json::json!({"EventID": 4698, "Channel": "Security", "TaskName": r"\T",
            "TaskContent": "&lt;Task&gt;&lt;Exec&gt;&lt;Command&gt;a.exe&lt;/Command&gt;&lt;/Exec&gt;&lt;/Task&gt;"});
        assert_eq!(
            learned(&flat.to_string()),
            Some(Learned::Task {
                name: r"\T".into(),
                command: "a.exe".into()
            })
        );
        let other =
            serde_json::json!({"Type": "SecurityEvent", "EventID": 4624, "EventData": data});
        assert_eq!(learned(&other.to_string()), None);
    }

    #[test]
    fn signers_and_addresses() {
        assert_eq!(
            learned(
                r#"{"Type":"DeviceFileCertificateInfo","SHA1":"AB12","Signer":"Microsoft Windows","IsSigned":true}"#
            ),
            Some(Learned::Signer {
                sha1: "ab12".into(),
                signer: "Microsoft Windows".into()
            })
        );
        assert_eq!(
            learned(
                r#"{"Type":"DeviceFileCertificateInfo","SHA1":"ab12","Signer":"x","IsSigned":false}"#
            ),
            None
        );
        assert_eq!(
            learned(r#"{"Type":"Heartbeat","Computer":"ws1","ComputerPrivateIPs":["10.1.2.3"]}"#),
            Some(Learned::Addresses {
                ips: vec!["10.1.2.3".into()]
            })
        );
        assert_eq!(
            learned(
                r#"{"Type":"DeviceNetworkInfo","DeviceName":"ws1","IPAddresses":"[{\"IPAddress\":\"10.1.2.4\",\"SubnetPrefix\":24}]"}"#
            ),
            Some(Learned::Addresses {
                ips: vec!["10.1.2.4".into()]
            })
        );
    }

    #[test]
    fn commands_compare_without_quotes_case_or_spacing() {
        assert_eq!(
            normalise_command(r#""C:\Program Files\X\a.exe"   /Temp  /days 7"#),
            normalise_command(r#"c:\program files\x\a.exe /temp /days 7"#)
        );
        assert_eq!(
            unescape("a &lt;b&gt; &amp;amp; &#x41;&#66; &bogus; &"),
            "a <b> &amp; AB &bogus; &"
        );
    }

    #[test]
    fn a_task_key_in_one_string_is_the_pair_in_one_string() {
        for (host, command) in [
            ("WS-01", r#""C:\Program Files\X\a.exe"   /Temp  /days 7"#),
            ("ws-01.corp", "  "),
            ("", "a"),
            ("1:a", "b c"),
        ] {
            let (h, c) = task_key(host, command);
            let mut key = String::from("left over");
            task_key_into(&mut key, host, command);
            assert_eq!(key, format!("{}:{h}{c}", h.len()));
        }
    }

    proptest::proptest! {
        /// A word ends at the first white space or quote from where it
        /// starts, whatever control bytes come before.
        #[test]
        fn a_word_ends_at_the_first_byte_that_splits(
            b in proptest::collection::vec(
                proptest::prop_oneof![
                    1 => proptest::strategy::Just(b'"'),
                    1 => proptest::strategy::Just(b' '),
                    2 => 0u8..0x21,
                    20 => 0x21u8..0x80,
                ],
                0..40,
            ),
            from in 0usize..40,
        ) {
            let from = from.min(b.len());
            let want = b[from..].iter().position(|&c| splits(c)).map_or(b.len(), |p| from + p);
            proptest::prop_assert_eq!(word_end(&b, from), want);
        }
    }

    proptest::proptest! {
        /// The reading of an ASCII command line as bytes gives the
        /// key the `char` reading gives (which any other line takes).
        #[test]
        fn a_task_key_is_the_normalised_pair_for_any_command_line(
            host in "[A-Za-z0-9.:-]{0,8}",
            command in "[ \t\n\u{b}\u{c}\r\u{0}\u{1}\u{1c}-\u{1f}\"a-zA-Z\\\\/.:\u{85}\u{a0}\u{3000}\u{e9}]{0,24}",
        ) {
            let (h, c) = task_key(&host, &command);
            let mut key = String::from("left over");
            task_key_into(&mut key, &host, &command);
            proptest::prop_assert_eq!(key, format!("{}:{h}{c}", h.len()));
        }
    }
}
