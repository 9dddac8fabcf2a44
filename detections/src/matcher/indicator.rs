//! Typed indicator matchers: addresses (IPv4, IPv6, `ip:port`, CIDR ranges),
//! URLs and file hashes, each built once from a list of normalised indicator
//! values of one kind ([`crate::ioc::IocKind::parse`] wrote them) and asked,
//! per row, for the first indicator that matches and how it matched.
//!
//! Every matcher answers in constant time per row, whatever the list's length:
//! hash maps keyed by the normalised value (and, for ranges, one map per
//! prefix length the list uses).

use std::collections::HashMap;
use std::net::IpAddr;

use serde::Serialize;

use crate::ioc::IocKind;

/// How an indicator matched a row: what an analyst reads first in a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// A domain, by KQL's `has` term rule, on a name the row's program asked
    /// for (a DNS query, a URL's host, a proxy's host).
    Domain,
    /// A domain on a name the sensor found itself by a reverse (PTR) lookup
    /// of the address (Sysmon 3 `DestinationHostname`), not one the program
    /// asked for.
    DomainReverseLookup,
    /// An address (IPv4 or IPv6), or an `ip:port` indicator's address alone
    /// (the hunt matches addresses, not ports).
    Address,
    /// An `ip:port` indicator's address and port.
    AddressPort,
    /// An address inside a CIDR range indicator.
    Cidr,
    /// A URL indicator, on a row that carries the full URL.
    Url,
    /// A URL indicator's host, on a row that carries a host only (a proxy's
    /// `CONNECT`, a connection's remote name).
    UrlHost,
    /// A SHA-256 digest.
    Sha256,
    /// A SHA-1 digest.
    Sha1,
    /// An MD5 digest.
    Md5,
}

impl MatchKind {
    /// The name in hits (`address_port`).
    pub fn name(self) -> &'static str {
        match self {
            MatchKind::Domain => "domain",
            MatchKind::DomainReverseLookup => "domain_reverse_lookup",
            MatchKind::Address => "address",
            MatchKind::AddressPort => "address_port",
            MatchKind::Cidr => "cidr",
            MatchKind::Url => "url",
            MatchKind::UrlHost => "url_host",
            MatchKind::Sha256 => "sha256",
            MatchKind::Sha1 => "sha1",
            MatchKind::Md5 => "md5",
        }
    }
}

/// Whether an `ip:port` indicator needs the row's port too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PortMatch {
    /// The address alone: the published pages' form, which drops the port.
    Address,
    /// The address and the port the indicator names (the port the C2
    /// listened on).
    #[default]
    AddressPort,
}

impl PortMatch {
    /// The name in content files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PortMatch::Address => "address",
            PortMatch::AddressPort => "address_port",
        }
    }
}

/// A row's address as the matchers compare it: an IPv4-mapped IPv6 address
/// (`::ffff:198.51.100.7`, as Defender writes some IPv4 connections) is its
/// IPv4 address. `None` for text that is not an address.
pub fn row_address(v: &str) -> Option<IpAddr> {
    let v = v.trim();
    let v = v
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(v);
    match v.parse::<IpAddr>().ok()? {
        IpAddr::V6(a) => Some(a.to_ipv4_mapped().map_or(IpAddr::V6(a), IpAddr::V4)),
        a => Some(a),
    }
}

/// Addresses, `ip:port`s and CIDR ranges: the first indicator (in list order)
/// an address (and port) matches.
#[derive(Debug, Clone, Default)]
pub struct AddressSet {
    /// Each address's indicators: the port an `ip:port` names (`None` for a
    /// bare address), and the indicator's position.
    exact: HashMap<IpAddr, Vec<(Option<u16>, usize)>>,
    /// Each prefix length's ranges: the network (as a number) to the first
    /// range's position. IPv4 and IPv6 apart.
    v4_nets: Vec<(u32, HashMap<u32, usize>)>,
    v6_nets: Vec<(u32, HashMap<u128, usize>)>,
    ports: PortMatch,
}

