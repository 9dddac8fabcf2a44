//! Scalar values and column types of the local KQL evaluator.
//!
//! Kusto's `string` has no null: an absent string is `""`. Every other type has a
//! null. A `datetime` is held as 100-nanosecond ticks since the Unix epoch, UTC.
//! A `dynamic` value keeps its JSON; a JSON `null` inside it reads as [`Value::Null`].

use std::fmt;
use std::sync::Arc;

use serde_json::Value as Json;

/// A column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `long` (also `int`).
    Long,
    /// `real` (also `double`).
    Real,
    /// `string`.
    String,
    /// `datetime`.
    DateTime,
    /// `timespan`.
    TimeSpan,
    /// `dynamic`: JSON arrays, objects, or mixed values.
    Dynamic,
    /// Nothing known: a column whose every value is null or absent.
    Unknown,
}

impl Type {
    /// The type named in a `datatable` schema, or `None` if the evaluator has no such type.
    pub fn from_kql(name: &str) -> Option<Type> {
        Some(match name {
            "bool" | "boolean" => Type::Bool,
            "long" | "int" => Type::Long,
            "real" | "double" => Type::Real,
            "string" => Type::String,
            "datetime" | "date" => Type::DateTime,
            "timespan" | "time" => Type::TimeSpan,
            "dynamic" => Type::Dynamic,
            _ => return None,
        })
    }

    /// The type two values of types `self` and `other` share in one column.
    pub fn merge(self, other: Type) -> Type {
        match (self, other) {
            (a, b) if a == b => a,
            (Type::Unknown, t) | (t, Type::Unknown) => t,
            (Type::Long, Type::Real) | (Type::Real, Type::Long) => Type::Real,
            _ => Type::Dynamic,
        }
    }

    /// The value an absent cell of this type holds: `""` for strings, null otherwise.
    pub fn empty_value(self) -> Value {
        match self {
            Type::String => Value::str(""),
            _ => Value::Null,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Bool => "bool",
            Type::Long => "long",
            Type::Real => "real",
            Type::String => "string",
            Type::DateTime => "datetime",
            Type::TimeSpan => "timespan",
            Type::Dynamic => "dynamic",
            Type::Unknown => "null",
        })
    }
}

/// A scalar value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Null (never a string: strings are `""` instead).
    Null,
    /// `bool`.
    Bool(bool),
    /// `long`.
    Long(i64),
    /// `real`.
    Real(f64),
    /// `string`.
    String(Arc<str>),
    /// `datetime`, as 100 ns ticks since 1970-01-01T00:00:00Z.
    DateTime(i64),
    /// `timespan`, as 100 ns ticks (negative for a span back in time).
    TimeSpan(i64),
    /// `dynamic`: never JSON null (that is [`Value::Null`]).
    Dynamic(Arc<Json>),
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::String(Arc::from(s))
    }

    /// The type of this value ([`Type::Unknown`] for null).
    pub fn ty(&self) -> Type {
        match self {
            Value::Null => Type::Unknown,
            Value::Bool(_) => Type::Bool,
            Value::Long(_) => Type::Long,
            Value::Real(_) => Type::Real,
            Value::String(_) => Type::String,
            Value::DateTime(_) => Type::DateTime,
            Value::TimeSpan(_) => Type::TimeSpan,
            Value::Dynamic(_) => Type::Dynamic,
        }
    }

    /// A `dynamic` value holding `json` (JSON null gives [`Value::Null`]).
    pub fn dynamic(json: Json) -> Value {
        match json {
            Json::Null => Value::Null,
            j => Value::Dynamic(Arc::new(j)),
        }
    }

    /// A JSON value read as a column of type `ty`, or `None` if it does not fit.
    /// Absent and null cells of a string column read as `""`.
    pub fn from_json(json: Option<&Json>, ty: Type) -> Option<Value> {
        let json = match json {
            None | Some(Json::Null) => return Some(ty.empty_value()),
            Some(j) => j,
        };
        Some(match (ty, json) {
            (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
            (Type::Long, Json::Number(n)) => Value::Long(n.as_i64()?),
            (Type::Real, Json::Number(n)) => Value::Real(n.as_f64()?),
            (Type::String, Json::String(s)) => Value::str(s),
            (Type::DateTime, Json::String(s)) => Value::DateTime(parse_datetime(s, true)?),
            (Type::Dynamic, j) => Value::dynamic(j.clone()),
            _ => return None,
        })
    }

    /// An element of a `dynamic` array or object read as a scalar: strings,
    /// numbers and booleans as such, arrays and objects stay dynamic.
    pub fn from_json_element(json: &Json) -> Value {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Long(i),
                None => n.as_f64().map_or(Value::Null, Value::Real),
            },
            Json::String(s) => Value::str(s),
            j => Value::dynamic(j.clone()),
        }
    }

    /// This value as output JSON: datetimes as ISO 8601 text (see [`format_datetime`]),
    /// non-finite reals as null.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Long(i) => Json::from(*i),
            Value::Real(r) => serde_json::Number::from_f64(*r).map_or(Json::Null, Json::Number),
            Value::String(s) => Json::String(s.to_string()),
            Value::DateTime(t) => Json::String(format_datetime(*t)),
            Value::TimeSpan(t) => Json::String(format_timespan(*t)),
            Value::Dynamic(j) => (**j).clone(),
        }
    }

    /// Kusto's `tostring()`: null is `""`, a dynamic string is its text, other
    /// dynamic values are compact JSON, datetimes have seven fraction digits.
    pub fn to_kql_string(&self) -> Arc<str> {
        match self {
            Value::String(s) => Arc::clone(s),
            Value::Null => Arc::from(""),
            Value::Bool(b) => Arc::from(if *b { "true" } else { "false" }),
            Value::Long(i) => Arc::from(i.to_string()),
            Value::Real(r) => Arc::from(format_real(*r)),
            Value::DateTime(t) => Arc::from(format_datetime_kusto(*t)),
            Value::TimeSpan(t) => Arc::from(format_timespan(*t)),
            Value::Dynamic(j) => match &**j {
                Json::String(s) => Arc::from(s.as_str()),
                other => Arc::from(other.to_string()),
            },
        }
    }

    /// True for null and for `""` (also a dynamic `""`): Kusto's `isempty()`.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Dynamic(j) => matches!(&**j, Json::String(s) if s.is_empty()),
            _ => false,
        }
    }
}

