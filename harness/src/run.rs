//! The main job, as a library call: simulate the scenarios, score every row.

use detections::Detection;
use simulator::Scenario;

use crate::report::Report;
use crate::score::Scorer;

/// How to run the library: the simulator's own options (seed and scale, checked
/// when they are set), under the name the harness has always used.
pub use simulator::Options as RunOptions;

/// Simulate every scenario (merged in time order) and score the result.
pub fn run_library(
    det: &Detection,
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> Report {
    let [report] = run_library_many([det], scenarios, opts, progress);
    report
}

/// Known gaps of the content that name no scenario: neither one of `scenarios`,
/// nor one of the built-in library, nor the mimic of one of its exclusions (so running a folder of a few scenarios does
/// not flag the built-in content's gaps). One message each, with its line.
pub fn unknown_known_gaps(det: &Detection, scenarios: &[Scenario]) -> Vec<String> {
    let builtin = simulator::BUILTIN
        .iter()
        .map(|(file, _)| file.trim_end_matches(".toml"));
    let mimics: Vec<String> = crate::mimic::mimics(det)
        .iter()
        .map(|m| crate::mimic::mimic_id(&m.exclusion))
        .collect();
    let mut known: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
    known.extend(builtin);
    known.extend(mimics.iter().map(String::as_str));
    det.known_gaps
        .iter()
        .filter(|g| !known.contains(&g.scenario.as_str()))
        .map(|g| {
            format!(
                "line {}: known_gaps: unknown scenario `{}`",
                g.line, g.scenario
            )
        })
        .collect()
}

/// The scenarios the content's known gaps name that are not among
/// `scenarios` (nor its mimics): a run with `--scenarios DIR` does not check
/// those gaps, and says so.
pub fn known_gaps_not_run(det: &Detection, scenarios: &[Scenario]) -> Vec<String> {
    let mimics: Vec<String> = crate::mimic::mimics(det)
        .iter()
        .map(|m| crate::mimic::mimic_id(&m.exclusion))
        .collect();
    det.known_gaps
        .iter()
        .filter(|g| !scenarios.iter().any(|s| s.id == g.scenario))
        .filter(|g| !mimics.contains(&g.scenario))
        .map(|g| g.scenario.clone())
        .collect()
}

/// Score every detection of `dets` on one simulation of `scenarios`: each row
/// is generated once and scored by each detection in turn, so each report is
/// the one [`run_library`] gives for it. `progress` is told the rows so far.
pub fn run_library_many<const N: usize>(
    dets: [&Detection; N],
    scenarios: &[Scenario],
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> [Report; N] {
    run_library_as(dets, scenarios, opts, None, progress)
}

/// [`run_library_many`], judged as the scheduled rule `rule` runs when one is
/// given: a first pass reads the facts its joins can see (task
/// registrations, signers, host addresses) with their times, then each row
/// is judged with those its run sees ([`crate::rule`]). The reports say which.
pub fn run_library_as<const N: usize>(
    dets: [&Detection; N],
    scenarios: &[Scenario],
    opts: &RunOptions,
    rule: Option<&crate::rule::Rule>,
    progress: &mut dyn FnMut(u64),
) -> [Report; N] {
    run_library_sets(dets.map(|d| (d, scenarios)), opts, rule, 1, progress)
}

/// Score each detection of `runs` on its own scenarios, all of them generated
/// in one pass: each report is the one [`run_library_as`] gives for its
/// detection and scenarios alone. A scenario the sets share (equal in every
/// key) is generated once; the sets' union keeps each set's order, so each
/// scorer reads its scenarios' records in the order its own run would.
/// The scorers run on up to `threads` threads ([`crate::score_threaded`]),
/// with the same reports as on one.
pub fn run_library_sets<const N: usize>(
    runs: [(&Detection, &[Scenario]); N],
    opts: &RunOptions,
    rule: Option<&crate::rule::Rule>,
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> [Report; N] {
    let (union, members) = union_of(runs.map(|(_, set)| set));
    let mut histories: Vec<(&[Scenario], detections::history::History)> = Vec::new();
    let scorers = runs.map(|(det, set)| {
        let history = rule.map(|(clock, _)| {
            if let Some((_, h)) = histories.iter().find(|(s, _)| *s == set) {
                return h.clone();
            }
            let h = crate::rule::history(*clock, set, opts);
            histories.push((set, h.clone()));
            h
        });
        Scorer::with_history(det, set, history)
    });
    let records = simulator::generate_all_indexed(&union, opts);
    let scorers = crate::score_threaded::feed(records, scorers, &members, threads, progress);
    scorers.map(|s| {
        let mut r = s.finish(*opts);
        r.run.rule = rule.map(|(_, info)| info.clone());
        r
    })
}

/// The union of `sets` as one list in which each set is a subsequence in its
/// own order (the shortest such list, pair by pair), and for each set which
/// of the union's scenarios are its own.
fn union_of<const N: usize>(sets: [&[Scenario]; N]) -> (Vec<Scenario>, [Vec<bool>; N]) {
    // Each entry: the scenario and the sets it belongs to.
    let mut union: Vec<(&Scenario, Vec<usize>)> = Vec::new();
    for (k, set) in sets.iter().enumerate() {
        union = merge_in(&union, set, k);
    }
    let members = std::array::from_fn(|k| union.iter().map(|(_, of)| of.contains(&k)).collect());
    (union.into_iter().map(|(s, _)| s.clone()).collect(), members)
}

/// `union` with `set` (set number `k`) merged in: a shortest common
/// supersequence of the two, by a longest common subsequence of equal
/// scenarios.
fn merge_in<'s>(
    union: &[(&'s Scenario, Vec<usize>)],
    set: &'s [Scenario],
    k: usize,
) -> Vec<(&'s Scenario, Vec<usize>)> {
    let (n, m) = (union.len(), set.len());
    // lcs[i][j]: the longest common subsequence of union[i..] and set[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if union[i].0 == &set[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(n + m));
    while i < n || j < m {
        if i < n && j < m && union[i].0 == &set[j] {
            let mut of = union[i].1.clone();
            of.push(k);
            out.push((union[i].0, of));
            (i, j) = (i + 1, j + 1);
        } else if j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(union[i].clone());
            i += 1;
        } else {
            out.push((&set[j], vec![k]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[Scenario]) -> Vec<&str> {
        list.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn the_union_keeps_each_sets_order_and_shares_equal_scenarios() {
        let lib = simulator::builtin().expect("built-in library");
        let (a, b, c, d) = (&lib[0], &lib[1], &lib[2], &lib[3]);
        let one = vec![a.clone(), b.clone(), c.clone()];
        let two = vec![a.clone(), d.clone(), c.clone()];
        // The same id with other keys is another scenario.
        let mut b2 = b.clone();
        b2.generator.hosts += 1;
        let three = vec![b2.clone(), c.clone()];
        let (union, [m1, m2, m3]) = union_of([&one[..], &two[..], &three[..]]);
        assert_eq!(union.len(), 5, "{:?}", ids(&union));
        for (set, member) in [(&one, &m1), (&two, &m2), (&three, &m3)] {
            let picked: Vec<Scenario> = union
                .iter()
                .zip(member)
                .filter(|(_, m)| **m)
                .map(|(s, _)| s.clone())
                .collect();
            assert_eq!(&picked, set, "each set is read in its own order");
        }
        assert_eq!(union.iter().filter(|s| **s == b2).count(), 1);
    }

    #[test]
    fn one_pass_over_several_sets_gives_each_sets_own_reports() {
        let lib = simulator::builtin().expect("built-in library");
        let seed = detections::builtin(detections::Engine::Fast);
        let hardened = detections::content::builtin_named("hardened", detections::Engine::Fast)
            .expect("built in");
        let one: Vec<Scenario> = lib[..4].to_vec();
        let two: Vec<Scenario> = [&lib[0], &lib[5], &lib[2], &lib[6]]
            .into_iter()
            .cloned()
            .collect();
        let opts = RunOptions::default();
        let clock = crate::rule::clock(Some("1h"), Some("14d")).expect("valid");
        for rule in [None, Some(&clock)] {
            let runs = [(&seed, &one[..]), (&seed, &two[..]), (&hardened, &two[..])];
            let alone = runs.map(|(det, set)| {
                let [r] = run_library_as([det], set, &opts, rule, &mut |_| {});
                r
            });
            // On one thread, and with the scorers spread over two and three.
            for threads in [1, 2, 3] {
                let together = run_library_sets(runs, &opts, rule, threads, &mut |_| {});
                assert_eq!(together, alone, "on {threads} threads");
            }
            assert!(alone[0].run.rows_read > 0 && alone[1].run.rows_read > 0);
        }
    }
}
