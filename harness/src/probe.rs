//! The indicators of the content in use, looked for in the raw bytes of a row
//! rejected for its length: such a row is not judged, but where it names an
//! indicator it is reported as a possible miss (a padded C2 lookup is the
//! attack, not noise).
//!
//! A plain substring search, ASCII case-insensitive, over every indicator
//! value the hunts take as text: domains, addresses (an `ip:port`'s address
//! alone, as rows carry the port in a column of its own), URLs and digests.
//! Ranges are not text and are not looked for. The bytes are fed in pieces as
//! they are read, never held whole; a match across two pieces is found.

use std::fmt;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use detections::ioc::IocKind;
use detections::key_index::KeyIndex;
use detections::Detection;

/// The indicators looked for in a rejected row's bytes. The automaton is
/// built the first time a row is too long (most runs have none, and a feed
/// may hold a million indicators).
#[derive(Clone)]
pub struct Probe {
    needles: Arc<[String]>,
    automaton: Arc<OnceLock<Option<AhoCorasick>>>,
    longest: usize,
}

impl Probe {
    /// The indicators of `det` (none: `None`).
    pub fn of(det: &Detection) -> Option<Self> {
        // Each needle once, in the order first met (positions in `needles`).
        let mut seen = KeyIndex::default();
        let mut needles: Vec<String> = Vec::new();
        for kind in IocKind::ALL {
            if kind == IocKind::Cidr {
                continue;
            }
            for v in det.values(kind) {
                let v = if kind == IocKind::IpPort {
                    address(v)
                } else {
                    v
                };
                let v = v.to_ascii_lowercase();
                if !v.is_empty() && seen.insert(&v, needles.len(), |i| &needles[i]).is_none() {
                    needles.push(v);
                }
            }
        }
        Self::new(needles)
    }

    /// A probe for these values (none: `None`).
    pub fn new(needles: Vec<String>) -> Option<Self> {
        if needles.is_empty() {
            return None;
        }
        let longest = needles.iter().map(String::len).max().unwrap_or(0);
        Some(Self {
            needles: needles.into(),
            automaton: Arc::new(OnceLock::new()),
            longest,
        })
    }

    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(self.needles.iter())
                    .ok()
            })
            .as_ref()
    }

    /// A search over one row's bytes, fed in pieces.
    pub fn search(&self) -> Search<'_> {
        Search {
            probe: self,
            carry: Vec::new(),
            found: None,
        }
    }
}

/// The address of an `ip:port` (`[2001:db8::7]:8080` gives `2001:db8::7`).
fn address(v: &str) -> &str {
    let a = v.rsplit_once(':').map_or(v, |(a, _)| a);
    a.trim_start_matches('[').trim_end_matches(']')
}

impl fmt::Debug for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Probe")
            .field("needles", &self.needles.len())
            .finish()
    }
}

impl PartialEq for Probe {
    fn eq(&self, other: &Self) -> bool {
        self.needles[..] == other.needles[..]
    }
}

impl Eq for Probe {}

/// One row's search: the bytes fed so far, the last few kept so that a match
/// across two pieces is found.
#[derive(Debug)]
pub struct Search<'p> {
    probe: &'p Probe,
    carry: Vec<u8>,
    found: Option<usize>,
}

impl Search<'_> {
    /// Look in the next piece of the row.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.found.is_some() || bytes.is_empty() {
            return;
        }
        let Some(automaton) = self.probe.automaton() else {
            return;
        };
        self.carry.extend_from_slice(bytes);
        if let Some(m) = automaton.find(&self.carry[..]) {
            self.found = Some(m.pattern().as_usize());
            return;
        }
        let keep = self.probe.longest.saturating_sub(1);
        let cut = self.carry.len().saturating_sub(keep);
        self.carry.drain(..cut);
    }

    /// The first indicator found, if any.
    pub fn found(&self) -> Option<String> {
        self.found.map(|i| self.probe.needles[i].clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_across_pieces_is_found_whatever_the_case() {
        let p = Probe::new(vec!["estaliax.io".into(), "198.51.100.7".into()]).unwrap();
        let mut s = p.search();
        s.feed(b"xxxxxxxx a.ESTAL");
        assert_eq!(s.found(), None);
        s.feed(b"IAX.io\"}");
        assert_eq!(s.found().as_deref(), Some("estaliax.io"));
        let mut s = p.search();
        for b in b"padding 198.51.100.7 padding" {
            s.feed(&[*b]);
        }
        assert_eq!(s.found().as_deref(), Some("198.51.100.7"));
        assert_eq!(address("[2001:db8::7]:8080"), "2001:db8::7");
        assert_eq!(address("198.51.100.7:8080"), "198.51.100.7");
    }
}
