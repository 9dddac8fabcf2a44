//! A realistic IOC feed and DNS names to match against it, for the `has_any`
//! and `scan` benchmarks.
//!
//! The feed has three families of domains: one-term labels (`mailportal3fa2.xyz`),
//! long shared prefixes (`secure-login-update-17.com`) and long shared suffixes
//! (`9c41e2.cdn-edge-static-cloud.net`), with the seed's two real IOCs first.
//! The names are ordinary traffic from a vocabulary no IOC is made of, with
//! planted hits (about 1.5 %: the IOC, a subdomain of it, upper case, a trailing
//! dot, the IOC inside a longer name) and planted near misses (about 3 %:
//! adjacent alphanumerics on either side, a family member not in the feed, a
//! suffix of the IOC). A name can hold an IOC only where one was planted, so the
//! generator knows the hit count.

use crate::Stream;

const TLDS: &[&str] = &["com", "net", "org", "xyz", "top", "info", "site", "io"];
const LEFT: &[&str] = &[
    "mail", "portal", "login", "secure", "update", "cloud", "auth", "web",
];
const RIGHT: &[&str] = &["box", "hub", "gate", "desk", "zone", "link", "base"];

/// Words ordinary names are made of: none is a term of any feed domain.
const WORDS: &[&str] = &[
    "www",
    "api",
    "cdn",
    "static",
    "edge",
    "files",
    "outlook",
    "office",
    "microsoft",
    "windowsupdate",
    "github",
    "googleapis",
    "gstatic",
    "akamaiedge",
    "cloudfront",
    "amazonaws",
    "azure",
    "teams",
    "slack",
    "zoom",
    "ocsp",
    "digicert",
    "time",
    "ntp",
    "corp",
    "internal",
    "eu-west-1",
    "s3",
    "x1",
];
const BENIGN_TLDS: &[&str] = &["com", "net", "org", "local", "co.uk", "de"];

/// `n` distinct feed domains for `seed`: the two real IOCs, then the three
/// families in turn.
pub fn feed(n: usize, seed: u64) -> Vec<String> {
    let mut r = Stream(seed);
    let mut v = vec!["estaliax.io".to_owned(), "duraktantuni.site".to_owned()];
    let mut i = 0u64;
    while v.len() < n {
        let a = r.next_u64();
        let tld = TLDS[(a >> 56) as usize % TLDS.len()];
        v.push(match i % 3 {
            0 => format!(
                "{}{}{:x}.{tld}",
                LEFT[(a & 7) as usize % LEFT.len()],
                RIGHT[((a >> 3) & 7) as usize % RIGHT.len()],
                i
            ),
            1 => format!("secure-login-update-{i}.{tld}"),
            _ => format!("{:x}.cdn-edge-static-cloud.net", i << 8 | (a & 0xff)),
        });
        i += 1;
    }
    v
}

/// `n` names against `feed`, and how many hold one of its domains (`has`).
pub fn names(n: usize, feed: &[String], seed: u64) -> (Vec<String>, usize) {
    let mut r = Stream(seed);
    let mut hits = 0;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let roll = r.below(1000);
        let ioc = &feed[r.below(feed.len() as u64) as usize];
        let name = match roll {
            // Hits, 15 in 1,000.
            0..=2 => ioc.clone(),
            3..=5 => format!("{}.{ioc}", WORDS[r.below(WORDS.len() as u64) as usize]),
            6..=8 => ioc.to_ascii_uppercase(),
            9..=11 => format!("{ioc}."),
            12..=14 => format!("{ioc}.{}.com", WORDS[r.below(WORDS.len() as u64) as usize]),
            // Near misses, 30 in 1,000.
            15..=21 => format!("x{ioc}"),
            22..=28 => format!("{ioc}x"),
            29..=34 => format!("secure-login-update-{}.com", 1_000_000_000 + r.below(1000)),
            35..=39 => format!("{:x}1.cdn-edge-static-cloud.net", r.next_u64() >> 12),
            40..=44 => ioc.split_once('.').map_or("", |(_, t)| t).to_owned(),
            _ => {
                let labels = 1 + r.below(4) as usize;
                let mut s = String::new();
                for _ in 0..labels {
                    s.push_str(WORDS[r.below(WORDS.len() as u64) as usize]);
                    s.push('.');
                }
                s.push_str(BENIGN_TLDS[r.below(BENIGN_TLDS.len() as u64) as usize]);
                s
            }
        };
        hits += usize::from(roll <= 14);
        out.push(name);
    }
    (out, hits)
}

/// One `DnsEvents` row of JSON Lines for each name, as a DNS server's export
/// holds them (the names are plain ASCII: no escaping needed).
pub fn dns_events_jsonl(names: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(names.len() * 160);
    for (i, name) in names.iter().enumerate() {
        out.extend_from_slice(dns_event(i, name).as_bytes());
        out.push(b'\n');
    }
    out
}

/// The `i`th `DnsEvents` row asking for `name` (plain ASCII), without its
/// line end.
pub fn dns_event(i: usize, name: &str) -> String {
    let s = i % 86_400;
    format!(
        "{{\"TimeGenerated\":\"2026-05-21T{:02}:{:02}:{:02}Z\",\"Computer\":\"dns01.corp.local\",\"ClientIP\":\"10.0.{}.{}\",\"Name\":\"{name}\",\"QueryType\":\"A\",\"EventId\":256}}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        (i / 250) % 250,
        i % 250 + 1,
    )
}
