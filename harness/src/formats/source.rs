//! The byte stream under every format: counted as it is read, gunzipped when it
//! starts with the gzip signature (with a cap on the decompressed size), and
//! sniffed for its format from its first bytes, which are read once and put
//! back in front of the rest, so a pipe is never read twice.

use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use super::error::FormatError;
use super::types::{Format, InputFormat, Options};

/// The buffered byte stream the format readers read.
pub(crate) struct Bytes(Box<dyn BufRead + Send>);

impl Read for Bytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl BufRead for Bytes {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.0.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.0.consume(amt)
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bytes")
    }
}

const BUFFER: usize = 64 * 1024;
/// How much leading white space is looked through for a first character.
const SNIFF_LIMIT: usize = 64 * 1024;
const GZIP: &[u8] = b"\x1f\x8b";
const BOM: &[u8] = b"\xEF\xBB\xBF";
pub(crate) const EVTX_MAGIC: &[u8] = b"ElfFile\0";

/// Byte counts, shared between the stream's readers and its owner.
#[derive(Debug, Default)]
struct Counters {
    read: AtomicU64,
    decompressed: AtomicU64,
    cap_hit: AtomicBool,
    source_failed: AtomicBool,
}

/// Where bytes come from: the input's name and its counters, to name the
/// input in errors and to tell a failing source from failing gzip data.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    name: Arc<str>,
    counters: Arc<Counters>,
    cap: u64,
    compressed: bool,
}

impl Origin {
    pub(crate) fn name(&self) -> String {
        self.name.to_string()
    }

    pub(crate) fn compressed(&self) -> bool {
        self.compressed
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.counters.read.load(Ordering::Relaxed)
    }

    pub(crate) fn bytes_decompressed(&self) -> u64 {
        self.counters.decompressed.load(Ordering::Relaxed)
    }

    /// The typed error for an I/O error met while reading the stream.
    pub(crate) fn error(&self, source: io::Error) -> FormatError {
        let name = self.name();
        if self.counters.cap_hit.load(Ordering::Relaxed) {
            FormatError::DecompressedTooLarge {
                name,
                cap: self.cap,
            }
        } else if self.compressed && !self.counters.source_failed.load(Ordering::Relaxed) {
            FormatError::Gzip { name, source }
        } else {
            FormatError::Io { name, source }
        }
    }
}

/// Counts the bytes read from the source, and notes its failures.
struct Counting<R> {
    inner: R,
    counters: Arc<Counters>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.counters.read.fetch_add(n as u64, Ordering::Relaxed);
                Ok(n)
            }
            Err(e) => {
                if e.kind() != io::ErrorKind::Interrupted {
                    self.counters.source_failed.store(true, Ordering::Relaxed);
                }
                Err(e)
            }
        }
    }
}

