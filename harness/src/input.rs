//! Reading JSON Lines input safely: bounded line length, invalid UTF-8 and blank
//! lines reported, never a panic and never a silently dropped line.

use std::io::{self, BufRead};

use crate::probe::Probe;

/// The longest line read; longer lines are reported and skipped.
pub const MAX_LINE: usize = 1 << 20;

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line of text (without its line ending).
    Text(String),
    /// An empty or all-white-space line.
    Blank,
    /// A line that is not valid UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte within the line.
        at: usize,
    },
    /// A line longer than the limit (its length in bytes).
    TooLong(usize),
}

impl Line {
    /// The reason a line cannot be read, if it cannot.
    pub fn error(&self) -> Option<String> {
        match self {
            Line::InvalidUtf8 { at } => Some(format!(
                "invalid UTF-8 at byte {} of the line (the first byte is byte 1)",
                at + 1
            )),
            Line::TooLong(n) => Some(format!(
                "line is {n} bytes, longer than the {MAX_LINE}-byte limit"
            )),
            _ => None,
        }
    }
}

/// Lines of a reader, numbered from 1, each at most `max` bytes held in memory.
#[derive(Debug)]
pub struct Lines<R> {
    reader: R,
    max: usize,
    number: u64,
    done: bool,
    probe: Option<Probe>,
    found: Option<String>,
}

impl<R: BufRead> Lines<R> {
    /// Lines with the default limit.
    pub fn new(reader: R) -> Self {
        Self::with_limit(reader, MAX_LINE)
    }

    /// Lines with a limit of `max` bytes.
    pub fn with_limit(reader: R, max: usize) -> Self {
        Self {
            reader,
            max,
            number: 0,
            done: false,
            probe: None,
            found: None,
        }
    }

    /// Look for these indicators in the bytes of each line longer than the
    /// limit ([`Lines::found`]).
    pub fn with_probe(mut self, probe: Option<Probe>) -> Self {
        self.probe = probe;
        self
    }

    /// The indicator found in the last line read, when it was too long and a
    /// probe was given.
    pub fn found(&mut self) -> Option<String> {
        self.found.take()
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = io::Result<(u64, Line)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut buf = Vec::new();
        let mut len = 0usize;
        let mut saw_any = false;
        let mut search = None;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if chunk.is_empty() {
                self.done = true;
                if !saw_any {
                    return None;
                }
                break;
            }
            saw_any = true;
            let (take, end) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if len + take <= self.max {
                if buf.is_empty() {
                    // Most lines are read whole from one buffer: allocated
                    // once at their size, not grown from nothing.
                    buf = chunk[..take].to_vec();
                } else {
                    buf.extend_from_slice(&chunk[..take]);
                }
            } else if let Some(p) = &self.probe {
                // Too long: not held, but looked through as it passes.
                let s = search.get_or_insert_with(|| {
                    let mut s = p.search();
                    s.feed(&buf);
                    s
                });
                s.feed(&chunk[..take]);
            }
            len += take;
            self.reader.consume(take + usize::from(end));
            if end {
                break;
            }
        }
        self.found = search.and_then(|s| s.found());
        self.number += 1;
        if self.number == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
            // A UTF-8 byte-order mark (PowerShell writes one) is not data.
            buf.drain(..3);
            len -= 3;
        }
        if buf.last() == Some(&b'\r') && len <= self.max {
            buf.pop();
            len -= 1;
        }
        let line = if len > self.max {
            Line::TooLong(len)
        } else {
            match String::from_utf8(buf) {
                Ok(s) if s.trim().is_empty() => Line::Blank,
                Ok(s) => Line::Text(s),
                Err(e) => Line::InvalidUtf8 {
                    at: e.utf8_error().valid_up_to(),
                },
            }
        };
        Some(Ok((self.number, line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize) -> Vec<(u64, Line)> {
        Lines::with_limit(input, max).map(|r| r.unwrap()).collect()
    }

    #[test]
    fn numbers_blank_invalid_and_long_lines() {
        let got = all(b"{}\r\n\n  \n\xff\xfe\n0123456789abc\nlast", 10);
        assert_eq!(
            got,
            [
                (1, Line::Text("{}".into())),
                (2, Line::Blank),
                (3, Line::Blank),
                (4, Line::InvalidUtf8 { at: 0 }),
                (5, Line::TooLong(13)),
                (6, Line::Text("last".into())),
            ]
        );
    }

    #[test]
    fn byte_order_mark_is_dropped_from_the_first_line_only() {
        let got = all(b"\xEF\xBB\xBF{}\n\xEF\xBB\xBF{}\n", 10);
        assert_eq!(got[0], (1, Line::Text("{}".into())));
        assert_eq!(got[1], (2, Line::Text("\u{feff}{}".into())));
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(all(b"", 10).is_empty());
        assert_eq!(all(b"\n", 10), [(1, Line::Blank)]);
    }
}
