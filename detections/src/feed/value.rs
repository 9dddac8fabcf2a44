//! Judging one feed value: a domain for the hunt, or a reason it is not one; and
//! the collector every format reader hands its entries to (it keeps each domain
//! once and rejects later duplicates).

use std::sync::Arc;

use super::age::Day;
use super::types::{Feed, FeedFields, FeedIoc, Format, Location, Note, Reason, Rejected};
use crate::ioc::{normalize_domain, DomainError, Normalisation};
use crate::key_index::KeyIndex;

/// What a feed declares an entry to be, from its own type field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A domain or host name.
    Domain,
    /// A URL.
    Url,
    /// An IP address.
    Ip,
    /// An IP address and port.
    IpPort,
    /// A file hash or fingerprint.
    Hash,
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

/// Judge one value the feed declared as `kind`: the normalised domain and the
/// changes made, or why it is not one.
pub fn judge(kind: &Kind, written: &str) -> Result<(String, Vec<Normalisation>), Reason> {
    if written.trim().is_empty() {
        return Err(Reason::Empty);
    }
    match kind {
        Kind::Url => Err(Reason::Url),
        Kind::Ip => Err(Reason::Ip),
        Kind::IpPort => Err(Reason::IpPort),
        Kind::Hash => Err(Reason::Hash),
        Kind::Other(t) => Err(Reason::UnsupportedType(t.clone())),
        Kind::Domain | Kind::Unspecified => {
            if looks_like_hash(written.trim()) {
                return Err(Reason::Hash);
            }
            Ok(normalize_domain(written)?)
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

    /// Offer one value, declared by the feed as `kind`, with the feed's fields.
    pub fn offer(&mut self, at: Location, written: &str, kind: &Kind, feed: FeedFields) {
        let (value, changes) = match judge(kind, written) {
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
        assert_eq!(judge(&Kind::Url, "x.io"), Err(Reason::Url));
        assert_eq!(judge(&Kind::Domain, " "), Err(Reason::Empty));
        assert_eq!(
            judge(&Kind::Unspecified, &"a".repeat(32)),
            Err(Reason::Hash)
        );
        assert_eq!(
            judge(&Kind::Unspecified, "1.2.3.4:9033"),
            Err(Reason::IpPort)
        );
        assert_eq!(judge(&Kind::Unspecified, "1.2.3.4"), Err(Reason::Ip));
        assert_eq!(judge(&Kind::Unspecified, "::1"), Err(Reason::Ip));
        assert_eq!(
            judge(&Kind::Unspecified, "hxxp://x[.]io/a"),
            Err(Reason::Url)
        );
        assert_eq!(
            judge(&Kind::Domain, "A[.]io").map(|(v, _)| v),
            Ok("a.io".into())
        );
    }
}