/// Ticks (100 ns) in a second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;

/// A timespan as Kusto writes it: `[-][d.]hh:mm:ss[.fffffff]`
/// (`01:00:00`, `14.00:00:00`, `00:00:00.5000000`).
pub fn format_timespan(ticks: i64) -> String {
    let sign = if ticks < 0 { "-" } else { "" };
    let t = ticks.unsigned_abs();
    let per_s = TICKS_PER_SECOND.unsigned_abs();
    let (secs, frac) = (t / per_s, t % per_s);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let mut out = String::from(sign);
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!("{h:02}:{m:02}:{s:02}"));
    if frac > 0 {
        out.push_str(&format!(".{frac:07}"));
    }
    out
}

fn format_real(r: f64) -> String {
    if r.is_nan() {
        "NaN".into()
    } else if r.is_infinite() {
        if r > 0.0 { "+inf" } else { "-inf" }.into()
    } else {
        r.to_string()
    }
}

/// A hashable stand-in for a value, for `distinct`, `summarize` and `join`: a
/// `long` and an integral `real` of the same value are the same key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// Null (and NaN).
    Null,
    /// A bool.
    Bool(bool),
    /// A long, or an integral real.
    Int(i64),
    /// Any other real, by its bits.
    Real(u64),
    /// A string.
    Str(Arc<str>),
    /// A datetime.
    Time(i64),
    /// A timespan.
    Span(i64),
    /// A dynamic value, as compact JSON.
    Json(String),
}

impl Key {
    /// The key of a value.
    pub fn of(v: &Value) -> Key {
        match v {
            Value::Null => Key::Null,
            Value::Bool(b) => Key::Bool(*b),
            Value::Long(i) => Key::Int(*i),
            Value::Real(r) if r.is_nan() => Key::Null,
            Value::Real(r) => {
                let i = *r as i64;
                if i as f64 == *r && r.fract() == 0.0 {
                    Key::Int(i)
                } else {
                    Key::Real(r.to_bits())
                }
            }
            Value::String(s) => Key::Str(Arc::clone(s)),
            Value::DateTime(t) => Key::Time(*t),
            Value::TimeSpan(t) => Key::Span(*t),
            Value::Dynamic(j) => Key::Json(j.to_string()),
        }
    }
}

const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;

