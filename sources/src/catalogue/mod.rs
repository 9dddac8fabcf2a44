//! Every source the field mapping knows, described once.
//!
//! The order of a source's `fields` is the order the mapping reads them (a
//! row with two columns of the wrong type is refused naming the first).

mod defender;
mod dns;
mod other;
mod sysmon;

pub use defender::DEFENDER_INITIATING;
pub use defender::{
    DEFENDER_FILE_ACTION_PREFIX, DEFENDER_INSPECTED_SUFFIX, DEFENDER_NETWORK_ACTIONS,
    DEFENDER_PROCESS_ACTION, DEVICE_EVENTS_DNS, DEVICE_EVENTS_TASK, DEVICE_FILE_CERTIFICATE_INFO,
    DEVICE_FILE_EVENTS, DEVICE_NETWORK_EVENTS, DEVICE_NETWORK_INFO, DEVICE_PROCESS_EVENTS,
    URL_CLICK_EVENTS,
};
pub use dns::{ASIM_DNS, DNS_EVENTS};
pub use other::{COMMON_SECURITY_LOG, HEARTBEAT, SECURITY_EVENT};
pub use sysmon::{
    EventTable, SYSMON_1, SYSMON_11, SYSMON_22, SYSMON_3, SYSMON_EVENT_TABLE, SYSMON_PROCESS,
    SYSMON_PROVIDER, SYSMON_TABLES,
};

use crate::spec::{cols, FieldRead, NormField, SourceSpec};

/// The column naming a row's table (Log Analytics' `Type`).
pub const TYPE_COLUMN: &str = "Type";
/// A Windows event's id.
pub const EVENT_ID_COLUMN: &str = "EventID";
/// The columns naming a Windows event's provider, in preference order.
pub const PROVIDER_COLUMNS: &[&str] = &["Channel", "SourceName", "ProviderName"];
/// A Defender row's action type.
pub const ACTION_TYPE_COLUMN: &str = "ActionType";

/// The fields read the same way on every source's rows.
pub const COMMON: &[FieldRead] = &[
    cols(
        NormField::Time,
        &[
            "TimeGenerated",
            "Timestamp",
            "UtcTime",
            "@timestamp",
            "EventTime",
        ],
    ),
    cols(
        NormField::Host,
        &["Computer", "DeviceName", "Hostname", "SrcHostname"],
    ),
];

/// Windows Security's "a scheduled task was created" event.
pub const SECURITY_TASK_CREATED: i64 = 4698;

/// Every source, hunted, learned from and declared.
pub static SOURCES: &[&SourceSpec] = &ALL;

/// [`SOURCES`], as a constant (what the read-column list is built from).
pub(crate) const ALL: [&SourceSpec; 17] = [
    &DNS_EVENTS,
    &ASIM_DNS,
    &SYSMON_1,
    &SYSMON_11,
    &SYSMON_22,
    &SYSMON_3,
    &DEVICE_PROCESS_EVENTS,
    &DEVICE_FILE_EVENTS,
    &DEVICE_EVENTS_DNS,
    &DEVICE_EVENTS_TASK,
    &DEVICE_FILE_CERTIFICATE_INFO,
    &DEVICE_NETWORK_INFO,
    &HEARTBEAT,
    &SECURITY_EVENT,
    &DEVICE_NETWORK_EVENTS,
    &COMMON_SECURITY_LOG,
    &URL_CLICK_EVENTS,
];

/// The columns hunts read on some table: a row of a table no hunt reads that
/// carries one of them is flagged, naming the first it has in this order.
pub const HUNTED_COLUMNS: [&str; 13] = joined(
    [
        DNS_EVENTS.column_of(NormField::QueryName),
        SYSMON_22.column_of(NormField::QueryName),
        ASIM_DNS.column_of(NormField::QueryName),
        DEFENDER_IMAGE_NAME,
        SYSMON_1.column_of(NormField::Image),
    ],
    NETWORK_COLUMNS,
);

/// The columns that carry a connection's remote end (an address, a URL, a
/// host name) on the tables hunts read: a `DeviceEvents` row of an action
/// no hunt reads (`BrowserLaunchedToOpenUrl`) that carries one is flagged.
pub const NETWORK_COLUMNS: [&str; 8] = [
    DEVICE_NETWORK_EVENTS.column_of(NormField::RemoteIp),
    DEVICE_NETWORK_EVENTS.column_of(NormField::RemoteUrl),
    SYSMON_3.column_of(NormField::RemoteIp),
    SYSMON_3.column_of(NormField::RemoteHostname),
    COMMON_SECURITY_LOG.column_of(NormField::RemoteIp),
    COMMON_SECURITY_LOG.column_of(NormField::RemoteUrl),
    COMMON_SECURITY_LOG.column_of(NormField::RemoteHostname),
    URL_CLICK_EVENTS.column_of(NormField::RemoteUrl),
];

/// `a` then `b` (`N` their lengths' sum, checked when compiled).
const fn joined<const A: usize, const B: usize, const N: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; N] {
    assert!(A + B == N, "N is the lengths' sum");
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < A { a[i] } else { b[i - A] };
        i += 1;
    }
    out
}

/// The file-name column of a Defender process row's image.
const DEFENDER_IMAGE_NAME: &str =
    crate::spec::path_in(DEVICE_PROCESS_EVENTS.fields, NormField::Image).1;
