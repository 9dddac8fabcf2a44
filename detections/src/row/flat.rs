//! The common JSON Lines row, read in one pass without serde: a flat object
//! whose values are strings, integers, booleans and nulls (what Sentinel,
//! Defender and flattened Sysmon exports write). Anything else (a nested value,
//! a `\u` escape, a fraction or exponent, a read column given twice, anything
//! malformed) is left to the full parser, which decides exactly as it always
//! has; where this reader gives a view, it is the view the full parser gives
//! (a property test checks the two agree).

use std::borrow::Cow;
use std::cell::RefCell;

use serde_json::Number;

use super::bytes::{next_quote, plain, stops};
use super::{slot, slot_of, Kept, RowView, Slot};

/// The column names of the last row this thread read, in order, each with
/// its slot: an export writes its columns in the same order row after row,
/// so a name is first compared with the one read at its place in the row
/// before (one comparison of its bytes), and looked up only when it differs.
/// Only names read without an escape are kept; what a row reads is the same
/// with or without them (a test reads rows in changing orders).
#[derive(Default)]
struct Layout {
    names: Vec<Name>,
}

/// A name in a [`Layout`]: its bytes, the words it is compared by, its slot.
struct Name {
    bytes: Box<[u8]>,
    /// Its first eight bytes (as many as it has), and the mask that keeps
    /// as many of a word's.
    first: u64,
    mask: u64,
    /// Its last eight bytes, when it has eight.
    last: u64,
    slot: Option<Slot>,
}

impl Name {
    fn new(bytes: &[u8], slot: Option<Slot>) -> Name {
        let len = bytes.len().min(8);
        Name {
            bytes: bytes.into(),
            first: super::head(bytes),
            mask: u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0),
            last: bytes
                .last_chunk::<8>()
                .map_or(0, |w| u64::from_le_bytes(*w)),
            slot,
        }
    }

    /// Whether `line`, from `start` (where the word `w` begins), holds this
    /// name and then its closing quote: a word at a time, the bytes between
    /// the first and last words (names longer than 16 bytes) compared whole.
    fn is_at(&self, line: &[u8], start: usize, w: u64) -> bool {
        let len = self.bytes.len();
        let end = start + len;
        let word = |at: usize| {
            line.get(at..at + 8)
                .map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
        };
        w & self.mask == self.first
            && line.get(end) == Some(&b'"')
            && (len <= 8
                || word(end - 8) == Some(self.last)
                    && (len <= 16 || line.get(start + 8..end - 8) == self.bytes.get(8..len - 8)))
    }
}

thread_local! {
    static LAYOUT: RefCell<Layout> = RefCell::default();
}

/// Read `line` as a flat object; `None` when the full parser must read it.
pub(super) fn view(line: &str) -> Option<RowView<'_>> {
    // `view_in` does not call `view`: the borrow is never taken twice.
    LAYOUT.with_borrow_mut(|layout| view_in(line, layout))
}

