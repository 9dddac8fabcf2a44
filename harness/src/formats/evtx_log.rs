//! EVTX (Windows event log files), read as a stream: the 4 KiB file header,
//! then one 64 KiB chunk at a time, parsed by the `evtx` crate; no seeking, so
//! a pipe or gzip data reads as well as a file, in memory bounded by one chunk.
//!
//! Each record is rendered as XML and flattened ([`super::xml`]) into the shape
//! of a flattened Sysmon export: `EventID`, `Channel`, `Computer` (also as
//! `Hostname`), `TimeCreated`, `EventRecordID`, `ProviderName` (also as
//! `SourceName`), and every `EventData` item (`UtcTime`, `ProcessGuid`, `Image`,
//! `QueryName`, `CommandLine`, ...).
//!
//! A chunk of zeros or without the chunk signature is held back until the next
//! chunk: when a signed chunk follows, the held ones were damage in the middle
//! of the log and are rejected items; when the file ends first, they are the
//! unused space a log preallocates (Windows leaves stale bytes there), reported
//! as [`ItemKind::Unused`], not as rows. A chunk cut short and a record that
//! does not parse are rejected items, and reading goes on. Chunks are read in file order: a log
//! that has wrapped around gives its newest chunk's records before its oldest.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::Arc;

use evtx::err::EvtxError;
use evtx::{EvtxChunkData, ParserSettings};

use super::error::{chain, FormatError, Rejected};
use super::row::RowBuilder;
use super::source::{Bytes, Origin, EVTX_MAGIC};
use super::types::{Item, ItemKind, Position, EVTX_CHUNK as CHUNK, EVTX_HEADER as HEADER};
use super::xml;

/// The signature every EVTX chunk starts with.
const EVTX_CHUNK_MAGIC: &[u8] = b"ElfChnk\0";

/// More records than fit in a chunk (a record takes at least 24 bytes) means
/// the chunk is misread.
const MAX_RECORDS: usize = CHUNK / 24;

#[derive(Debug)]
pub(crate) struct EvtxRecords {
    bytes: Bytes,
    origin: Origin,
    settings: Arc<ParserSettings>,
    /// Chunks read so far.
    chunks: u64,
    queue: VecDeque<Item>,
    /// Chunks without a signature since the last signed one, and why.
    held: Vec<(Position, Rejected)>,
    max_xml: usize,
    done: bool,
}

impl EvtxRecords {
    /// Read the file header.
    pub(crate) fn open(
        mut bytes: Bytes,
        origin: Origin,
        max_xml: usize,
    ) -> Result<Self, FormatError> {
        let mut header = vec![0; HEADER];
        let n = read_full(&mut bytes, &mut header).map_err(|e| origin.error(e))?;
        if !header[..n].starts_with(EVTX_MAGIC) {
            return Err(FormatError::NotEvtx {
                name: origin.name(),
            });
        }
        if n < HEADER {
            return Err(FormatError::TruncatedEvtxHeader {
                name: origin.name(),
                len: n,
            });
        }
        Ok(Self {
            bytes,
            origin,
            settings: Arc::new(ParserSettings::new().indent(false)),
            chunks: 0,
            queue: VecDeque::new(),
            held: Vec::new(),
            max_xml,
            done: false,
        })
    }

    pub(crate) fn next(&mut self) -> Option<Result<Item, FormatError>> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.read_chunk() {
                self.done = true;
                return Some(Err(e));
            }
        }
    }

    /// Read the next chunk: its records (or why it does not read) go to the
    /// queue.
    fn read_chunk(&mut self) -> Result<(), FormatError> {
        let mut data = vec![0; CHUNK];
        let n = read_full(&mut self.bytes, &mut data).map_err(|e| self.origin.error(e))?;
        if n == 0 {
            self.done = true;
            // No signed chunk after them: the log's unused space.
            for (position, why) in self.held.drain(..) {
                self.queue.push_back(Item {
                    position,
                    kind: ItemKind::Unused(why.to_string()),
                });
            }
            return Ok(());
        }
        self.chunks += 1;
        let at = Position::Chunk(self.chunks);
        let reject = |queue: &mut VecDeque<Item>, position, reason| {
            queue.push_back(Item {
                position,
                kind: ItemKind::Rejected(reason),
            })
        };
        if n < CHUNK {
            self.done = true;
            for (position, why) in self.held.drain(..) {
                reject(&mut self.queue, position, why);
            }
            reject(&mut self.queue, at, Rejected::TruncatedChunk { len: n });
            return Ok(());
        }
        if data.iter().all(|&b| b == 0) {
            self.held.push((at, Rejected::EmptyChunk));
            return Ok(());
        }
        if !data.starts_with(EVTX_CHUNK_MAGIC) {
            let found: Vec<String> = data[..8].iter().map(|b| format!("{b:02X}")).collect();
            let why = format!("no chunk signature (found {})", found.join(" "));
            self.held.push((at, Rejected::BadChunk(why)));
            return Ok(());
        }
        // A signed chunk: those held before it were damage, not unused space.
        for (position, why) in self.held.drain(..) {
            reject(&mut self.queue, position, why);
        }
        let mut chunk_data = match EvtxChunkData::new(data, false) {
            Ok(c) => c,
            Err(e) => {
                reject(&mut self.queue, at, Rejected::BadChunk(chain(&e)));
                return Ok(());
            }
        };
        let mut chunk = match chunk_data.parse(Arc::clone(&self.settings)) {
            Ok(c) => c,
            Err(e) => {
                reject(&mut self.queue, at, Rejected::BadChunk(chain(&e)));
                return Ok(());
            }
        };
        for (i, record) in chunk.iter().enumerate() {
            if i == MAX_RECORDS {
                let reason = format!("more than {MAX_RECORDS} records; the rest are not read");
                reject(&mut self.queue, at, Rejected::BadChunk(reason));
                break;
            }
            let item = match record.and_then(|r| r.into_xml()) {
                Ok(r) => Item {
                    position: Position::Record(r.event_record_id),
                    kind: match self.row(&r.data) {
                        Ok(row) => ItemKind::Row(row),
                        Err(reason) => ItemKind::Rejected(reason),
                    },
                },
                Err(e) => {
                    let position = match &e {
                        EvtxError::FailedToParseRecord { record_id, .. } => {
                            Position::Record(*record_id)
                        }
                        _ => at,
                    };
                    Item {
                        position,
                        kind: ItemKind::Rejected(Rejected::BadRecord(chain(&e))),
                    }
                }
            };
            self.queue.push_back(item);
        }
        Ok(())
    }

    fn row(&self, xml: &str) -> Result<super::OwnedRow, Rejected> {
        let mut row = RowBuilder::default();
        xml::read_into(xml, self.max_xml, "EVTX record", &mut row)?;
        row.alias("Computer", "Hostname");
        row.alias("ProviderName", "SourceName");
        Ok(row.finish())
    }
}

/// Read until `buf` is full or the stream ends; how many bytes were read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
