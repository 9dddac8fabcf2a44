//! IOC feeds: ThreatFox CSV and JSON exports, STIX 2.1 bundles, MISP events and
//! plain lists, read into indicators of every kind ([`crate::ioc::IocKind`]:
//! domains, IPv4 and IPv6 addresses, addresses and ports, CIDR ranges, URLs,
//! SHA-256, SHA-1 and MD5 hashes), each refanged and normalised. Every other
//! entry (a value not of its declared kind, a hash of another kind, a wildcard,
//! an empty value, a duplicate, an unsupported STIX pattern or type) is
//! rejected with its line and the reason.
//!
//! No I/O: callers hand in the file's bytes ([`parse_bytes`]) or text ([`parse`])
//! and a name for it (the origin). A [`FeedError`] means the text cannot be read
//! as the format at all; anything less is a [`Rejected`] entry or a [`Note`].
//! [`merge`] joins several feeds (first wins), [`retain_recent`] leaves out
//! indicators older than a given age, counted from a "now" the caller gives, and
//! [`merge_recent`] does both, the age first.
//!
//! * [`threatfox_csv`] / [`threatfox_json`]: abuse.ch ThreatFox exports.
//! * [`stix`]: STIX 2.1 bundles (patterns read by [`stix_pattern`]).
//! * [`misp`]: MISP event JSON.
//! * [`list`]: one value per line.
//! * [`value`]: judging one value, and the per-feed collector.

pub mod age;
pub mod json;
pub mod list;
pub mod merge;
pub mod misp;
pub mod stix;
pub mod stix_pattern;
pub mod text;
mod threatfox;
pub mod threatfox_csv;
pub mod threatfox_json;
pub mod types;
pub mod value;

use serde_json::Value;

pub use age::{retain_recent, AgeFilter, Day};
pub use merge::{merge, merge_recent, Duplicate, Merged};
pub use types::{
    to_iocs, Feed, FeedError, FeedFields, FeedIoc, Format, Location, Note, Reason, Rejected,
};

/// Read a feed from bytes: a UTF-8 byte-order mark is skipped, UTF-16 with a
/// byte-order mark is decoded, anything else that is not UTF-8 is an error naming
/// the line. `format` forces a format; `None` detects it from the content.
pub fn parse_bytes(bytes: &[u8], origin: &str, format: Option<Format>) -> Result<Feed, FeedError> {
    let (text, note) = text::decode(bytes)?;
    let mut feed = parse(&text, origin, format)?;
    if let Some(message) = note {
        feed.notes.insert(0, Note { at: None, message });
    }
    Ok(feed)
}

/// Read a feed from text (a leading byte-order mark is skipped). `format` forces
/// a format; `None` detects it from the content (see [`detect`]).
pub fn parse(text: &str, origin: &str, format: Option<Format>) -> Result<Feed, FeedError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = match format {
        None if looks_like_json(text) => Some(parse_json(text)?),
        _ => None,
    };
    let format = match (format, &json) {
        (Some(f), _) => f,
        (None, Some(v)) => detect_json(v)?,
        (None, None) => detect_lines(text),
    };
    let mut c = value::Collector::new(origin, format);
    // Parsed above when detection needed it, else here.
    let mut json = json;
    let mut json = move || json.take().map_or_else(|| parse_json(text), Ok);
    match format {
        Format::ThreatFoxCsv => threatfox_csv::read(text, &mut c)?,
        Format::List => list::read(text, &mut c),
        Format::ThreatFoxJson => threatfox_json::read(&json()?, text, &mut c)?,
        Format::Stix => stix::read(&json()?, text, &mut c)?,
        Format::Misp => misp::read(&json()?, text, &mut c)?,
    }
    Ok(c.finish())
}

/// The format of a feed, from its content: JSON is a STIX bundle (`"type":
/// "bundle"` or an indicator), a MISP event (`Event`, or a `response` list of
/// events) or a ThreatFox export (an object of lists, or an API response with
/// `query_status`); text with a ThreatFox header naming `ioc_value` is ThreatFox
/// CSV; anything else is a plain list.
pub fn detect(text: &str) -> Result<Format, FeedError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if looks_like_json(text) {
        detect_json(&parse_json(text)?)
    } else {
        Ok(detect_lines(text))
    }
}

fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

fn parse_json(text: &str) -> Result<Value, FeedError> {
    serde_json::from_str(text).map_err(|e| FeedError::Json {
        line: e.line() as u64,
        column: e.column() as u64,
        message: e.to_string(),
    })
}

fn detect_lines(text: &str) -> Format {
    if threatfox_csv::find_header(text).is_some() {
        Format::ThreatFoxCsv
    } else {
        Format::List
    }
}

fn detect_json(v: &Value) -> Result<Format, FeedError> {
    if stix::is_stix(v) {
        Ok(Format::Stix)
    } else if misp::is_misp(v) {
        Ok(Format::Misp)
    } else if threatfox_json::is_threatfox(v) {
        Ok(Format::ThreatFoxJson)
    } else {
        Err(FeedError::UnknownJson)
    }
}
