//! The reading loop: the one way inputs are read, judged and pushed into a
//! sink. With one thread, everything runs on the calling one. With several,
//! the calling thread reads the inputs into batches of items and deals them
//! to `threads` workers in turn, which map each batch's JSON lines to their
//! events (the costly, stateless part); it takes the batches back in the same
//! turn and joins, decides and pushes them, so the order, the results and the
//! output are those of the sequential loop. At most `DEPTH` batches per
//! worker are in flight, so memory is bounded, and no thread does nothing
//! but read: on two cores, the two workers and the calling thread share them.
//! Under [`JoinMode::PrimeFirst`] the inputs are read once before, on the
//! calling thread, for what teaches the join.

use std::collections::VecDeque;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;

use crate::formats::{FormatError, Item, RowStream};
use crate::scan::{prepare, JoinMode, Prepared, RowSink, Scanner};

/// Items per batch handed from the calling thread to a worker: small enough
/// that a batch's lines and events are still in the caches when the other
/// thread reads them (at 2,048, two threads did twice one thread's work;
/// `docs/benchmarks.md`).
const BATCH: usize = 512;
/// Batches in flight per worker.
const DEPTH: usize = 2;

/// Read `inputs` in order through `scanner` into `sink`, then finish it. With
/// `threads` of 2 or more, the inputs are read and judged on this thread and
/// their lines mapped on `threads` others; with 1, everything runs on this one. Either way
/// the sink is told the same things in the same order. When the scanner joins
/// [`JoinMode::PrimeFirst`], `inputs` is iterated twice (each input opened
/// again). The first error (opening an input, reading it, or from the sink)
/// ends the loop.
pub fn scan_inputs<I, E, S>(
    scanner: &mut Scanner<'_>,
    inputs: I,
    threads: usize,
    sink: &mut S,
) -> Result<(), E>
where
    I: IntoIterator<Item = Result<RowStream, E>> + Clone,
    I::IntoIter: Send,
    E: From<FormatError> + From<S::Error> + Send,
    S: RowSink,
{
    scan_each_input(scanner, inputs, threads, sink, &mut |_, e| Err(e))
}

/// [`scan_inputs`], where an input that cannot be opened or read on is
/// handed to `failed` with its position among `inputs`: an error it returns
/// ends the loop; `Ok` goes on with the next input (what was read of this one
/// stays read), so one bad file does not stop a folder's scan. An error from
/// the sink always ends it.
pub fn scan_each_input<I, E, S>(
    scanner: &mut Scanner<'_>,
    inputs: I,
    threads: usize,
    sink: &mut S,
    failed: &mut dyn FnMut(usize, E) -> Result<(), E>,
) -> Result<(), E>
where
    I: IntoIterator<Item = Result<RowStream, E>> + Clone,
    I::IntoIter: Send,
    E: From<FormatError> + From<S::Error> + Send,
    S: RowSink,
{
    if scanner.join_mode() == JoinMode::PrimeFirst {
        // What teaches the join; an input that fails is reported by the
        // reading pass below.
        for stream in inputs.clone().into_iter().flatten() {
            for item in stream.map_while(Result::ok) {
                scanner.remember(&item);
            }
        }
    }
    if threads <= 1 {
        for (i, stream) in inputs.into_iter().enumerate() {
            let stream = match stream {
                Ok(s) => s,
                Err(e) => {
                    failed(i, e)?;
                    continue;
                }
            };
            for item in stream {
                match item {
                    Ok(item) => scanner.item(i, item, sink)?,
                    Err(e) => {
                        failed(i, e.into())?;
                        break;
                    }
                }
            }
        }
    } else {
        thread::scope(|s| {
            let mut jobs = Vec::with_capacity(threads);
            let mut done = Vec::with_capacity(threads);
            for _ in 0..threads {
                let (job_tx, job_rx) = sync_channel::<Vec<Item>>(DEPTH);
                let (done_tx, done_rx) = sync_channel::<Vec<Prepared>>(DEPTH);
                s.spawn(move || map(&job_rx, &done_tx));
                jobs.push(job_tx);
                done.push(done_rx);
            }
            let mut dealer = Dealer {
                jobs,
                done,
                turn: 0,
                queue: VecDeque::new(),
                in_flight: 0,
            };
            dealer.run(scanner, inputs.into_iter(), sink, failed)
        })?;
    }
    Ok(scanner.finish(sink)?)
}

