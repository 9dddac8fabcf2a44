//! Several feeds into one list of domains: duplicates across feeds merged, the
//! first kept, each counted. The indicators are moved, never copied: a feed of
//! a million domains is merged without a second copy of it.

use std::sync::Arc;

use super::age::{retain_recent, AgeFilter, Day};
use super::types::{FeedIoc, Location};
use crate::key_index::KeyIndex;

/// A domain given again by a later feed (or a later entry), and dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The entry dropped.
    pub dropped: FeedIoc,
    /// The origin of the entry kept.
    pub kept_origin: Arc<str>,
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

/// Merge the accepted domains of several feeds, each feed's list in order (the
/// lists are moved in: `merge(feeds.into_iter().map(|f| f.accepted))`): the
/// first entry for a domain wins (its fields are kept as they are), later ones
/// are counted as duplicates.
pub fn merge(lists: impl IntoIterator<Item = Vec<FeedIoc>>) -> Merged {
    merge_indexed(lists).0
}

/// [`merge`], and the position of each domain in `accepted`.
fn merge_indexed(lists: impl IntoIterator<Item = Vec<FeedIoc>>) -> (Merged, KeyIndex) {
    let mut out = Merged::default();
    let mut first = KeyIndex::default();
    for list in lists {
        // The first list that holds each domain once (as a parsed feed does)
        // becomes the merged list as it is.
        if out.accepted.is_empty() {
            if let Some(index) = index_of_distinct(&list) {
                out.accepted = list;
                first = index;
                continue;
            }
        }
        for ioc in list {
            let accepted = &out.accepted;
            match first.insert(&ioc.value, accepted.len(), |i| &accepted[i].value) {
                Some(i) => {
                    let kept = &out.accepted[i];
                    out.duplicates.push(Duplicate {
                        kept_origin: Arc::clone(&kept.origin),
                        kept_at: kept.at.clone(),
                        dropped: ioc,
                    });
                }
                None => out.accepted.push(ioc),
            }
        }
    }
    (out, first)
}

/// The index of `list`'s domains, if each is there once.
fn index_of_distinct(list: &[FeedIoc]) -> Option<KeyIndex> {
    let mut index = KeyIndex::with_capacity(list.len());
    for (k, ioc) in list.iter().enumerate() {
        if index.insert(&ioc.value, k, |i| &list[i].value).is_some() {
            return None;
        }
    }
    Some(index)
}

/// Merge the lists as [`merge`] does, after leaving out of each feed the
/// indicators last seen (else first seen) more than `max_age_days` before `now`:
/// a domain one feed saw recently is kept even when an earlier feed saw it long
/// ago. What is left out is each domain no feed keeps, once (its first entry);
/// `undated` counts the merged domains that carry no readable date.
pub fn merge_recent(
    lists: impl IntoIterator<Item = Vec<FeedIoc>>,
    now: Day,
    max_age_days: u32,
) -> (Merged, AgeFilter) {
    let mut old = Vec::new();
    let recent: Vec<Vec<FeedIoc>> = lists
        .into_iter()
        .map(|mut list| {
            old.extend(retain_recent(&mut list, now, max_age_days).left_out);
            list
        })
        .collect();
    let (merged, hunted) = merge_indexed(recent);
    let mut left_out: Vec<FeedIoc> = Vec::new();
    let mut seen = KeyIndex::default();
    for ioc in old {
        if hunted
            .get(&ioc.value, |i| &merged.accepted[i].value)
            .is_some()
        {
            continue;
        }
        if seen
            .insert(&ioc.value, left_out.len(), |i| &left_out[i].value)
            .is_none()
        {
            left_out.push(ioc);
        }
    }
    let undated = merged
        .accepted
        .iter()
        .filter(|i| i.seen().is_none())
        .count();
    (merged, AgeFilter { left_out, undated })
}
