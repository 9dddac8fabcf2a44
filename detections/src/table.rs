//! The table a row's `Type` names, as the field mapping reads it.

/// A table named by a row's `Type`, after a custom table's `_CL` suffix is taken
/// off and case is ignored (`DnsEvents_CL`, `dnsevents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    DnsEvents,
    DeviceProcessEvents,
    DeviceFileEvents,
    DeviceEvents,
    DeviceFileCertificateInfo,
    DeviceNetworkInfo,
    Heartbeat,
    SecurityEvent,
    Asim,
    /// A flattened Sysmon table (`SysmonEvents`, as `huntlab simulate` names it):
    /// read by its columns.
    Sysmon,
    Unknown,
}

/// The table names the mapping knows (compared without case).
const NAMES: [(&str, Table); 12] = [
    ("DnsEvents", Table::DnsEvents),
    ("DeviceProcessEvents", Table::DeviceProcessEvents),
    ("DeviceFileEvents", Table::DeviceFileEvents),
    ("DeviceEvents", Table::DeviceEvents),
    (
        "DeviceFileCertificateInfo",
        Table::DeviceFileCertificateInfo,
    ),
    ("DeviceNetworkInfo", Table::DeviceNetworkInfo),
    ("Heartbeat", Table::Heartbeat),
    ("SecurityEvent", Table::SecurityEvent),
    ("ASimDnsActivityLogs", Table::Asim),
    ("_Im_Dns", Table::Asim),
    ("SysmonEvents", Table::Sysmon),
    ("Sysmon", Table::Sysmon),
];

/// The table `Type` names, and whether it is a custom (`_CL`) table.
pub(crate) fn table_of(type_: &str) -> (Table, bool) {
    // Compared as bytes: the last three bytes of a name ending in a non-ASCII
    // character are not a `str` slice (`"🌀"` must not panic). When they are
    // `_CL`, cutting them leaves a character boundary.
    let custom =
        type_.len() > 3 && type_.as_bytes()[type_.len() - 3..].eq_ignore_ascii_case(b"_CL");
    let base = if custom {
        &type_[..type_.len() - 3]
    } else {
        type_
    };
    let table = NAMES
        .iter()
        .find(|(name, _)| base.eq_ignore_ascii_case(name))
        .map_or(Table::Unknown, |(_, t)| *t);
    (table, custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Type` ending in a non-ASCII character: found by the typed-row property
    /// (`detections/tests/hostile.rs`), it panicked slicing inside `🌀`.
    #[test]
    fn non_ascii_type_names_are_unknown_tables_not_panics() {
        for t in ["🌀", "x🌀", "é_C", "DnsEvents_CL", "dnsevents_cl", "_CL"] {
            let _ = table_of(t);
        }
        assert!(table_of("DnsEvents_CL").1);
        assert!(!table_of("🌀").1);
    }
}
