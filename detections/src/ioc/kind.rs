//! The kinds of indicator: each kind's name (in content files and feeds), its
//! `values_from` list, whether the hunts match it yet, and the one entry point
//! that parses and normalises a value of it ([`IocKind::parse`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::domain::{normalize_domain, DomainError, Normalisation};
use super::hash;
use super::net;
use super::refang;
use super::url;

/// A kind of indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IocKind {
    /// A DNS name (`estaliax.io`).
    Domain,
    /// An IPv4 address (`198.51.100.7`).
    Ipv4,
    /// An IPv6 address (`2001:db8::7`).
    Ipv6,
    /// An IP address and port (`198.51.100.7:8080`, `[2001:db8::7]:8080`).
    IpPort,
    /// An address range (`198.51.100.0/24`, `2001:db8::/32`).
    Cidr,
    /// A URL (`http://estaliax.io/gate.php`).
    Url,
    /// A SHA-256 digest, 64 hexadecimal digits.
    Sha256,
    /// A SHA-1 digest, 40 hexadecimal digits.
    Sha1,
    /// An MD5 digest, 32 hexadecimal digits.
    Md5,
}

/// A value read as a kind of indicator: the kind it is (an IPv4-mapped IPv6
/// address is an IPv4 address), the normalised value, and each change made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The kind of the normalised value.
    pub kind: IocKind,
    /// The value, normalised.
    pub value: String,
    /// Each change normalising made, in the order made.
    pub changes: Vec<Normalisation>,
}

/// Why a value is not an indicator of the kind it was read as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IocError {
    /// Empty after trimming.
    #[error("empty value")]
    Empty,
    /// Not a domain (the reasons a domain has always been given).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Not a value of the kind.
    #[error("`{value}` is not a valid {}: {why}", .kind.label())]
    Invalid {
        /// The kind it was read as.
        kind: IocKind,
        /// The value, trimmed and refanged.
        value: String,
        /// What is wrong.
        why: String,
    },
}

impl IocKind {
    /// Every kind, in the order [`IocKind::name`] lists them.
    pub const ALL: [IocKind; 9] = [
        IocKind::Domain,
        IocKind::Ipv4,
        IocKind::Ipv6,
        IocKind::IpPort,
        IocKind::Cidr,
        IocKind::Url,
        IocKind::Sha256,
        IocKind::Sha1,
        IocKind::Md5,
    ];

    /// The kinds the hunts match (`values_from` may name their lists).
    pub const HUNTED: [IocKind; 1] = [IocKind::Domain];

