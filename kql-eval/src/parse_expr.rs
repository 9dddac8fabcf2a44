//! Scalar expressions: `or` below `and` below comparisons and string operators,
//! then member paths and primaries (literals, names, calls, `dynamic(...)`).
//! `and` / `or` chains and member paths are kept flat, so a long chain never
//! makes a deep tree.

use serde_json::{Map, Number, Value as Json};

use super::ast::{CmpOp, Expr, ExprKind, Func, ListItem, ListOp, Step, StrOp};
use super::error::{Error, Pos};
use super::lexer::Tok;
use super::parser::Parser;
use super::value::{parse_datetime, Value};

/// Binary operators Kusto has that the evaluator does not implement.
const UNSUPPORTED_BINARY: &[&str] = &[
    "has_all",
    "has_any_cs",
    "between",
    "matches",
    "like",
    "notlike",
    "startswith_cs",
    "endswith_cs",
    "hasprefix_cs",
    "hassuffix_cs",
    "contains_any",
];

fn expr(kind: ExprKind, pos: Pos) -> Expr {
    Expr { kind, pos }
}

impl Parser {
    /// A scalar expression.
    pub(super) fn expr(&mut self) -> Result<Expr, Error> {
        self.enter()?;
        let e = self.or_chain();
        self.leave();
        e
    }

    fn or_chain(&mut self) -> Result<Expr, Error> {
        self.chain("or", Self::and_chain, ExprKind::Or)
    }

    fn and_chain(&mut self) -> Result<Expr, Error> {
        self.chain("and", Self::comparison, ExprKind::And)
    }

    /// `next (word next)*`, flat.
    fn chain(
        &mut self,
        word: &str,
        next: fn(&mut Self) -> Result<Expr, Error>,
        make: fn(Vec<Expr>) -> ExprKind,
    ) -> Result<Expr, Error> {
        let first = next(self)?;
        if !self.is_ident(word) {
            return Ok(first);
        }
        let pos = first.pos;
        let mut terms = vec![first];
        while self.eat_ident(word) {
            terms.push(next(self)?);
        }
        Ok(expr(make(terms), pos))
    }

    fn comparison(&mut self) -> Result<Expr, Error> {
        let lhs = self.path()?;
        let pos = self.pos();
        if let Tok::Punct(p) = self.peek() {
            let op = match *p {
                "==" => Some(CmpOp::Eq),
                "!=" | "<>" => Some(CmpOp::Ne),
                "=~" => Some(CmpOp::EqCi),
                "!~" => Some(CmpOp::NeCi),
                "<" => Some(CmpOp::Lt),
                "<=" => Some(CmpOp::Le),
                ">" => Some(CmpOp::Gt),
                ">=" => Some(CmpOp::Ge),
                "+" | "-" | "*" | "/" | "%" => {
                    return Err(Error::unsupported(pos, format!("arithmetic operator {p}")))
                }
                _ => None,
            };
            if let Some(op) = op {
                self.advance();
                let rhs = self.path()?;
                return Ok(expr(
                    ExprKind::Compare(op, Box::new(lhs), Box::new(rhs)),
                    pos,
                ));
            }
        }
        let negated =
            self.is_punct("!") && matches!(self.peek_n(1), Tok::Ident(_)) && self.adjacent(1);
        let name = match self.peek_n(usize::from(negated)) {
            Tok::Ident(s) => s.clone(),
            _ => return Ok(lhs),
        };
        let bang = if negated { "!" } else { "" };
        if let Some(op) = StrOp::from_name(&name) {
            self.advance();
            if negated {
                self.advance();
            }
            let rhs = self.path()?;
            let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
            return Ok(expr(
                ExprKind::StrOp {
                    op,
                    negated,
                    lhs,
                    rhs,
                },
                pos,
            ));
        }
        let list_op = match name.as_str() {
            "in" => {
                let tilde = usize::from(negated) + 1;
                if matches!(self.peek_n(tilde), Tok::Punct("~")) && self.adjacent(tilde) {
                    Some((ListOp::InCi, tilde + 1))
                } else {
                    Some((ListOp::In, tilde))
                }
            }
            "has_any" if !negated => Some((ListOp::HasAny, 1)),
            _ => None,
        };
        if let Some((op, len)) = list_op {
            for _ in 0..len {
                self.advance();
            }
            let items = self.list()?;
            let lhs = Box::new(lhs);
            return Ok(expr(
                ExprKind::List {
                    op,
                    negated,
                    lhs,
                    items,
                },
                pos,
            ));
        }
        if UNSUPPORTED_BINARY.contains(&name.as_str()) || negated {
            return Err(Error::unsupported(pos, format!("{bang}{name}")));
        }
        Ok(lhs)
    }

