//! Indicators of each kind the hunts match, and rows of the table that
//! carries each, for the per-kind matching benchmark (`benches/kinds.rs`).
//!
//! Every list is made of distinct normalised values (what
//! [`IocKind::parse`] writes), and every row is a planted hit or a planted
//! miss, so the generator knows which rows alert: half the rows hit an
//! indicator drawn at random from the whole list, half miss. Domains hit as
//! the indicator, a subdomain, upper case or with a trailing dot, and miss as
//! a look-alike or an ordinary name; an address or `ip:port` hits as itself
//! (an address with any port), and an `ip:port` misses on the same address
//! at another port as often as on another address; a digest hits as itself
//! and misses as another digest.
//!
//! The domains are [`crate::feed::feed`]'s; the addresses are a bijection of
//! the indicator's position (so no miss drawn past the list's end is in it);
//! the digests start with `splitmix64` of their position, likewise; a URL's
//! host and file name are its position's (four URLs a host).
//!
//! [`table_rows`] writes the same rows at another rate of hits and for the
//! other tables a kind reaches: firewall rows of `CommonSecurityLog` for an
//! address or `ip:port`, proxy rows of it for a URL (what
//! `examples/kinds_input.rs` writes for `benches/scan-kinds.sh`).

use detections::ioc::{Ioc, IocKind};
use detections::matcher::indicator::PortMatch;
use detections::pipeline::Pipeline;
use detections::{Detection, Engine, Event, LoadError};
use simulator::rng::splitmix64;

use crate::feed;
use crate::Stream;

/// The kinds the benchmark times, the domain (today's matcher) first.
pub const KINDS: [IocKind; 5] = [
    IocKind::Domain,
    IocKind::Ipv4,
    IocKind::IpPort,
    IocKind::Sha256,
    IocKind::Md5,
];

/// Rows judged per timed pass: enough that the indicators they hit and the
/// table slots their misses probe are spread over a 1,000,000-indicator
/// matcher's memory, not held in the cache from the pass before.
pub const ROWS: usize = 200_000;

/// Ports an `ip:port` indicator names (common C2 listeners).
const PORTS: &[u16] = &[443, 8080, 4444, 1604, 8443, 5552, 54984, 3389];

/// Words ordinary names are made of (no term of a feed domain).
const WORDS: &[&str] = &[
    "www", "api", "cdn", "outlook", "office", "github", "teams", "ocsp", "corp",
];

/// Processes that write files or connect.
const PROGRAMS: &[&str] = &[
    "chrome.exe",
    "msedge.exe",
    "svchost.exe",
    "outlook.exe",
    "teams.exe",
];

/// A content file with one hunt, over `kind`'s indicator list, the way the
/// kind is matched: a domain list with `has_any` on the query name (as the
/// seed's first hunt), an address or `ip:port` list with `in` on the remote
/// address (an `ip:port` with its port), a digest list with `in` on the
/// row's object's digest. It has no indicator of its own: they are given.
pub fn content(kind: IocKind) -> String {
    let (reads, field, op) = match kind {
        IocKind::Domain => ("dns", "query_name", "has_any"),
        IocKind::Ipv4 | IocKind::Ipv6 | IocKind::IpPort | IocKind::Cidr => {
            ("network", "remote_ip", "in")
        }
        IocKind::Url => ("network", "url", "in"),
        IocKind::Sha256 => ("file", "sha256", "in"),
        IocKind::Sha1 => ("file", "sha1", "in"),
        IocKind::Md5 => ("file", "md5", "in"),
    };
    let port = if kind == IocKind::IpPort {
        "match = \"address_port\"\n"
    } else {
        ""
    };
    format!(
        r#"id = "bench-{name}"
title = "Per-kind matching"
description = "One hunt over one list of indicators."
source = "bench"

[[hunts]]
id = "bench-{name}-hunt"
title = "A row carrying a listed indicator"
description = "The kind's list, matched the way the kind is."
origin = "seed"
reads = ["{reads}"]
{port}when = {{ field = "{field}", op = "{op}", values_from = "{list}" }}
"#,
        name = kind.name().replace('_', "-"),
        list = kind.values_from(),
    )
}

