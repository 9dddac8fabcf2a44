//! The fields a content's conditions name (`field = "image"`), and which
//! normalised fields each is made from. The detection's own list (its `Field`)
//! is checked against this one by a test in `detections`.

use crate::spec::NormField;

/// A field hunts and exclusions can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentField {
    /// Its name in a content file.
    pub name: &'static str,
    /// The normalised fields it is made from.
    pub from: &'static [NormField],
    /// How.
    pub how: &'static str,
    /// Whether it describes the acting process (a row without a process
    /// cannot give it).
    pub process: bool,
}

const fn field(
    name: &'static str,
    from: &'static [NormField],
    how: &'static str,
    process: bool,
) -> ContentField {
    ContentField {
        name,
        from,
        how,
        process,
    }
}

/// Every field a content condition may name, in the detection's order.
pub const CONTENT_FIELDS: [ContentField; 19] = [
    field(
        "query_name",
        &[NormField::QueryName],
        "the DNS query name, as written (case and trailing dot kept)",
        false,
    ),
    field(
        "file_name",
        &[NormField::TargetPath, NormField::Image],
        "the last component of `file_path`",
        false,
    ),
    field(
        "file_path",
        &[NormField::TargetPath, NormField::Image],
        "the created file (file rows), the new process's image (process rows)",
        false,
    ),
    field(
        "image",
        &[NormField::Image],
        "the acting process's image path",
        true,
    ),
    field(
        "image_name",
        &[NormField::Image],
        "the last component of `image`",
        true,
    ),
    field(
        "command_line",
        &[NormField::CommandLine],
        "the acting process's command line (DNS and file rows: joined from its creation)",
        true,
    ),
    field(
        "parent_image",
        &[NormField::ParentImage],
        "the parent's image path (or name alone)",
        true,
    ),
    field(
        "parent_image_name",
        &[NormField::ParentImage],
        "the last component of `parent_image`",
        true,
    ),
    field(
        "parent_command_line",
        &[NormField::ParentCommandLine],
        "the parent's command line",
        true,
    ),
    field(
        "company",
        &[NormField::Company],
        "the image's version-info company",
        true,
    ),
    field(
        "signer",
        &[NormField::Sha1, NormField::Signer],
        "learned: the signer a certificate row gives for the image's SHA1",
        true,
    ),
    field(
        "task_name",
        &[
            NormField::TaskName,
            NormField::TaskContent,
            NormField::CommandLine,
        ],
        "learned: the task whose action is the process's command line",
        true,
    ),
    field(
        "remote_ip",
        &[NormField::RemoteIp],
        "a connection's remote (destination) address",
        false,
    ),
    field(
        "source_ip",
        &[NormField::LocalIp],
        "a connection's local (source) address, before NAT",
        false,
    ),
    field(
        "url",
        &[NormField::RemoteUrl],
        "the full URL a network row carries (a proxy's request, a click, a `RemoteUrl` holding one)",
        false,
    ),
    field(
        "remote_host",
        &[NormField::RemoteUrl, NormField::RemoteHostname],
        "the remote host's name: a URL's host, a bare `RemoteUrl`, a proxy's host, Sysmon's reverse lookup",
        false,
    ),
    field(
        "sha256",
        &[NormField::ObjectSha256, NormField::Hashes],
        "the SHA-256 of the row's object (the file written, the image of the process created)",
        false,
    ),
    field(
        "sha1",
        &[NormField::ObjectSha1, NormField::Hashes],
        "the SHA-1 of the row's object",
        false,
    ),
    field(
        "md5",
        &[NormField::ObjectMd5, NormField::Hashes],
        "the MD5 of the row's object",
        false,
    ),
];
