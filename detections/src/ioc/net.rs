//! IP addresses, an address with a port, and CIDR ranges: parsed with
//! `std::net`, written in their canonical form (IPv6 compressed and lower-case,
//! RFC 5952), an IPv4-mapped IPv6 address (`::ffff:198.51.100.7`) written as
//! the IPv4 address it is.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::domain::Normalisation;
use super::kind::IocKind;

/// What a check returns: the kind of the value and the value, or what is wrong.
type Checked = Result<(IocKind, String), String>;

const V4_FORM: &str =
    "an IPv4 address is four numbers from 0 to 255 separated by dots, without leading zeros";

/// Note a change once.
pub(super) fn note(changes: &mut Vec<Normalisation>, n: Normalisation) {
    if !changes.contains(&n) {
        changes.push(n);
    }
}

/// `v` lower-cased, noting it when it changes.
pub(super) fn lower(v: &str, changes: &mut Vec<Normalisation>) -> String {
    if v.bytes().any(|b| b.is_ascii_uppercase()) {
        note(changes, Normalisation::LowerCased);
        v.to_ascii_lowercase()
    } else {
        v.to_owned()
    }
}

/// An IPv6 address, or the IPv4 address it maps (noted).
fn unmap(a: Ipv6Addr, changes: &mut Vec<Normalisation>) -> IpAddr {
    match a.to_ipv4_mapped() {
        Some(v4) => {
            note(changes, Normalisation::Ipv4Mapped);
            IpAddr::V4(v4)
        }
        None => IpAddr::V6(a),
    }
}

/// An address of either version (`v` lower-case), an IPv4-mapped one as IPv4.
fn ip(v: &str, changes: &mut Vec<Normalisation>) -> Option<IpAddr> {
    if let Ok(a) = v.parse::<Ipv4Addr>() {
        return Some(IpAddr::V4(a));
    }
    v.parse::<Ipv6Addr>().ok().map(|a| unmap(a, changes))
}

/// An address's canonical text (`Ipv4Addr`'s and `Ipv6Addr`'s `Display`),
/// an IPv4 address written octet by octet without the formatter.
fn canonical(a: IpAddr) -> String {
    match a {
        IpAddr::V4(a) => {
            let mut out = String::with_capacity(15);
            for (i, octet) in a.octets().into_iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(itoa::Buffer::new().format(octet));
            }
            out
        }
        IpAddr::V6(a) => a.to_string(),
    }
}

/// Note a canonical rewrite when the address is written otherwise than its
/// canonical form (and was not rewritten as IPv4 already).
fn note_canonical(written: &str, canonical: &str, changes: &mut Vec<Normalisation>) {
    if written != canonical && !changes.contains(&Normalisation::Ipv4Mapped) {
        note(changes, Normalisation::Canonical);
    }
}

/// An IPv4 or IPv6 address, read as `kind`. An IPv4-mapped IPv6 address is
/// an IPv4 address whichever it is read as; an IPv6 address may be written in
/// brackets.
pub fn address(kind: IocKind, v: &str, changes: &mut Vec<Normalisation>) -> Checked {
    let v = lower(v, changes);
    let bare = v
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .filter(|_| kind == IocKind::Ipv6)
        .unwrap_or(&v);
    if v.contains('%') {
        return Err("a zone index (`%eth0`) is not part of an indicator".into());
    }
    let Some(a) = ip(bare, changes) else {
        return Err(match kind {
            IocKind::Ipv4 => V4_FORM.into(),
            _ => "not an IPv6 address (eight groups of up to four hexadecimal digits, `::` for a run of zeros)".into(),
        });
    };
    let canonical = canonical(a);
    match (kind, a) {
        (IocKind::Ipv4, IpAddr::V6(_)) => {
            Err("an IPv6 address, not IPv4 (an `ipv6` indicator)".into())
        }
        (IocKind::Ipv6, IpAddr::V4(_)) if !changes.contains(&Normalisation::Ipv4Mapped) => {
            Err("an IPv4 address, not IPv6 (an `ipv4` indicator)".into())
        }
        (_, a) => {
            note_canonical(&v, &canonical, changes);
            Ok((
                if a.is_ipv4() {
                    IocKind::Ipv4
                } else {
                    IocKind::Ipv6
                },
                canonical,
            ))
        }
    }
}