/// [`view`], comparing names with `layout`'s and leaving this row's there.
fn view_in<'a>(line: &'a str, layout: &mut Layout) -> Option<RowView<'a>> {
    let mut p = Flat {
        text: line,
        bytes: line.as_bytes(),
        at: 0,
    };
    let mut view = RowView {
        cells: Vec::with_capacity(16),
        names: 0,
    };
    p.space();
    p.eat(b'{')?;
    p.space();
    if p.peek() == Some(b'}') {
        p.at += 1;
    } else {
        let mut n = 0;
        loop {
            let key = p.key(n, layout)?;
            n += 1;
            p.space();
            p.eat(b':')?;
            p.space();
            match key {
                Some(i) => {
                    let kept = p.value()?;
                    if view.keeps(&i) {
                        return None;
                    }
                    view.push(i, kept);
                }
                None => p.skip_value()?,
            }
            p.space();
            match p.peek()? {
                b',' => {
                    p.at += 1;
                    p.space();
                }
                b'}' => {
                    p.at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    p.space();
    (p.at == p.bytes.len()).then_some(view)
}

struct Flat<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Flat<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    /// JSON's white space.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    fn value(&mut self) -> Option<Kept<'a>> {
        Some(match self.peek()? {
            b'"' => Kept::Str(self.string()?),
            b't' => {
                self.literal(b"true")?;
                Kept::Bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                Kept::Bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                Kept::Null
            }
            b'-' | b'0'..=b'9' => Kept::Number(self.integer()?),
            _ => return None,
        })
    }

    /// Pass over a value no hunt reads, checking it as [`Flat::value`] does
    /// without keeping it.
    fn skip_value(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return self.value().map(drop);
        }
        self.at += 1;
        loop {
            self.at += plain(&self.bytes[self.at..]);
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    unescape(*self.bytes.get(self.at + 1)?)?;
                    self.at += 2;
                }
                _ => return None,
            }
        }
    }

    /// An integer as serde_json reads it: unsigned when positive, signed when
    /// negative; `-0`, fractions, exponents and values out of range go to the
    /// full parser (serde_json makes them floats).
    fn integer(&mut self) -> Option<Number> {
        let negative = self.peek() == Some(b'-');
        self.at += usize::from(negative);
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        let digits = &self.bytes[start..self.at];
        if digits.is_empty() || (digits[0] == b'0' && digits.len() > 1) {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return None;
        }
        let mut n: u64 = 0;
        for &d in digits {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        if !negative {
            return Some(n.into());
        }
        match n {
            0 => None,
            n if n <= 1 << 63 => Some((0i64.wrapping_sub_unsigned(n)).into()),
            _ => None,
        }
    }

    /// The `n`th column name of the row, and the slot the view keeps it in
    /// (`None`: a column no hunt reads). The name read at the same place in
    /// the row before, if it is this one (the same bytes, then the closing
    /// quote), gives its slot at once. Else a name with no escape is read
    /// with its [`head`](super::head) from the word holding its first eight
    /// bytes, without a copy, and left in `layout`; any other is read as a
    /// [`Flat::string`].
    fn key(&mut self, n: usize, layout: &mut Layout) -> Option<Option<Slot>> {
        let start = self.at + 1;
        if self.peek()? != b'"' {
            return None;
        }
        let word = self
            .bytes
            .get(start..start + 8)
            .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
        if let (Some(name), Some(w)) = (layout.names.get(n), word) {
            if name.is_at(self.bytes, start, w) {
                self.at = start + name.bytes.len() + 1;
                return Some(name.slot);
            }
        }
        if let Some(w) = word {
            let flags = stops(w);
            let (end, head) = if flags == 0 {
                (start + 8 + plain(&self.bytes[start + 8..]), w)
            } else {
                let k = (flags.trailing_zeros() / 8) as usize;
                let head = match k {
                    0 => 0,
                    k => w & (u64::MAX >> (64 - 8 * k)),
                };
                (start + k, head)
            };
            if self.bytes.get(end) == Some(&b'"') {
                self.at = end + 1;
                let name = &self.bytes[start..end];
                let slot = slot_of(name, head);
                // Left at its place: the names after it are still compared.
                let name = Name::new(name, slot);
                match layout.names.get_mut(n) {
                    Some(kept) => *kept = name,
                    None => layout.names.push(name),
                }
                return Some(slot);
            }
        }
        let key = self.string()?;
        Some(slot(&key))
    }

    /// A string, borrowed from the line unless it holds an escape.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.at;
        self.at += plain(&self.bytes[start..]);
        match self.peek()? {
            b'"' => {
                let s = &self.text[start..self.at];
                self.at += 1;
                Some(Cow::Borrowed(s))
            }
            b'\\' => self.escaped(start),
            _ => None,
        }
    }

    /// The rest of a string that began at `start` and holds an escape at the
    /// reader's place. Kept out of line: most strings have none, and
    /// [`Flat::string`] stays small.
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Option<Cow<'a, str>> {
        // Room for the string up to the next quote (its end, unless an
        // escaped quote comes first): unescaping never lengthens it, so it
        // is not grown byte run by byte run.
        let next = next_quote(&self.bytes[self.at..]);
        let mut out = String::with_capacity(self.at - start + next);
        let mut run = start;
        loop {
            self.at += plain(&self.bytes[self.at..]);
            match *self.bytes.get(self.at)? {
                b'"' => {
                    out.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.at]);
                    out.push(unescape(*self.bytes.get(self.at + 1)?)?);
                    self.at += 2;
                    run = self.at;
                }
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
    }
}

