//! Judging one feed value: what the feed declares it to be ([`Declared`], a
//! [`IocKind`] where the feed names one), then the indicator it is, of any
//! kind, or the reason it is none; and the collector every format reader hands
//! its entries to (it keeps each value once and rejects later duplicates).

use std::sync::Arc;

use super::age::Day;
use super::types::{Feed, FeedFields, FeedIoc, Format, Location, Note, Reason, Rejected};
use crate::ioc::{DomainError, IocError, IocKind, Parsed};
use crate::key_index::KeyIndex;

/// What a feed declares an entry to be, from its own type field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// A kind of indicator (the feed's `domain`, `url`, `sha256_hash`, ...).
    /// An address kind whose value holds a `/` is read as a CIDR range (STIX
    /// `ipv4-addr:value` and MISP `ip-dst` may hold one).
    Is(IocKind),
    /// An IP address of either version, or a CIDR range (ThreatFox `ip`, MISP
    /// `ip-dst`).
    Ip,
    /// A hash or fingerprint of no kind huntlab holds (`sha512`, `ssdeep`).
    OtherHash,
    /// No type given: judged from the value (see [`IocKind::infer`]).
    Unspecified,
    /// A type that is no kind of indicator (the feed's own name for it).
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

/// A parse error as a feed's reason.
fn reason(e: IocError) -> Reason {
    match e {
        IocError::Domain(e) => e.into(),
        IocError::Empty => Reason::Empty,
        IocError::Invalid { kind, why, .. } => Reason::Invalid { kind, why },
    }
}

/// The kind an address value the feed declares as `kind` (IPv4 or IPv6, or
/// of either version: `None`) is read as: a CIDR range when it holds a `/`,
/// else the version its shape says when the feed does not say.
fn address_kind(kind: Option<IocKind>, written: &str) -> IocKind {
    if written.contains('/') {
        return IocKind::Cidr;
    }
    kind.unwrap_or_else(|| match IocKind::infer(written) {
        IocKind::Ipv6 => IocKind::Ipv6,
        _ => IocKind::Ipv4,
    })
}

/// Judge one value the feed declared as `declared`: the indicator it becomes
/// (its kind, normalised value and the changes made), or why it is left out.
/// The feed's type is believed first: a value it declares as a domain is a
/// domain or nothing; a value of no declared type is read as the kind its
/// shape says.
pub fn judge(declared: &Declared, written: &str) -> Result<Parsed, Reason> {
    if written.trim().is_empty() {
        return Err(Reason::Empty);
    }
    let kind = match declared {
        Declared::Is(k @ (IocKind::Ipv4 | IocKind::Ipv6)) => address_kind(Some(*k), written),
        Declared::Is(kind) => *kind,
        Declared::Ip => address_kind(None, written),
        Declared::OtherHash => return Err(Reason::Hash),
        Declared::Other(t) => return Err(Reason::UnsupportedType(t.clone())),
        Declared::Unspecified if looks_like_hash(written.trim()) => match IocKind::infer(written) {
            k if k.is_hash() => k,
            _ => return Err(Reason::Hash),
        },
        Declared::Unspecified => IocKind::infer(written),
    };
    kind.parse(written).map_err(reason)
}

