//! What operators and functions do to values: comparison and ordering with
//! Kusto's null rules, member access into `dynamic`, the scalar functions, and
//! the regular expressions of `extract` and `trim_end`.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use serde_json::Value as Json;

use super::ast::{CmpOp, Func, Step};
use super::error::{Error, Pos};
use super::value::Value;
use detections::kql;

/// The most distinct values `has_any` considers (Kusto's documented limit).
pub const MAX_HAS_ANY: usize = 10_000;

/// The compiled size limit of a regular expression.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn cannot(what: &str, a: &Value, b: &Value, pos: Pos) -> Error {
    Error::semantic(
        pos,
        format!(
            "cannot {what} a {} with a {} (Kusto rejects this too; convert one side, e.g. with tostring())",
            a.ty(),
            b.ty()
        ),
    )
}

/// A `dynamic` scalar compared with a typed value is read as that scalar
/// (`parse_json(x).Port == 443`); two `dynamic` values are not compared, as in
/// Kusto ("cannot compare dynamic values without explicit cast").
fn unwrap_dynamic<'a>(
    a: &'a Value,
    b: &'a Value,
    pos: Pos,
) -> Result<(Cow<'a, Value>, Cow<'a, Value>), Error> {
    let scalar = |j: &Json| Value::from_json_element(j);
    Ok(match (a, b) {
        (Value::Dynamic(_), Value::Dynamic(_)) => {
            return Err(Error::semantic(
                pos,
                "Kusto does not compare two dynamic values without an explicit cast; wrap them in tostring() or tolong()",
            ))
        }
        (Value::Dynamic(j), other) if !matches!(other, Value::Null) => {
            (Cow::Owned(scalar(j)), Cow::Borrowed(b))
        }
        (other, Value::Dynamic(j)) if !matches!(other, Value::Null) => {
            (Cow::Borrowed(a), Cow::Owned(scalar(j)))
        }
        _ => (Cow::Borrowed(a), Cow::Borrowed(b)),
    })
}

/// `a == b`: `None` when both are null (Kusto's `bool(null)`); a null against a
/// string reads as `""` (Kusto strings have no null).
pub fn equals(a: &Value, b: &Value, pos: Pos) -> Result<Option<bool>, Error> {
    let (a, b) = unwrap_dynamic(a, b, pos)?;
    let (a, b) = (&*a, &*b);
    Ok(Some(match (a, b) {
        (Value::Null, Value::Null) => return Ok(None),
        (Value::String(s), Value::Null) | (Value::Null, Value::String(s)) => s.is_empty(),
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::String(x), Value::String(y)) => kql::eq(x, y),
        (Value::Long(x), Value::Long(y)) => x == y,
        (Value::Long(_) | Value::Real(_), Value::Long(_) | Value::Real(_)) => {
            as_f64(a) == as_f64(b)
        }
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::DateTime(x), Value::DateTime(y)) | (Value::TimeSpan(x), Value::TimeSpan(y)) => {
            x == y
        }
        // A dynamic array or object against a scalar.
        (Value::Dynamic(_), _) | (_, Value::Dynamic(_)) => false,
        _ => return Err(cannot("compare", a, b, pos)),
    }))
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Long(i) => *i as f64,
        Value::Real(r) => *r,
        _ => f64::NAN,
    }
}

