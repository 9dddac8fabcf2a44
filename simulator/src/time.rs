//! UTC timestamps: milliseconds since the Unix epoch, formatted the way each
//! source writes them, and parsed from the forms users type. Proleptic Gregorian
//! calendar, integer arithmetic only.

pub use calendar::{civil_from_days, days_from_civil};

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
}

fn parts(ms: i64) -> Parts {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    Parts {
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        milli: rem % 1000,
    }
}

/// ISO 8601 with milliseconds and `Z`: `2026-05-21T10:00:00.123Z` (Sentinel
/// `TimeGenerated`, Defender `Timestamp`, Sysmon exports' `@timestamp`).
pub fn iso(ms: i64) -> String {
    stamp(ms, b'T', true)
}

/// Sysmon's `UtcTime`: `2026-05-21 10:00:00.123`.
pub fn sysmon(ms: i64) -> String {
    stamp(ms, b' ', false)
}

/// `yyyy-MM-dd{sep}HH:mm:ss.fff`, with a `Z` when `zulu`: digits written in
/// place for years 0 to 9999 (every row's time), else through `format!`
/// (the same text: the year padded to four digits, its sign kept).
fn stamp(ms: i64, sep: u8, zulu: bool) -> String {
    let p = parts(ms);
    if !(0..=9999).contains(&p.year) {
        return format!(
            "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}.{:03}{}",
            p.year,
            p.month,
            p.day,
            char::from(sep),
            p.hour,
            p.minute,
            p.second,
            p.milli,
            if zulu { "Z" } else { "" }
        );
    }
    // Every value below is in range (year 0..=9999, month 1..=12, ...), so
    // each digit is 0..=9.
    let digit = |v: i64, div: i64| b'0' + (v / div % 10) as u8;
    let b = [
        digit(p.year, 1000),
        digit(p.year, 100),
        digit(p.year, 10),
        digit(p.year, 1),
        b'-',
        digit(i64::from(p.month), 10),
        digit(i64::from(p.month), 1),
        b'-',
        digit(i64::from(p.day), 10),
        digit(i64::from(p.day), 1),
        sep,
        digit(p.hour, 10),
        digit(p.hour, 1),
        b':',
        digit(p.minute, 10),
        digit(p.minute, 1),
        b':',
        digit(p.second, 10),
        digit(p.second, 1),
        b'.',
        digit(p.milli, 100),
        digit(p.milli, 10),
        digit(p.milli, 1),
        b'Z',
    ];
    let n = if zulu { b.len() } else { b.len() - 1 };
    // ASCII digits and separators: always UTF-8 (the lossy reading is never
    // taken, and never replaces).
    match std::str::from_utf8(&b[..n]) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(&b[..n]).into_owned(),
    }
}

/// `yyyyMMdd` (for file names).
pub fn compact_date(ms: i64) -> String {
    let p = parts(ms);
    format!("{:04}{:02}{:02}", p.year, p.month, p.day)
}

/// `HHmm` (for file names).
pub fn compact_time(ms: i64) -> String {
    let p = parts(ms);
    format!("{:02}{:02}", p.hour, p.minute)
}

fn num(s: &str, what: &str) -> Result<i64, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("expected digits for the {what}, found `{s}`"));
    }
    s.parse::<i64>()
        .map_err(|_| format!("{what} `{s}` is out of range"))
}

