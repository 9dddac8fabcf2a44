//! What the field mapping reads a telemetry row through: [`Columns`], a lookup of
//! one column's [`Cell`] by name.
//!
//! Two kinds of row implement it: a `serde_json::Map` (rows the simulator builds,
//! content examples), and a [`RowView`], read straight from one line of JSON
//! Lines. A view keeps only the columns the mapping reads ([`READ_COLUMNS`]),
//! borrowing their text from the line where it holds no escapes; every other
//! column is skipped unparsed, so no `Map` is built per row.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize as _, Deserializer};
use serde_json::{Map, Number, Value};

/// One column's value, as the field mapping sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// The row has no such column.
    Absent,
    /// JSON `null`.
    Null,
    /// A string.
    Str(&'a str),
    /// A number.
    Number(&'a Number),
    /// A boolean.
    Bool(bool),
    /// An array (`Heartbeat.ComputerPrivateIPs`, a dynamic column).
    Array(&'a [Value]),
    /// An object (`AdditionalFields`): its own columns.
    Object(&'a Map<String, Value>),
}

impl Cell<'_> {
    /// Whether the row has the column at all (`null` counts as present).
    pub fn is_present(&self) -> bool {
        !matches!(self, Cell::Absent)
    }

    /// The JSON type's name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Cell::Absent | Cell::Null => "null",
            Cell::Bool(_) => "a boolean",
            Cell::Number(_) => "a number",
            Cell::Str(_) => "a string",
            Cell::Array(_) => "an array",
            Cell::Object(_) => "an object",
        }
    }
}

/// A row the field mapping can read, column by column.
pub trait Columns {
    /// The cell of column `key` (exact, case-sensitive name).
    fn cell(&self, key: &str) -> Cell<'_>;
}

/// Whether two column names are the same: their lengths and last bytes
/// compared before the rest, which tells most names apart without a call.
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.last() == b.last() && a == b
}

/// A row as its columns' names and values, in order (a generated row).
impl Columns for [(&str, Value)] {
    fn cell(&self, key: &str) -> Cell<'_> {
        match self.iter().find(|(k, _)| same_name(k, key)) {
            None => Cell::Absent,
            Some((_, v)) => Cell::from(v),
        }
    }
}

/// Up to this many columns, a map's cell is found by a linear scan.
const LINEAR_COLUMNS: usize = 48;

impl Columns for Map<String, Value> {
    fn cell(&self, key: &str) -> Cell<'_> {
        // A row's few tens of columns are found faster by their names' bytes,
        // one after another, than by hashing the name.
        let found = if self.len() <= LINEAR_COLUMNS {
            self.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| v)
        } else {
            self.get(key)
        };
        match found {
            None => Cell::Absent,
            Some(v) => Cell::from(v),
        }
    }
}

impl<'a> From<&'a Value> for Cell<'a> {
    /// A JSON value as a present cell (its [`Cell::type_name`] is the value's).
    fn from(v: &'a Value) -> Self {
        match v {
            Value::Null => Cell::Null,
            Value::Bool(b) => Cell::Bool(*b),
            Value::Number(n) => Cell::Number(n),
            Value::String(s) => Cell::Str(s),
            Value::Array(a) => Cell::Array(a),
            Value::Object(o) => Cell::Object(o),
        }
    }
}

/// Every column the field mapping reads, on any source, collected from the
/// sources' descriptions (`sources`). A [`RowView`] keeps these and skips the
/// rest.
pub use sources::READ_COLUMNS;

/// The type suffixes the legacy HTTP Data Collector API gave custom-table
/// columns (string, double, boolean, GUID, datetime): a view keeps `Name_s` as
/// it keeps `Name`.
pub const LEGACY_SUFFIXES: [&str; 5] = ["_s", "_d", "_b", "_g", "_t"];

mod bytes;
mod flat;

/// Where a view keeps a column, and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// The column's index in [`READ_COLUMNS`], offset by its suffix (none, or
    /// one of [`LEGACY_SUFFIXES`]).
    index: usize,
    /// The column's name, suffix included.
    name: &'static str,
    /// [`head`] of the name.
    head: u64,
}

impl Slot {
    /// Whether this is the slot of `key`, whose [`head`] is `key_head`.
    fn is(&self, key: &[u8], key_head: u64) -> bool {
        self.head == key_head && self.name.len() == key.len() && rest_eq(self.name.as_bytes(), key)
    }
}