    /// `( item, ... )` after `in`, `in~` or `has_any`.
    fn list(&mut self) -> Result<Vec<ListItem>, Error> {
        self.enter()?;
        self.expect_punct("(")?;
        let items = self.comma_list(")", |p| {
            Ok(if p.looks_tabular(p.i) {
                ListItem::Tabular(p.tabular()?)
            } else {
                ListItem::Scalar(p.expr()?)
            })
        })?;
        self.leave();
        Ok(items)
    }

    /// A primary followed by `.Member`, `['Member']` and `[index]` steps.
    fn path(&mut self) -> Result<Expr, Error> {
        let base = self.primary()?;
        let pos = base.pos;
        let mut steps = Vec::new();
        loop {
            if self.is_punct(".") {
                self.advance();
                let (m, _) = self.column_name()?;
                steps.push(Step::Member(m));
            } else if self.is_punct("[") {
                self.advance();
                let negative = self.eat_punct("-");
                let step = match self.advance() {
                    Tok::Str(s) if !negative => Step::Member(s),
                    Tok::Long(i) => Step::Index(if negative { -i } else { i }),
                    _ => return Err(Error::syntax(self.pos(), "expected a member name or index")),
                };
                self.expect_punct("]")?;
                steps.push(step);
            } else {
                break;
            }
        }
        Ok(if steps.is_empty() {
            base
        } else {
            expr(ExprKind::Path(Box::new(base), steps), pos)
        })
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        let pos = self.pos();
        let lit = |v| Ok(expr(ExprKind::Literal(v), pos));
        match self.advance() {
            Tok::Str(mut s) => {
                // Adjacent string literals are one string.
                while let Tok::Str(more) = self.peek() {
                    s.push_str(more);
                    self.advance();
                }
                lit(Value::str(&s))
            }
            Tok::Long(i) => lit(Value::Long(i)),
            Tok::Real(r) => lit(Value::Real(r)),
            Tok::DateTime(raw) => lit(datetime_literal(&raw, pos)?),
            Tok::TimeSpan(t) => lit(Value::TimeSpan(t)),
            Tok::Punct("(") => {
                let e = self.expr()?;
                self.expect_punct(")")?;
                Ok(e)
            }
            Tok::Punct("[") => {
                let name = match self.advance() {
                    Tok::Str(s) => s,
                    _ => return Err(Error::syntax(pos, "expected ['column name']")),
                };
                self.expect_punct("]")?;
                Ok(expr(ExprKind::Name(name), pos))
            }
            Tok::Punct("-") => match self.advance() {
                Tok::Long(i) => lit(Value::Long(-i)),
                Tok::Real(r) => lit(Value::Real(-r)),
                _ => Err(Error::unsupported(pos, "unary minus")),
            },
            Tok::Punct("*") => Err(Error::unsupported(pos, "* (a search across all columns)")),
            Tok::Ident(name) => self.named(name, pos),
            t => {
                self.i -= usize::from(t != Tok::Eof);
                Err(self.unexpected("an expression"))
            }
        }
    }

    /// A primary that starts with a name: a literal keyword, a call, or a name.
    fn named(&mut self, name: String, pos: Pos) -> Result<Expr, Error> {
        let lit = |v| Ok(expr(ExprKind::Literal(v), pos));
        match name.as_str() {
            "true" | "True" | "TRUE" => return lit(Value::Bool(true)),
            "false" | "False" | "FALSE" => return lit(Value::Bool(false)),
            _ => {}
        }
        if name.starts_with('$') {
            return Err(Error::syntax(
                pos,
                format!("{name} is only allowed in join ... on"),
            ));
        }
        if !self.is_punct("(") {
            return Ok(expr(ExprKind::Name(name), pos));
        }
        if name == "dynamic" {
            self.advance();
            let json = self.json_value()?;
            self.expect_punct(")")?;
            return lit(Value::dynamic(json));
        }
        if matches!(
            name.as_str(),
            "long" | "int" | "real" | "double" | "bool" | "boolean" | "timespan" | "time"
        ) {
            return self.typed_literal(&name, pos);
        }
        let (func, min, max) = Func::from_name(&name).ok_or_else(|| {
            let hint = match name.as_str() {
                "bin" | "format_datetime" | "todatetime" | "datetime_add" | "startofday" => {
                    "of the time functions, the evaluator reads ago() and now() only"
                }
                _ => "",
            };
            Error::unsupported_because(pos, format!("{name}()"), hint)
        })?;
        self.enter()?;
        self.advance();
        let args = self.comma_list(")", Self::expr)?;
        self.leave();
        if args.len() < min || args.len() > max {
            let want = if min == max {
                min.to_string()
            } else {
                format!("{min} to {max}")
            };
            return Err(Error::syntax(
                pos,
                format!("{name}() takes {want} argument(s), got {}", args.len()),
            ));
        }
        Ok(expr(ExprKind::Call(func, args), pos))
    }

