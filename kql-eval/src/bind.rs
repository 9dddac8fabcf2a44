//! Scalar expressions bound to a table's columns, then evaluated row by row.
//!
//! Binding resolves every name to a column or a `let`-bound value (a name that
//! is both is an error, never a guess), evaluates `in` / `has_any` lists once,
//! compiles regular expressions once, and folds sub-expressions without columns
//! into constants.

use std::collections::HashSet;
use std::sync::Arc;

use regex::Regex;

use super::ast::{CmpOp, Expr, ExprKind, Func, ListItem, ListOp, Source, Step, StrOp, Tabular};
use super::error::{Error, Pos};
use super::functions::{self, TrimEnd, MAX_HAS_ANY};
use super::table::Column;
use super::value::Value;
use detections::kql;

/// What binding needs from the evaluator: `let`-bound names and tables.
pub(super) trait Context {
    /// The value of a `let`-bound scalar.
    fn scalar(&self, name: &str) -> Option<&Value>;
    /// Whether `name` is a `let`-bound table.
    fn is_table(&self, name: &str) -> bool;
    /// The values of the first column of a tabular expression.
    fn first_column(&self, t: &Tabular) -> Result<Vec<Value>, Error>;
    /// The time the query runs at (100 ns ticks since the epoch), which
    /// `ago()` and `now()` read; `None` when the caller gave none.
    fn now(&self) -> Option<i64>;
}

/// A bound expression.
#[derive(Debug, Clone)]
pub(super) enum Bound {
    Const(Value),
    Col(usize),
    Path(Box<Bound>, Vec<Step>, Pos),
    Call(Func, Vec<Bound>, Pos),
    Iff(Box<[Bound; 3]>, Pos),
    Extract(Arc<Regex>, usize, Box<Bound>),
    TrimEnd(Arc<TrimEnd>, Box<Bound>, Pos),
    ReplaceRegex(Arc<Regex>, Arc<str>, Box<Bound>),
    And(Vec<Bound>, Pos),
    Or(Vec<Bound>, Pos),
    Compare(CmpOp, Box<Bound>, Box<Bound>, Pos),
    Str(StrOp, bool, Box<Bound>, Box<Bound>),
    In {
        negated: bool,
        lhs: Box<Bound>,
        list: Vec<Value>,
        /// The list as strings, when every element is a string.
        strings: Option<Vec<Arc<str>>>,
        pos: Pos,
    },
    InCi(bool, Box<Bound>, Vec<Arc<str>>),
    HasAny(Box<Bound>, Vec<Arc<str>>),
}

impl Bound {
    fn as_const(&self) -> Option<&Value> {
        match self {
            Bound::Const(v) => Some(v),
            _ => None,
        }
    }