/// The order of two values: `None` when either is null (or NaN). Numbers,
/// strings (ordinal, byte by byte), datetimes and bools are ordered.
pub fn order(a: &Value, b: &Value, pos: Pos) -> Result<Option<Ordering>, Error> {
    let (a, b) = unwrap_dynamic(a, b, pos)?;
    let (a, b) = (&*a, &*b);
    Ok(match (a, b) {
        (Value::Null, _) | (_, Value::Null) => None,
        (Value::Long(x), Value::Long(y)) => Some(x.cmp(y)),
        (Value::Long(_) | Value::Real(_), Value::Long(_) | Value::Real(_)) => {
            as_f64(a).partial_cmp(&as_f64(b))
        }
        (Value::String(x), Value::String(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Value::DateTime(x), Value::DateTime(y)) | (Value::TimeSpan(x), Value::TimeSpan(y)) => {
            Some(x.cmp(y))
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => return Err(cannot("order", a, b, pos)),
    })
}

/// A comparison operator applied to two values.
pub fn compare(op: CmpOp, a: &Value, b: &Value, pos: Pos) -> Result<Value, Error> {
    let r = match op {
        CmpOp::Eq => equals(a, b, pos)?,
        CmpOp::Ne => equals(a, b, pos)?.map(|e| !e),
        CmpOp::EqCi => Some(kql::eq_ci(&a.to_kql_string(), &b.to_kql_string())),
        CmpOp::NeCi => Some(!kql::eq_ci(&a.to_kql_string(), &b.to_kql_string())),
        CmpOp::Lt => order(a, b, pos)?.map(Ordering::is_lt),
        CmpOp::Le => order(a, b, pos)?.map(Ordering::is_le),
        CmpOp::Gt => order(a, b, pos)?.map(Ordering::is_gt),
        CmpOp::Ge => order(a, b, pos)?.map(Ordering::is_ge),
    };
    Ok(r.map_or(Value::Null, Value::Bool))
}

/// A value in a place that needs a bool: `Some(b)`, `None` for null.
pub fn truth(v: &Value, pos: Pos) -> Result<Option<bool>, Error> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        Value::Dynamic(j) if j.is_boolean() => Ok(j.as_bool()),
        other => Err(Error::semantic(
            pos,
            format!("expected a bool here, got a {}", other.ty()),
        )),
    }
}

/// Follow `.Member` and `[index]` steps into a `dynamic` value. A missing
/// member, an index out of range or a step into null gives null.
pub fn follow(mut v: Value, steps: &[Step], pos: Pos) -> Result<Value, Error> {
    for step in steps {
        let json = match &v {
            Value::Null => return Ok(Value::Null),
            Value::Dynamic(j) => Arc::clone(j),
            other => {
                return Err(Error::semantic(
                    pos,
                    format!(
                        "member access needs a dynamic value, got a {}; use parse_json(...) first",
                        other.ty()
                    ),
                ))
            }
        };
        let next = match (step, &*json) {
            (Step::Member(m), Json::Object(o)) => o.get(m),
            (Step::Index(i), Json::Array(a)) => {
                let idx = if *i < 0 {
                    a.len().checked_sub(i.unsigned_abs() as usize)
                } else {
                    usize::try_from(*i).ok()
                };
                idx.and_then(|k| a.get(k))
            }
            _ => None,
        };
        v = next.map_or(Value::Null, |j| Value::dynamic(j.clone()));
    }
    Ok(v)
}

/// The plain scalar functions (not `iff`, `extract`, `trim_end`, which the
/// evaluator handles itself).
pub fn call(f: Func, args: &[Value], pos: Pos) -> Result<Value, Error> {
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    Ok(match f {
        Func::ToLower => Value::str(&arg(0).to_kql_string().to_lowercase()),
        Func::ToUpper => Value::str(&arg(0).to_kql_string().to_uppercase()),
        Func::Strcat => {
            let mut s = String::new();
            for a in args {
                s.push_str(&a.to_kql_string());
            }
            Value::str(&s)
        }
        Func::ToString => Value::String(arg(0).to_kql_string()),
        Func::ParseJson => parse_json(arg(0)),
        Func::IsEmpty => Value::Bool(arg(0).is_empty()),
        Func::IsNotEmpty => Value::Bool(!arg(0).is_empty()),
        Func::IsNull => Value::Bool(matches!(arg(0), Value::Null)),
        Func::IsNotNull => Value::Bool(!matches!(arg(0), Value::Null)),
        Func::Not => truth(arg(0), pos)?.map_or(Value::Null, |b| Value::Bool(!b)),
        Func::ToLong => to_long(arg(0)),
        Func::Ipv4InAnyRange => in_any_range(args, Family::V4),
        Func::Ipv6InAnyRange => in_any_range(args, Family::V6),
        // Bound to constants (`bind::at_now`); never called on a row.
        Func::Ago | Func::Now => {
            return Err(Error::semantic(
                pos,
                "ago() and now() are read when the query is bound",
            ))
        }
        Func::Iff | Func::Extract | Func::TrimEnd | Func::ReplaceRegex => {
            return Err(Error::semantic(
                pos,
                "internal: special function called plainly",
            ))
        }
    })
}

