//! Shared inputs for the criterion benchmarks in `benches/`.
//!
//! Inputs are built deterministically (the simulator's splitmix64 over a
//! counter), so every run times the same work and the expected hit counts are
//! stable.

use simulator::rng::{splitmix64, GOLDEN_GAMMA};

/// The inputs' random numbers: `splitmix64` of a counter that starts at the seed
/// and steps by splitmix64's own increment (the classic splitmix64 stream).
#[derive(Debug, Clone)]
pub(crate) struct Stream(pub(crate) u64);

impl Stream {
    /// Next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let v = splitmix64(self.0);
        self.0 = self.0.wrapping_add(GOLDEN_GAMMA);
        v
    }

    /// A number below `n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const WORDS: &[&str] = &[
    "login",
    "mail",
    "cdn",
    "api",
    "www",
    "update",
    "static",
    "edge",
    "corp",
    "files",
    "portal",
    "auth",
    "estaliax",
    "io",
    "site",
    "duraktantuni",
    "microsoft",
    "office",
    "azure",
    "github",
];
const TLDS: &[&str] = &["com", "net", "io", "org", "site", "local"];

/// `n` DNS names: mostly ordinary, some containing the IOCs in every form the
/// semantics distinguishes (subdomain, upper case, trailing dot, look-alike,
/// term sequence inside a longer name).
pub fn dns_names(n: usize, seed: u64) -> Vec<String> {
    let mut r = Stream(seed);
    (0..n)
        .map(|_| match r.below(100) {
            0 => "c2.estaliax.io".to_owned(),
            1 => "ESTALIAX.IO.".to_owned(),
            2 => "xestaliax.io".to_owned(),
            3 => "estaliax.io.example.net".to_owned(),
            4 => "duraktantuni.sitex".to_owned(),
            5 => "a.duraktantuni.site".to_owned(),
            _ => {
                let labels = 2 + r.below(3) as usize;
                let mut s = String::new();
                for _ in 0..labels {
                    s.push_str(WORDS[r.below(WORDS.len() as u64) as usize]);
                    s.push('.');
                }
                s.push_str(TLDS[r.below(TLDS.len() as u64) as usize]);
                s
            }
        })
        .collect()
}

/// `n` distinct IOC-like domains, with the two real ones first.
pub fn ioc_set(n: usize, seed: u64) -> Vec<String> {
    let mut r = Stream(seed);
    let mut v = vec!["estaliax.io".to_owned(), "duraktantuni.site".to_owned()];
    while v.len() < n {
        let a = r.next_u64();
        v.push(format!(
            "c2-{:010x}.{}",
            a & 0xff_ffff_ffff,
            TLDS[(a >> 60) as usize % TLDS.len()]
        ));
    }
    v
}

pub mod feed;
pub mod kinds;

/// The bench examples' arguments: `DIR [IOCS] [ROWS]` (defaults `.`, 100,000
/// and 1,000,000).
pub fn example_args() -> (std::path::PathBuf, usize, usize) {
    let mut args = std::env::args();
    args.next();
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".to_owned()));
    let iocs = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rows = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    (dir, iocs, rows)
}
