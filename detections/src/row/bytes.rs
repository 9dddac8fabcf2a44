//! Byte searches of the fast JSON Lines reader ([`super::flat`]): where a
//! string's plain run ends (a quote, a backslash or a control byte) and where
//! its next quote is, sixteen bytes a time with SSE2 (every x86-64 processor
//! has it, through `safe_arch`'s safe wrappers). Elsewhere a plain run is
//! read eight bytes a word and a quote found by `memchr`.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` (little-endian) that ends a plain run
/// of a string (a quote, a backslash or a control byte), exact for the
/// lowest flagged byte (a borrow only flags bytes above it).
pub(super) fn stops(w: u64) -> u64 {
    let quote = w ^ (ONES * u64::from(b'"'));
    let slash = w ^ (ONES * u64::from(b'\\'));
    (quote.wrapping_sub(ONES) & !quote
        | slash.wrapping_sub(ONES) & !slash
        | w.wrapping_sub(ONES * 0x20) & !w)
        & HIGH
}

/// How many bytes of `b` come before the first that ends a plain run of a
/// string: a quote, a backslash or a control byte. Sixteen bytes a time with
/// SSE2 (every x86-64 processor has it), the rest by [`words`].
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(super) fn plain(b: &[u8]) -> usize {
    use safe_arch::{cmp_eq_mask_i8_m128i as eq, min_u8_m128i, set_splat_i8_m128i as splat};
    let (quote, slash, control) = (splat(0x22), splat(0x5c), splat(0x1f));
    // A byte at most 0x1f is its own minimum with 0x1f: a control byte.
    let stop = |v| eq(v, quote) | eq(v, slash) | eq(min_u8_m128i(v, control), v);
    sixteens(b, stop).unwrap_or_else(|i| i + words(&b[i..]))
}

/// [`plain`] where the processor has no SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(super) fn plain(b: &[u8]) -> usize {
    words(b)
}

/// Where the first quote of `b` is (its length if none), sixteen bytes a time
/// with SSE2.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(super) fn next_quote(b: &[u8]) -> usize {
    use safe_arch::{cmp_eq_mask_i8_m128i as eq, set_splat_i8_m128i as splat};
    let quote = splat(0x22);
    sixteens(b, |v| eq(v, quote)).unwrap_or_else(|i| {
        i + b[i..]
            .iter()
            .position(|&c| c == b'"')
            .unwrap_or(b.len() - i)
    })
}

/// [`next_quote`] where the processor has no SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(super) fn next_quote(b: &[u8]) -> usize {
    memchr::memchr(b'"', b).unwrap_or(b.len())
}

/// The first byte of `b` that `flag` marks (all its bits set), looked for in
/// whole sixteen-byte blocks: `Ok` with its place, or `Err` with where the
/// last part block begins.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn sixteens(b: &[u8], flag: impl Fn(safe_arch::m128i) -> safe_arch::m128i) -> Result<usize, usize> {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
        let mask = safe_arch::move_mask_i8_m128i(flag(safe_arch::load_unaligned_m128i(chunk)));
        if mask != 0 {
            return Ok(i + mask.trailing_zeros() as usize);
        }
        i += 16;
    }
    Err(i)
}

/// [`plain`] eight bytes a time: the lowest flagged byte of a word is exact
/// (a borrow only flags bytes above it).
fn words(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let flags = stops(super::head(chunk));
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| matches!(c, b'"' | b'\\' | 0..=0x1f))
        .unwrap_or(b.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_byte_at_every_place_stops_a_run_or_not() {
        // Every byte value at every place of plain text 1 to 48 bytes long:
        // within a sixteen-byte block, in the part block after it, and in
        // the last bytes the eight-byte words read.
        for byte in 0..=255u8 {
            let stops = byte == b'"' || byte == b'\\' || byte < 0x20;
            for len in 1..=48 {
                for at in 0..len {
                    let mut b = vec![b'a'; len];
                    b[at] = byte;
                    let want = if stops { at } else { len };
                    assert_eq!(plain(&b), want, "{byte:#x} at {at} of {len}");
                    assert_eq!(words(&b), want, "{byte:#x} at {at} of {len}");
                    let quote = if byte == b'"' { at } else { len };
                    assert_eq!(next_quote(&b), quote, "{byte:#x} at {at} of {len}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn a_plain_run_ends_at_the_first_quote_backslash_or_control_byte(
            b in proptest::collection::vec(
                prop_oneof![
                    1 => Just(b'"'),
                    1 => Just(b'\\'),
                    1 => 0u8..0x20,
                    30 => 0x20u8..=0xff,
                ],
                0..80,
            ),
        ) {
            let want = b
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(b.len());
            prop_assert_eq!(plain(&b), want);
            prop_assert_eq!(words(&b), want);
            let quote = b.iter().position(|&c| c == b'"').unwrap_or(b.len());
            prop_assert_eq!(next_quote(&b), quote);
        }
    }
}