impl AddressSet {
    /// A set of these normalised values of `kind` (an address, `ip:port` or
    /// CIDR kind); a value that does not read as its kind is left out (the
    /// loader has checked them all). `ports` says whether an `ip:port` needs
    /// the row's port.
    pub fn new<S: AsRef<str>>(kind: IocKind, values: &[S], ports: PortMatch) -> Self {
        let mut set = AddressSet {
            ports,
            ..AddressSet::default()
        };
        for (i, v) in values.iter().enumerate() {
            let v = v.as_ref();
            match kind {
                IocKind::Ipv4 | IocKind::Ipv6 => {
                    if let Some(a) = row_address(v) {
                        set.exact.entry(a).or_default().push((None, i));
                    }
                }
                IocKind::IpPort => {
                    if let Some((a, p)) = split_ip_port(v) {
                        set.exact.entry(a).or_default().push((Some(p), i));
                    }
                }
                IocKind::Cidr => set.add_range(v, i),
                _ => {}
            }
        }
        set.v4_nets.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
        set.v6_nets.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
        set
    }

    fn add_range(&mut self, v: &str, i: usize) {
        let Some((a, len)) = v.split_once('/') else {
            return;
        };
        let (Some(a), Ok(len)) = (row_address(a), len.parse::<u32>()) else {
            return;
        };
        match a {
            IpAddr::V4(a) if len <= 32 => {
                let net = u32::from(a) & mask32(len);
                let at = match self.v4_nets.iter().position(|(l, _)| *l == len) {
                    Some(at) => at,
                    None => {
                        self.v4_nets.push((len, HashMap::new()));
                        self.v4_nets.len() - 1
                    }
                };
                self.v4_nets[at].1.entry(net).or_insert(i);
            }
            IpAddr::V6(a) if len <= 128 => {
                let net = u128::from(a) & mask128(len);
                let at = match self.v6_nets.iter().position(|(l, _)| *l == len) {
                    Some(at) => at,
                    None => {
                        self.v6_nets.push((len, HashMap::new()));
                        self.v6_nets.len() - 1
                    }
                };
                self.v6_nets[at].1.entry(net).or_insert(i);
            }
            _ => {}
        }
    }

    /// The first indicator the address (with the row's port, if it has one)
    /// matches, and how.
    pub fn find(&self, a: IpAddr, port: Option<u16>) -> Option<(usize, MatchKind)> {
        let mut best: Option<(usize, MatchKind)> = None;
        let mut keep = |i: usize, how: MatchKind| {
            if best.is_none_or(|(b, _)| i < b) {
                best = Some((i, how));
            }
        };
        if let Some(entries) = self.exact.get(&a) {
            for &(p, i) in entries {
                match (p, self.ports) {
                    (None, _) | (Some(_), PortMatch::Address) => keep(i, MatchKind::Address),
                    (Some(p), PortMatch::AddressPort) if Some(p) == port => {
                        keep(i, MatchKind::AddressPort);
                    }
                    (Some(_), PortMatch::AddressPort) => {}
                }
            }
        }
        match a {
            IpAddr::V4(a) => {
                let n = u32::from(a);
                for (len, nets) in &self.v4_nets {
                    if let Some(&i) = nets.get(&(n & mask32(*len))) {
                        keep(i, MatchKind::Cidr);
                    }
                }
            }
            IpAddr::V6(a) => {
                let n = u128::from(a);
                for (len, nets) in &self.v6_nets {
                    if let Some(&i) = nets.get(&(n & mask128(*len))) {
                        keep(i, MatchKind::Cidr);
                    }
                }
            }
        }
        best
    }
}

fn mask32(len: u32) -> u32 {
    u32::MAX.checked_shl(32 - len).unwrap_or(0)
}

fn mask128(len: u32) -> u128 {
    u128::MAX.checked_shl(128 - len).unwrap_or(0)
}

/// A normalised `ip:port` indicator's address (as [`row_address`] reads it)
/// and port: `198.51.100.7:8080`, `[2001:db8::7]:8080`.
pub fn split_ip_port(v: &str) -> Option<(IpAddr, u16)> {
    let (a, p) = v.rsplit_once(':')?;
    Some((row_address(a)?, p.parse().ok()?))
}

/// A host and its port as a URL or a row writes them (`host:8443`,
/// `[2001:db8::7]:443`): the port is the digits after the last `:` outside
/// an IPv6 address's brackets; without them the whole is the host.
pub(crate) fn host_port(v: &str) -> (&str, Option<&str>) {
    match v.rsplit_once(':') {
        Some((h, p))
            if p.bytes().all(|b| b.is_ascii_digit()) && (!h.contains(':') || h.ends_with(']')) =>
        {
            (h, Some(p))
        }
        _ => (v, None),
    }
}

