//! The read-column list: every column the field mapping reads, on any source,
//! collected from the sources' descriptions when the crate is compiled.

use crate::catalogue::{
    ACTION_TYPE_COLUMN, ALL, COMMON, EVENT_ID_COLUMN, PROVIDER_COLUMNS, TYPE_COLUMN,
};
use crate::spec::{FieldRead, Read, Use};

/// Every column the field mapping reads, on any source: the columns that say
/// which source a row is, the common ones (time, host), and those of every
/// hunted or learned-from source's fields. A row view keeps these and skips
/// the rest; a declared source's columns are not among them.
pub const READ_COLUMNS: &[&str] = &LIST;

const COLLECTED: Names = collect();
const LIST: [&str; COLLECTED.len] = trim(&COLLECTED.names);

/// Room for the collection (a compile-time error names it when too small).
const ROOM: usize = 256;

struct Names {
    names: [&'static str; ROOM],
    len: usize,
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn add(mut n: Names, name: &'static str) -> Names {
    let mut i = 0;
    while i < n.len {
        if same(n.names[i], name) {
            return n;
        }
        i += 1;
    }
    assert!(n.len < ROOM, "more read columns than ROOM");
    n.names[n.len] = name;
    n.len += 1;
    n
}

const fn add_all(mut n: Names, names: &'static [&'static str]) -> Names {
    let mut i = 0;
    while i < names.len() {
        n = add(n, names[i]);
        i += 1;
    }
    n
}

const fn add_fields(mut n: Names, fields: &'static [FieldRead]) -> Names {
    let mut i = 0;
    while i < fields.len() {
        n = match fields[i].read {
            Read::Columns(c) => add_all(n, c),
            Read::Id(c) | Read::List(c) => add(n, c),
            Read::Path { folder, name } => add(add(n, folder), name),
            Read::Inside {
                column,
                keys,
                top_level,
            } => {
                let n = add(n, column);
                if top_level {
                    add_all(n, keys)
                } else {
                    n
                }
            }
        };
        i += 1;
    }
    n
}

const fn collect() -> Names {
    let mut n = Names {
        names: [""; ROOM],
        len: 0,
    };
    n = add(n, TYPE_COLUMN);
    n = add(n, EVENT_ID_COLUMN);
    n = add_all(n, PROVIDER_COLUMNS);
    n = add(n, ACTION_TYPE_COLUMN);
    n = add_fields(n, COMMON);
    let mut i = 0;
    while i < ALL.len() {
        let s = ALL[i];
        if !matches!(s.used, Use::Declared) {
            if let Some(c) = s.without_type {
                n = add(n, c);
            }
            n = add_fields(n, s.fields);
        }
        i += 1;
    }
    n
}

const fn trim<const N: usize>(names: &[&'static str; ROOM]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = names[i];
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list the mapping read before the sources were described: a column
    /// more or less would change which rows a view refuses (a read column
    /// given twice) and what it keeps.
    #[test]
    fn the_read_columns_are_the_mappings_columns() {
        let mut before = vec![
            "Type",
            "EventID",
            "Channel",
            "SourceName",
            "ProviderName",
            "ActionType",
            "TimeGenerated",
            "Timestamp",
            "UtcTime",
            "@timestamp",
            "EventTime",
            "Computer",
            "DeviceName",
            "Hostname",
            "SrcHostname",
            "Name",
            "QueryName",
            "DnsQuery",
            "DnsQueryString",
            "query",
            "AdditionalFields",
            "ProcessGuid",
            "Image",
            "User",
            "CommandLine",
            "ParentImage",
            "ParentCommandLine",
            "Company",
            "TargetFilename",
            "SrcProcessName",
            "SrcProcessGuid",
            "SrcUsername",
            "FileName",
            "FolderPath",
            "ProcessCommandLine",
            "ProcessVersionInfoCompanyName",
            "ProcessUniqueId",
            "AccountName",
            "SHA1",
            "InitiatingProcessSHA1",
            "InitiatingProcessUniqueId",
            "InitiatingProcessFolderPath",
            "InitiatingProcessFileName",
            "InitiatingProcessCommandLine",
            "InitiatingProcessParentFileName",
            "InitiatingProcessVersionInfoCompanyName",
            "InitiatingProcessAccountName",
            "Signer",
            "IsSigned",
            "TaskName",
            "TaskContent",
            "EventData",
            "ClientIP",
            "ComputerPrivateIPs",
            "IPAddresses",
            // The network tables and the objects' digests.
            "ActionType",
            "RemoteIP",
            "RemotePort",
            "RemoteUrl",
            "LocalIP",
            "DestinationIp",
            "DestinationPort",
            "DestinationHostname",
            "SourceIp",
            "DestinationIP",
            "DestinationHostName",
            "RequestURL",
            "SourceIP",
            "SourceTranslatedAddress",
            "SourceUserName",
            "DeviceAction",
            "Url",
            "IPAddress",
            "AccountUpn",
            "SHA256",
            "MD5",
            "Hashes",
        ];
        before.sort_unstable();
        before.dedup();
        let mut now = READ_COLUMNS.to_vec();
        now.sort_unstable();
        assert_eq!(now, before);
    }
}
