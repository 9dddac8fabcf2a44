//! Outcomes over several seeds (`huntlab report --seeds A..B`): the library is
//! run once per seed, and each scenario's statuses, alerts and recall are
//! gathered here into one status over the seeds, the seeds it failed on and the
//! spread of its figures.
//!
//! A scenario fails over the seeds when it fails on any seed; a declared known
//! gap that holds on some seeds and closes on others is `unstable` (it does not
//! fail the run); one that closes on every seed is `gap_closed` (its
//! declaration is stale, as on one seed).

use serde::Serialize;
use simulator::Status;

/// The most seeds one `--seeds` range may name.
pub const MAX_SEEDS: u64 = 1000;

/// An inclusive range of run seeds, `A..B`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedRange {
    /// The first seed.
    pub first: u64,
    /// The last seed (included).
    pub last: u64,
}

impl SeedRange {
    /// Read `A..B` (both ends included, `A <= B`, at most [`MAX_SEEDS`] seeds).
    pub fn parse(s: &str) -> Result<SeedRange, String> {
        let (a, b) = s
            .split_once("..")
            .ok_or_else(|| format!("`{s}` is not a range: write FIRST..LAST, e.g. 1..20"))?;
        let num = |v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{v}` in `{s}` is not a seed (a whole number from 0)"))
        };
        let (first, last) = (num(a)?, num(b.strip_prefix('=').unwrap_or(b))?);
        if first > last {
            return Err(format!(
                "`{s}`: the first seed is after the last (both ends are included)"
            ));
        }
        if last - first >= MAX_SEEDS {
            return Err(format!("`{s}`: at most {MAX_SEEDS} seeds"));
        }
        Ok(SeedRange { first, last })
    }

    /// The seeds, in order.
    pub fn seeds(self) -> impl Iterator<Item = u64> {
        self.first..=self.last
    }
}

impl std::fmt::Display for SeedRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

/// A scenario's status over the seeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverSeeds {
    /// Met on every seed.
    Met,
    /// Failed on at least one seed (no known gap declared).
    Failed,
    /// A declared known gap that holds on every seed.
    KnownGap,
    /// A declared known gap that closed on every seed: the declaration is stale.
    GapClosed,
    /// A declared known gap that holds on some seeds and closes on others.
    Unstable,
}

impl OverSeeds {
    /// Whether it fails the run: failed on a seed, or a stale declaration.
    pub fn fails_run(self) -> bool {
        matches!(self, OverSeeds::Failed | OverSeeds::GapClosed)
    }

    /// As tables print it: what fails a run in capitals.
    pub fn text(self) -> &'static str {
        match self {
            OverSeeds::Met => "met",
            OverSeeds::Failed => "FAILED",
            OverSeeds::KnownGap => "known gap",
            OverSeeds::GapClosed => "GAP CLOSED",
            OverSeeds::Unstable => "unstable",
        }
    }
}

/// What one seed's run said about one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Scenario id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Its status on the seed.
    pub status: Status,
    /// Rows with a standing alert.
    pub alerts: u64,
    /// Event-level recall (`None` without malicious rows).
    pub recall: Option<f64>,
}

/// Minimum, median and maximum of a figure over the seeds (the median of an
/// even count is the mean of the middle two).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Smallest.
    pub min: f64,
    /// Median.
    pub median: f64,
    /// Largest.
    pub max: f64,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = match n {
            0 => return None,
            _ if n % 2 == 1 => v[n / 2],
            _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        };
        Some(Spread {
            min: v[0],
            median,
            max: v[n - 1],
        })
    }

    /// `min / median / max`, with `decimals` places.
    pub fn text(&self, decimals: usize) -> String {
        if self.min == self.max {
            return format!("{:.decimals$}", self.min);
        }
        format!(
            "{:.d$} / {:.d$} / {:.d$}",
            self.min,
            self.median,
            self.max,
            d = decimals
        )
    }
}

/// One scenario over the seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioSeeds {
    /// Scenario id.
    pub id: String,
    /// `benign`, `malicious`, `adversarial` or `background`.
    pub kind: String,
    /// Its status over the seeds.
    pub status: OverSeeds,
    /// Seeds on which it failed (status `failed` or `gap_closed`), in order.
    pub failed_seeds: Vec<u64>,
    /// For a declared known gap: seeds on which the gap held.
    pub gap_held_seeds: Vec<u64>,
    /// The first seed it failed on, to replay with `--seed` (`null` when none).
    pub replay_seed: Option<u64>,
    /// Rows with a standing alert, per seed.
    pub alerts: Spread,
    /// Event-level recall over the seeds that had malicious rows (`null` when
    /// none had).
    pub recall: Option<Spread>,
    /// What the seeds column prints.
    #[serde(skip)]
    pub seeds_text: String,
    /// The alerts' and the recall's spreads as the table prints them.
    #[serde(skip)]
    pub spread_text: [String; 2],
}

/// The `seeds` section of `report.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seeds {
    /// The first seed.
    pub first: u64,
    /// The last seed (included).
    pub last: u64,
    /// Per scenario, in the report's order.
    pub scenarios: Vec<ScenarioSeeds>,
    /// Scenarios that fail the run over the seeds.
    pub failing: Vec<String>,
    /// Scenarios `unstable` over the seeds.
    pub unstable: Vec<String>,
}

/// The status over the seeds from each seed's status: failed on any seed
/// fails; a declared gap is `known_gap` when it held on every seed,
/// `gap_closed` when it closed on every seed, else `unstable`.
pub fn classify(statuses: &[Status]) -> OverSeeds {
    let any = |s: Status| statuses.contains(&s);
    if any(Status::Failed) {
        OverSeeds::Failed
    } else if any(Status::KnownGap) && any(Status::GapClosed) {
        OverSeeds::Unstable
    } else if any(Status::GapClosed) {
        OverSeeds::GapClosed
    } else if any(Status::KnownGap) {
        OverSeeds::KnownGap
    } else {
        OverSeeds::Met
    }
}

fn list(seeds: &[u64]) -> String {
    seeds
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gather each seed's outcomes (`runs`: the seed and its outcomes, every run
/// with the same scenarios in the same order) into the section.
pub fn over_seeds(range: SeedRange, runs: &[(u64, Vec<Outcome>)]) -> Seeds {
    let Some((_, first)) = runs.first() else {
        return Seeds {
            first: range.first,
            last: range.last,
            scenarios: Vec::new(),
            failing: Vec::new(),
            unstable: Vec::new(),
        };
    };
    let scenarios: Vec<ScenarioSeeds> = first
        .iter()
        .enumerate()
        .map(|(i, o)| scenario(o, runs.iter().map(|(seed, os)| (*seed, &os[i]))))
        .collect();
    let named = |f: fn(OverSeeds) -> bool| {
        scenarios
            .iter()
            .filter(|s| f(s.status))
            .map(|s| s.id.clone())
            .collect()
    };
    Seeds {
        first: range.first,
        last: range.last,
        failing: named(OverSeeds::fails_run),
        unstable: named(|s| s == OverSeeds::Unstable),
        scenarios,
    }
}

fn scenario<'a>(o: &Outcome, runs: impl Iterator<Item = (u64, &'a Outcome)>) -> ScenarioSeeds {
    let runs: Vec<(u64, &Outcome)> = runs.collect();
    let statuses: Vec<Status> = runs.iter().map(|(_, o)| o.status).collect();
    let status = classify(&statuses);
    let seeds_with = |f: fn(Status) -> bool| -> Vec<u64> {
        runs.iter()
            .filter(|(_, o)| f(o.status))
            .map(|(s, _)| *s)
            .collect()
    };
    let failed_seeds = seeds_with(Status::fails_run);
    let gap_held_seeds = seeds_with(|s| s == Status::KnownGap);
    let replay_seed = failed_seeds.first().copied();
    let seeds_text = match status {
        OverSeeds::Failed | OverSeeds::GapClosed => format!(
            "failed on seeds {}; replay with --seed {}",
            list(&failed_seeds),
            failed_seeds[0]
        ),
        OverSeeds::Unstable => format!(
            "gap holds on seeds {}; closes on {}",
            list(&gap_held_seeds),
            list(&failed_seeds)
        ),
        OverSeeds::Met | OverSeeds::KnownGap => "every seed".to_owned(),
    };
    let alerts: Vec<f64> = runs.iter().map(|(_, o)| o.alerts as f64).collect();
    let recall: Vec<f64> = runs.iter().filter_map(|(_, o)| o.recall).collect();
    let alerts = Spread::of(&alerts).unwrap_or(Spread {
        min: 0.0,
        median: 0.0,
        max: 0.0,
    });
    let recall = Spread::of(&recall);
    let spread_text = [
        alerts.text(0),
        recall.map_or_else(|| "n/a".to_owned(), |r| r.text(3)),
    ];
    ScenarioSeeds {
        id: o.id.clone(),
        kind: o.kind.clone(),
        status,
        failed_seeds,
        gap_held_seeds,
        replay_seed,
        alerts,
        recall,
        seeds_text,
        spread_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Status, alerts: u64) -> Outcome {
        Outcome {
            id: "s".into(),
            kind: "benign".into(),
            status,
            alerts,
            recall: None,
        }
    }

    #[test]
    fn ranges_include_both_ends() {
        let r = SeedRange::parse("1..20").unwrap();
        assert_eq!(r.seeds().count(), 20);
        assert_eq!(r.seeds().last(), Some(20));
        assert_eq!(
            SeedRange::parse("7..7")
                .unwrap()
                .seeds()
                .collect::<Vec<_>>(),
            [7]
        );
        assert_eq!(SeedRange::parse("1..=3").unwrap().last, 3);
    }

    #[test]
    fn bad_ranges_say_why() {
        for (bad, says) in [
            ("20..1", "after the last"),
            ("1-20", "not a range"),
            ("a..3", "not a seed"),
            ("-1..3", "not a seed"),
            ("1..", "not a seed"),
            ("0..5000", "at most"),
        ] {
            let e = SeedRange::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn a_failure_on_one_seed_fails_and_names_the_seed() {
        let runs = vec![
            (1, vec![outcome(Status::Met, 0)]),
            (2, vec![outcome(Status::Failed, 4)]),
            (3, vec![outcome(Status::Met, 0)]),
            (4, vec![outcome(Status::Failed, 2)]),
        ];
        let s = over_seeds(SeedRange { first: 1, last: 4 }, &runs);
        let sc = &s.scenarios[0];
        assert_eq!(sc.status, OverSeeds::Failed);
        assert_eq!(sc.failed_seeds, [2, 4]);
        assert_eq!(sc.replay_seed, Some(2));
        assert_eq!(sc.seeds_text, "failed on seeds 2, 4; replay with --seed 2");
        assert_eq!(s.failing, ["s"]);
        assert_eq!(sc.alerts.text(1), "0.0 / 1.0 / 4.0");
    }

    #[test]
    fn a_gap_that_closes_on_some_seeds_is_unstable_and_does_not_fail() {
        let runs = vec![
            (1, vec![outcome(Status::KnownGap, 3)]),
            (2, vec![outcome(Status::GapClosed, 0)]),
            (3, vec![outcome(Status::KnownGap, 1)]),
        ];
        let s = over_seeds(SeedRange { first: 1, last: 3 }, &runs);
        let sc = &s.scenarios[0];
        assert_eq!(sc.status, OverSeeds::Unstable);
        assert!(!sc.status.fails_run());
        assert_eq!(sc.gap_held_seeds, [1, 3]);
        assert_eq!(sc.failed_seeds, [2]);
        assert_eq!(sc.seeds_text, "gap holds on seeds 1, 3; closes on 2");
        assert!(s.failing.is_empty());
        assert_eq!(s.unstable, ["s"]);
    }

    #[test]
    fn steady_statuses_stay_themselves() {
        assert_eq!(classify(&[Status::Met, Status::Met]), OverSeeds::Met);
        assert_eq!(classify(&[Status::KnownGap; 3]), OverSeeds::KnownGap);
        assert_eq!(classify(&[Status::GapClosed; 2]), OverSeeds::GapClosed);
        assert!(OverSeeds::GapClosed.fails_run());
        assert_eq!(classify(&[Status::Met, Status::Failed]), OverSeeds::Failed);
    }

    #[test]
    fn spreads_take_the_middle() {
        let s = Spread::of(&[3.0, 1.0, 2.0, 10.0]).unwrap();
        assert_eq!((s.min, s.median, s.max), (1.0, 2.5, 10.0));
        assert_eq!(Spread::of(&[]), None);
        assert_eq!(Spread::of(&[2.0, 2.0]).unwrap().text(0), "2");
    }
}
