//! The tables and columns the exports name, from the sources' descriptions
//! (`sources`), resolved when compiled.

use sources::NormField as F;
use sources::{
    column_in, inside_in, path_in, ASIM_DNS, COMMON_SECURITY_LOG, DEFENDER_INITIATING,
    DEVICE_EVENTS_DNS, DEVICE_EVENTS_TASK, DEVICE_FILE_CERTIFICATE_INFO, DEVICE_FILE_EVENTS,
    DEVICE_NETWORK_EVENTS, DEVICE_PROCESS_EVENTS, DNS_EVENTS, SYSMON_1, SYSMON_11, SYSMON_22,
    SYSMON_EVENT_TABLE, SYSMON_PROCESS, URL_CLICK_EVENTS,
};

pub(super) const DNSEVENTS: &str = DNS_EVENTS.tables[0];
pub(super) const DNSEVENTS_NAME: &str = DNS_EVENTS.column_of(F::QueryName);
pub(super) const DNSEVENTS_CLIENT: &str = DNS_EVENTS.column_of(F::ClientIp);
/// ASIM's unifying DNS parser.
pub(super) const ASIM: &str = ASIM_DNS.tables[1];
pub(super) const ASIM_QUERY: &str = ASIM_DNS.column_of(F::QueryName);

pub(super) const DEVICE_EVENTS: &str = DEVICE_EVENTS_DNS.tables[0];
pub(super) const DEVICE_PROCESS: &str = DEVICE_PROCESS_EVENTS.tables[0];
pub(super) const DEVICE_FILE: &str = DEVICE_FILE_EVENTS.tables[0];
pub(super) const DEVICE_NETWORK: &str = DEVICE_NETWORK_EVENTS.tables[0];
pub(super) const CERTIFICATES: &str = DEVICE_FILE_CERTIFICATE_INFO.tables[0];
pub(super) const DNS_ACTION: &str = DEVICE_EVENTS_DNS.action_type();
pub(super) const TASK_ACTION: &str = DEVICE_EVENTS_TASK.action_type();
/// `AdditionalFields` and the key Microsoft's queries read the name under.
pub(super) const DNS_QUERY_INSIDE: (&str, &[&str]) =
    inside_in(DEVICE_EVENTS_DNS.fields, F::QueryName);
pub(super) const TASK_NAME_INSIDE: (&str, &[&str]) =
    inside_in(DEVICE_EVENTS_TASK.fields, F::TaskName);
pub(super) const TASK_CONTENT_INSIDE: (&str, &[&str]) =
    inside_in(DEVICE_EVENTS_TASK.fields, F::TaskContent);
pub(super) const CERT_SIGNED: &str = DEVICE_FILE_CERTIFICATE_INFO.column_of(F::IsSigned);
pub(super) const CERT_SHA1: &str = DEVICE_FILE_CERTIFICATE_INFO.column_of(F::Sha1);
pub(super) const CERT_SIGNER: &str = DEVICE_FILE_CERTIFICATE_INFO.column_of(F::Signer);

pub(super) const INIT_IMAGE: (&str, &str) = path_in(&DEFENDER_INITIATING, F::Image);
pub(super) const INIT_COMMAND_LINE: &str = column_in(&DEFENDER_INITIATING, F::CommandLine);
pub(super) const INIT_PARENT_IMAGE: &str = column_in(&DEFENDER_INITIATING, F::ParentImage);
pub(super) const INIT_COMPANY: &str = column_in(&DEFENDER_INITIATING, F::Company);
pub(super) const INIT_SHA1: &str = column_in(&DEFENDER_INITIATING, F::Sha1);
pub(super) const DFE_TARGET: (&str, &str) = path_in(DEVICE_FILE_EVENTS.fields, F::TargetPath);
pub(super) const DPE_IMAGE: (&str, &str) = path_in(DEVICE_PROCESS_EVENTS.fields, F::Image);
pub(super) const DPE_COMMAND_LINE: &str = DEVICE_PROCESS_EVENTS.column_of(F::CommandLine);
pub(super) const DPE_PARENT_IMAGE: (&str, &str) =
    path_in(DEVICE_PROCESS_EVENTS.fields, F::ParentImage);
pub(super) const DPE_PARENT_COMMAND_LINE: &str =
    DEVICE_PROCESS_EVENTS.column_of(F::ParentCommandLine);
pub(super) const DPE_COMPANY: &str = DEVICE_PROCESS_EVENTS.column_of(F::Company);
pub(super) const DPE_SHA1: &str = DEVICE_PROCESS_EVENTS.column_of(F::Sha1);