/// Gathers one feed's entries: each indicator once, later duplicates rejected.
#[derive(Debug)]
pub struct Collector {
    origin: Arc<str>,
    format: Format,
    accepted: Vec<FeedIoc>,
    rejected: Vec<Rejected>,
    notes: Vec<Note>,
    /// Each accepted indicator's position in `accepted`.
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
        self.offer_as(at, written, written, declared, feed);
    }

    /// Offer one value the feed wrote as `written` and that reads as `read`
    /// (a MISP `ip-dst|port` written `198.51.100.7|8080`, read
    /// `198.51.100.7:8080`): `read` is judged, `written` kept and shown.
    pub fn offer_as(
        &mut self,
        at: Location,
        written: &str,
        read: &str,
        declared: &Declared,
        feed: FeedFields,
    ) {
        let Parsed {
            kind,
            value,
            changes,
        } = match judge(declared, read) {
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
                kind,
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

    fn ok(declared: &Declared, v: &str) -> (IocKind, String) {
        let p = judge(declared, v).unwrap_or_else(|r| panic!("{v}: {r}"));
        (p.kind, p.value)
    }

    #[test]
    fn judges_by_declared_kind_then_by_value() {
        let domain = Declared::Is(IocKind::Domain);
        assert_eq!(judge(&domain, " "), Err(Reason::Empty));
        assert_eq!(judge(&domain, "http://x.io/a"), Err(Reason::Url));
        assert_eq!(judge(&domain, "1.2.3.4:9033"), Err(Reason::IpPort));
        assert_eq!(judge(&domain, "1.2.3.4"), Err(Reason::Ip));
        assert_eq!(ok(&domain, "A[.]io"), (IocKind::Domain, "a.io".into()));
        // The declared kind is believed: a domain declared as a URL is no URL.
        assert!(matches!(
            judge(&Declared::Is(IocKind::Url), "x.io"),
            Err(Reason::Invalid {
                kind: IocKind::Url,
                ..
            })
        ));
        assert!(matches!(
            judge(&Declared::Is(IocKind::Ipv4), "2001:db8::7"),
            Err(Reason::Invalid {
                kind: IocKind::Ipv4,
                ..
            })
        ));
        assert_eq!(
            ok(&Declared::Is(IocKind::Ipv4), "198.51.100.0/24"),
            (IocKind::Cidr, "198.51.100.0/24".into())
        );
        for (v, kind, want) in [
            ("198.51.100.7", IocKind::Ipv4, "198.51.100.7"),
            ("2001:DB8::7", IocKind::Ipv6, "2001:db8::7"),
            ("::ffff:198.51.100.7", IocKind::Ipv4, "198.51.100.7"),
            ("198.51.100.7/24", IocKind::Cidr, "198.51.100.0/24"),
        ] {
            assert_eq!(ok(&Declared::Ip, v), (kind, want.into()), "{v}");
        }
        assert!(matches!(
            judge(&Declared::Ip, "198.51.100.7:80"),
            Err(Reason::Invalid {
                kind: IocKind::Ipv4,
                ..
            })
        ));
        assert_eq!(judge(&Declared::OtherHash, "ab"), Err(Reason::Hash));
        assert_eq!(
            judge(&Declared::Other("asn".into()), "1"),
            Err(Reason::UnsupportedType("asn".into()))
        );
    }

    #[test]
    fn a_value_of_no_declared_type_is_read_as_its_shape_says() {
        let u = Declared::Unspecified;
        for (v, kind, want) in [
            ("estaliax[.]io", IocKind::Domain, "estaliax.io"),
            (
                "185.222.58[.]10:9033",
                IocKind::IpPort,
                "185.222.58.10:9033",
            ),
            ("[2001:DB8::7]:8080", IocKind::IpPort, "[2001:db8::7]:8080"),
            ("198.51.100.7", IocKind::Ipv4, "198.51.100.7"),
            ("::1", IocKind::Ipv6, "::1"),
            ("10.0.0.0/8", IocKind::Cidr, "10.0.0.0/8"),
            ("hxxp://x[.]io", IocKind::Url, "http://x.io/"),
            (&"A".repeat(32), IocKind::Md5, &"a".repeat(32)),
            (&"b".repeat(40), IocKind::Sha1, &"b".repeat(40)),
            (&"c".repeat(64), IocKind::Sha256, &"c".repeat(64)),
        ] {
            assert_eq!(ok(&u, v), (kind, want.to_owned()), "{v}");
        }
        assert_eq!(judge(&u, &"a".repeat(128)), Err(Reason::Hash));
        assert_eq!(judge(&u, "*.x.io"), Err(Reason::Wildcard));
        assert!(matches!(
            judge(&u, "x.io/gate.php"),
            Err(Reason::Invalid {
                kind: IocKind::Url,
                ..
            })
        ));
        assert!(matches!(
            judge(&u, "198.51.100.007"),
            Err(Reason::Invalid {
                kind: IocKind::Ipv4,
                ..
            })
        ));
    }
}
