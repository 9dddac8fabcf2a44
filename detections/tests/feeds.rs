//! IOC feed import: every fixture's exact accepted values and rejected lines and
//! reasons, format detection, the fields each format keeps, errors, and hostile
//! values (merging and the age filter: `feeds_merge.rs`).

use detections::feed::{self, Feed, FeedError, Format};
use detections::ioc::{IocKind, Normalisation};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str) -> Feed {
    feed::parse_bytes(&fixture(name), name, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (where, value) of each accepted domain.
fn accepted(f: &Feed) -> Vec<(String, String)> {
    f.accepted
        .iter()
        .map(|i| (i.at.compact(), i.value.clone()))
        .collect()
}

/// (where, value as written, reason code) of each rejected entry.
fn rejected(f: &Feed) -> Vec<(String, String, &'static str)> {
    f.rejected
        .iter()
        .map(|r| (r.at.compact(), r.value.clone(), r.reason.code()))
        .collect()
}

fn notes(f: &Feed) -> Vec<&str> {
    f.notes.iter().map(|n| n.message.as_str()).collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn triples(v: &[(&str, &str, &'static str)]) -> Vec<(String, String, &'static str)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect()
}

/// (fixture, format, accepted, rejected)
type Expected = (
    &'static str,
    Format,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str, &'static str)],
);

const HOSTILE: &str = "evil.io\"]);</script><script>alert(1)//\\\n";

const FIXTURES: &[Expected] = &[
    (
        "threatfox.csv",
        Format::ThreatFoxCsv,
        &[
            ("10", "estaliax.io"),
            ("11", "duraktantuni.site"),
            ("14", "http://estaliax.io/panel/gate.php"),
            ("15", "185.222.58.10:9033"),
            ("16", "3f1c0a2b4d5e6f708192a3b4c5d6e7f8"),
            ("20", "nanocore-c2.duckdns.org"),
        ],
        &[
            ("17", "*.estaliax.io", "wildcard"),
            ("18", "", "empty"),
            ("19", "ESTALIAX.IO.", "duplicate"),
            ("21", "kleinsrv.ddns[.]net", "truncated"),
        ],
    ),
    (
        "threatfox.json",
        Format::ThreatFoxJson,
        &[
            ("4", "estaliax.io"),
            ("21", "duraktantuni.site"),
            ("38", "http://estaliax.io/panel/gate.php"),
            (
                "59",
                "0d6f0d4c8b1e2a3f4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a",
            ),
            ("70", "nanocore-c2.duckdns.org"),
        ],
        &[
            ("49", HOSTILE, "url"),
            ("/1510006", "\"not a list\"", "malformed"),
        ],
    ),
    (
        "stix.json",
        Format::Stix,
        &[
            ("31", "estaliax.io"),
            ("54", "duraktantuni.site"),
            ("54", "nanocore-c2.duckdns.org"),
            ("54", "http://estaliax.io/gate.php"),
            ("64", "http://duraktantuni.site/a.exe"),
        ],
        &[
            ("74", "[domain-name:value = 'kleinsrv.ddns.net' AND domain-name:resolves_to_refs[*].value = '185.222.58.10']", "unsupported_pattern"),
            ("84", "[domain-name:value = 'estaliax.io'] REPEATS 5 TIMES WITHIN 10 MINUTES", "unsupported_pattern"),
            ("94", "[domain-name:value MATCHES '^.*\\\\.duckdns\\\\.org$']", "unsupported_pattern"),
            ("104", "title: NanoCore C2\ndetection: {}", "unsupported_pattern"),
            ("114", "[domain-name:value = 'retired.example.net']", "withdrawn"),
        ],
    ),
    (
        "misp.json",
        Format::Misp,
        &[
            ("20", "estaliax.io"),
            ("31", "c2.duraktantuni.site"),
            ("39", "http://estaliax.io/panel/gate.php"),
            ("47", "185.222.58.10:9033"),
            ("55", "3f1c0a2b4d5e6f708192a3b4c5d6e7f8"),
            ("72", "nanocore-c2.duckdns.org"),
            ("72", "185.222.58.11"),
            ("88", "kleinsrv.ddns.net"),
            ("97", "185.222.58.12"),
        ],
        &[
            ("63", "google.com", "not_for_detection"),
            ("106", "estaliax.io", "duplicate"),
        ],
    ),
    (
        "list.txt",
        Format::List,
        &[
            ("2", "estaliax.io"),
            ("3", "duraktantuni.site"),
            ("5", "185.222.58.10"),
            ("6", "http://estaliax.io/gate.php"),
            ("9", "d41d8cd98f00b204e9800998ecf8427e"),
            ("11", "nanocore-c2.duckdns.org"),
        ],
        &[
            ("7", "*.duckdns.org", "wildcard"),
            ("8", "ESTALIAX.IO", "duplicate"),
        ],
    ),
];

#[test]
fn every_fixture_gives_exactly_its_accepted_and_rejected_entries() {
    for (name, format, acc, rej) in FIXTURES {
        let f = read(name);
        assert_eq!(f.format, *format, "{name}");
        assert_eq!(
            feed::detect(&String::from_utf8_lossy(&fixture(name))),
            Ok(*format)
        );
        assert_eq!(accepted(&f), pairs(acc), "{name}: accepted");
        assert_eq!(rejected(&f), triples(rej), "{name}: rejected");
        for i in &f.accepted {
            assert_eq!(&*i.origin, *name);
            assert_eq!(i.format, *format);
        }
    }
}

#[test]
fn threatfox_csv_keeps_every_field_and_says_what_it_changed() {
    let f = read("threatfox.csv");
    let first = &f.accepted[0];
    assert_eq!(first.written, "estaliax[.]io");
    assert_eq!(first.changes, [Normalisation::Refanged]);
    let ff = &first.feed;
    assert_eq!(ff.ioc_type.as_deref(), Some("domain"));
    assert_eq!(ff.threat_type.as_deref(), Some("botnet_cc"));
    assert_eq!(ff.malware_family.as_deref(), Some("Nanocore RAT"));
    assert_eq!(ff.first_seen.as_deref(), Some("2026-05-21 06:46:49"));
    assert_eq!(ff.last_seen, None);
    assert_eq!(ff.confidence, Some(75));
    assert_eq!(ff.reference, None);
    assert_eq!(ff.tags, ["NanoCore", "RAT"]);
    assert_eq!(ff.id.as_deref(), Some("1510001"));
    // A quoted field holding a comma and a line break, read whole.
    let second = &f.accepted[1];
    assert_eq!(second.changes, [Normalisation::LowerCased]);
    assert_eq!(
        second.feed.reference.as_deref(),
        Some("https://example.org/report, part 1\r\nsee also part 2")
    );
    assert_eq!(
        second.feed.last_seen.as_deref(),
        Some("2026-05-21 09:00:00")
    );
    let third = &f.accepted[5];
    assert_eq!(third.value, "nanocore-c2.duckdns.org");
    assert_eq!(third.feed.confidence, Some(50));
    // Every kind keeps its kind and the feed's own type.
    let kinds: Vec<(IocKind, Option<&str>)> = f
        .accepted
        .iter()
        .map(|i| (i.kind, i.feed.ioc_type.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            (IocKind::Domain, Some("domain")),
            (IocKind::Domain, Some("domain")),
            (IocKind::Url, Some("url")),
            (IocKind::IpPort, Some("ip:port")),
            (IocKind::Md5, Some("md5_hash")),
            (IocKind::Domain, Some("domain")),
        ]
    );
    let r = &f.rejected.last().unwrap().reason;
    assert_eq!(
        r.to_string(),
        "the record has 3 of the header's 15 fields (a truncated line?)"
    );
    assert_eq!(
        f.rejected[2].reason.to_string(),
        "duplicate of the domain at line 10"
    );
    assert_eq!(
        notes(&f),
        ["no `# Number of entries: N` line at the end: the export may be cut short"]
    );
}

#[test]
fn threatfox_csv_maps_columns_by_name_and_checks_the_footer() {
    // An older export (no is_compromised), columns in another order, LF endings.
    let text = "# \"ioc_id\",\"ioc_value\",\"ioc_type\",\"first_seen_utc\",\"confidence_level\",\"malware_printable\",\"tags\"\n\
                \"7\", \"a.example.org\", \"domain\", \"2026-05-01 00:00:00\", \"90\", \"Nanocore RAT\", \"None\"\n\
                # Number of entries: 2\n";
    let f = feed::parse(text, "old.csv", None).unwrap();
    assert_eq!(accepted(&f), pairs(&[("2", "a.example.org")]));
    let i = &f.accepted[0].feed;
    assert_eq!((i.id.as_deref(), i.confidence), (Some("7"), Some(90)));
    assert!(i.tags.is_empty());
    assert_eq!(f.notes.len(), 1);
    assert_eq!(f.notes[0].at.as_ref().and_then(|a| a.line), Some(3));
    assert_eq!(
        f.notes[0].message,
        "the footer says 2 entries, the file holds 1 records"
    );
    // A plain header line and `,` separators read the same.
    let plain = "ioc_value,ioc_type\r\nb.example.org,domain\r\n# Number of entries: 1\r\n";
    let f = feed::parse(plain, "plain.csv", None).unwrap();
    assert_eq!(f.format, Format::ThreatFoxCsv);
    assert_eq!(accepted(&f), pairs(&[("2", "b.example.org")]));
    assert!(f.notes.is_empty(), "{:?}", f.notes);
    // A record with more fields than the header cannot be mapped.
    let wide = "# \"ioc_value\",\"ioc_type\"\n\"c.example.org\", \"domain\", \"x\"\n";
    let f = feed::parse(wide, "wide.csv", None).unwrap();
    assert_eq!(
        rejected(&f),
        triples(&[("2", "c.example.org", "malformed")])
    );
    // A stray quote inside a field does not change how later lines read.
    let stray = "# \"ioc_value\",\"ioc_type\"\n\"d.example.org, \"domain\"\n\"e.example.org\", \"domain\"\n";
    let f = feed::parse(stray, "stray.csv", None).unwrap();
    assert_eq!(accepted(&f), pairs(&[("3", "e.example.org")]));
    assert_eq!(
        rejected(&f),
        triples(&[("2", "d.example.org, domain\"", "truncated")])
    );
    // A quote left open swallows the lines after it into one record: said so.
    let open = "# \"ioc_value\",\"ioc_type\"\n\"d.example.org\", \"domain\n\"e.example.org\", \"domain\"\n";
    let f = feed::parse(open, "open.csv", None).unwrap();
    assert_eq!(
        rejected(&f),
        triples(&[("2", "d.example.org", "malformed")])
    );
    assert_eq!(
        notes(&f)[0],
        "the record runs from line 2 to line 3: a quote left open?"
    );
}

#[test]
fn threatfox_json_keeps_fields_and_reads_api_responses() {
    let f = read("threatfox.json");
    let first = &f.accepted[0];
    assert_eq!(first.at.path.as_deref(), Some("/1510001/0"));
    assert_eq!(first.feed.id.as_deref(), Some("1510001"));
    assert_eq!(first.feed.tags, ["NanoCore", "RAT"]);
    assert_eq!(first.feed.confidence, Some(75));
    assert_eq!(first.feed.last_seen, None);
    assert_eq!(
        f.accepted[1].feed.reference.as_deref(),
        Some("https://example.org/report")
    );
    // `"confidence_level": "high"` is not a number: kept empty, noted.
    assert_eq!(f.accepted[4].feed.confidence, None);
    assert_eq!(f.notes.len(), 1);
    assert_eq!(f.notes[0].at.as_ref().and_then(|a| a.line), Some(70));
    let api = r#"{"query_status": "ok", "data": [
        {"id": "41", "ioc": "estaliax.io", "ioc_type": "domain", "first_seen": "2026-05-21 06:46:49",
         "malware_printable": "Nanocore RAT", "confidence_level": 75, "tags": ["NanoCore", "RAT"]},
        {"id": "42", "ioc": "1.2.3.4:9033", "ioc_type": "ip:port"}]}"#;
    let f = feed::parse(api, "api.json", None).unwrap();
    assert_eq!(f.format, Format::ThreatFoxJson);
    assert_eq!(
        accepted(&f),
        pairs(&[("2", "estaliax.io"), ("4", "1.2.3.4:9033")])
    );
    assert_eq!(f.accepted[1].kind, IocKind::IpPort);
    assert!(f.rejected.is_empty());
    let i = &f.accepted[0].feed;
    assert_eq!(i.tags, ["NanoCore", "RAT"]);
    assert_eq!(i.id.as_deref(), Some("41"));
    assert_eq!(i.first_seen.as_deref(), Some("2026-05-21 06:46:49"));
    let none = feed::parse(
        r#"{"query_status": "no_result", "data": "Your search did not yield any results"}"#,
        "n.json",
        None,
    )
    .unwrap();
    assert!(none.accepted.is_empty() && none.rejected.is_empty());
    assert_eq!(none.notes.len(), 1);
}

#[test]
fn stix_reads_each_branch_and_rejects_what_it_cannot_read() {
    let f = read("stix.json");
    let first = &f.accepted[0];
    assert_eq!(first.written, "estaliax[.]io");
    let ff = &first.feed;
    assert_eq!(ff.ioc_type.as_deref(), Some("domain-name"));
    assert_eq!(ff.malware_family.as_deref(), Some("NanoCore"));
    assert_eq!(ff.threat_type.as_deref(), Some("malicious-activity"));
    assert_eq!(ff.first_seen.as_deref(), Some("2026-05-21T06:46:49Z"));
    assert_eq!(ff.confidence, Some(75));
    assert_eq!(
        ff.reference.as_deref(),
        Some("https://threatfox.abuse.ch/ioc/1510001/")
    );
    assert_eq!(ff.tags, ["nanocore", "c2"]);
    assert_eq!(
        ff.id.as_deref(),
        Some("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")
    );
    assert_eq!(first.at.path.as_deref(), Some("/objects/2"));
    // The OR-list's other indicator has no relationship: no family.
    assert_eq!(f.accepted[1].feed.malware_family, None);
    let reasons: Vec<String> = f.rejected[..4]
        .iter()
        .map(|r| r.reason.to_string())
        .collect();
    let tail = " (read: `[path = 'value']` comparisons on domain-name, ipv4-addr, ipv6-addr, url, file:hashes and network-traffic:dst_ref, joined by OR; an address AND network-traffic:dst_port)";
    assert_eq!(
        reasons,
        [
            format!("unsupported STIX pattern: `AND` joining `domain-name:value` and `domain-name:resolves_to_refs[*].value`{tail}"),
            format!("unsupported STIX pattern: `REPEATS`{tail}"),
            format!("unsupported STIX pattern: the operator `MATCHES`{tail}"),
            format!("unsupported STIX pattern: pattern_type `sigma`{tail}"),
        ]
    );
    assert_eq!(
        notes(&f),
        ["3 object(s) that are not indicators read only for malware names"]
    );
    // A single indicator, not in a bundle.
    let one = r#"{"type": "indicator", "spec_version": "2.1", "id": "indicator--1", "created": "2026-05-21T00:00:00Z", "modified": "2026-05-21T00:00:00Z", "pattern": "[domain-name:value = 'a.example.org']", "pattern_type": "stix", "valid_from": "2026-05-21T00:00:00Z"}"#;
    let f = feed::parse(one, "one.json", None).unwrap();
    assert_eq!(accepted(&f), pairs(&[("1", "a.example.org")]));
    assert!(f.notes.is_empty());
}

#[test]
fn misp_reads_attributes_and_object_attributes() {
    let f = read("misp.json");
    let first = &f.accepted[0];
    let ff = &first.feed;
    assert_eq!(first.at.path.as_deref(), Some("/Event/Attribute/0"));
    assert_eq!(ff.ioc_type.as_deref(), Some("domain"));
    assert_eq!(ff.threat_type.as_deref(), Some("Network activity"));
    assert_eq!(ff.malware_family.as_deref(), Some("NanoCore"));
    assert_eq!(
        ff.first_seen.as_deref(),
        Some("2026-05-21T06:46:49.000000+00:00")
    );
    assert_eq!(
        ff.tags,
        [
            "kill-chain:command-and-control",
            "tlp:green",
            "misp-galaxy:malpedia=\"NanoCore\""
        ]
    );
    assert_eq!(
        ff.id.as_deref(),
        Some("0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e")
    );
    // No first_seen of its own: the event's date.
    assert_eq!(f.accepted[1].feed.first_seen.as_deref(), Some("2026-05-21"));
    assert_eq!(f.accepted[1].changes, [Normalisation::LowerCased]);
    assert_eq!(
        f.accepted[7].at.path.as_deref(),
        Some("/Event/Object/0/Attribute/0")
    );
    // `domain|ip` gives both halves, each of its own kind, at one place.
    let both: Vec<(IocKind, &str, &str)> = f.accepted[5..7]
        .iter()
        .map(|i| {
            (
                i.kind,
                i.written.as_str(),
                i.at.path.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        both,
        [
            (
                IocKind::Domain,
                "nanocore-c2.duckdns.org",
                "/Event/Attribute/6"
            ),
            (IocKind::Ipv4, "185.222.58.11", "/Event/Attribute/6"),
        ]
    );
    // `ip-dst|port` is read as an address and port, written as the feed wrote it.
    assert_eq!(
        (f.accepted[3].kind, f.accepted[3].written.as_str()),
        (IocKind::IpPort, "185.222.58.10|9033")
    );
    assert!(notes(&f).is_empty(), "{:?}", notes(&f));
    // A search result: a `response` list of events.
    let resp = r#"{"response": [{"Event": {"Attribute": [{"type": "hostname", "value": "a.example.org"}]}}]}"#;
    let f = feed::parse(resp, "r.json", None).unwrap();
    assert_eq!(f.format, Format::Misp);
    assert_eq!(
        f.accepted[0].at.path.as_deref(),
        Some("/response/0/Event/Attribute/0")
    );
}

#[test]
fn list_reads_one_value_per_line() {
    let f = read("list.txt");
    assert!(f.accepted.iter().all(|i| i.feed == Default::default()));
    assert_eq!(f.accepted[0].changes, [Normalisation::Refanged]);
    assert!(f.notes.is_empty());
    let crlf = feed::parse(
        "\u{feff}a.example.org\r\n\r\n# c\r\nb.example.org",
        "l",
        None,
    )
    .unwrap();
    assert_eq!(
        accepted(&crlf),
        pairs(&[("1", "a.example.org"), ("4", "b.example.org")])
    );
    assert!(crlf.accepted.iter().all(|i| i.changes.is_empty()));
}

#[test]
fn a_forced_format_is_used_or_refused() {
    let csv = String::from_utf8(fixture("threatfox.csv")).unwrap();
    let as_list = feed::parse(&csv, "x", Some(Format::List)).unwrap();
    assert!(as_list.accepted.is_empty());
    assert!(matches!(
        feed::parse(&csv, "x", Some(Format::Stix)),
        Err(FeedError::Json { line: 1, .. })
    ));
    let json = String::from_utf8(fixture("threatfox.json")).unwrap();
    for f in [Format::Stix, Format::Misp] {
        assert!(
            matches!(feed::parse(&json, "x", Some(f)), Err(FeedError::Shape { format, .. }) if format == f),
            "{f}"
        );
    }
    assert_eq!(
        feed::parse("a.example.org\n", "x", Some(Format::ThreatFoxCsv)),
        Err(FeedError::NoHeader)
    );
    assert_eq!("stix".parse::<Format>(), Ok(Format::Stix));
    assert!("csv"
        .parse::<Format>()
        .unwrap_err()
        .contains("threatfox-csv"));
}

#[test]
fn unreadable_files_are_typed_errors() {
    assert_eq!(
        feed::parse_bytes(b"a.example.org\n\xc3\x28.example.org\n", "x", None),
        Err(FeedError::InvalidUtf8 { line: 2, byte: 1 })
    );
    let cut = &fixture("misp.json")[..400];
    match feed::parse_bytes(cut, "x", None) {
        Err(FeedError::Json { line, .. }) => assert!(line > 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        feed::parse("{\"foo\": 1}", "x", None),
        Err(FeedError::UnknownJson)
    );
    assert_eq!(
        feed::parse("[1, 2]", "x", None),
        Err(FeedError::UnknownJson)
    );
}

#[test]
fn hostile_values_are_rejected_verbatim_in_every_format() {
    let v = HOSTILE;
    let js = serde_json::to_string(v).unwrap();
    let stix_value = v.replace('\\', "\\\\").replace('\'', "\\'");
    let pattern = serde_json::to_string(&format!("[domain-name:value = '{stix_value}']")).unwrap();
    let csv_value = v.replace('"', "\"\"");
    let inputs = [
        format!("# \"ioc_value\",\"ioc_type\"\n\"{csv_value}\", \"domain\"\n"),
        format!("{{\"1\": [{{\"ioc_value\": {js}, \"ioc_type\": \"domain\"}}]}}"),
        format!("{{\"type\": \"bundle\", \"objects\": [{{\"type\": \"indicator\", \"pattern\": {pattern}}}]}}"),
        format!("{{\"Event\": {{\"Attribute\": [{{\"type\": \"domain\", \"value\": {js}}}]}}}}"),
    ];
    for input in &inputs {
        let f = feed::parse(input, "x", None).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert!(f.accepted.is_empty(), "{input}");
        assert_eq!(f.rejected.len(), 1, "{input}");
        assert_eq!(f.rejected[0].value, v, "{input}");
    }
    let list = feed::parse(v, "x", None).unwrap();
    assert!(list.accepted.is_empty());
    assert_eq!(
        list.rejected[0].value,
        "evil.io\"]);</script><script>alert(1)//\\"
    );
}
