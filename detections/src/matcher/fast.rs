//! [`HasAnyFast`]: `has_any` by hashing a name's term-aligned spans.
//!
//! A needle that starts and ends with a term byte (every domain IOC does) can
//! only match a span of the name that starts where a term starts and ends where
//! a term ends, and then only if the span equals the needle, ASCII case folded.
//! So the engine files such needles, lower-cased, in one open-addressed table
//! keyed by a fast multiplicative hash, and a name is checked by hashing its
//! term-aligned spans, lower-casing and splitting into terms in the same pass.
//! A bit set of the needles' first terms gates each term start: only a start
//! whose first term begins some needle hashes the spans that follow it. The
//! work per name grows with its terms (and with the longest needle, which
//! bounds a span), never with the number of needles or with how they share
//! prefixes or suffixes. Nothing is allocated per name.
//!
//! Needles that start or end with another byte (`.io`, `estaliax.io.`) match
//! at places the spans do not cover; they go to a [`HasAnyAutomaton`].

use super::automaton::{HasAny, HasAnyAutomaton};
use crate::kql::is_term_byte;

/// The hash's multiplier (odd, dense: every input bit reaches the high bits,
/// which index the table and the gate).
const K: u64 = 0x9E37_79B9_7F4A_7C15;
/// The hash of the empty span.
const SEED: u64 = 0x243F_6A88_85A3_08D3;

/// One step of the span hash over a lower-cased byte.
#[inline(always)]
fn step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(K)
}

/// Each byte lower-cased if it is a term byte, else 0 (no term byte is 0):
/// splitting into terms and lower-casing are one table look-up.
const TERM_LOWER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c >= 0x80 {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// The span hash of bytes already lower-cased.
fn hash_of(bytes: &[u8]) -> u64 {
    bytes.iter().fold(SEED, |h, &b| step(h, b))
}

/// A needle in the table: where its lower-cased bytes are in the arena, and
/// the caller's index.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: usize,
    len: usize,
    index: usize,
}

/// The fast `has_any`, built once per needle set.
#[derive(Debug, Clone)]
pub struct HasAnyFast {
    /// Open-addressed slots: 0 is empty, else the hash's low 32 bits (the tag)
    /// above the entry number plus one.
    slots: Box<[u64]>,
    /// `64 - log2(slots.len())`: the hash's top bits pick the first slot.
    slot_shift: u32,
    /// The needles in the table.
    entries: Vec<Entry>,
    /// Their lower-cased bytes, one after another.
    arena: Vec<u8>,
    /// Bit set over the hashes of the needles' first terms.
    gate: Box<[u64]>,
    /// `64 - log2(gate bits)`.
    gate_shift: u32,
    /// Whether some needle in the table starts with this (lower-cased) byte:
    /// other terms are skipped without hashing.
    first_byte: [bool; 256],
    /// The shortest and longest needle in the table.
    min_len: usize,
    max_len: usize,
    /// The needles the table cannot hold.
    rest: Option<HasAnyAutomaton>,
}

fn shift_for(bits: usize) -> u32 {
    64 - bits.trailing_zeros()
}

