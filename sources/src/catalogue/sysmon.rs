//! Sysmon events, flattened (one column per event field, as OTRF and
//! `huntlab simulate` write them, or expanded from Sentinel's `Event` table).

use crate::spec::{cols, id, FieldRead, NormField, Recognise, SourceSpec, TableName, Use};

/// The tables a flattened Sysmon export's `Type` may name.
pub const SYSMON_TABLES: &[&str] = &["SysmonEvents", "Sysmon"];

/// What Sysmon's provider name contains.
pub const SYSMON_PROVIDER: &str = "Sysmon";

/// The acting process, as every Sysmon event names it.
pub const SYSMON_PROCESS: [FieldRead; 3] = [
    cols(NormField::ProcessGuid, &["ProcessGuid"]),
    cols(NormField::Image, &["Image"]),
    cols(NormField::User, &["User"]),
];

/// Sysmon event 1, ProcessCreate.
pub const SYSMON_1: SourceSpec = SourceSpec {
    name: "Sysmon 1 (ProcessCreate)",
    tables: SYSMON_TABLES,
    table: TableName::Sysmon,
    recognise: Recognise::EventId {
        provider: SYSMON_PROVIDER,
        id: 1,
    },
    without_type: None,
    used: Use::Hunted,
    fields: &[
        SYSMON_PROCESS[0],
        SYSMON_PROCESS[1],
        SYSMON_PROCESS[2],
        cols(NormField::CommandLine, &["CommandLine"]),
        cols(NormField::ParentImage, &["ParentImage"]),
        cols(NormField::ParentCommandLine, &["ParentCommandLine"]),
        cols(NormField::Company, &["Company"]),
        cols(NormField::Hashes, &["Hashes"]),
    ],
    unread: &[],
    schema: Some("Sysmon-1.columns"),
    sees: &["every process created, with its parent and command line"],
    misses: &["a file's signer, or the scheduled task a process runs for"],
};

/// Sysmon event 11, FileCreate.
pub const SYSMON_11: SourceSpec = SourceSpec {
    name: "Sysmon 11 (FileCreate)",
    tables: SYSMON_TABLES,
    table: TableName::Sysmon,
    recognise: Recognise::EventId {
        provider: SYSMON_PROVIDER,
        id: 11,
    },
    without_type: None,
    used: Use::Hunted,
    fields: &[
        cols(NormField::TargetPath, &["TargetFilename"]),
        SYSMON_PROCESS[0],
        SYSMON_PROCESS[1],
        SYSMON_PROCESS[2],
    ],
    unread: &[],
    schema: Some("Sysmon-11.columns"),
    sees: &["files created or overwritten, with the process that wrote them"],
    misses: &["the writing process's command line and parent (joined from its event 1)"],
};

/// Sysmon event 22, DnsQuery.
pub const SYSMON_22: SourceSpec = SourceSpec {
    name: "Sysmon 22 (DnsQuery)",
    tables: SYSMON_TABLES,
    table: TableName::Sysmon,
    recognise: Recognise::EventId {
        provider: SYSMON_PROVIDER,
        id: 22,
    },
    without_type: Some("QueryName"),
    used: Use::Hunted,
    fields: &[
        cols(NormField::QueryName, &["QueryName"]),
        SYSMON_PROCESS[0],
        SYSMON_PROCESS[1],
        SYSMON_PROCESS[2],
    ],
    unread: &[],
    schema: Some("Sysmon-22.columns"),
    sees: &[
        "queries made through the Windows DNS client API (`DnsQuery_*`), answered from its cache or not, successful or not",
    ],
    misses: &[
        "Windows 7 and earlier: the event exists from Windows 8.1",
        "names a program resolves itself (raw sockets to a DNS server, its own DNS library, a browser's own resolution or DoH)",
    ],
};

/// Sysmon event 3, NetworkConnect: the connection and its process (joined to
/// the process's creation on `ProcessGuid`, as for event 22).
pub const SYSMON_3: SourceSpec = SourceSpec {
    name: "Sysmon 3 (NetworkConnect)",
    tables: SYSMON_TABLES,
    table: TableName::Sysmon,
    recognise: Recognise::EventId {
        provider: SYSMON_PROVIDER,
        id: 3,
    },
    without_type: None,
    used: Use::Hunted,
    fields: &[
        SYSMON_PROCESS[0],
        SYSMON_PROCESS[1],
        SYSMON_PROCESS[2],
        cols(NormField::LocalIp, &["SourceIp"]),
        cols(NormField::RemoteIp, &["DestinationIp"]),
        id(NormField::RemotePort, "DestinationPort"),
        cols(NormField::RemoteHostname, &["DestinationHostname"]),
    ],
    unread: &[
        cols(NormField::Protocol, &["Protocol"]),
        cols(NormField::LocalPort, &["SourcePort"]),
    ],
    schema: Some("Sysmon-3.columns"),
    sees: &["TCP and UDP connections the configuration includes, with the process"],
    misses: &[
        "anything unless configured: the event is off by default, and the common configurations include neither RegAsm.exe nor high ports",
        "the name the process connected to: `DestinationHostname` is a reverse (PTR) lookup, often empty",
    ],
};

/// Sentinel's `Event` table, where the Log Analytics agent stores Windows
/// events with their fields inside an XML column: a Sysmon row of it is
/// expanded into the flattened shape the Sysmon sources describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTable {
    /// The table's name (a custom `_CL` form is the same table).
    pub table: &'static str,
    /// The column naming the provider.
    pub provider_column: &'static str,
    /// The provider whose rows are expanded (compared without case).
    pub provider: &'static str,
    /// The event id column (the row must have it).
    pub event_id: &'static str,
    /// The XML column holding the event's fields (`<Data Name="...">`).
    pub data: &'static str,
    /// The row's own columns also given under the flattened shape's names.
    pub aliases: &'static [(&'static str, &'static str)],
}

/// Sysmon events in Sentinel's `Event` table.
pub const SYSMON_EVENT_TABLE: EventTable = EventTable {
    table: "Event",
    provider_column: "Source",
    provider: "Microsoft-Windows-Sysmon",
    event_id: "EventID",
    data: "EventData",
    aliases: &[("Source", "SourceName"), ("EventLog", "Channel")],
};