/// `tolong`: a long as it is, a real truncated, a boolean 1 or 0, text
/// holding a whole number that number; anything else null.
fn to_long(v: &Value) -> Value {
    let from_json = |j: &Json| match j {
        Json::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|r| r.is_finite()).map(|r| r as i64)),
        Json::String(s) => s.trim().parse().ok(),
        Json::Bool(b) => Some(i64::from(*b)),
        _ => None,
    };
    let n = match v {
        Value::Long(n) => Some(*n),
        Value::Real(r) if r.is_finite() => Some(*r as i64),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Dynamic(j) => from_json(j),
        _ => None,
    };
    n.map_or(Value::Null, Value::Long)
}

/// Which address family an `ipv*_is_in_any_range` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// IPv4 addresses and ranges only.
    V4,
    /// IPv6, with IPv4 addresses and ranges read as IPv4-mapped
    /// (`198.51.100.0/24` as `::ffff:198.51.100.0/120`).
    V6,
}

/// An address of the family as a 128-bit number and its width (32 or 128).
fn address(text: &str, family: Family) -> Option<(u128, u32)> {
    let a: std::net::IpAddr = text.trim().parse().ok()?;
    match (a, family) {
        (std::net::IpAddr::V4(a), Family::V4) => Some((u128::from(u32::from(a)), 32)),
        (std::net::IpAddr::V6(_), Family::V4) => None,
        (std::net::IpAddr::V4(a), Family::V6) => Some((u128::from(a.to_ipv6_mapped()), 128)),
        (std::net::IpAddr::V6(a), Family::V6) => Some((u128::from(a), 128)),
    }
}

/// Whether `ip` lies in the range `range` (an address, or `address/prefix`).
/// `None` where either does not read as the family's.
fn in_range(ip: (u128, u32), range: &str, family: Family) -> Option<bool> {
    let (a, len) = match range.split_once('/') {
        Some((a, len)) => (a, Some(len.trim().parse::<u32>().ok()?)),
        None => (range, None),
    };
    let v4_written = a.trim().parse::<std::net::Ipv4Addr>().is_ok();
    let (net, width) = address(a, family)?;
    let len = match len {
        None => width,
        // An IPv4 range read as IPv6 is the mapped range.
        Some(l) if v4_written && family == Family::V6 && l <= 32 => l + 96,
        Some(l) if l <= width => l,
        Some(_) => return None,
    };
    let shift = width - len;
    let mask = |x: u128| if shift >= 128 { 0 } else { x >> shift };
    Some(mask(ip.0) == mask(net))
}

/// `ipv4_is_in_any_range` and `ipv6_is_in_any_range`: whether the address
/// (the first argument) lies in any of the ranges (the others, each a range
/// or a `dynamic` array of ranges); null where the address or a range does
/// not read as an address of the family.
fn in_any_range(args: &[Value], family: Family) -> Value {
    let Some(ip) = args
        .first()
        .and_then(|v| address(&v.to_kql_string(), family))
    else {
        return Value::Null;
    };
    let mut ranges: Vec<String> = Vec::new();
    for a in &args[1..] {
        match a {
            Value::Dynamic(j) => match &**j {
                Json::Array(items) => {
                    for i in items {
                        match i {
                            Json::String(s) => ranges.push(s.clone()),
                            _ => return Value::Null,
                        }
                    }
                }
                Json::String(s) => ranges.push(s.clone()),
                _ => return Value::Null,
            },
            other => ranges.push(other.to_kql_string().to_string()),
        }
    }
    let mut any = false;
    for r in &ranges {
        match in_range(ip, r, family) {
            Some(hit) => any |= hit,
            None => return Value::Null,
        }
    }
    Value::Bool(any)
}