/// Parse an ISO 8601 UTC date and time into ticks.
///
/// `strict` (how table cells are recognised as datetimes): exactly
/// `YYYY-MM-DDTHH:MM:SS[.f{1,7}]Z`. Otherwise (a `datetime(...)` literal) also
/// `YYYY-MM-DD`, a space for `T`, no seconds, and no `Z`. Offsets other than `Z`
/// are not read.
pub fn parse_datetime(text: &str, strict: bool) -> Option<i64> {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = b.get(r)?;
        if s.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&m) {
        return None;
    }
    // Both in range: the month checked above, the day of month below.
    let (m, d) = (m as u32, d as u32);
    if !(1..=calendar::days_in_month(y, m)).contains(&d) {
        return None;
    }
    let mut ticks = calendar::days_from_civil(y, m, d) * TICKS_PER_DAY;
    let rest = &b[10..];
    if rest.is_empty() {
        return (!strict).then_some(ticks);
    }
    let sep_ok = rest[0] == b'T' || (!strict && rest[0] == b' ');
    let (h, mi) = (num(11..13)?, num(14..16)?);
    if !sep_ok || b.get(13) != Some(&b':') || h > 23 || mi > 59 {
        return None;
    }
    ticks += (h * 3600 + mi * 60) * TICKS_PER_SECOND;
    let mut i = 16;
    if b.get(i) == Some(&b':') {
        let s = num(17..19)?;
        if s > 59 {
            return None;
        }
        ticks += s * TICKS_PER_SECOND;
        i = 19;
        if b.get(i) == Some(&b'.') {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=7).contains(&digits) {
                return None;
            }
            let frac = num(i + 1..i + 1 + digits)?;
            ticks += frac * 10_i64.pow(7 - digits as u32);
            i += 1 + digits;
        }
    } else if strict {
        return None;
    }
    match &b[i..] {
        b"Z" => Some(ticks),
        b"" if !strict => Some(ticks),
        _ => None,
    }
}

fn split_ticks(ticks: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let days = ticks.div_euclid(TICKS_PER_DAY);
    let in_day = ticks.rem_euclid(TICKS_PER_DAY);
    let (y, m, d) = calendar::civil_from_days(days);
    let (m, d) = (i64::from(m), i64::from(d));
    let secs = in_day / TICKS_PER_SECOND;
    (
        y,
        m,
        d,
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        in_day % TICKS_PER_SECOND,
    )
}

/// A datetime as output text: `2026-05-21T08:00:00.000Z`, with milliseconds, or
/// all seven fraction digits when the value is finer than a millisecond.
pub fn format_datetime(ticks: i64) -> String {
    let (y, m, d, h, mi, s, frac) = split_ticks(ticks);
    if frac % 10_000 == 0 {
        format!(
            "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
            frac / 10_000
        )
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:07}Z")
    }
}

/// A datetime as Kusto's `tostring()` writes it: `2026-05-21T08:00:00.0000000Z`.
pub fn format_datetime_kusto(ticks: i64) -> String {
    let (y, m, d, h, mi, s, frac) = split_ticks(ticks);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:07}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip() {
        let t = parse_datetime("2026-05-21T00:00:30.461Z", true).unwrap();
        assert_eq!(format_datetime(t), "2026-05-21T00:00:30.461Z");
        assert_eq!(format_datetime_kusto(t), "2026-05-21T00:00:30.4610000Z");
        let t = parse_datetime("1969-12-31T23:59:59.1234567Z", true).unwrap();
        assert_eq!(format_datetime(t), "1969-12-31T23:59:59.1234567Z");
        assert_eq!(parse_datetime("1970-01-01", false), Some(0));
        assert_eq!(
            parse_datetime("2024-02-29 12:30", false),
            parse_datetime("2024-02-29T12:30:00Z", true)
        );
    }

    #[test]
    fn datetime_parsing_rejects_what_it_cannot_read() {
        for bad in [
            "2026-05-21",
            "2026-02-30T00:00:00Z",
            "2026-05-21T24:00:00Z",
            "2026-05-21T00:00:00+01:00",
            "2026-05-21T00:00:00.12345678Z",
            "2026-05-21 00:00:00Z",
            "20260521",
            "",
            "é",
        ] {
            assert_eq!(parse_datetime(bad, true), None, "{bad}");
        }
        assert_eq!(parse_datetime("2026-05-21T00:00:00+01:00", false), None);
    }

    #[test]
    fn keys_equate_integral_reals_and_longs() {
        assert_eq!(Key::of(&Value::Long(3)), Key::of(&Value::Real(3.0)));
        assert_ne!(Key::of(&Value::Long(3)), Key::of(&Value::Real(3.5)));
        assert_eq!(Key::of(&Value::Real(f64::NAN)), Key::Null);
    }
}
