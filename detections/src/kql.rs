//! Kusto (KQL) string operators with Kusto's own semantics.
//!
//! See `docs/kql-semantics.md` in this repository for the rules and the decisions
//! taken where Microsoft's documentation is silent. In short:
//!
//! * a *term* is a maximal run of term bytes, decided by [`is_term_byte`] alone;
//! * case-insensitive operators fold ASCII only;
//! * a positive operator with an empty left side is false, and so is a term or
//!   substring operator with an empty right side (an empty needle never matches);
//! * `has` tries every occurrence of the right side, not only the first.
//!
//! All functions work on bytes: UTF-8 text compares byte for byte, and ASCII folding
//! never changes a non-ASCII byte.

use crate::row::head;

/// Whether `b` is part of a term.
///
/// Decision (the Kusto documentation leaves it open): ASCII letters and digits are
/// term bytes; every byte of a non-ASCII character (>= 0x80) is a term byte, so a
/// letter from another script never splits a term; `_` and all other ASCII
/// punctuation, whitespace and control bytes separate terms. This is the one place
/// that decides it.
#[inline]
pub fn is_term_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

#[inline]
fn eq_bytes(a: &[u8], b: &[u8], case_sensitive: bool) -> bool {
    if case_sensitive {
        a == b
    } else {
        eq_ascii_ci(a, b)
    }
}

/// Whether an occurrence of `rhs` at `lhs[i..i + rhs.len()]` starts a term.
#[inline]
pub(crate) fn starts_term(lhs: &[u8], rhs: &[u8], i: usize) -> bool {
    i == 0 || !is_term_byte(lhs[i - 1]) || !is_term_byte(rhs[0])
}

/// Whether an occurrence of `rhs` at `lhs[i..i + rhs.len()]` ends a term.
#[inline]
pub(crate) fn ends_term(lhs: &[u8], rhs: &[u8], i: usize) -> bool {
    let end = i + rhs.len();
    end == lhs.len() || !is_term_byte(lhs[end]) || !is_term_byte(rhs[rhs.len() - 1])
}

/// Every start offset of `rhs` in `lhs` (overlapping): the offsets of its first
/// byte (either case), found a word at a time, then compared whole.
fn occurrences<'a>(
    lhs: &'a [u8],
    rhs: &'a [u8],
    case_sensitive: bool,
) -> impl Iterator<Item = usize> + 'a {
    let last = lhs.len().checked_sub(rhs.len()).filter(|_| !rhs.is_empty());
    let first = rhs.first().copied().unwrap_or(0);
    let (a, b) = if case_sensitive {
        (first, first)
    } else {
        (first.to_ascii_lowercase(), first.to_ascii_uppercase())
    };
    memchr::memchr2_iter(a, b, lhs)
        .take_while(move |&i| last.is_some_and(|l| i <= l))
        .filter(move |&i| eq_bytes(&lhs[i..i + rhs.len()], rhs, case_sensitive))
}

/// [`occurrences`] by trying every offset (the definition it is checked against).
#[cfg(test)]
fn occurrences_plainly(lhs: &[u8], rhs: &[u8], case_sensitive: bool) -> Vec<usize> {
    let Some(last) = lhs.len().checked_sub(rhs.len()).filter(|_| !rhs.is_empty()) else {
        return Vec::new();
    };
    (0..=last)
        .filter(|&i| eq_bytes(&lhs[i..i + rhs.len()], rhs, case_sensitive))
        .collect()
}

fn term_match(lhs: &str, rhs: &str, cs: bool, need_start: bool, need_end: bool) -> bool {
    let (l, r) = (lhs.as_bytes(), rhs.as_bytes());
    occurrences(l, r, cs)
        .any(|i| (!need_start || starts_term(l, r, i)) && (!need_end || ends_term(l, r, i)))
}

/// `lhs has rhs`: `rhs` is a whole term or term sequence of `lhs` (case-insensitive).
pub fn has(lhs: &str, rhs: &str) -> bool {
    term_match(lhs, rhs, false, true, true)
}

/// `lhs has_cs rhs`: as [`has`], case-sensitive.
pub fn has_cs(lhs: &str, rhs: &str) -> bool {
    term_match(lhs, rhs, true, true, true)
}

