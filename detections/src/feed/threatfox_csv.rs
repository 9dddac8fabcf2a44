//! ThreatFox CSV export. The header is a comment line
//! (`# "first_seen_utc","ioc_id","ioc_value",...`); records are quoted fields
//! separated by `", "`; `None` means empty; the file ends with
//! `# Number of entries: N`. Columns are mapped by header name, so older exports
//! (without `is_compromised`) read the same. Quoted fields may hold commas and
//! line breaks; a record with fewer fields than the header (a truncated last
//! line) is rejected.

use csv::ReaderBuilder;

use super::threatfox;
use super::types::Reason;
use super::value::Collector;
use super::{FeedError, Location};

/// The header line: its number and its column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// 1-based line.
    pub line: u64,
    /// Column names, in order.
    pub names: Vec<String>,
}

/// The header: the first line, commented or not, that names an `ioc_value`
/// column, before any record.
pub fn find_header(text: &str) -> Option<Header> {
    for (i, line) in text.split('\n').enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let body = t.strip_prefix('#').map(str::trim_start);
        let candidate = body.unwrap_or(t);
        if candidate.contains("ioc_value") {
            let names = first_record(candidate);
            if names.iter().any(|n| n == "ioc_value") {
                return Some(Header {
                    line: i as u64 + 1,
                    names,
                });
            }
        }
        if body.is_none() {
            // A record before any header.
            break;
        }
    }
    None
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes())
}

fn first_record(line: &str) -> Vec<String> {
    let text = unspace(line);
    let record = reader(&text).records().next().and_then(Result::ok);
    record.map_or_else(Vec::new, |r| {
        r.iter().map(|f| f.trim().to_owned()).collect()
    })
}

/// Where [`unspace`] is in the CSV text; the states follow the CSV reader's, so
/// both agree on what is quoted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// At the start of a line (outside quotes).
    LineStart,
    /// In a comment line.
    Comment,
    /// After a separator: white space here is dropped.
    FieldStart,
    /// In an unquoted field (a quote here is a plain character).
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// A quote met in a quoted field: `""` or the field's end.
    QuoteInQuoted,
}

/// ThreatFox separates quoted fields with `", "`, which a CSV reader takes for
/// an unquoted field starting with a space: remove white space after a separator
/// outside quotes. Comment lines are left alone and line breaks kept, so line
/// numbers hold.
fn unspace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = At::LineStart;
    for ch in text.chars() {
        at = match (at, ch) {
            (At::Comment, '\n') => At::LineStart,
            (At::Comment, _) | (At::LineStart, '#') => At::Comment,
            (At::FieldStart, ' ' | '\t') => continue,
            (At::LineStart | At::FieldStart | At::QuoteInQuoted, '"') => At::Quoted,
            (At::Quoted, '"') => At::QuoteInQuoted,
            (At::Quoted, _) => At::Quoted,
            (_, '\n') => At::LineStart,
            (_, ',') => At::FieldStart,
            _ => At::Unquoted,
        };
        out.push(ch);
    }
    out
}