    /// The name in a content file's `type` and in feeds' JSON (`domain`,
    /// `ip_port`).
    pub fn name(self) -> &'static str {
        match self {
            IocKind::Domain => "domain",
            IocKind::Ipv4 => "ipv4",
            IocKind::Ipv6 => "ipv6",
            IocKind::IpPort => "ip_port",
            IocKind::Cidr => "cidr",
            IocKind::Url => "url",
            IocKind::Sha256 => "sha256",
            IocKind::Sha1 => "sha1",
            IocKind::Md5 => "md5",
        }
    }

    /// The name of the kind's list in a predicate's `values_from`
    /// (`iocs.domain`).
    pub fn values_from(self) -> &'static str {
        match self {
            IocKind::Domain => "iocs.domain",
            IocKind::Ipv4 => "iocs.ipv4",
            IocKind::Ipv6 => "iocs.ipv6",
            IocKind::IpPort => "iocs.ip_port",
            IocKind::Cidr => "iocs.cidr",
            IocKind::Url => "iocs.url",
            IocKind::Sha256 => "iocs.sha256",
            IocKind::Sha1 => "iocs.sha1",
            IocKind::Md5 => "iocs.md5",
        }
    }

    /// The kind whose list a `values_from` names, if any.
    pub fn of_values_from(list: &str) -> Option<IocKind> {
        IocKind::ALL.into_iter().find(|k| k.values_from() == list)
    }

    /// A label for people (`IPv4 address`, `SHA-256`).
    pub fn label(self) -> &'static str {
        match self {
            IocKind::Domain => "domain",
            IocKind::Ipv4 => "IPv4 address",
            IocKind::Ipv6 => "IPv6 address",
            IocKind::IpPort => "IP address and port",
            IocKind::Cidr => "CIDR range",
            IocKind::Url => "URL",
            IocKind::Sha256 => "SHA-256",
            IocKind::Sha1 => "SHA-1",
            IocKind::Md5 => "MD5",
        }
    }

    /// Whether the hunts match indicators of this kind (only domains, for now).
    pub fn hunted(self) -> bool {
        IocKind::HUNTED.contains(&self)
    }

    /// Whether this is a file hash.
    pub fn is_hash(self) -> bool {
        matches!(self, IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5)
    }

    /// Read `raw` as an indicator of this kind: trimmed, refanged, normalised
    /// (see each kind's module), and checked. A domain is normalised exactly as
    /// [`normalize_domain`] does.
    pub fn parse(self, raw: &str) -> Result<Parsed, IocError> {
        type Check =
            fn(IocKind, &str, &mut Vec<Normalisation>) -> Result<(IocKind, String), String>;
        let check: Check = match self {
            IocKind::Domain => {
                let (value, changes) = normalize_domain(raw)?;
                return Ok(Parsed {
                    kind: self,
                    value,
                    changes,
                });
            }
            IocKind::Ipv4 | IocKind::Ipv6 => net::address,
            IocKind::IpPort => |_, v, c| net::ip_port(v, c),
            IocKind::Cidr => |_, v, c| net::cidr(v, c),
            IocKind::Url => |k, v, c| url::url(v, c).map(|u| (k, u)),
            IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5 => {
                |k, v, c| hash::hash(k, v, c).map(|h| (k, h))
            }
        };
        let mut changes = Vec::new();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(IocError::Empty);
        }
        if trimmed.len() != raw.len() {
            changes.push(Normalisation::Trimmed);
        }
        let v = match refang::refang(trimmed) {
            Some(v) => {
                changes.push(Normalisation::Refanged);
                v
            }
            None => trimmed.to_owned(),
        };
        let (kind, value) = check(self, &v, &mut changes).map_err(|why| IocError::Invalid {
            kind: self,
            value: v.clone(),
            why,
        })?;
        Ok(Parsed {
            kind,
            value,
            changes,
        })
    }
}

impl fmt::Display for IocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for IocKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IocKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = IocKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown IOC type `{s}` (known: {})", names.join(", "))
            })
    }
}

impl Serialize for IocKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for IocKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lists_are_fixed() {
        let names: Vec<&str> = IocKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            ["domain", "ipv4", "ipv6", "ip_port", "cidr", "url", "sha256", "sha1", "md5"]
        );
        for k in IocKind::ALL {
            assert_eq!(k.values_from(), format!("iocs.{}", k.name()));
            assert_eq!(IocKind::of_values_from(k.values_from()), Some(k));
            assert_eq!(k.name().parse::<IocKind>(), Ok(k));
            assert_eq!(k.to_string(), k.name());
        }
        assert_eq!(IocKind::of_values_from("iocs.hostname"), None);
        assert!("ip".parse::<IocKind>().is_err());
        assert_eq!(IocKind::HUNTED, [IocKind::Domain]);
    }

    #[test]
    fn serialises_as_its_name() {
        let json = serde_json::to_string(&IocKind::IpPort).unwrap();
        assert_eq!(json, "\"ip_port\"");
        assert_eq!(
            serde_json::from_str::<IocKind>(&json).unwrap(),
            IocKind::IpPort
        );
        assert!(serde_json::from_str::<IocKind>("\"ip\"").is_err());
    }

    #[test]
    fn a_domain_reads_as_normalize_domain_does() {
        for raw in [" Estaliax[.]IO. ", "http://x.io/a", "*.x.io", "1.2.3.4", ""] {
            let want = normalize_domain(raw).map(|(value, changes)| Parsed {
                kind: IocKind::Domain,
                value,
                changes,
            });
            assert_eq!(IocKind::Domain.parse(raw), want.map_err(IocError::from));
        }
    }

    #[test]
    fn errors_name_the_kind() {
        let e = IocKind::Ipv4.parse("1.2.3").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("`1.2.3` is not a valid IPv4 address"),
            "{e}"
        );
        assert_eq!(IocKind::Md5.parse("  "), Err(IocError::Empty));
    }
}
