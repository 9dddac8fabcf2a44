//! Domain values: their normalisation (trim, refang, case, one trailing dot),
//! the checks a DNS name passes, and the changes normalising any kind makes.

use serde::Serialize;

/// A change made to a value while normalising it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// Leading or trailing white space removed.
    Trimmed,
    /// Defanged `[.]`, `(.)` or `[dot]` turned back into `.` (and, for the kinds
    /// other than domains, `hxxp` into `http`, `[:]` into `:`).
    Refanged,
    /// Upper-case ASCII lowered.
    LowerCased,
    /// One trailing dot removed.
    TrailingDotRemoved,
    /// An address, port or prefix length rewritten in its canonical form (IPv6
    /// compressed, leading zeros dropped).
    Canonical,
    /// An IPv4-mapped IPv6 address written as the IPv4 address.
    Ipv4Mapped,
    /// The bits of a range's address below its prefix cleared.
    HostBitsCleared,
    /// A URL's port removed: the scheme's default.
    DefaultPortRemoved,
    /// An empty URL path written `/`.
    PathAdded,
}

impl std::fmt::Display for Normalisation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Normalisation::Trimmed => "trimmed white space",
            Normalisation::Refanged => "refanged a defanged form",
            Normalisation::LowerCased => "lower-cased",
            Normalisation::TrailingDotRemoved => "removed one trailing dot",
            Normalisation::Canonical => "wrote the canonical form",
            Normalisation::Ipv4Mapped => "wrote the IPv4-mapped IPv6 address as IPv4",
            Normalisation::HostBitsCleared => "cleared the bits below the prefix",
            Normalisation::DefaultPortRemoved => "removed the default port",
            Normalisation::PathAdded => "wrote the empty path as `/`",
        })
    }
}

/// Why a value is not a domain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Empty after trimming.
    #[error("empty value")]
    Empty,
    /// A URL where a domain is expected.
    #[error("`{0}` is a URL, not a domain")]
    Url(String),
    /// A wildcard.
    #[error(
        "`{0}` is a wildcard; list the domain itself (has_any already matches its subdomains)"
    )]
    Wildcard(String),
    /// An IP address (or `ip:port`).
    #[error("`{0}` is an IP address, not a domain")]
    IpAddress(String),
    /// Anything else that is not a DNS name of two or more labels.
    #[error("`{value}` is not a valid domain: {why}")]
    Invalid {
        /// The normalised value.
        value: String,
        /// What is wrong.
        why: &'static str,
    },
}

/// Normalise a domain value: trim, refang, lower-case, remove one trailing dot; then
/// check it is a domain. Returns the value and each change made.
pub fn normalize_domain(raw: &str) -> Result<(String, Vec<Normalisation>), DomainError> {
    let mut notes = Vec::new();
    let trimmed = raw.trim();
    if trimmed.len() != raw.len() {
        notes.push(Normalisation::Trimmed);
    }
    let mut v = trimmed.to_owned();
    // Every defanged form opens with `[`, `(` or `{`: most values hold none.
    if v.bytes().any(|b| matches!(b, b'[' | b'(' | b'{')) {
        for defanged in ["[.]", "(.)", "[dot]", "{.}"] {
            if v.contains(defanged) {
                v = v.replace(defanged, ".");
                if !notes.contains(&Normalisation::Refanged) {
                    notes.push(Normalisation::Refanged);
                }
            }
        }
    }
    if v.bytes().any(|b| b.is_ascii_uppercase()) {
        v.make_ascii_lowercase();
        notes.push(Normalisation::LowerCased);
    }
    if v.ends_with('.') {
        v.pop();
        notes.push(Normalisation::TrailingDotRemoved);
    }
    validate_domain(&v)?;
    Ok((v, notes))
}

fn validate_domain(v: &str) -> Result<(), DomainError> {
    if v.is_empty() {
        return Err(DomainError::Empty);
    }
    if v.contains("://") || v.contains('/') || v.starts_with("hxxp") {
        return Err(DomainError::Url(v.to_owned()));
    }
    if v.contains('*') {
        return Err(DomainError::Wildcard(v.to_owned()));
    }
    let host = v.rsplit_once(':').map_or(v, |(h, _)| h);
    if host.parse::<std::net::Ipv4Addr>().is_ok() || v.parse::<std::net::Ipv6Addr>().is_ok() {
        return Err(DomainError::IpAddress(v.to_owned()));
    }
    let invalid = |why| DomainError::Invalid {
        value: v.to_owned(),
        why,
    };
    if v.len() > 253 {
        return Err(invalid("longer than 253 characters"));
    }
    if !v.contains('.') {
        return Err(invalid("a domain needs at least two labels"));
    }
    for l in v.split('.') {
        if l.is_empty() {
            return Err(invalid("empty label"));
        }
        if l.len() > 63 {
            return Err(invalid("label longer than 63 characters"));
        }
        if !l
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(invalid(
                "only letters, digits, `-` and `_` may appear in a label (IDNs in punycode)",
            ));
        }
        if l.starts_with('-') || l.ends_with('-') {
            return Err(invalid("a label starts or ends with `-`"));
        }
    }
    if v.rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid("the top-level label is all digits"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_reports_each_change() {
        let (v, notes) = normalize_domain(" Estaliax[.]IO. ").unwrap();
        assert_eq!(v, "estaliax.io");
        assert_eq!(
            notes,
            [
                Normalisation::Trimmed,
                Normalisation::Refanged,
                Normalisation::LowerCased,
                Normalisation::TrailingDotRemoved
            ]
        );
    }

    #[test]
    fn rejects_non_domains() {
        assert_eq!(normalize_domain("  "), Err(DomainError::Empty));
        assert!(matches!(
            normalize_domain("http://x.io/a"),
            Err(DomainError::Url(_))
        ));
        assert!(matches!(
            normalize_domain("*.x.io"),
            Err(DomainError::Wildcard(_))
        ));
        assert!(matches!(
            normalize_domain("1.2.3.4:9033"),
            Err(DomainError::IpAddress(_))
        ));
        assert!(matches!(
            normalize_domain("localhost"),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(
            normalize_domain("a..io"),
            Err(DomainError::Invalid { .. })
        ));
        assert!(matches!(
            normalize_domain("a b.io"),
            Err(DomainError::Invalid { .. })
        ));
    }
}