impl HasAnyFast {
    /// A matcher for these needles, in this order. Empty needles never match.
    pub fn new<S: AsRef<str>>(needles: &[S]) -> Self {
        let mut entries: Vec<Entry> = Vec::with_capacity(needles.len());
        let mut hashes = Vec::with_capacity(needles.len());
        let mut arena = Vec::new();
        let mut rest = Vec::new();
        let mut first_terms = Vec::new();
        let mut first_byte = [false; 256];
        for (i, n) in needles.iter().enumerate() {
            let b = n.as_ref().as_bytes();
            match (b.first(), b.last()) {
                (Some(&f), Some(&l)) if is_term_byte(f) && is_term_byte(l) => {
                    let start = arena.len();
                    arena.extend(b.iter().map(u8::to_ascii_lowercase));
                    let lower = &arena[start..];
                    first_byte[usize::from(lower[0])] = true;
                    let first = lower.iter().position(|&c| !is_term_byte(c));
                    first_terms.push(hash_of(&lower[..first.unwrap_or(lower.len())]));
                    hashes.push(hash_of(lower));
                    entries.push(Entry {
                        start,
                        len: b.len(),
                        index: i,
                    });
                }
                (Some(_), _) => rest.push((i, n.as_ref())),
                _ => {}
            }
        }
        let slot_count = (entries.len() * 2).next_power_of_two().max(16);
        let slot_shift = shift_for(slot_count);
        let mut slots = vec![0u64; slot_count].into_boxed_slice();
        let mut kept = Vec::with_capacity(entries.len());
        for (e, &h) in entries.iter().zip(&hashes) {
            let needle = &arena[e.start..e.start + e.len];
            let mut at = (h >> slot_shift) as usize;
            loop {
                let s = slots[at];
                if s == 0 {
                    let id = kept.len() as u64 + 1;
                    slots[at] = (h << 32) | id;
                    kept.push(*e);
                    break;
                }
                // A needle equal to an earlier one once folded: the earlier
                // (lower) index answers for both.
                let other: &Entry = &kept[(s & 0xFFFF_FFFF) as usize - 1];
                if (s >> 32) == (h & 0xFFFF_FFFF)
                    && &arena[other.start..other.start + other.len] == needle
                {
                    break;
                }
                at = (at + 1) & (slot_count - 1);
            }
        }
        let gate_bits = (first_terms.len() * 16).next_power_of_two().max(512);
        let gate_shift = shift_for(gate_bits);
        let mut gate = vec![0u64; gate_bits / 64].into_boxed_slice();
        for h in first_terms {
            let bit = (h >> gate_shift) as usize;
            gate[bit / 64] |= 1 << (bit % 64);
        }
        Self {
            slots,
            slot_shift,
            min_len: kept.iter().map(|e| e.len).min().unwrap_or(0),
            max_len: kept.iter().map(|e| e.len).max().unwrap_or(0),
            entries: kept,
            arena,
            first_byte,
            gate,
            gate_shift,
            rest: (!rest.is_empty()).then(|| HasAnyAutomaton::from_indexed(&rest)),
        }
    }

