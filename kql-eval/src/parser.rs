//! Reads tokens into a [`Query`]: `let` statements and tabular expressions
//! (sources here, operators in `parse_ops`, scalar expressions in `parse_expr`).
//! Anything outside the subset is an [`Error::Unsupported`] naming the
//! construct and its position.

use std::collections::HashSet;

use super::ast::{Let, LetValue, Query, Source, Tabular};
use super::error::{Error, Pos};
use super::lexer::{lex, Tok, Token};
use super::value::Type;

/// How deep parentheses, brackets, nested queries and calls may nest.
pub const MAX_DEPTH: usize = 64;

/// Parse a whole query.
pub fn parse(src: &str) -> Result<Query, Error> {
    let mut p = Parser {
        toks: lex(src)?,
        i: 0,
        depth: 0,
        scalars: HashSet::new(),
        tabulars: HashSet::new(),
    };
    p.query()
}

/// The parser's state: tokens, where it is, how deep, and which `let` names are
/// scalars and which tables (to tell `let x = y` apart).
#[derive(Debug)]
pub(super) struct Parser {
    toks: Vec<Token>,
    pub(super) i: usize,
    depth: usize,
    scalars: HashSet<String>,
    tabulars: HashSet<String>,
}

/// A token for messages.
fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Str(_) => "a string literal".into(),
        Tok::Long(i) => format!("`{i}`"),
        Tok::Real(r) => format!("`{r}`"),
        Tok::DateTime(_) => "a datetime literal".into(),
        Tok::TimeSpan(_) => "a timespan literal".into(),
        Tok::Punct(p) => format!("`{p}`"),
        Tok::Eof => "the end of the query".into(),
    }
}

impl Parser {
    pub(super) fn tok_at(&self, i: usize) -> &Tok {
        // The last token is always Eof.
        &self.toks[i.min(self.toks.len() - 1)].tok
    }

    pub(super) fn peek(&self) -> &Tok {
        self.tok_at(self.i)
    }

    pub(super) fn peek_n(&self, n: usize) -> &Tok {
        self.tok_at(self.i + n)
    }

    pub(super) fn pos(&self) -> Pos {
        self.toks[self.i.min(self.toks.len() - 1)].pos
    }

    pub(super) fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    /// Whether the token `n` ahead starts right where the one before it ends.
    pub(super) fn adjacent(&self, n: usize) -> bool {
        let b = self.i + n;
        b >= 1 && b < self.toks.len() && self.toks[b - 1].end == self.toks[b].start
    }

