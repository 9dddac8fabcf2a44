//! Typed indicator matchers: addresses (IPv4, IPv6, `ip:port`, CIDR ranges),
//! URLs and file hashes, each built once from a list of normalised indicator
//! values of one kind ([`crate::ioc::IocKind::parse`] wrote them) and asked,
//! per row, for the first indicator that matches and how it matched.
//!
//! Every matcher answers in constant time per row, whatever the list's length:
//! hash maps keyed by the normalised value (and, for ranges, one map per
//! prefix length the list uses), hashed with foldhash (a fixed seed, so runs
//! are alike) rather than SipHash: a row's address or digest costs about as
//! much to look up as a domain costs the `has_any` matcher
//! (`docs/benchmarks.md`, per-kind matching).

use std::net::IpAddr;

use foldhash::fast::FixedState;
use serde::Serialize;

use crate::ioc::IocKind;
use crate::key_index::KeyIndex;

mod ipv4;

/// A hash map with foldhash's fixed seed.
type Table<K, V> = hashbrown::HashMap<K, V, FixedState>;

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
    // Most rows' addresses: dotted-decimal IPv4, read without `std`'s
    // general parser (which reads the same texts to the same addresses).
    if let Some(a) = ipv4::parse(v) {
        return Some(IpAddr::V4(a));
    }
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
    /// Each address's indicators.
    exact: Table<IpAddr, Listed>,
    /// Each prefix length's ranges: the network (as a number) to the first
    /// range's position. IPv4 and IPv6 apart.
    v4_nets: Vec<(u32, Table<u32, usize>)>,
    v6_nets: Vec<(u32, Table<u128, usize>)>,
    ports: PortMatch,
}

/// One address's indicators, in list order: the port an `ip:port` names
/// (`None` for a bare address), and the indicator's position. The first is
/// held in the table's slot itself (an address is seldom listed twice), so a
/// row's look-up reads no other memory.
#[derive(Debug, Clone)]
struct Listed {
    first: (Option<u16>, usize),
    more: Vec<(Option<u16>, usize)>,
}

