//! The normalised event the hunts read, whatever telemetry source it came from.

use serde::Serialize;

/// What a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A DNS lookup.
    Dns,
    /// A process creation.
    Process,
    /// A file creation.
    File,
    /// A connection, a web request or a click on a link: a remote address,
    /// port, URL or host name.
    Network,
    /// Any other event (another Sysmon or Security event id): no hunt reads it.
    Other,
}

/// The telemetry source (table or event type) a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Source {
    /// Sentinel `DnsEvents` (DNS server logs; no process on the row).
    DnsEvents,
    /// ASIM DNS (`_Im_Dns`); process fields only when an endpoint filled them.
    AsimDns,
    /// Sysmon event 1, ProcessCreate.
    SysmonProcessCreate,
    /// Sysmon event 11, FileCreate.
    SysmonFileCreate,
    /// Sysmon event 22, DnsQuery.
    SysmonDnsQuery,
    /// Sysmon event 3, NetworkConnect.
    SysmonNetworkConnect,
    /// Another Sysmon event (its event id): no hunt reads it.
    SysmonOther(u16),
    /// An event of another Windows provider (Security, System, PowerShell, ...).
    WindowsOther,
    /// Defender `DeviceProcessEvents`.
    DeviceProcessEvents,
    /// Defender `DeviceFileEvents`.
    DeviceFileEvents,
    /// Defender `DeviceEvents` with `ActionType == "DnsQueryResponse"`.
    DeviceEventsDns,
    /// Defender `DeviceEvents` with `ActionType == "ScheduledTaskCreated"`: a
    /// task's name and action, which the process join learns.
    DeviceEventsTask,
    /// Defender `DeviceEvents` with another action type.
    DeviceEventsOther,
    /// Defender `DeviceNetworkEvents`: connections, with the initiating process.
    DeviceNetworkEvents,
    /// `CommonSecurityLog`: a firewall's or a web proxy's row (CEF); the
    /// appliance is the device, the endpoint the source address.
    CommonSecurityLog,
    /// Defender for Office `UrlClickEvents`: a click on a link Safe Links
    /// wrapped, with the account.
    UrlClickEvents,
    /// Defender `DeviceFileCertificateInfo`: a file's signer, by `SHA1`.
    DeviceFileCertificateInfo,
    /// Defender `DeviceNetworkInfo`: a device's addresses.
    DeviceNetworkInfo,
    /// Log Analytics agent `Heartbeat`: a computer's addresses.
    Heartbeat,
    /// Sentinel `SecurityEvent` (Windows Security log; 4698 names a new task).
    SecurityEvent,
    /// A row whose `Type` names a table no hunt reads (SecurityEvent, Syslog, ...).
    OtherTable,
}

