//! Input formats for `huntlab scan`: a byte stream (a file, a pipe, a FIFO,
//! gzip data) turned into a stream of rows the pipeline judges, read once, in
//! memory bounded by one line, record or EVTX chunk.
//!
//! [`open`] finds the format from the first bytes (gzip is decompressed first,
//! under a size cap) or takes the one forced, and gives a [`RowStream`] of
//! [`Item`]s: a JSON Lines line (judged through a borrowed view,
//! [`Item::judge`]), a row read from CSV or EVTX ([`OwnedRow`]), a blank line,
//! or something rejected with its reason. Every item has its [`Position`]
//! (line, EVTX record or chunk); nothing read is dropped unreported. See
//! `docs/inputs.md`.
//!
//! No file is opened here: the caller hands over a reader.

mod csv;
mod error;
mod event_table;
mod evtx_log;
mod jsonl;
mod row;
mod source;
mod xml;

use std::fmt;
use std::io::Read;

use detections::fields::RowError;
use detections::pipeline::{Judged, Pipeline};

pub use self::csv::MAX_FIELDS;
pub use error::{FormatError, Rejected};
pub use row::OwnedRow;

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
}

/// The default cap on decompressed bytes: 8 GiB.
pub const MAX_DECOMPRESSED: u64 = 8 << 30;

impl Default for Options {
    fn default() -> Self {
        Self {
            format: InputFormat::Auto,
            max_decompressed: MAX_DECOMPRESSED,
            max_record: crate::input::MAX_LINE,
            max_xml: 1 << 20,
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
                let offset = evtx_log::HEADER as u64 + n.saturating_sub(1) * evtx_log::CHUNK as u64;
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
}

impl Item {
    /// Judge a line or a row through `pipeline`; `None` for a blank line or a
    /// rejected item.
    pub fn judge(&self, pipeline: &mut Pipeline<'_>) -> Option<Result<Judged, RowError>> {
        match &self.kind {
            ItemKind::Line(text) => Some(pipeline.judge_line(text)),
            ItemKind::Row(row) => Some(pipeline.judge(row)),
            ItemKind::Blank | ItemKind::Rejected(_) => None,
        }
    }
}

#[derive(Debug)]
enum Reader {
    Jsonl(jsonl::JsonlRows),
    /// Boxed: csv-core's parser holds its state tables.
    Csv(Box<csv::CsvRows>),
    Evtx(evtx_log::EvtxRecords),
}

/// The items of one input, in order. After an error it ends.
#[derive(Debug)]
pub struct RowStream {
    format: Format,
    origin: source::Origin,
    reader: Reader,
    failed: bool,
}

impl RowStream {
    /// The format it is read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the input is gzip data.
    pub fn compressed(&self) -> bool {
        self.origin.compressed()
    }

    /// Bytes read from the input so far (compressed bytes, for gzip data).
    pub fn bytes_read(&self) -> u64 {
        self.origin.bytes_read()
    }

    /// Bytes decompressed so far, for gzip data.
    pub fn bytes_decompressed(&self) -> Option<u64> {
        self.compressed().then(|| self.origin.bytes_decompressed())
    }
}

impl Iterator for RowStream {
    type Item = Result<Item, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = match &mut self.reader {
            Reader::Jsonl(r) => r.next(),
            Reader::Csv(r) => r.next(),
            Reader::Evtx(r) => r.next(),
        };
        self.failed = matches!(next, Some(Err(_)));
        next
    }
}

/// Start reading `reader`, named `name` in errors: find its format (or take
/// the one forced), decompress it if it is gzip, and read its first bytes
/// (an EVTX file's header).
pub fn open(
    reader: impl Read + Send + 'static,
    name: &str,
    options: &Options,
) -> Result<RowStream, FormatError> {
    let (format, bytes, origin) = source::prepare(reader, name, options)?;
    let reader = match format {
        Format::Jsonl => Reader::Jsonl(jsonl::JsonlRows::new(
            bytes,
            origin.clone(),
            options.max_record,
            options.max_xml,
        )),
        Format::Csv => Reader::Csv(Box::new(csv::CsvRows::new(
            bytes,
            origin.clone(),
            options.max_record,
            options.max_xml,
        ))),
        Format::Evtx => Reader::Evtx(evtx_log::EvtxRecords::open(
            bytes,
            origin.clone(),
            options.max_xml,
        )?),
    };
    Ok(RowStream {
        format,
        origin,
        reader,
        failed: false,
    })
}