    /// `long(5)`, `int(null)`, `real(-1.5)`, `bool(true)`.
    fn typed_literal(&mut self, ty: &str, pos: Pos) -> Result<Expr, Error> {
        self.advance();
        let negative = self.eat_punct("-");
        let sign = if negative { -1 } else { 1 };
        let v = match (ty, self.advance(), negative) {
            (_, Tok::Ident(n), false) if n == "null" => Value::Null,
            ("long" | "int", Tok::Long(i), _) => Value::Long(sign * i),
            ("real" | "double", Tok::Long(i), _) => Value::Real((sign * i) as f64),
            ("real" | "double", Tok::Real(r), _) => Value::Real(sign as f64 * r),
            ("timespan" | "time", Tok::TimeSpan(t), _) => Value::TimeSpan(sign * t),
            ("bool" | "boolean", Tok::Ident(b), false) if b == "true" => Value::Bool(true),
            ("bool" | "boolean", Tok::Ident(b), false) if b == "false" => Value::Bool(false),
            _ => {
                return Err(Error::syntax(
                    pos,
                    format!("cannot read this {ty}(...) literal"),
                ))
            }
        };
        self.expect_punct(")")?;
        Ok(expr(ExprKind::Literal(v), pos))
    }

    /// The inside of `dynamic(...)`: JSON, where strings may also be single-quoted.
    fn json_value(&mut self) -> Result<Json, Error> {
        self.enter()?;
        let pos = self.pos();
        let v = match self.advance() {
            Tok::Punct("[") => Json::Array(self.comma_list("]", Self::json_value)?),
            Tok::Punct("{") => {
                let members = self.comma_list("}", |p| {
                    let key = match p.advance() {
                        Tok::Str(s) | Tok::Ident(s) => s,
                        _ => return Err(Error::syntax(p.pos(), "expected a property name")),
                    };
                    p.expect_punct(":")?;
                    Ok((key, p.json_value()?))
                })?;
                Json::Object(members.into_iter().collect::<Map<String, Json>>())
            }
            Tok::Str(s) => Json::String(s),
            Tok::Long(i) => Json::from(i),
            Tok::Real(r) => json_real(r, pos)?,
            Tok::Punct("-") => match self.advance() {
                Tok::Long(i) => Json::from(-i),
                Tok::Real(r) => json_real(-r, pos)?,
                _ => return Err(Error::syntax(pos, "expected a number after `-`")),
            },
            Tok::Ident(s) if s == "true" => Json::Bool(true),
            Tok::Ident(s) if s == "false" => Json::Bool(false),
            Tok::Ident(s) if s == "null" => Json::Null,
            _ => return Err(Error::syntax(pos, "expected a value inside dynamic(...)")),
        };
        self.leave();
        Ok(v)
    }
}

fn json_real(r: f64, pos: Pos) -> Result<Json, Error> {
    Number::from_f64(r)
        .map(Json::Number)
        .ok_or_else(|| Error::syntax(pos, "number out of range"))
}

/// The value of `datetime(raw)`.
fn datetime_literal(raw: &str, pos: Pos) -> Result<Value, Error> {
    if raw == "null" {
        return Ok(Value::Null);
    }
    let text = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(raw);
    parse_datetime(text, false)
        .map(Value::DateTime)
        .ok_or_else(|| {
            Error::unsupported_because(
                pos,
                format!("datetime({raw})"),
                "the evaluator reads YYYY-MM-DD[THH:MM[:SS[.fffffff]]][Z], in UTC",
            )
        })
}
