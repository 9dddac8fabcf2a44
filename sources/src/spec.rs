//! The types a source is described with: which rows it gives ([`Recognise`]),
//! which column carries which normalised field ([`NormField`], [`Read`]), what
//! its documentation lists, and what its sensor can and cannot see.

pub use crate::table::TableName;

/// A normalised field: one slot of the normalised event the field mapping
/// fills, whatever the source called the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NormField {
    /// The row's time, as the source wrote it.
    Time,
    /// The host the row is about (a DNS server's row: the server).
    Host,
    /// The DNS query name.
    QueryName,
    /// The created file's full path (file rows).
    TargetPath,
    /// The client's address on a DNS server's row.
    ClientIp,
    /// The acting process's id: the process join's key.
    ProcessGuid,
    /// The acting process's full image path (the created process on process rows).
    Image,
    /// The acting process's command line.
    CommandLine,
    /// The parent's image path (or file name alone).
    ParentImage,
    /// The parent's command line.
    ParentCommandLine,
    /// Version-info company of the image.
    Company,
    /// SHA1 of the image (on a certificate row: of the signed file).
    Sha1,
    /// The account.
    User,
    /// A file's code-signing signer (`DeviceFileCertificateInfo`).
    Signer,
    /// Whether the file is signed (`DeviceFileCertificateInfo`).
    IsSigned,
    /// A scheduled task's name.
    TaskName,
    /// A scheduled task's definition (its XML or JSON), holding its action.
    TaskContent,
    /// The embedded event document of a Windows event (`SecurityEvent`).
    EventData,
    /// A host's own addresses.
    HostAddresses,
    /// The remote (destination) address of a connection.
    RemoteIp,
    /// The remote (destination) port of a connection.
    RemotePort,
    /// The URL or host name connected to or clicked.
    RemoteUrl,
    /// The remote host's name as the sensor resolved it.
    RemoteHostname,
    /// The local (source) address of a connection.
    LocalIp,
    /// The local (source) port of a connection.
    LocalPort,
    /// The connection's protocol.
    Protocol,
    /// What the sensor or device did (allowed, blocked, ...).
    Action,
    /// SHA256 of the image.
    Sha256,
    /// MD5 of the image.
    Md5,
    /// Sysmon's `Hashes` column (`SHA1=...,MD5=...`, as configured): the
    /// digests of the row's object.
    Hashes,
    /// The SHA-256 of the row's object: the file written (file rows), the
    /// image of the process created (process rows).
    ObjectSha256,
    /// The SHA-1 of the row's object.
    ObjectSha1,
    /// The MD5 of the row's object.
    ObjectMd5,
    /// The source address after NAT (a firewall's).
    TranslatedIp,
}

impl NormField {
    /// Every field, in the order `docs/fields.md` lists them.
    pub const ALL: [NormField; 34] = [
        NormField::Time,
        NormField::Host,
        NormField::QueryName,
        NormField::TargetPath,
        NormField::ClientIp,
        NormField::ProcessGuid,
        NormField::Image,
        NormField::CommandLine,
        NormField::ParentImage,
        NormField::ParentCommandLine,
        NormField::Company,
        NormField::Sha1,
        NormField::User,
        NormField::Signer,
        NormField::IsSigned,
        NormField::TaskName,
        NormField::TaskContent,
        NormField::EventData,
        NormField::HostAddresses,
        NormField::RemoteIp,
        NormField::RemotePort,
        NormField::RemoteUrl,
        NormField::RemoteHostname,
        NormField::LocalIp,
        NormField::LocalPort,
        NormField::Protocol,
        NormField::Action,
        NormField::Sha256,
        NormField::Md5,
        NormField::Hashes,
        NormField::ObjectSha256,
        NormField::ObjectSha1,
        NormField::ObjectMd5,
        NormField::TranslatedIp,
    ];