/// Read a ThreatFox CSV export into `c`.
pub fn read(text: &str, c: &mut Collector) -> Result<(), FeedError> {
    let header = find_header(text).ok_or(FeedError::NoHeader)?;
    let col = |name: &str| header.names.iter().position(|n| n == name);
    let value_col = col("ioc_value");
    let expected = header.names.len();
    let data = unspace(text);
    // The CSV reader's own line numbers count from where the previous record
    // ended (before comment lines) and miss line breaks inside quoted fields:
    // count them here, from byte offsets.
    let breaks: Vec<usize> = data.match_indices('\n').map(|(i, _)| i).collect();
    let line_at = |byte: usize| breaks.partition_point(|&b| b < byte) as u64 + 1;
    let mut rdr = reader(&data);
    let mut rec = csv::StringRecord::new();
    let mut records = 0u64;
    loop {
        let from = rdr.position().byte();
        let start = line_at(record_start(&data, from as usize));
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let reason = Reason::Malformed(format!("unreadable CSV record: {e}"));
                c.reject(Location::line(start), "", reason);
                if rdr.position().byte() == from {
                    break;
                }
                continue;
            }
        }
        let line = start;
        if line <= header.line {
            continue;
        }
        records += 1;
        let at = Location::line(line);
        if rec.len() != expected {
            let value = match value_col.and_then(|i| rec.get(i)) {
                Some(v) => v.to_owned(),
                None => rec.iter().collect::<Vec<_>>().join(", "),
            };
            let reason = if rec.len() < expected {
                Reason::Truncated {
                    fields: rec.len(),
                    expected,
                }
            } else {
                Reason::Malformed(format!(
                    "the record has {} fields and the header {expected}: its columns cannot be told apart",
                    rec.len()
                ))
            };
            let end = line_at((rdr.position().byte() as usize).saturating_sub(1));
            if end > line {
                c.note(
                    Some(at.clone()),
                    format!("the record runs from line {line} to line {end}: a quote left open?"),
                );
            }
            c.reject(at, &value, reason);
            continue;
        }
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).map(str::to_owned);
        threatfox::offer(c, at, &get, None);
    }
    check_footer(text, records, c);
    Ok(())
}

/// Where the record that follows `pos` starts: past line ends, blank lines and
/// comment lines.
fn record_start(data: &str, mut pos: usize) -> usize {
    while let Some(rest) = data.get(pos..) {
        let trimmed = rest.trim_start_matches(['\r', '\n']);
        pos += rest.len() - trimmed.len();
        if !trimmed.starts_with('#') {
            break;
        }
        pos += trimmed.find('\n').map_or(trimmed.len(), |i| i + 1);
    }
    pos
}

/// Compare the `# Number of entries: N` footer with the records read.
fn check_footer(text: &str, records: u64, c: &mut Collector) {
    let footer = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rest = l.trim().strip_prefix('#')?.trim();
            let n = rest.strip_prefix("Number of entries:")?.trim();
            Some((i as u64 + 1, n.parse::<u64>().ok()))
        })
        .last();
    match footer {
        None => c.note(
            None,
            "no `# Number of entries: N` line at the end: the export may be cut short",
        ),
        Some((line, Some(n))) if n != records => c.note(
            Some(Location::line(line)),
            format!("the footer says {n} entries, the file holds {records} records"),
        ),
        Some((line, None)) => c.note(
            Some(Location::line(line)),
            "the `Number of entries` footer holds no number",
        ),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspace_keeps_quoted_separators_and_comments() {
        assert_eq!(
            unspace("# \"a\", \"b\"\n\"x, y\", \"z\"\r\n\"q\"\"\", \"w\""),
            "# \"a\", \"b\"\n\"x, y\",\"z\"\r\n\"q\"\"\",\"w\""
        );
        // A quote inside an unquoted field, or after a quoted field's end, is
        // a plain character, as the CSV reader takes it.
        assert_eq!(
            unspace("a\"b, \"c\"d, \"e\"\n#, \"\n\"f\nx\", g"),
            "a\"b,\"c\"d,\"e\"\n#, \"\n\"f\nx\",g"
        );
    }

    #[test]
    fn finds_a_commented_or_plain_header_before_records() {
        let h = find_header("#####\n# c\n# \"first_seen_utc\",\"ioc_value\"\n\"x\", \"y\"\n");
        assert_eq!(
            h,
            Some(Header {
                line: 3,
                names: vec!["first_seen_utc".into(), "ioc_value".into()]
            })
        );
        assert_eq!(
            find_header("ioc_id,ioc_value\n1,a.io\n").map(|h| h.line),
            Some(1)
        );
        assert_eq!(find_header("a.io\n# \"ioc_value\"\n"), None);
    }
}
