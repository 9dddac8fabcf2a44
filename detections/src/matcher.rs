//! `has_any` over a list of needles, and the strict domain matchers the report
//! compares it with.
//!
//! [`HasAnyReference`] is the plain reading of the definition: `has` for each needle
//! in turn. [`HasAnyAutomaton`] builds one Aho-Corasick automaton per needle set and
//! checks term boundaries on each occurrence it reports. [`HasAnyFast`], the engine
//! the detection runs, files term-anchored needles under their first bytes and
//! probes only a name's term starts, with the automaton for the other needles. All
//! are built once per needle set and allocate nothing per name; all report the
//! lowest-indexed needle that matches, so verdicts do not depend on which one runs.
//! Property tests hold them to the same answers.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::kql;

/// Something that answers `haystack has_any (needles)`.
pub trait HasAny {
    /// The index (in the needle list given at construction) of the lowest-indexed
    /// needle that `haystack` has, or `None`.
    fn first_match(&self, haystack: &str) -> Option<usize>;

    /// `haystack has_any (needles)`.
    fn is_match(&self, haystack: &str) -> bool {
        self.first_match(haystack).is_some()
    }
}

/// The reference `has_any`: plainly correct, one [`kql::has`] per needle.
#[derive(Debug, Clone)]
pub struct HasAnyReference {
    needles: Vec<String>,
}

impl HasAnyReference {
    /// A matcher for these needles, in this order.
    pub fn new<S: AsRef<str>>(needles: &[S]) -> Self {
        Self {
            needles: needles.iter().map(|s| s.as_ref().to_owned()).collect(),
        }
    }
}

impl HasAny for HasAnyReference {
    fn first_match(&self, haystack: &str) -> Option<usize> {
        self.needles.iter().position(|n| kql::has(haystack, n))
    }
}

/// `has_any` by one Aho-Corasick automaton per needle set, built once: every
/// overlapping occurrence is checked for term boundaries. Serves any needle; the
/// [`HasAnyFast`] engine uses it for the needles its anchored index cannot hold.
#[derive(Debug, Clone)]
pub struct HasAnyAutomaton {
    /// `None` when no needle can ever match (all empty, or no needles).
    automaton: Option<AhoCorasick>,
    /// Needle bytes, by automaton pattern id.
    needles: Vec<Box<[u8]>>,
    /// The caller's index of each automaton pattern.
    original_index: Vec<usize>,
}

impl HasAnyAutomaton {
    /// A matcher for these needles, in this order. Empty needles never match and
    /// are left out of the automaton.
    pub fn new<S: AsRef<str>>(needles: &[S]) -> Self {
        let mut kept = Vec::new();
        let mut original_index = Vec::new();
        for (i, n) in needles.iter().enumerate() {
            let n = n.as_ref();
            if !n.is_empty() {
                kept.push(n.as_bytes().to_vec().into_boxed_slice());
                original_index.push(i);
            }
        }
        let automaton = if kept.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&kept)
                    // Building fails only past the automaton's size limits, which a
                    // list of at most Kusto's 10,000 has_any values never reaches.
                    .expect("has_any automaton within size limits"),
            )
        };
        Self {
            automaton,
            needles: kept,
            original_index,
        }
    }
}

impl HasAnyAutomaton {
    /// A matcher over some of a list's needles: `(caller's index, needle)`.
    fn from_indexed(needles: &[(usize, &str)]) -> Self {
        let names: Vec<&str> = needles.iter().map(|(_, n)| *n).collect();
        let mut m = Self::new(&names);
        for i in &mut m.original_index {
            *i = needles[*i].0;
        }
        m
    }
}

impl HasAny for HasAnyAutomaton {
    fn first_match(&self, haystack: &str) -> Option<usize> {
        let ac = self.automaton.as_ref()?;
        let hay = haystack.as_bytes();
        let mut best: Option<usize> = None;
        for m in ac.find_overlapping_iter(hay) {
            let pid = m.pattern().as_usize();
            let needle = &self.needles[pid];
            let i = m.start();
            if kql::starts_term(hay, needle, i) && kql::ends_term(hay, needle, i) {
                let idx = self.original_index[pid];
                if idx == 0 {
                    return Some(0);
                }
                best = Some(best.map_or(idx, |b| b.min(idx)));
            }
        }
        best
    }
}

/// Length of the key the anchored index files needles under.
const KEY: usize = 4;

/// The most needles filed under one key; the needles of a key shared by more
/// go to the automaton (see [`HasAnyFast::new`]).
pub const MAX_BUCKET: usize = 8;

