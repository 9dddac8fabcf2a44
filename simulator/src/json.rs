//! Writing records as JSON Lines without building `serde_json` values: each
//! column straight into the caller's reused buffer, byte for byte what
//! `serde_json::to_writer` writes for the same row (compact, keys in the row's
//! order, strings escaped as `serde_json` escapes them).

use serde_json::Value;

use crate::record::{Label, Table};
use crate::row::Row;

/// Append `row` as one compact JSON object (no newline) to `out`.
pub fn write_row(row: &Row, out: &mut Vec<u8>) {
    write_object(row.iter(), out);
}

/// Append the columns of `cols` as one compact JSON object.
fn write_object<'k, 'v>(cols: impl Iterator<Item = (&'k str, &'v Value)>, out: &mut Vec<u8>) {
    out.push(b'{');
    let mut first = true;
    for (k, v) in cols {
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(k, out);
        out.push(b':');
        write_value(v, out);
    }
    out.push(b'}');
}

/// The compact JSON object of these text columns, in their order: what
/// `serde_json` writes for a `Value::Object` of them (a column holding JSON
/// text, as Defender's `AdditionalFields`).
pub fn text_object(cols: &[(&str, &str)]) -> String {
    let mut out = Vec::with_capacity(
        2 + cols
            .iter()
            .map(|(k, v)| k.len() + v.len() + 6)
            .sum::<usize>(),
    );
    out.push(b'{');
    for (i, (k, v)) in cols.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(k, &mut out);
        out.push(b':');
        write_str(v, &mut out);
    }
    out.push(b'}');
    text(out)
}

/// The compact JSON array of these strings: what `serde_json` writes for
/// a `Value::Array` of them.
pub fn text_array(items: &[&str]) -> String {
    let mut out = Vec::with_capacity(2 + items.iter().map(|s| s.len() + 3).sum::<usize>());
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(item, &mut out);
    }
    out.push(b']');
    text(out)
}

/// JSON text written from `str`s: UTF-8, so the lossy reading never replaces.
pub(crate) fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Append the label line `simulate` writes beside a row: its table, its line
/// in that table's file (from 1), its time and its ground truth.
pub fn write_label(table: Table, line: u64, time_ms: i64, label: &Label, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"table\":");
    write_str(table.name(), out);
    out.extend_from_slice(b",\"line\":");
    out.extend_from_slice(itoa::Buffer::new().format(line).as_bytes());
    out.extend_from_slice(b",\"time_ms\":");
    out.extend_from_slice(itoa::Buffer::new().format(time_ms).as_bytes());
    out.extend_from_slice(b",\"scenario\":");
    write_str(&label.scenario, out);
    out.extend_from_slice(b",\"malicious\":");
    out.extend_from_slice(if label.malicious { b"true" } else { b"false" });
    out.extend_from_slice(b",\"step\":");
    write_str(&label.step, out);
    out.extend_from_slice(b",\"host\":");
    write_str(&label.host, out);
    out.push(b'}');
}

fn write_value(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::String(s) => write_str(s, out),
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) if n.is_u64() || n.is_i64() => {
            let mut buf = itoa::Buffer::new();
            let s = match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => buf.format(u),
                (None, Some(i)) => buf.format(i),
                (None, None) => unreachable!("checked integer"),
            };
            out.extend_from_slice(s.as_bytes());
        }
        Value::Object(m) => write_object(m.iter().map(|(k, v)| (k.as_str(), v)), out),
        // Floats and arrays: serde_json's own writer (no generated row has
        // them in a hot path; writing into a Vec cannot fail).
        other => serde_json::to_writer(&mut *out, other).unwrap_or_default(),
    }
}

