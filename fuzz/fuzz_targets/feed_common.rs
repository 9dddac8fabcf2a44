//! What every feed target checks: reading any bytes as the format never
//! panics and gives an error or a feed of that format; every accepted
//! indicator, of any kind, is normalised (read again as its kind, it is itself,
//! unchanged) and there once; the indicators merge and age as `--iocs` and
//! `--max-age` do (a feed merged with itself keeps each indicator once), and
//! each is looked up in the built-in shared ranges, as `huntlab iocs` does.

use std::collections::HashSet;
use std::sync::LazyLock;

use detections::feed::{merge_recent, parse_bytes, Day, Format};
use detections::ranges::Ranges;

static RANGES: LazyLock<Ranges> = LazyLock::new(|| Ranges::new(Ranges::builtin_lists()));

/// Read `data` as `format`, then as whatever format it looks like.
pub fn read(data: &[u8], format: Format) {
    if let Ok(feed) = parse_bytes(data, "fuzz", Some(format)) {
        assert_eq!(feed.format, format, "the format forced is the one read");
        let mut seen = HashSet::new();
        for ioc in &feed.accepted {
            assert!(!ioc.value.is_empty());
            let again = ioc
                .kind
                .parse(&ioc.value)
                .expect("a normalised value reads");
            assert_eq!(
                (again.kind, &again.value),
                (ioc.kind, &ioc.value),
                "normalised"
            );
            assert!(again.changes.is_empty(), "normalised");
            assert!(seen.insert(&ioc.value), "{:?} accepted twice", ioc.value);
            for shared in RANGES.indicator(ioc.kind, &ioc.value) {
                assert!(!shared.to_string().is_empty());
            }
        }
        let now = Day::from_ymd(2026, 12, 5).expect("a day");
        let n = feed.accepted.len();
        let (merged, aged) = merge_recent([feed.accepted.clone(), feed.accepted], now, 30);
        assert_eq!(merged.accepted.len() + aged.left_out.len(), n, "each once");
        assert_eq!(
            merged.duplicates.len(),
            merged.accepted.len(),
            "the copy dropped"
        );
    }
    // Detection from the content, as `huntlab iocs` without --format.
    let _ = parse_bytes(data, "fuzz", None);
}
