//! Scanning inputs on two threads: one reads the inputs and maps each JSON
//! line to its event (the costly, stateless part), the other joins, decides
//! and reports, in input order. Items travel in batches through a bounded
//! channel, so the order, the results and the output are those of the
//! sequential scan, and memory stays bounded.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread;

use crate::formats::{FormatError, RowStream};
use crate::scan::{prepare, Judgement, Prepared, Scanner};

/// Items per batch handed from the reading thread to the judging one.
const BATCH: usize = 2048;
/// Batches in flight between them.
const DEPTH: usize = 8;

enum Msg<E> {
    Batch(usize, Vec<Prepared>),
    Failed(E),
}

/// Scan `inputs` in order through `scanner`, then finish it; `ready` is called
/// with the input's index after every item, to write the rows ready to
/// report. With `threads` of 2 or more, the inputs are read and their lines
/// mapped on a second thread; with 1, everything runs on this one. Either way
/// the calls to `ready` are the same. The first error (opening an input,
/// reading it, or from `ready`) ends the scan.
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
            let (tx, rx) = sync_channel(DEPTH);
            s.spawn(move || read(inputs, &tx));
            judge(scanner, rx, &mut out, &mut ready)
        })?;
    }
    scanner.finish(&mut out);
    ready(scanner, &mut out)
}

/// The reading thread: batches of prepared items, then the error if any. It
/// stops when the judging side has hung up.
fn read<I, E>(inputs: I, tx: &std::sync::mpsc::SyncSender<Msg<E>>)
where
    I: Iterator<Item = Result<RowStream, E>>,
    E: From<FormatError>,
{
    for (i, stream) in inputs.enumerate() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Msg::Failed(e));
                return;
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        for item in stream {
            match item {
                Ok(item) => batch.push(prepare(item)),
                Err(e) => {
                    let _ = tx.send(Msg::Batch(i, batch));
                    let _ = tx.send(Msg::Failed(e.into()));
                    return;
                }
            }
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if tx.send(Msg::Batch(i, full)).is_err() {
                    return;
                }
            }
        }
        if !batch.is_empty() && tx.send(Msg::Batch(i, batch)).is_err() {
            return;
        }
    }
}

fn judge<E, F>(
    scanner: &mut Scanner<'_>,
    rx: Receiver<Msg<E>>,
    out: &mut Vec<Judgement>,
    ready: &mut F,
) -> Result<(), E>
where
    F: FnMut(&Scanner<'_>, &mut Vec<Judgement>) -> Result<(), E>,
{
    for msg in rx {
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
    fn two_threads_judge_as_one_does_in_the_same_order() {
        let inputs = [lines(5_000), lines(3), lines(BATCH * 2 + 1)];
        let (one, t1) = run(1, &inputs);
        let (two, t2) = run(2, &inputs);
        assert_eq!(one, two);
        assert_eq!(t1, t2);
        assert!(
            t1.rows_rejected > 0 && t1.alerts > 0 && t1.blank > 0,
            "{t1:?}"
        );
        assert_eq!(t1.rows_read, t1.rows_scored + t1.rows_rejected);
        assert_eq!(one.len() as u64, t1.rows_scored);
    }
}
