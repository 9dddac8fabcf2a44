//! Lazy, time-ordered streams.
//!
//! An [`Activity`] produces *episodes* (a lookup, a job run, an install chain):
//! small batches of records whose times are at or after the episode's start, with
//! episode starts that never go backwards. [`Sorted`] turns one activity into a
//! time-ordered stream holding only the records of episodes that overlap; [`Merge`]
//! merges ordered streams with a binary heap. Neither ever holds more than a few
//! records per stream, so memory does not grow with the number of events.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::record::Record;

/// A source of episodes.
pub trait Activity: Send {
    /// The start of the next episode, or `None` when the activity is over.
    fn next_start(&self) -> Option<i64>;
    /// Write the next episode's records (any order, each at or after its start)
    /// into `out`, and move on. Must advance `next_start` (or end).
    fn emit(&mut self, out: &mut Vec<Record>);
}

struct Keyed {
    time: i64,
    seq: u64,
    rec: Record,
}

impl PartialEq for Keyed {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl Eq for Keyed {}
impl PartialOrd for Keyed {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Keyed {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// One activity as a time-ordered stream (ties keep emission order).
pub struct Sorted {
    act: Box<dyn Activity>,
    pending: BinaryHeap<Reverse<Keyed>>,
    seq: u64,
    buf: Vec<Record>,
}

impl std::fmt::Debug for Sorted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sorted")
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Sorted {
    pub fn new(act: Box<dyn Activity>) -> Self {
        Sorted {
            act,
            pending: BinaryHeap::new(),
            seq: 0,
            buf: Vec::new(),
        }
    }
}

impl Iterator for Sorted {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            let min = self.pending.peek().map(|Reverse(k)| k.time);
            match (self.act.next_start(), min) {
                (Some(s), m) if m.is_none_or(|m| m >= s) => {
                    self.act.emit(&mut self.buf);
                    for rec in self.buf.drain(..) {
                        self.seq += 1;
                        self.pending.push(Reverse(Keyed {
                            time: rec.time_ms,
                            seq: self.seq,
                            rec,
                        }));
                    }
                }
                _ => return self.pending.pop().map(|Reverse(k)| k.rec),
            }
        }
    }
}

/// A k-way merge of time-ordered streams; ties go to the lower-numbered stream.
pub struct Merge<I> {
    streams: Vec<I>,
    heap: BinaryHeap<Reverse<Keyed>>,
}

impl<I> std::fmt::Debug for Merge<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merge")
            .field("streams", &self.streams.len())
            .finish()
    }
}

impl<I: Iterator<Item = Record>> Merge<I> {
    pub fn new(mut streams: Vec<I>) -> Self {
        let mut heap = BinaryHeap::with_capacity(streams.len());
        for (i, s) in streams.iter_mut().enumerate() {
            if let Some(rec) = s.next() {
                heap.push(Reverse(Keyed {
                    time: rec.time_ms,
                    seq: i as u64,
                    rec,
                }));
            }
        }
        Merge { streams, heap }
    }
}

impl<I: Iterator<Item = Record>> Iterator for Merge<I> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let Reverse(top) = self.heap.pop()?;
        let i = top.seq as usize;
        if let Some(rec) = self.streams.get_mut(i).and_then(Iterator::next) {
            self.heap.push(Reverse(Keyed {
                time: rec.time_ms,
                seq: top.seq,
                rec,
            }));
        }
        Some(top.rec)
    }
}

/// Two activities of one host as one: episodes in start order, the first
/// activity's on a tie.
pub struct Pair<A, B>(pub A, pub B);

impl<A: Activity, B: Activity> Activity for Pair<A, B> {
    fn next_start(&self) -> Option<i64> {
        match (self.0.next_start(), self.1.next_start()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        match (self.0.next_start(), self.1.next_start()) {
            (Some(a), Some(b)) if b < a => self.1.emit(out),
            (Some(_), _) => self.0.emit(out),
            (None, Some(_)) => self.1.emit(out),
            (None, None) => {}
        }
    }
}

impl Activity for Box<dyn Activity> {
    fn next_start(&self) -> Option<i64> {
        self.as_ref().next_start()
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        self.as_mut().emit(out);
    }
}