/// A port: decimal, 1 to 65535, leading zeros dropped (noted).
pub(super) fn port(p: &str, changes: &mut Vec<Normalisation>) -> Result<u16, String> {
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the port `{p}` is not a number"));
    }
    match p.trim_start_matches('0').parse::<u16>() {
        Ok(n) if n > 0 => {
            if itoa::Buffer::new().format(n) != p {
                note(changes, Normalisation::Canonical);
            }
            Ok(n)
        }
        _ => Err(format!("the port `{p}` is not from 1 to 65535")),
    }
}

/// An address and a port: `198.51.100.7:8080`, `[2001:db8::7]:8080`.
pub fn ip_port(v: &str, changes: &mut Vec<Normalisation>) -> Checked {
    let v = lower(v, changes);
    let (host, p, bracketed) = match v.strip_prefix('[') {
        Some(rest) => {
            let Some((host, after)) = rest.split_once(']') else {
                return Err("no `]` closes the bracketed address".into());
            };
            let Some(p) = after.strip_prefix(':') else {
                return Err("no port after the address (`[2001:db8::7]:8080`)".into());
            };
            (host, p, true)
        }
        None => match v.rsplit_once(':') {
            Some((host, _)) if host.contains(':') => {
                return Err("write an IPv6 address and port as `[address]:port`".into())
            }
            Some((host, p)) => (host, p, false),
            None => return Err("no port (`198.51.100.7:8080`)".into()),
        },
    };
    if host.contains('%') {
        return Err("a zone index (`%eth0`) is not part of an indicator".into());
    }
    let a = match (bracketed, ip(host, changes)) {
        (true, Some(a)) if host.contains(':') => a,
        (false, Some(a @ IpAddr::V4(_))) => a,
        (true, _) => return Err("the bracketed address is not an IPv6 address".into()),
        (false, _) => return Err(V4_FORM.into()),
    };
    let n = port(p, changes)?;
    let canonical = canonical(a);
    note_canonical(host, &canonical, changes);
    let mut value = String::with_capacity(canonical.len() + 8);
    match a {
        IpAddr::V4(_) => value.push_str(&canonical),
        IpAddr::V6(_) => {
            value.push('[');
            value.push_str(&canonical);
            value.push(']');
        }
    }
    value.push(':');
    value.push_str(itoa::Buffer::new().format(n));
    Ok((IocKind::IpPort, value))
}

