//! What can go wrong: a [`FormatError`] ends a file; a [`Rejected`] item is one
//! line, record or chunk that could not be read, and reading goes on.

use std::io;

/// Why a file could not be read (any further). The stream ends after one.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// Reading failed.
    #[error("{name}: {source}")]
    Io {
        /// The input's name.
        name: String,
        /// The reader's error.
        source: io::Error,
    },
    /// The gzip data decompresses to more than the limit: a decompression bomb,
    /// or an input larger than the limit allows.
    #[error(
        "{name}: gzip data decompresses to more than the {cap}-byte limit (stopped there; \
         raise the limit to read it all)"
    )]
    DecompressedTooLarge {
        /// The input's name.
        name: String,
        /// The limit, in decompressed bytes.
        cap: u64,
    },
    /// The gzip data is corrupt or cut short.
    #[error("{name}: corrupt or truncated gzip data: {source}")]
    Gzip {
        /// The input's name.
        name: String,
        /// The decompressor's error.
        source: io::Error,
    },
    /// A gzip file holds another gzip file.
    #[error("{name}: gzip data inside gzip data is not read (decompress it once first)")]
    NestedGzip {
        /// The input's name.
        name: String,
    },
    /// A compression or encoding this reader does not read.
    #[error("{name}: {what} input is not read; {hint}")]
    Unsupported {
        /// The input's name.
        name: String,
        /// What it is (`zstd`, `UTF-16 text`, ...).
        what: &'static str,
        /// How to make it readable.
        hint: &'static str,
    },
    /// A JSON array (as `az monitor log-analytics query` prints), not JSON Lines.
    #[error(
        "{name}: a JSON array, not JSON Lines (one object a line); convert it with `jq -c '.[]'`"
    )]
    JsonArray {
        /// The input's name.
        name: String,
    },
    /// Read as EVTX, but it does not start with the EVTX file signature.
    #[error("{name}: not an EVTX file (no `ElfFile` signature at its start)")]
    NotEvtx {
        /// The input's name.
        name: String,
    },
    /// The EVTX file header is cut short.
    #[error("{name}: EVTX file header cut short ({len} of 4096 bytes)")]
    TruncatedEvtxHeader {
        /// The input's name.
        name: String,
        /// How many bytes there are.
        len: usize,
    },
    /// Read as CSV (it is not JSON Lines nor EVTX), its header names no
    /// column any telemetry source has: not telemetry, rather than one
    /// rejected row a line.
    #[error("{name}: not telemetry: read as CSV because its first line is not a JSON object, and that line names no column any source has (first: \"{first}\"); if it is an export, give it its header")]
    NotTelemetry {
        /// The input's name.
        name: String,
        /// Its first header cell, cut to 60 characters.
        first: String,
    },
    /// The CSV header row cannot be read, so no row can.
    #[error("{name}: line {line}: CSV header: {reason}")]
    CsvHeader {
        /// The input's name.
        name: String,
        /// The line the header starts on.
        line: u64,
        /// Why.
        reason: Rejected,
    },
}

/// Why one line, record or chunk was not read as a row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    /// A line that is not valid UTF-8.
    #[error("invalid UTF-8 at byte {at} of the line (the first byte is byte 1)")]
    InvalidUtf8 {
        /// 1-based byte offset of the first invalid byte.
        at: usize,
    },
    /// A CSV field that is not valid UTF-8.
    #[error("invalid UTF-8 in field {field} (the first field is field 1)")]
    InvalidUtf8Field {
        /// The 1-based field.
        field: usize,
    },
    /// Longer than the limit; skipped without being held in memory.
    #[error("{what} is {len} bytes, longer than the {max}-byte limit")]
    TooLong {
        /// `line` or `record`.
        what: &'static str,
        /// Its length in bytes.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// Longer than the limit, and its bytes hold an indicator of the content
    /// in use: not judged, and perhaps the attack (a padded lookup).
    #[error(
        "{what} is {len} bytes, longer than the {max}-byte limit, and holds indicator \"{indicator}\": a possible miss (raise --max-line to judge it)"
    )]
    TooLongHolding {
        /// `line`.
        what: &'static str,
        /// Its length in bytes.
        len: u64,
        /// The limit.
        max: usize,
        /// The indicator found in its bytes (the first).
        indicator: String,
    },
    /// A JSON Lines line nested deeper than the limit.
    #[error("nested deeper than the {max}-level limit (objects and arrays)")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A field longer than the limit.
    #[error("field `{field}` is {len} bytes, longer than the {max}-byte field limit")]
    FieldTooLong {
        /// The field's name (its JSON key or column).
        field: String,
        /// Its length in bytes.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// A CSV record with more or fewer fields than the header has columns.
    #[error("{found} fields where the header has {expected} columns")]
    FieldCount {
        /// The header's column count.
        expected: usize,
        /// The record's field count.
        found: usize,
    },
    /// A CSV record with more fields than any header is allowed.
    #[error("more than {max} fields")]
    TooManyFields {
        /// The limit.
        max: usize,
    },
    /// XML (a Sentinel `Event` row's `EventData`, or an EVTX record) that does
    /// not read.
    #[error("{what} XML: {reason}")]
    Xml {
        /// `EventData` or `EVTX record`.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// An EVTX chunk of zeros: space a log file preallocates and has not used.
    #[error("empty EVTX chunk (all zeros)")]
    EmptyChunk,
    /// The file ends inside an EVTX chunk.
    #[error("EVTX chunk cut short ({len} of 65536 bytes)")]
    TruncatedChunk {
        /// How many bytes there are.
        len: usize,
    },
    /// An EVTX chunk that does not read (no chunk signature, a bad header, too
    /// many records); none of its records are read.
    #[error("unreadable EVTX chunk: {0}")]
    BadChunk(String),
    /// An EVTX record that does not read.
    #[error("unreadable EVTX record: {0}")]
    BadRecord(String),
}

impl Rejected {
    /// The indicator a row too long to read holds: a possible miss.
    pub fn indicator(&self) -> Option<&str> {
        match self {
            Rejected::TooLongHolding { indicator, .. } => Some(indicator),
            _ => None,
        }
    }
}

/// An error's message followed by its sources', joined by `: `.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let trimmed = text.trim_end_matches('.').len();
        text.truncate(trimmed);
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
