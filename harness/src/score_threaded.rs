//! One generation feeding several scorers, on one thread or several. The
//! calling thread generates the records; the scorers are dealt to `threads`
//! groups by their cost (generating a row costs about four fifths of scoring
//! it, `docs/benchmarks.md`), the calling thread's group holding the
//! generation. Every other group runs on a thread of its own, reading the
//! records in batches shared with the calling thread. Each scorer sees every
//! record of its set in the generated order, whatever thread it runs on, so
//! its report is the one a single thread gives. At most `DEPTH` batches per
//! thread are in flight, so memory stays flat in rows.

use std::collections::VecDeque;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread;

use detections::fields::parse_row;
use simulator::Record;

use crate::score::Scorer;

/// Records per batch handed to a scoring thread: few enough that the batch
/// is still in the caches when the other thread reads it (at 1,024, two
/// threads did a third more work than one; `docs/benchmarks.md`).
const BATCH: usize = 64;
/// Batches in flight per scoring thread.
const DEPTH: usize = 4;
/// The relative costs of generating a row and of scoring it once.
const GENERATE: u32 = 4;
const SCORE: u32 = 5;

/// A batch of records, each with the number of its scenario in the union.
type Batch = Arc<Vec<(usize, Record)>>;

/// Feed every record of `records` (each with the number of its scenario) to
/// the scorers whose `members` hold that scenario, on up to `threads`
/// threads; `progress` is told the rows so far. The scorers come back in
/// their order.
pub fn feed<'a, const N: usize>(
    records: impl Iterator<Item = (usize, Record)>,
    scorers: [Scorer<'a>; N],
    members: &[Vec<bool>; N],
    threads: usize,
    progress: &mut dyn FnMut(u64),
) -> [Scorer<'a>; N] {
    let groups = plan(N, threads);
    let mut slots: Vec<Option<Scorer<'a>>> = scorers.into_iter().map(Some).collect();
    let mut take = |group: &[usize]| -> Vec<(usize, Scorer<'a>)> {
        group
            .iter()
            .filter_map(|&k| slots[k].take().map(|s| (k, s)))
            .collect()
    };
    let mut own = take(&groups[0]);
    let others: Vec<_> = groups[1..].iter().map(|g| take(g)).collect();
    thread::scope(|scope| {
        let mut senders: Vec<SyncSender<Batch>> = Vec::new();
        let mut handles = Vec::new();
        for mut mine in others {
            let (tx, rx) = sync_channel::<Batch>(DEPTH);
            senders.push(tx);
            handles.push(scope.spawn(move || {
                for batch in rx {
                    for (i, rec) in batch.iter() {
                        observe(&mut mine, members, *i, rec);
                    }
                }
                mine
            }));
        }
        let mut batch = Vec::with_capacity(BATCH);
        let mut sent = VecDeque::new();
        let mut rows = 0u64;
        for (i, rec) in records {
            observe(&mut own, members, i, &rec);
            if !senders.is_empty() {
                batch.push((i, rec));
                if batch.len() == BATCH {
                    let next = reuse(&mut sent).unwrap_or_else(|| Vec::with_capacity(BATCH));
                    let full = std::mem::replace(&mut batch, next);
                    // A scoring thread that ended early panicked: stop
                    // generating, and let its join report the panic.
                    let Some(full) = send(&senders, full) else {
                        break;
                    };
                    sent.push_back(full);
                }
            }
            rows += 1;
            if rows.is_multiple_of(65_536) {
                progress(rows);
            }
        }
        if !batch.is_empty() {
            sent.extend(send(&senders, batch));
        }
        drop(senders);
        for h in handles {
            match h.join() {
                Ok(mine) => own.extend(mine),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    own.sort_by_key(|(k, _)| *k);
    let mut back = own.into_iter().map(|(_, s)| s);
    std::array::from_fn(|_| {
        back.next()
            .expect("every scorer comes back from its thread")
    })
}

/// Record `i` to those of `scorers` whose set holds its scenario. The
/// record's row is mapped to its event once ([`parse_row`], which knows no
/// content) and each scorer joins and decides its own copy, the last the
/// mapped event itself: what [`Scorer::observe`] would do, one mapping a
/// record instead of one a scorer.
fn observe(scorers: &mut [(usize, Scorer<'_>)], members: &[Vec<bool>], i: usize, rec: &Record) {
    let mut wanted = scorers.iter_mut().filter(|(k, _)| members[*k][i]);
    let Some(mut scorer) = wanted.next().map(|(_, s)| s) else {
        return;
    };
    let event = parse_row(rec.row.columns());
    for (_, next) in wanted {
        scorer.observe_mapped(rec, event.clone());
        scorer = next;
    }
    scorer.observe_mapped(rec, event);
}

/// Hand `batch` to every scoring thread, and keep it: the records are
/// dropped on the thread that made them ([`reuse`]). `None` when a thread
/// has ended early (its scorer panicked; its join reports the panic).
fn send(senders: &[SyncSender<Batch>], batch: Vec<(usize, Record)>) -> Option<Batch> {
    let batch = Arc::new(batch);
    let mut all = true;
    for tx in senders {
        all &= tx.send(Arc::clone(&batch)).is_ok();
    }
    all.then_some(batch)
}

/// The oldest sent batch, emptied on this thread, once every scoring thread
/// is done with it; `None` while one still reads it. Freeing the records on
/// the thread that allocated them, into a buffer already in its caches,
/// costs less than freeing them on the other.
fn reuse(sent: &mut VecDeque<Batch>) -> Option<Vec<(usize, Record)>> {
    let oldest = sent.pop_front()?;
    match Arc::try_unwrap(oldest) {
        Ok(mut batch) => {
            batch.clear();
            Some(batch)
        }
        Err(still_read) => {
            sent.push_front(still_read);
            None
        }
    }
}

/// The scorers `0..n` dealt to at most `threads` groups, the costliest work
/// first to the least loaded group; the first group holds the generation
/// (the calling thread's). Empty groups are left out, except the first.
fn plan(n: usize, threads: usize) -> Vec<Vec<usize>> {
    let threads = threads.clamp(1, n + 1);
    let mut groups: Vec<(u32, Vec<usize>)> = vec![(0, Vec::new()); threads];
    // The scorers first (each costs more than the generation), then the
    // generation, which goes to group 0 by swapping it there.
    for k in 0..n {
        let g = least_loaded(&groups);
        groups[g].0 += SCORE;
        groups[g].1.push(k);
    }
    let g = least_loaded(&groups);
    groups.swap(0, g);
    groups[0].0 += GENERATE;
    let mut out: Vec<Vec<usize>> = vec![std::mem::take(&mut groups[0].1)];
    out.extend(
        groups[1..]
            .iter_mut()
            .map(|(_, g)| std::mem::take(g))
            .filter(|g| !g.is_empty()),
    );
    out
}

/// The first group with the least work.
fn least_loaded(groups: &[(u32, Vec<usize>)]) -> usize {
    (0..groups.len()).min_by_key(|&g| groups[g].0).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mapping a record once for every scorer of it gives each scorer the
    /// report it gives mapping the record itself ([`Scorer::observe`]), on
    /// one thread and on two, a scorer seeing all the records or some.
    #[test]
    fn a_record_mapped_once_scores_as_each_scorer_mapping_it() {
        let lib = simulator::builtin().expect("built-in library");
        let seed = detections::builtin(detections::Engine::Fast);
        let hardened = detections::content::builtin_named("hardened", detections::Engine::Fast)
            .expect("built in");
        let set = lib.to_vec();
        let opts = simulator::Options::default();
        let records: Vec<(usize, Record)> = simulator::generate_all_indexed(&set, &opts).collect();
        let some: Vec<bool> = (0..set.len()).map(|i| i % 3 != 1).collect();
        let members = [vec![true; set.len()], some.clone(), some];
        let dets = [&seed, &hardened, &seed];
        let mut own = dets.map(|d| Scorer::new(d, &set));
        for (i, rec) in &records {
            for (k, scorer) in own.iter_mut().enumerate() {
                if members[k][*i] {
                    scorer.observe(rec);
                }
            }
        }
        let want = own.map(|s| s.finish(opts));
        assert!(want[1].run.rows_read < want[0].run.rows_read);
        for threads in [1, 2] {
            let scorers = dets.map(|d| Scorer::new(d, &set));
            let fed = feed(
                records.iter().cloned(),
                scorers,
                &members,
                threads,
                &mut |_| {},
            );
            assert_eq!(fed.map(|s| s.finish(opts)), want, "on {threads} threads");
        }
    }

    #[test]
    fn one_thread_runs_everything_on_the_calling_one() {
        assert_eq!(plan(3, 1), vec![vec![0, 1, 2]]);
        assert_eq!(plan(1, 0), vec![vec![0]]);
    }

    #[test]
    fn the_generation_goes_to_the_least_loaded_thread() {
        // One scorer: it runs beside the generation.
        assert_eq!(plan(1, 2), vec![vec![], vec![0]]);
        // Two: the generation shares a thread with one of them.
        assert_eq!(plan(2, 2), vec![vec![0], vec![1]]);
        // Three on two threads: two scorers on one, the third and the
        // generation on the other.
        assert_eq!(plan(3, 2), vec![vec![1], vec![0, 2]]);
        // More threads than work: one each, no empty thread.
        assert_eq!(plan(2, 8), vec![vec![], vec![1], vec![0]]);
    }
}
