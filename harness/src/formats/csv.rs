//! CSV (a Sentinel portal or `az` export, a Defender advanced-hunting export):
//! a header row names the columns; each record becomes an [`OwnedRow`].
//!
//! Records are parsed by `csv-core` (the csv crate's parser) over this module's
//! own buffer, which gives two things the `csv` crate's reader does not: the
//! exact line each record starts on (the csv reader counts a CRLF's line
//! break one record late and counts no skipped blank line), and a bound on
//! the memory one record takes (a stray quote otherwise makes the rest of the
//! file one record in memory). A record past the bound is read through,
//! reported, and reading goes on.
//!
//! A header name's trailing ` [UTC]` (or any ` [...]`), which the Log
//! Analytics portal adds to datetime columns, is taken off.

use std::io::{self, BufRead};
use std::sync::Arc;

use csv_core::ReadRecordResult;

use super::error::{FormatError, Rejected};
use super::event_table::{expand, sysmon_event_data};
use super::row::{Header, OwnedRow};
use super::source::{Bytes, Origin};
use super::types::{Item, ItemKind, Position};

/// The most fields a record may have.
pub const MAX_FIELDS: usize = 4096;

#[derive(Debug)]
pub(crate) struct CsvRows {
    bytes: Bytes,
    origin: Origin,
    core: csv_core::Reader,
    header: Option<Arc<Header>>,
    /// Read as CSV because the content is not JSON (not `--input-format csv`).
    guessed: bool,
    /// The header has `Source` and `EventData`: rows may be `Event` rows.
    event_columns: bool,
    /// The line the read cursor is on.
    line: u64,
    /// The last byte read was a carriage return (a line feed after it ends
    /// no further line).
    after_cr: bool,
    out: Vec<u8>,
    ends: Vec<usize>,
    max_record: usize,
    max_xml: usize,
    done: bool,
}

/// One record, read into `out` and `ends`.
struct Record {
    /// Bytes of input it took.
    len: u64,
    text_len: usize,
    fields: usize,
    over_length: bool,
    over_fields: bool,
}

impl CsvRows {
    /// `guessed`: the format was told from the content (its first line is
    /// not JSON), not given; a header that then names no known column is
    /// not telemetry.
    pub(crate) fn new(
        bytes: Bytes,
        origin: Origin,
        (max_record, max_xml): (usize, usize),
        guessed: bool,
    ) -> Self {
        Self {
            guessed,
            bytes,
            origin,
            core: csv_core::Reader::new(),
            header: None,
            event_columns: false,
            line: 1,
            after_cr: false,
            out: vec![0; 4096.min(max_record.max(1))],
            ends: vec![0; 64],
            max_record,
            max_xml,
            done: false,
        }
    }