/// `s` as a JSON string, escaped as `serde_json` escapes it: `"`, `\` and the
/// control characters below U+0020 (`\b \t \n \f \r` by name, the rest as
/// `\u00xx`); everything else, non-ASCII included, as it is.
pub fn write_str(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        i += clean_prefix(&bytes[i..]);
        let Some(&b) = bytes.get(i) else { break };
        out.extend_from_slice(&bytes[start..i]);
        i += 1;
        start = i;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0a => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x0d => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// How many leading bytes of `b` need no escaping: eight at a time (a byte is
/// below 0x20, `"` or `\`, found with word arithmetic), the last few as the
/// word of the last eight (a text shorter than a word byte by byte). The
/// lowest flagged byte of a word is exact (a borrow only flags bytes above
/// the one it starts at), so the count is read from the flags, not found
/// again byte by byte.
fn clean_prefix(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes with the high bit set (UTF-8 continuation and lead bytes) never
    // need escaping: `!w & HIGH` keeps them out of every test.
    let special = |w: u64| {
        let below_space = w.wrapping_sub(ONES * 0x20);
        let quote = (w ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
        let backslash = (w ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
        (below_space | quote | backslash) & !w & HIGH
    };
    let at = |n: usize, flags: u64| n + (flags.trailing_zeros() / 8) as usize;
    let mut n = 0;
    for chunk in b.chunks_exact(8) {
        let flags = special(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        if flags != 0 {
            return at(n, flags);
        }
        n += 8;
    }
    if n == b.len() {
        return n;
    }
    match b.last_chunk::<8>() {
        // The last eight bytes, read again where they overlap the words
        // already read: those bytes are clean, and a flag never falls below
        // the byte it starts at, so the lowest flag is still exact.
        Some(last) => match special(u64::from_le_bytes(*last)) {
            0 => b.len(),
            flags => at(b.len() - 8, flags),
        },
        None => b
            .iter()
            .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
            .unwrap_or(b.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    proptest::proptest! {
        /// A text object is the text `serde_json` writes for the object.
        #[test]
        fn a_text_object_is_serde_jsons_text(
            cols in proptest::collection::vec(("[A-Za-z]{1,8}", "(.|[\"\\\\\u{0}-\u{1f}]){0,12}"), 0..4),
        ) {
            let mut map = serde_json::Map::new();
            let mut seen = std::collections::HashSet::new();
            let cols: Vec<(&str, &str)> = cols
                .iter()
                .filter(|(k, _)| seen.insert(k.clone()))
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            for (k, v) in &cols {
                map.insert((*k).to_owned(), Value::from(*v));
            }
            proptest::prop_assert_eq!(text_object(&cols), Value::Object(map).to_string());
        }

        /// A text array is the text `serde_json` writes for the array.
        #[test]
        fn a_text_array_is_serde_jsons_text(items in proptest::collection::vec(".{0,8}", 0..4)) {
            let refs: Vec<&str> = items.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(text_array(&refs), json!(items).to_string());
        }
    }

    fn same(v: Value) {
        let Value::Object(m) = v else {
            panic!("object")
        };
        let mut ours = Vec::new();
        write_object(m.iter().map(|(k, v)| (k.as_str(), v)), &mut ours);
        let theirs = serde_json::to_vec(&m).expect("serializes");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn rows_are_the_bytes_serde_json_writes() {
        let mut every_byte = String::new();
        for c in 0u8..0x80 {
            every_byte.push(char::from(c));
        }
        same(json!({
            "@timestamp": "2026-05-21T10:00:00.123Z",
            "CommandLine": "\"C:\\Windows\\cmd.exe\" /c echo \u{7f}é\u{2028}😀",
            "controls": every_byte,
            "k\"ey\n": -42,
            "big": u64::MAX,
            "min": i64::MIN,
            "zero": 0,
            "t": true,
            "f": false,
            "n": null,
            "float": 1.5,
            "list": [1, "a\"b", null],
            "nested": {"a": {"b": "c\\d"}},
            "": ""
        }));
        same(json!({}));
        let mut row = Row::with_capacity(3);
        row.insert("Name", "a\"b".into());
        row.insert("EventID", 22.into());
        row.insert("Nested", json!({"x": [1, null]}));
        let mut ours = Vec::new();
        write_row(&row, &mut ours);
        assert_eq!(ours, serde_json::to_vec(&row.to_map()).expect("serializes"));
    }

    #[test]
    fn labels_are_the_bytes_of_the_label_object() {
        let label = Label {
            scenario: "sc\"en".into(),
            malicious: true,
            step: "c2-lookup".into(),
            host: "WS-01\\x".into(),
        };
        let mut ours = Vec::new();
        write_label(Table::SysmonEvents, 7, -3, &label, &mut ours);
        let theirs = serde_json::to_vec(&json!({
            "table": "SysmonEvents",
            "line": 7,
            "time_ms": -3,
            "scenario": "sc\"en",
            "malicious": true,
            "step": "c2-lookup",
            "host": "WS-01\\x",
        }))
        .expect("serializes");
        assert_eq!(ours, theirs);
    }

    proptest::proptest! {
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(
            s in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f]){0,40}"
        ) {
            let mut ours = Vec::new();
            write_str(&s, &mut ours);
            proptest::prop_assert_eq!(ours, serde_json::to_vec(&s).expect("serializes"));
        }

        /// The clean prefix ends at the first byte below 0x20, quote or
        /// backslash, wherever it falls in a word or in the last word read again.
        #[test]
        fn the_clean_prefix_ends_at_the_first_byte_to_escape(
            b in proptest::collection::vec(
                proptest::prop_oneof![
                    1 => proptest::strategy::Just(b'"'),
                    1 => proptest::strategy::Just(b'\\'),
                    1 => 0u8..0x20,
                    30 => 0x20u8..=0xff,
                ],
                0..40,
            ),
        ) {
            let want = b
                .iter()
                .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
                .unwrap_or(b.len());
            proptest::prop_assert_eq!(clean_prefix(&b), want);
        }
    }
}
