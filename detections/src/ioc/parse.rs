//! Reading a value as an indicator of a kind: the one entry point,
//! [`IocKind::parse`], dispatching to each kind's module (`domain`, `net`,
//! `url`, `hash`). The kinds' modules know [`IocKind`] (`kind`, a leaf), never
//! this one.

use super::domain::{normalize_domain, DomainError, Normalisation};
use super::hash;
use super::kind::IocKind;
use super::net;
use super::refang;
use super::url;

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

#[cfg(test)]
mod tests {
    use super::*;

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
