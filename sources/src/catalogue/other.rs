//! The Log Analytics agent's `Heartbeat`, Windows `SecurityEvent`, and CEF
//! appliances' `CommonSecurityLog`.

use crate::spec::{cols, id, FieldRead, NormField, Read, Recognise, SourceSpec, TableName, Use};

/// `Heartbeat`: a computer's addresses (learned from).
pub const HEARTBEAT: SourceSpec = SourceSpec {
    name: "Heartbeat",
    tables: &["Heartbeat"],
    table: TableName::Heartbeat,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Learned,
    fields: &[FieldRead {
        field: NormField::HostAddresses,
        read: Read::List("ComputerPrivateIPs"),
    }],
    unread: &[],
    schema: Some("Heartbeat.columns"),
    sees: &["the agent's computer and its private addresses"],
    misses: &["anything the computer does"],
};

/// `SecurityEvent`: the Windows Security log; event 4698 registers a task
/// (learned from). A Windows event of another provider without `Type` is read
/// the same way.
pub const SECURITY_EVENT: SourceSpec = SourceSpec {
    name: "SecurityEvent",
    tables: &["SecurityEvent"],
    table: TableName::SecurityEvent,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Learned,
    fields: &[
        cols(NormField::TaskContent, &["TaskContent"]),
        cols(NormField::TaskName, &["TaskName"]),
        cols(NormField::EventData, &["EventData"]),
    ],
    unread: &[],
    schema: Some("SecurityEvent.columns"),
    sees: &["event 4698: a task's name and XML (flattened, or inside `EventData`)"],
    misses: &["the task's runs, unless process auditing (4688) is on"],
};

/// `CommonSecurityLog`: CEF rows from firewalls, proxies and other appliances:
/// the connection's addresses (before and after NAT), a proxy's URL and host.
pub const COMMON_SECURITY_LOG: SourceSpec = SourceSpec {
    name: "CommonSecurityLog",
    tables: &["CommonSecurityLog"],
    table: TableName::CommonSecurityLog,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Hunted,
    fields: &[
        cols(NormField::Action, &["DeviceAction"]),
        cols(NormField::RemoteIp, &["DestinationIP"]),
        id(NormField::RemotePort, "DestinationPort"),
        cols(NormField::RemoteUrl, &["RequestURL"]),
        cols(NormField::RemoteHostname, &["DestinationHostName"]),
        cols(NormField::LocalIp, &["SourceIP"]),
        cols(NormField::TranslatedIp, &["SourceTranslatedAddress"]),
        cols(NormField::User, &["SourceUserName"]),
    ],
    unread: &[
        cols(NormField::LocalPort, &["SourcePort"]),
        cols(NormField::Protocol, &["Protocol"]),
    ],
    schema: Some("CommonSecurityLog.columns"),
    sees: &["connections and requests through the appliance (`RequestURL` on proxy and URL-filter rows)"],
    misses: &[
        "the process, and the endpoint by name: `Computer` is the syslog host",
        "the client behind NAT or another proxy: the source is the last hop's address",
    ],
};