/// The IPv4 address at position `i` of a bijection of the 32-bit numbers (an
/// odd multiplier and a constant), so distinct positions are distinct
/// addresses.
fn address(i: u64) -> std::net::Ipv4Addr {
    let i = u32::try_from(i).expect("fewer than 2^32 addresses");
    std::net::Ipv4Addr::from(i.wrapping_mul(0x9e37_79b1) ^ 0x5bd1_e995)
}

/// The port of the `ip:port` indicator at position `i`.
fn port(i: u64) -> u16 {
    PORTS[(splitmix64(i) % PORTS.len() as u64) as usize]
}

/// The digest of `digits` hexadecimal digits at position `i`: its first 16
/// digits are `splitmix64(i)`, a bijection, so distinct positions are
/// distinct digests.
fn digest(i: u64, digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    let mut x = i;
    while s.len() < digits {
        x = splitmix64(x);
        s.push_str(&format!("{x:016x}"));
    }
    s.truncate(digits);
    s
}

/// The URL at position `i`: four a host (`http` or `https` by host), each
/// host's files told apart by the position's digest and number. Distinct
/// positions are distinct URLs (the host and the number give the position).
fn url(i: u64) -> String {
    let h = i / 4;
    let mix = splitmix64(h ^ 0x75_726c);
    let scheme = if mix & 1 == 0 { "http" } else { "https" };
    let tld = ["com", "net", "xyz", "top", "info"][(mix >> 8) as usize % 5];
    format!(
        "{scheme}://files-{h:x}.{tld}/u/{}/invoice_{}.exe",
        digest(i, 12),
        i % 4
    )
}

/// The same URL written as a row may hold it and still be it: the host in
/// upper case, the scheme's default port written, or `http` for `https`
/// (a proxy logs the scheme as it saw it; the matcher sets it aside).
fn url_written(url: &str, form: u64) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (host, path) = rest.split_once('/').expect("a path");
    match form {
        0 => url.to_owned(),
        1 => format!("{scheme}://{}/{path}", host.to_ascii_uppercase()),
        2 => {
            let port = if scheme == "https" { 443 } else { 80 };
            format!("{scheme}://{host}:{port}/{path}")
        }
        _ => {
            let other = if scheme == "https" { "http" } else { "https" };
            format!("{other}://{host}/{path}")
        }
    }
}

/// `n` distinct normalised indicators of `kind` (a kind of [`KINDS`], or a
/// URL) for `seed`.
pub fn indicators(kind: IocKind, n: usize, seed: u64) -> Vec<String> {
    let at = |i: usize| seed.wrapping_mul(1 << 40).wrapping_add(i as u64);
    match kind {
        IocKind::Domain => feed::feed(n, seed),
        IocKind::Ipv4 => (0..n).map(|i| address(i as u64).to_string()).collect(),
        IocKind::IpPort => (0..n)
            .map(|i| format!("{}:{}", address(i as u64), port(i as u64)))
            .collect(),
        IocKind::Sha256 => (0..n).map(|i| digest(at(i), 64)).collect(),
        IocKind::Md5 => (0..n).map(|i| digest(at(i), 32)).collect(),
        IocKind::Url => (0..n).map(|i| url(at(i))).collect(),
        other => panic!("no generator for {other} indicators"),
    }
}

/// A row's planted value: the column's text, and whether it hits.
struct Planted {
    value: String,
    port: u16,
    hit: bool,
}

/// How often a row is a planted hit: `hits` in `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Hits...
    pub hits: u64,
    /// ... in this many rows.
    pub per: u64,
}

/// Half the rows hit (the per-kind benchmark's rows).
pub const HALF: Rate = Rate { hits: 1, per: 2 };

/// 15 rows in 1,000 hit, as in the `DnsEvents` scan input
/// ([`crate::feed::names`]).
pub const SCAN_RATE: Rate = Rate {
    hits: 15,
    per: 1000,
};

