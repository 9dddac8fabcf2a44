//! What reading an input gives: the formats and options, and each item with its
//! position.

use std::fmt;

use super::error::Rejected;
use super::row::OwnedRow;

/// An EVTX file's header, in bytes.
pub(crate) const EVTX_HEADER: usize = 4096;
/// An EVTX chunk, in bytes.
pub(crate) const EVTX_CHUNK: usize = 65536;

/// The format to read, or `Auto` to find it from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum InputFormat {
    /// From the first bytes: EVTX by its signature, JSON Lines when the first
    /// character is `{`, CSV otherwise.
    #[default]
    Auto,
    /// One JSON object a line.
    Jsonl,
    /// A header row, then one record a row.
    Csv,
    /// A Windows event log file.
    Evtx,
}

/// The format a stream is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// A Windows event log file.
    Evtx,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Jsonl => "JSON Lines",
            Format::Csv => "CSV",
            Format::Evtx => "EVTX",
        })
    }
}

/// How to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The format, or `Auto`.
    pub format: InputFormat,
    /// The most bytes gzip data may decompress to; more is an error.
    pub max_decompressed: u64,
    /// The longest JSON Lines line or CSV record, in bytes; longer ones are
    /// rejected items.
    pub max_record: usize,
    /// The largest XML read (an `Event` row's `EventData`, an EVTX record).
    pub max_xml: usize,
    /// How deep a JSON Lines line may nest; deeper lines are rejected items.
    pub max_depth: usize,
    /// The longest field (a JSON string, a CSV, EVTX or `Event` cell), in
    /// bytes; a row with a longer one is a rejected item.
    pub max_field: usize,
    /// The indicators looked for in a JSON Lines line too long to read: one
    /// that holds one is rejected as a possible miss, naming it.
    pub probe: Option<crate::probe::Probe>,
}

/// The default cap on decompressed bytes: 8 GiB.
pub const MAX_DECOMPRESSED: u64 = 8 << 30;

/// The default cap on XML read: 1 MiB.
pub const MAX_XML: usize = 1 << 20;

impl Default for Options {
    fn default() -> Self {
        Self {
            format: InputFormat::Auto,
            max_decompressed: MAX_DECOMPRESSED,
            max_record: crate::input::MAX_LINE,
            max_xml: MAX_XML,
            max_depth: super::limits::MAX_DEPTH,
            max_field: super::limits::MAX_FIELD,
            probe: None,
        }
    }
}

/// Where an item is in its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Position {
    /// A 1-based line (JSON Lines, CSV: the line a record starts on).
    Line(u64),
    /// An EVTX record, by its `EventRecordID`.
    Record(u64),
    /// A 1-based EVTX chunk (a problem with the chunk, not one record).
    Chunk(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Record(n) => write!(f, "record {n}"),
            Position::Chunk(n) => {
                let offset = EVTX_HEADER as u64 + n.saturating_sub(1) * EVTX_CHUNK as u64;
                write!(f, "chunk {n} (at byte {offset})")
            }
        }
    }
}

/// One thing read from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it is.
    pub position: Position,
    /// What it is.
    pub kind: ItemKind,
}

/// What was read.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A JSON Lines line, to judge with `Pipeline::judge_line`.
    Line(String),
    /// A row (CSV, EVTX, or an expanded `Event` row), to judge with
    /// `Pipeline::judge`.
    Row(OwnedRow),
    /// A blank line.
    Blank,
    /// Something that is not a row, and why.
    Rejected(Rejected),
    /// Space in the input that holds no row by design (an EVTX log's unused,
    /// preallocated chunks after its last record), and what it held: reported,
    /// not counted as a row.
    Unused(String),
}
