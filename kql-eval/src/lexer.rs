//! Splits query text into tokens, each with its line and column. `//` comments
//! and white space are dropped. Literals Kusto has but the evaluator does not
//! read (timespans, hexadecimal numbers, multi-line strings) are errors here.

use super::error::{Error, Pos};

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or keyword (`where`, `Name`, `$left`).
    Ident(String),
    /// A string literal, decoded.
    Str(String),
    /// An integer literal.
    Long(i64),
    /// A real literal.
    Real(f64),
    /// The text between the parentheses of `datetime(...)`.
    DateTime(String),
    /// A timespan literal (`1h`, `14d`, `30m`, `1.5s`, `100ms`), in 100 ns ticks.
    TimeSpan(i64),
    /// Punctuation or an operator (`|`, `==`, `=~`, `!`).
    Punct(&'static str),
    /// The end of the text.
    Eof,
}

/// A token with where it starts and its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The kind.
    pub tok: Tok,
    /// Line and column of its first character.
    pub pos: Pos,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

const PUNCT2: [&str; 8] = ["==", "!=", "<>", "<=", ">=", "=~", "!~", "=>"];
const PUNCT1: [&str; 21] = [
    "|", "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "=", "<", ">", "!", "~", "-", "+", "*",
    "/", "%",
];

struct Lexer<'a> {
    src: &'a str,
    i: usize,
    line: u32,
    column: u32,
}