/// `parse_json`: a string holding JSON gives that JSON; a string that is not JSON
/// gives a dynamic string; a dynamic value is kept as it is.
fn parse_json(v: &Value) -> Value {
    match v {
        Value::String(s) => match serde_json::from_str::<Json>(s) {
            Ok(j) => Value::dynamic(j),
            Err(_) => Value::dynamic(Json::String(s.to_string())),
        },
        Value::Null | Value::Dynamic(_) => v.clone(),
        other => Value::dynamic(other.to_json()),
    }
}

/// Compile a regular expression (RE2 syntax, as Kusto's), within size limits.
/// A pattern compiled before is taken from [`COMPILED`] (a query is bound
/// once per table it runs on, and a report runs each deployed form on every
/// scenario's tables: the same few patterns, compiled once).
pub fn compile_regex(pattern: &str, pos: Pos) -> Result<Regex, Error> {
    let mut compiled = COMPILED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, re)) = compiled.iter().find(|(p, _)| **p == *pattern) {
        return Ok(re.clone());
    }
    let re = RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            let msg = e.to_string();
            let first = msg.lines().last().unwrap_or("invalid").trim();
            Error::semantic(pos, format!("bad regular expression {pattern:?}: {first}"))
        })?;
    if compiled.len() == COMPILED_KEPT {
        compiled.remove(0);
    }
    compiled.push((pattern.into(), re.clone()));
    Ok(re)
}

/// The regular expressions compiled last, by pattern (a `Regex` clone shares
/// its compiled program). Only successful compiles are kept: a bad pattern
/// gives its error each time.
static COMPILED: std::sync::Mutex<Vec<(Box<str>, Regex)>> = std::sync::Mutex::new(Vec::new());

/// How many compiled patterns [`COMPILED`] keeps (the oldest goes first).
const COMPILED_KEPT: usize = 64;

/// `extract(regex, group, text)`, with the regex and group already checked.
pub fn extract(re: &Regex, group: usize, text: &str) -> Value {
    let found = re
        .captures(text)
        .and_then(|c| c.get(group))
        .map_or("", |m| m.as_str());
    Value::str(found)
}

/// `trim_end(regex, text)`'s two compiled forms: one trailing match, and a run
/// of trailing matches.
#[derive(Debug, Clone)]
pub struct TrimEnd {
    once: Regex,
    repeated: Regex,
}

impl TrimEnd {
    /// Compile `trim_end`'s regular expression.
    pub fn new(pattern: &str, pos: Pos) -> Result<Self, Error> {
        compile_regex(pattern, pos)?;
        Ok(Self {
            once: compile_regex(&format!("(?:{pattern})$"), pos)?,
            repeated: compile_regex(&format!("(?:{pattern})+$"), pos)?,
        })
    }

