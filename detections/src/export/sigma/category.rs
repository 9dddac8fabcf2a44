//! Sigma's log source categories and the fields each names: Sysmon's for
//! the Windows categories, the taxonomy's `cs-host`/`c-uri` for `proxy` and
//! `src_ip`/`dst_ip`/`dst_port` for `firewall`.

use crate::event::Field;
use crate::spec::RowKind;

/// A Sigma log source category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// `dns_query` (Sysmon 22: the query and the querying image).
    DnsQuery,
    /// `process_creation` (Sysmon 1: the image, its parent, its `Hashes`).
    ProcessCreation,
    /// `file_event` (the file and the writing image; the file's `Hashes`
    /// where the sensor writes them, as Defender's file rows do).
    FileEvent,
    /// `network_connection` (Sysmon 3: the remote address, port and host
    /// and the connecting image).
    NetworkConnection,
    /// `proxy` (a web proxy's log: the requested URL and host).
    Proxy,
    /// `firewall` (a firewall's traffic log: the addresses and the
    /// destination port).
    Firewall,
}

/// How a content field's value sits in the Sigma field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// The whole value.
    Whole,
    /// A path's last component (matched at the field's end, after a `\`).
    LastComponent,
    /// One digest in Sysmon's `Hashes` list (`SHA256=...,MD5=...`), named by
    /// this algorithm.
    Digest(&'static str),
}

impl Category {
    /// Every category, in the order a hunt's rules are written.
    pub(super) const ALL: [Category; 6] = [
        Category::DnsQuery,
        Category::ProcessCreation,
        Category::FileEvent,
        Category::NetworkConnection,
        Category::Proxy,
        Category::Firewall,
    ];

    /// The category's name.
    pub fn name(self) -> &'static str {
        match self {
            Category::DnsQuery => "dns_query",
            Category::ProcessCreation => "process_creation",
            Category::FileEvent => "file_event",
            Category::NetworkConnection => "network_connection",
            Category::Proxy => "proxy",
            Category::Firewall => "firewall",
        }
    }

    /// The log source's product, where Sigma names one.
    pub(super) fn product(self) -> Option<&'static str> {
        match self {
            Category::Proxy | Category::Firewall => None,
            _ => Some("windows"),
        }
    }

    /// The kind of row the category's events are.
    pub(super) fn kind(self) -> RowKind {
        match self {
            Category::DnsQuery => RowKind::Dns,
            Category::ProcessCreation => RowKind::Process,
            Category::FileEvent => RowKind::File,
            Category::NetworkConnection | Category::Proxy | Category::Firewall => RowKind::Network,
        }
    }

    /// The field holding the remote port, where the category has one.
    pub(super) fn port_field(self) -> Option<&'static str> {
        match self {
            Category::NetworkConnection => Some("DestinationPort"),
            Category::Firewall => Some("dst_port"),
            _ => None,
        }
    }

    /// The Sigma field of a content field, and how the value sits in it;
    /// `None` where the category has no such field.
    pub(super) fn field(self, f: Field) -> Option<(&'static str, Shape)> {
        use Category::*;
        use Shape::*;
        Some(match (self, f) {
            (DnsQuery, Field::QueryName) => ("QueryName", Whole),
            (NetworkConnection, Field::RemoteHost) => ("DestinationHostname", Whole),
            (NetworkConnection, Field::RemoteIp) => ("DestinationIp", Whole),
            (NetworkConnection, Field::SourceIp) => ("SourceIp", Whole),
            (Proxy, Field::RemoteHost) => ("cs-host", Whole),
            (Proxy, Field::Url) => ("c-uri", Whole),
            (Firewall, Field::RemoteIp) => ("dst_ip", Whole),
            (Firewall, Field::SourceIp) => ("src_ip", Whole),
            (Proxy | Firewall, _) => return None,
            (_, Field::Image) => ("Image", Whole),
            (_, Field::ImageName) => ("Image", LastComponent),
            (ProcessCreation, Field::FilePath) => ("Image", Whole),
            (ProcessCreation, Field::FileName) => ("Image", LastComponent),
            (FileEvent, Field::FilePath) => ("TargetFilename", Whole),
            (FileEvent, Field::FileName) => ("TargetFilename", LastComponent),
            (ProcessCreation | FileEvent, Field::Sha256) => ("Hashes", Digest("SHA256")),
            (ProcessCreation | FileEvent, Field::Sha1) => ("Hashes", Digest("SHA1")),
            (ProcessCreation | FileEvent, Field::Md5) => ("Hashes", Digest("MD5")),
            (ProcessCreation, Field::CommandLine) => ("CommandLine", Whole),
            (ProcessCreation, Field::ParentImage) => ("ParentImage", Whole),
            (ProcessCreation, Field::ParentImageName) => ("ParentImage", LastComponent),
            (ProcessCreation, Field::ParentCommandLine) => ("ParentCommandLine", Whole),
            (ProcessCreation, Field::Company) => ("Company", Whole),
            _ => return None,
        })
    }
}
