//! Several feeds into one list of indicators: duplicates across feeds merged, the
//! first kept, each counted. The indicators are moved, never copied: a feed of
//! a million indicators is merged without a second copy of it.

use std::sync::Arc;

use super::age::{retain_recent, AgeFilter, Day};
use super::types::{FeedIoc, Location};
use crate::key_index::KeyIndex;

/// An indicator given again by a later feed (or a later entry), and dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The entry dropped.
    pub dropped: FeedIoc,
    /// The origin of the entry kept.
    pub kept_origin: Arc<str>,
    /// Where the entry kept is.
    pub kept_at: Location,
}

/// The accepted indicators of several feeds, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Each indicator once, as its first feed gave it, in feed order.
    pub accepted: Vec<FeedIoc>,
    /// Every later copy, dropped.
    pub duplicates: Vec<Duplicate>,
}

/// Merge the accepted indicators of several feeds, each feed's list in order (the
/// lists are moved in: `merge(feeds.into_iter().map(|f| f.accepted))`): the
/// first entry for a value wins (its fields are kept as they are), later ones
/// are counted as duplicates.
pub fn merge(lists: impl IntoIterator<Item = Vec<FeedIoc>>) -> Merged {
    let mut out = Merged::default();
    // Each merged value's position in `out.accepted`, made when a list is
    // merged into others (one feed alone needs none).
    let mut first: Option<KeyIndex> = None;
    for list in lists {
        // The first list that holds each value once (as a parsed feed does)
        // becomes the merged list as it is.
        if out.accepted.is_empty() && KeyIndex::distinct(list.len(), |i| &list[i].value) {
            out.accepted = list;
            first = None;
            continue;
        }
        let accepted = &out.accepted;
        let first =
            first.get_or_insert_with(|| KeyIndex::of_first(accepted.len(), |i| &accepted[i].value));
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
    out
}

/// Merge the lists as [`merge`] does, after leaving out of each feed the
/// indicators last seen (else first seen) more than `max_age_days` before `now`:
/// an indicator one feed saw recently is kept even when an earlier feed saw it long
/// ago. What is left out is each indicator no feed keeps, once (its first
/// entry); `undated` counts the merged indicators that carry no readable date.
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
    let merged = merge(recent);
    let mut left_out: Vec<FeedIoc> = Vec::new();
    if !old.is_empty() {
        let accepted = &merged.accepted;
        let hunted = KeyIndex::of_first(accepted.len(), |i| &accepted[i].value);
        let mut seen = KeyIndex::default();
        for ioc in old {
            if hunted.get(&ioc.value, |i| &accepted[i].value).is_some() {
                continue;
            }
            if seen
                .insert(&ioc.value, left_out.len(), |i| &left_out[i].value)
                .is_none()
            {
                left_out.push(ioc);
            }
        }
    }
    let undated = merged
        .accepted
        .iter()
        .filter(|i| i.seen().is_none())
        .count();
    (merged, AgeFilter { left_out, undated })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(origin: &str, values: &[&str]) -> Vec<FeedIoc> {
        let text: String = values.iter().map(|v| format!("{v}\n")).collect();
        crate::feed::parse(&text, origin, None)
            .expect("a plain list")
            .accepted
    }

    /// A list that holds a domain twice is merged entry by entry, as later
    /// lists are: the first kept, the repeat counted with where the first is.
    #[test]
    fn a_list_repeating_a_domain_keeps_its_first_entry() {
        // A parsed feed holds each value once; a list built by hand may not.
        let mut one = list("one", &["a.io", "b.io"]);
        one.push(one[0].clone());
        let m = merge([one, list("two", &["c.io", "a.io"])]);
        let kept: Vec<(&str, &str)> = m
            .accepted
            .iter()
            .map(|i| (&*i.origin, i.value.as_str()))
            .collect();
        assert_eq!(kept, [("one", "a.io"), ("one", "b.io"), ("two", "c.io")]);
        let dropped: Vec<(&str, &str, &str, String)> = m
            .duplicates
            .iter()
            .map(|d| {
                let at = d.kept_at.compact();
                (
                    &*d.dropped.origin,
                    d.dropped.value.as_str(),
                    &*d.kept_origin,
                    at,
                )
            })
            .collect();
        assert_eq!(
            dropped,
            [
                ("one", "a.io", "one", "1".to_owned()),
                ("two", "a.io", "one", "1".to_owned()),
            ]
        );
    }
}