    pub(super) fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(q) if *q == p)
    }

    pub(super) fn is_ident(&self, name: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == name)
    }

    pub(super) fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.is_punct(p);
        if yes {
            self.advance();
        }
        yes
    }

    pub(super) fn eat_ident(&mut self, name: &str) -> bool {
        let yes = self.is_ident(name);
        if yes {
            self.advance();
        }
        yes
    }

    pub(super) fn unexpected(&self, expected: &str) -> Error {
        Error::syntax(
            self.pos(),
            format!("expected {expected}, found {}", describe(self.peek())),
        )
    }

    pub(super) fn expect_punct(&mut self, p: &str) -> Result<(), Error> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{p}`")))
        }
    }

    pub(super) fn expect_ident(&mut self, what: &str) -> Result<(String, Pos), Error> {
        let pos = self.pos();
        match self.peek() {
            Tok::Ident(s) if !s.starts_with('$') => {
                let s = s.clone();
                self.advance();
                Ok((s, pos))
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// A column name: `Name` or `['Name']`.
    pub(super) fn column_name(&mut self) -> Result<(String, Pos), Error> {
        let pos = self.pos();
        if self.is_punct("[") {
            if let Tok::Str(s) = self.peek_n(1) {
                let s = s.clone();
                self.advance();
                self.advance();
                self.expect_punct("]")?;
                return Ok((s, pos));
            }
        }
        self.expect_ident("a column name")
    }

    /// Items separated by commas up to `close`, which is consumed (a trailing
    /// comma is allowed).
    pub(super) fn comma_list<T>(
        &mut self,
        close: &str,
        mut item: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        while !self.is_punct(close) {
            out.push(item(self)?);
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(close)?;
        Ok(out)
    }

    pub(super) fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::TooDeep {
                pos: self.pos(),
                limit: MAX_DEPTH,
            });
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth -= 1;
    }

    fn query(&mut self) -> Result<Query, Error> {
        let mut lets = Vec::new();
        loop {
            let pos = self.pos();
            match self.peek() {
                Tok::Eof => return Err(Error::syntax(pos, "the query has no tabular expression")),
                Tok::Punct(";") => {
                    self.advance();
                }
                Tok::Ident(s) if s == "let" => {
                    self.advance();
                    lets.push(self.let_statement()?);
                    self.expect_punct(";")?;
                }
                Tok::Ident(s) if matches!(s.as_str(), "set" | "declare" | "alias" | "restrict") => {
                    return Err(Error::unsupported(pos, format!("{s} statement")));
                }
                _ => break,
            }
        }
        let body = self.tabular()?;
        while self.eat_punct(";") {}
        match self.peek() {
            Tok::Eof => Ok(Query { lets, body }),
            Tok::Ident(s) if s == "let" => Err(Error::unsupported(
                self.pos(),
                "let after the query statement",
            )),
            _ if self.toks[self.i - 1].tok == Tok::Punct(";") => Err(Error::unsupported(
                self.pos(),
                "more than one query statement",
            )),
            _ => Err(self.unexpected("`|` or the end of the query")),
        }
    }

    fn let_statement(&mut self) -> Result<Let, Error> {
        let (name, pos) = self.expect_ident("a name after `let`")?;
        self.expect_punct("=")?;
        let fpos = self.pos();
        let function = self.is_punct("(")
            && (matches!(
                (self.peek_n(1), self.peek_n(2)),
                (Tok::Ident(_), Tok::Punct(":"))
            ) || (matches!(self.peek_n(1), Tok::Punct(")"))
                && matches!(self.peek_n(2), Tok::Punct("{"))));
        if function {
            return Err(Error::unsupported(fpos, "let-bound function"));
        }
        if let Tok::Ident(s) = self.peek() {
            if matches!(s.as_str(), "materialize" | "toscalar" | "view" | "range") {
                return Err(Error::unsupported(fpos, s.clone()));
            }
        }
        let value = if self.looks_tabular(self.i) {
            let t = self.tabular()?;
            self.scalars.remove(&name);
            self.tabulars.insert(name.clone());
            LetValue::Tabular(t)
        } else {
            let e = self.expr()?;
            self.tabulars.remove(&name);
            self.scalars.insert(name.clone());
            LetValue::Scalar(e)
        };
        Ok(Let { name, value, pos })
    }

    /// Whether the tokens from `i` start a tabular expression rather than a scalar.
    pub(super) fn looks_tabular(&self, mut i: usize) -> bool {
        while matches!(self.tok_at(i), Tok::Punct("(")) {
            i += 1;
        }
        match self.tok_at(i) {
            Tok::Ident(s) if matches!(s.as_str(), "datatable" | "union" | "_GetWatchlist") => true,
            Tok::Ident(s) if self.scalars.contains(s) => false,
            Tok::Ident(s) if self.tabulars.contains(s) => true,
            Tok::Ident(s) if s.starts_with('$') => false,
            Tok::Ident(_) => matches!(
                self.tok_at(i + 1),
                Tok::Punct("|" | ";" | ")" | ",") | Tok::Eof
            ),
            _ => false,
        }
    }

    /// A source and the operators piped after it.
    pub(super) fn tabular(&mut self) -> Result<Tabular, Error> {
        self.enter()?;
        let source = self.source()?;
        let mut ops = Vec::new();
        while self.eat_punct("|") {
            ops.push(self.operator()?);
        }
        self.leave();
        Ok(Tabular { source, ops })
    }

    fn source(&mut self) -> Result<Source, Error> {
        let pos = self.pos();
        if self.eat_punct("(") {
            let t = self.tabular()?;
            self.expect_punct(")")?;
            return Ok(Source::Nested(Box::new(t)));
        }
        let name = match self.peek() {
            Tok::Ident(s) if !s.starts_with('$') => s.clone(),
            _ => return Err(self.unexpected("a table name, `datatable`, `union` or `(`")),
        };
        self.advance();
        match name.as_str() {
            "datatable" => self.datatable(pos),
            "union" => Ok(Source::Union {
                inputs: self.union_inputs()?,
                pos,
            }),
            "_GetWatchlist" => {
                self.expect_punct("(")?;
                let alias = match self.advance() {
                    Tok::Str(s) => s,
                    _ => return Err(Error::syntax(pos, "_GetWatchlist needs a string alias")),
                };
                self.expect_punct(")")?;
                Ok(Source::Watchlist { alias, pos })
            }
            "print" | "range" | "search" | "find" | "evaluate" | "externaldata" => {
                Err(Error::unsupported(pos, name))
            }
            _ if self.is_punct("(") => Err(Error::unsupported(pos, format!("{name}()"))),
            _ => Ok(Source::Name { name, pos }),
        }
    }

    fn datatable(&mut self, pos: Pos) -> Result<Source, Error> {
        self.expect_punct("(")?;
        let mut columns = Vec::new();
        loop {
            let (name, _) = self.column_name()?;
            self.expect_punct(":")?;
            let (ty_name, tpos) = self.expect_ident("a column type")?;
            let ty = Type::from_kql(&ty_name).ok_or_else(|| {
                Error::unsupported(tpos, format!("datatable column type {ty_name}"))
            })?;
            columns.push((name, ty));
            if !self.eat_punct(",") {
                break;
            }
        }
        self.expect_punct(")")?;
        self.expect_punct("[")?;
        let values = self.comma_list("]", Self::expr)?;
        Ok(Source::Datatable {
            columns,
            values,
            pos,
        })
    }

    /// `kind=outer`? then inputs: names or parenthesised expressions.
    pub(super) fn union_inputs(&mut self) -> Result<Vec<Tabular>, Error> {
        while let Tok::Ident(s) = self.peek().clone() {
            if !matches!(self.peek_n(1), Tok::Punct("=")) {
                break;
            }
            let pos = self.pos();
            self.advance();
            self.advance();
            let (v, _) = self.expect_ident("a value")?;
            if !(s == "kind" && v == "outer") {
                return Err(Error::unsupported(pos, format!("union {s}={v}")));
            }
        }
        let mut inputs = Vec::new();
        loop {
            let pos = self.pos();
            let t = if self.eat_punct("(") {
                let t = self.tabular()?;
                self.expect_punct(")")?;
                t
            } else {
                let (name, pos) = self.expect_ident("a table name or `(`")?;
                if self.is_punct("*") && self.adjacent(0) {
                    return Err(Error::unsupported(pos, "union with a wildcard table name"));
                }
                Tabular {
                    source: Source::Name { name, pos },
                    ops: Vec::new(),
                }
            };
            if matches!(t.source, Source::Name { .. }) && self.is_punct("(") {
                return Err(Error::unsupported(pos, "a function call as a union input"));
            }
            inputs.push(t);
            if !self.eat_punct(",") {
                return Ok(inputs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{ExprKind, ListItem, ListOp, Op};

    #[test]
    fn the_seed_query_parses() {
        let q = parse(
            "let d = dynamic(['estaliax.io']);\nDnsEvents\n| where Name has_any (d)\n| project TimeGenerated, Name\n| order by TimeGenerated desc",
        )
        .unwrap();
        assert_eq!(q.lets.len(), 1);
        assert!(matches!(q.lets[0].value, LetValue::Scalar(_)));
        assert!(matches!(&q.body.source, Source::Name { name, .. } if name == "DnsEvents"));
        match &q.body.ops[0] {
            Op::Where(e) => match &e.kind {
                ExprKind::List { op, items, .. } => {
                    assert_eq!(*op, ListOp::HasAny);
                    assert!(matches!(&items[0], ListItem::Scalar(_)));
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert_eq!(q.body.ops.len(), 3);
    }

    #[test]
    fn let_bound_tables_are_told_from_scalars() {
        let q = parse("let t = DnsEvents | take 1;\nlet s = t;\nlet n = 5;\ns").unwrap();
        let kinds: Vec<bool> = q
            .lets
            .iter()
            .map(|l| matches!(l.value, LetValue::Tabular(_)))
            .collect();
        assert_eq!(kinds, [true, true, false]);
    }

    #[test]
    fn out_of_subset_is_named_with_its_position() {
        let e = parse("T\n| join (U) on K").unwrap_err();
        assert_eq!(e.pos(), Some(Pos { line: 2, column: 3 }));
        assert!(e.to_string().contains("join without kind="), "{e}");
        let e = parse("T | mv-expand X").unwrap_err();
        assert!(e.to_string().contains("`mv-expand`"), "{e}");
        let e = parse(&format!("T | where {}x", "(".repeat(1000))).unwrap_err();
        assert!(matches!(e, Error::TooDeep { .. }), "{e}");
    }
}