    /// Bytes held by the matcher's tables (not counting the automaton for
    /// needles outside the table, nor the struct itself).
    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * 8
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.arena.capacity()
            + self.gate.len() * 8
    }

    #[inline(always)]
    fn gated(&self, h: u64) -> bool {
        let bit = (h >> self.gate_shift) as usize;
        self.gate[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The caller's index of the needle equal to `span` (hash `h`), if any.
    #[inline]
    fn lookup(&self, h: u64, span: &[u8]) -> Option<usize> {
        #[cfg(test)]
        tests::WORK.with(|w| w.set(w.get() + 1));
        let mask = self.slots.len() - 1;
        let tag = h & 0xFFFF_FFFF;
        let mut at = (h >> self.slot_shift) as usize;
        loop {
            let s = self.slots[at];
            #[cfg(test)]
            tests::WORK.with(|w| w.set(w.get() + 1));
            if s == 0 {
                return None;
            }
            if s >> 32 == tag {
                let e = &self.entries[(s & 0xFFFF_FFFF) as usize - 1];
                if e.len == span.len()
                    && span.eq_ignore_ascii_case(&self.arena[e.start..e.start + e.len])
                {
                    return Some(e.index);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The lowest index among the table's needles that `hay` has; with `any`,
    /// the first one found.
    fn spans(&self, hay: &[u8], any: bool) -> Option<usize> {
        let n = hay.len();
        let mut best: Option<usize> = None;
        let mut i = 0;
        while i < n {
            // Skip to the next term start, then hash its first term.
            while i < n && TERM_LOWER[usize::from(hay[i])] == 0 {
                i += 1;
            }
            let start = i;
            if i < n && !self.first_byte[usize::from(TERM_LOWER[usize::from(hay[i])])] {
                while i < n && TERM_LOWER[usize::from(hay[i])] != 0 {
                    i += 1;
                }
                continue;
            }
            let mut h = SEED;
            while i < n {
                let c = TERM_LOWER[usize::from(hay[i])];
                if c == 0 {
                    break;
                }
                h = step(h, c);
                i += 1;
            }
            if start == i || !self.gated(h) {
                continue;
            }
            // Spans from this start, ending at each following term end.
            let mut end = i;
            loop {
                let len = end - start;
                if len > self.max_len {
                    break;
                }
                if len >= self.min_len {
                    if let Some(id) = self.lookup(h, &hay[start..end]) {
                        if any || id == 0 {
                            return Some(id);
                        }
                        best = Some(best.map_or(id, |b| b.min(id)));
                    }
                }
                let mut j = end;
                while j < n && TERM_LOWER[usize::from(hay[j])] == 0 {
                    h = step(h, hay[j]);
                    j += 1;
                }
                if j == n || j - start >= self.max_len {
                    break;
                }
                while j < n {
                    let c = TERM_LOWER[usize::from(hay[j])];
                    if c == 0 {
                        break;
                    }
                    h = step(h, c);
                    j += 1;
                }
                end = j;
            }
        }
        best
    }
}

impl HasAny for HasAnyFast {
    fn first_match(&self, haystack: &str) -> Option<usize> {
        let rest = self.rest.as_ref().and_then(|r| r.first_match(haystack));
        if rest == Some(0) || self.entries.is_empty() {
            return rest;
        }
        match (rest, self.spans(haystack.as_bytes(), false)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn is_match(&self, haystack: &str) -> bool {
        (!self.entries.is_empty() && self.spans(haystack.as_bytes(), true).is_some())
            || self.rest.as_ref().is_some_and(|r| r.is_match(haystack))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// Table look-ups and slots probed, counted in tests only.
        pub(super) static WORK: Cell<u64> = const { Cell::new(0) };
    }

    /// `first_match` and the look-ups plus probes it took.
    fn counted(f: &HasAnyFast, hay: &str) -> (Option<usize>, u64) {
        WORK.with(|w| w.set(0));
        let m = f.first_match(hay);
        (m, WORK.with(Cell::get))
    }

    /// A hundred thousand needles under one shared prefix cost a name no more
    /// than a handful do: the work is the name's spans, each a look-up of a few
    /// probes (a 50 KB name of `wwww.` terms took 9.7 s under an index that
    /// compared every needle sharing a prefix).
    #[test]
    fn shared_prefixes_do_not_multiply_the_work() {
        let many: Vec<String> = (0..100_000).map(|i| format!("wwww{i}.io")).collect();
        let few: Vec<String> = (0..8).map(|i| format!("wwww{i}.io")).collect();
        let hay = "wwww.".repeat(10_000) + "wwww99999.io";
        let (m, work_many) = counted(&HasAnyFast::new(&many), &hay);
        assert_eq!(m, Some(99_999));
        let (_, work_few) = counted(&HasAnyFast::new(&few), &hay);
        // 10,001 term starts pass the gate; spans end at one or two following
        // terms before exceeding the longest needle.
        let starts = 10_001;
        assert!(work_many <= starts * 3 * 4, "{work_many}");
        assert!(
            work_many <= work_few * 2 + 1_000,
            "{work_many} vs {work_few}"
        );
    }

    /// A name of 10^6 dots has no term start and costs no look-up; a name of
    /// 10^5 terms costs at most a bounded number of look-ups per term.
    #[test]
    fn pathological_names_bound_the_work() {
        let needles: Vec<String> = (0..1000).map(|i| format!("a{i}.io")).collect();
        let f = HasAnyFast::new(&needles);
        assert_eq!(counted(&f, &".".repeat(1_000_000)), (None, 0));
        let many = "a.".repeat(100_000) + "a999.io";
        let (m, work) = counted(&f, &many);
        assert_eq!(m, Some(999));
        // "a" passes the gate at every start; spans from it reach at most the
        // longest needle (7 bytes: three terms of "a.").
        assert!(work <= 100_001 * 4 * 4, "{work}");
    }

    #[test]
    fn the_table_splits_terms_as_kql_does() {
        for b in 0..=255u8 {
            assert_eq!(TERM_LOWER[usize::from(b)] != 0, is_term_byte(b), "{b}");
            if is_term_byte(b) {
                assert_eq!(TERM_LOWER[usize::from(b)], b.to_ascii_lowercase());
            }
        }
    }
}