/// Whether two names of the same length and the same first eight bytes are
/// the same: the rest compared eight bytes a word, the last word read where
/// it ends (the names are short; a call to compare them cost more than this).
fn rest_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n <= 8 {
        return true;
    }
    let word = |s: &[u8], at: usize| s.get(at..).and_then(|s| s.first_chunk::<8>().copied());
    let mut at = 8;
    while at + 8 < n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// The slot of a column the view keeps. Every row looks up each of its column
/// names, so the names are filed once in an open-addressed table keyed by a
/// hash of their first eight bytes, last byte and length.
fn slot(key: &str) -> Option<Slot> {
    slot_of(key.as_bytes(), head(key.as_bytes()))
}

/// [`slot`] of a name given as bytes with its [`head`].
fn slot_of(key: &[u8], key_head: u64) -> Option<Slot> {
    static TABLE: OnceLock<Vec<Option<Slot>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = vec![None; SLOT_TABLE];
        let suffixes = std::iter::once("").chain(LEGACY_SUFFIXES);
        for (s, suffix) in suffixes.enumerate() {
            for (i, column) in READ_COLUMNS.iter().enumerate() {
                // Filed once for the life of the process, as the lists are.
                let name: &'static str = Box::leak(format!("{column}{suffix}").into_boxed_str());
                let head = head(name.as_bytes());
                let mut at = slot_hash(head, name.as_bytes());
                while table[at].is_some() {
                    at = (at + 1) % SLOT_TABLE;
                }
                let index = s * READ_COLUMNS.len() + i;
                table[at] = Some(Slot { index, name, head });
            }
        }
        table
    });
    let mut at = slot_hash(key_head, key);
    loop {
        match table[at] {
            None => return None,
            Some(slot) if slot.is(key, key_head) => return Some(slot),
            Some(_) => at = (at + 1) % SLOT_TABLE,
        }
    }
}

/// The slot table's size: a power of two, about four times the names it holds.
const SLOT_TABLE: usize = 2048;

/// The first eight bytes of `b` as a little-endian word, zero-padded when
/// shorter (with a name's length, they tell names of up to eight bytes apart).
pub(crate) fn head(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(word) => u64::from_le_bytes(*word),
        None => {
            let mut word = [0u8; 8];
            word[..b.len()].copy_from_slice(b);
            u64::from_le_bytes(word)
        }
    }
}

fn slot_hash(head: u64, key: &[u8]) -> usize {
    let tail = key.last().copied().unwrap_or(0);
    let h = (head ^ ((key.len() as u64) << 56) ^ (u64::from(tail) << 48))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - SLOT_TABLE.trailing_zeros())) as usize
}

/// [`slot`] by searching the lists (the definition the table is checked against).
#[cfg(test)]
fn slot_by_search(key: &str) -> Option<usize> {
    if let Some(i) = READ_COLUMNS.iter().position(|c| *c == key) {
        return Some(i);
    }
    let cut = key.len().checked_sub(2)?;
    if !key.is_char_boundary(cut) {
        return None;
    }
    let (stem, suffix) = key.split_at(cut);
    let s = LEGACY_SUFFIXES.iter().position(|x| *x == suffix)?;
    let i = READ_COLUMNS.iter().position(|c| *c == stem)?;
    Some((s + 1) * READ_COLUMNS.len() + i)
}

/// A kept cell's value.
#[derive(Debug, Clone, PartialEq)]
enum Kept<'a> {
    Null,
    Str(Cow<'a, str>),
    Number(Number),
    Bool(bool),
    Array(Vec<Value>),
    Object(Box<Map<String, Value>>),
}

/// One JSON Lines row, holding only the [`READ_COLUMNS`] it has (under their own
/// names or with a legacy type suffix).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowView<'a> {
    cells: Vec<(Slot, Kept<'a>)>,
    /// A filter of the kept names: each sets its [`name_bit`]. A column the
    /// mapping asks for whose bit is clear is absent without a pass over the
    /// cells (most columns asked for are absent).
    names: u64,
}

/// A name's bit in [`RowView::names`], from its [`head`], length and last
/// byte (names that share their first eight bytes, `InitiatingProcess...`,
/// differ in those).
fn name_bit(key: &[u8], key_head: u64) -> u64 {
    1 << (slot_hash(key_head, key) & 63)
}

