//! The part of STIX 2.1 patterning huntlab reads: observation expressions
//! `[path = 'value']`, comparisons inside one joined by OR or AND (AND binding
//! first, as in STIX), observations joined by OR, parentheses around them; a
//! value is a quoted string or a whole number (`network-traffic:dst_port =
//! 443`). The pattern is read into its branches, each the comparisons one
//! AND joins, for the reader to judge. Everything else (AND or FOLLOWEDBY
//! between observations, NOT, any operator but `=`, qualifiers such as WITHIN,
//! REPEATS or START, parentheses inside an observation) is reported as
//! unsupported with what was met, never guessed at.

use std::fmt;

/// One `path = 'value'` (or `path = 443`) comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The object path (`domain-name:value`).
    pub path: String,
    /// The string compared with, or the number's digits.
    pub value: String,
    /// Whether the value was a whole number, not a quoted string.
    pub number: bool,
}

/// The comparisons of one branch of a pattern, joined by AND (one, mostly).
pub type Branch = Vec<Comparison>;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    LParen,
    RParen,
    Str(String),
    Op(String),
    Word(String),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Open => f.write_str("`[`"),
            Tok::Close => f.write_str("`]`"),
            Tok::LParen => f.write_str("`(`"),
            Tok::RParen => f.write_str("`)`"),
            Tok::Str(_) => f.write_str("a string"),
            Tok::Op(o) | Tok::Word(o) => write!(f, "`{o}`"),
        }
    }
}

fn tokens(p: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut it = p.chars().peekable();
    while let Some(&c) = it.peek() {
        match c {
            c if c.is_whitespace() => {
                it.next();
            }
            '[' | ']' | '(' | ')' => {
                it.next();
                out.push(match c {
                    '[' => Tok::Open,
                    ']' => Tok::Close,
                    '(' => Tok::LParen,
                    _ => Tok::RParen,
                });
            }
            '\'' => {
                it.next();
                out.push(Tok::Str(string(&mut it)?));
            }
            '=' | '!' | '<' | '>' => {
                let mut op = String::new();
                while let Some(&c) = it.peek().filter(|c| "=!<>".contains(**c)) {
                    op.push(c);
                    it.next();
                }
                out.push(Tok::Op(op));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = it.peek() {
                    if c == '[' && w.contains(':') {
                        // A list step of a path: resolves_to_refs[*], [0].
                        it.next();
                        w.push('[');
                        for c in it.by_ref() {
                            w.push(c);
                            if c == ']' {
                                break;
                            }
                        }
                        continue;
                    }
                    if c.is_whitespace() || "[]()=!<>".contains(c) {
                        break;
                    }
                    it.next();
                    if c == '\'' {
                        // A quoted path step: file:hashes.'SHA-256'.
                        w.push('\'');
                        w.push_str(&string(&mut it)?);
                        w.push('\'');
                    } else {
                        w.push(c);
                    }
                }
                out.push(Tok::Word(w));
            }
        }
    }
    Ok(out)
}

/// The rest of a quoted string, its opening quote read; `\'` and `\\` escaped.
fn string(it: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, String> {
    let mut s = String::new();
    loop {
        match it.next() {
            None => return Err("a string with no closing quote".into()),
            Some('\'') => return Ok(s),
            Some('\\') => match it.next() {
                Some(c @ ('\'' | '\\')) => s.push(c),
                Some(c) => return Err(format!("the escape `\\{c}` in a string")),
                None => return Err("a string with no closing quote".into()),
            },
            Some(c) => s.push(c),
        }
    }
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w == word)
    }

    /// expr := term (OR term)*
    fn expr(&mut self, out: &mut Vec<Branch>) -> Result<(), String> {
        self.term(out)?;
        while self.is_word("OR") {
            self.at += 1;
            self.term(out)?;
        }
        Ok(())
    }

    /// term := '[' conj (OR conj)* ']' | '(' expr ')'
    fn term(&mut self, out: &mut Vec<Branch>) -> Result<(), String> {
        match self.next() {
            Some(Tok::Open) => {
                out.push(self.conjunction()?);
                while self.is_word("OR") {
                    self.at += 1;
                    out.push(self.conjunction()?);
                }
                expect(self.next(), &Tok::Close, "the end of the observation `]`")
            }
            Some(Tok::LParen) => {
                self.depth += 1;
                if self.depth > 64 {
                    return Err("parentheses nested deeper than 64".into());
                }
                self.expr(out)?;
                self.depth -= 1;
                expect(self.next(), &Tok::RParen, "`)`")
            }
            Some(t) => Err(format!("{t} where an observation `[...]` should start")),
            None => Err("a pattern that ends where an observation should start".into()),
        }
    }

    /// conj := cmp (AND cmp)*
    fn conjunction(&mut self) -> Result<Branch, String> {
        let mut branch = vec![self.comparison()?];
        while self.is_word("AND") {
            self.at += 1;
            branch.push(self.comparison()?);
        }
        Ok(branch)
    }

    /// cmp := path '=' (string | number)
    fn comparison(&mut self) -> Result<Comparison, String> {
        let path = match self.next() {
            Some(Tok::Word(w)) if w == "NOT" => return Err("`NOT`".into()),
            Some(Tok::Word(w)) if w.contains(':') => w,
            Some(t) => return Err(format!("{t} where an object path should be")),
            None => return Err("an observation with no comparison".into()),
        };
        match self.next() {
            Some(Tok::Op(o)) if o == "=" => {}
            Some(Tok::Op(o) | Tok::Word(o)) => return Err(format!("the operator `{o}`")),
            Some(t) => return Err(format!("{t} where an operator should be")),
            None => return Err("a comparison with no operator".into()),
        }
        match self.next() {
            Some(Tok::Str(value)) => Ok(Comparison {
                path,
                value,
                number: false,
            }),
            Some(Tok::Word(n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Comparison {
                    path,
                    value: n,
                    number: true,
                })
            }
            Some(t) => Err(format!("{t} where a quoted string or a number should be")),
            None => Err("a comparison with no value".into()),
        }
    }
}

