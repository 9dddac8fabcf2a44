//! Bytes to text: a UTF-8 byte-order mark skipped, UTF-16 with a byte-order mark
//! decoded (PowerShell 5 writes it), anything else that is not UTF-8 an error
//! naming the line.

use std::borrow::Cow;

use super::FeedError;

/// The text of a feed, and a note when it was not plain UTF-8.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), FeedError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return utf8(rest).map(|t| (Cow::Borrowed(t), None));
    }
    let utf16 = |big: bool, rest: &[u8]| -> Result<_, FeedError> {
        let text = utf16(rest, big)?;
        let which = if big { "big" } else { "little" };
        Ok((
            Cow::Owned(text),
            Some(format!(
                "decoded from UTF-16 ({which}-endian, byte-order mark)"
            )),
        ))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(false, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(true, rest);
    }
    utf8(bytes).map(|t| (Cow::Borrowed(t), None))
}

fn utf8(bytes: &[u8]) -> Result<&str, FeedError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        FeedError::InvalidUtf8 {
            line: line_of(good),
            byte: good.len() - line_start + 1,
        }
    })
}

fn line_of(before: &[u8]) -> u64 {
    before.iter().filter(|b| **b == b'\n').count() as u64 + 1
}

fn utf16(bytes: &[u8], big: bool) -> Result<String, FeedError> {
    let units = bytes.chunks(2).map(|c| match (c, big) {
        ([a, b], false) => u16::from_le_bytes([*a, *b]),
        ([a, b], true) => u16::from_be_bytes([*a, *b]),
        // An odd last byte: not UTF-16.
        _ => 0xdc00,
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(FeedError::InvalidUtf16 {
                    line: line_of(out.as_bytes()),
                })
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_line_of_invalid_utf8() {
        assert_eq!(
            decode(b"a.io\nb\xffc.io\n").unwrap_err(),
            FeedError::InvalidUtf8 { line: 2, byte: 2 }
        );
    }

    #[test]
    fn skips_a_bom_and_decodes_utf16() {
        assert_eq!(decode(b"\xef\xbb\xbfa.io").unwrap().0, "a.io");
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("a.io\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (t, note) = decode(&le).unwrap();
        assert_eq!(t, "a.io\n");
        assert!(note.is_some());
        assert_eq!(
            decode(b"\xff\xfea\x00\n\x00b").unwrap_err(),
            FeedError::InvalidUtf16 { line: 2 }
        );
    }
}