    pub(crate) fn next(&mut self) -> Option<Result<Item, FormatError>> {
        while !self.done {
            match self.step() {
                Ok(Some(item)) => return Some(Ok(item)),
                Ok(None) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        None
    }

    /// Read one blank line or one record: an item, or `None` for the header
    /// or the end.
    fn step(&mut self) -> Result<Option<Item>, FormatError> {
        let first = match fill(&mut self.bytes) {
            Ok(buf) => buf.first().copied(),
            Err(e) => return Err(self.origin.error(e)),
        };
        let line = self.line;
        let kind = match first {
            None => {
                self.done = true;
                return Ok(None);
            }
            Some(b'\n') if self.after_cr => {
                self.take_terminator(b'\n');
                return Ok(None);
            }
            Some(b @ (b'\r' | b'\n')) => {
                self.take_terminator(b);
                ItemKind::Blank
            }
            Some(_) => {
                let rec = self.read_record().map_err(|e| self.origin.error(e))?;
                match &self.header {
                    None => {
                        self.read_header(&rec, line)?;
                        return Ok(None);
                    }
                    Some(h) => self.row(Arc::clone(h), &rec),
                }
            }
        };
        Ok(Some(Item {
            position: Position::Line(line),
            kind,
        }))
    }

    fn take_terminator(&mut self, b: u8) {
        self.bytes.consume(1);
        count_lines(&[b], &mut self.line, &mut self.after_cr);
    }

    /// Read a record starting at the cursor into `out` and `ends`, keeping at
    /// most `max_record` bytes and `MAX_FIELDS` fields of it.
    fn read_record(&mut self) -> io::Result<Record> {
        let mut rec = Record {
            len: 0,
            text_len: 0,
            fields: 0,
            over_length: false,
            over_fields: false,
        };
        let mut ends_len = 0;
        loop {
            let input = fill(&mut self.bytes)?;
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[rec.text_len..],
                &mut self.ends[ends_len..],
            );
            count_lines(&input[..nin], &mut self.line, &mut self.after_cr);
            let ends_line = nin > 0 && matches!(input[nin - 1], b'\r' | b'\n');
            self.bytes.consume(nin);
            rec.len += nin as u64;
            rec.text_len += nout;
            ends_len += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if self.out.len() < self.max_record => {
                    let len = (self.out.len() * 2).min(self.max_record);
                    self.out.resize(len, 0);
                }
                ReadRecordResult::OutputFull => {
                    // Read the rest through, keeping none of it.
                    rec.over_length = true;
                    rec.text_len = 0;
                }
                ReadRecordResult::OutputEndsFull if self.ends.len() < MAX_FIELDS => {
                    let len = (self.ends.len() * 2).min(MAX_FIELDS);
                    self.ends.resize(len, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    rec.over_fields = true;
                    rec.fields += ends_len;
                    ends_len = 0;
                }
                ReadRecordResult::Record | ReadRecordResult::End => {
                    // Its length without the line ending.
                    rec.len -= u64::from(ends_line);
                    rec.fields += ends_len;
                    return Ok(rec);
                }
            }
        }
    }

    /// Why a record cannot be a row, or its text.
    fn checked(&self, rec: &Record) -> Result<&str, Rejected> {
        if rec.over_length {
            return Err(Rejected::TooLong {
                what: "record",
                len: rec.len,
                max: self.max_record,
            });
        }
        if rec.over_fields {
            return Err(Rejected::TooManyFields { max: MAX_FIELDS });
        }
        let text = std::str::from_utf8(&self.out[..rec.text_len]).map_err(|e| {
            let bad = e.valid_up_to();
            Rejected::InvalidUtf8Field {
                field: self.ends[..rec.fields].partition_point(|&end| end <= bad) + 1,
            }
        })?;
        // The fields are read one after another into one buffer: two fields
        // each invalid alone (a character's first byte ending one, its last
        // bytes opening the next) read as valid text together.
        match self.ends[..rec.fields]
            .iter()
            .position(|&end| !text.is_char_boundary(end))
        {
            Some(i) => Err(Rejected::InvalidUtf8Field { field: i + 1 }),
            None => Ok(text),
        }
    }

    fn field<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &text[start..self.ends[i]]
    }

    fn read_header(&mut self, rec: &Record, line: u64) -> Result<(), FormatError> {
        let text = self.checked(rec).map_err(|reason| FormatError::CsvHeader {
            name: self.origin.name(),
            line,
            reason,
        })?;
        let names: Vec<String> = (0..rec.fields)
            .map(|i| column_name(self.field(text, i)))
            .collect();
        if self.guessed && !names.iter().any(|n| is_known_column(n)) {
            let first = names.first().map_or("", String::as_str);
            return Err(FormatError::NotTelemetry {
                name: self.origin.name(),
                first: first.chars().take(60).collect(),
            });
        }
        let header = Header::new(names);
        self.event_columns =
            header.position("Source").is_some() && header.position("EventData").is_some();
        self.header = Some(Arc::new(header));
        Ok(())
    }

