//! URLs: the scheme and host lower-cased, the host checked as a domain or an IP
//! address (IPv6 in brackets, compressed), the scheme's default port removed,
//! an empty path written `/`; the user information, path, query and fragment
//! kept as written.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::domain::{normalize_domain, Normalisation};
use super::net::{lower, note, port};

/// The schemes whose default port is dropped, and an empty path written `/`.
const DEFAULT_PORTS: [(&str, u16); 5] = [
    ("http", 80),
    ("https", 443),
    ("ws", 80),
    ("wss", 443),
    ("ftp", 21),
];

/// A URL, normalised, or what is wrong.
pub fn url(v: &str, changes: &mut Vec<Normalisation>) -> Result<String, String> {
    let Some((scheme, rest)) = v.split_once("://") else {
        return Err("no scheme (`http://`)".into());
    };
    let valid_scheme = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !valid_scheme {
        return Err(format!("`{scheme}` is not a URL scheme"));
    }
    let scheme = lower(scheme, changes);
    let default = DEFAULT_PORTS
        .iter()
        .find(|(s, _)| *s == scheme)
        .map(|(_, p)| *p);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, written_port) = split_port(hostport)?;
    let host = host_of(host, changes)?;
    let port = match written_port {
        Some("") => {
            note(changes, Normalisation::DefaultPortRemoved);
            None
        }
        Some(p) => match port(p, changes)? {
            n if Some(n) == default => {
                note(changes, Normalisation::DefaultPortRemoved);
                None
            }
            n => Some(n),
        },
        None => None,
    };
    let add_slash = default.is_some() && !tail.starts_with('/');
    if add_slash {
        note(changes, Normalisation::PathAdded);
    }
    let mut out = format!("{scheme}://");
    if let Some(u) = userinfo {
        out.push_str(u);
        out.push('@');
    }
    out.push_str(&host);
    if let Some(n) = port {
        out.push_str(&format!(":{n}"));
    }
    if add_slash {
        out.push('/');
    }
    out.push_str(tail);
    Ok(out)
}

/// The host and the port as written (`None` without a `:`).
fn split_port(hostport: &str) -> Result<(&str, Option<&str>), String> {
    if hostport.starts_with('[') {
        let Some(close) = hostport.find(']') else {
            return Err("no `]` closes the bracketed address".into());
        };
        let (host, after) = hostport.split_at(close + 1);
        return match after {
            "" => Ok((host, None)),
            a => match a.strip_prefix(':') {
                Some(p) => Ok((host, Some(p))),
                None => Err(format!("`{a}` after the bracketed address")),
            },
        };
    }
    Ok(match hostport.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (hostport, None),
    })
}

/// The host normalised: a bracketed IPv6 address compressed (an IPv4-mapped
/// one written as IPv4, without brackets), an IPv4 address, or a domain
/// normalised as a domain indicator is.
fn host_of(host: &str, changes: &mut Vec<Normalisation>) -> Result<String, String> {
    if host.is_empty() {
        return Err("no host".into());
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let inner = lower(inner, changes);
        let Ok(a) = inner.parse::<Ipv6Addr>() else {
            return Err(format!("the host `[{inner}]` is not an IPv6 address"));
        };
        if let Some(v4) = a.to_ipv4_mapped() {
            note(changes, Normalisation::Ipv4Mapped);
            return Ok(v4.to_string());
        }
        if a.to_string() != inner {
            note(changes, Normalisation::Canonical);
        }
        return Ok(format!("[{a}]"));
    }
    if host.parse::<Ipv4Addr>().is_ok() {
        return Ok(host.to_owned());
    }
    let (domain, notes) = normalize_domain(host).map_err(|e| format!("the host: {e}"))?;
    for n in notes {
        note(changes, n);
    }
    Ok(domain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Normalisation::*;

    fn ok(v: &str) -> (String, Vec<Normalisation>) {
        let mut changes = Vec::new();
        let u = url(v, &mut changes).unwrap_or_else(|e| panic!("{v}: {e}"));
        (u, changes)
    }

    #[test]
    fn normalises_scheme_host_port_and_path() {
        assert_eq!(
            ok("HTTP://Estaliax.IO:80"),
            (
                "http://estaliax.io/".into(),
                vec![LowerCased, DefaultPortRemoved, PathAdded]
            )
        );
        assert_eq!(
            ok("https://x.io:443/Gate.php?A=B#F").0,
            "https://x.io/Gate.php?A=B#F"
        );
        assert_eq!(ok("https://x.io:8443/a").0, "https://x.io:8443/a");
        assert_eq!(ok("http://x.io?q=1").0, "http://x.io/?q=1");
        assert_eq!(ok("http://x.io.:/a").0, "http://x.io/a");
        assert_eq!(ok("http://User:Pw@X.io/").0, "http://User:Pw@x.io/");
        assert_eq!(
            ok("http://198.51.100.7:8080/a").0,
            "http://198.51.100.7:8080/a"
        );
        assert_eq!(ok("http://[2001:DB8:0::7]:80/").0, "http://[2001:db8::7]/");
        assert_eq!(
            ok("http://[::ffff:198.51.100.7]/").0,
            "http://198.51.100.7/"
        );
        assert_eq!(ok("tcp://x.io:4444").0, "tcp://x.io:4444");
        assert_eq!(ok("ftp://x.io:21").0, "ftp://x.io/");
    }

    #[test]
    fn rejects_what_is_not_a_url() {
        for bad in [
            "x.io/a",
            "http:/x.io",
            "1http://x.io/",
            "http:///a",
            "http://x.io:99999/",
            "http://[2001:db8::7/",
            "http://[x.io]/",
            "http://localhost/",
            "http://a..io/",
        ] {
            assert!(url(bad, &mut Vec::new()).is_err(), "{bad}");
        }
    }
}
