//! Scenario files an attacker or a typo wrote: random bytes, and the built-in
//! scenarios with one value made wrong (a wrong type, a number out of range,
//! a control character, a line dropped or doubled). Parsing gives an error
//! naming the file or a scenario, never a panic; a scenario that parses
//! generates its first rows without a panic.

use proptest::prelude::*;
use simulator::{Options, Scenario};

/// Values of every wrong kind.
const WRONG: &[&str] = &[
    "-1",
    "0",
    "1e400",
    "99999999999999999999999",
    "-9223372036854775808",
    "nan",
    "inf",
    "\"\"",
    "\"\\u0000\"",
    "\"\\u001b[31m\"",
    "\"<script>\"",
    "[]",
    "[[[[[[[[]]]]]]]]",
    "{}",
    "{ a = 1 }",
    "true",
    "2026-13-45T99:99:99Z",
    "1979-05-27T07:32:00Z",
    "9999-12-31T23:59:59Z",
    "\"x\"",
    "'''\nmulti\n'''",
    "\"a.b\"",
];

fn library() -> Vec<&'static str> {
    simulator::BUILTIN.iter().map(|(_, src)| *src).collect()
}

/// A scenario that parses, run for its first rows.
fn run_a_little(s: &Scenario) {
    let opts = Options::default().with_hours(0.25).expect("a valid window");
    for _ in simulator::generate(s, &opts).take(200) {}
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Scenario::parse(&text, "s.toml") {
            prop_assert!(e.to_string().contains("s.toml"), "{e}");
        }
    }

    #[test]
    fn one_wrong_value_is_an_error_or_a_scenario(
        file in any::<prop::sample::Index>(),
        line in any::<prop::sample::Index>(),
        wrong in prop::sample::select(WRONG),
        edit in 0u8..3,
    ) {
        let lib = library();
        let src = lib[file.index(lib.len())];
        let lines: Vec<&str> = src.lines().collect();
        let at = line.index(lines.len());
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        match edit {
            0 => match lines[at].split_once(" = ") {
                Some((k, _)) => out[at] = format!("{k} = {wrong}"),
                None => out[at] = (*wrong).to_owned(),
            },
            1 => {
                out.remove(at);
            }
            _ => out.insert(at, lines[at].to_owned()),
        }
        let text = out.join("\n");
        match Scenario::parse(&text, "s.toml") {
            Err(e) => prop_assert!(e.to_string().contains("s.toml"), "{e}"),
            Ok(s) => run_a_little(&s),
        }
    }
}
