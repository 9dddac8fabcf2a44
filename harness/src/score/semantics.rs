//! The semantics comparison: how a DNS row's name would fare under the
//! source's `has_any` and under the strict alternatives (exact equality, the
//! domain or a subdomain), counted against the row's truth.

use detections::matcher::{normalize_name_into, DomainSet, HasAny, HasAnyFast};

use crate::metrics::Confusion;
use crate::report::SemanticsScore;

#[derive(Debug)]
pub(super) struct Semantics {
    strict: DomainSet,
    has_any: HasAnyFast,
    /// `has_any`, exact, suffix.
    counts: [Confusion; 3],
    /// The last name counted, normalised (its string reused from row to row).
    normal: String,
}

impl Semantics {
    pub(super) fn new(domains: &[&str]) -> Self {
        Self {
            strict: DomainSet::new(domains),
            has_any: HasAnyFast::new(domains),
            counts: [Confusion::default(); 3],
            normal: String::new(),
        }
    }

    /// Count a DNS row's `name` under each matcher; whether the name is an
    /// indicator's domain or a subdomain of one.
    pub(super) fn add(&mut self, name: &str, truth: bool) -> bool {
        normalize_name_into(&mut self.normal, name);
        let (suffix, exact) = self.strict.suffix_exact_normalized(&self.normal);
        let suffix = suffix.is_some();
        self.counts[0].add(truth, self.has_any.is_match(name));
        self.counts[1].add(truth, exact);
        self.counts[2].add(truth, suffix);
        suffix
    }

    /// The last name counted, normalised
    /// ([`detections::matcher::normalize_name`]).
    pub(super) fn normal(&self) -> &str {
        &self.normal
    }

    /// The comparison's rows.
    pub(super) fn finish(&self) -> Vec<SemanticsScore> {
        [
            (
                "has_any",
                "Name has_any (IOCs): the source's query; term-bounded, any position",
            ),
            (
                "exact",
                "normalised Name == IOC: what an equality join does",
            ),
            (
                "suffix",
                "normalised Name == IOC or endswith \".\" + IOC: the domain or a subdomain",
            ),
        ]
        .iter()
        .zip(self.counts)
        .map(|((m, def), c)| SemanticsScore {
            matcher: (*m).to_owned(),
            definition: (*def).to_owned(),
            confusion: c,
        })
        .collect()
    }
}