    fn row(&self, header: Arc<Header>, rec: &Record) -> ItemKind {
        let text = match self.checked(rec) {
            Ok(t) => t,
            Err(r) => return ItemKind::Rejected(r),
        };
        if rec.fields == 1 && header.len() > 1 && text.trim().is_empty() {
            return ItemKind::Blank;
        }
        if rec.fields != header.len() {
            return ItemKind::Rejected(Rejected::FieldCount {
                expected: header.len(),
                found: rec.fields,
            });
        }
        if self.event_columns {
            let get = |name: &str| header.position(name).map(|i| self.field(text, i));
            if let Some(xml) = sysmon_event_data(get) {
                let columns = header
                    .names()
                    .zip((0..rec.fields).map(|i| self.field(text, i)));
                return match expand(columns, xml, self.max_xml) {
                    Ok(row) => ItemKind::Row(row),
                    Err(r) => ItemKind::Rejected(r),
                };
            }
        }
        let ends = self.ends[..rec.fields].to_vec();
        ItemKind::Row(OwnedRow::with_header(header, text.to_owned(), ends))
    }
}

/// The buffered bytes, retrying interrupted reads.
fn fill(bytes: &mut Bytes) -> io::Result<&[u8]> {
    loop {
        match bytes.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Re-borrow: the loop cannot return the first borrow.
            Ok(_) => return bytes.fill_buf(),
            Err(e) => return Err(e),
        }
    }
}

/// Advance the line count over `bytes`: a line ends at LF, CR, or CRLF.
fn count_lines(bytes: &[u8], line: &mut u64, after_cr: &mut bool) {
    for &b in bytes {
        match b {
            b'\n' if *after_cr => *after_cr = false,
            b'\n' => *line += 1,
            b'\r' => {
                *line += 1;
                *after_cr = true;
                continue;
            }
            _ => {}
        }
        *after_cr = false;
    }
}

/// Whether a header's column is one a telemetry source has: one the field
/// mapping reads (`sources::READ_COLUMNS`, ASIM's and the `Event` table's
/// among them), one of a documented column list (`sources::SCHEMA_FILES`),
/// or a Log Analytics standard column, ignoring ASCII case and a custom
/// table's type suffix (`Name_s`).
fn is_known_column(name: &str) -> bool {
    let bare = ["_s", "_d", "_b", "_t", "_g"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    let known = |n: &str| n.eq_ignore_ascii_case(name) || n.eq_ignore_ascii_case(bare);
    sources::STANDARD_COLUMNS.iter().any(|c| known(c))
        || sources::READ_COLUMNS.iter().any(|c| known(c))
        || sources::SCHEMA_FILES
            .iter()
            .any(|(_, text)| sources::schema_names(text).any(known))
}

/// A header cell as a column name: trimmed, without a ` [UTC]`-style suffix.
fn column_name(cell: &str) -> String {
    let name = cell.trim();
    let base = name
        .strip_suffix(']')
        .and_then(|n| n.rfind(" [").map(|i| name[..i].trim_end()))
        .filter(|b| !b.is_empty());
    base.unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_lose_the_portals_time_zone_suffix() {
        assert_eq!(column_name("TimeGenerated [UTC]"), "TimeGenerated");
        assert_eq!(column_name(" Timestamp [Local Time] "), "Timestamp");
        assert_eq!(column_name("Name"), "Name");
        assert_eq!(column_name("[x]"), "[x]");
        assert_eq!(column_name(" [x]"), "[x]");
    }

    #[test]
    fn lines_end_at_lf_cr_and_crlf() {
        let (mut line, mut cr) = (1, false);
        count_lines(b"a\r\nb\nc\rd\r", &mut line, &mut cr);
        assert_eq!((line, cr), (5, true));
        count_lines(b"\n", &mut line, &mut cr);
        assert_eq!(
            (line, cr),
            (5, false),
            "the LF of a CRLF split across reads"
        );
    }
}
