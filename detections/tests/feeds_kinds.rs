//! Every kind of indicator in every feed format: each `kinds-*` fixture gives
//! exactly its indicators (line, kind, normalised value), carried to the
//! content's indicators with their kind, and every other entry is rejected
//! with its line and reason.

use std::collections::BTreeSet;

use detections::feed::{self, to_iocs, Feed, Format};
use detections::ioc::{IocKind, Normalisation};
use IocKind::*;

fn read(name: &str) -> Feed {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    feed::parse_bytes(&bytes, name, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (line, kind, value) of each accepted entry.
fn accepted(f: &Feed) -> Vec<(String, IocKind, String)> {
    f.accepted
        .iter()
        .map(|i| (i.at.compact(), i.kind, i.value.clone()))
        .collect()
}

/// (line, value as written, reason code) of each rejected entry.
fn rejected(f: &Feed) -> Vec<(String, String, &'static str)> {
    f.rejected
        .iter()
        .map(|r| (r.at.compact(), r.value.clone(), r.reason.code()))
        .collect()
}

fn own<T: Clone, U: ToString, V: ToString>(v: &[(U, T, V)]) -> Vec<(String, T, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.clone(), c.to_string()))
        .collect()
}

const SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
const MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";
const SHA512: &str = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

/// What ThreatFox's CSV and JSON exports of the same entries give, each at its
/// own lines.
fn threatfox(lines: [u32; 15], f: &Feed) {
    let l = |i: usize| lines[i].to_string();
    let want = [
        (l(0), Domain, "estaliax.io"),
        (l(1), Url, "https://estaliax.io/panel/Gate.php"),
        (l(2), IpPort, "185.222.58.10:9033"),
        (l(3), IpPort, "[2001:db8::7]:8080"),
        (l(4), Ipv4, "104.16.132.229"),
        (l(5), Ipv6, "2606:4700::6810:84e5"),
        (l(6), Md5, MD5),
        (l(7), Sha1, SHA1),
        (l(8), Sha256, SHA256),
        (l(9), Url, "http://198.51.100.20:8080/x"),
    ];
    assert_eq!(accepted(f), own(&want), "{}", f.origin);
    let want = [
        (l(10), "185.222.58.10", "invalid"),
        (l(11), "estaliax.io/gate.php", "invalid"),
        (l(12), "0cc175b9c0f1b6a831c399e269772661", "invalid"),
        (
            l(13),
            "0cc175b9c0f1b6a831c399e2697726610cc175b9c0f1b6a831c399e2697726610cc175b9c0f1b6a8",
            "hash",
        ),
        (l(14), "AS13335", "unsupported_type"),
    ];
    assert_eq!(
        rejected(f),
        want.iter()
            .map(|(a, b, c)| (a.clone(), b.to_string(), *c))
            .collect::<Vec<_>>(),
        "{}",
        f.origin
    );
    let reasons: Vec<String> = f.rejected.iter().map(|r| r.reason.to_string()).collect();
    assert_eq!(
        reasons[..3],
        [
            "not a valid IP address and port: no port (`198.51.100.7:8080`)",
            "not a valid URL: no scheme (`http://`)",
            "not a valid SHA-256: a SHA-256 has 64 hexadecimal digits, this has 32 (is it of type `md5`?)",
        ]
    );
    // The feed's own type and fields stay with each kind; a confidence the
    // feed does not give is none (URLhaus gives none), not an error.
    let types: Vec<&str> = f
        .accepted
        .iter()
        .map(|i| i.feed.ioc_type.as_deref().unwrap_or("?"))
        .collect();
    assert_eq!(
        types,
        [
            "domain",
            "url",
            "ip:port",
            "ip:port",
            "ip",
            "ip",
            "md5_hash",
            "sha1_hash",
            "sha256_hash",
            "url"
        ]
    );
    assert_eq!(f.accepted[2].feed.confidence, Some(100));
    assert_eq!(f.accepted[9].feed.confidence, None);
    let iocs = to_iocs(&f.accepted);
    assert_eq!(iocs[9].confidence, None);
    let kinds: Vec<IocKind> = iocs.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, f.accepted.iter().map(|i| i.kind).collect::<Vec<_>>());
}

