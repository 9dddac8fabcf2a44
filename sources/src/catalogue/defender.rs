//! Defender for Endpoint's advanced-hunting tables (and the Sentinel copies of
//! them), and Defender for Office's `UrlClickEvents`.

use crate::spec::{cols, id, FieldRead, NormField, Read, Recognise, SourceSpec, TableName, Use};

/// What a Defender action type of a file event starts with (`FileCreated`,
/// `FileModified`): a row without `Type` that has one is a `DeviceFileEvents` row.
pub const DEFENDER_FILE_ACTION_PREFIX: &str = "File";

/// The action type of a process creation: a row without `Type` that has it is
/// a `DeviceProcessEvents` row (as is one with `ProcessCommandLine`).
pub const DEFENDER_PROCESS_ACTION: &str = "ProcessCreated";

/// The action types of `DeviceNetworkEvents` (the documented list,
/// `../shared/data/schemas/DeviceNetworkEvents.actiontypes`, less the
/// Zeek-parsed `*ConnectionInspected` family, told by
/// [`DEFENDER_INSPECTED_SUFFIX`]): a row without `Type` that has one is a
/// `DeviceNetworkEvents` row.
pub const DEFENDER_NETWORK_ACTIONS: [&str; 9] = [
    "ConnectionSuccess",
    "ConnectionFailed",
    "ConnectionRequest",
    "InboundConnectionAccepted",
    "ListeningConnectionCreated",
    "ConnectionFound",
    "NetworkSignatureInspected",
    "ConnectionAttempt",
    "ConnectionAcknowledged",
];

/// What the action types of the network layer's Zeek-parsed sessions end
/// with (`HttpConnectionInspected`): `DeviceNetworkEvents` rows too.
pub const DEFENDER_INSPECTED_SUFFIX: &str = "ConnectionInspected";

const fn path(field: NormField, folder: &'static str, name: &'static str) -> FieldRead {
    FieldRead {
        field,
        read: Read::Path { folder, name },
    }
}

/// The initiating process's image: the process that acted on the Defender
/// tables other than `DeviceProcessEvents`, the parent on that one.
const INITIATING_IMAGE: Read = Read::Path {
    folder: "InitiatingProcessFolderPath",
    name: "InitiatingProcessFileName",
};

/// The process that acted (the initiating process), as the Defender tables
/// other than `DeviceProcessEvents` name it.
pub const DEFENDER_INITIATING: [FieldRead; 7] = [
    id(NormField::ProcessGuid, "InitiatingProcessUniqueId"),
    FieldRead {
        field: NormField::Image,
        read: INITIATING_IMAGE,
    },
    cols(NormField::CommandLine, &["InitiatingProcessCommandLine"]),
    cols(NormField::ParentImage, &["InitiatingProcessParentFileName"]),
    cols(
        NormField::Company,
        &["InitiatingProcessVersionInfoCompanyName"],
    ),
    cols(NormField::Sha1, &["InitiatingProcessSHA1"]),
    cols(NormField::User, &["InitiatingProcessAccountName"]),
];

/// The initiating process's other hashes (not read yet).
const INITIATING_HASHES: [FieldRead; 2] = [
    cols(NormField::Sha256, &["InitiatingProcessSHA256"]),
    cols(NormField::Md5, &["InitiatingProcessMD5"]),
];

