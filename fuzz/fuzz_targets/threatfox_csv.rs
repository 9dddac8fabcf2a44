//! An IOC feed read as a ThreatFox CSV export: an error or a feed, never a panic; every
//! accepted indicator, of any kind, is normalised (read again as its kind, it
//! is itself, unchanged), and the format forced is the one read.
#![no_main]

use detections::feed::{parse_bytes, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(feed) = parse_bytes(data, "fuzz", Some(Format::ThreatFoxCsv)) {
        for ioc in &feed.accepted {
            assert!(!ioc.value.is_empty());
            let again = ioc.kind.parse(&ioc.value).expect("a normalised value reads");
            assert_eq!((again.kind, &again.value), (ioc.kind, &ioc.value), "normalised");
            assert!(again.changes.is_empty(), "normalised");
        }
    }
    // Detection from the content, as `huntlab iocs` without --format.
    let _ = parse_bytes(data, "fuzz", None);
});
