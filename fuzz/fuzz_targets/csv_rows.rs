//! Telemetry read as CSV with a header row, judged through the scanner.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::read(data, harness::formats::InputFormat::Csv));
