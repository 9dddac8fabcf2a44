//! DNS servers' logs: Sentinel's `DnsEvents` and the ASIM DNS schema.

use crate::spec::{cols, NormField, Recognise, SourceSpec, TableName, Use};

/// Sentinel `DnsEvents`: the Windows DNS server's log.
pub const DNS_EVENTS: SourceSpec = SourceSpec {
    name: "DnsEvents",
    tables: &["DnsEvents"],
    table: TableName::DnsEvents,
    recognise: Recognise::Table,
    without_type: Some("Name"),
    used: Use::Hunted,
    fields: &[
        cols(NormField::QueryName, &["Name"]),
        cols(NormField::ClientIp, &["ClientIP"]),
    ],
    unread: &[],
    schema: Some("DnsEvents.columns"),
    sees: &["every query the DNS server answers, with the asking client's address (`ClientIP`)"],
    misses: &[
        "the process and the account that asked: `Computer` is the DNS server, not the client",
        "lookups the client answers from its own cache, or sends to another resolver",
    ],
};

/// The ASIM DNS schema (`_Im_Dns`, `ASimDnsActivityLogs`).
pub const ASIM_DNS: SourceSpec = SourceSpec {
    name: "ASimDns",
    tables: &["ASimDnsActivityLogs", "_Im_Dns"],
    table: TableName::Asim,
    recognise: Recognise::Table,
    without_type: Some("DnsQuery"),
    used: Use::Hunted,
    fields: &[
        cols(NormField::QueryName, &["DnsQuery"]),
        cols(NormField::Image, &["SrcProcessName"]),
        cols(NormField::ProcessGuid, &["SrcProcessGuid"]),
        cols(NormField::User, &["SrcUsername"]),
    ],
    unread: &[],
    schema: None,
    sees: &["the lookups of every DNS source normalised to ASIM"],
    misses: &["the process, unless the source under it is an endpoint that records one"],
};