#[test]
fn threatfox_csv_gives_every_kind_it_names() {
    let f = read("kinds-threatfox.csv");
    assert_eq!(f.format, Format::ThreatFoxCsv);
    threatfox(
        [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
        &f,
    );
    assert!(f.notes.is_empty(), "{:?}", f.notes);
}

#[test]
fn threatfox_json_gives_every_kind_it_names() {
    let f = read("kinds-threatfox.json");
    assert_eq!(f.format, Format::ThreatFoxJson);
    threatfox(
        [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45],
        &f,
    );
}

#[test]
fn stix_gives_every_kind_and_an_address_with_its_port() {
    let f = read("kinds-stix.json");
    assert_eq!(f.format, Format::Stix);
    assert_eq!(
        accepted(&f),
        own(&[
            (20, Domain, "estaliax.io"),
            (30, Ipv4, "198.51.100.7"),
            (40, Ipv6, "2001:db8::7"),
            (50, Cidr, "203.0.113.0/24"),
            (60, Url, "http://estaliax.io/gate.php"),
            (70, Sha256, SHA256),
            (80, Md5, MD5),
            (90, Sha1, SHA1),
            (100, IpPort, "185.222.58.10:9033"),
            (110, IpPort, "[2001:db8::7]:8080"),
            (120, Ipv4, "104.16.132.229"),
            (120, Ipv6, "2606:4700::6810:84e5"),
        ])
    );
    let types: Vec<&str> = f
        .accepted
        .iter()
        .map(|i| i.feed.ioc_type.as_deref().unwrap_or("?"))
        .collect();
    assert_eq!(
        types,
        [
            "domain-name",
            "ipv4-addr",
            "ipv6-addr",
            "ipv4-addr",
            "url",
            "file",
            "file",
            "file",
            "ipv4-addr+network-traffic",
            "network-traffic",
            "ipv4-addr",
            "ipv6-addr"
        ]
    );
    // The address and port carries the family its relationship names.
    assert_eq!(
        f.accepted[8].feed.malware_family.as_deref(),
        Some("NanoCore")
    );
    let codes: Vec<(String, &str)> = f
        .rejected
        .iter()
        .map(|r| (r.at.compact(), r.reason.code()))
        .collect();
    assert_eq!(
        codes,
        [
            ("130".to_owned(), "unsupported_pattern"),
            ("140".to_owned(), "hash"),
            ("150".to_owned(), "unsupported_pattern"),
            ("160".to_owned(), "unsupported_pattern"),
            ("170".to_owned(), "unsupported_pattern"),
            ("180".to_owned(), "unsupported_type"),
        ]
    );
    assert_eq!(f.rejected[1].value, SHA512);
    let whys: Vec<String> = [0, 2, 3, 4]
        .iter()
        .map(|&i| {
            let r = f.rejected[i].reason.to_string();
            r.split(" (read: ").next().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(
        whys,
        [
            "unsupported STIX pattern: a domain AND a port: no kind of indicator holds a name with its port",
            "unsupported STIX pattern: network-traffic comparisons that name no address",
            "unsupported STIX pattern: `AND` joining `ipv4-addr:value` and `file:size`",
            "unsupported STIX pattern: `FOLLOWEDBY`",
        ]
    );
}

#[test]
fn stix_reads_what_an_and_of_an_address_and_a_port_can_be() {
    let bundle = |patterns: &[&str]| {
        let objects: Vec<String> = patterns
            .iter()
            .map(|p| {
                format!(
                    r#"{{"type": "indicator", "id": "indicator--1", "pattern": {}}}"#,
                    serde_json::to_string(p).unwrap()
                )
            })
            .collect();
        let text = format!(
            r#"{{"type": "bundle", "objects": [{}]}}"#,
            objects.join(",\n")
        );
        feed::parse(&text, "b.json", None).unwrap()
    };
    let f = bundle(&[
        "[network-traffic:dst_port = 443 AND ipv4-addr:value = '198.51.100.1']",
        "[network-traffic:dst_ref.value = '198.51.100.2' AND network-traffic:dst_port = 80]",
        "[network-traffic:dst_ref.value = '2001:db8::2']",
        "[network-traffic:dst_ref.value = 'c2.example.org']",
        "[ipv6-addr:value = '2001:db8::3' AND network-traffic:dst_port = '8443'] OR [url:value = 'http://a.example.org/']",
    ]);
    let got: Vec<(IocKind, &str)> = f
        .accepted
        .iter()
        .map(|i| (i.kind, i.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (IocKind::IpPort, "198.51.100.1:443"),
            (IocKind::IpPort, "198.51.100.2:80"),
            (IocKind::Ipv6, "2001:db8::2"),
            (IocKind::Domain, "c2.example.org"),
            (IocKind::IpPort, "[2001:db8::3]:8443"),
            (IocKind::Url, "http://a.example.org/"),
        ]
    );
    assert!(f.rejected.is_empty(), "{:?}", f.rejected);
    let f = bundle(&[
        "[ipv4-addr:value = '198.51.100.1' AND ipv4-addr:value = '198.51.100.2']",
        "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 1 AND network-traffic:dst_port = 2]",
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND ipv4-addr:value = '198.51.100.1']",
        "[network-traffic:dst_ref.type = 'mac-addr' AND network-traffic:dst_ref.value = 'x']",
        "[domain-name:value = 5]",
        "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 70000]",
    ]);
    let whys: Vec<String> = f
        .rejected
        .iter()
        .map(|r| {
            r.reason
                .to_string()
                .split(" (read: ")
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        whys,
        [
            "unsupported STIX pattern: two addresses joined by `AND`",
            "unsupported STIX pattern: `network-traffic:dst_port` twice in one observation",
            "unsupported STIX pattern: `network-traffic:dst_ref.type` with `ipv4-addr:value`",
            "unsupported STIX pattern: `network-traffic:dst_ref.type` `mac-addr`",
            "unsupported STIX pattern: the number 5 compared with `domain-name:value`",
            "not a valid IP address and port: the port `70000` is not from 1 to 65535",
        ]
    );
    assert!(f.accepted.is_empty());
}

#[test]
fn misp_gives_every_kind_and_both_halves_of_a_domain_and_address() {
    let f = read("kinds-misp.json");
    assert_eq!(f.format, Format::Misp);
    let filed_hash = "5".repeat(64);
    assert_eq!(
        accepted(&f),
        own(&[
            (18, Domain, "estaliax.io"),
            (26, Domain, "c2.duraktantuni.site"),
            (34, Ipv4, "198.51.100.7"),
            (42, Ipv4, "203.0.113.9"),
            (50, Ipv6, "2001:db8::7"),
            (58, Cidr, "203.0.113.0/24"),
            (66, IpPort, "185.222.58.10:9033"),
            (74, IpPort, "[2001:db8::7]:8080"),
            (82, Url, "http://estaliax.io/gate.php"),
            (90, Md5, MD5),
            (98, Sha1, SHA1),
            (106, Sha256, SHA256),
            (114, Domain, "nanocore-c2.duckdns.org"),
            (114, Ipv4, "104.16.132.229"),
            (122, Sha256, filed_hash.as_str()),
            (130, Domain, "kleinsrv.ddns.net"),
        ])
    );
    assert_eq!(
        rejected(&f),
        vec![
            ("138".to_owned(), SHA512.to_owned(), "hash"),
            ("146".to_owned(), "198.51.100.300".to_owned(), "invalid"),
            ("154".to_owned(), "198.51.100.7".to_owned(), "malformed"),
            (
                "162".to_owned(),
                "a@example.org".to_owned(),
                "unsupported_type"
            ),
            ("170".to_owned(), SHA256.to_owned(), "duplicate"),
        ]
    );
    assert_eq!(
        f.rejected[4].reason.to_string(),
        "duplicate of the SHA-256 at line 106 (/Event/Attribute/11)"
    );
    assert_eq!(f.accepted[6].written, "185.222.58.10|9033");
    assert_eq!(
        f.accepted[3].changes,
        [Normalisation::Ipv4Mapped],
        "ip-src `::ffff:203.0.113.9`"
    );
    let notes: Vec<&str> = f.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        notes,
        ["`hostname|port` value: the domain `kleinsrv.ddns.net` taken, `9033` left"]
    );
}

#[test]
fn a_plain_list_reads_each_line_as_the_kind_its_value_is() {
    let f = read("kinds-list.txt");
    assert_eq!(f.format, Format::List);
    let want = [
        (2, Domain, "estaliax.io"),
        (3, Ipv4, "198.51.100.7"),
        (4, Ipv6, "2001:db8::7"),
        (5, Ipv4, "203.0.113.9"),
        (6, IpPort, "185.222.58.10:9033"),
        (7, IpPort, "[2001:db8::7]:8080"),
        (8, Cidr, "203.0.113.0/24"),
        (9, Cidr, "2001:db8:1::/48"),
        (10, Url, "https://estaliax.io/Gate.php?id=1"),
        (11, Url, "http://198.51.100.20/"),
        (12, Sha256, SHA256),
        (13, Sha1, SHA1),
        (14, Md5, MD5),
        (15, Ipv4, "104.16.132.229"),
    ];
    assert_eq!(accepted(&f), own(&want));
    let reasons: Vec<(String, String)> = f
        .rejected
        .iter()
        .map(|r| (r.at.compact(), r.reason.to_string()))
        .collect();
    let want = [
        (17, "not a valid IPv4 address: an IPv4 address is four numbers from 0 to 255 separated by dots, without leading zeros"),
        (18, "not a valid URL: no scheme (`http://`)"),
        (19, "not a valid IP address and port: the port `99999` is not from 1 to 65535"),
        (20, "a wildcard; list the domain itself (has_any already matches its subdomains)"),
        (21, "a hash or fingerprint of a kind huntlab does not hunt (only SHA-256, SHA-1 and MD5)"),
        (22, "duplicate of the IPv4 address at line 3"),
    ];
    assert_eq!(
        reasons,
        want.iter()
            .map(|(l, r)| (l.to_string(), r.to_string()))
            .collect::<Vec<_>>()
    );
}

/// Every format gives every kind it can name: ThreatFox has no bare-range
/// type; the others give all nine.
#[test]
fn every_format_gives_every_kind_it_can_name() {
    for (name, missing) in [
        ("kinds-threatfox.csv", &[Cidr][..]),
        ("kinds-threatfox.json", &[Cidr][..]),
        ("kinds-stix.json", &[][..]),
        ("kinds-misp.json", &[][..]),
        ("kinds-list.txt", &[][..]),
    ] {
        let got: BTreeSet<IocKind> = read(name).accepted.iter().map(|i| i.kind).collect();
        let want: BTreeSet<IocKind> = IocKind::ALL
            .into_iter()
            .filter(|k| !missing.contains(k))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

/// Refanged and normalised the same way whatever the format: the defanged
/// forms (`hxxp`, `[.]`, `[:]`), IPv6 compressed, IPv4-mapped IPv6 as IPv4,
/// a URL's scheme and host lower case and its default port dropped, a
/// trailing dot, hashes lower case; each change reported.
#[test]
fn values_are_refanged_and_normalised_and_each_change_reported() {
    use Normalisation::*;
    let f = read("kinds-list.txt");
    let changes: Vec<(&str, &[Normalisation])> = f
        .accepted
        .iter()
        .map(|i| (i.written.as_str(), i.changes.as_slice()))
        .collect();
    assert_eq!(
        changes,
        [
            ("estaliax[.]io", &[Refanged][..]),
            ("198[.]51[.]100[.]7", &[Refanged][..]),
            (
                "2001:0DB8:0000:0000:0000:0000:0000:0007",
                &[LowerCased, Canonical][..]
            ),
            ("::ffff:203.0.113.9", &[Ipv4Mapped][..]),
            ("185.222.58[.]10[:]9033", &[Refanged][..]),
            ("[2001:db8::7]:8080", &[][..]),
            ("203.0.113.77/24", &[HostBitsCleared][..]),
            ("2001:db8:1::/48", &[][..]),
            (
                "hxxps://Estaliax[.]IO:443/Gate.php?id=1",
                &[Refanged, LowerCased, DefaultPortRemoved][..]
            ),
            (
                "http://[::ffff:198.51.100.20]:80",
                &[Ipv4Mapped, DefaultPortRemoved, PathAdded][..]
            ),
            (
                "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                &[LowerCased][..]
            ),
            ("da39a3ee5e6b4b0d3255bfef95601890afd80709", &[][..]),
            ("D41D8CD98F00B204E9800998ECF8427E", &[LowerCased][..]),
            ("104.16.132.229", &[][..]),
        ]
    );
    // The same entries written by each format read as the same values.
    let csv = read("kinds-threatfox.csv");
    let stix = read("kinds-stix.json");
    assert_eq!(csv.accepted[0].value, stix.accepted[0].value);
    assert_eq!(
        csv.accepted[0].changes,
        [Refanged, LowerCased, TrailingDotRemoved]
    );
    assert_eq!(
        csv.accepted[1].changes,
        [Refanged, DefaultPortRemoved],
        "hxxps://estaliax[.]io:443/panel/Gate.php: the path keeps its case"
    );
    assert_eq!(csv.accepted[3].changes, [LowerCased, Canonical]);
}