/// A range: an address, `/`, and a prefix length (at most 32 for IPv4, 128 for
/// IPv6); bits below the prefix cleared (noted). An IPv4-mapped IPv6 range of
/// prefix 96 or more is the IPv4 range it maps.
pub fn cidr(v: &str, changes: &mut Vec<Normalisation>) -> Checked {
    let v = lower(v, changes);
    let Some((addr, len)) = v.split_once('/') else {
        return Err("no prefix length (`198.51.100.0/24`)".into());
    };
    if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the prefix length `{len}` is not a number"));
    }
    let mut n: u32 = len
        .parse()
        .map_err(|_| format!("the prefix length `{len}` is not a number"))?;
    if n.to_string() != len {
        note(changes, Normalisation::Canonical);
    }
    let parsed = match addr.parse::<Ipv4Addr>() {
        Ok(a) => IpAddr::V4(a),
        Err(_) => match addr.parse::<Ipv6Addr>() {
            Ok(a) => match a.to_ipv4_mapped() {
                Some(v4) if (96..=128).contains(&n) => {
                    note(changes, Normalisation::Ipv4Mapped);
                    n -= 96;
                    IpAddr::V4(v4)
                }
                _ => IpAddr::V6(a),
            },
            Err(_) => return Err("the part before `/` is not an IP address".into()),
        },
    };
    let net = match parsed {
        IpAddr::V4(a) if n <= 32 => {
            let mask = u32::MAX.checked_shl(32 - n).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
        }
        IpAddr::V6(a) if n <= 128 => {
            let mask = u128::MAX.checked_shl(128 - n).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
        }
        IpAddr::V4(_) => return Err(format!("the prefix length {n} is over 32")),
        IpAddr::V6(_) => return Err(format!("the prefix length {n} is over 128")),
    };
    if net != parsed {
        note(changes, Normalisation::HostBitsCleared);
    }
    note_canonical(addr, &parsed.to_string(), changes);
    Ok((IocKind::Cidr, format!("{net}/{n}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Normalisation::*;

    fn read(kind: IocKind, v: &str) -> Result<(IocKind, String, Vec<Normalisation>), String> {
        let mut changes = Vec::new();
        let (k, value) = match kind {
            IocKind::IpPort => ip_port(v, &mut changes),
            IocKind::Cidr => cidr(v, &mut changes),
            _ => address(kind, v, &mut changes),
        }?;
        Ok((k, value, changes))
    }

    fn ok(kind: IocKind, v: &str) -> (IocKind, String, Vec<Normalisation>) {
        read(kind, v).unwrap_or_else(|e| panic!("{v}: {e}"))
    }

    #[test]
    fn addresses() {
        assert_eq!(
            ok(IocKind::Ipv4, "198.51.100.7"),
            (IocKind::Ipv4, "198.51.100.7".into(), vec![])
        );
        assert_eq!(
            ok(IocKind::Ipv6, "2001:DB8:0:0:0:0:0:7"),
            (
                IocKind::Ipv6,
                "2001:db8::7".into(),
                vec![LowerCased, Canonical]
            )
        );
        assert_eq!(ok(IocKind::Ipv6, "[2001:db8::7]").1, "2001:db8::7");
        assert_eq!(
            ok(IocKind::Ipv6, "::ffff:198.51.100.7"),
            (IocKind::Ipv4, "198.51.100.7".into(), vec![Ipv4Mapped])
        );
        assert_eq!(ok(IocKind::Ipv4, "::ffff:c633:6407").1, "198.51.100.7");
        for (kind, bad) in [
            (IocKind::Ipv4, "198.51.100"),
            (IocKind::Ipv4, "198.51.100.007"),
            (IocKind::Ipv4, "256.1.1.1"),
            (IocKind::Ipv4, "2001:db8::7"),
            (IocKind::Ipv4, "198.51.100.7:80"),
            (IocKind::Ipv6, "198.51.100.7"),
            (IocKind::Ipv6, "fe80::1%eth0"),
            (IocKind::Ipv6, "2001:db8::g"),
        ] {
            assert!(read(kind, bad).is_err(), "{kind} {bad}");
        }
    }

    #[test]
    fn addresses_with_ports() {
        assert_eq!(
            ok(IocKind::IpPort, "198.51.100.7:8080").1,
            "198.51.100.7:8080"
        );
        assert_eq!(
            ok(IocKind::IpPort, "[2001:DB8:0::7]:08080"),
            (
                IocKind::IpPort,
                "[2001:db8::7]:8080".into(),
                vec![LowerCased, Canonical]
            )
        );
        assert_eq!(
            ok(IocKind::IpPort, "[::ffff:198.51.100.7]:443"),
            (IocKind::IpPort, "198.51.100.7:443".into(), vec![Ipv4Mapped])
        );
        for bad in [
            "198.51.100.7",
            "198.51.100.7:0",
            "198.51.100.7:65536",
            "198.51.100.7:",
            "2001:db8::7:80",
            "[198.51.100.7]:80",
            "[2001:db8::7]",
            "[2001:db8::7:80",
            "x.io:80",
        ] {
            assert!(read(IocKind::IpPort, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges() {
        assert_eq!(ok(IocKind::Cidr, "198.51.100.0/24").1, "198.51.100.0/24");
        assert_eq!(
            ok(IocKind::Cidr, "198.51.100.7/24"),
            (
                IocKind::Cidr,
                "198.51.100.0/24".into(),
                vec![HostBitsCleared]
            )
        );
        assert_eq!(ok(IocKind::Cidr, "0.0.0.0/0").1, "0.0.0.0/0");
        assert_eq!(ok(IocKind::Cidr, "1.2.3.4/32").1, "1.2.3.4/32");
        assert_eq!(ok(IocKind::Cidr, "2001:DB8::1/32").1, "2001:db8::/32");
        assert_eq!(ok(IocKind::Cidr, "::/0").1, "::/0");
        assert_eq!(
            ok(IocKind::Cidr, "::ffff:198.51.100.0/120"),
            (IocKind::Cidr, "198.51.100.0/24".into(), vec![Ipv4Mapped])
        );
        for bad in [
            "198.51.100.0",
            "198.51.100.0/33",
            "2001:db8::/129",
            "x/8",
            "1.2.3.0/",
            "1.2.3.0/+8",
        ] {
            assert!(read(IocKind::Cidr, bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn an_ipv4_address_is_written_as_its_display_writes_it(a in proptest::prelude::any::<u32>()) {
            let a = IpAddr::V4(std::net::Ipv4Addr::from(a));
            proptest::prop_assert_eq!(canonical(a), a.to_string());
        }
    }
}
