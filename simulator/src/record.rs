//! What the generator emits: a row in its source's shape, the table it belongs
//! to, and its ground truth.

use serde::Serialize;

use crate::row::Row;

/// The table (output file) a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Table {
    /// Sentinel `DnsEvents`: DNS server logs, no process.
    DnsEvents,
    /// Flattened Sysmon events (1, 3, 11, 22) as public datasets store them.
    SysmonEvents,
    /// Defender `DeviceProcessEvents`.
    DeviceProcessEvents,
    /// Defender `DeviceFileEvents`.
    DeviceFileEvents,
    /// Defender `DeviceEvents` (`DnsQueryResponse` and `ScheduledTaskCreated` rows).
    DeviceEvents,
    /// Sentinel `SecurityEvent`: Windows Security event 4698 from Sysmon hosts.
    SecurityEvent,
    /// Defender `DeviceFileCertificateInfo`: signers of the images a host ran.
    DeviceFileCertificateInfo,
    /// Defender `DeviceNetworkInfo`: a Defender host's addresses.
    DeviceNetworkInfo,
    /// The Log Analytics agent's `Heartbeat`: other hosts' addresses.
    Heartbeat,
    /// Defender `DeviceNetworkEvents`: connections, with the process.
    DeviceNetworkEvents,
    /// Sentinel `CommonSecurityLog`: the perimeter firewall's and the web
    /// proxy's logs (CEF).
    CommonSecurityLog,
}

impl Table {
    /// Every table, in output order.
    pub const ALL: [Table; 11] = [
        Table::DnsEvents,
        Table::SysmonEvents,
        Table::DeviceProcessEvents,
        Table::DeviceFileEvents,
        Table::DeviceEvents,
        Table::SecurityEvent,
        Table::DeviceFileCertificateInfo,
        Table::DeviceNetworkInfo,
        Table::Heartbeat,
        Table::DeviceNetworkEvents,
        Table::CommonSecurityLog,
    ];

    /// The table's name (and its file's stem).
    pub fn name(self) -> &'static str {
        match self {
            Table::DnsEvents => "DnsEvents",
            Table::SysmonEvents => "SysmonEvents",
            Table::DeviceProcessEvents => "DeviceProcessEvents",
            Table::DeviceFileEvents => "DeviceFileEvents",
            Table::DeviceEvents => "DeviceEvents",
            Table::SecurityEvent => "SecurityEvent",
            Table::DeviceFileCertificateInfo => "DeviceFileCertificateInfo",
            Table::DeviceNetworkInfo => "DeviceNetworkInfo",
            Table::Heartbeat => "Heartbeat",
            Table::DeviceNetworkEvents => "DeviceNetworkEvents",
            Table::CommonSecurityLog => "CommonSecurityLog",
        }
    }
}

/// Ground truth for one row. Never written into the row itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The scenario that produced the row.
    pub scenario: String,
    /// True when the row is the malware's own activity.
    pub malicious: bool,
    /// The step of the scenario (`c2-lookup`, `dropper`, `backup-run`, ...).
    pub step: String,
    /// The endpoint the activity happened on (for `DnsEvents` rows: the client,
    /// not the DNS server that logged it).
    pub host: String,
}

/// One generated row and its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Milliseconds since the Unix epoch (UTC): the order key.
    pub time_ms: i64,
    /// The table the row belongs to.
    pub table: Table,
    /// The row, with the source's own column names and formats.
    pub row: Row,
    /// Ground truth.
    pub label: Label,
}