/// `lhs hasprefix rhs`: `rhs` is a prefix of some term of `lhs` (case-insensitive).
pub fn hasprefix(lhs: &str, rhs: &str) -> bool {
    term_match(lhs, rhs, false, true, false)
}

/// `lhs hassuffix rhs`: `rhs` is a suffix of some term of `lhs` (case-insensitive).
pub fn hassuffix(lhs: &str, rhs: &str) -> bool {
    term_match(lhs, rhs, false, false, true)
}

/// `lhs contains rhs`: substring, case-insensitive.
pub fn contains(lhs: &str, rhs: &str) -> bool {
    term_match(lhs, rhs, false, false, false)
}

/// `lhs contains_cs rhs`: substring, case-sensitive.
pub fn contains_cs(lhs: &str, rhs: &str) -> bool {
    term_match(lhs, rhs, true, false, false)
}

/// `lhs startswith rhs`: prefix of the whole value, case-insensitive.
pub fn startswith(lhs: &str, rhs: &str) -> bool {
    !rhs.is_empty()
        && lhs.len() >= rhs.len()
        && eq_ascii_ci(&lhs.as_bytes()[..rhs.len()], rhs.as_bytes())
}

/// `lhs endswith rhs`: suffix of the whole value, case-insensitive.
pub fn endswith(lhs: &str, rhs: &str) -> bool {
    !rhs.is_empty()
        && lhs.len() >= rhs.len()
        && eq_ascii_ci(&lhs.as_bytes()[lhs.len() - rhs.len()..], rhs.as_bytes())
}

/// `lhs == rhs`: equality, case-sensitive.
pub fn eq(lhs: &str, rhs: &str) -> bool {
    lhs == rhs
}

/// `lhs =~ rhs`: equality, ASCII case-insensitive.
pub fn eq_ci(lhs: &str, rhs: &str) -> bool {
    eq_ascii_ci(lhs.as_bytes(), rhs.as_bytes())
}

/// `[u8]::eq_ignore_ascii_case`, eight bytes a time: words that differ are
/// compared with their ASCII capitals folded (the last word overlapping the
/// one before; under eight bytes, byte by byte).
pub(crate) fn eq_ascii_ci(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() < 8 {
        return a.eq_ignore_ascii_case(b);
    }
    let same = |at: usize| {
        let (x, y) = (head(&a[at..]), head(&b[at..]));
        x == y || fold(x) == fold(y)
    };
    (0..a.len() - 8).step_by(8).all(same) && same(a.len() - 8)
}

/// `w` with each ASCII capital (0x41 to 0x5a) made small (its 0x20 bit set);
/// bytes of 0x80 and above are left as they are.
fn fold(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = w & LOW7;
    // A byte's high bit after adding: at least 0x41, at least 0x5b (no
    // carry leaves a byte: 0x7f + 0x3f < 0x100).
    let from_a = low + 0x3f3f_3f3f_3f3f_3f3f;
    let past_z = low + 0x2525_2525_2525_2525;
    let capital = from_a & !past_z & !w & HIGH;
    w | (capital >> 2)
}

/// `lhs in (list)`: equal to one of the list, case-sensitive.
pub fn in_list<S: AsRef<str>>(lhs: &str, list: &[S]) -> bool {
    list.iter().any(|r| eq(lhs, r.as_ref()))
}

/// `lhs in~ (list)`: equal to one of the list, case-insensitive.
pub fn in_list_ci<S: AsRef<str>>(lhs: &str, list: &[S]) -> bool {
    list.iter().any(|r| eq_ci(lhs, r.as_ref()))
}

/// `lhs has_any (list)`: [`has`] for any element of the list.
pub fn has_any<S: AsRef<str>>(lhs: &str, list: &[S]) -> bool {
    list.iter().any(|r| has(lhs, r.as_ref()))
}