impl<'a> RowView<'a> {
    /// Read one line. The error is serde_json's; callers that need the exact
    /// reason for a bad line can read it again as a `Value`. A flat row is read
    /// in one pass of its own; anything else by serde_json (the same view).
    pub fn parse(line: &'a str) -> Result<Self, serde_json::Error> {
        match flat::view(line) {
            Some(view) => Ok(view),
            None => Self::parse_full(line),
        }
    }

    /// [`RowView::parse`] through serde_json alone.
    fn parse_full(line: &'a str) -> Result<Self, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(line);
        let view = ViewSeed.deserialize(&mut de)?;
        de.end()?;
        Ok(view)
    }

    /// Whether the view keeps a cell in `slot` already.
    fn keeps(&self, slot: &Slot) -> bool {
        self.names & name_bit(slot.name.as_bytes(), slot.head) != 0
            && self.cells.iter().any(|(k, _)| k.index == slot.index)
    }

    /// Keep `kept` in `slot`.
    fn push(&mut self, slot: Slot, kept: Kept<'a>) {
        self.names |= name_bit(slot.name.as_bytes(), slot.head);
        self.cells.push((slot, kept));
    }

    /// How many of the read columns the row has.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the row has none of the read columns.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl Columns for RowView<'_> {
    fn cell(&self, key: &str) -> Cell<'_> {
        // The cells' own names: most columns asked for are absent, and a
        // row's few names differ from them in their first bytes or length.
        let (key, key_head) = (key.as_bytes(), head(key.as_bytes()));
        if self.names & name_bit(key, key_head) == 0 {
            return Cell::Absent;
        }
        match self.cells.iter().find(|(k, _)| k.is(key, key_head)) {
            None => Cell::Absent,
            Some((_, kept)) => match kept {
                Kept::Null => Cell::Null,
                Kept::Str(s) => Cell::Str(s),
                Kept::Number(n) => Cell::Number(n),
                Kept::Bool(b) => Cell::Bool(*b),
                Kept::Array(a) => Cell::Array(a),
                Kept::Object(o) => Cell::Object(o),
            },
        }
    }
}

struct ViewSeed;

impl<'de> DeserializeSeed<'de> for ViewSeed {
    type Value = RowView<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(ViewVisitor)
    }
}

struct ViewVisitor;

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = RowView<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut view = RowView::default();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match slot(&key) {
                Some(i) => {
                    let kept = map.next_value::<KeptValue<'de>>()?.0;
                    // A read column given twice is refused: which value a hunt
                    // should see is ambiguous, and keeping either one would let
                    // the other hide from it.
                    if view.keeps(&i) {
                        return Err(de::Error::custom(format_args!(
                            "duplicate key `{key}` (a column the hunts read, given twice)"
                        )));
                    }
                    view.push(i, kept);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(view)
    }
}

struct KeptValue<'a>(Kept<'a>);

impl<'de> de::Deserialize<'de> for KeptValue<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeptVisitor)
    }
}

struct KeptVisitor;