    /// The value for one row.
    pub(super) fn eval(&self, row: &[Value]) -> Result<Value, Error> {
        Ok(match self {
            Bound::Const(v) => v.clone(),
            Bound::Col(i) => row.get(*i).cloned().unwrap_or(Value::Null),
            Bound::Path(base, steps, pos) => functions::follow(base.eval(row)?, steps, *pos)?,
            Bound::Call(f, args, pos) => {
                let vals = args
                    .iter()
                    .map(|a| a.eval(row))
                    .collect::<Result<Vec<_>, _>>()?;
                functions::call(*f, &vals, *pos)?
            }
            Bound::Iff(args, pos) => {
                let [c, a, b] = &**args;
                if functions::truth(&c.eval(row)?, *pos)? == Some(true) {
                    a.eval(row)?
                } else {
                    b.eval(row)?
                }
            }
            Bound::Extract(re, group, text) => {
                functions::extract(re, *group, &text.eval(row)?.to_kql_string())
            }
            Bound::TrimEnd(t, text, pos) => t.apply(&text.eval(row)?.to_kql_string(), *pos)?,
            Bound::ReplaceRegex(re, rewrite, text) => {
                let text = text.eval(row)?.to_kql_string();
                Value::str(&re.replace_all(&text, regex::NoExpand(rewrite)))
            }
            Bound::And(terms, pos) => logic(terms, row, *pos, false)?,
            Bound::Or(terms, pos) => logic(terms, row, *pos, true)?,
            Bound::Compare(op, a, b, pos) => {
                functions::compare(*op, &a.eval(row)?, &b.eval(row)?, *pos)?
            }
            Bound::Str(op, negated, a, b) => {
                let (a, b) = (a.eval(row)?.to_kql_string(), b.eval(row)?.to_kql_string());
                Value::Bool(op.function()(&a, &b) != *negated)
            }
            Bound::In {
                negated,
                lhs,
                list,
                strings,
                pos,
            } => {
                let v = lhs.eval(row)?;
                let found = match (&v, strings) {
                    (Value::String(_) | Value::Null, Some(s)) => {
                        kql::in_list(&v.to_kql_string(), s)
                    }
                    _ => {
                        let mut found = false;
                        for item in list {
                            if functions::equals(&v, item, *pos)? == Some(true) {
                                found = true;
                                break;
                            }
                        }
                        found
                    }
                };
                Value::Bool(found != *negated)
            }
            Bound::InCi(negated, lhs, list) => {
                Value::Bool(kql::in_list_ci(&lhs.eval(row)?.to_kql_string(), list) != *negated)
            }
            Bound::HasAny(lhs, needles) => {
                Value::Bool(kql::has_any(&lhs.eval(row)?.to_kql_string(), needles))
            }
        })
    }

    /// The value for one row read as a condition: true, false or null.
    pub(super) fn test(&self, row: &[Value], pos: Pos) -> Result<Option<bool>, Error> {
        functions::truth(&self.eval(row)?, pos)
    }
}

/// Three-valued `and` (`any == false`) / `or` (`any == true`).
fn logic(terms: &[Bound], row: &[Value], pos: Pos, any: bool) -> Result<Value, Error> {
    let mut saw_null = false;
    for t in terms {
        match t.test(row, pos)? {
            Some(b) if b == any => return Ok(Value::Bool(any)),
            Some(_) => {}
            None => saw_null = true,
        }
    }
    Ok(if saw_null {
        Value::Null
    } else {
        Value::Bool(!any)
    })
}

/// Bind `e` to `columns`.
pub(super) fn bind(e: &Expr, columns: &[Column], cx: &dyn Context) -> Result<Bound, Error> {
    let b = bind_inner(e, columns, cx)?;
    // Fold what needs no row.
    if !matches!(b, Bound::Const(_)) && is_constant(&b) {
        return Ok(Bound::Const(b.eval(&[])?));
    }
    Ok(b)
}

fn is_constant(b: &Bound) -> bool {
    match b {
        Bound::Const(_) => true,
        Bound::Col(_) => false,
        Bound::Path(x, ..)
        | Bound::Extract(_, _, x)
        | Bound::TrimEnd(_, x, _)
        | Bound::ReplaceRegex(_, _, x) => is_constant(x),
        Bound::In { lhs, .. } | Bound::InCi(_, lhs, _) | Bound::HasAny(lhs, _) => is_constant(lhs),
        Bound::Call(_, xs, _) | Bound::And(xs, _) | Bound::Or(xs, _) => xs.iter().all(is_constant),
        Bound::Iff(xs, _) => xs.iter().all(is_constant),
        Bound::Compare(_, a, b, _) | Bound::Str(_, _, a, b) => is_constant(a) && is_constant(b),
    }
}

