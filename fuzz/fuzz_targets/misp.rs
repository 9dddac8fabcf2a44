//! An IOC feed read as a MISP event: an error or a feed, never a panic; every
//! accepted domain is normalised, and the format forced is the one read.
#![no_main]

use detections::feed::{parse_bytes, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(feed) = parse_bytes(data, "fuzz", Some(Format::Misp)) {
        for ioc in &feed.accepted {
            assert!(!ioc.value.is_empty());
            assert_eq!(ioc.value, ioc.value.to_ascii_lowercase(), "normalised");
        }
    }
    // Detection from the content, as `huntlab iocs` without --format.
    let _ = parse_bytes(data, "fuzz", None);
});
