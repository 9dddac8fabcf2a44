//! The documented column lists (`schemas/*.columns`, `*.actiontypes`), copied
//! from Microsoft's and Sysinternals' documentation with their sources, and
//! embedded here. Lines that start with `#` are comments: the first names the
//! source, a second (where present) later additions or, for Sysmon, the
//! envelope keys a flattened export adds.

/// Every embedded list: its file name and text.
pub const SCHEMA_FILES: [(&str, &str); 17] = [
    file!("CommonSecurityLog.columns"),
    file!("DeviceEvents.actiontypes"),
    file!("DeviceEvents.columns"),
    file!("DeviceFileCertificateInfo.columns"),
    file!("DeviceFileEvents.columns"),
    file!("DeviceNetworkEvents.actiontypes"),
    file!("DeviceNetworkEvents.columns"),
    file!("DeviceNetworkInfo.columns"),
    file!("DeviceProcessEvents.columns"),
    file!("DnsEvents.columns"),
    file!("Heartbeat.columns"),
    file!("SecurityEvent.columns"),
    file!("Sysmon-1.columns"),
    file!("Sysmon-11.columns"),
    file!("Sysmon-22.columns"),
    file!("Sysmon-3.columns"),
    file!("UrlClickEvents.columns"),
];

macro_rules! file {
    ($name:literal) => {
        ($name, include_str!(concat!("../schemas/", $name)))
    };
}
use file;

/// The Log Analytics standard columns a Sentinel table's rows may carry
/// besides its documented ones.
pub const STANDARD_COLUMNS: [&str; 4] = ["TimeGenerated", "TenantId", "Type", "SourceSystem"];

/// The text of an embedded list.
pub fn schema_text(name: &str) -> Option<&'static str> {
    SCHEMA_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// A list's names (its lines that are not comments, a trailing `# ...` cut).
pub fn names(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('#').next().unwrap_or("").trim())
}

/// A list's second comment line (empty when it has none).
pub fn second_comment(text: &str) -> &str {
    text.lines()
        .filter(|l| l.starts_with('#'))
        .nth(1)
        .unwrap_or("")
}

/// The envelope keys a Sysmon list's second comment line names: every key of
/// every `|`-separated group after the first `): `.
pub fn envelope(line: &str) -> impl Iterator<Item = &str> {
    let keys = line.split_once("): ").map_or("", |(_, k)| k);
    keys.split('|').flat_map(|group| {
        let group = group.split_once("also:").map_or(group, |(_, k)| k);
        group.split_whitespace()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Read;

    /// The top-level columns a read names (a document's keys not included).
    fn columns(read: &Read) -> Vec<String> {
        match read {
            Read::Columns(c) => c.iter().map(|c| (*c).to_owned()).collect(),
            Read::Id(c) | Read::List(c) => vec![(*c).to_owned()],
            Read::Path { folder, name } => vec![(*folder).to_owned(), (*name).to_owned()],
            Read::Inside { column, .. } => vec![(*column).to_owned()],
        }
    }

    #[test]
    fn every_source_schema_is_embedded_and_lists_its_read_columns() {
        for s in crate::SOURCES {
            let Some(name) = s.schema else { continue };
            let text = schema_text(name).unwrap_or_else(|| panic!("{name} embedded"));
            let mut known: Vec<&str> = names(text).collect();
            known.extend(envelope(second_comment(text)));
            if !s.tables.contains(&"SysmonEvents") {
                known.extend(STANDARD_COLUMNS);
            }
            // A Windows event export flattens 4698's `EventData` items, which
            // `SecurityEvent` keeps inside `EventData`.
            if s.table == crate::TableName::SecurityEvent {
                known.extend(["TaskName", "TaskContent"]);
            }
            for f in s.fields.iter().chain(s.unread) {
                for c in columns(&f.read) {
                    assert!(known.contains(&c.as_str()), "{}: {c}", s.name);
                }
            }
        }
    }
}