/// The first [`KEY`] bytes at `at`, ASCII-lower-cased, as one number.
#[inline]
fn folded_key(bytes: &[u8], at: usize) -> u32 {
    let mut k = [0u8; KEY];
    for (d, s) in k.iter_mut().zip(&bytes[at..at + KEY]) {
        *d = s.to_ascii_lowercase();
    }
    u32::from_le_bytes(k)
}

/// A multiply-shift hasher for the 4-byte keys (SipHash is needlessly slow here,
/// and the keys come from the content, not from an attacker-chosen set).
#[derive(Debug, Clone, Copy, Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u32(&mut self, k: u32) {
        self.0 = u64::from(k).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16;
    }
}

type KeyMap = HashMap<u32, Vec<usize>, std::hash::BuildHasherDefault<KeyHasher>>;

/// The fast `has_any`, built once per needle set.
///
/// A needle that starts with a term byte (every domain IOC does) can only match
/// where a term starts. Such needles of [`KEY`] bytes or more are filed under their
/// first [`KEY`] bytes, lower-cased; a name is then checked at each of its term
/// starts (a handful per DNS name) with one table probe, and only a probe that hits
/// compares the needle. Other needles (short ones, or ones starting with
/// punctuation) go to a [`HasAnyAutomaton`]. Nothing is allocated per name.
#[derive(Debug, Clone)]
pub struct HasAnyFast {
    /// Needle bytes by the caller's index (empty for needles not in the index).
    needles: Vec<Box<[u8]>>,
    /// First-[`KEY`]-bytes key to the caller's indices, ascending.
    anchored: KeyMap,
    /// Whether some indexed needle starts with this (lower-cased) byte: a cheap
    /// test before the table probe.
    first_byte: [bool; 256],
    /// The needles the index does not hold.
    rest: Option<HasAnyAutomaton>,
}

impl HasAnyFast {
    /// A matcher for these needles, in this order. Empty needles never match.
    pub fn new<S: AsRef<str>>(needles: &[S]) -> Self {
        let anchorable = |b: &[u8]| b.len() >= KEY && kql::is_term_byte(b[0]);
        // How many needles share each key: a key shared by more than
        // MAX_BUCKET needles (a feed of `www.` names) sends them all to the
        // automaton, so a name with many term starts under that key costs at
        // most MAX_BUCKET comparisons at each, never one per needle.
        let mut shared: KeyMap = KeyMap::default();
        for n in needles {
            let b = n.as_ref().as_bytes();
            if anchorable(b) {
                shared.entry(folded_key(b, 0)).or_default().push(0);
            }
        }
        let mut anchored = KeyMap::default();
        let mut first_byte = [false; 256];
        let mut stored = Vec::with_capacity(needles.len());
        let mut rest = Vec::new();
        for (i, n) in needles.iter().enumerate() {
            let b = n.as_ref().as_bytes();
            if anchorable(b) && shared[&folded_key(b, 0)].len() <= MAX_BUCKET {
                anchored.entry(folded_key(b, 0)).or_default().push(i);
                first_byte[usize::from(b[0].to_ascii_lowercase())] = true;
                stored.push(b.to_vec().into_boxed_slice());
            } else {
                if !b.is_empty() {
                    rest.push((i, n.as_ref()));
                }
                stored.push(Box::default());
            }
        }
        Self {
            needles: stored,
            anchored,
            first_byte,
            rest: (!rest.is_empty()).then(|| HasAnyAutomaton::from_indexed(&rest)),
        }
    }
}

impl HasAny for HasAnyFast {
    fn first_match(&self, haystack: &str) -> Option<usize> {
        let hay = haystack.as_bytes();
        let mut best = self.rest.as_ref().and_then(|r| r.first_match(haystack));
        if best == Some(0) || self.anchored.is_empty() || hay.len() < KEY {
            return best;
        }
        let mut prev_term = false;
        for (s, &b) in hay[..=hay.len() - KEY].iter().enumerate() {
            let term = kql::is_term_byte(b);
            if term && !prev_term && self.first_byte[usize::from(b.to_ascii_lowercase())] {
                if let Some(ids) = self.anchored.get(&folded_key(hay, s)) {
                    for &id in ids {
                        if best.is_some_and(|b| b <= id) {
                            break;
                        }
                        let n = &self.needles[id];
                        if hay.len() - s >= n.len()
                            && hay[s..s + n.len()].eq_ignore_ascii_case(n)
                            && kql::ends_term(hay, n, s)
                        {
                            best = Some(id);
                            break;
                        }
                    }
                }
            }
            prev_term = term;
        }
        best
    }
}