/// Split `src` into tokens, ending with [`Tok::Eof`].
pub fn lex(src: &str) -> Result<Vec<Token>, Error> {
    let mut lx = Lexer {
        src,
        i: 0,
        line: 1,
        column: 1,
    };
    // About a token for every four bytes of an exported query: room for
    // them at once, not grown (and moved) token by token; a longer text
    // grows as it is read.
    let mut out = Vec::with_capacity((src.len() / 4 + 1).min(4096));
    loop {
        lx.skip_blank();
        let (pos, start) = (lx.pos(), lx.i);
        let tok = match lx.peek() {
            None => {
                out.push(Token {
                    tok: Tok::Eof,
                    pos,
                    start,
                    end: start,
                });
                return Ok(out);
            }
            Some(c) => lx.token(c, pos)?,
        };
        out.push(Token {
            tok,
            pos,
            start,
            end: lx.i,
        });
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    /// The next character: an ASCII byte is one without decoding.
    fn peek(&self) -> Option<char> {
        match self.src.as_bytes().get(self.i) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.src[self.i..].chars().next(),
            None => None,
        }
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        match self.src.as_bytes().get(self.i..=self.i + n) {
            Some(ahead) if ahead.is_ascii() => Some(char::from(ahead[n])),
            _ => self.src[self.i..].chars().nth(n),
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn skip_blank(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') if self.peek_at(1) == Some('/') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    fn token(&mut self, c: char, pos: Pos) -> Result<Tok, Error> {
        if c == '@' && matches!(self.peek_at(1), Some('"' | '\'')) {
            self.bump();
            return self.string(pos, true);
        }
        if matches!(c, 'h' | 'H') {
            // Obfuscated string literals: h"..." and h@"...".
            match (self.peek_at(1), self.peek_at(2)) {
                (Some('"' | '\''), _) => {
                    self.bump();
                    return self.string(pos, false);
                }
                (Some('@'), Some('"' | '\'')) => {
                    self.bump();
                    self.bump();
                    return self.string(pos, true);
                }
                _ => {}
            }
        }
        if c == '`' && self.src[self.i..].starts_with("```") {
            return Err(Error::unsupported(pos, "``` multi-line string literal"));
        }
        if c == '"' || c == '\'' {
            return self.string(pos, false);
        }
        if c.is_ascii_digit() {
            return self.number(pos);
        }
        if is_ident_start(c) || (c == '$' && self.peek_at(1).is_some_and(is_ident_start)) {
            let start = self.i;
            self.bump();
            while self.peek().is_some_and(is_ident_char) {
                self.bump();
            }
            let name = &self.src[start..self.i];
            if name == "datetime" {
                if let Some(raw) = self.datetime_body(pos)? {
                    return Ok(Tok::DateTime(raw));
                }
            }
            return Ok(Tok::Ident(name.to_owned()));
        }
        let rest = &self.src.as_bytes()[self.i..];
        let two = rest
            .get(..2)
            .and_then(|t| PUNCT2.iter().find(|p| p.as_bytes() == t));
        let punct = two.or_else(|| PUNCT1.iter().find(|p| p.as_bytes()[0] == rest[0]));
        if let Some(p) = punct {
            // Punctuation is ASCII, and never a line's end.
            self.i += p.len();
            self.column = self.column.saturating_add(p.len() as u32);
            return Ok(Tok::Punct(p));
        }
        Err(Error::syntax(pos, format!("unexpected character {c:?}")))
    }

    /// After `datetime`: if `(` follows, the raw text up to `)`.
    fn datetime_body(&mut self, pos: Pos) -> Result<Option<String>, Error> {
        let rest = &self.src[self.i..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if !trimmed.starts_with('(') {
            return Ok(None);
        }
        while self.peek() != Some('(') {
            self.bump();
        }
        self.bump();
        let start = self.i;
        loop {
            match self.bump() {
                None => return Err(Error::syntax(pos, "unterminated datetime(...)")),
                Some(')') => return Ok(Some(self.src[start..self.i - 1].trim().to_owned())),
                Some(_) => {}
            }
        }
    }

    /// A string literal; `verbatim` (`@"..."`) has no escapes and doubles the
    /// quote to write one.
    fn string(&mut self, pos: Pos, verbatim: bool) -> Result<Tok, Error> {
        let quote = self.bump().unwrap_or('"');
        let mut s = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(Error::syntax(pos, "unterminated string literal")),
                Some(c) if c == quote => {
                    if !(verbatim && self.peek() == Some(quote)) {
                        return Ok(Tok::Str(s));
                    }
                    self.bump();
                    s.push(quote);
                }
                Some('\\') if !verbatim => s.push(self.escape(pos)?),
                Some(c) => s.push(c),
            }
        }
    }

    /// The character of an escape sequence, after its backslash.
    fn escape(&mut self, pos: Pos) -> Result<char, Error> {
        let esc_pos = self.pos();
        Ok(match self.bump() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('0') => '\0',
            Some(c @ ('\\' | '"' | '\'')) => c,
            Some('u') => self.unicode_escape(esc_pos)?,
            Some(c) => {
                return Err(Error::syntax(
                    esc_pos,
                    format!("unknown escape sequence \\{c} (write \\\\ for a backslash, or use a verbatim @\"...\" string)"),
                ))
            }
            None => return Err(Error::syntax(pos, "unterminated string literal")),
        })
    }

    fn unicode_escape(&mut self, pos: Pos) -> Result<char, Error> {
        let hex: String = (0..4).filter_map(|_| self.bump()).collect();
        u32::from_str_radix(&hex, 16)
            .ok()
            .filter(|_| hex.len() == 4)
            .and_then(char::from_u32)
            .ok_or_else(|| Error::syntax(pos, format!("bad \\u escape \\u{hex}")))
    }

    fn number(&mut self, pos: Pos) -> Result<Tok, Error> {
        let start = self.i;
        if self.src[self.i..].starts_with("0x") || self.src[self.i..].starts_with("0X") {
            return Err(Error::unsupported(pos, "hexadecimal literal"));
        }
        let digits = |lx: &mut Self| {
            while lx.peek().is_some_and(|c| c.is_ascii_digit()) {
                lx.bump();
            }
        };
        digits(self);
        let mut real = false;
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            real = true;
            self.bump();
            digits(self);
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                real = true;
                for _ in 0..=sign {
                    self.bump();
                }
                digits(self);
            }
        }
        let number_end = self.i;
        if self.peek().is_some_and(is_ident_char) {
            while self.peek().is_some_and(is_ident_char) {
                self.bump();
            }
            let (number, unit) = (&self.src[start..number_end], &self.src[number_end..self.i]);
            return timespan(number, unit).map(Tok::TimeSpan).ok_or_else(|| {
                Error::unsupported_because(
                    pos,
                    format!("timespan literal {number}{unit}"),
                    "the evaluator reads timespans in d, h, m, s, ms, microsecond and tick",
                )
            });
        }
        let text = &self.src[start..self.i];
        if real {
            text.parse()
                .ok()
                .filter(|r: &f64| r.is_finite())
                .map(Tok::Real)
                .ok_or(())
                .map_err(|_| Error::syntax(pos, format!("bad number {text}")))
        } else {
            text.parse()
                .map(Tok::Long)
                .map_err(|_| Error::syntax(pos, format!("integer {text} does not fit in a long")))
        }
    }
}

