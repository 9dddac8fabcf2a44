//! Seeded randomness with a fixed derivation, so that a scenario and a seed give
//! the same numbers on every machine.
//!
//! Streams are ChaCha8 (`rand_chacha`), seeded from a 64-bit key that is hashed
//! from the run seed, the scenario's own seed, the scenario id and the host index
//! with FNV-1a and splitmix64, both written out here (std's `DefaultHasher` is not
//! guaranteed stable across releases). Every derived value uses integer arithmetic
//! or the IEEE-754 basic operations (`+ - * /`, correctly rounded everywhere); the
//! one logarithm we need is computed by [`ln`] from those operations, not by libm.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// FNV-1a over bytes (64-bit).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_on(0xcbf2_9ce4_8422_2325, bytes)
}

/// FNV-1a going on from `h` over `bytes`: the hash of two strings one after
/// the other is `fnv1a_on(fnv1a(a), b)`.
fn fnv1a_on(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// splitmix64's increment (2^64 divided by the golden ratio): [`splitmix64`]
/// adds it before mixing, and a splitmix64 stream adds it to its state each step.
pub const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// One splitmix64 step: a strong 64-bit mix.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(GOLDEN_GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Fold a sequence of 64-bit parts into one key.
pub fn derive(parts: &[u64]) -> u64 {
    parts.iter().fold(0x6875_6e74_6c61_6221_u64, |acc, &p| {
        splitmix64(acc ^ splitmix64(p))
    })
}

/// Natural logarithm of a positive finite `x`, from basic IEEE operations only.
///
/// `x = m * 2^e` with `m` in [1/sqrt2, sqrt2); `ln m = 2 atanh((m-1)/(m+1))` by its
/// series (|s| < 0.172, 12 terms are below 1e-17). Returns 0 for non-positive or
/// non-finite input (callers never pass those).
pub fn ln(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 0.0;
    }
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64;
    let mut m = if e == 0 {
        // Subnormal: scale up first.
        let y = x * 18_014_398_509_481_984.0; // 2^54
        let b = y.to_bits();
        e = ((b >> 52) & 0x7ff) as i64 - 54;
        f64::from_bits((b & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
    } else {
        f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
    };
    e -= 1023;
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..12 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    2.0 * sum + (e as f64) * std::f64::consts::LN_2
}

/// A deterministic random stream.
#[derive(Debug, Clone)]
pub struct Rng(ChaCha8Rng);

impl Rng {
    /// A stream for this key.
    pub fn new(key: u64) -> Self {
        Rng(ChaCha8Rng::seed_from_u64(key))
    }

    /// 64 random bits.
    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `0..n` (0 when `n == 0`), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let zone = u64::MAX - (u64::MAX % n);
        loop {
            let v = self.u64();
            if v < zone {
                return v % n;
            }
        }
    }

    /// Uniform in `lo..=hi` (inclusive; `lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// Uniform in [0, 1) with 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / 9_007_199_254_740_992.0
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice (`None` when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len() as u64) as usize)
        }
    }

    /// An exponentially distributed number with this mean.
    pub fn exp(&mut self, mean: f64) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]
        -ln(u) * mean
    }

    /// An exponentially distributed duration with this mean, in whole milliseconds
    /// (at least 1).
    pub fn exp_ms(&mut self, mean_ms: f64) -> i64 {
        let v = self.exp(mean_ms);
        if v.is_finite() && v >= 1.0 {
            if v > 9.0e15 {
                9_000_000_000_000_000
            } else {
                v as i64
            }
        } else {
            1
        }
    }

    /// `base_ms` moved by a uniform relative jitter in `[-jitter, +jitter]`, at
    /// least 1 ms.
    pub fn jitter_ms(&mut self, base_ms: f64, jitter: f64) -> i64 {
        let f = 1.0 + jitter * (2.0 * self.unit() - 1.0);
        let v = base_ms * f;
        if v.is_finite() && v >= 1.0 {
            if v > 9.0e15 {
                9_000_000_000_000_000
            } else {
                v as i64
            }
        } else {
            1
        }
    }

    /// `n` random lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        hex_digits(self, n, false)
    }

    /// `n` random uppercase hex digits.
    pub fn hex_upper(&mut self, n: usize) -> String {
        hex_digits(self, n, true)
    }

    /// `n` random lower-case letters and digits (a DNS label), starting with a letter.
    pub fn label(&mut self, n: usize) -> String {
        const CHARS: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..n)
            .map(|i| {
                let k = if i == 0 { 26 } else { 36 };
                CHARS[self.below(k) as usize] as char
            })
            .collect()
    }
}