/// One row's value for `kind` against `list`: a hit (at `rate`) or a miss,
/// drawn from `r`.
fn plant(kind: IocKind, list: &[String], seed: u64, rate: Rate, r: &mut Stream) -> Planted {
    let n = list.len() as u64;
    let i = r.below(n);
    let hit = r.below(rate.per) < rate.hits;
    let form = r.below(4);
    // A position past the list's end: a value no indicator is.
    let past = n + r.below(1 << 24);
    let any_port = 1024 + r.below(60_000) as u16;
    let (value, port) = match (kind, hit) {
        (IocKind::Domain, true) => {
            let ioc = &list[i as usize];
            let name = match form {
                0 => ioc.clone(),
                1 => format!("{}.{ioc}", WORDS[r.below(WORDS.len() as u64) as usize]),
                2 => ioc.to_ascii_uppercase(),
                _ => format!("{ioc}."),
            };
            (name, 53)
        }
        (IocKind::Domain, false) => {
            let ioc = &list[i as usize];
            let name = match form {
                0 => format!("x{ioc}"),
                1 => format!("{ioc}x"),
                _ => format!(
                    "{}.{}.com",
                    WORDS[r.below(WORDS.len() as u64) as usize],
                    WORDS[r.below(WORDS.len() as u64) as usize]
                ),
            };
            (name, 53)
        }
        (IocKind::Ipv4, true) => (address(i).to_string(), any_port),
        (IocKind::IpPort, true) => (address(i).to_string(), port(i)),
        (IocKind::Ipv4, false) => (address(past).to_string(), any_port),
        // The same address at another port, as often as another address.
        (IocKind::IpPort, false) if form < 2 => {
            let other = PORTS
                .iter()
                .copied()
                .find(|&p| p != port(i))
                .expect("more than one port");
            (address(i).to_string(), other)
        }
        (IocKind::IpPort, false) => (address(past).to_string(), port(past)),
        (IocKind::Sha256 | IocKind::Md5, true) => (list[i as usize].clone(), 0),
        (IocKind::Url, true) => (url_written(&list[i as usize], form), 0),
        // The path in upper case (a path is compared as written), another
        // file on the same host, or a URL on another host.
        (IocKind::Url, false) => {
            let ioc = &list[i as usize];
            let value = match form {
                0 => {
                    let (head, path) = ioc.split_at(ioc.find("/u/").expect("a path"));
                    format!("{head}{}", path.to_ascii_uppercase())
                }
                1 => ioc.replace(".exe", ".zip"),
                _ => url(seed.wrapping_mul(1 << 40).wrapping_add(past)),
            };
            (value, 0)
        }
        (IocKind::Sha256 | IocKind::Md5, false) => {
            let digits = list[0].len();
            (
                digest(seed.wrapping_mul(1 << 40).wrapping_add(past), digits),
                0,
            )
        }
        (other, _) => panic!("no rows for {other} indicators"),
    };
    Planted { value, port, hit }
}

/// A table the rows are written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `DnsEvents`, for a domain.
    DnsEvents,
    /// `DeviceNetworkEvents`, for an address or `ip:port`.
    DeviceNetworkEvents,
    /// `CommonSecurityLog` from a firewall (with NAT), for an address or
    /// `ip:port`.
    Firewall,
    /// `CommonSecurityLog` from a web proxy (`RequestURL`), for a URL.
    Proxy,
    /// `DeviceFileEvents`, for a digest.
    DeviceFileEvents,
}

impl Table {
    /// The table [`rows`] writes for `kind`.
    pub fn of(kind: IocKind) -> Table {
        match kind {
            IocKind::Domain => Table::DnsEvents,
            IocKind::Ipv4 | IocKind::IpPort => Table::DeviceNetworkEvents,
            IocKind::Url => Table::Proxy,
            _ => Table::DeviceFileEvents,
        }
    }
}

/// `n` rows of JSON Lines of the table carrying `kind` (`DnsEvents` for a
/// domain, `DeviceNetworkEvents` for an address or `ip:port`,
/// `DeviceFileEvents` for a digest, proxy `CommonSecurityLog` for a URL),
/// half of them hits, each with whether it must alert under [`content`]
/// with `list` (made by [`indicators`] with the same `seed`).
pub fn rows(kind: IocKind, list: &[String], n: usize, seed: u64) -> Vec<(String, bool)> {
    let mut out = Vec::with_capacity(n);
    table_rows(kind, Table::of(kind), list, n, seed, HALF, |line, hit| {
        out.push((line, hit));
    });
    out
}

