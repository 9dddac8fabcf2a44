//! Literals: every value an export writes (an IOC, a path, a name) is escaped
//! for its language here, so that no value can leave its string.

use std::fmt::Write as _;

/// Whether a character is written as an escape rather than as itself: control
/// characters, and the characters YAML 1.1 or JavaScript read as line breaks.
fn must_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}')
}

/// A KQL string literal holding exactly `v`.
///
/// A value with a backslash and nothing else to escape is written verbatim
/// (`@"C:\Temp\"`, a quote doubled), so Windows paths read as written; every
/// other value is a quoted literal with `\\`, `\"`, `\n`, `\r`, `\t` and
/// `\uXXXX` escapes. The output never holds a raw line break.
pub fn kql_string(v: &str) -> String {
    if v.contains('\\') && !v.chars().any(must_escape) {
        return format!("@\"{}\"", v.replace('"', "\"\""));
    }
    quoted(v, |out, c| {
        let mut buf = [0u16; 2];
        for unit in c.encode_utf16(&mut buf) {
            let _ = write!(out, "\\u{unit:04x}");
        }
    })
}

/// A YAML double-quoted scalar holding exactly `v` (YAML 1.1 and 1.2 read it
/// alike): `\\`, `\"` and escapes for every control and line-break character.
pub fn yaml_string(v: &str) -> String {
    quoted(v, |out, c| {
        let _ = write!(out, "\\u{:04x}", c as u32);
    })
}

/// `v` in double quotes with the escapes KQL and YAML share (`\\`, `\"`,
/// `\n`, `\r`, `\t`); any other character that [`must_escape`] is written by
/// `unicode` (each language spells a code point its own way).
fn quoted(v: &str, unicode: impl Fn(&mut String, char)) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    out.push('"');
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if must_escape(c) => unicode(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML literal block (`|-`) of `text`, each line indented by `indent`
/// spaces. The caller's text holds no control character but line breaks (the
/// generated queries escape every value), which [`debug_assert!`] checks.
pub fn yaml_block(text: &str, indent: usize) -> String {
    debug_assert!(!text.chars().any(|c| c != '\n' && must_escape(c)));
    let pad = " ".repeat(indent);
    let mut out = String::from("|-\n");
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Text for a `//` comment line: line breaks and control characters replaced
/// by a space, so a value quoted in a comment cannot end the comment.
pub fn comment(v: &str) -> String {
    v.chars()
        .map(|c| if must_escape(c) { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kql_literals() {
        assert_eq!(kql_string("estaliax.io"), r#""estaliax.io""#);
        assert_eq!(kql_string(r"C:\Temp\"), r#"@"C:\Temp\""#);
        assert_eq!(kql_string(r#"C:\a "b""#), r#"@"C:\a ""b""""#);
        assert_eq!(kql_string("a\"b\nc\\"), r#""a\"b\nc\\""#);
        assert_eq!(kql_string("x\u{2028}y"), r#""x\u2028y""#);
    }

    #[test]
    fn yaml_scalars_and_blocks() {
        assert_eq!(yaml_string("a: \"b\"\n# c"), r#""a: \"b\"\n# c""#);
        assert_eq!(yaml_block("a\n| b", 4), "|-\n    a\n    | b");
        assert_eq!(comment("a\nb\u{2029}c"), "a b c");
    }
}
