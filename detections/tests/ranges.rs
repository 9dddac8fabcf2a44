//! Shared infrastructure: the built-in range lists read whole, and the
//! lookups that flag an indicator in them.

use detections::ioc::IocKind;
use detections::ranges::{RangeError, RangeList, Ranges};

#[test]
fn the_built_in_lists_are_read_whole_and_name_their_providers() {
    let lists = Ranges::builtin_lists();
    let seen: Vec<(&str, usize)> = lists.iter().map(|l| (l.name.as_str(), l.written)).collect();
    // The counts the data's README states.
    assert_eq!(
        seen,
        [
            ("Cloudflare", 22),
            ("Amazon AWS", 3847),
            ("GCP", 471),
            ("Microsoft Azure Datacenter", 2683)
        ]
    );
    assert!(lists.iter().all(|l| l.origin.starts_with("built-in ")));
}

#[test]
fn an_indicator_is_flagged_by_the_range_holding_or_overlapping_it() {
    let ranges = Ranges::new(Ranges::builtin_lists());
    let first = |kind, v: &str| ranges.indicator(kind, v).first().map(ToString::to_string);
    let cf = Some("Cloudflare 104.16.0.0/13".to_owned());
    assert_eq!(first(IocKind::Ipv4, "104.16.1.1"), cf);
    assert_eq!(first(IocKind::IpPort, "104.16.1.1:443"), cf);
    assert_eq!(first(IocKind::Cidr, "104.20.0.0/16"), cf);
    assert_eq!(
        first(IocKind::Cidr, "104.0.0.0/8"),
        cf,
        "a wider range overlapping one"
    );
    assert_eq!(
        first(IocKind::Ipv6, "2606:4700::1"),
        Some("Cloudflare 2606:4700::/32".to_owned())
    );
    assert_eq!(
        first(IocKind::IpPort, "[2606:4700::1]:8080"),
        Some("Cloudflare 2606:4700::/32".to_owned())
    );
    // IPv4-mapped IPv6 is the IPv4 address it carries.
    assert_eq!(
        ranges.address("::ffff:104.16.1.1".parse().unwrap()).len(),
        1
    );
    for (kind, v) in [
        (IocKind::Ipv4, "192.0.2.1"),
        (IocKind::IpPort, "185.222.58.10:9033"),
        (IocKind::Domain, "104.16.1.1.example"),
        (IocKind::Url, "http://104.16.1.1/x"),
    ] {
        assert_eq!(first(kind, v), None, "{v}");
    }
    assert!(Ranges::new(Vec::new())
        .indicator(IocKind::Ipv4, "104.16.1.1")
        .is_empty());
}

#[test]
fn a_bad_list_names_its_line_and_an_empty_one_is_refused() {
    let e = RangeList::parse("# mine\n10.0.0.0/8\n\nnot-a-range\n", "mine.cidr").unwrap_err();
    assert!(matches!(e, RangeError::Line { line: 4, .. }), "{e:?}");
    assert!(e.to_string().starts_with("line 4: `not-a-range`"), "{e}");
    assert_eq!(
        RangeList::parse("# only a title\n", "x").unwrap_err(),
        RangeError::Empty
    );
    let l = RangeList::parse("10.0.0.0/8\n", "lists/edge.cidr").unwrap();
    assert_eq!(l.name, "edge", "no title: the file names the provider");
}
