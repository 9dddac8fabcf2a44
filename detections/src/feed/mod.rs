//! IOC feeds: ThreatFox CSV and JSON exports, STIX 2.1 bundles, MISP events and
//! plain lists, read into the domain indicators the hunt can use. Every other entry
//! (a URL, an IP address, a hash, a wildcard, an empty value, a duplicate, an
//! unsupported STIX pattern) is rejected with its line and the reason.
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
pub mod value;

use std::fmt;

use serde_json::Value;

use crate::ioc::{Ioc, Normalisation};

pub use age::{retain_recent, AgeFilter, Day};
pub use merge::{merge, merge_recent, Duplicate, Merged};
pub use value::Reason;

/// A feed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// ThreatFox CSV export (header in a `#` comment line).
    ThreatFoxCsv,
    /// ThreatFox JSON export (object keyed by IOC id) or API response.
    ThreatFoxJson,
    /// STIX 2.1 bundle (or a single indicator).
    Stix,
    /// MISP event JSON.
    Misp,
    /// One value per line, `#` comments.
    List,
}

impl Format {
    /// Every format, in the order [`Format::name`] lists them.
    pub const ALL: [Format; 5] = [
        Format::ThreatFoxCsv,
        Format::ThreatFoxJson,
        Format::Stix,
        Format::Misp,
        Format::List,
    ];

    /// The name used on the command line and in JSON (`threatfox-csv`).
    pub fn name(self) -> &'static str {
        match self {
            Format::ThreatFoxCsv => "threatfox-csv",
            Format::ThreatFoxJson => "threatfox-json",
            Format::Stix => "stix",
            Format::Misp => "misp",
            Format::List => "list",
        }
    }

    /// A label for people (`ThreatFox CSV`).
    pub fn label(self) -> &'static str {
        match self {
            Format::ThreatFoxCsv => "ThreatFox CSV",
            Format::ThreatFoxJson => "ThreatFox JSON",
            Format::Stix => "STIX 2.1",
            Format::Misp => "MISP event",
            Format::List => "plain list",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown feed format `{s}` (known: {})", names.join(", "))
            })
    }
}

/// Where an entry sits in its feed: the line (1-based) where it could be found,
/// and for JSON formats the entry's JSON pointer (`/Event/Attribute/3`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location {
    /// 1-based line.
    pub line: Option<u64>,
    /// JSON pointer of the entry (JSON formats only).
    pub path: Option<String>,
}

impl Location {
    /// A line.
    pub fn line(line: u64) -> Self {
        Location {
            line: Some(line),
            path: None,
        }
    }

    /// The line if known, else the path: what follows `file:` in a diagnostic.
    pub fn compact(&self) -> String {
        match (self.line, &self.path) {
            (Some(l), _) => l.to_string(),
            (None, Some(p)) if p.is_empty() => "(top level)".into(),
            (None, Some(p)) => p.clone(),
            (None, None) => "?".into(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.path) {
            (Some(l), Some(p)) => write!(f, "line {l} ({p})"),
            (Some(l), None) => write!(f, "line {l}"),
            (None, Some(p)) if p.is_empty() => f.write_str("the top level"),
            (None, Some(p)) => write!(f, "entry {p}"),
            (None, None) => f.write_str("an unknown place"),
        }
    }
}

/// What a feed says about an indicator besides its value, as the feed wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedFields {
    /// The feed's type (`domain`, `hostname`, `domain-name`); none for plain lists.
    pub ioc_type: Option<String>,
    /// Threat type (`botnet_cc`; a STIX indicator's `indicator_types`; a MISP
    /// attribute's category).
    pub threat_type: Option<String>,
    /// Malware family (`Nanocore RAT`).
    pub malware_family: Option<String>,
    /// First seen (or STIX `valid_from`), as written.
    pub first_seen: Option<String>,
    /// Last seen, as written.
    pub last_seen: Option<String>,
    /// Confidence, 0 to 100.
    pub confidence: Option<u8>,
    /// Reference (a URL, usually).
    pub reference: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The feed's id for the entry (ThreatFox IOC id, STIX id, MISP uuid).
    pub id: Option<String>,
}