impl<'de> Visitor<'de> for KeptVisitor {
    type Value = KeptValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Null))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Null))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Bool(b)))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Number(n.into())))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Number(n.into())))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        // serde_json yields only finite floats.
        Ok(KeptValue(
            Number::from_f64(n).map_or(Kept::Null, Kept::Number),
        ))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Str(Cow::Borrowed(s))))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Str(Cow::Owned(s.to_owned()))))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(KeptValue(Kept::Str(Cow::Owned(s))))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let v = Vec::<Value>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(KeptValue(Kept::Array(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let v = Map::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(KeptValue(Kept::Object(Box::new(v))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_table_files_every_name_as_the_lists_do() {
        for suffix in std::iter::once("").chain(LEGACY_SUFFIXES) {
            for column in READ_COLUMNS {
                let key = format!("{column}{suffix}");
                assert_eq!(slot(&key).map(|s| s.index), slot_by_search(&key), "{key}");
                assert_eq!(slot(&key).map(|s| s.name), Some(key.as_str()));
                assert!(slot(&key).is_some());
            }
        }
        for key in [
            "",
            "N",
            "name",
            "Name_x",
            "Name_s_s",
            "_s",
            "é_s",
            "Nam\u{e9}",
        ] {
            assert_eq!(slot(key).map(|s| s.index), slot_by_search(key), "{key}");
        }
    }

    #[test]
    fn a_name_one_byte_off_a_read_column_is_found_as_the_lists_find_it() {
        // Every byte of every name, the first eight and the rest word by word.
        for column in READ_COLUMNS {
            for i in 0..column.len() {
                let mut b = column.as_bytes().to_vec();
                b[i] = match b[i] {
                    c if c.is_ascii_alphabetic() => c ^ 0x20,
                    _ => b'x',
                };
                let key = String::from_utf8(b).expect("ASCII stays ASCII");
                assert_eq!(slot(&key).map(|s| s.index), slot_by_search(&key), "{key}");
                let line = format!(r#"{{"{key}":"x"}}"#);
                let view = RowView::parse(&line).expect("a flat row");
                assert_eq!(view.cell(column), Cell::Absent, "{key} read as {column}");
            }
        }
    }

    #[test]
    fn a_view_keeps_read_columns_and_borrows_plain_text() {
        let line = r#"{"Name":"a.estaliax.io","Other":{"deep":[1,2,{"x":null}]},"EventID":22,"Image":"C:\\x.exe","AdditionalFields":{"DnsQueryString":"q"}}"#;
        let v = RowView::parse(line).unwrap();
        assert_eq!(v.cell("Name"), Cell::Str("a.estaliax.io"));
        assert_eq!(v.cell("Other"), Cell::Absent, "unread columns are skipped");
        assert!(matches!(v.cell("EventID"), Cell::Number(n) if n.as_i64() == Some(22)));
        assert_eq!(v.cell("Image"), Cell::Str(r"C:\x.exe"), "escapes decoded");
        assert!(matches!(v.cell("AdditionalFields"), Cell::Object(o) if o.len() == 1));
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn a_view_and_a_map_give_the_same_cells() {
        let line = r#"{"Type":"DnsEvents","Name":"y","QueryName":null,"Computer":true,"TaskName":[1],"Other":1,"Other":2}"#;
        let v = RowView::parse(line).unwrap();
        let m: Map<String, Value> = serde_json::from_str(line).unwrap();
        for key in READ_COLUMNS {
            assert_eq!(v.cell(key), m.cell(key), "{key}");
        }
    }

    #[test]
    fn the_name_filter_hides_no_kept_column_and_finds_every_one() {
        // Every read column (and a suffixed form) alone, and all of them in
        // one row: each is found where kept, every other name is absent, and
        // a read column given twice is still refused whatever the filter's
        // bits share.
        let mut all = Vec::new();
        for (n, column) in READ_COLUMNS.iter().enumerate() {
            for name in [column.to_string(), format!("{column}_s")] {
                let line = format!(r#"{{"{name}":{n}}}"#);
                let v = RowView::parse(&line).unwrap();
                assert!(matches!(v.cell(&name), Cell::Number(_)), "{name}");
                for other in READ_COLUMNS.iter().filter(|c| **c != name) {
                    assert_eq!(v.cell(other), Cell::Absent, "{other} in {line}");
                }
                let twice = format!(r#"{{"{name}":1,"{name}":2}}"#);
                assert!(RowView::parse(&twice).is_err(), "{twice}");
            }
            all.push(format!(r#""{column}":{n}"#));
        }
        let line = format!("{{{}}}", all.join(","));
        let v = RowView::parse(&line).unwrap();
        for (n, column) in READ_COLUMNS.iter().enumerate() {
            assert_eq!(v.cell(column), Cell::Number(&n.into()), "{column}");
            assert_eq!(v.cell(&format!("{column}_s")), Cell::Absent);
        }
    }

    #[test]
    fn a_read_column_given_twice_is_an_error_naming_it() {
        let e = RowView::parse(r#"{"Type":"DnsEvents","Name":"a.estaliax.io","Name":"x.example"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("duplicate key `Name`"), "{e}");
        // A column no hunt reads may repeat: it is skipped either way.
        assert!(RowView::parse(r#"{"Other":1,"Other":2,"Name":"a"}"#).is_ok());
    }

    #[test]
    fn legacy_suffixed_columns_are_kept_apart_from_their_own_names() {
        let v = RowView::parse(r#"{"Name_s":"a.io","EventID_d":22,"Né":"x","é_s":1}"#).unwrap();
        assert_eq!(v.cell("Name_s"), Cell::Str("a.io"));
        assert_eq!(v.cell("Name"), Cell::Absent);
        assert!(matches!(v.cell("EventID_d"), Cell::Number(_)));
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn non_objects_and_bad_json_are_errors() {
        assert!(RowView::parse("[1]").is_err());
        assert!(RowView::parse(r#"{"Name": "x"#).is_err());
        assert!(RowView::parse(r#"{"Name": "x"} trailing"#).is_err());
    }
}