/// [`rows`] of `table` (one that carries `kind`), hits at `rate`, each handed
/// to `row` with whether it must alert, without holding them all.
pub fn table_rows(
    kind: IocKind,
    table: Table,
    list: &[String],
    n: usize,
    seed: u64,
    rate: Rate,
    mut row: impl FnMut(String, bool),
) {
    let mut r = Stream(seed ^ 0x6b69_6e64);
    for i in 0..n {
        let p = plant(kind, list, seed, rate, &mut r);
        let line = match (table, kind) {
            (Table::DnsEvents, IocKind::Domain) => feed::dns_event(i, &p.value),
            (Table::DeviceNetworkEvents, IocKind::Ipv4 | IocKind::IpPort) => {
                network_event(i, &p.value, p.port)
            }
            (Table::Firewall, IocKind::Ipv4 | IocKind::IpPort) => {
                firewall_event(i, &p.value, p.port)
            }
            (Table::Proxy, IocKind::Url) => proxy_event(i, &p.value),
            (Table::DeviceFileEvents, IocKind::Sha256 | IocKind::Md5) => {
                file_event(i, kind, &p.value, &mut r)
            }
            (table, kind) => panic!("no {table:?} rows for {kind} indicators"),
        };
        row(line, p.hit);
    }
}

/// The time of row `i` (one a second through a day).
fn time(i: usize) -> String {
    let s = i % 86_400;
    format!(
        "2026-05-21T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// A `DeviceNetworkEvents` row: a connection to `ip` at `port`.
fn network_event(i: usize, ip: &str, port: u16) -> String {
    format!(
        "{{\"Timestamp\":\"{}\",\"DeviceName\":\"ws{}.corp.local\",\"ActionType\":\"ConnectionSuccess\",\"RemoteIP\":\"{ip}\",\"RemotePort\":{port},\"LocalIP\":\"10.0.{}.{}\",\"LocalPort\":{},\"Protocol\":\"Tcp\",\"InitiatingProcessFileName\":\"{}\"}}",
        time(i),
        i % 500,
        (i / 250) % 250,
        i % 250 + 1,
        49_152 + i % 16_000,
        PROGRAMS[i % PROGRAMS.len()],
    )
}

/// A firewall's `CommonSecurityLog` row (a CEF traffic log): a host's
/// connection to `ip` at `port`, allowed, the source translated to the
/// egress address; `Computer` is the appliance.
fn firewall_event(i: usize, ip: &str, port: u16) -> String {
    format!(
        "{{\"TimeGenerated\":\"{}\",\"Type\":\"CommonSecurityLog\",\"DeviceVendor\":\"Palo Alto Networks\",\"DeviceProduct\":\"PAN-OS\",\"DeviceEventClassID\":\"end\",\"Activity\":\"TRAFFIC\",\"DeviceAction\":\"allow\",\"SourceIP\":\"10.0.{}.{}\",\"SourcePort\":{},\"SourceTranslatedAddress\":\"203.0.113.{}\",\"DestinationIP\":\"{ip}\",\"DestinationPort\":{port},\"Protocol\":\"TCP\",\"Computer\":\"fw01.corp.local\"}}",
        time(i),
        (i / 250) % 250,
        i % 250 + 1,
        49_152 + i % 16_000,
        1 + i % 8,
    )
}

/// A web proxy's `CommonSecurityLog` row: a host's GET of `url`, allowed,
/// with the host it names.
fn proxy_event(i: usize, url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.split(':').next().unwrap_or(authority);
    let port = if url.starts_with("https") { 443 } else { 80 };
    format!(
        "{{\"TimeGenerated\":\"{}\",\"Type\":\"CommonSecurityLog\",\"DeviceVendor\":\"Zscaler\",\"DeviceProduct\":\"NSSWeblog\",\"Activity\":\"Allowed\",\"DeviceAction\":\"Allowed\",\"SourceIP\":\"10.0.{}.{}\",\"SourceUserName\":\"user{}@corp.local\",\"DestinationHostName\":\"{host}\",\"DestinationPort\":{port},\"RequestMethod\":\"GET\",\"RequestURL\":\"{url}\",\"RequestClientApplication\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\",\"Computer\":\"proxy01.corp.local\"}}",
        time(i),
        (i / 250) % 250,
        i % 250 + 1,
        i % 500,
    )
}

/// A `DeviceFileEvents` row: a file created, with its three digests; the
/// hunted `kind`'s column holds `digest`, the others random ones.
fn file_event(i: usize, kind: IocKind, digest: &str, r: &mut Stream) -> String {
    let mut random = |digits: usize| self::digest(r.next_u64(), digits);
    let (sha256, md5) = match kind {
        IocKind::Sha256 => (digest.to_owned(), random(32)),
        _ => (random(64), digest.to_owned()),
    };
    let sha1 = random(40);
    format!(
        "{{\"Timestamp\":\"{}\",\"DeviceName\":\"ws{}.corp.local\",\"ActionType\":\"FileCreated\",\"FileName\":\"setup_{i}.exe\",\"FolderPath\":\"C:\\\\Users\\\\a\\\\Downloads\\\\setup_{i}.exe\",\"SHA1\":\"{sha1}\",\"SHA256\":\"{sha256}\",\"MD5\":\"{md5}\",\"InitiatingProcessFileName\":\"{}\"}}",
        time(i),
        i % 500,
        PROGRAMS[i % PROGRAMS.len()],
    )
}

/// [`content`] for `kind`, loaded with these indicators (made by
/// [`indicators`]) as `scan --iocs` loads a feed's.
pub fn load(kind: IocKind, values: &[String]) -> Result<Detection, LoadError> {
    let iocs = values
        .iter()
        .map(|v| Ioc {
            kind,
            value: v.clone(),
            threat_type: "botnet_cc".into(),
            first_seen: String::new(),
            confidence: Some(50),
            malware_family: String::new(),
            source: "bench".into(),
            status: String::new(),
        })
        .collect();
    detections::content::load_with_iocs(&content(kind), "bench.toml", Engine::Fast, iocs)
}

/// The generic feed content `scan --iocs` hunts a feed of `kind` with
/// (`--content none`, an `ip:port` with its port), loaded with these
/// indicators as `scan --iocs` loads them.
pub fn load_feed(kind: IocKind, values: &[String]) -> Result<Detection, LoadError> {
    let src = detections::content::feed_content(&[kind], PortMatch::AddressPort);
    let iocs = values
        .iter()
        .map(|v| Ioc {
            kind,
            value: v.clone(),
            threat_type: String::new(),
            first_seen: String::new(),
            confidence: None,
            malware_family: String::new(),
            source: "feed.txt".into(),
            status: String::new(),
        })
        .collect();
    detections::content::load_with_iocs(&src, "feed", Engine::Fast, iocs)
}

/// A row the detection does not judge as planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The row.
    pub line: String,
    /// What differs.
    pub what: String,
}

/// How a hit of `kind` matches (the name in hits).
fn how(kind: IocKind) -> &'static str {
    match kind {
        IocKind::Ipv4 | IocKind::Ipv6 => "address",
        IocKind::IpPort => "address_port",
        other => other.name(),
    }
}