/// What follows a URL's `scheme://` (or a URL written without one), split
/// into its host and port (any user info dropped) and the rest (path, query
/// and fragment; empty when there is none).
pub(crate) fn authority(after_scheme: &str) -> (&str, &str) {
    let end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(end);
    (
        authority.rsplit_once('@').map_or(authority, |(_, h)| h),
        rest,
    )
}

/// File hashes of one kind: case-insensitive equality.
#[derive(Debug, Clone, Default)]
pub struct DigestSet {
    digests: HashMap<String, usize>,
    how: Option<MatchKind>,
}

impl DigestSet {
    /// A set of these normalised (lower-case) digests of a hash kind.
    pub fn new<S: AsRef<str>>(kind: IocKind, values: &[S]) -> Self {
        let how = match kind {
            IocKind::Sha256 => Some(MatchKind::Sha256),
            IocKind::Sha1 => Some(MatchKind::Sha1),
            IocKind::Md5 => Some(MatchKind::Md5),
            _ => None,
        };
        let mut digests = HashMap::with_capacity(values.len());
        for (i, v) in values.iter().enumerate() {
            digests.entry(v.as_ref().to_ascii_lowercase()).or_insert(i);
        }
        DigestSet { digests, how }
    }

    /// The indicator a row's digest is, in any case.
    pub fn find(&self, digest: &str) -> Option<(usize, MatchKind)> {
        let how = self.how?;
        let digest = digest.trim();
        let i = if digest.bytes().any(|b| b.is_ascii_uppercase()) {
            self.digests.get(&digest.to_ascii_lowercase())
        } else {
            self.digests.get(digest)
        };
        i.map(|&i| (i, how))
    }
}

/// URLs: a row's full URL matches an indicator with the same host, port,
/// path and query (the scheme aside: a proxy may log `http` for a URL the
/// feed wrote `https`); a row with a host only matches an indicator's host.
#[derive(Debug, Clone, Default)]
pub struct UrlSet {
    /// `host[:port]` and what follows it, to the first indicator.
    full: HashMap<String, usize>,
    /// Each host to the first indicator on it.
    hosts: HashMap<String, usize>,
}

impl UrlSet {
    /// A set of these normalised URLs.
    pub fn new<S: AsRef<str>>(values: &[S]) -> Self {
        let mut set = UrlSet::default();
        for (i, v) in values.iter().enumerate() {
            if let Some(u) = UrlParts::of(v.as_ref()) {
                set.full.entry(u.key()).or_insert(i);
                set.hosts.entry(u.host.to_owned()).or_insert(i);
            }
        }
        set
    }

    /// The indicator a row's full URL is.
    pub fn find_url(&self, url: &str) -> Option<(usize, MatchKind)> {
        let u = UrlParts::of(url)?;
        self.full.get(&u.key()).map(|&i| (i, MatchKind::Url))
    }

    /// The first indicator on a row's host (a name or an address, any case,
    /// a trailing dot or a port aside).
    pub fn find_host(&self, host: &str) -> Option<(usize, MatchKind)> {
        let (host, _) = host_port(host.trim().trim_end_matches('.'));
        self.hosts
            .get(&host.to_ascii_lowercase())
            .map(|&i| (i, MatchKind::UrlHost))
    }
}

/// A URL's parts as the URL matcher compares them.
struct UrlParts<'a> {
    host: &'a str,
    port: Option<u16>,
    rest: &'a str,
}

impl<'a> UrlParts<'a> {
    /// A URL (any scheme, any case of scheme and host; the scheme's default
    /// port dropped; an empty path written `/`), `None` without `://`.
    fn of(url: &'a str) -> Option<Self> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let (hostport, tail) = authority(rest);
        let (host, port) = host_port(hostport);
        let port = port.and_then(|p| p.parse::<u16>().ok());
        let default = match scheme.to_ascii_lowercase().as_str() {
            "http" | "ws" => Some(80),
            "https" | "wss" => Some(443),
            "ftp" => Some(21),
            _ => None,
        };
        let port = port.filter(|p| Some(*p) != default);
        Some(UrlParts {
            host: host.trim_end_matches('.'),
            port,
            rest: if tail.is_empty() { "/" } else { tail },
        })
    }

