//! The `has_any` trait, and [`HasAnyAutomaton`]: one Aho-Corasick automaton per
//! needle set, with a term-boundary check on every overlapping occurrence.

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