/// The ticks (100 ns) of a timespan literal: a whole or decimal number and
/// one of Kusto's units; `None` for another unit, or one too long for a long.
fn timespan(number: &str, unit: &str) -> Option<i64> {
    let ticks: i64 = match unit {
        "d" | "day" | "days" => 864_000_000_000,
        "h" | "hr" | "hrs" | "hour" | "hours" => 36_000_000_000,
        "m" | "min" | "minute" | "minutes" => 600_000_000,
        "s" | "sec" | "second" | "seconds" => 10_000_000,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 10_000,
        "microsecond" | "microseconds" => 10,
        "tick" | "ticks" => 1,
        _ => return None,
    };
    match number.split_once('.') {
        None => number.parse::<i64>().ok()?.checked_mul(ticks),
        Some((whole, frac)) => {
            // Decimal digits, exactly: 1.5h is 1h and 5/10 of an hour.
            let whole = whole.parse::<i64>().ok()?.checked_mul(ticks)?;
            let digits = u32::try_from(frac.len()).ok().filter(|&d| d <= 18)?;
            let frac: i128 = frac.parse().ok()?;
            let part = frac * i128::from(ticks) / 10i128.pow(digits);
            whole.checked_add(i64::try_from(part).ok()?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn tokens_and_positions() {
        let t = lex("T\n| where  Name =~ 'a' // note\n").unwrap();
        assert_eq!(t[0].tok, Tok::Ident("T".into()));
        assert_eq!(t[1].tok, Tok::Punct("|"));
        assert_eq!(t[1].pos, Pos { line: 2, column: 1 });
        assert_eq!(t[4].tok, Tok::Punct("=~"));
        assert_eq!(
            t[4].pos,
            Pos {
                line: 2,
                column: 15
            }
        );
        assert_eq!(t[5].tok, Tok::Str("a".into()));
        assert_eq!(t[6].tok, Tok::Eof);
    }

    #[test]
    fn literals() {
        assert_eq!(
            toks(r#"@"C:\x" 'a\'b' h"s" 1.5 2e3 7 datetime( 2026-05-21 ) $left"#),
            [
                Tok::Str(r"C:\x".into()),
                Tok::Str("a'b".into()),
                Tok::Str("s".into()),
                Tok::Real(1.5),
                Tok::Real(2000.0),
                Tok::Long(7),
                Tok::DateTime("2026-05-21".into()),
                Tok::Ident("$left".into()),
                Tok::Eof,
            ]
        );
        assert_eq!(toks(r#"@"say ""hi""""#)[0], Tok::Str(r#"say "hi""#.into()));
    }

    #[test]
    fn timespans_read_in_kustos_units() {
        let t = |s: &str| toks(s)[0].clone();
        assert_eq!(t("1h"), Tok::TimeSpan(36_000_000_000));
        assert_eq!(t("14d"), Tok::TimeSpan(14 * 864_000_000_000));
        assert_eq!(t("30m"), Tok::TimeSpan(30 * 600_000_000));
        assert_eq!(t("1.5h"), Tok::TimeSpan(54_000_000_000));
        assert_eq!(t("100ms"), Tok::TimeSpan(1_000_000));
        assert_eq!(t("0.1s"), Tok::TimeSpan(1_000_000));
        assert_eq!(t("3tick"), Tok::TimeSpan(3));
    }

    #[test]
    fn errors_name_the_construct_and_position() {
        let e = lex("T | where x > 1w").unwrap_err();
        assert!(e.to_string().starts_with("1:15:"), "{e}");
        assert!(e.to_string().contains("timespan literal 1w"), "{e}");
        assert!(lex("99999999999d").is_err());
        assert!(lex("'abc").is_err());
        assert!(lex("a # b").is_err());
        assert!(lex("99999999999999999999").is_err());
        assert!(lex("```x```").is_err());
    }

    proptest::proptest! {
        /// Each token's line and column count the characters before its
        /// first byte, and punctuation is the text it spans (read a byte at
        /// a time where the text is ASCII, decoded where it is not).
        #[test]
        fn positions_count_characters_and_punctuation_spans_its_text(
            src in r"([a-z_]{1,3}|[0-9]{1,2} |[ \n\t]|\u{a0}|\u{3000}|[|()\[\]{},;:=<>!~+*%-]|'[a-zé→ ]{0,3}'|// [a-zé→ ]{0,3}\n){0,30}",
        ) {
            // Every fragment lexes: the text does.
            let tokens = lex(&src).expect("tokens");
            for t in tokens {
                let before = &src[..t.start];
                let line = before.matches('\n').count() as u32 + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
                proptest::prop_assert_eq!(t.pos, Pos { line, column });
                if let Tok::Punct(p) = t.tok {
                    proptest::prop_assert_eq!(&src[t.start..t.end], p);
                }
            }
        }
    }

    #[test]
    fn a_character_outside_kql_is_placed_by_characters() {
        for (src, at) in [("ab →", "1:4:"), ("é\n  → x", "1:1:"), ("'é→' é", "1:6:")] {
            let e = lex(src).unwrap_err().to_string();
            assert!(e.starts_with(at), "{src:?}: {e}");
            assert!(e.contains("unexpected character"), "{src:?}: {e}");
        }
    }

    #[test]
    fn two_character_operators_before_one() {
        // a==b!=c<>d<=e>=f=~g!~h=>i<j: each operator between two names.
        let ops = ["==", "!=", "<>", "<=", ">=", "=~", "!~", "=>", "<"];
        let mut want = vec![Tok::Ident("a".into())];
        for (op, name) in ops.iter().zip('b'..) {
            want.extend([Tok::Punct(op), Tok::Ident(name.into())]);
        }
        want.push(Tok::Eof);
        assert_eq!(toks("a==b!=c<>d<=e>=f=~g!~h=>i<j"), want);
    }
}
