//! Lazy, time-ordered streams.
//!
//! An [`Activity`] produces *episodes* (a lookup, a job run, an install chain):
//! small batches of records whose times are at or after the episode's start, with
//! episode starts that never go backwards. [`Sorted`] turns one activity into a
//! time-ordered stream holding only the records of episodes that overlap; [`Merge`]
//! merges ordered streams with a binary heap. Neither ever holds more than a few
//! records per stream, so memory does not grow with the number of events.

use std::cmp::Reverse;
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

/// The order key of a record waiting in a heap: its time, then the order it
/// came in; the record itself waits in a slot, so the heap moves keys only.
type Key = Reverse<(i64, u64, usize)>;

/// Records waiting in numbered slots, a freed slot reused.
#[derive(Default)]
struct Slots {
    recs: Vec<Option<Record>>,
    free: Vec<usize>,
}

impl Slots {
    fn put(&mut self, rec: Record) -> usize {
        match self.free.pop() {
            Some(i) => {
                self.recs[i] = Some(rec);
                i
            }
            None => {
                self.recs.push(Some(rec));
                self.recs.len() - 1
            }
        }
    }

    fn take(&mut self, i: usize) -> Option<Record> {
        let rec = self.recs.get_mut(i)?.take();
        self.free.push(i);
        rec
    }
}

/// One activity as a time-ordered stream (ties keep emission order).
pub struct Sorted {
    act: Box<dyn Activity>,
    pending: BinaryHeap<Key>,
    slots: Slots,
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
            slots: Slots::default(),
            seq: 0,
            buf: Vec::new(),
        }
    }
}

impl Iterator for Sorted {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            let min = self.pending.peek().map(|Reverse(k)| k.0);
            match (self.act.next_start(), min) {
                (Some(s), m) if m.is_none_or(|m| m >= s) => {
                    self.act.emit(&mut self.buf);
                    for rec in self.buf.drain(..) {
                        self.seq += 1;
                        let time = rec.time_ms;
                        let slot = self.slots.put(rec);
                        self.pending.push(Reverse((time, self.seq, slot)));
                    }
                }
                _ => {
                    let Reverse((_, _, slot)) = self.pending.pop()?;
                    return self.slots.take(slot);
                }
            }
        }
    }
}

/// A k-way merge of time-ordered streams; ties go to the lower-numbered stream.
pub struct Merge<I> {
    streams: Vec<I>,
    /// Each stream's next record.
    heads: Vec<Option<Record>>,
    heap: BinaryHeap<Key>,
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
        let heads = streams
            .iter_mut()
            .enumerate()
            .map(|(i, s)| {
                let rec = s.next()?;
                heap.push(Reverse((rec.time_ms, i as u64, i)));
                Some(rec)
            })
            .collect();
        Merge {
            streams,
            heads,
            heap,
        }
    }

    /// The next record, with the number of the stream it came from.
    pub fn next_indexed(&mut self) -> Option<(usize, Record)> {
        let Reverse((_, _, i)) = self.heap.pop()?;
        let next = self.streams.get_mut(i).and_then(Iterator::next);
        if let Some(rec) = &next {
            self.heap.push(Reverse((rec.time_ms, i as u64, i)));
        }
        let rec = std::mem::replace(self.heads.get_mut(i)?, next)?;
        Some((i, rec))
    }
}

impl<I: Iterator<Item = Record>> Iterator for Merge<I> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        self.next_indexed().map(|(_, rec)| rec)
    }
}

/// A [`Merge`] whose records carry the number of the stream they came from.
pub struct Indexed<I>(pub Merge<I>);

impl<I: Iterator<Item = Record>> Iterator for Indexed<I> {
    type Item = (usize, Record);

    fn next(&mut self) -> Option<(usize, Record)> {
        self.0.next_indexed()
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