/// Split `value` into its terms, as Kusto's index would (see [`is_term_byte`]).
pub fn terms(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(|c: char| c.is_ascii() && !is_term_byte(c as u8))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_follow_the_documented_example() {
        let t: Vec<_> =
            terms("Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun").collect();
        assert_eq!(
            t,
            [
                "Kusto",
                "ad67d136",
                "c1db",
                "4f9f",
                "88ef",
                "d94f3b6b0b5a",
                "KustoExplorerQueryRun"
            ]
        );
    }

    #[test]
    fn underscore_separates_terms_and_non_ascii_joins_them() {
        assert!(has("backup_nanocore_x", "nanocore"));
        assert!(!has("bäcknanocore", "nanocore"));
        assert!(has("bä.nanocore", "nanocore"));
    }

    #[test]
    fn later_occurrence_can_pass_when_first_fails() {
        assert!(has("xestaliax.io.estaliax.io", "estaliax.io"));
        assert!(has("estaliax.iox.estaliax.io", "estaliax.io"));
    }

    #[test]
    fn empty_needle_never_matches() {
        for f in [
            has, has_cs, hasprefix, hassuffix, contains, startswith, endswith,
        ] {
            assert!(!f("abc", ""));
            assert!(!f("", ""));
        }
        assert!(eq("", ""));
    }

    proptest::proptest! {
        #[test]
        fn occurrences_are_every_offset_where_the_needle_is(
            lhs in "[aAbB.\u{e4}\u{c4}-]{0,24}",
            rhs in "[aAbB.\u{e4}-]{0,4}",
            cs in proptest::bool::ANY,
        ) {
            let (l, r) = (lhs.as_bytes(), rhs.as_bytes());
            let got: Vec<usize> = occurrences(l, r, cs).collect();
            proptest::prop_assert_eq!(got, occurrences_plainly(l, r, cs));
        }
    }

    proptest::proptest! {
        #[test]
        fn words_compared_in_any_case_as_bytes_are(
            a in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(b"aAzZ@[`{\\.0\xc1\xe1\xda\xfa".to_vec()),
                    1 => proptest::num::u8::ANY,
                ],
                0..40,
            ),
            flips in proptest::collection::vec(0u8..20, 40),
            cut in 0usize..3,
        ) {
            // `b`: `a` with some ASCII letters' case changed, now and then
            // the same bit of another byte (`[` and `{`, 0xc1 and 0xe1), and
            // perhaps a byte changed or dropped.
            let mut b: Vec<u8> = a
                .iter()
                .zip(&flips)
                .map(|(&c, &f)| match f {
                    0..=9 if c.is_ascii_alphabetic() => c ^ 0x20,
                    19 => c ^ 0x20,
                    _ => c,
                })
                .collect();
            match cut {
                1 if !b.is_empty() => {
                    let mid = b.len() / 2;
                    b[mid] ^= 0x01;
                }
                2 => { b.pop(); }
                _ => {}
            }
            proptest::prop_assert_eq!(eq_ascii_ci(&a, &b), a.eq_ignore_ascii_case(&b));
        }
    }

    #[test]
    fn words_differing_in_a_capital_s_bit_alone_are_not_always_equal() {
        let a = |n: usize| vec![b'a'; n];
        let with = |mut v: Vec<u8>, at: usize, b: u8| {
            v[at] = b;
            v
        };
        // Bytes that differ in the 0x20 bit but are not a letter's two cases.
        for (x, y) in [(0xc1, 0xe1), (b'[', b'{'), (b'@', b'`'), (b'^', b'~')] {
            for (len, at) in [(8, 1), (21, 20), (16, 8), (9, 0)] {
                assert!(!eq_ascii_ci(&with(a(len), at, x), &with(a(len), at, y)));
            }
        }
        // A letter's two cases, in the first word, the overlapping last one
        // and between.
        for (len, at) in [(8, 0), (8, 7), (21, 20), (24, 9), (9, 8)] {
            assert!(eq_ascii_ci(
                &with(a(len), at, b'Z'),
                &with(a(len), at, b'z')
            ));
            assert!(eq_ascii_ci(&with(a(len), at, b'A'), &a(len)));
            assert!(!eq_ascii_ci(&with(a(len), at, b'b'), &a(len)));
        }
        assert!(!eq_ascii_ci(&a(16), &with(a(16), 8, b'a' ^ 1)));
        assert!(!eq_ascii_ci(&a(16), &a(15)));
    }

    #[test]
    fn prefix_and_suffix_of_terms() {
        assert!(hasprefix("run nanocoreclient.exe", "nanocore"));
        assert!(!hasprefix("xnanocore", "nanocore"));
        assert!(hassuffix("xnanocore.exe", "nanocore"));
        assert!(!hassuffix("nanocorex", "nanocore"));
    }
}
