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
mod limits;
mod row;
mod source;
mod types;
mod xml;

use std::io::Read;

pub use self::csv::MAX_FIELDS;
pub use crate::probe::Probe;
pub use error::{FormatError, Rejected};
pub use limits::{check_json, json_shape, JsonShape, MAX_DEPTH, MAX_FIELD};
pub use row::OwnedRow;
pub use types::{
    Format, InputFormat, Item, ItemKind, Options, Position, MAX_DECOMPRESSED, MAX_XML,
};

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
    max_depth: usize,
    max_field: usize,
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
        let mut next = next;
        if let Some(Ok(item)) = &mut next {
            let checked = match &item.kind {
                ItemKind::Line(text) => limits::check_json(text, self.max_depth, self.max_field),
                ItemKind::Row(row) => limits::check_row(row, self.max_field),
                ItemKind::Blank | ItemKind::Rejected(_) | ItemKind::Unused(_) => Ok(()),
            };
            if let Err(r) = checked {
                item.kind = ItemKind::Rejected(r);
            }
        }
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
            (options.max_record, options.max_xml),
            options.probe.clone(),
        )),
        Format::Csv => Reader::Csv(Box::new(csv::CsvRows::new(
            bytes,
            origin.clone(),
            (options.max_record, options.max_xml),
            options.format == InputFormat::Auto,
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
        max_depth: options.max_depth,
        max_field: options.max_field,
    })
}
