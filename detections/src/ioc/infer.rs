//! The kind a value is written as, when nothing says which it is (a line of a
//! plain list): read from its shape once refanged, then parsed as that kind by
//! [`IocKind::parse`], which says what is wrong when the shape misleads.

use std::net::Ipv6Addr;

use super::kind::IocKind;
use super::refang;

impl IocKind {
    /// The kind `raw` is written as: a URL (`://`), a hash (64, 40 or 32
    /// hexadecimal digits), a CIDR range (an address, `/`), an address and
    /// port (`a.b.c.d:port`, `[v6]:port`), an IPv6 address (it parses as one,
    /// or is made of hexadecimal digits and `:`), an IPv4 address (digits and
    /// dots), else a domain. Defanged forms are read as what they stand for.
    /// A value of no kind's shape is read as a domain, whose checks say why it
    /// is none.
    pub fn infer(raw: &str) -> IocKind {
        let trimmed = raw.trim();
        let refanged = refang::refang(trimmed);
        let v = refanged.as_deref().unwrap_or(trimmed);
        if v.contains("://") {
            return IocKind::Url;
        }
        if v.bytes().all(|b| b.is_ascii_hexdigit()) {
            match v.len() {
                64 => return IocKind::Sha256,
                40 => return IocKind::Sha1,
                32 => return IocKind::Md5,
                _ => {}
            }
        }
        if let Some((addr, _)) = v.split_once('/') {
            return if dotted(addr) || colons(addr) {
                IocKind::Cidr
            } else {
                IocKind::Url
            };
        }
        if let Some(rest) = v.strip_prefix('[') {
            return match rest.split_once(']') {
                Some((_, after)) if after.starts_with(':') => IocKind::IpPort,
                _ => IocKind::Ipv6,
            };
        }
        if v.parse::<Ipv6Addr>().is_ok() {
            return IocKind::Ipv6;
        }
        match v.rsplit_once(':') {
            Some((host, _)) if dotted(host) => IocKind::IpPort,
            _ if dotted(v) => IocKind::Ipv4,
            _ if colons(v) => IocKind::Ipv6,
            _ => IocKind::Domain,
        }
    }
}

/// Digits and dots, at least one of each: written as an IPv4 address.
fn dotted(s: &str) -> bool {
    s.contains('.')
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Hexadecimal digits, `:` (at least one) and dots: written as an IPv6
/// address.
fn colons(s: &str) -> bool {
    s.contains(':')
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use IocKind::*;

    #[test]
    fn each_shape_reads_as_its_kind() {
        for (v, want) in [
            ("estaliax.io", Domain),
            ("Estaliax[.]IO.", Domain),
            ("*.duckdns.org", Domain),
            ("estaliax.io:443", Domain),
            ("localhost", Domain),
            ("deadbeef", Domain),
            ("198.51.100.7", Ipv4),
            ("198[.]51[.]100[.]7", Ipv4),
            ("198.51.100", Ipv4),
            ("198.51.100.007", Ipv4),
            ("2001:db8::7", Ipv6),
            ("::ffff:198.51.100.7", Ipv6),
            ("[2001:db8::7]", Ipv6),
            ("2001:db8::g", Domain),
            ("2001:db8:::7", Ipv6),
            ("198.51.100.7:8080", IpPort),
            ("185.222.58[.]10[:]9033", IpPort),
            ("[2001:db8::7]:8080", IpPort),
            ("198.51.100.0/24", Cidr),
            ("2001:db8::/32", Cidr),
            ("http://estaliax.io/gate.php", Url),
            ("hxxp://estaliax[.]io/gate.php", Url),
            ("hXXps[://]x[.]io", Url),
            ("estaliax.io/gate.php", Url),
            (
                "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                Sha256,
            ),
            ("da39a3ee5e6b4b0d3255bfef95601890afd80709", Sha1),
            ("d41d8cd98f00b204e9800998ecf8427e", Md5),
            (" d41d8cd98f00b204e9800998ecf8427e ", Md5),
        ] {
            assert_eq!(IocKind::infer(v), want, "{v}");
        }
    }
}