fn bind_inner(e: &Expr, columns: &[Column], cx: &dyn Context) -> Result<Bound, Error> {
    let sub = |x: &Expr| bind(x, columns, cx).map(Box::new);
    let all = |xs: &[Expr]| {
        xs.iter()
            .map(|x| bind(x, columns, cx))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match &e.kind {
        ExprKind::Literal(v) => Bound::Const(v.clone()),
        ExprKind::Name(n) => name(n, e.pos, columns, cx)?,
        ExprKind::Path(base, steps) => Bound::Path(sub(base)?, steps.clone(), e.pos),
        ExprKind::And(xs) => Bound::And(all(xs)?, e.pos),
        ExprKind::Or(xs) => Bound::Or(all(xs)?, e.pos),
        ExprKind::Compare(op, a, b) => Bound::Compare(*op, sub(a)?, sub(b)?, e.pos),
        ExprKind::StrOp {
            op,
            negated,
            lhs,
            rhs,
        } => Bound::Str(*op, *negated, sub(lhs)?, sub(rhs)?),
        ExprKind::List {
            op,
            negated,
            lhs,
            items,
        } => {
            let list = list_values(items, cx)?;
            let lhs = sub(lhs)?;
            match op {
                ListOp::In => {
                    let strings = list
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => Some(Arc::clone(s)),
                            _ => None,
                        })
                        .collect();
                    Bound::In {
                        negated: *negated,
                        lhs,
                        list,
                        strings,
                        pos: e.pos,
                    }
                }
                ListOp::InCi => Bound::InCi(
                    *negated,
                    lhs,
                    list.iter().map(Value::to_kql_string).collect(),
                ),
                ListOp::HasAny => {
                    let needles: Vec<Arc<str>> = list.iter().map(Value::to_kql_string).collect();
                    let distinct: HashSet<&str> = needles.iter().map(|s| &**s).collect();
                    if distinct.len() > MAX_HAS_ANY {
                        return Err(Error::semantic(
                            e.pos,
                            format!(
                                "has_any considers at most {MAX_HAS_ANY} distinct values, this list has {}",
                                distinct.len()
                            ),
                        ));
                    }
                    Bound::HasAny(lhs, needles)
                }
            }
        }
        ExprKind::Call(f, args) => {
            let mut bound = all(args)?;
            match f {
                Func::Iff => {
                    let c = bound.remove(0);
                    let a = bound.remove(0);
                    Bound::Iff(Box::new([c, a, bound.remove(0)]), e.pos)
                }
                Func::Extract => {
                    let pattern = constant_text(&bound[0], &args[0], "extract")?;
                    let re = functions::compile_regex(&pattern, args[0].pos)?;
                    let group = match bound[1].as_const() {
                        Some(Value::Long(g)) if *g >= 0 && (*g as usize) < re.captures_len() => *g as usize,
                        _ => {
                            return Err(Error::semantic(
                                args[1].pos,
                                format!(
                                    "extract's group must be a constant from 0 to {} for this regular expression",
                                    re.captures_len() - 1
                                ),
                            ))
                        }
                    };
                    Bound::Extract(Arc::new(re), group, Box::new(bound.remove(2)))
                }
                Func::TrimEnd => {
                    let pattern = constant_text(&bound[0], &args[0], "trim_end")?;
                    let t = TrimEnd::new(&pattern, args[0].pos)?;
                    Bound::TrimEnd(Arc::new(t), Box::new(bound.remove(1)), e.pos)
                }
                Func::ReplaceRegex => {
                    let pattern = constant_text(&bound[1], &args[1], "replace_regex")?;
                    let re = functions::compile_regex(&pattern, args[1].pos)?;
                    let rewrite = literal_rewrite(&bound[2], &args[2])?;
                    Bound::ReplaceRegex(Arc::new(re), rewrite.into(), Box::new(bound.remove(0)))
                }
                Func::Ago | Func::Now => Bound::Const(at_now(*f, &bound, e.pos, cx)?),
                _ => Bound::Call(*f, bound, e.pos),
            }
        }
    })
}

/// `ago(span)` or `now([span])`: the caller's fixed time of the run, moved by
/// a constant timespan. Without a time of the run it is an error, never the
/// machine's clock: the same query over the same tables gives the same rows.
fn at_now(f: Func, args: &[Bound], pos: Pos, cx: &dyn Context) -> Result<Value, Error> {
    let name = if f == Func::Ago { "ago" } else { "now" };
    let now = cx.now().ok_or_else(|| {
        Error::semantic(
            pos,
            format!("{name}() needs the time the query runs at: give one (`huntlab kql run --now`, `Query::run_at`)"),
        )
    })?;
    let span = match args.first().map(Bound::as_const) {
        None => 0,
        Some(Some(Value::TimeSpan(t))) => *t,
        Some(_) => {
            return Err(Error::unsupported_because(
                pos,
                format!("{name}() of a value that is not a constant timespan"),
                "write a timespan literal (1h, 14d) or a let-bound one",
            ))
        }
    };
    let t = if f == Func::Ago {
        now.checked_sub(span)
    } else {
        now.checked_add(span)
    };
    t.map(Value::DateTime)
        .ok_or_else(|| Error::semantic(pos, format!("{name}(): the time is out of range")))
}

