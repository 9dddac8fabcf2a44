//! `has_any` over a list of needles, and the strict domain matchers the report
//! compares it with.
//!
//! [`HasAnyReference`] is the plain reading of the definition: `has` for each needle
//! in turn. [`HasAnyAutomaton`] builds one Aho-Corasick automaton per needle set and
//! checks term boundaries on each occurrence it reports. [`HasAnyFast`], the engine
//! the detection runs, hashes a name's term-aligned spans into a table of the
//! needles, with the automaton for the needles a span cannot hold. All
//! are built once per needle set and allocate nothing per name; all report the
//! lowest-indexed needle that matches, so verdicts do not depend on which one runs.
//! Property tests hold them to the same answers.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::kql;

mod fast;
pub use fast::HasAnyFast;

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
    pub(crate) fn from_indexed(needles: &[(usize, &str)]) -> Self {
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
