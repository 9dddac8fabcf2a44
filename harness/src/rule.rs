//! Scoring as a scheduled rule runs (`report --rule-frequency 1h
//! --rule-lookback 14d`): the rule's clock from the flags, the facts its
//! joins can see read in a first pass over the simulation, and what the
//! report says it used.

use detections::history::{History, RuleClock};
use serde::Serialize;
use simulator::{Options, Scenario};

/// The shortest frequency and lookback Microsoft Sentinel accepts for a
/// scheduled rule: five minutes.
pub const MIN_MS: i64 = 5 * 60_000;
/// The longest: fourteen days.
pub const MAX_MS: i64 = 14 * 86_400_000;

/// A rule's clock and what the report says of it.
pub type Rule = (RuleClock, RuleInfo);

/// The rule a report was scored as; null in `report.json` when the whole run
/// was judged at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// How often the rule runs, as given (`1h`).
    pub frequency: String,
    /// How far back its joins read, as given (`14d`).
    pub lookback: String,
    /// The frequency in seconds.
    pub frequency_s: i64,
    /// The lookback in seconds.
    pub lookback_s: i64,
}

/// How the rows were judged, as the report's header says it.
pub fn describe(rule: Option<&RuleInfo>) -> String {
    match rule {
        Some(r) => format!(
            "judged as a rule run every {} over {}",
            r.frequency, r.lookback
        ),
        None => "judged as one run over all rows".to_owned(),
    }
}

/// A rule's clock, checked as Sentinel checks a scheduled rule's: each of
/// frequency and lookback from 5 minutes to 14 days, the lookback at least
/// the frequency. A missing frequency is an hour; a missing lookback is the
/// frequency.
pub fn clock(
    frequency: Option<&str>,
    lookback: Option<&str>,
) -> Result<(RuleClock, RuleInfo), String> {
    let (f_text, f) = match frequency {
        Some(t) => (
            t.to_owned(),
            duration_ms(t).map_err(|e| format!("--rule-frequency: {e}"))?,
        ),
        None => ("1h".to_owned(), 3_600_000),
    };
    let (l_text, l) = match lookback {
        Some(t) => (
            t.to_owned(),
            duration_ms(t).map_err(|e| format!("--rule-lookback: {e}"))?,
        ),
        None => (f_text.clone(), f),
    };
    for (flag, v) in [("--rule-frequency", f), ("--rule-lookback", l)] {
        if !(MIN_MS..=MAX_MS).contains(&v) {
            return Err(format!(
                "{flag}: must be from 5m to 14d, as Sentinel allows a scheduled rule"
            ));
        }
        if v % 60_000 != 0 {
            return Err(format!(
                "{flag}: must be whole minutes, as Sentinel writes a scheduled rule's times"
            ));
        }
    }
    if l < f {
        return Err(format!(
            "--rule-lookback ({l_text}) must be at least --rule-frequency ({f_text}): a run would miss rows"
        ));
    }
    if l > 2 * 86_400_000 && f < 3_600_000 {
        return Err(format!(
            "--rule-frequency ({f_text}) must be at least 1h when --rule-lookback ({l_text}) is over 2 days, as Sentinel requires of a scheduled rule"
        ));
    }
    let info = RuleInfo {
        frequency: f_text,
        lookback: l_text,
        frequency_s: f / 1000,
        lookback_s: l / 1000,
    };
    Ok((
        RuleClock {
            frequency_ms: f,
            lookback_ms: l,
        },
        info,
    ))
}

/// The rule's times as its exported queries and Sentinel's rule write them:
/// whole days, else hours, else minutes (`14d`, `90m`), which both KQL's
/// timespan literals and Sentinel's `queryFrequency` read.
pub fn times(clock: &RuleClock) -> detections::export::RuleTimes {
    let text = |ms: i64| {
        let minutes = ms / 60_000;
        if minutes % 1440 == 0 {
            format!("{}d", minutes / 1440)
        } else if minutes % 60 == 0 {
            format!("{}h", minutes / 60)
        } else {
            format!("{minutes}m")
        }
    };
    detections::export::RuleTimes {
        frequency: text(clock.frequency_ms),
        lookback: text(clock.lookback_ms),
    }
}

/// A duration as KQL writes a timespan: a whole number and `s`, `m`, `h` or
/// `d` (`90s`, `30m`, `1h`, `14d`).
pub fn duration_ms(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("`{text}` has no unit (s, m, h or d)"))?;
    let (n, unit) = t.split_at(split);
    let n: i64 = n
        .parse()
        .map_err(|_| format!("`{text}` does not start with a whole number"))?;
    let unit_ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(format!("`{text}`: the unit is s, m, h or d")),
    };
    n.checked_mul(unit_ms)
        .ok_or_else(|| format!("`{text}` is too long"))
}

/// The facts the rule's joins can see, with their times: one pass over the
/// simulation, keeping only the rows that teach a fact (task registrations,
/// signers, host addresses).
pub fn history(clock: RuleClock, scenarios: &[Scenario], opts: &Options) -> History {
    let mut h = History::new(clock);
    for rec in simulator::generate_all(scenarios, opts) {
        if let Some((host, fact)) = detections::pipeline::fact_of(rec.row.columns()) {
            h.learn(&host, &fact, rec.time_ms);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_kql_timespans_and_sentinel_bounds_hold() {
        assert_eq!(duration_ms("90s"), Ok(90_000));
        assert_eq!(duration_ms("14d"), Ok(14 * 86_400_000));
        assert!(duration_ms("1").is_err());
        assert!(duration_ms("1w").is_err());
        assert!(duration_ms("h").is_err());
        let (c, info) = clock(Some("1h"), Some("14d")).expect("valid");
        assert_eq!(
            (c.frequency_ms, c.lookback_ms),
            (3_600_000, 14 * 86_400_000)
        );
        assert_eq!((info.frequency_s, info.lookback_s), (3600, 14 * 86_400));
        let (c, _) = clock(Some("2h"), None).expect("valid");
        assert_eq!(c.lookback_ms, c.frequency_ms);
        assert!(clock(Some("301s"), None)
            .unwrap_err()
            .contains("whole minutes"));
        let (c, _) = clock(Some("360s"), Some("48h")).expect("valid");
        assert_eq!(
            times(&c),
            detections::export::RuleTimes {
                frequency: "6m".into(),
                lookback: "2d".into()
            }
        );
        assert!(clock(Some("30m"), Some("3d"))
            .unwrap_err()
            .contains("at least 1h"));
        assert!(clock(Some("30m"), Some("2d")).is_ok());
        assert!(clock(Some("1m"), None)
            .unwrap_err()
            .contains("--rule-frequency"));
        assert!(clock(None, Some("15d"))
            .unwrap_err()
            .contains("--rule-lookback"));
        assert!(clock(Some("2h"), Some("1h"))
            .unwrap_err()
            .contains("at least"));
    }
}
