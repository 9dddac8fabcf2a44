//! A scenario file: an error naming its line or a scenario, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = simulator::scenario::Scenario::parse(text, "fuzz.toml");
});
