//! [`OwnedRow`]: a row read from CSV, EVTX or an expanded `Event` table row,
//! owning its text, read by the field mapping through [`Columns`].
//!
//! A row's values sit in one `String`, with one end offset per value: two
//! allocations a row, however many columns. A CSV row shares its header (names
//! and a name index) with every other row of the file; any other row keeps its
//! names beside its values.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use detections::row::{Cell, Columns};

/// The column names of a CSV file: kept once, shared by its rows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Header {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Header {
    /// A header of these names. A name that appears twice is read from its
    /// first column.
    pub(crate) fn new(names: Vec<String>) -> Self {
        let mut index = HashMap::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            index.entry(n.clone()).or_insert(i);
        }
        Self { names, index }
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// One row: every column it has, as text. An empty value reads as an absent
/// column; a column named twice is read from its first occurrence.
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedRow {
    /// `Some`: the values are the header's columns, in order. `None`: the
    /// fields alternate name, value.
    header: Option<Arc<Header>>,
    text: String,
    ends: Vec<usize>,
}

impl OwnedRow {
    /// A CSV record: `text` holds the fields back to back, `ends` where each
    /// ends (one per header column).
    pub(crate) fn with_header(header: Arc<Header>, text: String, ends: Vec<usize>) -> Self {
        debug_assert_eq!(header.len(), ends.len());
        Self {
            header: Some(header),
            text,
            ends,
        }
    }

    fn field(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// How many columns the row holds, empty ones included.
    fn columns(&self) -> usize {
        match &self.header {
            Some(_) => self.ends.len(),
            None => self.ends.len() / 2,
        }
    }

    /// Column `i`: its name and value.
    fn column(&self, i: usize) -> (&str, &str) {
        match &self.header {
            Some(h) => (h.name(i), self.field(i)),
            None => (self.field(2 * i), self.field(2 * i + 1)),
        }
    }

    /// The value of column `name`, if the row has it and it is not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        let value = match &self.header {
            Some(h) => h.position(name).map(|i| self.field(i)),
            None => (0..self.columns())
                .map(|i| self.column(i))
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v),
        };
        value.filter(|v| !v.is_empty())
    }

    /// The columns that have a value, in order: `(name, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.columns())
            .map(|i| self.column(i))
            .filter(|(_, v)| !v.is_empty())
    }

    /// How many columns have a value.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether no column has a value.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl Columns for OwnedRow {
    fn cell(&self, key: &str) -> Cell<'_> {
        self.get(key).map_or(Cell::Absent, Cell::Str)
    }
}

impl fmt::Debug for OwnedRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Builds a row of named values (EVTX records, expanded `Event` rows).
#[derive(Debug, Default)]
pub(crate) struct RowBuilder {
    text: String,
    ends: Vec<usize>,
}

impl RowBuilder {
    /// Add a column; an empty value is left out (it would read as absent).
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        for s in [name, value] {
            self.text.push_str(s);
            self.ends.push(self.text.len());
        }
    }

    /// The value of a column already added.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        let mut start = 0;
        let mut fields = self.ends.iter().map(|&end| {
            let s = &self.text[start..end];
            start = end;
            s
        });
        while let (Some(n), Some(v)) = (fields.next(), fields.next()) {
            if n == name {
                return Some(v);
            }
        }
        None
    }

    /// Add column `name` with the value of column `existing`, if it has one.
    pub(crate) fn alias(&mut self, existing: &str, name: &str) {
        if let Some(v) = self.get(existing).map(str::to_owned) {
            self.push(name, &v);
        }
    }

    pub(crate) fn finish(self) -> OwnedRow {
        OwnedRow {
            header: None,
            text: self.text,
            ends: self.ends,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_row(names: &[&str], values: &[&str]) -> OwnedRow {
        let header = Arc::new(Header::new(names.iter().map(|s| s.to_string()).collect()));
        let mut text = String::new();
        let mut ends = Vec::new();
        for v in values {
            text.push_str(v);
            ends.push(text.len());
        }
        OwnedRow::with_header(header, text, ends)
    }

    #[test]
    fn header_rows_read_by_name_and_empty_is_absent() {
        let row = csv_row(
            &["Name", "QueryType", "Computer", "Name"],
            &["a.io", "", "dns01", "b.io"],
        );
        assert_eq!(
            row.cell("Name"),
            Cell::Str("a.io"),
            "the first of a twice-named column"
        );
        assert_eq!(row.cell("QueryType"), Cell::Absent);
        assert_eq!(row.cell("Missing"), Cell::Absent);
        assert_eq!(row.len(), 3);
        assert_eq!(
            format!("{row:?}"),
            r#"{"Name": "a.io", "Computer": "dns01", "Name": "b.io"}"#
        );
    }

    #[test]
    fn built_rows_keep_names_beside_values() {
        let mut b = RowBuilder::default();
        b.push("EventID", "22");
        b.push("Empty", "");
        b.push("QueryName", "estaliax.io");
        b.push("EventID", "1");
        assert_eq!(b.get("QueryName"), Some("estaliax.io"));
        let row = b.finish();
        assert_eq!(row.cell("EventID"), Cell::Str("22"));
        assert_eq!(row.cell("Empty"), Cell::Absent);
        assert_eq!(row.iter().count(), 3);
        assert!(!row.is_empty());
        assert!(RowBuilder::default().finish().is_empty());
    }
}
