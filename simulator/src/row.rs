//! A generated row: its columns in the order they were set, each named by the
//! documented column name (a `&'static str`: no name is allocated, copied or
//! hashed per row), with a `serde_json` value. It reads like the map it
//! replaces (`get`, indexing, `keys`, `iter`) and serialises as the same JSON
//! object, keys in order.

use std::ops::Index;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// One row's columns, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    cols: Vec<(&'static str, Value)>,
    /// A bit per name's [`mark`]: a name whose bit is clear is not in the row,
    /// so most columns are added without looking through the others.
    marks: [u64; 4],
}

/// A name's bit in [`Row::marks`] (word, bit): from its length and three of
/// its bytes.
fn mark(key: &str) -> (usize, u64) {
    let b = key.as_bytes();
    let byte = |i: usize| b.get(i).map_or(0, |&c| usize::from(c));
    let h = b.len() * 37 + byte(0) * 5 + byte(b.len() / 2) * 11 + byte(b.len().wrapping_sub(1)) * 3;
    ((h / 64) % 4, 1 << (h % 64))
}

impl Row {
    /// An empty row with room for `n` columns.
    pub fn with_capacity(n: usize) -> Self {
        Row {
            cols: Vec::with_capacity(n),
            marks: [0; 4],
        }
    }

    /// Set column `key` to `value`: replaced where it stands when the row has
    /// it (its old value returned), else added last.
    pub fn insert(&mut self, key: &'static str, value: Value) -> Option<Value> {
        let (w, m) = mark(key);
        if self.marks[w] & m != 0 {
            if let Some(slot) = self.get_mut(key) {
                return Some(std::mem::replace(slot, value));
            }
        }
        self.marks[w] |= m;
        self.cols.push((key, value));
        None
    }

    /// Take column `key` out; the last column takes its place (the order a
    /// `serde_json` map with `preserve_order` leaves after `remove`).
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.cols.iter().position(|(k, _)| *k == key)?;
        let (_, v) = self.cols.swap_remove(i);
        self.marks = [0; 4];
        for (k, _) in &self.cols {
            let (w, m) = mark(k);
            self.marks[w] |= m;
        }
        Some(v)
    }

    /// Column `key`'s value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.cols.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.cols
            .iter_mut()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// Whether the row has column `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The column names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.cols.iter().map(|(k, _)| *k)
    }

    /// The columns, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> + '_ {
        self.cols.iter().map(|(k, v)| (*k, v))
    }

    /// The columns as a slice of name and value: what the detection's
    /// `Columns` reads.
    pub fn columns(&self) -> &[(&'static str, Value)] {
        &self.cols
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        self.cols.len()
    }

    /// Whether the row has no column.
    pub fn is_empty(&self) -> bool {
        self.cols.is_empty()
    }

    /// The row as a `serde_json` map, in the same order.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect()
    }
}

impl Index<&str> for Row {
    type Output = Value;

    /// Column `key`'s value; panics when the row has no such column, as a
    /// map does.
    fn index(&self, key: &str) -> &Value {
        match self.get(key) {
            Some(v) => v,
            None => panic!("the row has no column {key}"),
        }
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.cols.len()))?;
        for (k, v) in &self.cols {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_row_keeps_a_maps_order_on_insert_replace_and_remove() {
        let mut row = Row::with_capacity(4);
        let mut map = Map::new();
        let steps: [(&'static str, Option<i64>); 9] = [
            ("TimeGenerated", Some(1)),
            ("Computer", Some(2)),
            ("EventID", Some(3)),
            ("Computer", Some(4)),
            ("Image", Some(5)),
            ("EventID", None),
            ("User", Some(6)),
            ("TimeGenerated", Some(7)),
            ("Image", None),
        ];
        for (k, v) in steps {
            match v {
                Some(v) => assert_eq!(row.insert(k, v.into()), map.insert(k.to_owned(), v.into())),
                None => assert_eq!(row.remove(k), map.remove(k)),
            }
            assert_eq!(row.to_map(), map);
            assert_eq!(
                serde_json::to_string(&row).unwrap(),
                serde_json::to_string(&map).unwrap()
            );
        }
        assert_eq!(row["User"], json!(6));
        assert!(row.contains_key("Computer") && !row.contains_key("Image"));
        assert_eq!(
            row.keys().collect::<Vec<_>>(),
            ["TimeGenerated", "Computer", "User"]
        );
    }
}
