//! The fast `has_any` (and the automaton) against the reference: the same
//! lowest-indexed needle for any needles and haystack. The input is the
//! haystack, then the needles, separated by NUL bytes.
#![no_main]

use detections::matcher::{HasAny, HasAnyAutomaton, HasAnyFast, HasAnyReference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut parts = text.split('\0');
    let hay = parts.next().unwrap_or_default();
    let needles: Vec<&str> = parts.take(64).collect();
    let want = HasAnyReference::new(&needles).first_match(hay);
    assert_eq!(
        HasAnyFast::new(&needles).first_match(hay),
        want,
        "fast: {needles:?} in {hay:?}"
    );
    assert_eq!(
        HasAnyAutomaton::new(&needles).first_match(hay),
        want,
        "automaton: {needles:?} in {hay:?}"
    );
});