pub(super) const EVENT_TABLE: &str = SYSMON_EVENT_TABLE.table;
pub(super) const EVENT_PROVIDER_COLUMN: &str = SYSMON_EVENT_TABLE.provider_column;
pub(super) const EVENT_PROVIDER: &str = SYSMON_EVENT_TABLE.provider;
pub(super) const EVENT_DATA: &str = SYSMON_EVENT_TABLE.data;
pub(super) const SYSMON_PROCESS_ID: i64 = SYSMON_1.event_id();
pub(super) const SYSMON_FILE_ID: i64 = SYSMON_11.event_id();
pub(super) const SYSMON_DNS_ID: i64 = SYSMON_22.event_id();
pub(super) const SYSMON_QUERY: &str = SYSMON_22.column_of(F::QueryName);
pub(super) const SYSMON_TARGET: &str = SYSMON_11.column_of(F::TargetPath);
pub(super) const SYSMON_GUID: &str = column_in(&SYSMON_PROCESS, F::ProcessGuid);
pub(super) const SYSMON_IMAGE: &str = column_in(&SYSMON_PROCESS, F::Image);
pub(super) const SYSMON_COMMAND_LINE: &str = SYSMON_1.column_of(F::CommandLine);
pub(super) const SYSMON_PARENT_IMAGE: &str = SYSMON_1.column_of(F::ParentImage);
pub(super) const SYSMON_PARENT_COMMAND_LINE: &str = SYSMON_1.column_of(F::ParentCommandLine);
pub(super) const SYSMON_COMPANY: &str = SYSMON_1.column_of(F::Company);

/// Defender for Office 365's Safe Links clicks: the table, the link and the
/// address the click came from.
pub(super) const CLICKS: &str = URL_CLICK_EVENTS.tables[0];
pub(super) const CLICK_URL: &str = URL_CLICK_EVENTS.column_of(F::RemoteUrl);
pub(super) const CLICK_IP: &str = URL_CLICK_EVENTS.column_of(F::LocalIp);

/// Defender's connection columns.
pub(super) const DNE_REMOTE_IP: &str = DEVICE_NETWORK_EVENTS.column_of(F::RemoteIp);
pub(super) const DNE_REMOTE_PORT: &str = DEVICE_NETWORK_EVENTS.column_of(F::RemotePort);
pub(super) const DNE_REMOTE_URL: &str = DEVICE_NETWORK_EVENTS.column_of(F::RemoteUrl);
pub(super) const DNE_LOCAL_IP: &str = DEVICE_NETWORK_EVENTS.column_of(F::LocalIp);
/// The object's digests (SHA-256, SHA-1, MD5) of Defender's process and file rows.
pub(super) const DPE_DIGESTS: [&str; 3] = [
    DEVICE_PROCESS_EVENTS.column_of(F::ObjectSha256),
    DEVICE_PROCESS_EVENTS.column_of(F::ObjectSha1),
    DEVICE_PROCESS_EVENTS.column_of(F::ObjectMd5),
];
pub(super) const DFE_DIGESTS: [&str; 3] = [
    DEVICE_FILE_EVENTS.column_of(F::ObjectSha256),
    DEVICE_FILE_EVENTS.column_of(F::ObjectSha1),
    DEVICE_FILE_EVENTS.column_of(F::ObjectMd5),
];

/// The firewall's and proxy's `CommonSecurityLog` columns.
pub(super) const CSL: &str = COMMON_SECURITY_LOG.tables[0];
pub(super) const CSL_REMOTE_IP: &str = COMMON_SECURITY_LOG.column_of(F::RemoteIp);
pub(super) const CSL_REMOTE_PORT: &str = COMMON_SECURITY_LOG.column_of(F::RemotePort);
pub(super) const CSL_URL: &str = COMMON_SECURITY_LOG.column_of(F::RemoteUrl);
pub(super) const CSL_HOST: &str = COMMON_SECURITY_LOG.column_of(F::RemoteHostname);
pub(super) const CSL_SOURCE_IP: &str = COMMON_SECURITY_LOG.column_of(F::LocalIp);

/// ASIM's unifying network session and web session parsers and the columns the
/// forms read, as Microsoft's "ASIM Network Session normalization schema" and
/// "ASIM Web Session normalization schema" references name them (the web
/// session schema is a superset of the network session one).
pub(super) const ASIM_NETWORK: &str = "_Im_NetworkSession";
pub(super) const ASIM_WEB: &str = "_Im_WebSession";
pub(super) const ASIM_DST_IP: &str = "DstIpAddr";
pub(super) const ASIM_DST_PORT: &str = "DstPortNumber";
pub(super) const ASIM_SRC_IP: &str = "SrcIpAddr";
/// The destination's host name with its domain (Microsoft's Defender parser
/// puts `RemoteUrl` there, without its scheme), else without it.
pub(super) const ASIM_DST_NAME: &str = "coalesce(DstFQDN, DstHostname)";
pub(super) const ASIM_URL: &str = "Url";
pub(super) const ASIM_HTTP_HOST: &str = "HttpHost";
