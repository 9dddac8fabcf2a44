//! Each feed's type names read as kinds of indicator: domains are accepted as
//! `IocKind::Domain` (and carried to the content's indicators as such); every
//! other kind keeps the reason it has always been rejected with, however
//! well-formed its value.

use detections::feed::{self, to_iocs, Feed};
use detections::ioc::IocKind;

/// (value, reason code) of each rejected entry.
fn reasons(f: &Feed) -> Vec<(&str, &'static str)> {
    f.rejected
        .iter()
        .map(|r| (r.value.as_str(), r.reason.code()))
        .collect()
}

const SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
const MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

#[test]
fn threatfox_types() {
    let entries: Vec<String> = [
        ("estaliax.io", "domain"),
        ("198.51.100.7", "ip"),
        ("198.51.100.7:8080", "ip:port"),
        ("http://estaliax.io/", "url"),
        (SHA256, "sha256_hash"),
        (SHA1, "sha1_hash"),
        (MD5, "md5_hash"),
        (SHA1, "sha3_384_hash"),
        ("estaliax.io", "asn"),
    ]
    .iter()
    .map(|(v, t)| format!(r#"{{"ioc": "{v}", "ioc_type": "{t}"}}"#))
    .collect();
    let text = format!(
        r#"{{"query_status": "ok", "data": [{}]}}"#,
        entries.join(",\n")
    );
    let f = feed::parse(&text, "api.json", None).unwrap();
    assert_eq!(f.accepted.len(), 1);
    assert_eq!(f.accepted[0].kind, IocKind::Domain);
    assert_eq!(to_iocs(&f.accepted)[0].kind, IocKind::Domain);
    assert_eq!(
        reasons(&f),
        [
            ("198.51.100.7", "ip"),
            ("198.51.100.7:8080", "ip_port"),
            ("http://estaliax.io/", "url"),
            (SHA256, "hash"),
            (SHA1, "hash"),
            (MD5, "hash"),
            (SHA1, "hash"),
            ("estaliax.io", "unsupported_type"),
        ]
    );
}

#[test]
fn misp_types() {
    let attributes: Vec<String> = [
        ("hostname", "c2.example.org"),
        ("ip-src", "2001:db8::7"),
        ("ip-dst|port", "198.51.100.7|8080"),
        ("link", "http://example.org/"),
        ("sha256", SHA256),
        ("sha1", SHA1),
        ("md5", MD5),
        ("filename|md5", "a.exe|d41d8cd98f00b204e9800998ecf8427e"),
        ("sha512", "ab"),
        ("email-src", "a@example.org"),
    ]
    .iter()
    .map(|(t, v)| format!(r#"{{"type": "{t}", "value": "{v}", "to_ids": true}}"#))
    .collect();
    let text = format!(
        r#"{{"Event": {{"Attribute": [{}]}}}}"#,
        attributes.join(",")
    );
    let f = feed::parse(&text, "misp.json", None).unwrap();
    assert_eq!(f.accepted.len(), 1);
    assert_eq!(f.accepted[0].kind, IocKind::Domain);
    let codes: Vec<&str> = reasons(&f).into_iter().map(|(_, c)| c).collect();
    assert_eq!(
        codes,
        [
            "ip",
            "ip_port",
            "url",
            "hash",
            "hash",
            "hash",
            "hash",
            "hash",
            "unsupported_type"
        ]
    );
}

#[test]
fn stix_object_paths() {
    let patterns = [
        "[domain-name:value = 'c2.example.org']",
        "[ipv4-addr:value = '198.51.100.7']",
        "[ipv6-addr:value = '2001:db8::7']",
        "[url:value = 'http://example.org/']",
        "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
        "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
        "[file:hashes.'SHA-512' = 'ab']",
    ];
    let objects: Vec<String> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                r#"{{"type": "indicator", "spec_version": "2.1", "id": "indicator--{i:08}-0000-4000-8000-000000000000",
                "created": "2026-05-21T00:00:00Z", "modified": "2026-05-21T00:00:00Z",
                "pattern_type": "stix", "valid_from": "2026-05-21T00:00:00Z", "pattern": "{p}"}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"type": "bundle", "id": "bundle--1", "objects": [{}]}}"#,
        objects.join(",")
    );
    let f = feed::parse(&text, "stix.json", None).unwrap();
    assert_eq!(f.accepted.len(), 1, "{:?}", f.rejected);
    assert_eq!(f.accepted[0].kind, IocKind::Domain);
    let codes: Vec<&str> = reasons(&f).into_iter().map(|(_, c)| c).collect();
    assert_eq!(codes, ["ip", "ip", "url", "hash", "hash", "hash"]);
}
