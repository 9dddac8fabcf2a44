//! Dates and the age filter. The library reads no clock: callers give "now".

use std::fmt;

use super::types::FeedIoc;

/// A calendar day (UTC), as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// A day from year, month (1-12) and day of month, if it exists.
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Day> {
        if !(1..=12).contains(&m)
            || d == 0
            || d > calendar::days_in_month(y, m)
            || !(0..=9999).contains(&y)
        {
            return None;
        }
        Some(Day(calendar::days_from_civil(y, m, d)))
    }

    /// The day of a Unix time in seconds.
    pub fn from_unix_seconds(secs: i64) -> Day {
        Day(secs.div_euclid(86_400))
    }

    /// The day a date or timestamp starts with: `YYYY-MM-DD`, followed by
    /// nothing, `T`, or a space (`2026-05-21 06:46:49`, `2026-05-21T06:46:49Z`).
    pub fn parse(s: &str) -> Option<Day> {
        let s = s.trim();
        let (date, rest) = s.split_at_checked(10)?;
        if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
            return None;
        }
        let mut parts = date.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |p: &str, n| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return None;
        }
        Day::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = calendar::civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// What [`retain_recent`] left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgeFilter {
    /// Indicators last seen (else first seen) more than the age ago.
    pub left_out: Vec<FeedIoc>,
    /// Indicators kept because they carry no readable date.
    pub undated: usize,
}

/// Keep the indicators last seen (else first seen) at most `max_age_days` days
/// before `now`; those with no readable date are kept and counted, and dates
/// after `now` count as recent.
pub fn retain_recent(iocs: &mut Vec<FeedIoc>, now: Day, max_age_days: u32) -> AgeFilter {
    let mut out = AgeFilter::default();
    let all = std::mem::take(iocs);
    for ioc in all {
        match ioc.seen() {
            Some(d) if now.0 - d.0 > i64::from(max_age_days) => out.left_out.push(ioc),
            Some(_) => iocs.push(ioc),
            None => {
                out.undated += 1;
                iocs.push(ioc);
            }
        }
    }
    out
}

impl FeedIoc {
    /// The date the indicator was last known active: last seen, else first seen.
    pub fn seen(&self) -> Option<Day> {
        let f = &self.feed;
        match f.last_seen.as_deref().and_then(Day::parse) {
            Some(d) => Some(d),
            None => f.first_seen.as_deref().and_then(Day::parse),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_days() {
        assert_eq!(Day::parse("1970-01-01"), Some(Day(0)));
        assert_eq!(
            Day::parse("2026-05-21 06:46:49").map(|d| d.to_string()),
            Some("2026-05-21".into())
        );
        assert_eq!(
            Day::parse("2024-02-29T00:00:00.000Z").map(|d| d.to_string()),
            Some("2024-02-29".into())
        );
        assert_eq!(Day::parse("2023-02-29"), None);
        assert_eq!(Day::parse("2026-5-21"), None);
        assert_eq!(Day::parse("2026-05-21x"), None);
        assert_eq!(Day::parse("None"), None);
        assert_eq!(Day::parse("２０２６-05-21"), None);
        assert_eq!(Day::from_unix_seconds(86_399), Day(0));
        assert_eq!(Day::from_unix_seconds(-1), Day(-1));
        assert_eq!(Day(-1).to_string(), "1969-12-31");
        for n in [-1, 0, 59, 60, 19_000, 2_000_000] {
            assert_eq!(Day::parse(&Day(n).to_string()), Some(Day(n)), "{n}");
        }
    }
}