    fn key(&self) -> String {
        let host = self.host.to_ascii_lowercase();
        match self.port {
            Some(p) => format!("{host}:{p}{}", self.rest),
            None => format!("{host}{}", self.rest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_ip_port_needs_its_port_unless_the_hunt_matches_addresses() {
        let values = ["198.51.100.7:8080", "[2001:db8::7]:443"];
        let strict = AddressSet::new(IocKind::IpPort, &values, PortMatch::AddressPort);
        assert_eq!(
            strict.find(ip("198.51.100.7"), Some(8080)),
            Some((0, MatchKind::AddressPort))
        );
        assert_eq!(strict.find(ip("198.51.100.7"), Some(443)), None);
        assert_eq!(strict.find(ip("198.51.100.7"), None), None);
        assert_eq!(
            strict.find(ip("2001:db8::7"), Some(443)),
            Some((1, MatchKind::AddressPort))
        );
        let loose = AddressSet::new(IocKind::IpPort, &values, PortMatch::Address);
        assert_eq!(
            loose.find(ip("198.51.100.7"), Some(443)),
            Some((0, MatchKind::Address))
        );
        assert_eq!(loose.find(ip("198.51.100.8"), Some(8080)), None);
    }

    #[test]
    fn an_ipv4_mapped_row_address_is_its_ipv4_address() {
        let set = AddressSet::new(IocKind::Ipv4, &["198.51.100.7"], PortMatch::Address);
        let a = row_address("::ffff:198.51.100.7").unwrap();
        assert_eq!(set.find(a, Some(80)), Some((0, MatchKind::Address)));
        assert_eq!(row_address("not an address"), None);
        assert_eq!(row_address("[2001:db8::7]"), Some(ip("2001:db8::7")));
    }

    #[test]
    fn a_range_holds_its_first_and_last_address_and_no_other() {
        let set = AddressSet::new(
            IocKind::Cidr,
            &["198.51.100.0/24", "2001:db8::/32", "0.0.0.0/0"],
            PortMatch::Address,
        );
        assert_eq!(
            set.find(ip("198.51.100.0"), None),
            Some((0, MatchKind::Cidr))
        );
        assert_eq!(
            set.find(ip("198.51.100.255"), None),
            Some((0, MatchKind::Cidr))
        );
        // Outside the /24, inside the /0 that comes later in the list.
        assert_eq!(
            set.find(ip("198.51.101.0"), None),
            Some((2, MatchKind::Cidr))
        );
        assert_eq!(
            set.find(ip("2001:db8:ffff::1"), None),
            Some((1, MatchKind::Cidr))
        );
        assert_eq!(set.find(ip("2001:db9::1"), None), None);
    }

    #[test]
    fn a_hash_matches_in_any_case_and_only_its_kind_of_list() {
        let d = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let set = DigestSet::new(IocKind::Sha256, &[d]);
        assert_eq!(
            set.find(&d.to_ascii_uppercase()),
            Some((0, MatchKind::Sha256))
        );
        assert_eq!(set.find(&d[..63]), None);
        assert_eq!(DigestSet::new(IocKind::Url, &[d]).find(d), None);
    }

    #[test]
    fn a_url_matches_in_full_or_by_host_and_never_another_path() {
        let set = UrlSet::new(&["https://estaliax.io/gate.php?id=1"]);
        for same in [
            "https://estaliax.io/gate.php?id=1",
            "HTTPS://EstaliaX.io:443/gate.php?id=1",
            "https://estaliax.io./gate.php?id=1",
            // A proxy without TLS inspection may log the scheme it saw.
            "http://estaliax.io/gate.php?id=1",
        ] {
            assert_eq!(set.find_url(same), Some((0, MatchKind::Url)), "{same}");
        }
        // The path is compared as written: case and all.
        assert_eq!(set.find_url("https://estaliax.io/GATE.php?id=1"), None);
        assert_eq!(set.find_url("https://estaliax.io/other.php"), None);
        assert_eq!(set.find_url("https://estaliax.io/gate.php?id=2"), None);
        assert_eq!(
            set.find_host("ESTALIAX.IO:443"),
            Some((0, MatchKind::UrlHost))
        );
        assert_eq!(set.find_host("example.org"), None);
    }
}
