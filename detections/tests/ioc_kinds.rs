//! Every kind of indicator parses and normalises its values: an address as
//! `std::net` writes it, a range at its network address, a hash lower-case;
//! normalising is idempotent, defanged forms read as what they stand for, and
//! no value is the normalised value of two kinds.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV6};

use detections::ioc::{IocKind, Normalisation, Parsed};
use proptest::prelude::*;

/// An IPv6 address with every group written in full, upper-case.
fn expanded(a: Ipv6Addr) -> String {
    a.segments()
        .iter()
        .map(|s| format!("{s:04X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Text made of the pieces indicators are made of.
fn pieces() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "1",
        "7",
        "0",
        "10",
        "255",
        "256",
        "198.51.100.7",
        "ffff",
        "db8",
        "2001",
        "::",
        ":",
        ".",
        "[",
        "]",
        "/",
        "24",
        "32",
        "128",
        "8080",
        "80",
        "443",
        "http",
        "HTTPS",
        "hxxp",
        "://",
        "[.]",
        "[:]",
        "(.)",
        "x",
        "io",
        "Estaliax",
        "-",
        "_",
        "@",
        "?",
        "#",
        "%",
        " ",
        "a",
        "F",
        "e3b0c44298fc1c14",
        "9afbf4c8996fb924",
        "27ae41e4649b934c",
        "a495991b7852b855",
        "da39a3ee",
    ]);
    let prefix = prop::sample::select(vec!["", "", "http://", "hxxps[://]", "HTTP://u@", "["]);
    let suffix = prop::sample::select(vec![
        "", "", ":80", ":08080", "/24", "/0", "]:443", "/a?b#c", ":443/X", "/",
    ]);
    let address = prop_oneof![
        any::<Ipv4Addr>().prop_map(|a| a.to_string()),
        any::<Ipv6Addr>().prop_map(|a| a.to_string()),
        any::<Ipv6Addr>().prop_map(expanded),
    ];
    prop_oneof![
        prop::collection::vec(piece.clone(), 0..10).prop_map(|v| v.concat()),
        (prefix, prop::collection::vec(piece, 0..8), suffix.clone())
            .prop_map(|(p, v, s)| format!("{p}{}{s}", v.concat())),
        (address, suffix).prop_map(|(a, s)| format!("{a}{s}")),
    ]
}

fn kind() -> impl Strategy<Value = IocKind> {
    prop::sample::select(IocKind::ALL.to_vec())
}

fn clean(kind: IocKind, value: String) -> Result<Parsed, detections::ioc::IocError> {
    Ok(Parsed {
        kind,
        value,
        changes: Vec::new(),
    })
}