impl Source {
    /// The name used in reports and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Source::DnsEvents => "DnsEvents",
            Source::AsimDns => "ASimDns",
            Source::SysmonProcessCreate => "Sysmon 1 (ProcessCreate)",
            Source::SysmonFileCreate => "Sysmon 11 (FileCreate)",
            Source::SysmonDnsQuery => "Sysmon 22 (DnsQuery)",
            Source::SysmonNetworkConnect => "Sysmon 3 (NetworkConnect)",
            Source::DeviceNetworkEvents => "DeviceNetworkEvents",
            Source::CommonSecurityLog => "CommonSecurityLog",
            Source::UrlClickEvents => "UrlClickEvents",
            Source::SysmonOther(id) => sysmon_event_name(id),
            Source::WindowsOther => "Windows event (not Sysmon)",
            Source::DeviceProcessEvents => "DeviceProcessEvents",
            Source::DeviceFileEvents => "DeviceFileEvents",
            Source::DeviceEventsDns => "DeviceEvents (DnsQueryResponse)",
            Source::DeviceEventsTask => "DeviceEvents (ScheduledTaskCreated)",
            Source::DeviceEventsOther => "DeviceEvents (other)",
            Source::DeviceFileCertificateInfo => "DeviceFileCertificateInfo",
            Source::DeviceNetworkInfo => "DeviceNetworkInfo",
            Source::Heartbeat => "Heartbeat",
            Source::SecurityEvent => "SecurityEvent",
            Source::OtherTable => "other table",
        }
    }

    /// Whether the row is a Sysmon DNS query (event 22) or file creation
    /// (event 11): it names only its process's image and GUID, and is joined to
    /// that process's creation (event 1) for the rest ([`crate::enrich`]).
    pub fn is_sysmon_dns_or_file(self) -> bool {
        matches!(self, Source::SysmonDnsQuery | Source::SysmonFileCreate)
    }

    /// Whether a row of this source can teach the process join something (a
    /// process creation, a signer, a task, a host's addresses): the rows a
    /// first pass over a file must map ([`crate::fields::teaching_line`]).
    pub fn teaches(self) -> bool {
        match self {
            Source::SysmonProcessCreate
            | Source::DeviceProcessEvents
            | Source::DeviceEventsTask
            | Source::WindowsOther
            | Source::DeviceFileCertificateInfo
            | Source::DeviceNetworkInfo
            | Source::Heartbeat
            | Source::SecurityEvent => true,
            Source::DnsEvents
            | Source::AsimDns
            | Source::SysmonDnsQuery
            | Source::DeviceEventsDns
            | Source::SysmonFileCreate
            | Source::DeviceFileEvents
            | Source::SysmonNetworkConnect
            | Source::DeviceNetworkEvents
            | Source::CommonSecurityLog
            | Source::UrlClickEvents
            | Source::SysmonOther(_)
            | Source::DeviceEventsOther
            | Source::OtherTable => false,
        }
    }

    /// The kind of row this source gives.
    pub fn kind(self) -> Kind {
        match self {
            Source::DnsEvents
            | Source::AsimDns
            | Source::SysmonDnsQuery
            | Source::DeviceEventsDns => Kind::Dns,
            Source::SysmonProcessCreate | Source::DeviceProcessEvents => Kind::Process,
            Source::SysmonFileCreate | Source::DeviceFileEvents => Kind::File,
            Source::SysmonNetworkConnect
            | Source::DeviceNetworkEvents
            | Source::CommonSecurityLog
            | Source::UrlClickEvents => Kind::Network,
            Source::SysmonOther(_)
            | Source::WindowsOther
            | Source::DeviceEventsTask
            | Source::DeviceEventsOther
            | Source::DeviceFileCertificateInfo
            | Source::DeviceNetworkInfo
            | Source::Heartbeat
            | Source::SecurityEvent
            | Source::OtherTable => Kind::Other,
        }
    }
}

/// The name of a Sysmon event, as Sysinternals' documentation names it.
fn sysmon_event_name(id: u16) -> &'static str {
    match id {
        1 => "Sysmon 1 (ProcessCreate)",
        2 => "Sysmon 2 (FileCreateTime)",
        3 => "Sysmon 3 (NetworkConnect)",
        4 => "Sysmon 4 (ServiceStateChange)",
        5 => "Sysmon 5 (ProcessTerminate)",
        6 => "Sysmon 6 (DriverLoad)",
        7 => "Sysmon 7 (ImageLoad)",
        8 => "Sysmon 8 (CreateRemoteThread)",
        9 => "Sysmon 9 (RawAccessRead)",
        10 => "Sysmon 10 (ProcessAccess)",
        11 => "Sysmon 11 (FileCreate)",
        12 => "Sysmon 12 (RegistryEvent, object create and delete)",
        13 => "Sysmon 13 (RegistryEvent, value set)",
        14 => "Sysmon 14 (RegistryEvent, key and value rename)",
        15 => "Sysmon 15 (FileCreateStreamHash)",
        16 => "Sysmon 16 (ServiceConfigurationChange)",
        17 => "Sysmon 17 (PipeEvent, pipe created)",
        18 => "Sysmon 18 (PipeEvent, pipe connected)",
        19 => "Sysmon 19 (WmiEvent, filter)",
        20 => "Sysmon 20 (WmiEvent, consumer)",
        21 => "Sysmon 21 (WmiEvent, consumer to filter)",
        22 => "Sysmon 22 (DnsQuery)",
        23 => "Sysmon 23 (FileDelete)",
        24 => "Sysmon 24 (ClipboardChange)",
        25 => "Sysmon 25 (ProcessTampering)",
        26 => "Sysmon 26 (FileDeleteDetected)",
        27 => "Sysmon 27 (FileBlockExecutable)",
        28 => "Sysmon 28 (FileBlockShredding)",
        29 => "Sysmon 29 (FileExecutableDetected)",
        255 => "Sysmon 255 (Error)",
        _ => "Sysmon event (unknown id)",
    }
}