/// `DeviceProcessEvents`: process creations.
pub const DEVICE_PROCESS_EVENTS: SourceSpec = SourceSpec {
    name: "DeviceProcessEvents",
    tables: &["DeviceProcessEvents"],
    table: TableName::DeviceProcessEvents,
    recognise: Recognise::Table,
    without_type: Some("ProcessCommandLine"),
    used: Use::Hunted,
    fields: &[
        path(NormField::Image, "FolderPath", "FileName"),
        cols(NormField::CommandLine, &["ProcessCommandLine"]),
        FieldRead {
            field: NormField::ParentImage,
            read: INITIATING_IMAGE,
        },
        cols(NormField::ParentCommandLine, &["InitiatingProcessCommandLine"]),
        cols(NormField::Company, &["ProcessVersionInfoCompanyName"]),
        cols(NormField::Sha1, &["SHA1"]),
        cols(NormField::User, &["AccountName"]),
        id(NormField::ProcessGuid, "ProcessUniqueId"),
        cols(NormField::ObjectSha256, &["SHA256"]),
        cols(NormField::ObjectSha1, &["SHA1"]),
        cols(NormField::ObjectMd5, &["MD5"]),
    ],
    unread: &[],
    schema: Some("DeviceProcessEvents.columns"),
    sees: &["every process created, with its parent (the initiating process) and hashes"],
    misses: &[
        "the parent's parent's command line",
        "a file's signer (`DeviceFileCertificateInfo`) or the task a process runs for (`ScheduledTaskCreated`)",
    ],
};

/// `DeviceFileEvents`: file creations and changes.
pub const DEVICE_FILE_EVENTS: SourceSpec = SourceSpec {
    name: "DeviceFileEvents",
    tables: &["DeviceFileEvents"],
    table: TableName::DeviceFileEvents,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Hunted,
    fields: &[
        path(NormField::TargetPath, "FolderPath", "FileName"),
        DEFENDER_INITIATING[0],
        DEFENDER_INITIATING[1],
        DEFENDER_INITIATING[2],
        DEFENDER_INITIATING[3],
        DEFENDER_INITIATING[4],
        DEFENDER_INITIATING[5],
        DEFENDER_INITIATING[6],
        cols(NormField::ObjectSha256, &["SHA256"]),
        cols(NormField::ObjectSha1, &["SHA1"]),
        cols(NormField::ObjectMd5, &["MD5"]),
    ],
    unread: &INITIATING_HASHES,
    schema: Some("DeviceFileEvents.columns"),
    sees: &["files created, modified and renamed, with the process that wrote them"],
    misses: &["the writing process's parent's command line (only its file name)"],
};

/// `DeviceEvents` `DnsQueryResponse`: a DNS answer the endpoint received.
pub const DEVICE_EVENTS_DNS: SourceSpec = SourceSpec {
    name: "DeviceEvents (DnsQueryResponse)",
    tables: &["DeviceEvents"],
    table: TableName::DeviceEvents,
    recognise: Recognise::ActionType("DnsQueryResponse"),
    without_type: Some("ActionType"),
    used: Use::Hunted,
    fields: &[
        FieldRead {
            field: NormField::QueryName,
            read: Read::Inside {
                column: "AdditionalFields",
                keys: &["DnsQueryString", "QueryName", "query", "DnsQuery"],
                top_level: true,
            },
        },
        DEFENDER_INITIATING[0],
        DEFENDER_INITIATING[1],
        DEFENDER_INITIATING[2],
        DEFENDER_INITIATING[3],
        DEFENDER_INITIATING[4],
        DEFENDER_INITIATING[5],
        DEFENDER_INITIATING[6],
    ],
    unread: &INITIATING_HASHES,
    schema: Some("DeviceEvents.columns"),
    sees: &["DNS answers received after a lookup, the name in `AdditionalFields.DnsQueryString`"],
    misses: &[
        "which process is named as the initiating one, and whether cached answers are recorded, are undocumented",
    ],
};

/// `DeviceEvents` `ScheduledTaskCreated`: a task registered (learned from).
pub const DEVICE_EVENTS_TASK: SourceSpec = SourceSpec {
    name: "DeviceEvents (ScheduledTaskCreated)",
    tables: &["DeviceEvents"],
    table: TableName::DeviceEvents,
    recognise: Recognise::ActionType("ScheduledTaskCreated"),
    without_type: Some("ActionType"),
    used: Use::Learned,
    fields: &[
        FieldRead {
            field: NormField::TaskName,
            read: Read::Inside {
                column: "AdditionalFields",
                keys: &["TaskName"],
                top_level: false,
            },
        },
        FieldRead {
            field: NormField::TaskContent,
            read: Read::Inside {
                column: "AdditionalFields",
                keys: &["TaskContent"],
                top_level: false,
            },
        },
    ],
    unread: &[],
    schema: Some("DeviceEvents.columns"),
    sees: &["a task's name and its definition (the action's command and arguments)"],
    misses: &["the task's runs: each is a process created by the Task Scheduler"],
};

