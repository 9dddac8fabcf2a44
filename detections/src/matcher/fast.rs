//! [`HasAnyFast`]: `has_any` by hashing a name's term-aligned spans.
//!
//! A needle that starts and ends with a term byte (every domain IOC does) can
//! only match a span of the name that starts where a term starts and ends where
//! a term ends, and then only if the span equals the needle, ASCII case folded.
//! So the engine files such needles, lower-cased, in one open-addressed table
//! keyed by a hash of eight bytes per multiply, and a name is checked by
//! hashing its term-aligned spans. A name of up to 64 bytes (every DNS name)
//! is lower-cased and split into terms eight bytes at a time, into a stack
//! buffer and a bit mask of its term starts and ends; from each start, only
//! the spans ending at a term end at some needle's length are candidates, and
//! only when the start's first term passes a bit set of the needles' first
//! terms are they hashed and looked up. Longer names take a byte-by-byte walk
//! with the same hash. The work per name grows with its terms (and with the
//! longest needle, which bounds a span), never with the number of needles or
//! with how they share prefixes or suffixes. Nothing is allocated per name.
//!
//! Needles that start or end with another byte (`.io`, `estaliax.io.`) match
//! at places the spans do not cover; they go to a [`HasAnyAutomaton`].

use super::automaton::{HasAny, HasAnyAutomaton};
use crate::kql::is_term_byte;

mod bloom;
mod words;
use bloom::Bloom;
use words::{gate_key, hash_of, lower, lower_and_terms, word_at, word_from, SpanHash};

/// Names up to this many bytes (every DNS name) are lowered and split into
/// terms a word at a time into a stack buffer and one bit mask; longer ones
/// take a byte-by-byte walk with the same hash.
const SHORT: usize = 64;

