//! Finding items by a string key without copying the key: a hash table of the
//! items' positions in the caller's list, hashed with a fast non-cryptographic
//! hash (foldhash, fixed seed, so runs are alike). The caller keeps the items
//! and says how to read an item's key; the table holds only positions.
//!
//! Used where a feed's domains are kept once each (a feed, the merge of feeds,
//! a content's indicators): 10^5 to 10^6 keys, where a `HashMap<String, _>`
//! costs a copy of every key and SipHash over it.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::hash_table::{Entry, HashTable};

/// Positions in a list, found by the key of the item at each position. Each key
/// is held once: the first position recorded for it.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    table: HashTable<usize>,
    hasher: FixedState,
}

impl KeyIndex {
    /// An empty index with room for `n` keys.
    pub fn with_capacity(n: usize) -> Self {
        KeyIndex {
            table: HashTable::with_capacity(n),
            hasher: FixedState::default(),
        }
    }

    /// The index of the keys of positions `0..n`: each key's first position.
    pub fn of_first<'a>(n: usize, key_of: impl Fn(usize) -> &'a str) -> Self {
        let mut index = KeyIndex::with_capacity(n);
        for k in 0..n {
            index.insert(key_of(k), k, &key_of);
        }
        index
    }

    /// The index of the keys of positions `0..n`, if no key is there twice.
    pub fn of_distinct<'a>(n: usize, key_of: impl Fn(usize) -> &'a str) -> Option<Self> {
        let mut index = KeyIndex::with_capacity(n);
        for k in 0..n {
            if index.insert(key_of(k), k, &key_of).is_some() {
                return None;
            }
        }
        Some(index)
    }

    /// Whether no key of positions `0..n` is there twice. Sorts the keys'
    /// hashes (reading the keys in order, no table to probe at random), and
    /// compares keys only when two hashes are equal.
    pub fn distinct<'a>(n: usize, key_of: impl Fn(usize) -> &'a str) -> bool {
        let hasher = FixedState::default();
        let mut hashes: Vec<u64> = (0..n)
            .map(|k| hasher.hash_one(key_of(k).as_bytes()))
            .collect();
        hashes.sort_unstable();
        hashes.windows(2).all(|w| w[0] != w[1]) || Self::of_distinct(n, key_of).is_some()
    }

    /// The number of keys held.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Room for `n` more keys.
    pub fn reserve<'a>(&mut self, n: usize, key_of: impl Fn(usize) -> &'a str) {
        let hasher = &self.hasher;
        self.table
            .reserve(n, |&i| hasher.hash_one(key_of(i).as_bytes()));
    }

    /// The position recorded for `key`, if any. `key_of` reads the key of the
    /// item at a position recorded earlier.
    pub fn get<'a>(&self, key: &str, key_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.get_bytes(key.as_bytes(), key_of)
    }

    /// [`KeyIndex::get`] of a key given as bytes (no text check: bytes that
    /// are not UTF-8 are no key's).
    pub fn get_bytes<'a>(&self, key: &[u8], key_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        let h = self.hasher.hash_one(key);
        self.table
            .find(h, |&i| key_of(i).as_bytes() == key)
            .copied()
    }

    /// The position recorded for `key` if there is one (and nothing changes),
    /// else `None`, `position` now recorded for it.
    pub fn insert<'a>(
        &mut self,
        key: &str,
        position: usize,
        key_of: impl Fn(usize) -> &'a str,
    ) -> Option<usize> {
        let hasher = &self.hasher;
        let h = hasher.hash_one(key.as_bytes());
        match self.table.entry(
            h,
            |&i| key_of(i) == key,
            |&i| hasher.hash_one(key_of(i).as_bytes()),
        ) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(position);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_position_of_each_key() {
        let items = ["a.io", "b.io", "a.io", "c.io", "b.io"];
        let mut index = KeyIndex::default();
        let firsts: Vec<Option<usize>> = items
            .iter()
            .enumerate()
            .map(|(i, k)| index.insert(k, i, |j| items[j]))
            .collect();
        assert_eq!(firsts, [None, None, Some(0), None, Some(1)]);
        assert_eq!(index.len(), 3);
        assert_eq!(index.get("c.io", |j| items[j]), Some(3));
        assert_eq!(index.get("d.io", |j| items[j]), None);
    }

    #[test]
    fn indexes_a_list_only_when_no_key_repeats() {
        let items = ["a.io", "b.io", "c.io"];
        let index = KeyIndex::of_distinct(items.len(), |j| items[j]).unwrap();
        assert_eq!(index.get("b.io", |j| items[j]), Some(1));
        let items = ["a.io", "b.io", "a.io"];
        assert!(KeyIndex::of_distinct(items.len(), |j| items[j]).is_none());
        let index = KeyIndex::of_first(items.len(), |j| items[j]);
        assert_eq!(index.len(), 2);
        assert_eq!(index.get("a.io", |j| items[j]), Some(0));
    }

    #[test]
    fn tells_distinct_keys_whatever_their_hashes() {
        let items: Vec<String> = (0..1000).map(|i| format!("c2-{i}.io")).collect();
        assert!(KeyIndex::distinct(items.len(), |j| &items[j]));
        assert!(KeyIndex::distinct(0, |j| &items[j]));
        let mut twice = items.clone();
        twice.push("c2-500.io".into());
        assert!(!KeyIndex::distinct(twice.len(), |j| &twice[j]));
    }

    #[test]
    fn finds_every_key_after_growing() {
        let items: Vec<String> = (0..10_000).map(|i| format!("c2-{i}.io")).collect();
        let mut index = KeyIndex::with_capacity(4);
        for (i, k) in items.iter().enumerate() {
            assert_eq!(index.insert(k, i, |j| &items[j]), None);
        }
        index.reserve(100, |j| &items[j]);
        for (i, k) in items.iter().enumerate() {
            assert_eq!(index.get(k, |j| &items[j]), Some(i));
        }
        assert_eq!(index.get("c2-10000.io", |j| &items[j]), None);
    }
}
