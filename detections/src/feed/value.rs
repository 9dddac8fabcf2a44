//! Judging one feed value: what the feed declares it to be ([`Declared`], a
//! [`IocKind`] where the feed names one), then a domain for the hunt or the
//! reason it is not one; and the collector every format reader hands its
//! entries to (it keeps each value once and rejects later duplicates).

use std::sync::Arc;

use super::age::Day;
use super::types::{Feed, FeedFields, FeedIoc, Format, Location, Note, Reason, Rejected};
use crate::ioc::{DomainError, IocError, IocKind, Parsed};
use crate::key_index::KeyIndex;

/// What a feed declares an entry to be, from its own type field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// A kind of indicator (the feed's `domain`, `url`, `sha256_hash`, ...).
    Is(IocKind),
    /// An IP address of either version (ThreatFox `ip`, MISP `ip-dst`).
    Ip,
    /// A hash or fingerprint of no kind huntlab holds (`sha512`, `ssdeep`), or
    /// one given with a file name (MISP `filename|sha256`).
    OtherHash,
    /// No type given: judged from the value.
    Unspecified,
    /// A type the domain hunt has no use for (the feed's own name for it).
    Other(String),
}

impl From<DomainError> for Reason {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Empty => Reason::Empty,
            DomainError::Url(_) => Reason::Url,
            DomainError::Wildcard(_) => Reason::Wildcard,
            DomainError::IpAddress(v)
                if v.parse::<std::net::Ipv6Addr>().is_err() && v.contains(':') =>
            {
                Reason::IpPort
            }
            DomainError::IpAddress(_) => Reason::Ip,
            DomainError::Invalid { why, .. } => Reason::NotADomain(why),
        }
    }
}