/// A needle in the table: where its lower-cased bytes are in the arena, and
/// the caller's index.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: usize,
    len: u32,
    index: u32,
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
    /// The gate keys of the needles' first terms ([`gate_key`]): a start
    /// whose first term's key is not among them hashes no span.
    gate: Bloom,
    /// The needles' hashes: a span not among them is not looked up (the table
    /// is many times larger, and far from the cache).
    filter: Bloom,
    /// Bit `len - 1` set when some needle in the table is `len` bytes long
    /// (`len <= 64`): a short name's spans of other lengths are not hashed.
    short_lens: u64,
    /// Bit `len` set when some needle in the table is `len` bytes long.
    lens: Box<[u64]>,
    /// The longest needle in the table.
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
        for (i, n) in needles.iter().enumerate() {
            let b = n.as_ref().as_bytes();
            let fits = u32::try_from(b.len()).ok().zip(u32::try_from(i).ok());
            match (b.first(), b.last(), fits) {
                (Some(&f), Some(&l), Some((len, index))) if is_term_byte(f) && is_term_byte(l) => {
                    let start = arena.len();
                    arena.extend(b.iter().map(u8::to_ascii_lowercase));
                    let lower = &arena[start..];
                    let first = lower.iter().position(|&c| !is_term_byte(c));
                    let first = first.unwrap_or(lower.len());
                    first_terms.push(gate_key(word_from(lower, 0), first));
                    hashes.push(hash_of(lower));
                    entries.push(Entry { start, len, index });
                }
                (Some(_), ..) => rest.push((i, n.as_ref())),
                _ => {}
            }
        }
        let slot_count = (entries.len() * 2).next_power_of_two().max(16);
        let slot_shift = shift_for(slot_count);
        let mut slots = vec![0u64; slot_count].into_boxed_slice();
        let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
        for (e, &h) in entries.iter().zip(&hashes) {
            let needle = &arena[e.start..e.start + e.len as usize];
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
                let other = &kept[(s & 0xFFFF_FFFF) as usize - 1];
                if (s >> 32) == (h & 0xFFFF_FFFF)
                    && &arena[other.start..other.start + other.len as usize] == needle
                {
                    break;
                }
                at = (at + 1) & (slot_count - 1);
            }
        }
        let max_len = kept.iter().map(|e| e.len as usize).max().unwrap_or(0);
        let mut lens = vec![0u64; max_len / 64 + 1].into_boxed_slice();
        let mut short_lens = 0u64;
        for e in &kept {
            let len = e.len as usize;
            lens[len / 64] |= 1 << (len % 64);
            if len <= SHORT {
                short_lens |= 1 << (len - 1);
            }
        }
        Self {
            slots,
            slot_shift,
            entries: kept,
            arena,
            gate: Bloom::new(&first_terms),
            filter: Bloom::new(&hashes),
            short_lens,
            lens,
            max_len,
            rest: (!rest.is_empty()).then(|| HasAnyAutomaton::from_indexed(&rest)),
        }
    }

    /// Bytes held by the matcher's tables (not counting the automaton for
    /// needles outside the table, nor the struct itself).
    pub fn heap_bytes(&self) -> usize {
        self.slots.len() * 8
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.arena.capacity()
            + self.gate.heap_bytes()
            + self.filter.heap_bytes()
            + self.lens.len() * 8
    }

    /// Whether a span of hash `h` may be a needle (if it is, it is).
    #[inline(always)]
    fn filtered(&self, h: u64) -> bool {
        #[cfg(test)]
        tests::WORK.with(|w| w.set(w.get() + 1));
        self.filter.may_hold(h)
    }

    /// The caller's index of the needle equal to `span` (already lower-cased
    /// when `lowered`; hash `h`), if any.
    #[inline]
    fn lookup(&self, h: u64, span: &[u8], lowered: bool) -> Option<usize> {
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
                let needle = &self.arena[e.start..e.start + e.len as usize];
                if needle.len() == span.len()
                    && if lowered {
                        span == needle
                    } else {
                        span.eq_ignore_ascii_case(needle)
                    }
                {
                    return Some(e.index as usize);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The lowest index among the table's needles that `hay` has; with `any`,
    /// the first one found.
    fn spans(&self, hay: &[u8], any: bool) -> Option<usize> {
        if hay.len() <= SHORT {
            self.short_spans(hay, any)
        } else {
            self.long_spans(hay, any)
        }
    }

    /// [`Self::spans`] for a name of at most [`SHORT`] bytes: lowered into a
    /// buffer and split into terms a word at a time, its term starts and ends
    /// bit masks; from each start, only spans ending at a term end at a needle
    /// length are hashed, and only if the first term passes the gate.
    #[inline]
    fn short_spans(&self, hay: &[u8], any: bool) -> Option<usize> {
        let n = hay.len();
        // The lowered name, zero past its end (so a word read at any offset
        // below `n` is in the buffer), and bit `i` set for a term byte.
        let mut buf = [0u8; SHORT + 8];
        let mut terms = 0u64;
        let mut i = 0;
        while i < n {
            let (w, bits) = lower_and_terms(word_from(hay, i));
            buf[i..i + 8].copy_from_slice(&w.to_le_bytes());
            terms |= bits << i;
            i += 8;
        }
        let mut starts = terms & !(terms << 1);
        // Bit `i`: the last byte of a term (bytes past `n` are not terms).
        let ends = terms & !(terms >> 1);
        // The starts with a span of some needle's length whose first term
        // passes the gate, without a branch per start: the gate's memory
        // reads for all of them are under way at once.
        let mut passed = 0u64;
        while starts != 0 {
            let s = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let from = ends >> s;
            let key = gate_key(word_at(&buf, s), from.trailing_zeros() as usize + 1);
            let pass = self.gate.may_hold(key) & (from & self.short_lens != 0);
            passed |= u64::from(pass) << s;
        }
        let mut best: Option<usize> = None;
        while passed != 0 {
            let s = passed.trailing_zeros() as usize;
            passed &= passed - 1;
            // Bit `j`: a term ends here and a needle is `j + 1` bytes long.
            let mut cands = (ends >> s) & self.short_lens;
            let word = |k: usize| word_at(&buf, s + k);
            // The spans the filter passes, again without a branch per span.
            let mut span = SpanHash::new();
            let mut maybe = 0u64;
            while cands != 0 {
                let j = cands.trailing_zeros() as usize;
                cands &= cands - 1;
                maybe |= u64::from(self.filtered(span.hash(j + 1, word))) << j;
            }
            while maybe != 0 {
                let len = maybe.trailing_zeros() as usize + 1;
                maybe &= maybe - 1;
                let h = SpanHash::new().hash(len, word);
                if let Some(id) = self.lookup(h, &buf[s..s + len], true) {
                    if any || id == 0 {
                        return Some(id);
                    }
                    best = Some(best.map_or(id, |b| b.min(id)));
                }
            }
        }
        best
    }

    fn has_len(&self, len: usize) -> bool {
        self.lens
            .get(len / 64)
            .is_some_and(|w| w & (1 << (len % 64)) != 0)
    }

    /// [`Self::spans`] for a longer name: term by term, byte by byte, words
    /// read and lowered from the name where a span is hashed.
    fn long_spans(&self, hay: &[u8], any: bool) -> Option<usize> {
        let n = hay.len();
        let mut best: Option<usize> = None;
        let next_end = |mut j: usize| {
            while j < n && is_term_byte(hay[j]) {
                j += 1;
            }
            j
        };
        let mut i = 0;
        while i < n {
            while i < n && !is_term_byte(hay[i]) {
                i += 1;
            }
            if i == n {
                break;
            }
            let start = i;
            i = next_end(i);
            let word = |k: usize| lower(word_from(hay, start + k));
            if !self.gate.may_hold(gate_key(word(0), i - start)) {
                continue;
            }
            let mut span = SpanHash::new();
            // Spans from this start, ending at each following term end.
            let mut end = i;
            while end - start <= self.max_len {
                let len = end - start;
                let h = self.has_len(len).then(|| span.hash(len, word));
                if let Some(h) = h.filter(|&h| self.filtered(h)) {
                    if let Some(id) = self.lookup(h, &hay[start..end], false) {
                        if any || id == 0 {
                            return Some(id);
                        }
                        best = Some(best.map_or(id, |b| b.min(id)));
                    }
                }
                let mut j = end;
                while j < n && !is_term_byte(hay[j]) {
                    j += 1;
                }
                if j == n {
                    break;
                }
                end = next_end(j);
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
        /// Spans looked up (in the filter, then the table) and slots probed,
        /// counted in tests only.
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

    /// A short name whose spans are of no needle's length, or whose first terms
    /// pass no gate, costs no look-up.
    #[test]
    fn short_names_skip_spans_of_other_lengths() {
        let f = HasAnyFast::new(&["estaliax.io", "duraktantuni.site"]);
        // Spans of 3, 4, 7, 8, 12 and 16 bytes: no needle is that long.
        assert_eq!(counted(&f, "www.cdn.akam.com"), (None, 0));
        // The whole name is 17 bytes, as long as "duraktantuni.site": the gate
        // (first term "static") turns it away.
        assert_eq!(counted(&f, "static.cdn.io.net"), (None, 0));
        assert_eq!(counted(&f, "A.ESTALIAX.IO.").0, Some(0));
    }

    /// Names at and around the word boundaries and the short path's limit, with
    /// the needle at the start, the end and across a word boundary, upper case,
    /// non-ASCII neighbours and trailing dots: the fast engine answers as the
    /// reference does.
    #[test]
    fn names_around_word_boundaries() {
        use crate::matcher::HasAnyReference;
        let needles = [
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "a1b2c3d4e5f6g7h8",
            "q.r",
            "x",
        ];
        let f = HasAnyFast::new(&needles);
        let r = HasAnyReference::new(&needles);
        for pad in 0..=70 {
            for needle in needles {
                for (l, rt) in [
                    (".", "."),
                    ("-", ""),
                    ("", "."),
                    ("é", ""),
                    ("", "é"),
                    ("Z", ""),
                ] {
                    let left = "y.".repeat(pad / 2) + &".".repeat(pad % 2);
                    for hay in [
                        format!("{left}{l}{needle}{rt}"),
                        format!("{left}{l}{}{rt}.", needle.to_ascii_uppercase()),
                        format!("{l}{needle}{rt}{left}"),
                    ] {
                        assert_eq!(f.first_match(&hay), r.first_match(&hay), "{hay:?}");
                        assert_eq!(f.is_match(&hay), r.is_match(&hay), "{hay:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// The word-at-a-time path for short names and the byte walk for long
        /// ones find the same needles in the same names.
        #[test]
        fn short_and_long_paths_agree(
            needles in proptest::collection::vec("[a-cA-C0-9][-.a-cA-C0-9é]{0,10}[a-c0-9]", 1..8),
            hay in "[-._ a-cA-C0-9é]{0,64}",
        ) {
            let f = HasAnyFast::new(&needles);
            let hay = &hay.as_bytes()[..hay.len().min(SHORT)];
            proptest::prop_assert_eq!(f.short_spans(hay, false), f.long_spans(hay, false));
            proptest::prop_assert_eq!(
                f.short_spans(hay, true).is_some(),
                f.long_spans(hay, true).is_some()
            );
        }
    }
}