/// The process acting on a row: the process created (process rows), the process
/// that asked (DNS rows), the process that wrote the file (file rows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Process {
    /// Process GUID (Sysmon `ProcessGuid`), the join key with process creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// Full image path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command_line: Option<String>,
    /// Parent's image path (or file name alone, where the source gives only that).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_image: Option<String>,
    /// Parent's command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_command_line: Option<String>,
    /// Version-info company name of the image (self-declared by the binary).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// SHA1 of the image, where the row names it (Defender `SHA1` /
    /// `InitiatingProcessSHA1`): the key of its signer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    /// Code-signing signer of the image: learned by the process join from
    /// `DeviceFileCertificateInfo` (joined on `SHA1`); no process row carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// The scheduled task whose action this process is: learned by the process
    /// join from the task's creation (`ScheduledTaskCreated`, Security 4698),
    /// matched on the action's command line; no process row carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_name: Option<String>,
    /// Account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// One row of telemetry, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Where the row came from.
    pub source: Source,
    /// The row's time, as the source wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Host (DnsEvents `Computer` is the DNS server; see the README). On a
    /// `CommonSecurityLog` row, the endpoint: its source address, or the host
    /// the process join found reporting that address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// DNS query name, as written (case and trailing dot kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_name: Option<String>,
    /// The created file's full path (file rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_path: Option<String>,
    /// The acting process, when the source records one. Boxed, as `net` is:
    /// an event is moved from the mapping through the join and decision to
    /// its sink, and these two are most of its size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<Box<Process>>,
    /// On a row of a table no hunt reads: a column that hunts read on other
    /// tables (`Name`, `QueryName`, `DnsQuery`, `FileName`, `Image`, the
    /// remote end's columns). On a row of a kind no hunt of the detection
    /// reads (set by [`crate::pipeline::Pipeline`]): the content field that
    /// carries a value of a kind the detection holds indicators of. Such a
    /// row is reported, never passed silently as "no hunt fired".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread_column: Option<&'static str>,
    /// The connection, request or click a network row records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net: Option<Box<Net>>,
    /// The digests of the row's object: the created file (file rows), the
    /// created process's image (process rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashes: Option<Hashes>,
    /// The client's address on a DNS server's row (`DnsEvents.ClientIP`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    /// What the row tells about other rows (a signer, a task, a host's addresses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learned: Option<Learned>,
}

/// What a network row records: the remote end, and where the sensor stood.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Net {
    /// The remote (destination) address, as the row wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_ip: Option<String>,
    /// The remote (destination) port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_port: Option<u16>,
    /// The full URL, where the row carries one (a proxy's `RequestURL`, a
    /// click's `Url`, a `RemoteUrl` holding a URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The remote host's name: the URL's host, a bare `RemoteUrl`, a proxy's
    /// `DestinationHostName`, Sysmon's `DestinationHostname`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_host: Option<String>,
    /// Whether `remote_host` is the sensor's own reverse (PTR) lookup of the
    /// address (Sysmon 3), not a name the program asked for.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reverse_lookup: bool,
    /// The local (source) address, before any NAT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// The source address after NAT (a firewall's `SourceTranslatedAddress`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translated_ip: Option<String>,
    /// The appliance that wrote the row (a firewall's or proxy's `Computer`),
    /// when it is not the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// What the sensor or device did (`ConnectionSuccess`, `allow`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// A file's digests, lower case, where the row names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Hashes {
    /// SHA-256.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// SHA-1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha1: Option<String>,
    /// MD5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