/// Whether a value is written like a hash: 32, 40, 56, 64, 96 or 128 hex digits.
pub fn looks_like_hash(v: &str) -> bool {
    matches!(v.len(), 32 | 40 | 56 | 64 | 96 | 128) && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Why an entry of a kind the hunts do not match yet is left out.
fn not_hunted(kind: IocKind) -> Reason {
    match kind {
        IocKind::Domain => Reason::UnsupportedType(kind.name().into()),
        IocKind::Url => Reason::Url,
        IocKind::Ipv4 | IocKind::Ipv6 | IocKind::Cidr => Reason::Ip,
        IocKind::IpPort => Reason::IpPort,
        IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5 => Reason::Hash,
    }
}

/// A domain's error as a feed's reason.
fn domain_reason(e: IocError) -> Reason {
    match e {
        IocError::Domain(e) => e.into(),
        IocError::Empty => Reason::Empty,
        IocError::Invalid { why, .. } => Reason::Malformed(why),
    }
}

/// Judge one value the feed declared as `declared`: the indicator it becomes
/// (its kind, normalised value and the changes made), or why it is left out.
/// Only domains are hunted: an entry declared as another kind is rejected for
/// its kind, without reading its value.
pub fn judge(declared: &Declared, written: &str) -> Result<Parsed, Reason> {
    if written.trim().is_empty() {
        return Err(Reason::Empty);
    }
    match declared {
        Declared::Is(kind) if kind.hunted() => kind.parse(written).map_err(domain_reason),
        Declared::Is(kind) => Err(not_hunted(*kind)),
        Declared::Ip => Err(Reason::Ip),
        Declared::OtherHash => Err(Reason::Hash),
        Declared::Other(t) => Err(Reason::UnsupportedType(t.clone())),
        Declared::Unspecified => {
            if looks_like_hash(written.trim()) {
                return Err(Reason::Hash);
            }
            IocKind::Domain.parse(written).map_err(domain_reason)
        }
    }
}

/// Gathers one feed's entries: each domain once, later duplicates rejected.
#[derive(Debug)]
pub struct Collector {
    origin: Arc<str>,
    format: Format,
    accepted: Vec<FeedIoc>,
    rejected: Vec<Rejected>,
    notes: Vec<Note>,
    /// Each accepted domain's position in `accepted`.
    seen: KeyIndex,
    /// The fields of every entry that carries none.
    no_fields: Arc<FeedFields>,
}

impl Collector {
    /// An empty collector for a feed.
    pub fn new(origin: &str, format: Format) -> Self {
        Collector {
            origin: Arc::from(origin),
            format,
            accepted: Vec::new(),
            rejected: Vec::new(),
            notes: Vec::new(),
            seen: KeyIndex::default(),
            no_fields: Arc::default(),
        }
    }

    /// Room for `n` more entries (a hint: a plain list's line count).
    pub fn reserve(&mut self, n: usize) {
        self.accepted.reserve(n);
        let accepted = &self.accepted;
        self.seen.reserve(n, |i| &accepted[i].value);
    }

    /// Offer one value, declared by the feed as `declared`, with the feed's
    /// fields.
    pub fn offer(&mut self, at: Location, written: &str, declared: &Declared, feed: FeedFields) {
        let Parsed {
            kind,
            value,
            changes,
        } = match judge(declared, written) {
            Ok(v) => v,
            Err(reason) => return self.reject(at, written, reason),
        };
        let accepted = &self.accepted;
        if let Some(first) = self
            .seen
            .insert(&value, accepted.len(), |i| &accepted[i].value)
        {
            let reason = Reason::Duplicate {
                first: accepted[first].at.clone(),
            };
            return self.reject(at, written, reason);
        }
        for (name, date) in [
            ("first seen", &feed.first_seen),
            ("last seen", &feed.last_seen),
        ] {
            if let Some(d) = date.as_deref().filter(|d| Day::parse(d).is_none()) {
                self.note(
                    Some(at.clone()),
                    format!("{value}: {name} `{d}` is not a date; the age filter reads the indicator's other date, or counts it undated"),
                );
            }
        }
        let feed = if feed == FeedFields::default() {
            Arc::clone(&self.no_fields)
        } else {
            Arc::new(feed)
        };
        self.accepted.push(FeedIoc {
            kind,
            value,
            written: written.to_owned(),
            changes,
            feed,
            format: self.format,
            origin: Arc::clone(&self.origin),
            at,
        });
    }

    /// Reject an entry.
    pub fn reject(&mut self, at: Location, value: &str, reason: Reason) {
        self.rejected.push(Rejected {
            at,
            value: value.to_owned(),
            reason,
        });
    }

    /// Add a note.
    pub fn note(&mut self, at: Option<Location>, message: impl Into<String>) {
        self.notes.push(Note {
            at,
            message: message.into(),
        });
    }

    /// Entries so far (accepted and rejected).
    pub fn entries(&self) -> usize {
        self.accepted.len() + self.rejected.len()
    }

    /// The feed.
    pub fn finish(self) -> Feed {
        Feed {
            origin: self.origin.to_string(),
            format: self.format,
            accepted: self.accepted,
            rejected: self.rejected,
            notes: self.notes,
        }
    }
}

/// A confidence as written (`75`, `"75"`), if it is a whole number from 0 to 100.
pub fn confidence(written: &str) -> Option<u8> {
    written.trim().parse::<u8>().ok().filter(|c| *c <= 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_by_declared_kind_then_by_value() {
        let domain = Declared::Is(IocKind::Domain);
        assert_eq!(judge(&Declared::Is(IocKind::Url), "x.io"), Err(Reason::Url));
        assert_eq!(judge(&domain, " "), Err(Reason::Empty));
        assert_eq!(
            judge(&Declared::Unspecified, &"a".repeat(32)),
            Err(Reason::Hash)
        );
        assert_eq!(
            judge(&Declared::Unspecified, "1.2.3.4:9033"),
            Err(Reason::IpPort)
        );
        assert_eq!(judge(&Declared::Unspecified, "1.2.3.4"), Err(Reason::Ip));
        assert_eq!(judge(&Declared::Unspecified, "::1"), Err(Reason::Ip));
        assert_eq!(
            judge(&Declared::Unspecified, "hxxp://x[.]io/a"),
            Err(Reason::Url)
        );
        assert_eq!(
            judge(&domain, "A[.]io").map(|p| (p.kind, p.value)),
            Ok((IocKind::Domain, "a.io".into()))
        );
        for (kind, reason) in [
            (IocKind::Ipv4, Reason::Ip),
            (IocKind::Ipv6, Reason::Ip),
            (IocKind::Cidr, Reason::Ip),
            (IocKind::IpPort, Reason::IpPort),
            (IocKind::Sha256, Reason::Hash),
            (IocKind::Sha1, Reason::Hash),
            (IocKind::Md5, Reason::Hash),
        ] {
            // Rejected for the kind, however well-formed the value.
            assert_eq!(judge(&Declared::Is(kind), "x.io"), Err(reason));
        }
        assert_eq!(judge(&Declared::Ip, "1.2.3.4"), Err(Reason::Ip));
        assert_eq!(judge(&Declared::OtherHash, "ab"), Err(Reason::Hash));
    }
}