fn expect(got: Option<Tok>, want: &Tok, what: &str) -> Result<(), String> {
    match got {
        Some(t) if &t == want => Ok(()),
        Some(Tok::Word(w)) if w == "AND" => Err("`AND`".into()),
        Some(t) => Err(format!("{t} where {what} should be")),
        None => Err(format!("a pattern that ends where {what} should be")),
    }
}

/// The branches of a pattern made only of `[path = value]` observations,
/// comparisons joined by OR or AND, observations joined by OR: each branch the
/// comparisons one AND joins, in the pattern's order; or what was met that is
/// not that.
pub fn branches(pattern: &str) -> Result<Vec<Branch>, String> {
    let mut p = Parser {
        toks: tokens(pattern)?,
        at: 0,
        depth: 0,
    };
    let mut out = Vec::new();
    p.expr(&mut out)?;
    match p.next() {
        None => Ok(out),
        Some(Tok::Word(w)) if is_keyword(&w) => Err(format!("`{w}`")),
        Some(t) => Err(format!("{t} after the pattern's end")),
    }
}

fn is_keyword(w: &str) -> bool {
    ["AND", "FOLLOWEDBY", "WITHIN", "REPEATS", "START", "STOP"].contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(p: &str) -> Result<Vec<Vec<String>>, String> {
        branches(p).map(|bs| {
            bs.into_iter()
                .map(|b| b.into_iter().map(|c| c.value).collect())
                .collect()
        })
    }

    #[test]
    fn reads_equalities_joined_by_or_and_and() {
        assert_eq!(
            values("[domain-name:value = 'a.io']"),
            Ok(vec![vec!["a.io".into()]])
        );
        assert_eq!(
            values(
                "[domain-name:value = 'a.io' OR domain-name:value = 'b.io'] OR ([url:value = 'x'])"
            ),
            Ok(vec![
                vec!["a.io".into()],
                vec!["b.io".into()],
                vec!["x".into()]
            ])
        );
        assert_eq!(
            branches("[file:hashes.'SHA-256' = 'ab']").map(|c| c[0][0].path.clone()),
            Ok("file:hashes.'SHA-256'".into())
        );
        assert_eq!(
            values(r"[domain-name:value = 'it\'s']"),
            Ok(vec![vec!["it's".into()]])
        );
        // AND binds first; a number is a value of its own kind.
        let b = branches(
            "[ipv4-addr:value = '198.51.100.7' AND network-traffic:dst_port = 443 OR url:value = 'x']",
        )
        .unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(
            b[0][1],
            Comparison {
                path: "network-traffic:dst_port".into(),
                value: "443".into(),
                number: true
            }
        );
        assert!(!b[0][0].number);
        assert_eq!(b[1][0].value, "x");
        let b = branches("[domain-name:resolves_to_refs[*].value = '198.51.100.7']").unwrap();
        assert_eq!(b[0][0].path, "domain-name:resolves_to_refs[*].value");
    }

    #[test]
    fn reports_anything_else() {
        for (p, why) in [
            (
                "[domain-name:value = 'a'] AND [domain-name:value = 'b']",
                "`AND`",
            ),
            (
                "[domain-name:value = 'a'] FOLLOWEDBY [domain-name:value = 'b']",
                "`FOLLOWEDBY`",
            ),
            ("[domain-name:value = 'a'] WITHIN 5 SECONDS", "`WITHIN`"),
            ("[domain-name:value MATCHES 'a']", "the operator `MATCHES`"),
            ("[domain-name:value != 'a']", "the operator `!=`"),
            ("[NOT domain-name:value = 'a']", "`NOT`"),
            (
                "[domain-name:value = 'a' AND domain-name:resolves_to_refs[*].value = 'b'] AND [x:y = 'c']",
                "`AND`",
            ),
            (
                "[(ipv4-addr:value = 'a')]",
                "`(` where an object path should be",
            ),
            (
                "[network-traffic:dst_port = 44x3]",
                "`44x3` where a quoted string or a number should be",
            ),
            (
                "[domain-name:value = 'a'",
                "a pattern that ends where the end of the observation `]` should be",
            ),
            ("[domain-name:value = 'a]", "a string with no closing quote"),
            ("", "a pattern that ends where an observation should start"),
        ] {
            assert_eq!(values(p), Err(why.into()), "{p}");
        }
    }
}
