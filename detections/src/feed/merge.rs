//! Several feeds into one list of domains: duplicates across feeds merged, the
//! first kept, each counted.

use std::collections::{HashMap, HashSet};

use super::age::{retain_recent, AgeFilter, Day};
use super::types::{Feed, FeedIoc, Location};

/// A domain given again by a later feed (or a later entry), and dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The entry dropped.
    pub dropped: FeedIoc,
    /// The origin of the entry kept.
    pub kept_origin: String,
    /// Where the entry kept is.
    pub kept_at: Location,
}

/// The accepted domains of several feeds, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Each domain once, as its first feed gave it, in feed order.
    pub accepted: Vec<FeedIoc>,
    /// Every later copy, dropped.
    pub duplicates: Vec<Duplicate>,
}

/// Merge the accepted domains of `feeds`, in order: the first entry for a domain
/// wins (its fields are kept as they are), later ones are counted as duplicates.
pub fn merge<'a>(feeds: impl IntoIterator<Item = &'a Feed>) -> Merged {
    let mut out = Merged::default();
    let mut first: HashMap<String, usize> = HashMap::new();
    for ioc in feeds.into_iter().flat_map(|f| &f.accepted) {
        match first.get(&ioc.value) {
            Some(&i) => {
                let kept = &out.accepted[i];
                out.duplicates.push(Duplicate {
                    kept_origin: kept.origin.clone(),
                    kept_at: kept.at.clone(),
                    dropped: ioc.clone(),
                });
            }
            None => {
                first.insert(ioc.value.clone(), out.accepted.len());
                out.accepted.push(ioc.clone());
            }
        }
    }
    out
}

/// Merge `feeds` as [`merge`] does, after leaving out of each feed the indicators
/// last seen (else first seen) more than `max_age_days` before `now`: a domain one
/// feed saw recently is kept even when an earlier feed saw it long ago. What is
/// left out is each domain no feed keeps, once (its first entry); `undated`
/// counts the merged domains that carry no readable date.
pub fn merge_recent<'a>(
    feeds: impl IntoIterator<Item = &'a Feed>,
    now: Day,
    max_age_days: u32,
) -> (Merged, AgeFilter) {
    let mut recent: Vec<Feed> = feeds.into_iter().cloned().collect();
    let mut left_out = Vec::new();
    for f in &mut recent {
        left_out.extend(retain_recent(&mut f.accepted, now, max_age_days).left_out);
    }
    let merged = merge(&recent);
    let mut hunted: HashSet<String> = merged.accepted.iter().map(|i| i.value.clone()).collect();
    left_out.retain(|i| hunted.insert(i.value.clone()));
    let undated = merged
        .accepted
        .iter()
        .filter(|i| i.seen().is_none())
        .count();
    (merged, AgeFilter { left_out, undated })
}
