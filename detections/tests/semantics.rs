//! The test-vector table of `docs/kql-semantics.md`, run against every
//! implementation: the plain operators and every `has_any` engine (the reference,
//! the Aho-Corasick automaton, the fast one).

use detections::kql;
use detections::matcher::{HasAny, HasAnyAutomaton, HasAnyFast, HasAnyReference};

/// (Name, has, contains, endswith, =~) for `Name <op> "estaliax.io"`.
const VECTORS: &[(&str, bool, bool, bool, bool)] = &[
    ("estaliax.io", true, true, true, true),
    ("a.estaliax.io", true, true, true, false),
    ("ESTALIAX.IO", true, true, true, true),
    ("estaliax.io.", true, true, false, false),
    ("xestaliax.io", false, true, true, false),
    ("estaliax.iox", false, true, false, false),
    ("estaliax.io.example.net", true, true, false, false),
    ("estaliax.io-cdn.net", true, true, false, false),
    ("login.estaliax.io:443", true, true, false, false),
    ("_ldap._tcp.estaliax.io", true, true, true, false),
    ("estaliax_io", false, false, false, false),
    ("", false, false, false, false),
];

const IOC: &str = "estaliax.io";

#[test]
fn operator_table() {
    for &(name, has, contains, endswith, eq_ci) in VECTORS {
        assert_eq!(kql::has(name, IOC), has, "{name:?} has");
        assert_eq!(kql::contains(name, IOC), contains, "{name:?} contains");
        assert_eq!(kql::endswith(name, IOC), endswith, "{name:?} endswith");
        assert_eq!(kql::eq_ci(name, IOC), eq_ci, "{name:?} =~");
        // Negations are the logical complement, and true on an empty left side.
        assert_eq!(!kql::has(name, IOC), !has, "{name:?} !has");
    }
}

/// Every `has_any` engine, built for these needles.
fn engines(needles: &[&str]) -> [(&'static str, Box<dyn HasAny>); 3] {
    [
        ("reference", Box::new(HasAnyReference::new(needles))),
        ("automaton", Box::new(HasAnyAutomaton::new(needles))),
        ("fast", Box::new(HasAnyFast::new(needles))),
    ]
}

#[test]
fn has_table_against_every_has_any_engine() {
    for needles in [&[IOC][..], &["duraktantuni.site", IOC]] {
        for (engine, m) in engines(needles) {
            for &(name, has, ..) in VECTORS {
                assert_eq!(
                    m.is_match(name),
                    has,
                    "{engine} {needles:?}: {name:?} has_any"
                );
                assert_eq!(kql::has_any(name, needles), has, "kql::has_any: {name:?}");
            }
        }
    }
}

#[test]
fn ioc_written_with_a_trailing_dot_needs_the_dot() {
    for (engine, m) in engines(&["estaliax.io."]) {
        assert!(!m.is_match("a.estaliax.io"), "{engine}");
        assert!(m.is_match("a.estaliax.io."), "{engine}");
    }
    assert!(!kql::has("a.estaliax.io", "estaliax.io."));
}

#[test]
fn case_sensitive_and_list_operators() {
    assert!(kql::has_cs("a.estaliax.io", IOC));
    assert!(!kql::has_cs("A.ESTALIAX.IO", IOC));
    assert!(kql::eq("estaliax.io", IOC));
    assert!(!kql::eq("Estaliax.io", IOC));
    assert!(kql::in_list("b", &["a", "b"]));
    assert!(!kql::in_list("B", &["a", "b"]));
    assert!(kql::in_list_ci("B", &["a", "b"]));
    assert!(kql::startswith("Estaliax.io.example.net", IOC));
    assert!(!kql::startswith("xestaliax.io", IOC));
    assert!(kql::contains_cs("xestaliax.io", IOC));
    assert!(!kql::contains_cs("XESTALIAX.IO", IOC));
}

#[test]
fn ascii_folding_only() {
    // The Kelvin sign folds to 'k' under Unicode rules, never under ASCII rules.
    assert!(!kql::has("\u{212A}ey.io", "key.io"));
    assert!(!kql::eq_ci("\u{212A}", "k"));
    assert!(kql::has("ÄBC.x", "ÄBC.x"));
}
