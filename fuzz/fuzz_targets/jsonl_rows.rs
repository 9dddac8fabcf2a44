//! Telemetry read as JSON Lines, judged through the scanner.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read(data, harness::formats::InputFormat::Jsonl));