/// `DeviceFileCertificateInfo`: a file's signer, by `SHA1` (learned from).
pub const DEVICE_FILE_CERTIFICATE_INFO: SourceSpec = SourceSpec {
    name: "DeviceFileCertificateInfo",
    tables: &["DeviceFileCertificateInfo"],
    table: TableName::DeviceFileCertificateInfo,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Learned,
    fields: &[
        cols(NormField::IsSigned, &["IsSigned"]),
        cols(NormField::Sha1, &["SHA1"]),
        cols(NormField::Signer, &["Signer"]),
    ],
    unread: &[],
    schema: Some("DeviceFileCertificateInfo.columns"),
    sees: &["the signer of a signed file the sensor has seen"],
    misses: &["the process: the row is about a file"],
};

/// `DeviceNetworkInfo`: a device's adapters and addresses (learned from).
pub const DEVICE_NETWORK_INFO: SourceSpec = SourceSpec {
    name: "DeviceNetworkInfo",
    tables: &["DeviceNetworkInfo"],
    table: TableName::DeviceNetworkInfo,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Learned,
    fields: &[FieldRead {
        field: NormField::HostAddresses,
        read: Read::List("IPAddresses"),
    }],
    unread: &[],
    schema: Some("DeviceNetworkInfo.columns"),
    sees: &["the device's addresses (`IPAddresses`, a list of objects)"],
    misses: &["connections: the row describes adapters"],
};

/// `DeviceNetworkEvents`: connections, with the initiating process.
pub const DEVICE_NETWORK_EVENTS: SourceSpec = SourceSpec {
    name: "DeviceNetworkEvents",
    tables: &["DeviceNetworkEvents"],
    table: TableName::DeviceNetworkEvents,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Hunted,
    fields: &[
        cols(NormField::Action, &["ActionType"]),
        cols(NormField::RemoteIp, &["RemoteIP"]),
        id(NormField::RemotePort, "RemotePort"),
        cols(NormField::RemoteUrl, &["RemoteUrl"]),
        cols(NormField::LocalIp, &["LocalIP"]),
        DEFENDER_INITIATING[0],
        DEFENDER_INITIATING[1],
        DEFENDER_INITIATING[2],
        DEFENDER_INITIATING[3],
        DEFENDER_INITIATING[4],
        DEFENDER_INITIATING[5],
        DEFENDER_INITIATING[6],
    ],
    unread: &[
        cols(NormField::LocalPort, &["LocalPort"]),
        cols(NormField::Protocol, &["Protocol"]),
    ],
    schema: Some("DeviceNetworkEvents.columns"),
    sees: &[
        "connections with their process; Zeek-parsed sessions (`*ConnectionInspected`) from the network layer",
    ],
    misses: &[
        "`RemoteUrl` is often empty: when it is filled on a plain TCP connection is undocumented",
        "Zeek-parsed rows carry no process, user or command line",
    ],
};

/// `UrlClickEvents`: Safe Links clicks, with the account.
pub const URL_CLICK_EVENTS: SourceSpec = SourceSpec {
    name: "UrlClickEvents",
    tables: &["UrlClickEvents"],
    table: TableName::UrlClickEvents,
    recognise: Recognise::Table,
    without_type: None,
    used: Use::Hunted,
    fields: &[
        cols(NormField::Action, &["ActionType"]),
        cols(NormField::RemoteUrl, &["Url"]),
        cols(NormField::LocalIp, &["IPAddress"]),
        cols(NormField::User, &["AccountUpn"]),
    ],
    unread: &[],
    schema: Some("UrlClickEvents.columns"),
    sees: &["clicks on links Safe Links wrapped (in mail, Teams, Office), with the account"],
    misses: &["the device and the process: the row is the click, not the connection"],
};
