//! The KQL parser: an error with its line and column or a syntax tree, never a
//! panic (nor a stack overflow: nesting is bounded).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = kql_eval::parser::parse(text);
});
