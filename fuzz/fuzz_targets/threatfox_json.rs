//! An IOC feed read as a ThreatFox JSON export: see `feed_common.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "feed_common.rs"]
mod feed_common;

fuzz_target!(|data: &[u8]| feed_common::read(data, detections::feed::Format::ThreatFoxJson));
