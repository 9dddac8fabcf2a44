//! The fast `has_any` agrees with the reference on generated needle sets and
//! names, hard cases included.

use detections::matcher::{HasAny, HasAnyAutomaton, HasAnyFast, HasAnyReference};
use proptest::prelude::*;

/// Labels from a small alphabet, so that IOCs often occur inside names.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("estaliax".to_owned()),
        Just("io".to_owned()),
        Just("a".to_owned()),
        Just("x".to_owned()),
        Just("site".to_owned()),
        Just("".to_owned()),
        "[a-cA-C0-9]{1,3}",
    ]
}

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..4).prop_map(|ls| ls.join("."))
}

/// A needle: a domain, sometimes with a trailing dot, odd case or punctuation.
fn needle() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => domain(),
        1 => domain().prop_map(|d| format!("{d}.")),
        1 => domain().prop_map(|d| d.to_ascii_uppercase()),
        1 => Just(String::new()),
        1 => "[-_.:a-c]{1,4}",
        1 => domain().prop_map(|d| format!(".{d}")),
        1 => "[a-cAé0-9.]{1,6}",
    ]
}

/// A name: IOCs inside longer names, adjacent alphanumerics, mixed case,
/// trailing dots, repetition, empty strings.
fn name(needles: Vec<String>) -> impl Strategy<Value = String> {
    let pick = if needles.is_empty() {
        Just(String::new()).boxed()
    } else {
        prop::sample::select(needles).boxed()
    };
    let part = prop_oneof![
        3 => pick,
        2 => label(),
        1 => "[-_.:/ a-cA-CéÄ0-9]{0,3}",
    ];
    (
        prop::collection::vec(part, 0..6),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(parts, upper, dot)| {
            let mut s = parts.concat();
            if upper {
                s = s.to_ascii_uppercase();
            }
            if dot {
                s.push('.');
            }
            s
        })
}

fn case() -> impl Strategy<Value = (Vec<String>, String)> {
    prop::collection::vec(needle(), 0..6).prop_flat_map(|ns| (Just(ns.clone()), name(ns)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn fast_agrees_with_reference((needles, hay) in case()) {
        let r = HasAnyReference::new(&needles);
        let f = HasAnyFast::new(&needles);
        let a = HasAnyAutomaton::new(&needles);
        prop_assert_eq!(f.first_match(&hay), r.first_match(&hay), "fast: needles {:?} name {:?}", needles, hay);
        prop_assert_eq!(a.first_match(&hay), r.first_match(&hay), "automaton: needles {:?} name {:?}", needles, hay);
        prop_assert_eq!(f.is_match(&hay), r.first_match(&hay).is_some(), "fast is_match: needles {:?} name {:?}", needles, hay);
    }
}

/// Many needles sharing long prefixes and suffixes, some equal once folded:
/// the lowest index answers, whichever span matches.
#[test]
fn shared_prefixes_and_folded_duplicates() {
    let mut needles: Vec<String> = (0..300)
        .map(|i| format!("update-secure-{i}.cdn-static.com"))
        .collect();
    needles.push("UPDATE-secure-7.cdn-static.com".to_owned());
    needles.push("secure-7.cdn-static".to_owned());
    needles.push("com".to_owned());
    let r = HasAnyReference::new(&needles);
    let f = HasAnyFast::new(&needles);
    for hay in [
        "a.update-secure-7.cdn-static.com.",
        "update-secure-77.cdn-static.com",
        "xupdate-secure-7.cdn-static.com",
        "secure-7.cdn-static.net",
        "UPDATE-SECURE-299.CDN-STATIC.COM",
        "update-secure-3000.cdn-static.co",
    ] {
        assert_eq!(f.first_match(hay), r.first_match(hay), "fast {hay:?}");
        assert_eq!(f.is_match(hay), r.is_match(hay), "fast {hay:?}");
    }
}

#[test]
fn hand_picked_hard_cases() {
    let needles = ["estaliax.io", "duraktantuni.site", "io.e"];
    let r = HasAnyReference::new(&needles);
    let f = HasAnyFast::new(&needles);
    let a = HasAnyAutomaton::new(&needles);
    for hay in [
        "xestaliax.io.estaliax.io",
        "estaliax.iox.estaliax.io",
        "ESTALIAX.IO.",
        "aio.estaliax.iob",
        "estaliax.io.e",
        "",
        "duraktantuni.sitex",
        "estaliax.ioestaliax.io",
    ] {
        assert_eq!(f.first_match(hay), r.first_match(hay), "fast {hay:?}");
        assert_eq!(a.first_match(hay), r.first_match(hay), "automaton {hay:?}");
    }
}