fn hex_digits(rng: &mut Rng, n: usize, upper: bool) -> String {
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::with_capacity(n);
    let mut bits = 0u64;
    for i in 0..n {
        if i % 16 == 0 {
            bits = rng.u64();
        }
        out.push(table[(bits & 0xf) as usize] as char);
        bits >>= 4;
    }
    out
}

/// `n` hex digits that depend only on `key` (stable file hashes for a binary).
pub fn stable_hex(key: &str, n: usize, upper: bool) -> String {
    stable_hex_of(&[key], n, upper)
}

/// [`stable_hex`] of the parts written one after the other (`["sha1", ":",
/// key]` is `"sha1:key"`), without writing them out.
pub fn stable_hex_of(parts: &[&str], n: usize, upper: bool) -> String {
    let seed = parts
        .iter()
        .fold(fnv1a(b""), |h, part| fnv1a_on(h, part.as_bytes()));
    REMEMBERED_HEX.with(|cell| {
        let mut known = cell.borrow_mut();
        if let Some(hex) = known.get(&(seed, n, upper)) {
            return hex.clone();
        }
        let hex = hex_digits(&mut Rng::new(seed), n, upper);
        if known.len() >= REMEMBER_HEX {
            known.clear();
        }
        known.insert((seed, n, upper), hex.clone());
        hex
    })
}

/// How many stable hex strings a thread remembers (each a digest of one of
/// a fleet's binaries, asked for on every row of its processes); past it,
/// it forgets them all and starts again.
const REMEMBER_HEX: usize = 16_384;

thread_local! {
    /// Stable hex strings made so far, by seed, length and case: seeding a
    /// generator for one costs about ten times looking it up.
    static REMEMBERED_HEX: std::cell::RefCell<
        std::collections::HashMap<(u64, usize, bool), String, foldhash::fast::FixedState>,
    > = std::cell::RefCell::default();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_and_splitmix_are_the_published_functions() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(splitmix64(0), 0xe220_a839_7b1d_cdaf);
    }

    proptest::proptest! {
        /// A stable hex string is the generator's digits seeded by the hash
        /// of the parts written out, the first time and every time after.
        #[test]
        fn stable_hex_is_seeded_by_its_parts_written_out(
            a in "[a-z:]{0,6}",
            b in ".{0,12}",
            n in 0usize..70,
            upper in proptest::bool::ANY,
        ) {
            let joined = format!("{a}{b}");
            let want = hex_digits(&mut Rng::new(fnv1a(joined.as_bytes())), n, upper);
            for _ in 0..2 {
                proptest::prop_assert_eq!(&stable_hex_of(&[&a, &b], n, upper), &want);
                proptest::prop_assert_eq!(&stable_hex(&joined, n, upper), &want);
            }
        }
    }

    #[test]
    fn ln_agrees_with_std_closely() {
        for &x in &[
            1e-300, 1e-10, 0.001, 0.5, 0.7, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300,
        ] {
            let a = ln(x);
            let b = x.ln();
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{x}: {a} vs {b}");
        }
        assert!(ln(5e-324).is_finite());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::new(1);
        for n in 1..50 {
            assert!(r.below(n) < n);
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 5), 5);
    }
}