/// What a row that no hunt reads tells about other rows: the process join uses
/// signers and tasks, host attribution uses addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "learned", rename_all = "snake_case")]
pub enum Learned {
    /// `DeviceFileCertificateInfo`: the file with this SHA1 is signed by `signer`.
    Signer {
        /// The file's SHA1 (lower case).
        sha1: String,
        /// The signer's name.
        signer: String,
    },
    /// A task was registered (`ScheduledTaskCreated`, Security 4698) on the
    /// row's host: its name (a path, `\DHCP Monitor`) and its action's command
    /// line (`Command` and `Arguments` of the `Exec` action).
    Task {
        /// The task's path, as Windows writes it.
        name: String,
        /// The action's program and arguments, joined by a space.
        command: String,
    },
    /// The row's host holds these addresses (`DeviceNetworkInfo.IPAddresses`,
    /// `Heartbeat.ComputerPrivateIPs`).
    Addresses {
        /// The addresses.
        ips: Vec<String>,
    },
}

/// A field a hunt or exclusion can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// DNS query name.
    QueryName,
    /// The row's object name, as Defender's `FileName`: the created file's name on
    /// file rows, the new process's image name on process rows.
    FileName,
    /// The row's object path: the created file (file rows), the new image (process rows).
    FilePath,
    /// The acting process's full image path.
    Image,
    /// The acting process's image file name.
    ImageName,
    /// The acting process's command line.
    CommandLine,
    /// The parent's image path.
    ParentImage,
    /// The parent's image file name.
    ParentImageName,
    /// The parent's command line.
    ParentCommandLine,
    /// Version-info company of the acting image.
    Company,
    /// Code-signing signer of the acting image.
    Signer,
    /// Scheduled-task name.
    TaskName,
    /// A network row's remote (destination) address.
    RemoteIp,
    /// A network row's local (source) address, before NAT.
    SourceIp,
    /// A network row's full URL.
    Url,
    /// A network row's remote host name (a URL's host, a bare `RemoteUrl`,
    /// a proxy's host, Sysmon's reverse lookup).
    RemoteHost,
    /// The SHA-256 of the row's object (the file; the created process's image).
    Sha256,
    /// The SHA-1 of the row's object.
    Sha1,
    /// The MD5 of the row's object.
    Md5,
}

impl Field {
    /// Whether the field is a network row's (its remote or local address,
    /// URL or remote host).
    pub fn is_network_field(self) -> bool {
        matches!(
            self,
            Field::RemoteIp | Field::SourceIp | Field::Url | Field::RemoteHost
        )
    }

    /// Whether the field describes the acting process (so rows without a process
    /// cannot give it).
    pub fn is_process_field(self) -> bool {
        !matches!(
            self,
            Field::QueryName
                | Field::FileName
                | Field::FilePath
                | Field::RemoteIp
                | Field::SourceIp
                | Field::Url
                | Field::RemoteHost
                | Field::Sha256
                | Field::Sha1
                | Field::Md5
        )
    }
}

/// The last component of a Windows or POSIX path.
pub fn basename(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().unwrap_or(path)
}

impl Event {
    /// An event of this source with nothing else set.
    pub fn new(source: Source) -> Self {
        Self {
            source,
            time: None,
            host: None,
            query_name: None,
            target_path: None,
            process: None,
            unread_column: None,
            net: None,
            hashes: None,
            client_ip: None,
            learned: None,
        }
    }

    /// The kind of row.
    pub fn kind(&self) -> Kind {
        self.source.kind()
    }

