//! Scanning inputs on several threads: one reads the inputs into batches of
//! items, `threads` workers map each batch's JSON lines to their events (the
//! costly, stateless part), and the calling thread joins, decides and reports,
//! in input order. Batches are dealt to the workers in turn and taken back in
//! the same turn, so the order, the results and the output are those of the
//! sequential scan; every channel is bounded, so memory is too.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;

use crate::formats::{FormatError, Item, RowStream};
use crate::scan::{prepare, Judgement, Prepared, Scanner};

/// Items per batch handed from the reading thread to a worker.
const BATCH: usize = 2048;
/// Batches in flight per worker.
const DEPTH: usize = 4;

enum Msg<T, E> {
    Batch(usize, Vec<T>),
    Failed(E),
}

/// Scan `inputs` in order through `scanner`, then finish it; `ready` is called
/// with the input's index after every item, to write the rows ready to
/// report. With `threads` of 2 or more, the inputs are read on one thread and
/// their lines mapped on `threads` others; with 1, everything runs on this
/// one. Either way the calls to `ready` are the same. The first error (opening
/// an input, reading it, or from `ready`) ends the scan.
pub fn scan_inputs<I, E, F>(
    scanner: &mut Scanner<'_>,
    inputs: I,
    threads: usize,
    mut ready: F,
) -> Result<(), E>
where
    I: IntoIterator<Item = Result<RowStream, E>>,
    I::IntoIter: Send,
    E: From<FormatError> + Send,
    F: FnMut(&Scanner<'_>, &mut Vec<Judgement>) -> Result<(), E>,
{
    let mut out = Vec::new();
    if threads <= 1 {
        for (i, stream) in inputs.into_iter().enumerate() {
            for item in stream? {
                scanner.item(i, item?, &mut out);
                ready(scanner, &mut out)?;
            }
        }
    } else {
        let inputs = inputs.into_iter();
        thread::scope(|s| {
            let mut jobs = Vec::with_capacity(threads);
            let mut done = Vec::with_capacity(threads);
            for _ in 0..threads {
                let (job_tx, job_rx) = sync_channel::<Msg<Item, E>>(DEPTH);
                let (done_tx, done_rx) = sync_channel::<Msg<Prepared, E>>(DEPTH);
                s.spawn(move || map(&job_rx, &done_tx));
                jobs.push(job_tx);
                done.push(done_rx);
            }
            s.spawn(move || read(inputs, &jobs));
            judge(scanner, &done, &mut out, &mut ready)
        })?;
    }
    scanner.finish(&mut out);
    ready(scanner, &mut out)
}

/// The reading thread: batches of items dealt to the workers in turn, then
/// the error if any. It stops when the workers have hung up.
fn read<I, E>(inputs: I, workers: &[SyncSender<Msg<Item, E>>])
where
    I: Iterator<Item = Result<RowStream, E>>,
    E: From<FormatError>,
{
    let mut turn = 0usize;
    let mut send = |msg: Msg<Item, E>| {
        let sent = workers[turn % workers.len()].send(msg).is_ok();
        turn += 1;
        sent
    };
    for (i, stream) in inputs.enumerate() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                send(Msg::Failed(e));
                return;
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        for item in stream {
            match item {
                Ok(item) => batch.push(item),
                Err(e) => {
                    if send(Msg::Batch(i, batch)) {
                        send(Msg::Failed(e.into()));
                    }
                    return;
                }
            }
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if !send(Msg::Batch(i, full)) {
                    return;
                }
            }
        }
        if !batch.is_empty() && !send(Msg::Batch(i, batch)) {
            return;
        }
    }
}

/// A worker: each batch's lines mapped to their events, in the order given.
fn map<E>(jobs: &Receiver<Msg<Item, E>>, done: &SyncSender<Msg<Prepared, E>>) {
    for msg in jobs {
        let mapped = match msg {
            Msg::Batch(i, items) => Msg::Batch(i, items.into_iter().map(prepare).collect()),
            Msg::Failed(e) => Msg::Failed(e),
        };
        if done.send(mapped).is_err() {
            return;
        }
    }
}

/// The judging side: batches taken from the workers in the turn they were
/// dealt, so in input order; it ends when the next worker in turn has no more.
fn judge<E, F>(
    scanner: &mut Scanner<'_>,
    workers: &[Receiver<Msg<Prepared, E>>],
    out: &mut Vec<Judgement>,
    ready: &mut F,
) -> Result<(), E>
where
    F: FnMut(&Scanner<'_>, &mut Vec<Judgement>) -> Result<(), E>,
{
    for turn in 0.. {
        let Ok(msg) = workers[turn % workers.len()].recv() else {
            return Ok(());
        };
        match msg {
            Msg::Batch(i, batch) => {
                for p in batch {
                    scanner.prepared(i, p, out);
                    ready(scanner, out)?;
                }
            }
            Msg::Failed(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{open, Options, Position};
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

    fn run(
        threads: usize,
        inputs: &[String],
    ) -> (Vec<(usize, Position, bool)>, crate::scan::Tally) {
        let det = detections::builtin(detections::Engine::Fast);
        let mut scanner = Scanner::new(Pipeline::new(&det), 10);
        let mut seen = Vec::new();
        let streams = inputs.iter().map(|t| {
            open(
                std::io::Cursor::new(t.clone().into_bytes()),
                "t",
                &Options::default(),
            )
        });
        scan_inputs(&mut scanner, streams, threads, |_, ready| {
            seen.extend(
                ready
                    .drain(..)
                    .map(|j| (j.input, j.position, j.judged.decision.alert)),
            );
            Ok::<(), FormatError>(())
        })
        .expect("scans");
        (seen, scanner.tally().clone())
    }

    #[test]
    fn several_threads_judge_as_one_does_in_the_same_order() {
        let inputs = [lines(5_000), lines(3), lines(BATCH * 2 + 1)];
        let (one, t1) = run(1, &inputs);
        for threads in [2, 3] {
            let (many, t) = run(threads, &inputs);
            assert_eq!(one, many, "{threads} threads");
            assert_eq!(t1, t, "{threads} threads");
        }
        assert!(
            t1.rows_rejected > 0 && t1.alerts > 0 && t1.blank > 0,
            "{t1:?}"
        );
        assert_eq!(t1.rows_read, t1.rows_scored + t1.rows_rejected);
        assert_eq!(one.len() as u64, t1.rows_scored);
    }
}
