//! Eight bytes at a time: ASCII lower-casing, finding term bytes, and the span
//! hash [`HasAnyFast`](super::HasAnyFast) files needles under and probes names
//! with.
//!
//! Words are little-endian: byte `i` of a slice is bits `8i..8i + 8` of its
//! word, so a word's first `r` bytes are its low `8r` bits.

/// Each byte's low seven bits.
const LO7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// Each byte's high bit.
const HI: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The word's bytes, ASCII upper case lowered (every other byte unchanged),
/// and bit `i` set when byte `i` is a term byte ([`crate::kql::is_term_byte`]:
/// an ASCII letter or digit, or any byte of 0x80 and above).
#[inline(always)]
pub(super) fn lower_and_terms(w: u64) -> (u64, u64) {
    // Within each byte's low seven bits, adding `0x80 - lo` reaches the high
    // bit (never carrying into the next byte) exactly when the byte is at
    // least `lo`. Setting 0x20 maps both cases of a letter, and nothing else,
    // to `a..=z`.
    let h = w & LO7;
    let folded = h | splat(0x20);
    let letter = (folded + splat(0x80 - b'a')) & !(folded + splat(0x80 - b'z' - 1)) & !w & HI;
    let digit = (h + splat(0x80 - b'0')) & !(h + splat(0x80 - b'9' - 1));
    let t = (letter | digit | w) & HI;
    // The high bits (7, 15, .., 63) gathered into bits 0..8: each lands in the
    // top byte once, no two partial products overlap below it.
    let bits = (t >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    (w | (letter >> 2), bits)
}

/// The word's bytes, ASCII upper case lowered.
#[inline(always)]
pub(super) fn lower(w: u64) -> u64 {
    lower_and_terms(w).0
}

/// The word at `b[i..i + 8]`.
#[inline(always)]
pub(super) fn word_at(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(a)
}

/// The bytes of `b` from `i` (`i < b.len()`), as a word: zero past the end.
#[inline(always)]
pub(super) fn word_from(b: &[u8], i: usize) -> u64 {
    let n = b.len();
    if i + 8 <= n {
        word_at(b, i)
    } else if n >= 8 {
        // The last eight bytes, shifted down so that `b[i]` is byte 0.
        word_at(b, n - 8) >> (8 * (i + 8 - n))
    } else {
        let mut a = [0u8; 8];
        a[..n - i].copy_from_slice(&b[i..]);
        u64::from_le_bytes(a)
    }
}

/// The low `r` bytes of a word, `1 <= r <= 8`.
#[inline(always)]
pub(super) fn low_bytes(w: u64, r: usize) -> u64 {
    w & (u64::MAX >> (64 - 8 * r))
}

/// The hash's multipliers (odd; the folded 128-bit product mixes every input
/// bit into every output bit).
const K: u64 = 0x9E37_79B9_7F4A_7C15;
const K_LAST: u64 = 0xD6E8_FEB8_6659_FD93;
/// The state before any word.
pub(super) const SEED: u64 = 0x243F_6A88_85A3_08D3;

/// The 128-bit product's halves folded together.
#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// The state after one more full word of a span.
#[inline(always)]
pub(super) fn absorb(state: u64, w: u64) -> u64 {
    fold(state ^ w, K)
}

/// The hash of a span of `len` bytes: `state` over its full words before the
/// last, and the last (one to eight bytes, zero above them).
#[inline(always)]
pub(super) fn finish(state: u64, last: u64, len: usize) -> u64 {
    fold(state ^ last, K_LAST ^ len as u64)
}

/// A span's hash, built word by word as its end moves right: the spans from
/// one start share their full words.
#[derive(Debug, Clone, Copy)]
pub(super) struct SpanHash {
    state: u64,
    /// Bytes absorbed into `state` (a multiple of 8).
    done: usize,
}

impl SpanHash {
    pub(super) fn new() -> Self {
        Self {
            state: SEED,
            done: 0,
        }
    }

    /// The hash of the span's first `len` bytes (`len` at least 1, and at least
    /// the length asked before), `word(k)` being its lowered bytes from `k`
    /// (zero or anything past `len`: they are masked off).
    #[inline(always)]
    pub(super) fn hash(&mut self, len: usize, word: impl Fn(usize) -> u64) -> u64 {
        let last = (len - 1) & !7;
        while self.done < last {
            self.state = absorb(self.state, word(self.done));
            self.done += 8;
        }
        finish(self.state, low_bytes(word(last), len - last), len)
    }
}

/// The key a term start passes the gate with: its first term's length and
/// first eight bytes (`first`, the word from the start, lowered; bytes past
/// the term are masked off). One multiply, whatever the term's length.
#[inline(always)]
pub(super) fn gate_key(first: u64, len: usize) -> u64 {
    finish(SEED, low_bytes(first, len.min(8)), len)
}

/// The span hash of bytes already lower-cased (at least one).
pub(super) fn hash_of(lowered: &[u8]) -> u64 {
    SpanHash::new().hash(lowered.len(), |k| word_from(lowered, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kql::is_term_byte;

    #[test]
    fn words_lower_and_split_as_bytes_do() {
        for b in 0..=255u8 {
            for at in 0..8 {
                // The byte among neighbours that sit at the classes' edges.
                let mut bytes = *b"@AZ[`az{";
                bytes[at] = b;
                let w = u64::from_le_bytes(bytes);
                let (lowered, bits) = lower_and_terms(w);
                let lowered = lowered.to_le_bytes();
                for i in 0..8 {
                    assert_eq!(lowered[i], bytes[i].to_ascii_lowercase(), "{b} at {at}");
                    assert_eq!(bits >> i & 1 == 1, is_term_byte(bytes[i]), "{b} at {at}");
                }
            }
        }
    }

    #[test]
    fn tail_words_are_zero_past_the_end() {
        let b = b"abcdefghijk";
        for n in 1..=b.len() {
            for i in 0..n {
                let mut want = [0u8; 8];
                let k = (n - i).min(8);
                want[..k].copy_from_slice(&b[i..i + k]);
                assert_eq!(word_from(&b[..n], i), u64::from_le_bytes(want), "{n} {i}");
            }
        }
    }

    /// Spans that differ only in length, or by bytes past a word boundary,
    /// hash apart; the same bytes hash alike however the hash was reached.
    #[test]
    fn span_hashes_depend_on_every_byte_and_the_length() {
        let text = b"abcdefgh.abcdefgh.abcdefgh.ab";
        let mut seen = std::collections::HashSet::new();
        let mut running = SpanHash::new();
        for len in 1..=text.len() {
            let h = hash_of(&text[..len]);
            assert!(seen.insert(h), "{len}");
            assert_eq!(running.hash(len, |k| word_from(text, k)), h, "{len}");
        }
        assert_ne!(hash_of(b"abcdefgh.a"), hash_of(b"abcdefgh.b"));
        assert_ne!(hash_of(b"a\0"), hash_of(b"a"));
    }
}