/// Checks that a row alerts exactly when a hit was planted in it (`hit`),
/// both read and judged as `scan` judges a line ([`Pipeline::judge_line`])
/// and decided on the row read into an event, and that a hit matched as its
/// kind matches. The row as an event.
pub fn check_row(
    p: &mut Pipeline,
    det: &Detection,
    kind: IocKind,
    line: &str,
    hit: bool,
) -> Result<Event, Mismatch> {
    let mismatch = |what: String| Mismatch {
        line: line.to_owned(),
        what,
    };
    let judged = p
        .judge_line(line)
        .map_err(|e| mismatch(format!("does not read: {e}")))?;
    let ev = judged.event;
    let decided = det.decide(&ev).alert;
    if (judged.decision.alert, decided) != (hit, hit) {
        let what = format!("judged {}, decided {decided}", judged.decision.alert);
        return Err(mismatch(what));
    }
    if hit {
        let v = det.verdict(&ev);
        let matched = v.hunts.first().and_then(|h| h.matched.first());
        let got = matched.and_then(|m| m.how).map(|h| h.name());
        if got != Some(how(kind)) {
            return Err(mismatch(format!("matched as {got:?}")));
        }
    }
    Ok(ev)
}

/// [`check_row`] on every row. The rows as events, and how many alert.
pub fn check(
    det: &Detection,
    kind: IocKind,
    rows: &[(String, bool)],
) -> Result<(Vec<Event>, usize), Mismatch> {
    let mut p = Pipeline::new(det);
    let mut events = Vec::with_capacity(rows.len());
    for (line, hit) in rows {
        events.push(check_row(&mut p, det, kind, line, *hit)?);
    }
    let hits = rows.iter().filter(|(_, hit)| *hit).count();
    Ok((events, hits))
}

#[cfg(test)]
mod tests;