/// `replace_regex`'s rewrite: a constant string without `\\` (Kusto's group
/// references, `\\1`, are not in the subset).
fn literal_rewrite(b: &Bound, e: &Expr) -> Result<String, Error> {
    match b.as_const() {
        Some(Value::String(s)) if !s.contains('\\') => Ok(s.to_string()),
        _ => Err(Error::unsupported_because(
            e.pos,
            "replace_regex() with a rewrite that is not a constant string, or that refers to groups",
            "write the rewrite as a string literal without backslashes",
        )),
    }
}

/// A regular expression argument, which must not depend on the row.
fn constant_text(b: &Bound, e: &Expr, func: &str) -> Result<String, Error> {
    match b.as_const() {
        Some(Value::String(s)) => Ok(s.to_string()),
        _ => Err(Error::unsupported_because(
            e.pos,
            format!("{func}() with a regular expression that is not a constant string"),
            "write the regular expression as a string literal or a let-bound string",
        )),
    }
}

fn name(n: &str, pos: Pos, columns: &[Column], cx: &dyn Context) -> Result<Bound, Error> {
    let col = columns.iter().position(|c| c.name == n);
    match (col, cx.scalar(n)) {
        (Some(_), Some(_)) => Err(Error::semantic(
            pos,
            format!("`{n}` is both a column and a let-bound value; rename the let"),
        )),
        (Some(i), None) => Ok(Bound::Col(i)),
        (None, Some(v)) => Ok(Bound::Const(v.clone())),
        (None, None) if cx.is_table(n) => Err(Error::semantic(
            pos,
            format!("`{n}` is a table, used where a scalar is expected"),
        )),
        (None, None) => Err(unknown_name(n, pos, columns)),
    }
}

fn unknown_name(n: &str, pos: Pos, columns: &[Column]) -> Error {
    let similar = columns.iter().find(|c| c.name.eq_ignore_ascii_case(n));
    let detail = match similar {
        Some(c) => format!("; did you mean `{}`? (names are case-sensitive)", c.name),
        None if columns.is_empty() => " (no columns here: in a let, or a list of in / has_any, only let-bound names and constants)".into(),
        None => {
            let names: Vec<&str> = columns.iter().take(30).map(|c| c.name.as_str()).collect();
            let more = if columns.len() > 30 { ", ..." } else { "" };
            format!("; the columns are {}{more}", names.join(", "))
        }
    };
    Error::semantic(pos, format!("unknown column or name `{n}`{detail}"))
}

/// The values of an `in` / `has_any` list: scalars, `dynamic` arrays flattened,
/// and the first column of tables.
fn list_values(items: &[ListItem], cx: &dyn Context) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for item in items {
        match item {
            ListItem::Tabular(t) => out.extend(cx.first_column(t)?),
            ListItem::Scalar(Expr {
                kind: ExprKind::Name(n),
                pos,
            }) if cx.is_table(n) && cx.scalar(n).is_none() => {
                out.extend(cx.first_column(&Tabular {
                    source: Source::Name {
                        name: n.clone(),
                        pos: *pos,
                    },
                    ops: Vec::new(),
                })?)
            }
            ListItem::Scalar(e) => match bind(e, &[], cx)? {
                Bound::Const(Value::Dynamic(j)) if j.is_array() => {
                    let items = j.as_array().map(Vec::as_slice).unwrap_or_default();
                    out.extend(items.iter().map(Value::from_json_element));
                }
                Bound::Const(v) => out.push(v),
                _ => return Err(Error::semantic(e.pos, "a list element must be a constant")),
            },
        }
    }
    Ok(out)
}