    /// The field's snake-case name.
    pub const fn name(self) -> &'static str {
        match self {
            NormField::Time => "time",
            NormField::Host => "host",
            NormField::QueryName => "query_name",
            NormField::TargetPath => "target_path",
            NormField::ClientIp => "client_ip",
            NormField::ProcessGuid => "process_guid",
            NormField::Image => "image",
            NormField::CommandLine => "command_line",
            NormField::ParentImage => "parent_image",
            NormField::ParentCommandLine => "parent_command_line",
            NormField::Company => "company",
            NormField::Sha1 => "sha1",
            NormField::User => "user",
            NormField::Signer => "signer",
            NormField::IsSigned => "is_signed",
            NormField::TaskName => "task_name",
            NormField::TaskContent => "task_content",
            NormField::EventData => "event_data",
            NormField::HostAddresses => "host_addresses",
            NormField::RemoteIp => "remote_ip",
            NormField::RemotePort => "remote_port",
            NormField::RemoteUrl => "remote_url",
            NormField::RemoteHostname => "remote_hostname",
            NormField::LocalIp => "local_ip",
            NormField::LocalPort => "local_port",
            NormField::Protocol => "protocol",
            NormField::Action => "action",
            NormField::Sha256 => "sha256",
            NormField::Md5 => "md5",
            NormField::Hashes => "hashes",
            NormField::ObjectSha256 => "object_sha256",
            NormField::ObjectSha1 => "object_sha1",
            NormField::ObjectMd5 => "object_md5",
            NormField::TranslatedIp => "translated_ip",
        }
    }
}

/// How a source's row gives a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The first of these columns the row has, as text.
    Columns(&'static [&'static str]),
    /// A column exports write as a string or a number (an id), read as text.
    Id(&'static str),
    /// A folder column and a file-name column, joined (the folder alone when it
    /// already ends with the name).
    Path {
        /// The folder (or full path) column.
        folder: &'static str,
        /// The file-name column.
        name: &'static str,
    },
    /// The first of `keys` inside a document column (a JSON object, or a
    /// string holding one); with `top_level`, the same keys as columns when
    /// the row has no such document.
    Inside {
        /// The document column.
        column: &'static str,
        /// The keys, in preference order.
        keys: &'static [&'static str],
        /// Whether the keys are also read as columns of their own.
        top_level: bool,
    },
    /// A column holding a list (an array, or a string holding one).
    List(&'static str),
}

/// One field of a source and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRead {
    /// The normalised field.
    pub field: NormField,
    /// Where the row has it.
    pub read: Read,
}

/// Shorthand for a [`FieldRead`] of columns in preference order.
pub const fn cols(field: NormField, columns: &'static [&'static str]) -> FieldRead {
    FieldRead {
        field,
        read: Read::Columns(columns),
    }
}

/// Shorthand for a [`FieldRead`] of a column exports write as a string or a
/// number (an id, a port), read as text.
pub const fn id(field: NormField, column: &'static str) -> FieldRead {
    FieldRead {
        field,
        read: Read::Id(column),
    }
}

/// How a row is recognised as this source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognise {
    /// `Type` names the table (the table alone says it).
    Table,
    /// `Type` names the table (or the row has `ActionType`) and `ActionType` is
    /// this value.
    ActionType(&'static str),
    /// A Windows event: `EventID` is this id and the provider (`Channel`,
    /// `SourceName` or `ProviderName`) contains `provider`.
    EventId {
        /// The provider's name, as the row's provider column contains it.
        provider: &'static str,
        /// The event id.
        id: u16,
    },
}

/// What the field mapping does with a source's rows today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Hunts read its rows.
    Hunted,
    /// No hunt reads its rows; the process join or host attribution learns
    /// from them.
    Learned,
    /// Described for later work: its rows are read as another table's (or as
    /// another Sysmon event) and nothing of it is read.
    Declared,
}