    /// Trim `text`. Kusto's documentation does not say whether a run of
    /// trailing matches is trimmed whole or one match is trimmed; where the two
    /// readings differ this is an error rather than a guess.
    pub fn apply(&self, text: &str, pos: Pos) -> Result<Value, Error> {
        let cut = |re: &Regex| re.find(text).map_or(text.len(), |m| m.start());
        let (once, repeated) = (cut(&self.once), cut(&self.repeated));
        if once != repeated {
            return Err(Error::unsupported_because(
                pos,
                "trim_end() over repeated trailing matches",
                format!(
                    "on {text:?} trimming one match and trimming every match differ, and Kusto's documentation does not say which it does; make the regular expression match the whole tail (e.g. add +)"
                ),
            ));
        }
        Ok(Value::str(&text[..once]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const P: Pos = Pos::START;

    #[test]
    fn a_compiled_pattern_is_reused_and_a_bad_one_errs_every_time() {
        let a = compile_regex(r"^kept-(\d+)$", P).unwrap();
        let b = compile_regex(r"^kept-(\d+)$", P).unwrap();
        assert_eq!(a.as_str(), b.as_str());
        assert_eq!(
            b.captures("kept-42")
                .and_then(|c| c.get(1))
                .map(|m| m.as_str()),
            Some("42")
        );
        for _ in 0..2 {
            let e = compile_regex("(unclosed", P).unwrap_err().to_string();
            assert!(e.contains("bad regular expression \"(unclosed\""), "{e}");
        }
        // More patterns than are kept: each still compiles to itself.
        for i in 0..(COMPILED_KEPT + 3) {
            let p = format!("^p{i}$");
            assert!(compile_regex(&p, P).unwrap().is_match(&format!("p{i}")));
        }
        assert!(COMPILED.lock().unwrap().len() <= COMPILED_KEPT);
    }

    #[test]
    fn null_rules_follow_kusto() {
        assert_eq!(equals(&Value::Null, &Value::Null, P).unwrap(), None);
        assert_eq!(
            equals(&Value::Null, &Value::Long(1), P).unwrap(),
            Some(false)
        );
        assert_eq!(
            compare(CmpOp::Ne, &Value::Null, &Value::Long(1), P).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            equals(&Value::Null, &Value::str(""), P).unwrap(),
            Some(true)
        );
        assert!(equals(&Value::Long(1), &Value::str("1"), P).is_err());
        let port = Value::dynamic(json!(443));
        assert_eq!(equals(&port, &Value::Long(443), P).unwrap(), Some(true));
        assert_eq!(
            equals(&Value::dynamic(json!([1])), &Value::Long(1), P).unwrap(),
            Some(false)
        );
        assert!(equals(&port, &port, P).is_err());
        assert!(equals(&port, &Value::str("443"), P).is_err());
        assert_eq!(
            compare(CmpOp::Lt, &Value::Null, &Value::Long(1), P).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn member_paths() {
        let v = Value::dynamic(json!({"a": {"b": [1, 2, 3]}}));
        let steps = [
            Step::Member("a".into()),
            Step::Member("b".into()),
            Step::Index(-1),
        ];
        assert_eq!(
            follow(v.clone(), &steps, P).unwrap(),
            Value::dynamic(json!(3))
        );
        assert_eq!(
            follow(v, &[Step::Member("x".into()), Step::Index(0)], P).unwrap(),
            Value::Null
        );
        assert!(follow(Value::str("{}"), &[Step::Member("a".into())], P).is_err());
    }

    #[test]
    fn trim_end_trims_a_tail_and_refuses_to_guess() {
        let t = TrimEnd::new(r"\.", P).unwrap();
        assert_eq!(t.apply("a.io.", P).unwrap(), Value::str("a.io"));
        assert_eq!(t.apply("a.io", P).unwrap(), Value::str("a.io"));
        assert!(t.apply("a..", P).is_err());
        let t = TrimEnd::new(r"[^\w]+", P).unwrap();
        assert_eq!(t.apply("- Te st1// $", P).unwrap(), Value::str("- Te st1"));
        assert!(TrimEnd::new("(", P).is_err());
        assert!(TrimEnd::new("a)|(b", P).is_err());
    }

    #[test]
    fn parse_json_keeps_text_that_is_not_json() {
        assert_eq!(
            parse_json(&Value::str("{\"a\":1}")),
            Value::dynamic(json!({"a": 1}))
        );
        assert_eq!(parse_json(&Value::str("x{")), Value::dynamic(json!("x{")));
    }
}