    /// A field's value; `None` when the row does not carry it (empty counts as absent).
    pub fn field(&self, f: Field) -> Option<&str> {
        let p = self.process.as_ref();
        let v = match f {
            Field::QueryName => self.query_name.as_deref(),
            Field::FilePath => match self.kind() {
                Kind::File => self.target_path.as_deref(),
                Kind::Process => p.and_then(|p| p.image.as_deref()),
                _ => None,
            },
            Field::FileName => self.field(Field::FilePath).map(basename),
            Field::Image => p.and_then(|p| p.image.as_deref()),
            Field::ImageName => p.and_then(|p| p.image.as_deref()).map(basename),
            Field::CommandLine => p.and_then(|p| p.command_line.as_deref()),
            Field::ParentImage => p.and_then(|p| p.parent_image.as_deref()),
            Field::ParentImageName => p.and_then(|p| p.parent_image.as_deref()).map(basename),
            Field::ParentCommandLine => p.and_then(|p| p.parent_command_line.as_deref()),
            Field::Company => p.and_then(|p| p.company.as_deref()),
            Field::Signer => p.and_then(|p| p.signer.as_deref()),
            Field::TaskName => p.and_then(|p| p.task_name.as_deref()),
            Field::RemoteIp => self.net.as_ref().and_then(|n| n.remote_ip.as_deref()),
            Field::SourceIp => self.net.as_ref().and_then(|n| n.source_ip.as_deref()),
            Field::Url => self.net.as_ref().and_then(|n| n.url.as_deref()),
            Field::RemoteHost => self.net.as_ref().and_then(|n| n.remote_host.as_deref()),
            Field::Sha256 => self.hashes.as_ref().and_then(|h| h.sha256.as_deref()),
            Field::Sha1 => self.hashes.as_ref().and_then(|h| h.sha1.as_deref()),
            Field::Md5 => self.hashes.as_ref().and_then(|h| h.md5.as_deref()),
        };
        v.filter(|s| !s.is_empty())
    }

    /// What the row is about: its query, else its file, else its remote end
    /// (the URL, else the host, else the address), else its process's image
    /// (`None` when it names none of them).
    pub fn subject(&self) -> Option<Subject<'_>> {
        let remote = self.net.as_ref().and_then(|n| {
            n.url
                .as_deref()
                .or(n.remote_host.as_deref())
                .or(n.remote_ip.as_deref())
        });
        match (&self.query_name, &self.target_path, remote, &self.process) {
            (Some(q), _, _, _) => Some(Subject::Query(q)),
            (None, Some(f), _, _) => Some(Subject::File(f)),
            (None, None, Some(r), _) => Some(Subject::Remote(r)),
            (None, None, None, Some(p)) => Some(Subject::Process(p.image.as_deref())),
            _ => None,
        }
    }
}

/// What a row is about ([`Event::subject`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject<'a> {
    /// The DNS query name.
    Query(&'a str),
    /// The file's path.
    File(&'a str),
    /// A network row's remote end: its URL, host name or address.
    Remote(&'a str),
    /// The acting process, by its image (which the row may not name).
    Process(Option<&'a str>),
}

impl<'a> Subject<'a> {
    /// What it is: `query`, `file` or `process`.
    pub fn label(self) -> &'static str {
        match self {
            Subject::Query(_) => "query",
            Subject::File(_) => "file",
            Subject::Remote(_) => "remote",
            Subject::Process(_) => "process",
        }
    }

    /// Its name: the query, the path or the image (`None` for a process whose
    /// image the row does not name).
    pub fn value(self) -> Option<&'a str> {
        match self {
            Subject::Query(v) | Subject::File(v) | Subject::Remote(v) => Some(v),
            Subject::Process(image) => image,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basename_of_paths() {
        assert_eq!(basename(r"C:\a\b\nanocore.exe"), "nanocore.exe");
        assert_eq!(basename("nanocore.exe"), "nanocore.exe");
    }
}
