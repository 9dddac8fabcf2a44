//! Limits on one row's shape, checked before the row is parsed: how deep a
//! JSON Lines line nests (`Options::max_depth`) and how long one field may be
//! (`Options::max_field`). The line or record as a whole is bounded by
//! `Options::max_record`, read through without being kept.
//!
//! The JSON check is one pass over the line's bytes, so a line nested 100,000
//! deep costs one step a byte and is rejected before any parser recurses into
//! it.

use super::error::Rejected;
use super::row::OwnedRow;

/// How deep a JSON Lines line may nest by default (objects and arrays). The
/// JSON parser's own bound is 128, so a larger limit acts as 128.
pub const MAX_DEPTH: usize = 64;
/// The longest field by default, in bytes: a JSON string (key or value) or a
/// CSV, EVTX or expanded `Event` cell.
pub const MAX_FIELD: usize = 256 << 10;

/// What one pass over a JSON line found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JsonShape {
    /// The deepest nesting of objects and arrays.
    pub depth: usize,
    /// The longest string, in bytes as written (escapes counted as written).
    pub longest: usize,
    /// Bytes looked at: the work done, one step a byte.
    pub steps: usize,
}

/// Measure a JSON line's nesting and its longest string in one pass, stopping
/// as soon as a limit is passed (malformed JSON is measured as far as it goes;
/// the parser reports it).
pub fn json_shape(text: &str, max_depth: usize, max_field: usize) -> (JsonShape, Option<String>) {
    let bytes = text.as_bytes();
    let mut shape = JsonShape::default();
    let mut depth = 0usize;
    let mut i = 0;
    // The last key read before the current position, for the message.
    let mut key: (usize, usize) = (0, 0);
    let mut last_string: (usize, usize) = (0, 0);
    while i < bytes.len() {
        shape.steps += 1;
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                shape.depth = shape.depth.max(depth);
                if depth > max_depth {
                    return (shape, None);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b':' => key = last_string,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    let step = if bytes[i] == b'\\' { 2 } else { 1 };
                    shape.steps += step;
                    i += step;
                }
                // The closing quote.
                shape.steps += usize::from(i < bytes.len());
                let end = i.min(bytes.len());
                last_string = (start, end);
                shape.longest = shape.longest.max(end - start);
                if end - start > max_field {
                    return (shape, Some(shown(text.get(key.0..key.1).unwrap_or(""))));
                }
            }
            _ => {}
        }
        i += 1;
    }
    (shape, None)
}

/// A field name for a message: at most 64 bytes of it.
fn shown(name: &str) -> String {
    if name.len() <= 64 {
        return name.to_owned();
    }
    let mut end = 64;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &name[..end])
}

/// Check a JSON Lines line against the depth and field limits.
pub fn check_json(text: &str, max_depth: usize, max_field: usize) -> Result<(), Rejected> {
    // No string is longer than the line, and no nesting deeper than its
    // opening brackets: most lines need no walk at all.
    let opening = memchr::memchr2_iter(b'{', b'[', text.as_bytes()).count();
    if text.len() <= max_field && opening <= max_depth {
        return Ok(());
    }
    check_by_walk(text, max_depth, max_field)
}

/// [`check_json`] by measuring the line.
fn check_by_walk(text: &str, max_depth: usize, max_field: usize) -> Result<(), Rejected> {
    let (shape, key) = json_shape(text, max_depth, max_field);
    if shape.depth > max_depth {
        return Err(Rejected::TooDeep { max: max_depth });
    }
    if shape.longest > max_field {
        return Err(Rejected::FieldTooLong {
            field: key.unwrap_or_default(),
            len: shape.longest as u64,
            max: max_field,
        });
    }
    Ok(())
}

/// Check a row's cells against the field limit.
pub(crate) fn check_row(row: &OwnedRow, max_field: usize) -> Result<(), Rejected> {
    match row.iter().find(|(_, v)| v.len() > max_field) {
        None => Ok(()),
        Some((k, v)) => Err(Rejected::FieldTooLong {
            field: shown(k),
            len: v.len() as u64,
            max: max_field,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortcut_decides_as_the_walk() {
        let lines = [
            r#"{"a":"bcdef","b":[1,[2]]}"#,
            r#"{"a":"[[[[","b":{"c":{}}}"#,
            r#"{"CommandLine":"0123456789"}"#,
            r#"[[[[]]]]"#,
            r#"{"a":"bcd"#,
            "",
        ];
        for line in lines {
            for depth in 0..6 {
                for field in [0, 4, 5, 10, 11, 40] {
                    assert_eq!(
                        check_json(line, depth, field),
                        check_by_walk(line, depth, field),
                        "{line} {depth} {field}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_line_nested_100000_deep_is_rejected_after_the_limit_bytes() {
        let line = "[".repeat(100_000) + &"]".repeat(100_000);
        let (shape, _) = json_shape(&line, MAX_DEPTH, MAX_FIELD);
        assert_eq!(shape.depth, MAX_DEPTH + 1);
        assert_eq!(
            shape.steps,
            MAX_DEPTH + 1,
            "stops at the first byte past the limit"
        );
        assert_eq!(
            check_json(&line, MAX_DEPTH, MAX_FIELD),
            Err(Rejected::TooDeep { max: MAX_DEPTH })
        );
    }

    #[test]
    fn brackets_and_escaped_quotes_inside_strings_do_not_count() {
        let line = r#"{"Name":"[[[{{{\"]]]","A":[{"B":1}]}"#;
        let (shape, _) = json_shape(line, 3, 100);
        assert_eq!(shape.depth, 3);
        assert_eq!(shape.longest, r#"[[[{{{\"]]]"#.len());
        assert_eq!(shape.steps, line.len(), "one step a byte");
        assert_eq!(check_json(line, 2, 100), Err(Rejected::TooDeep { max: 2 }));
        assert_eq!(check_json(line, 3, 100), Ok(()));
    }

    #[test]
    fn a_long_field_is_named_by_its_key() {
        let line = format!(r#"{{"Computer":"h","CommandLine":"{}"}}"#, "a".repeat(50));
        assert_eq!(
            check_json(&line, 8, 49),
            Err(Rejected::FieldTooLong {
                field: "CommandLine".into(),
                len: 50,
                max: 49
            })
        );
        assert_eq!(check_json(&line, 8, 50), Ok(()));
    }

    #[test]
    fn an_unterminated_string_is_measured_to_the_end() {
        let (shape, _) = json_shape(r#"{"a":"bcd\"#, 8, 100);
        assert_eq!(shape.longest, 4);
    }
}
