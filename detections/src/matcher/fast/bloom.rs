//! A blocked Bloom filter over span hashes: two bits of one 64-bit word per
//! key, so a test is one memory access.

/// Bit sets sized at 16 bits per key (rounded up to a power of two): about 1 %
/// of other hashes pass.
const BITS_PER_KEY: usize = 16;

#[derive(Debug, Clone)]
pub(super) struct Bloom {
    words: Box<[u64]>,
    /// `64 - log2(words.len())`: the hash's top bits pick the word.
    shift: u32,
}

/// The key's two bits in its word, from the hash's low twelve bits.
#[inline(always)]
fn bits(h: u64) -> u64 {
    (1 << (h & 63)) | (1 << ((h >> 6) & 63))
}

impl Bloom {
    /// A filter holding these hashes (duplicates are harmless).
    pub(super) fn new(hashes: &[u64]) -> Self {
        let count = (hashes.len() * BITS_PER_KEY / 64)
            .next_power_of_two()
            .max(8);
        let shift = 64 - count.trailing_zeros();
        let mut words = vec![0u64; count].into_boxed_slice();
        for &h in hashes {
            words[(h >> shift) as usize] |= bits(h);
        }
        Self { words, shift }
    }

    /// Whether `h` may be a held hash (it is, if it was added).
    #[inline(always)]
    pub(super) fn may_hold(&self, h: u64) -> bool {
        let b = bits(h);
        self.words[(h >> self.shift) as usize] & b == b
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.words.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every added hash passes; few others do.
    #[test]
    fn holds_what_was_added_and_little_else() {
        let mix = |i: u64| {
            (i ^ 0x5555)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .rotate_left(29)
        };
        let b = Bloom::new(&(0..10_000).map(mix).collect::<Vec<_>>());
        assert!((0..10_000).all(|i| b.may_hold(mix(i))));
        let false_hits = (10_000..110_000).filter(|&i| b.may_hold(mix(i))).count();
        assert!(false_hits < 3_000, "{false_hits} of 100,000");
    }
}