/// Normalise a DNS name for the strict matchers: ASCII lower case, one trailing
/// dot removed.
pub fn normalize_name(name: &str) -> String {
    let n = name.strip_suffix('.').unwrap_or(name);
    n.to_ascii_lowercase()
}

/// A set of domains for the strict alternatives to `has_any`: exact equality (what
/// an equality join does) and "the domain or any subdomain of it".
#[derive(Debug, Clone, Default)]
pub struct DomainSet {
    domains: HashSet<String>,
}

impl DomainSet {
    /// A set of these domains (normalised with [`normalize_name`]).
    pub fn new<S: AsRef<str>>(domains: &[S]) -> Self {
        Self {
            domains: domains
                .iter()
                .map(|d| normalize_name(d.as_ref()))
                .filter(|d| !d.is_empty())
                .collect(),
        }
    }

    /// `normalize(name) == d` for some domain `d`.
    pub fn exact(&self, name: &str) -> Option<&str> {
        self.domains
            .get(normalize_name(name).as_str())
            .map(String::as_str)
    }

    /// `normalize(name) == d or normalize(name) endswith "." + d` for some `d`.
    pub fn suffix(&self, name: &str) -> Option<&str> {
        let n = normalize_name(name);
        let mut rest = n.as_str();
        loop {
            if let Some(d) = self.domains.get(rest) {
                return Some(d.as_str());
            }
            match rest.find('.') {
                Some(dot) => rest = &rest[dot + 1..],
                None => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The work of the index is its probes times the needles filed under a
    /// key: with 100,000 needles sharing `wwww`, no key holds more than
    /// MAX_BUCKET of them, so a name of 10,000 `wwww.` terms costs at most
    /// 80,000 comparisons (it cost 10^9 before the bound).
    #[test]
    fn a_key_shared_by_many_needles_files_none_of_them() {
        let needles: Vec<String> = (0..100_000).map(|i| format!("wwww{i}.io")).collect();
        let f = HasAnyFast::new(&needles);
        assert!(f.anchored.values().all(|ids| ids.len() <= MAX_BUCKET));
        assert!(f.anchored.is_empty(), "all share one key");
        let hay = "wwww.".repeat(10_000) + "wwww99999.io";
        assert_eq!(f.first_match(&hay), Some(99_999));
        assert_eq!(f.first_match(&"wwww.".repeat(10_000)), None);
        // Under the bound, needles are still filed.
        let few: Vec<String> = (0..MAX_BUCKET).map(|i| format!("wwww{i}.io")).collect();
        let f = HasAnyFast::new(&few);
        assert_eq!(f.anchored.values().map(Vec::len).sum::<usize>(), MAX_BUCKET);
        assert_eq!(f.first_match("x.wwww7.io"), Some(7));
    }

    /// The index probes only at term starts, at most MAX_BUCKET comparisons
    /// each: a name of 10^6 dots has no term start, a name of 10^5 terms has
    /// 10^5, whatever the needles.
    #[test]
    fn pathological_names_bound_the_probes() {
        let needles: Vec<String> = (0..1000).map(|i| format!("a{i}.io")).collect();
        let f = HasAnyFast::new(&needles);
        let bucket = f.anchored.values().map(Vec::len).max().unwrap_or(0);
        assert!(bucket <= MAX_BUCKET);
        let dots = ".".repeat(1_000_000);
        assert_eq!(kql::terms(&dots).count(), 0, "no probe at all");
        assert_eq!(f.first_match(&dots), None);
        let many = "a.".repeat(100_000);
        assert_eq!(kql::terms(&many).count(), 100_000);
        assert!(kql::terms(&many).count() * bucket <= 100_000 * MAX_BUCKET);
        assert_eq!(f.first_match(&(many + "a999.io")), Some(999));
    }

    #[test]
    fn fast_reports_lowest_index() {
        let f = HasAnyFast::new(&["b.com", "a.b.com"]);
        assert_eq!(f.first_match("x.a.b.com"), Some(0));
        let f = HasAnyFast::new(&["a.b.com", "b.com"]);
        assert_eq!(f.first_match("x.a.b.com"), Some(0));
        assert_eq!(f.first_match("x.b.com"), Some(1));
    }

    #[test]
    fn domain_set_strict_matchers() {
        let s = DomainSet::new(&["estaliax.io"]);
        assert!(s.exact("ESTALIAX.IO.").is_some());
        assert!(s.exact("a.estaliax.io").is_none());
        assert!(s.suffix("a.estaliax.io.").is_some());
        assert!(s.suffix("xestaliax.io").is_none());
        assert!(s.suffix("estaliax.io.example.net").is_none());
    }
}