/// What the calling thread waits for, in input order: a batch being mapped
/// by a worker, or an input's failure in its place.
enum Pending<E> {
    Batch(usize, usize),
    Failed(usize, E),
}

/// The calling thread's side: batches dealt to the workers in turn and taken
/// back in the same turn.
struct Dealer<E> {
    jobs: Vec<SyncSender<Vec<Item>>>,
    done: Vec<Receiver<Vec<Prepared>>>,
    turn: usize,
    queue: VecDeque<Pending<E>>,
    /// How many of `queue` are batches.
    in_flight: usize,
}

impl<E> Dealer<E> {
    /// Read every input, dealing its batches and judging those mapped, then
    /// judge what is still in flight.
    fn run<I, S>(
        &mut self,
        scanner: &mut Scanner<'_>,
        inputs: I,
        sink: &mut S,
        failed: &mut dyn FnMut(usize, E) -> Result<(), E>,
    ) -> Result<(), E>
    where
        I: Iterator<Item = Result<RowStream, E>>,
        E: From<FormatError> + From<S::Error>,
        S: RowSink,
    {
        for (i, stream) in inputs.enumerate() {
            let stream = match stream {
                Ok(s) => s,
                Err(e) => {
                    self.queue.push_back(Pending::Failed(i, e));
                    continue;
                }
            };
            let mut batch = Vec::with_capacity(BATCH);
            for item in stream {
                match item {
                    Ok(item) => batch.push(item),
                    Err(e) => {
                        self.deal(i, std::mem::take(&mut batch), scanner, sink, failed)?;
                        self.queue.push_back(Pending::Failed(i, e.into()));
                        break;
                    }
                }
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    self.deal(i, full, scanner, sink, failed)?;
                }
            }
            if !batch.is_empty() {
                self.deal(i, batch, scanner, sink, failed)?;
            }
        }
        while !self.queue.is_empty() {
            self.take(scanner, sink, failed)?;
        }
        Ok(())
    }

    /// Hand a batch of input `i` to the next worker in turn, first judging
    /// the oldest in flight when every worker holds `DEPTH` (so no send
    /// waits, and no worker waits to hand one back).
    fn deal<S>(
        &mut self,
        i: usize,
        batch: Vec<Item>,
        scanner: &mut Scanner<'_>,
        sink: &mut S,
        failed: &mut dyn FnMut(usize, E) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<S::Error>,
        S: RowSink,
    {
        while self.in_flight >= self.jobs.len() * DEPTH {
            self.take(scanner, sink, failed)?;
        }
        let w = self.turn % self.jobs.len();
        self.turn += 1;
        // A worker only hangs up when this side has, so a send cannot fail.
        if self.jobs[w].send(batch).is_ok() {
            self.queue.push_back(Pending::Batch(i, w));
            self.in_flight += 1;
        }
        Ok(())
    }

    /// Judge the oldest batch in flight, or report the oldest failure.
    fn take<S>(
        &mut self,
        scanner: &mut Scanner<'_>,
        sink: &mut S,
        failed: &mut dyn FnMut(usize, E) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<S::Error>,
        S: RowSink,
    {
        match self.queue.pop_front() {
            None => Ok(()),
            Some(Pending::Failed(i, e)) => failed(i, e),
            Some(Pending::Batch(i, w)) => {
                self.in_flight -= 1;
                let Ok(batch) = self.done[w].recv() else {
                    return Ok(());
                };
                for p in batch {
                    scanner.prepared(i, p, sink)?;
                }
                Ok(())
            }
        }
    }
}

/// A worker: each batch's lines mapped to their events, in the order given.
fn map(jobs: &Receiver<Vec<Item>>, done: &SyncSender<Vec<Prepared>>) {
    for items in jobs {
        if done.send(items.into_iter().map(prepare).collect()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{open, Options, Position};
    use crate::scan::{Judgement, Tally};
    use detections::pipeline::Pipeline;

    fn lines(n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(match i % 7 {
                0 => r#"{"Type":"DnsEvents","Computer":"dns01","Name":"a.estaliax.io"}"#,
                5 => "not json",
                6 => "",
                _ => r#"{"Type":"DnsEvents","Computer":"dns01","Name":"example.com"}"#,
            });
            s.push('\n');
        }
        s
    }

    /// What a sink is told, in order: judged rows (input, position, alert,
    /// joined) and rejected rows.
    #[derive(Default)]
    struct Seen(Vec<(usize, Position, bool, Option<bool>)>);

    impl RowSink for Seen {
        type Error = FormatError;

        fn row(&mut self, j: &Judgement) -> Result<(), FormatError> {
            let alert = j.judged.decision.alert;
            self.0.push((j.input, j.position, alert, j.joined));
            Ok(())
        }

        fn rejected(&mut self, r: &crate::scan::RejectedRow) -> Result<(), FormatError> {
            self.0.push((r.input, r.position, false, None));
            Ok(())
        }
    }

    fn run(threads: usize, mode: JoinMode, inputs: &[String]) -> (Seen, Tally) {
        let det = detections::builtin(detections::Engine::Fast);
        let mut scanner = Scanner::new(Pipeline::new(&det), mode);
        let mut seen = Seen::default();
        let streams = inputs.iter().map(|t| {
            open(
                std::io::Cursor::new(t.clone().into_bytes()),
                "t",
                &Options::default(),
            )
        });
        scan_inputs(&mut scanner, streams, threads, &mut seen).expect("scans");
        (seen, scanner.tally().clone())
    }

    #[test]
    fn several_threads_judge_as_one_does_in_the_same_order() {
        let inputs = [lines(5_000), lines(3), lines(BATCH * 2 + 1)];
        let (one, t1) = run(1, JoinMode::Wait(10), &inputs);
        for threads in [2, 3] {
            let (many, t) = run(threads, JoinMode::Wait(10), &inputs);
            assert_eq!(one.0, many.0, "{threads} threads");
            assert_eq!(t1, t, "{threads} threads");
        }
        assert!(
            t1.rows_rejected > 0 && t1.alerts > 0 && t1.blank > 0,
            "{t1:?}"
        );
        assert_eq!(t1.rows_read, t1.rows_scored + t1.rows_rejected);
        assert_eq!(one.0.len() as u64, t1.rows_read);
    }

    const NEWEST_FIRST: &str = concat!(
        r#"{"EventID":22,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","QueryName":"updates.estaliax.io"}"#,
        "\n",
        "not json\n",
        r#"{"EventID":1,"Hostname":"ws1","ProcessGuid":"{d1}","Image":"C:\\Program Files\\Nanocore Imaging\\NanoCore-Studio.exe","Company":"Nanocore Imaging GmbH","ParentImage":"C:\\Windows\\explorer.exe"}"#,
        "\n",
    );

    #[test]
    fn priming_first_joins_in_any_order_and_keeps_input_order() {
        let inputs = [NEWEST_FIRST.to_owned()];
        for threads in [1, 2] {
            let (seen, t) = run(threads, JoinMode::PrimeFirst, &inputs);
            let positions: Vec<Position> = seen.0.iter().map(|s| s.1).collect();
            assert_eq!(
                positions,
                [1, 2, 3].map(Position::Line),
                "in input order, none waiting"
            );
            assert_eq!(seen.0[0].3, Some(true), "joined to its later creation");
            assert!(!seen.0[0].2, "the name-collision exclusion suppresses it");
            assert_eq!((t.rows_read, t.rows_rejected, t.unjoined), (3, 1, 0));
        }
        // Waiting joins it too, but pushes it when its creation arrives; with
        // no room to wait it is judged unjoined, and alerts.
        let (seen, _) = run(1, JoinMode::Wait(10), &inputs);
        let order: Vec<(Position, Option<bool>)> = seen.0.iter().map(|s| (s.1, s.3)).collect();
        assert_eq!(
            order,
            [
                (Position::Line(2), None),
                (Position::Line(1), Some(true)),
                (Position::Line(3), None)
            ]
        );
        let (seen, t) = run(1, JoinMode::Wait(0), &inputs);
        assert_eq!(seen.0[0].1, Position::Line(1));
        assert_eq!(
            (seen.0[0].2, seen.0[0].3, t.unjoined),
            (true, Some(false), 1)
        );
    }
}
