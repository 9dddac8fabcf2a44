//! The feed's data types: formats, locations, indicators with the feed's own
//! fields, rejections, notes, and the errors of a file that cannot be read.

use std::fmt;
use std::sync::Arc;

use crate::ioc::{Ioc, IocKind, Normalisation};

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
    /// The feed's type (`domain`, `ip:port`, `domain-name`, `ip-dst|port`);
    /// none for plain lists.
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

/// An accepted indicator: its kind, the normalised value and everything its
/// feed says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedIoc {
    /// The kind of indicator.
    pub kind: IocKind,
    /// The value, normalised (see [`IocKind::parse`]).
    pub value: String,
    /// The value as the feed wrote it.
    pub written: String,
    /// Each change normalising made (refanged, lower-cased, ...).
    pub changes: Vec<Normalisation>,
    /// The feed's own fields (entries that carry none, as in a plain list,
    /// share one empty value).
    pub feed: Arc<FeedFields>,
    /// The feed's format.
    pub format: Format,
    /// The origin name the caller gave (a file name), shared by the feed's
    /// indicators.
    pub origin: Arc<str>,
    /// Where in the feed.
    pub at: Location,
}

impl FeedIoc {
    /// The indicator as the detection content holds one. Absent text fields
    /// become empty strings, an absent confidence stays absent; the source
    /// names the format and the origin.
    pub fn to_ioc(&self) -> Ioc {
        self.to_ioc_with_source(self.source())
    }

    /// What [`FeedIoc::to_ioc`] gives as the source: the format and the origin
    /// (`plain list feeds/c2.txt`).
    pub fn source(&self) -> String {
        format!("{} {}", self.format.label(), self.origin)
    }

    fn to_ioc_with_source(&self, source: String) -> Ioc {
        let f = &self.feed;
        Ioc {
            kind: self.kind,
            value: self.value.clone(),
            threat_type: f.threat_type.clone().unwrap_or_default(),
            first_seen: f.first_seen.clone().unwrap_or_default(),
            confidence: f.confidence,
            malware_family: f.malware_family.clone().unwrap_or_default(),
            source,
            status: String::new(),
        }
    }
}

/// [`FeedIoc::to_ioc`] of each indicator, in order; the source text is made
/// once per run of indicators from one feed, not once per indicator.
pub fn to_iocs(accepted: &[FeedIoc]) -> Vec<Ioc> {
    let mut out = Vec::with_capacity(accepted.len());
    let mut last: Option<(&FeedIoc, String)> = None;
    for i in accepted {
        let source = match &last {
            Some((prev, source)) if prev.format == i.format && prev.origin == i.origin => {
                source.clone()
            }
            _ => {
                let source = i.source();
                last = Some((i, source.clone()));
                source
            }
        };
        out.push(i.to_ioc_with_source(source));
    }
    out
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
    /// The indicators accepted, of every kind, in feed order, each once.
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

/// Why an entry is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Empty or white space.
    Empty,
    /// A URL where the feed's type says domain.
    Url,
    /// An IP address where the feed's type says domain.
    Ip,
    /// An IP address and port where the feed's type says domain.
    IpPort,
    /// A hash or fingerprint of a kind huntlab holds none of (`sha512`,
    /// `ssdeep`; 56, 96 or 128 hexadecimal digits in a list).
    Hash,
    /// A wildcard (`*.example.com`).
    Wildcard,
    /// Not a DNS name (what is wrong).
    NotADomain(&'static str),
    /// Not a value of the kind the feed declares, or the value's shape says
    /// (what is wrong).
    Invalid {
        /// The kind it was read as.
        kind: IocKind,
        /// What is wrong.
        why: String,
    },
    /// The same indicator appears earlier in this feed.
    Duplicate {
        /// Where it first appears.
        first: Location,
        /// Its kind.
        kind: IocKind,
    },
    /// A type that is no kind of indicator huntlab reads (the feed's name for
    /// it).
    UnsupportedType(String),
    /// A STIX pattern huntlab does not read exactly (what was met).
    UnsupportedPattern(String),
    /// A MISP attribute with `to_ids` false.
    NotForDetection,
    /// A revoked STIX indicator or a deleted MISP attribute.
    Withdrawn,
    /// A CSV record with fewer fields than the header.
    Truncated {
        /// Fields read.
        fields: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// An entry whose shape is wrong (what is wrong).
    Malformed(String),
}

/// What the STIX pattern reader reads, as the end of its rejections.
const PATTERNS_READ: &str = "read: `[path = 'value']` comparisons on domain-name, ipv4-addr, ipv6-addr, url, file:hashes and network-traffic:dst_ref, joined by OR; an address AND network-traffic:dst_port";

impl Reason {
    /// A short stable code (`url`, `duplicate`, `unsupported_pattern`).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::Url => "url",
            Reason::Ip => "ip",
            Reason::IpPort => "ip_port",
            Reason::Hash => "hash",
            Reason::Wildcard => "wildcard",
            Reason::NotADomain(_) => "not_a_domain",
            Reason::Invalid { .. } => "invalid",
            Reason::Duplicate { .. } => "duplicate",
            Reason::UnsupportedType(_) => "unsupported_type",
            Reason::UnsupportedPattern(_) => "unsupported_pattern",
            Reason::NotForDetection => "not_for_detection",
            Reason::Withdrawn => "withdrawn",
            Reason::Truncated { .. } => "truncated",
            Reason::Malformed(_) => "malformed",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Empty => f.write_str("empty value"),
            Reason::Url => f.write_str(
                "a URL where the feed's type says domain (the declared type is believed; a URL's host is not taken from it)",
            ),
            Reason::Ip => f.write_str("an IP address where the feed's type says domain"),
            Reason::IpPort => {
                f.write_str("an IP address and port where the feed's type says domain")
            }
            Reason::Hash => f.write_str(
                "a hash or fingerprint of a kind huntlab does not hunt (only SHA-256, SHA-1 and MD5)",
            ),
            Reason::Wildcard => f.write_str(
                "a wildcard; list the domain itself (has_any already matches its subdomains)",
            ),
            Reason::NotADomain(why) => write!(f, "not a valid domain: {why}"),
            Reason::Invalid { kind, why } => write!(f, "not a valid {}: {why}", kind.label()),
            Reason::Duplicate { first, kind } => {
                write!(f, "duplicate of the {} at {first}", kind.label())
            }
            Reason::UnsupportedType(t) => {
                write!(f, "type `{t}` is no kind of indicator huntlab reads")
            }
            Reason::UnsupportedPattern(what) => {
                write!(f, "unsupported STIX pattern: {what} ({PATTERNS_READ})")
            }
            Reason::NotForDetection => f.write_str(
                "MISP `to_ids` is false: the attribute is context, not for detection",
            ),
            Reason::Withdrawn => f.write_str("withdrawn by the feed (STIX revoked, MISP deleted)"),
            Reason::Truncated { fields, expected } => write!(
                f,
                "the record has {fields} of the header's {expected} fields (a truncated line?)"
            ),
            Reason::Malformed(why) => f.write_str(why),
        }
    }
}