impl Listed {
    fn add(set: &mut AddressSet, a: IpAddr, entry: (Option<u16>, usize)) {
        match set.exact.entry(a) {
            hashbrown::hash_map::Entry::Occupied(mut e) => e.get_mut().more.push(entry),
            hashbrown::hash_map::Entry::Vacant(e) => {
                e.insert(Listed {
                    first: entry,
                    more: Vec::new(),
                });
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = &(Option<u16>, usize)> {
        std::iter::once(&self.first).chain(&self.more)
    }
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
        if matches!(kind, IocKind::Ipv4 | IocKind::Ipv6 | IocKind::IpPort) {
            set.exact.reserve(values.len());
        }
        for (i, v) in values.iter().enumerate() {
            let v = v.as_ref();
            match kind {
                IocKind::Ipv4 | IocKind::Ipv6 => {
                    if let Some(a) = row_address(v) {
                        Listed::add(&mut set, a, (None, i));
                    }
                }
                IocKind::IpPort => {
                    if let Some((a, p)) = split_ip_port(v) {
                        Listed::add(&mut set, a, (Some(p), i));
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
                        self.v4_nets.push((len, Table::default()));
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
                        self.v6_nets.push((len, Table::default()));
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
        if let Some(listed) = self.exact.get(&a) {
            for &(p, i) in listed.iter() {
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
    // The last colon found by bytes (a `char` searcher costs more per row).
    let Some(at) = memchr::memrchr(b':', v.as_bytes()) else {
        return (v, None);
    };
    let (h, p) = (&v[..at], &v[at + 1..]);
    if p.bytes().all(|b| b.is_ascii_digit())
        && (memchr::memchr(b':', h.as_bytes()).is_none() || h.ends_with(']'))
    {
        (h, Some(p))
    } else {
        (v, None)
    }
}

/// What follows a URL's `scheme://` (or a URL written without one), split
/// into its host and port (any user info dropped) and the rest (path, query
/// and fragment; empty when there is none).
pub(crate) fn authority(after_scheme: &str) -> (&str, &str) {
    let end =
        memchr::memchr3(b'/', b'?', b'#', after_scheme.as_bytes()).unwrap_or(after_scheme.len());
    let (authority, rest) = after_scheme.split_at(end);
    let host = match memchr::memrchr(b'@', authority.as_bytes()) {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    (host, rest)
}

/// A URL split at its first `://` into its scheme and what follows
/// (`split_once("://")`, without building a substring searcher for each row).
pub(crate) fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let at = url
        .as_bytes()
        .windows(3)
        .position(|w| w[0] == b':' && w[1] == b'/' && w[2] == b'/')?;
    Some((&url[..at], &url[at + 3..]))
}

/// File hashes of one kind: case-insensitive equality.
#[derive(Debug, Clone, Default)]
pub struct DigestSet {
    /// The digests, lower-case, one after another, each [`DigestSet::digits`]
    /// long: the indicator at position `i` is `text[i * digits..][..digits]`
    /// (zeros for a value that is not a digest of the kind, which is not
    /// indexed).
    text: String,
    digits: usize,
    /// Each digest's first position.
    index: KeyIndex,
    how: Option<MatchKind>,
}

/// The longest digest (SHA-256's 64 hexadecimal digits).
const MAX_DIGITS: usize = 64;

impl DigestSet {
    /// A set of these normalised (lower-case) digests of a hash kind; a value
    /// that is not as long as the kind's digests, or not ASCII, is left out
    /// (the loader has checked them all).
    pub fn new<S: AsRef<str>>(kind: IocKind, values: &[S]) -> Self {
        let (how, digits) = match kind {
            IocKind::Sha256 => (Some(MatchKind::Sha256), 64),
            IocKind::Sha1 => (Some(MatchKind::Sha1), 40),
            IocKind::Md5 => (Some(MatchKind::Md5), 32),
            _ => (None, MAX_DIGITS),
        };
        let fits = |v: &str| v.len() == digits && v.is_ascii();
        let mut text = String::with_capacity(values.len() * digits);
        for v in values {
            match v.as_ref() {
                v if fits(v) => {
                    let from = text.len();
                    text.push_str(v);
                    text[from..].make_ascii_lowercase();
                }
                _ => text.extend(std::iter::repeat_n('0', digits)),
            }
        }
        let mut index = KeyIndex::with_capacity(values.len());
        let key_of = |i: usize| &text[i * digits..][..digits];
        for (i, v) in values.iter().enumerate() {
            if fits(v.as_ref()) {
                index.insert(key_of(i), i, key_of);
            }
        }
        DigestSet {
            text,
            digits,
            index,
            how,
        }
    }

    /// The indicator a row's digest is, in any case.
    pub fn find(&self, digest: &str) -> Option<(usize, MatchKind)> {
        let how = self.how?;
        let digest = digest.trim().as_bytes();
        if digest.len() != self.digits {
            return None;
        }
        let mut lower = [0u8; MAX_DIGITS];
        let lower = &mut lower[..self.digits];
        lower.copy_from_slice(digest);
        lower.make_ascii_lowercase();
        let digits = self.digits;
        let i = self
            .index
            .get_bytes(lower, |i| &self.text[i * digits..][..digits])?;
        Some((i, how))
    }
}

/// URLs: a row's full URL matches an indicator with the same host, port,
/// path and query (the scheme aside: a proxy may log `http` for a URL the
/// feed wrote `https`); a row with a host only matches an indicator's host.
#[derive(Debug, Clone, Default)]
pub struct UrlSet {
    /// `host[:port]` and what follows it, to the first indicator.
    full: Table<String, usize>,
    /// Each host to the first indicator on it.
    hosts: Table<String, usize>,
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
        let mut buf = [0u8; KEY_ON_STACK];
        let found = match u.whole {
            Some(key) => self.full.get(key),
            None => match u.key_in(&mut buf) {
                Some(key) => self.full.get(key),
                None => self.full.get(&u.key()),
            },
        };
        found.map(|&i| (i, MatchKind::Url))
    }

    /// The first indicator on a row's host (a name or an address, any case,
    /// a trailing dot or a port aside).
    pub fn find_host(&self, host: &str) -> Option<(usize, MatchKind)> {
        let (host, _) = host_port(host.trim().trim_end_matches('.'));
        let mut buf = [0u8; KEY_ON_STACK];
        let found = match lowered(&mut buf, &[host]) {
            Some(host) => self.hosts.get(host),
            None => self.hosts.get(&host.to_ascii_lowercase()),
        };
        found.map(|&i| (i, MatchKind::UrlHost))
    }
}

/// A URL indicator as [`UrlSet`] compares it: the key a row's full URL must
/// have (`host[:port]` and the rest, the host lower-case, the scheme's
/// default port dropped, an empty path `/`) and the host a row with a host
/// only must have (lower-case). `None` for a value without `://`. The
/// exports write these into their queries.
pub fn url_match_keys(url: &str) -> Option<(String, String)> {
    let u = UrlParts::of(url)?;
    Some((u.key(), u.host.to_ascii_lowercase()))
}

/// Up to this many bytes, a row's URL key or host is looked up from the stack.
const KEY_ON_STACK: usize = 256;

/// `parts` written one after another into `buf`, the first lower-case (ASCII
/// letters only, as `to_ascii_lowercase`); `None` when they do not fit.
fn lowered<'b>(buf: &'b mut [u8; KEY_ON_STACK], parts: &[&str]) -> Option<&'b str> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let out = buf.get_mut(..len)?;
    let mut at = 0;
    for (i, p) in parts.iter().enumerate() {
        let to = &mut out[at..at + p.len()];
        to.copy_from_slice(p.as_bytes());
        if i == 0 {
            to.make_ascii_lowercase();
        }
        at += p.len();
    }
    std::str::from_utf8(out).ok()
}

/// A URL's parts as the URL matcher compares them.
struct UrlParts<'a> {
    host: &'a str,
    port: Option<u16>,
    rest: &'a str,
    /// The key as the URL writes it, when it is one piece of it: no port
    /// written, the host (no trailing dot, no upper case) followed by a path,
    /// a query or a fragment.
    whole: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    /// A URL (any scheme, any case of scheme and host; the scheme's default
    /// port dropped; an empty path written `/`), `None` without `://`.
    fn of(url: &'a str) -> Option<Self> {
        let (scheme, rest) = split_scheme(url.trim())?;
        let (hostport, tail) = authority(rest);
        let (host, port) = host_port(hostport);
        let bare = host.trim_end_matches('.');
        // The host and the rest end `rest`, one after the other.
        let whole = (port.is_none()
            && !tail.is_empty()
            && bare.len() == hostport.len()
            && !bare.bytes().any(|b| b.is_ascii_uppercase()))
        .then(|| &rest[rest.len() - hostport.len() - tail.len()..]);
        let port = port.and_then(|p| p.parse::<u16>().ok());
        // The scheme compared in any case, not lower-cased into a copy.
        let is = |name: &str| scheme.eq_ignore_ascii_case(name);
        let default = if is("http") || is("ws") {
            Some(80)
        } else if is("https") || is("wss") {
            Some(443)
        } else if is("ftp") {
            Some(21)
        } else {
            None
        };
        let port = port.filter(|p| Some(*p) != default);
        Some(UrlParts {
            host: bare,
            port,
            rest: if tail.is_empty() { "/" } else { tail },
            whole,
        })
    }

    /// [`UrlParts::key`] written into `buf`, `None` when it does not fit.
    fn key_in<'b>(&self, buf: &'b mut [u8; KEY_ON_STACK]) -> Option<&'b str> {
        let mut port = itoa::Buffer::new();
        match self.port {
            Some(p) => lowered(buf, &[self.host, ":", port.format(p), self.rest]),
            None => lowered(buf, &[self.host, self.rest]),
        }
    }

    fn key(&self) -> String {
        let mut key = String::with_capacity(self.host.len() + 6 + self.rest.len());
        key.push_str(self.host);
        key.make_ascii_lowercase();
        if let Some(p) = self.port {
            key.push(':');
            key.push_str(itoa::Buffer::new().format(p));
        }
        key.push_str(self.rest);
        key
    }
}

#[cfg(test)]
mod tests;
