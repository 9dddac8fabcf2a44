//! Escaping for every output format. Strings that came from telemetry (DNS names,
//! command lines, paths) are attacker-controlled: they pass through one of these
//! before they reach a report.

/// Escape for HTML text and attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    html_to(s, &mut out);
    out
}

/// Text from telemetry or a scenario file in a `maud` template, escaped with
/// [`html`] (which also makes control characters visible). Any other string a
/// template splices in is escaped by `maud` itself, so nothing reaches a page
/// unescaped; this wrapper adds the visible control characters and `'`.
#[derive(Debug, Clone, Copy)]
pub struct Html<'a>(pub &'a str);

impl maud::Render for Html<'_> {
    fn render_to(&self, buffer: &mut String) {
        html_to(self.0, buffer);
    }
}

fn html_to(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
}

/// Escape for a Markdown table cell or inline text, escaping only what Markdown
/// would read as markup there, so a value reads as itself in the file too: `|`
/// (it would end the cell), `[` `]` (links and images), `` ` `` (code), `*` and
/// `~` (emphasis), `_` where it does not sit between two word characters (GFM
/// ignores intraword `_`), a backslash before punctuation (it would escape it),
/// `<` `>` `&` as entities (inline HTML), line breaks as spaces, and control
/// characters made visible. A value can neither break the table nor inject markup
/// or links; a Windows path keeps its single backslashes.
pub fn markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '|' | '[' | ']' | '`' | '*' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push_str("\\\\")
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// One CSV cell: quoted when it holds a comma, a quote or a line break, and
/// neutralised against formula injection (a spreadsheet runs a cell starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so such a
/// cell gets a leading `'`, as OWASP recommends).
pub fn csv_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if risky { format!("'{s}") } else { s.to_owned() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Make a string safe for a terminal: control characters (escape sequences,
/// carriage returns, bells) are shown as `\u{..}` instead of being sent.
pub fn terminal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || ('\u{80}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// JSON text safe to print on a terminal: serde_json escapes C0 controls but
/// writes C1 controls (U+0080 to U+009F, among them the 8-bit CSI) and the line
/// and paragraph separators raw; they are written as `\u` escapes here. Outside
/// strings JSON text holds none of them, so the value read back is the same.
pub fn json_text(v: &impl std::fmt::Display) -> String {
    safe_json(v.to_string())
}

/// [`json_text`] for JSON already written.
pub fn safe_json(text: String) -> String {
    // C1 controls are 0xC2 0x80-0x9F in UTF-8, the separators 0xE2 0x80 0xA8-0xA9:
    // text with neither lead byte needs no look at its characters.
    if memchr::memchr2(0xC2, 0xE2, text.as_bytes()).is_none() {
        return text;
    }
    if !text
        .chars()
        .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{2028}' || c == '\u{2029}')
    {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{2028}' || c == '\u{2029}' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_escapes_c1_controls_and_reads_back_the_same() {
        let v = serde_json::json!({"a": "x\u{9b}2J\u{1b}[31m\u{2028}y", "b": ["\u{85}"]});
        let text = json_text(&v);
        assert!(!text.chars().any(|c| c.is_control()), "{text}");
        assert!(text.contains("\\u009b2J"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
        assert_eq!(html("a\u{1b}b"), "a\\u{1b}b");
    }

    #[test]
    fn html_in_a_template_is_escaped_once() {
        let page = maud::html! { p title=(Html("'\"")) { (Html("<b>\u{1b}")) } };
        assert_eq!(
            page.into_string(),
            "<p title=\"&#39;&quot;\">&lt;b&gt;\\u{1b}</p>"
        );
    }

    #[test]
    fn markdown_cannot_break_a_table_or_link() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(markdown("![i](http://e)"), "!\\[i\\](http://e)");
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown("a\nb"), "a b");
        assert_eq!(markdown("`x` *y* ~~z~~"), "\\`x\\` \\*y\\* \\~\\~z\\~\\~");
        // A backslash before the cell's pipe cannot escape the escape.
        assert_eq!(markdown("a\\|b"), "a\\\\\\|b");
    }

    #[test]
    fn markdown_leaves_what_is_not_markup_alone() {
        assert_eq!(
            markdown(r"C:\Windows\Temp\update_package\nanocore.dll (x86)"),
            r"C:\Windows\Temp\update_package\nanocore.dll (x86)"
        );
        assert_eq!(
            markdown("_ldap._tcp.estaliax.io"),
            r"\_ldap.\_tcp.estaliax.io"
        );
        assert_eq!(markdown("no-match: a.b, c!"), "no-match: a.b, c!");
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
        assert_eq!(csv_cell("=a,b"), "\"'=a,b\"");
    }

    #[test]
    fn terminal_neutralises_escape_sequences() {
        assert_eq!(terminal("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(terminal("a\rb"), "a\\u{d}b");
    }
}