/// The character a one-letter escape (`\n`, `\"`, ...) stands for; `None`
/// for `\u` (left to serde_json) and for what JSON does not allow.
fn unescape(b: u8) -> Option<char> {
    Some(match b {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The full parser's view, read with serde alone.
    fn full(line: &str) -> Option<RowView<'_>> {
        RowView::parse_full(line).ok()
    }

    #[test]
    fn flat_rows_read_as_the_full_parser_reads_them() {
        for line in [
            r#"{"Type":"DnsEvents","Name":"a.io","EventID":22,"X":null,"Y":true}"#,
            r#" { "Image" : "C:\\x\\a.exe" , "CommandLine":"a \"b\"\t/c" } "#,
            r#"{}"#,
            r#"{"EventID":-5,"Other":18446744073709551615,"Computer":"ws1"}"#,
            r#"{"EventID":-9223372036854775808}"#,
            r#"{"Name_s":"a","Other":1,"Other":2}"#,
            r#"{"":1,"Name":"a","Na\"me":2,"IndicatorThreatType":"x","QueryName":"q"}"#,
            r#"{"Na\\me":"a","Computer":"c","Computer_":"d","CommandLine":"e"}"#,
        ] {
            let fast = view(line).unwrap_or_else(|| panic!("reads: {line}"));
            assert_eq!(Some(fast), full(line), "{line}");
        }
    }

    #[test]
    fn a_row_reads_the_same_whatever_row_came_before() {
        let rows = [
            r#"{"Name":"a","Computer":"c","Other":1}"#,
            r#"{"Name":"a","Computer":"c","Other":1}"#,
            r#"{"Names":"a","Computer_s":"c","Othe":1}"#,
            r#"{"Nam":"a","Compute":"c"}"#,
            r#"{"Na\\me":"a","Name":"b","Computer":"c"}"#,
            // Names alike in their first and last eight bytes, a read
            // column and not: the last word, then the bytes between.
            r#"{"Computer_s":"a","InitiatingProcessFileName":"b","":1}"#,
            r#"{"Computer_x":"a","InitiatingXrocessFileName":"b","":2}"#,
            r#"{"Computer_s":"a","InitiatingProcessFileName":"b","Computer":"c"}"#,
            r#"{"Name":"b","Computer":"c","Name_s":"d"}"#,
            r#"{"Computer":"c","Name":"b"}"#,
            r#"{"Name":"a","Name":"b"}"#,
            r#"{"Name":"a","Computer":"c","Other":1}"#,
        ];
        // Each row after each other row, and after itself.
        for before in rows {
            for row in rows {
                let _ = view(before);
                assert_eq!(view(row), full(row), "{row} after {before}");
            }
        }
    }

    #[test]
    fn anything_else_is_left_to_the_full_parser() {
        for line in [
            r#"{"Name":"a","Name":"b"}"#,
            r#"{"A":{"b":1}}"#,
            r#"{"A":[1]}"#,
            r#"{"Name":"\u0041"}"#,
            r#"{"Other":"\u0041"}"#,
            r#"{"Other":"a\qb"}"#,
            r#"{"Name":"a\qb"}"#,
            "{\"Other\":\"a\u{1f}\"}",
            r#"{"EventID":1.0}"#,
            r#"{"EventID":1e3}"#,
            r#"{"EventID":-0}"#,
            r#"{"EventID":01}"#,
            r#"{"EventID":18446744073709551616}"#,
            r#"{"EventID":-9223372036854775809}"#,
            "{\"Name\":\"a\u{1}\"}",
            "{\"Na\u{1}me\":\"a\"}",
            "{\"QueryNa\u{1}me\":\"a\"}",
            r#"{"Name":"a",}"#,
            r#"{"Name":"a"} x"#,
            r#"{"Name":"a""#,
            r#"{"Name":tru}"#,
            r#"[1]"#,
            "",
        ] {
            assert!(view(line).is_none(), "{line}");
        }
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 ._\\\\\"/\u{e9}\u{1}]{0,12}"
                .prop_map(|s| serde_json::to_string(&s).unwrap()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            Just("-0".to_owned()),
            Just("1.5".to_owned()),
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("[1,{}]".to_owned()),
            Just(r#""\u00e9""#.to_owned()),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(super::super::READ_COLUMNS).prop_map(str::to_owned),
            Just("Name_s".to_owned()),
            "[A-Za-z_]{1,8}",
            "[A-Za-z_\\\\\"]{0,20}",
        ]
    }

    proptest! {
        #[test]
        fn the_fast_view_is_the_full_view(
            cells in proptest::collection::vec((key(), cell()), 0..8),
            ws in "[ \t]{0,2}",
            cut in 0usize..400,
        ) {
            let body: Vec<String> = cells
                .iter()
                .map(|(k, v)| format!("{ws}{}{ws}:{ws}{v}{ws}", serde_json::to_string(k).unwrap()))
                .collect();
            let line = format!("{ws}{{{}}}{ws}", body.join(","));
            // The whole line, twice (the second time its names are the
            // row before's), and the line cut short (malformed).
            let mut end = cut.min(line.len());
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            for text in [line.as_str(), line.as_str(), &line[..end]] {
                if let Some(fast) = view(text) {
                    prop_assert_eq!(Some(fast), full(text), "{}", text);
                }
            }
            // A plain flat line always takes the fast path.
            if cells.iter().all(|(_, v)| !v.contains(['[', '.']) && v != "-0" && !v.contains("\\u")) {
                let mut seen = std::collections::HashSet::new();
                let distinct = cells.iter().all(|(k, _)| slot(k).is_none_or(|s| seen.insert(s.index)));
                let fits = cells.iter().all(|(_, v)| v.parse::<f64>().is_err() || v.parse::<i64>().is_ok() || v.parse::<u64>().is_ok());
                if distinct && fits {
                    prop_assert!(view(&line).is_some(), "{}", line);
                }
            }
        }
    }
}