/// Parse a timestamp: whole milliseconds since the epoch (`1779357600000`), a date
/// (`2026-05-21`, midnight UTC), or a date and time
/// (`2026-05-21T10:00`, `2026-05-21 10:00:00.5`, with an optional `Z` or
/// `+HH:MM` / `-HH:MM` offset; no offset means UTC).
pub fn parse(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .map_err(|_| format!("`{s}` is out of range"));
    }
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut d = date.split('-');
    let (Some(y), Some(mo), Some(da), None) = (d.next(), d.next(), d.next(), d.next()) else {
        return Err(format!(
            "`{s}`: expected YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM] or milliseconds"
        ));
    };
    if y.len() != 4 || mo.len() != 2 || da.len() != 2 {
        return Err(format!("`{s}`: expected YYYY-MM-DD"));
    }
    let (year, month, day) = (num(y, "year")?, num(mo, "month")?, num(da, "day")?);
    if !(1..=12).contains(&month) {
        return Err(format!("`{s}`: month {month} is not 1-12"));
    }
    let month = month as u32;
    if day < 1 || day > i64::from(calendar::days_in_month(year, month)) {
        return Err(format!("`{s}`: day {day} does not exist in that month"));
    }
    let mut ms = days_from_civil(year, month, day as u32) * 86_400_000;
    let Some(rest) = rest else { return Ok(ms) };
    // Split the offset off.
    let (clock, offset_min) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let (c, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let off = &off[1..];
        let (h, m) = off.split_once(':').unwrap_or((off, "00"));
        if h.len() != 2 || m.len() != 2 {
            return Err(format!("`{s}`: offset must be ±HH:MM"));
        }
        let (h, m) = (num(h, "offset hours")?, num(m, "offset minutes")?);
        if h > 23 || m > 59 {
            return Err(format!("`{s}`: offset out of range"));
        }
        (c, sign * (h * 60 + m))
    } else {
        (rest, 0)
    };
    let mut c = clock.split(':');
    let (Some(h), Some(mi)) = (c.next(), c.next()) else {
        return Err(format!("`{s}`: expected HH:MM after the date"));
    };
    let sec = c.next();
    if c.next().is_some() {
        return Err(format!("`{s}`: too many `:` in the time"));
    }
    let (hour, minute) = (num(h, "hour")?, num(mi, "minute")?);
    let (second, milli) = match sec {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let second = num(whole, "second")?;
            let milli = if frac.is_empty() {
                0
            } else {
                let digits: String = frac.chars().chain("000".chars()).take(3).collect();
                if !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("`{s}`: fraction of a second must be digits"));
                }
                num(&digits, "milliseconds")?
            };
            (second, milli)
        }
    };
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("`{s}`: time of day out of range"));
    }
    ms += hour * 3_600_000 + minute * 60_000 + second * 1000 + milli;
    Ok(ms - offset_min * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip() {
        let ms = parse("2026-05-21T10:00:00.123Z").unwrap();
        assert_eq!(iso(ms), "2026-05-21T10:00:00.123Z");
        assert_eq!(sysmon(ms), "2026-05-21 10:00:00.123");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(parse("1970-01-01").unwrap(), 0);
        assert_eq!(
            parse("2026-05-21 12:00+02:00").unwrap(),
            parse("2026-05-21T10:00Z").unwrap()
        );
        assert_eq!(parse("1779357600000").unwrap(), 1_779_357_600_000);
        assert_eq!(
            iso(parse("2024-02-29T23:59:59.9").unwrap()),
            "2024-02-29T23:59:59.900Z"
        );
        assert_eq!(iso(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn bad_timestamps_say_why() {
        assert!(parse("2026-02-30").unwrap_err().contains("does not exist"));
        assert!(parse("21.05.2026").is_err());
        assert!(parse("2026-05-21T25:00").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn stamps_written_in_place_are_the_formatted_text() {
        let formatted = |ms: i64, sep: char, z: &str| {
            let p = parts(ms);
            format!(
                "{:04}-{:02}-{:02}{sep}{:02}:{:02}:{:02}.{:03}{z}",
                p.year, p.month, p.day, p.hour, p.minute, p.second, p.milli
            )
        };
        let day = 86_400_000_i64;
        // Each edge of the in-place range, the epoch, and a walk over
        // uneven steps through the centuries around it.
        let mut times = vec![
            days_from_civil(0, 1, 1) * day,
            days_from_civil(0, 1, 1) * day - 1,
            days_from_civil(9999, 12, 31) * day + day - 1,
            days_from_civil(10_000, 1, 1) * day,
            0,
            -1,
        ];
        let mut t = days_from_civil(1800, 1, 1) * day;
        while t < days_from_civil(2300, 1, 1) * day {
            times.push(t);
            t += 7_777_777_777;
        }
        for ms in times {
            assert_eq!(iso(ms), formatted(ms, 'T', "Z"), "{ms}");
            assert_eq!(sysmon(ms), formatted(ms, ' ', ""), "{ms}");
        }
    }
}
