//! The table a row's `Type` names.

/// A table named by a row's `Type`, after a custom table's `_CL` suffix is taken
/// off and case is ignored (`DnsEvents_CL`, `dnsevents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    /// Sentinel `DnsEvents`.
    DnsEvents,
    /// Defender `DeviceProcessEvents`.
    DeviceProcessEvents,
    /// Defender `DeviceFileEvents`.
    DeviceFileEvents,
    /// Defender `DeviceEvents`.
    DeviceEvents,
    /// Defender `DeviceFileCertificateInfo`.
    DeviceFileCertificateInfo,
    /// Defender `DeviceNetworkInfo`.
    DeviceNetworkInfo,
    /// The Log Analytics agent's `Heartbeat`.
    Heartbeat,
    /// Windows `SecurityEvent`.
    SecurityEvent,
    /// The ASIM DNS schema.
    Asim,
    /// A flattened Sysmon table (`SysmonEvents`, as `huntlab simulate` names it):
    /// read by its columns.
    Sysmon,
    /// Defender `DeviceNetworkEvents` (declared: no hunt reads it yet).
    DeviceNetworkEvents,
    /// `CommonSecurityLog` (declared: no hunt reads it yet).
    CommonSecurityLog,
    /// Defender for Office `UrlClickEvents` (declared: no hunt reads it yet).
    UrlClickEvents,
    /// A table no source names.
    Unknown,
}

/// Every table name a source gives (compared without case), most read first;
/// a test checks it against the sources' own lists.
const NAMES: [(&str, TableName); 15] = [
    ("DnsEvents", TableName::DnsEvents),
    ("DeviceProcessEvents", TableName::DeviceProcessEvents),
    ("DeviceFileEvents", TableName::DeviceFileEvents),
    ("DeviceEvents", TableName::DeviceEvents),
    (
        "DeviceFileCertificateInfo",
        TableName::DeviceFileCertificateInfo,
    ),
    ("DeviceNetworkInfo", TableName::DeviceNetworkInfo),
    ("Heartbeat", TableName::Heartbeat),
    ("SecurityEvent", TableName::SecurityEvent),
    ("ASimDnsActivityLogs", TableName::Asim),
    ("_Im_Dns", TableName::Asim),
    ("SysmonEvents", TableName::Sysmon),
    ("Sysmon", TableName::Sysmon),
    ("DeviceNetworkEvents", TableName::DeviceNetworkEvents),
    ("CommonSecurityLog", TableName::CommonSecurityLog),
    ("UrlClickEvents", TableName::UrlClickEvents),
];

/// A name without a custom table's `_CL` suffix (any case), and whether it had one.
pub fn base_name(type_: &str) -> (&str, bool) {
    // Compared as bytes: the last three bytes of a name ending in a non-ASCII
    // character are not a `str` slice (`"🌀"` must not panic). When they are
    // `_CL`, cutting them leaves a character boundary.
    let custom =
        type_.len() > 3 && type_.as_bytes()[type_.len() - 3..].eq_ignore_ascii_case(b"_CL");
    if custom {
        (&type_[..type_.len() - 3], true)
    } else {
        (type_, false)
    }
}

/// The table `Type` names, and whether it is a custom (`_CL`) table.
pub fn table_of(type_: &str) -> (TableName, bool) {
    let (base, custom) = base_name(type_);
    // The name as the source writes it first (a length and a comparison a
    // name), then in any case.
    let table = NAMES
        .iter()
        .find(|(name, _)| base == *name)
        .or_else(|| {
            NAMES
                .iter()
                .find(|(name, _)| base.eq_ignore_ascii_case(name))
        })
        .map_or(TableName::Unknown, |(_, t)| *t);
    (table, custom)
}

/// Every name [`table_of`] knows, with its table.
pub fn table_names() -> &'static [(&'static str, TableName)] {
    &NAMES
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

    /// The exact comparison tried first finds what the comparison without
    /// case finds: no two names differ only in case.
    #[test]
    fn a_name_is_found_in_any_case() {
        for (i, (name, t)) in NAMES.iter().enumerate() {
            for other in &NAMES[i + 1..] {
                assert!(!name.eq_ignore_ascii_case(other.0), "{name} {}", other.0);
            }
            let upper = name.to_ascii_uppercase();
            let lower = name.to_ascii_lowercase();
            for written in [name.to_string(), upper, lower, format!("{name}_cl")] {
                assert_eq!(table_of(&written).0, *t, "{written}");
            }
        }
        assert_eq!(table_of("DnsEvent").0, TableName::Unknown);
    }

    #[test]
    fn the_names_are_the_sources_names() {
        let mut from_sources: Vec<(&str, TableName)> = crate::SOURCES
            .iter()
            .flat_map(|s| s.tables.iter().map(|t| (*t, s.table)))
            .collect();
        from_sources.sort();
        from_sources.dedup();
        let mut names = NAMES.to_vec();
        names.sort();
        assert_eq!(names, from_sources);
    }
}