/// Counts decompressed bytes and fails past the cap.
struct Capped<R> {
    inner: R,
    counters: Arc<Counters>,
    cap: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let so_far = self.counters.decompressed.load(Ordering::Relaxed);
        let over = || io::Error::other("decompressed size limit reached");
        if self.counters.cap_hit.load(Ordering::Relaxed) {
            return Err(over());
        }
        // Room for one byte past the cap, to tell "exactly the cap" from "more".
        let room = usize::try_from(self.cap - so_far)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let len = buf.len().min(room);
        let n = self.inner.read(&mut buf[..len])?;
        if so_far + n as u64 > self.cap {
            self.counters
                .decompressed
                .store(self.cap, Ordering::Relaxed);
            self.counters.cap_hit.store(true, Ordering::Relaxed);
            return Err(over());
        }
        self.counters
            .decompressed
            .store(so_far + n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Read from `r` into `prefix` until it holds `want` bytes; `true` at the end
/// of the stream.
fn fill(r: &mut impl BufRead, prefix: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    while prefix.len() < want {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(true);
        }
        let take = buf.len().min(want - prefix.len());
        prefix.extend_from_slice(&buf[..take]);
        r.consume(take);
    }
    Ok(false)
}

/// The prefix read so far, put back in front of the rest.
fn rejoin(prefix: Vec<u8>, rest: Bytes) -> Bytes {
    Bytes(Box::new(Cursor::new(prefix).chain(rest)))
}

/// Signatures of inputs that are not read, with what to do instead.
const UNSUPPORTED: [(&[u8], &str, &str); 6] = [
    (
        b"\x28\xb5\x2f\xfd",
        "zstd-compressed",
        "decompress it first (`zstd -d`)",
    ),
    (
        b"\xfd7zXZ\0",
        "xz-compressed",
        "decompress it first (`xz -d`)",
    ),
    (
        b"BZh",
        "bzip2-compressed",
        "decompress it first (`bzip2 -d`)",
    ),
    (b"PK\x03\x04", "ZIP", "extract its files first"),
    (
        b"\xff\xfe",
        "UTF-16 text",
        "convert it to UTF-8 (`iconv -f UTF-16 -t UTF-8`)",
    ),
    (
        b"\xfe\xff",
        "UTF-16 text",
        "convert it to UTF-8 (`iconv -f UTF-16 -t UTF-8`)",
    ),
];

/// Open the byte stream: count it, gunzip it if it is gzip, and find its format
/// (or take the one forced).
pub(crate) fn prepare(
    reader: impl Read + Send + 'static,
    name: &str,
    options: &Options,
) -> Result<(Format, Bytes, Origin), FormatError> {
    let counters = Arc::new(Counters::default());
    let mut origin = Origin {
        name: name.into(),
        counters: Arc::clone(&counters),
        cap: options.max_decompressed,
        compressed: false,
    };
    let mut raw = Bytes(Box::new(BufReader::with_capacity(
        BUFFER,
        Counting {
            inner: reader,
            counters: Arc::clone(&counters),
        },
    )));
    let mut head = Vec::new();
    let mut eof = fill(&mut raw, &mut head, 8).map_err(|e| origin.error(e))?;
    let mut stream = raw;
    if head.starts_with(GZIP) {
        origin.compressed = true;
        let decoder = flate2::bufread::MultiGzDecoder::new(rejoin(head, stream));
        stream = Bytes(Box::new(BufReader::with_capacity(
            BUFFER,
            Capped {
                inner: decoder,
                counters,
                cap: options.max_decompressed,
            },
        )));
        head = Vec::new();
        eof = fill(&mut stream, &mut head, 8).map_err(|e| origin.error(e))?;
        if head.starts_with(GZIP) {
            return Err(FormatError::NestedGzip {
                name: origin.name(),
            });
        }
    }
    for (magic, what, hint) in UNSUPPORTED {
        if head.starts_with(magic) {
            return Err(FormatError::Unsupported {
                name: origin.name(),
                what,
                hint,
            });
        }
    }
    let format = match options.format {
        InputFormat::Jsonl => Format::Jsonl,
        InputFormat::Csv => Format::Csv,
        InputFormat::Evtx => Format::Evtx,
        InputFormat::Auto if head.starts_with(EVTX_MAGIC) => Format::Evtx,
        InputFormat::Auto => {
            // The first character that is not white space, after a BOM.
            let first = loop {
                let skip = if head.starts_with(BOM) { BOM.len() } else { 0 };
                if let Some(c) = head[skip..].iter().find(|b| !b.is_ascii_whitespace()) {
                    break Some(*c);
                }
                if eof || head.len() >= SNIFF_LIMIT {
                    break None;
                }
                let want = (head.len() + 4096).min(SNIFF_LIMIT);
                eof = fill(&mut stream, &mut head, want).map_err(|e| origin.error(e))?;
            };
            match first {
                Some(b'[') => {
                    return Err(FormatError::JsonArray {
                        name: origin.name(),
                    })
                }
                Some(b'{') | None => Format::Jsonl,
                Some(_) => Format::Csv,
            }
        }
    };
    if format != Format::Evtx && head.starts_with(BOM) {
        // A UTF-8 byte-order mark is not data.
        head.drain(..BOM.len());
    }
    Ok((format, rejoin(head, stream), origin))
}
