//! The typed indicator matchers' unit tests.

use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn an_ip_port_needs_its_port_unless_the_hunt_matches_addresses() {
    let values = ["198.51.100.7:8080", "[2001:db8::7]:443"];
    let strict = AddressSet::new(IocKind::IpPort, &values, PortMatch::AddressPort);
    assert_eq!(
        strict.find(ip("198.51.100.7"), Some(8080)),
        Some((0, MatchKind::AddressPort))
    );
    assert_eq!(strict.find(ip("198.51.100.7"), Some(443)), None);
    assert_eq!(strict.find(ip("198.51.100.7"), None), None);
    assert_eq!(
        strict.find(ip("2001:db8::7"), Some(443)),
        Some((1, MatchKind::AddressPort))
    );
    let loose = AddressSet::new(IocKind::IpPort, &values, PortMatch::Address);
    assert_eq!(
        loose.find(ip("198.51.100.7"), Some(443)),
        Some((0, MatchKind::Address))
    );
    assert_eq!(loose.find(ip("198.51.100.8"), Some(8080)), None);
}

#[test]
fn an_ipv4_mapped_row_address_is_its_ipv4_address() {
    let set = AddressSet::new(IocKind::Ipv4, &["198.51.100.7"], PortMatch::Address);
    let a = row_address("::ffff:198.51.100.7").unwrap();
    assert_eq!(set.find(a, Some(80)), Some((0, MatchKind::Address)));
    assert_eq!(row_address("not an address"), None);
    assert_eq!(row_address("[2001:db8::7]"), Some(ip("2001:db8::7")));
}

#[test]
fn a_range_holds_its_first_and_last_address_and_no_other() {
    let set = AddressSet::new(
        IocKind::Cidr,
        &["198.51.100.0/24", "2001:db8::/32", "0.0.0.0/0"],
        PortMatch::Address,
    );
    assert_eq!(
        set.find(ip("198.51.100.0"), None),
        Some((0, MatchKind::Cidr))
    );
    assert_eq!(
        set.find(ip("198.51.100.255"), None),
        Some((0, MatchKind::Cidr))
    );
    // Outside the /24, inside the /0 that comes later in the list.
    assert_eq!(
        set.find(ip("198.51.101.0"), None),
        Some((2, MatchKind::Cidr))
    );
    assert_eq!(
        set.find(ip("2001:db8:ffff::1"), None),
        Some((1, MatchKind::Cidr))
    );
    assert_eq!(set.find(ip("2001:db9::1"), None), None);
}

#[test]
fn a_hash_matches_in_any_case_and_only_its_kind_of_list() {
    let d = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let set = DigestSet::new(IocKind::Sha256, &[d]);
    assert_eq!(
        set.find(&d.to_ascii_uppercase()),
        Some((0, MatchKind::Sha256))
    );
    assert_eq!(set.find(&d[..63]), None);
    assert_eq!(DigestSet::new(IocKind::Url, &[d]).find(d), None);
}

#[test]
fn an_address_listed_twice_matches_its_first_indicator_that_holds() {
    let values = ["198.51.100.7:8080", "198.51.100.7:443", "198.51.100.7"];
    let strict = AddressSet::new(IocKind::IpPort, &values, PortMatch::AddressPort);
    assert_eq!(
        strict.find(ip("198.51.100.7"), Some(443)),
        Some((1, MatchKind::AddressPort))
    );
    assert_eq!(strict.find(ip("198.51.100.7"), Some(80)), None);
    let loose = AddressSet::new(IocKind::IpPort, &values, PortMatch::Address);
    assert_eq!(
        loose.find(ip("198.51.100.7"), Some(443)),
        Some((0, MatchKind::Address))
    );
    let bare = AddressSet::new(
        IocKind::Ipv4,
        &["1.2.3.4", "1.2.3.5", "1.2.3.4"],
        PortMatch::Address,
    );
    assert_eq!(
        bare.find(ip("1.2.3.4"), None),
        Some((0, MatchKind::Address))
    );
    assert_eq!(
        bare.find(ip("1.2.3.5"), None),
        Some((1, MatchKind::Address))
    );
}

/// What [`row_address`] read before its IPv4 fast path: `std` alone.
fn std_row_address(v: &str) -> Option<IpAddr> {
    let v = v.trim();
    let v = v
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(v);
    match v.parse::<IpAddr>().ok()? {
        IpAddr::V6(a) => Some(a.to_ipv4_mapped().map_or(IpAddr::V6(a), IpAddr::V4)),
        a => Some(a),
    }
}

proptest::proptest! {
    #[test]
    fn a_row_address_reads_as_std_reads_it(v in "[ \\[]?[0-9a-f.:]{0,20}[\\] ]?") {
        proptest::prop_assert_eq!(row_address(&v), std_row_address(&v));
    }
}

#[test]
fn a_hash_matches_only_at_its_length_and_keeps_the_first_position() {
    let d = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let e = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    // A value of another length is left out; a repeated one keeps its
    // first position.
    let set = DigestSet::new(IocKind::Sha256, &[&d[..40], d, e, d]);
    assert_eq!(set.find(d), Some((1, MatchKind::Sha256)));
    assert_eq!(
        set.find(&format!(" {} ", e.to_ascii_uppercase())),
        Some((2, MatchKind::Sha256))
    );
    assert_eq!(set.find(&d[..40]), None);
    assert_eq!(set.find(&format!("{d}0")), None);
    assert_eq!(set.find(""), None);
    // A non-ASCII text of a digest's length is no digest.
    assert_eq!(set.find(&format!("{}é", &d[..62])), None);
    let md5 = DigestSet::new(IocKind::Md5, &["D41D8CD98F00B204E9800998ECF8427E"]);
    assert_eq!(
        md5.find("d41d8cd98f00b204e9800998ecf8427e"),
        Some((0, MatchKind::Md5))
    );
    assert_eq!(
        DigestSet::new(IocKind::Sha1, &[&d[..40]]).find(&d[..40]),
        Some((0, MatchKind::Sha1))
    );
}