proptest! {
    #[test]
    fn ipv4_addresses_read_as_std_writes_them(a in any::<Ipv4Addr>()) {
        prop_assert_eq!(IocKind::Ipv4.parse(&a.to_string()), clean(IocKind::Ipv4, a.to_string()));
        let mapped = a.to_ipv6_mapped().to_string();
        let p = IocKind::Ipv6.parse(&mapped).unwrap();
        prop_assert_eq!((p.kind, p.value), (IocKind::Ipv4, a.to_string()));
        prop_assert_eq!(p.changes, [Normalisation::Ipv4Mapped]);
    }

    #[test]
    fn ipv6_addresses_are_compressed_and_lower_case(a in any::<Ipv6Addr>()) {
        let p = IocKind::Ipv6.parse(&expanded(a)).unwrap();
        match a.to_ipv4_mapped() {
            Some(v4) => prop_assert_eq!((p.kind, p.value), (IocKind::Ipv4, v4.to_string())),
            None => {
                prop_assert_eq!(&p.value, &a.to_string());
                prop_assert_eq!(p.kind, IocKind::Ipv6);
                prop_assert_eq!(IocKind::Ipv6.parse(&p.value), clean(IocKind::Ipv6, p.value.clone()));
            }
        }
    }

    #[test]
    fn an_address_and_port_reads_as_std_writes_it(a in any::<Ipv6Addr>(), port in 1u16..) {
        prop_assume!(a.to_ipv4_mapped().is_none());
        let written = format!("[{}]:{port}", expanded(a));
        let p = IocKind::IpPort.parse(&written).unwrap();
        prop_assert_eq!(p.value, SocketAddrV6::new(a, port, 0, 0).to_string());
        let v4 = Ipv4Addr::from(a.to_bits() as u32);
        let p = IocKind::IpPort.parse(&format!("{v4}:{port}")).unwrap();
        prop_assert_eq!(p.value, format!("{v4}:{port}"));
    }

    #[test]
    fn a_range_is_its_network_and_prefix(a in any::<Ipv4Addr>(), len in 0u32..=32, b in any::<Ipv6Addr>(), len6 in 0u32..=128) {
        let p = IocKind::Cidr.parse(&format!("{a}/{len}")).unwrap();
        let net = Ipv4Addr::from(a.to_bits() & u32::MAX.checked_shl(32 - len).unwrap_or(0));
        prop_assert_eq!(&p.value, &format!("{net}/{len}"));
        prop_assert_eq!(p.changes.contains(&Normalisation::HostBitsCleared), net != a);
        let too_long = format!("{a}/{}", len + 33);
        prop_assert!(IocKind::Cidr.parse(&too_long).is_err());
        prop_assume!(b.to_ipv4_mapped().is_none());
        let p = IocKind::Cidr.parse(&format!("{b}/{len6}")).unwrap();
        let net6 = Ipv6Addr::from(b.to_bits() & u128::MAX.checked_shl(128 - len6).unwrap_or(0));
        prop_assert_eq!(p.value, format!("{net6}/{len6}"));
    }

    #[test]
    fn a_hash_is_lower_case_hex_of_its_length(h in "[0-9a-fA-F]{64}") {
        for (kind, n) in [(IocKind::Sha256, 64), (IocKind::Sha1, 40), (IocKind::Md5, 32)] {
            let p = kind.parse(&h[..n]).unwrap();
            prop_assert_eq!(p.value, h[..n].to_ascii_lowercase());
            prop_assert!(kind.parse(&h[..n - 1]).is_err());
        }
    }

    #[test]
    fn a_defanged_url_reads_as_the_url(
        https in any::<bool>(),
        labels in prop::collection::vec("[a-zA-Z0-9]{1,8}", 2..4),
        path in "(/[a-zA-Z0-9._-]{0,8}){0,3}",
    ) {
        prop_assume!(!labels.last().unwrap().bytes().all(|b| b.is_ascii_digit()));
        let scheme = if https { "https" } else { "http" };
        let url = format!("{scheme}://{}{path}", labels.join("."));
        let defanged = format!("{}[://]{}{path}", scheme.replace("tt", "xx"), labels.join("[.]"));
        let want = IocKind::Url.parse(&url).unwrap();
        let got = IocKind::Url.parse(&defanged).unwrap();
        prop_assert_eq!(&got.value, &want.value);
        prop_assert!(got.changes.contains(&Normalisation::Refanged));
        prop_assert_eq!(&want.value, &format!(
            "{scheme}://{}{}", labels.join(".").to_ascii_lowercase(), if path.is_empty() { "/" } else { &path }
        ));
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Normalising a normalised value changes nothing, and the value is not the
    /// normalised value of any other kind: one list per kind never needs a
    /// second key.
    #[test]
    fn normalising_is_idempotent_and_kinds_are_disjoint(k in kind(), s in pieces()) {
        if let Ok(p) = k.parse(&s) {
            prop_assert_eq!(p.kind.parse(&p.value), clean(p.kind, p.value.clone()), "{:?} {:?}", k, s);
            // A plain list reads a normalised value back as its kind.
            prop_assert_eq!(IocKind::infer(&p.value), p.kind, "{:?}", p.value);
            for other in IocKind::ALL {
                if let Ok(q) = other.parse(&p.value) {
                    prop_assert_eq!((q.kind, &q.value), (p.kind, &p.value), "{:?} read {:?}", other, p.value);
                }
            }
        }
    }
}

#[test]
fn each_kind_reads_its_examples() {
    let cases = [
        (
            IocKind::Domain,
            " Estaliax[.]IO. ",
            IocKind::Domain,
            "estaliax.io",
        ),
        (
            IocKind::Ipv4,
            "198[.]51[.]100[.]7",
            IocKind::Ipv4,
            "198.51.100.7",
        ),
        (
            IocKind::Ipv6,
            "2001:0DB8::0007",
            IocKind::Ipv6,
            "2001:db8::7",
        ),
        (
            IocKind::Ipv6,
            "::ffff:198.51.100.7",
            IocKind::Ipv4,
            "198.51.100.7",
        ),
        (
            IocKind::IpPort,
            "198.51.100.7[:]8080",
            IocKind::IpPort,
            "198.51.100.7:8080",
        ),
        (
            IocKind::IpPort,
            "[2001:db8::7]:8080",
            IocKind::IpPort,
            "[2001:db8::7]:8080",
        ),
        (
            IocKind::Cidr,
            "198.51.100.77/24",
            IocKind::Cidr,
            "198.51.100.0/24",
        ),
        (
            IocKind::Url,
            "hxxps://Estaliax[.]io:443/Gate",
            IocKind::Url,
            "https://estaliax.io/Gate",
        ),
        (
            IocKind::Url,
            "hXXp://Estaliax[.]IO.[:]8080/a/B?c=D",
            IocKind::Url,
            "http://estaliax.io:8080/a/B?c=D",
        ),
        (
            IocKind::Url,
            "HTTP://[2001:DB8::0:7]:80",
            IocKind::Url,
            "http://[2001:db8::7]/",
        ),
        (
            IocKind::Url,
            "https://[::ffff:198.51.100.7]:443/x",
            IocKind::Url,
            "https://198.51.100.7/x",
        ),
        (
            IocKind::IpPort,
            "[::FFFF:198.51.100.7][:]443",
            IocKind::IpPort,
            "198.51.100.7:443",
        ),
        (
            IocKind::Ipv4,
            "::ffff:c633:6407",
            IocKind::Ipv4,
            "198.51.100.7",
        ),
        (
            IocKind::Cidr,
            "2001:DB8::1[:]0/32",
            IocKind::Cidr,
            "2001:db8::/32",
        ),
        (
            IocKind::Md5,
            " D41D8CD98F00B204E9800998ECF8427E ",
            IocKind::Md5,
            "d41d8cd98f00b204e9800998ecf8427e",
        ),
        (
            IocKind::Sha256,
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            IocKind::Sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            IocKind::Sha1,
            "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
            IocKind::Sha1,
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ),
    ];
    for (kind, written, want_kind, want) in cases {
        let p = kind
            .parse(written)
            .unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!((p.kind, p.value.as_str()), (want_kind, want), "{written}");
    }
}
