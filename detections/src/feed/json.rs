//! What the JSON formats share. Line numbers for values: `serde_json` gives
//! none, so [`value_lines`] walks the text once more and records the line where
//! the value of each key of interest starts, keyed by its JSON pointer (RFC
//! 6901), the same pointer the format readers build with [`child`] as they walk
//! the parsed value. And the text of a value, and a short form of one for
//! diagnostics.

use std::collections::HashMap;

use serde_json::Value;

use super::Location;

/// A value as text: strings as they are, numbers and booleans written out,
/// arrays of these joined with `,`; `null` is none.
pub fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(text_of)
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => Some(other.to_string()),
    }
}

/// A value as compact JSON, cut to at most 120 characters, for diagnostics
/// about entries of the wrong shape.
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(120) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

/// The location of the entry at `path`, with the line of its member `key`
/// when `lines` has it.
pub fn locate(lines: &HashMap<String, u64>, path: String, key: &str) -> Location {
    Location {
        line: lines.get(&child(&path, key)).copied(),
        path: Some(path),
    }
}

/// `base` extended by one key or index, escaped as JSON pointers require.
pub fn child(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

enum Frame {
    /// An object, and the key whose value comes next (none while a key is due).
    Object(Option<String>),
    /// An array, and the index of the next element.
    Array(usize),
}

/// The 1-based line where the value of every member named in `keys` starts,
/// keyed by the member's JSON pointer. Meant for text `serde_json` accepted; on
/// other text it returns what it found, without panicking.
pub fn value_lines(text: &str, keys: &[&str]) -> HashMap<String, u64> {
    let b = text.as_bytes();
    let mut found = HashMap::new();
    let mut frames: Vec<Frame> = Vec::new();
    // The pointer of each open container below the root.
    let mut path: Vec<String> = Vec::new();
    let mut line = 1u64;
    let mut i = 0;
    // The pointer of the value that starts now, if it is one of interest; and
    // its own segment, if it sits in a container.
    let starts = |frames: &[Frame], path: &[String]| -> (Option<String>, Option<String>) {
        let base = path.last().map_or("", String::as_str);
        match frames.last() {
            Some(Frame::Object(Some(k))) => {
                let p = child(base, k);
                (keys.contains(&k.as_str()).then(|| p.clone()), Some(p))
            }
            Some(Frame::Array(n)) => (None, Some(child(base, &n.to_string()))),
            _ => (None, None),
        }
    };
    let done = |frames: &mut [Frame]| match frames.last_mut() {
        Some(Frame::Object(k)) => *k = None,
        Some(Frame::Array(n)) => *n += 1,
        None => {}
    };
    while i < b.len() {
        match b[i] {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'{' | b'[' => {
                let (hit, own) = starts(&frames, &path);
                if let Some(p) = hit {
                    found.insert(p, line);
                }
                if let Some(p) = own {
                    path.push(p);
                } else if !frames.is_empty() {
                    path.push(String::new());
                }
                frames.push(if b[i] == b'{' {
                    Frame::Object(None)
                } else {
                    Frame::Array(0)
                });
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                if !frames.is_empty() {
                    path.pop();
                }
                done(&mut frames);
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                let raw = &text[start..i];
                if let Some(Frame::Object(k @ None)) = frames.last_mut() {
                    *k = Some(serde_json::from_str(raw).unwrap_or_else(|_| raw.to_owned()));
                } else {
                    if let (Some(p), _) = starts(&frames, &path) {
                        found.insert(p, line);
                    }
                    done(&mut frames);
                }
            }
            b',' | b':' | b' ' | b'\t' | b'\r' => i += 1,
            _ => {
                if let (Some(p), _) = starts(&frames, &path) {
                    found.insert(p, line);
                }
                while i < b.len() && !b",]} \t\r\n".contains(&b[i]) {
                    i += 1;
                }
                done(&mut frames);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_line_of_each_value_of_interest() {
        let text = "{\"a\": [\n {\"value\": \"x\"},\n {\"n\": 1,\n  \"value\":\n 2}],\n \"b/~\": {\"value\": [\"y\"]}}";
        let lines = value_lines(text, &["value"]);
        assert_eq!(lines.get("/a/0/value"), Some(&2));
        assert_eq!(lines.get("/a/1/value"), Some(&5));
        assert_eq!(lines.get("/b~1~0/value"), Some(&6));
        assert_eq!(lines.len(), 3);
        assert_eq!(child(&child("", "a"), "0"), "/a/0");
    }

    #[test]
    fn escaped_quotes_and_unicode_keys() {
        let text = "[{\"k\\\"\": \"a\\\"b\", \"val\\u0075e\": \"v\"}]";
        assert_eq!(value_lines(text, &["value"]).get("/0/value"), Some(&1));
    }

    #[test]
    fn odd_text_does_not_panic() {
        for t in [
            "",
            "}",
            "]]]",
            "{\"a\":",
            "\"",
            "\"\\",
            "{\"value\"",
            "[1,{\"value\":]",
        ] {
            value_lines(t, &["value"]);
        }
    }
}
