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

use crate::kql;

mod automaton;
mod fast;
pub mod indicator;
pub use automaton::{HasAny, HasAnyAutomaton};
pub use fast::HasAnyFast;

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

/// Normalise a DNS name for the strict matchers: ASCII lower case, one trailing
/// dot removed.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalize_name_into(&mut out, name);
    out
}

/// [`normalize_name`], written into `out` (cleared first; its room reused).
pub fn normalize_name_into(out: &mut String, name: &str) {
    out.clear();
    out.push_str(name.strip_suffix('.').unwrap_or(name));
    out.make_ascii_lowercase();
}

/// A set of domains for the strict alternatives to `has_any`: exact equality (what
/// an equality join does) and "the domain or any subdomain of it".
#[derive(Debug, Clone, Default)]
pub struct DomainSet {
    /// Hashed with foldhash's fixed seed, as the other per-row sets are.
    domains: HashSet<String, foldhash::fast::FixedState>,
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
        self.exact_normalized(&normalize_name(name))
    }

    /// `normalize(name) == d or normalize(name) endswith "." + d` for some `d`.
    pub fn suffix(&self, name: &str) -> Option<&str> {
        self.suffix_normalized(&normalize_name(name))
    }

    /// [`DomainSet::exact`] of a name already normalised ([`normalize_name`]).
    pub fn exact_normalized(&self, n: &str) -> Option<&str> {
        self.domains.get(n).map(String::as_str)
    }

    /// [`DomainSet::suffix`] of a name already normalised ([`normalize_name`]).
    pub fn suffix_normalized(&self, n: &str) -> Option<&str> {
        self.suffix_exact_normalized(n).0
    }

    /// [`DomainSet::suffix_normalized`], and whether the domain it found is
    /// the name itself ([`DomainSet::exact_normalized`]), in one walk: the
    /// name is looked up first.
    pub fn suffix_exact_normalized(&self, n: &str) -> (Option<&str>, bool) {
        let mut rest = n;
        loop {
            if let Some(d) = self.domains.get(rest) {
                return (Some(d.as_str()), rest.len() == n.len());
            }
            // A label is short: a byte at a time, without a call to search it.
            match rest.bytes().position(|b| b == b'.') {
                Some(dot) => rest = &rest[dot + 1..],
                None => return (None, false),
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
        let n = normalize_name("A.EstaliaX.io.");
        assert_eq!(s.suffix_normalized(&n), s.suffix("A.EstaliaX.io."));
        assert_eq!(s.exact_normalized("estaliax.io"), Some("estaliax.io"));
        assert!(s.suffix_normalized("io").is_none());
        let d = Some("estaliax.io");
        for (name, both) in [
            ("estaliax.io", (d, true)),
            ("a.estaliax.io", (d, false)),
            ("io", (None, false)),
            ("x.io", (None, false)),
            ("", (None, false)),
        ] {
            assert_eq!(s.suffix_exact_normalized(name), both, "{name}");
            assert_eq!(s.exact_normalized(name).is_some(), both.1, "{name}");
        }
    }
}