/// One telemetry source: a table, or the rows of a table one event id or
/// action type picks out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceSpec {
    /// The name reports give the source.
    pub name: &'static str,
    /// The table names its rows' `Type` may give (compared without case; a
    /// custom `_CL` form of each is the same table).
    pub tables: &'static [&'static str],
    /// The table those names name.
    pub table: TableName,
    /// How its rows are recognised.
    pub recognise: Recognise,
    /// The column that tells its rows apart when the row has no `Type`.
    pub without_type: Option<&'static str>,
    /// What the mapping does with it.
    pub used: Use,
    /// The fields the mapping reads, in the order it reads them.
    pub fields: &'static [FieldRead],
    /// Fields its rows carry that nothing reads yet (not in the read-column list).
    pub unread: &'static [FieldRead],
    /// Its documented column list (a file in `schemas/`), if there is one.
    pub schema: Option<&'static str>,
    /// What its sensor can see.
    pub sees: &'static [&'static str],
    /// What its sensor cannot see.
    pub misses: &'static [&'static str],
}

impl SourceSpec {
    /// How this source's row gives `field` (the mapping's read, else an unread
    /// one).
    pub const fn read_of(&self, field: NormField) -> Option<Read> {
        match find(self.fields, field) {
            Some(r) => Some(r),
            None => find(self.unread, field),
        }
    }

    /// The one column the mapping reads for `field` (checked when compiled,
    /// used in a constant).
    pub const fn column_of(&self, field: NormField) -> &'static str {
        column_in(self.fields, field)
    }

    /// The action type that picks this source's rows out of its table.
    pub const fn action_type(&self) -> &'static str {
        match self.recognise {
            Recognise::ActionType(a) => a,
            _ => panic!("not recognised by an action type"),
        }
    }

    /// The event id that picks this source's rows out of its provider's.
    pub const fn event_id(&self) -> i64 {
        match self.recognise {
            Recognise::EventId { id, .. } => id as i64,
            _ => panic!("not recognised by an event id"),
        }
    }

    /// The column that tells this source's rows apart when a row has no `Type`.
    pub const fn untyped_column(&self) -> &'static str {
        match self.without_type {
            Some(c) => c,
            None => panic!("no column tells this source's rows apart"),
        }
    }
}

/// How `list` reads `field`, if it does.
pub const fn find(list: &[FieldRead], field: NormField) -> Option<Read> {
    let mut i = 0;
    while i < list.len() {
        if list[i].field as u8 == field as u8 {
            return Some(list[i].read);
        }
        i += 1;
    }
    None
}

/// The columns `list` reads `field` from, in preference order (checked when
/// compiled, used in a constant).
pub const fn columns_in(list: &[FieldRead], field: NormField) -> &'static [&'static str] {
    match find(list, field) {
        Some(Read::Columns(c)) => c,
        _ => panic!("the field is not read from plain columns"),
    }
}

/// The one column `list` reads `field` from (checked when compiled).
pub const fn column_in(list: &[FieldRead], field: NormField) -> &'static str {
    match find(list, field) {
        Some(Read::Columns([c])) => c,
        Some(Read::Id(c) | Read::List(c)) => c,
        _ => panic!("the field is not read from one column"),
    }
}

/// The folder and file-name columns `list` joins for `field` (checked when
/// compiled).
pub const fn path_in(list: &[FieldRead], field: NormField) -> (&'static str, &'static str) {
    match find(list, field) {
        Some(Read::Path { folder, name }) => (folder, name),
        _ => panic!("the field is not a folder and a name"),
    }
}

/// The document column and the keys `list` reads `field` from inside it
/// (checked when compiled).
pub const fn inside_in(
    list: &[FieldRead],
    field: NormField,
) -> (&'static str, &'static [&'static str]) {
    match find(list, field) {
        Some(Read::Inside { column, keys, .. }) => (column, keys),
        _ => panic!("the field is not read inside a document"),
    }
}
