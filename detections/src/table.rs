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

pub(crate) fn table_of(type_: &str) -> (Table, bool) {
    let custom = type_.len() > 3 && type_[type_.len() - 3..].eq_ignore_ascii_case("_CL");
    let base = if custom {
        &type_[..type_.len() - 3]
    } else {
        type_
    };
    let is = |name: &str| base.eq_ignore_ascii_case(name);
    let table = if is("DnsEvents") {
        Table::DnsEvents
    } else if is("DeviceProcessEvents") {
        Table::DeviceProcessEvents
    } else if is("DeviceFileEvents") {
        Table::DeviceFileEvents
    } else if is("DeviceEvents") {
        Table::DeviceEvents
    } else if is("DeviceFileCertificateInfo") {
        Table::DeviceFileCertificateInfo
    } else if is("DeviceNetworkInfo") {
        Table::DeviceNetworkInfo
    } else if is("Heartbeat") {
        Table::Heartbeat
    } else if is("SecurityEvent") {
        Table::SecurityEvent
    } else if is("ASimDnsActivityLogs") || is("_Im_Dns") {
        Table::Asim
    } else if is("SysmonEvents") || is("Sysmon") {
        Table::Sysmon
    } else {
        Table::Unknown
    };
    (table, custom)
}
