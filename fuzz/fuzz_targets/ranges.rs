//! A shared-ranges list (`--ranges FILE`) and indicators looked up in it. The
//! input is the list, then the indicators, one a line, after a NUL byte. A
//! list reads as an error, whose message is written, or a list with a range
//! and a name; each range it reads overlaps the list, and holds its own first
//! address. A lookup of any value, read as any kind, never panics.
#![no_main]

use detections::ioc::IocKind;
use detections::ranges::{RangeList, Ranges};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let (text, lookups) = input.split_once('\0').unwrap_or((input, ""));
    let list = match RangeList::parse(text, "lists/fuzz.cidr") {
        Ok(list) => list,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(list.written > 0);
    assert!(!list.name.is_empty());
    let ranges = Ranges::new(vec![list]);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in body.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let range = IocKind::Cidr
            .parse(line)
            .expect("a line the list read is a range");
        assert!(
            !ranges.indicator(IocKind::Cidr, &range.value).is_empty(),
            "{line:?} ({}) overlaps no range of its own list",
            range.value
        );
        let (first, _) = range
            .value
            .split_once('/')
            .expect("a range has a prefix length");
        let kind = if first.contains(':') {
            IocKind::Ipv6
        } else {
            IocKind::Ipv4
        };
        assert!(
            !ranges.indicator(kind, first).is_empty(),
            "{first} lies in no range of its list, whose {line:?} holds it"
        );
    }
    for raw in lookups.lines() {
        for kind in IocKind::ALL {
            let _ = ranges.indicator(kind, raw);
            if let Ok(p) = kind.parse(raw) {
                for shared in ranges.indicator(p.kind, &p.value) {
                    assert!(!shared.to_string().is_empty());
                }
            }
        }
    }
});