#[test]
fn a_url_matches_in_full_or_by_host_and_never_another_path() {
    let set = UrlSet::new(&["https://estaliax.io/gate.php?id=1"]);
    for same in [
        "https://estaliax.io/gate.php?id=1",
        "HTTPS://EstaliaX.io:443/gate.php?id=1",
        "https://estaliax.io./gate.php?id=1",
        // A proxy without TLS inspection may log the scheme it saw.
        "http://estaliax.io/gate.php?id=1",
    ] {
        assert_eq!(set.find_url(same), Some((0, MatchKind::Url)), "{same}");
    }
    // The path is compared as written: case and all.
    assert_eq!(set.find_url("https://estaliax.io/GATE.php?id=1"), None);
    assert_eq!(set.find_url("https://estaliax.io/other.php"), None);
    assert_eq!(set.find_url("https://estaliax.io/gate.php?id=2"), None);
    assert_eq!(
        set.find_host("ESTALIAX.IO:443"),
        Some((0, MatchKind::UrlHost))
    );
    assert_eq!(set.find_host("example.org"), None);
}

#[test]
fn a_url_too_long_for_the_stack_matches_as_a_short_one_does() {
    let path = "a".repeat(400);
    let url = format!("https://estaliax.io:8443/{path}");
    let set = UrlSet::new(&[url.as_str(), "https://estaliax.io:8443/gate.php"]);
    assert_eq!(
        set.find_url(&format!("HTTPS://EstaliaX.io:8443/{path}")),
        Some((0, MatchKind::Url))
    );
    assert_eq!(
        set.find_url("https://ESTALIAX.io:8443/gate.php"),
        Some((1, MatchKind::Url))
    );
    assert_eq!(
        set.find_url("https://estaliax.io/gate.php"),
        None,
        "another port"
    );
    let host = format!("{}.io", "x".repeat(300));
    let set = UrlSet::new(&[format!("http://{host}/a")]);
    assert_eq!(
        set.find_host(&host.to_ascii_uppercase()),
        Some((0, MatchKind::UrlHost))
    );
}

proptest::proptest! {
    #[test]
    fn a_scheme_splits_where_split_once_splits(v in "[a-z:/]{0,12}") {
        proptest::prop_assert_eq!(split_scheme(&v), v.split_once("://"));
    }

    #[test]
    fn an_authority_is_split_as_by_its_first_separator_and_last_at(v in "[a-z@:/?#]{0,12}") {
        let end = v.find(['/', '?', '#']).unwrap_or(v.len());
        let (a, rest) = v.split_at(end);
        let host = a.rsplit_once('@').map_or(a, |(_, h)| h);
        proptest::prop_assert_eq!(authority(&v), (host, rest));
    }
}

/// [`host_port`] as `rsplit_once` and `contains` read it.
fn std_host_port(v: &str) -> (&str, Option<&str>) {
    match v.rsplit_once(':') {
        Some((h, p))
            if p.bytes().all(|b| b.is_ascii_digit()) && (!h.contains(':') || h.ends_with(']')) =>
        {
            (h, Some(p))
        }
        _ => (v, None),
    }
}

proptest::proptest! {
    /// The host and port are split where the standard library's searchers
    /// split them, non-ASCII hosts included.
    #[test]
    fn host_port_splits_as_rsplit_once(v in "[a-zé0-9:\\[\\].]{0,16}") {
        proptest::prop_assert_eq!(host_port(&v), std_host_port(&v));
    }
}

#[test]
fn a_url_of_any_scheme_case_drops_its_default_port() {
    for (url, port) in [
        ("HTTP://a.io:80/x", None),
        ("Https://a.io:443", None),
        ("hTTps://a.io:80/", Some(80)),
        ("WSS://a.io:443/", None),
        ("Ftp://a.io:21/", None),
        ("gopher://a.io:70/", Some(70)),
    ] {
        let parts = UrlParts::of(url).expect("a URL");
        assert_eq!(parts.port, port, "{url}");
    }
    // Read in place only where the key is written as it is compared.
    for (url, whole) in [
        ("http://u@a.io/x?y", Some("a.io/x?y")),
        ("HTTP://a.io#f", Some("a.io#f")),
        ("http://A.io/x", None),
        ("http://a.io./x", None),
        ("http://a.io:80/x", None),
        ("http://a.io", None),
    ] {
        assert_eq!(UrlParts::of(url).expect("a URL").whole, whole, "{url}");
    }
}

proptest::proptest! {
    /// Where a URL's key is one piece of it, that piece is the key written
    /// out in full.
    #[test]
    fn a_urls_key_read_in_place_is_its_key(
        url in "(HTTP|https|ftp|x)://(u@)?[aZé0-9.\\[\\]:]{0,10}(:[0-9]{0,6})?(/[a-z?#/]{0,6}|[?#][a-z]{0,3})?",
    ) {
        if let Some(u) = UrlParts::of(&url) {
            if let Some(whole) = u.whole {
                proptest::prop_assert_eq!(whole, u.key());
            }
        }
    }
}
