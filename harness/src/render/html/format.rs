//! Numbers and coordinates as the page prints them: fixed precision, never
//! `NaN` or infinite, thousands separated, durations for people.

use maud::{html, Markup};

use crate::metrics::fmt_ratio;

/// A coordinate with fixed precision; never `NaN` or infinite.
pub(super) fn px(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0.0".to_owned()
    }
}

/// `v / max` in `[0, 1]`; 0 when `max` is 0.
pub(super) fn scale(v: u64, max: u64) -> f64 {
    if max == 0 {
        0.0
    } else {
        (v as f64 / max as f64).clamp(0.0, 1.0)
    }
}

/// The smallest of 1, 2, 5 × 10^k at or above `max` (1 for 0).
pub(super) fn nice_ceil(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let c = step.saturating_mul(m);
            if c >= max {
                return c;
            }
        }
        if step > u64::MAX / 10 {
            return max;
        }
        step *= 10;
    }
}

/// The ratio if it is defined and finite.
pub(super) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A ratio, or a muted `n/a` where it is undefined.
pub(super) fn ratio(v: Option<f64>) -> Markup {
    html! {
        @if finite(v).is_some() { (fmt_ratio(v)) } @else { span.muted { "n/a" } }
    }
}

/// A float as Rust prints it, `n/a` when not finite.
pub(super) fn fmt_float(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "n/a".to_owned()
    }
}

/// An integer with thousands separators.
pub(super) fn int(v: u64) -> String {
    let digits = v.to_string();
    let head = match digits.len() % 3 {
        0 => 3,
        n => n,
    };
    let mut out = String::from(&digits[..head]);
    for group in digits.as_bytes()[head..].chunks(3) {
        out.push(',');
        out.push_str(std::str::from_utf8(group).unwrap_or_default());
    }
    out
}

/// Seconds for people: `42.0 s`, `3 min 20 s`, `2 h 05 min`.
pub(super) fn duration(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "n/a".to_owned();
    }
    if secs < 60.0 {
        return format!("{secs:.1} s");
    }
    let whole = secs.round() as u64;
    if whole < 3600 {
        format!("{} min {} s", whole / 60, whole % 60)
    } else if whole < 86_400 {
        format!("{} h {:02} min", whole / 3600, (whole % 3600) / 60)
    } else {
        format!("{} d {:02} h", whole / 86_400, (whole % 86_400) / 3600)
    }
}

/// Time to the first detection: a duration, `never` when there were malicious
/// rows and no alert on one, `–` when there was nothing to detect.
pub(super) fn first_detection(secs: Option<f64>, malicious: bool) -> String {
    match secs {
        Some(v) => duration(v),
        None if malicious => "never".to_owned(),
        None => "–".to_owned(),
    }
}

/// `s` cut to `max` characters, an ellipsis marking the cut.
pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `"s"` unless `n` is 1.
pub(super) fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(int(1_234_567), "1,234,567");
        assert_eq!(int(0), "0");
        assert_eq!(int(100), "100");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(123_456), "123,456");
        assert_eq!(nice_ceil(0), 1);
        assert_eq!(nice_ceil(3), 5);
        assert_eq!(nice_ceil(40), 50);
        assert_eq!(nice_ceil(100), 100);
        assert_eq!(scale(5, 0), 0.0);
        assert_eq!(px(f64::NAN), "0.0");
        assert_eq!(duration(75.5), "1 min 16 s");
        assert_eq!(duration(7260.0), "2 h 01 min");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