/// An accepted indicator: a normalised domain and everything its feed says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedIoc {
    /// The domain, normalised (see [`crate::ioc::normalize_domain`]).
    pub value: String,
    /// The value as the feed wrote it.
    pub written: String,
    /// Each change normalising made (refanged, lower-cased, ...).
    pub changes: Vec<Normalisation>,
    /// The feed's own fields.
    pub feed: FeedFields,
    /// The feed's format.
    pub format: Format,
    /// The origin name the caller gave (a file name).
    pub origin: String,
    /// Where in the feed.
    pub at: Location,
}

impl FeedIoc {
    /// The indicator as the detection content holds one. Absent fields become
    /// empty strings and confidence 0 (unknown); the source names the format and
    /// the origin.
    pub fn to_ioc(&self) -> Ioc {
        let f = &self.feed;
        Ioc {
            ioc_type: "domain".into(),
            value: self.value.clone(),
            threat_type: f.threat_type.clone().unwrap_or_default(),
            first_seen: f.first_seen.clone().unwrap_or_default(),
            confidence: f.confidence.unwrap_or(0),
            malware_family: f.malware_family.clone().unwrap_or_default(),
            source: format!("{} {}", self.format.label(), self.origin),
        }
    }

    /// The date the indicator was last known active: last seen, else first seen.
    pub fn seen(&self) -> Option<Day> {
        let f = &self.feed;
        match f.last_seen.as_deref().and_then(Day::parse) {
            Some(d) => Some(d),
            None => f.first_seen.as_deref().and_then(Day::parse),
        }
    }
}

/// An entry left out of the hunt, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Where in the feed.
    pub at: Location,
    /// The value as the feed wrote it (verbatim; escape it before showing it).
    pub value: String,
    /// Why.
    pub reason: Reason,
}

/// Something worth knowing about a feed that is not a rejection (a refanged
/// composite value, a missing footer, skipped STIX objects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where, if it concerns one place.
    pub at: Option<Location>,
    /// What.
    pub message: String,
}

/// One feed read: what was accepted, what was rejected, notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The origin name the caller gave.
    pub origin: String,
    /// The format it was read as.
    pub format: Format,
    /// Domains for the hunt, in feed order, each once.
    pub accepted: Vec<FeedIoc>,
    /// Everything else, in feed order.
    pub rejected: Vec<Rejected>,
    /// Notes, in feed order.
    pub notes: Vec<Note>,
}

/// Why a file cannot be read as a feed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8 at line {line}, byte {byte} of the line (the first byte is byte 1); save the feed as UTF-8")]
    InvalidUtf8 {
        /// 1-based line.
        line: u64,
        /// 1-based byte within the line.
        byte: usize,
    },
    /// A UTF-16 byte-order mark followed by bytes that are not UTF-16.
    #[error("invalid UTF-16 at line {line} (the file starts with a UTF-16 byte-order mark)")]
    InvalidUtf16 {
        /// 1-based line.
        line: u64,
    },
    /// Text that should be JSON and is not.
    #[error("not valid JSON: {message}")]
    Json {
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// The parser's message (with the line and column).
        message: String,
    },
    /// JSON, but not in the shape of the format.
    #[error("not a {} file: {why}", .format.label())]
    Shape {
        /// The format expected.
        format: Format,
        /// What is missing or wrong.
        why: String,
    },
    /// A ThreatFox CSV file without its header line.
    #[error("no ThreatFox CSV header: expected a line such as `# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",...` naming an `ioc_value` column before the first record")]
    NoHeader,
    /// JSON of none of the known shapes.
    #[error("JSON that is neither a STIX bundle, a MISP event nor a ThreatFox export (force a format to see what is missing)")]
    UnknownJson,
}

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
