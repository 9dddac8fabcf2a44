//! Input formats at their edges: awkward lines and records, gzip read a byte at
//! a time, a decompression bomb, corrupt gzip, forced and refused formats,
//! failing readers, random bytes, the shared Sysmon log and the documented
//! examples.

#[path = "support/formats.rs"]
mod support;
use support::*;

#[test]
fn json_lines_awkward_lines() {
    let options = Options {
        max_record: 200,
        ..Options::default()
    };
    let long = format!(r#"{{"Name":"{}"}}"#, "a".repeat(300));
    let mut bytes =
        b"\xEF\xBB\xBF{\"Type\":\"DnsEvents\",\"Name\":\"estaliax.io\"}\r\n\r\n   \n".to_vec();
    bytes.extend_from_slice(b"{\"Name\":\"\xff\"}\n");
    bytes.extend_from_slice(long.as_bytes());
    bytes.extend_from_slice(b"\n[1]\n{\"EventID\":22,\"QueryName\":\"estaliax.io\",\"Image\":\"a.exe\"}\n{\"Name\":\"trunc");
    let (format, items) = read_all(bytes, &options);
    assert_eq!(format, Format::Jsonl);
    assert_eq!(
        summarise(items),
        [
            "line 1: DnsEvents alert",
            "line 2: blank",
            "line 3: blank",
            "line 4: rejected: invalid UTF-8 at byte 10 of the line (the first byte is byte 1)",
            "line 5: rejected: line is 311 bytes, longer than the 200-byte limit",
            "line 6: error: not a JSON object: found an array",
            "line 7: Sysmon 22 (DnsQuery) alert",
            "line 8: error: invalid JSON: EOF while parsing a string at column 14",
        ]
    );
}

#[test]
fn csv_awkward_records() {
    let options = Options {
        max_record: 64,
        ..Options::default()
    };
    let long = "x".repeat(100);
    let csv = [
        b"\n\rName,Computer\rA.estaliax.io,dns01\r  \r\"".as_slice(),
        long.as_bytes(),
        b"\",dns02\nestaliax.io,\"dns\xff\"\n\"quoted, with comma\",\"multi\nline\"\n",
        b"estaliax.io,\"never closed\n\nto the end",
    ]
    .concat();
    let (format, items) = read_all(csv, &options);
    assert_eq!(format, Format::Csv);
    assert_eq!(
        summarise(items),
        [
            // Blank lines before the header, and bare CR line endings.
            "line 1: blank",
            "line 2: blank",
            "line 4: DnsEvents alert",
            "line 5: blank",
            "line 6: rejected: record is 108 bytes, longer than the 64-byte limit",
            "line 7: rejected: invalid UTF-8 in field 2 (the first field is field 1)",
            "line 8: DnsEvents quiet",
            // A quote never closed runs to the end, read as one field.
            "line 10: DnsEvents alert",
        ]
    );
}

/// Found by the `csv_rows` fuzz target: a character's first byte ending one
/// field and its last bytes opening the next are each invalid UTF-8, though
/// the two fields read one after another are valid text; it panicked.
#[test]
fn csv_a_character_split_by_a_comma_is_invalid_utf8() {
    let csv = b"Name,Computer\nestaliax.io\xEF,\xBB\xBFdns01\nestaliax.io,dns02\n".to_vec();
    let (format, items) = read_all(csv, &Options::default());
    assert_eq!(format, Format::Csv);
    assert_eq!(
        summarise(items),
        [
            "line 2: rejected: invalid UTF-8 in field 1 (the first field is field 1)",
            "line 3: DnsEvents alert",
        ]
    );
    // In the header, the file is refused, naming the field.
    let csv = b"Name\xEF,\xBB\xBFComputer\nestaliax.io,dns01\n".to_vec();
    let e = harness::formats::open(std::io::Cursor::new(csv), "x.csv", &Options::default())
        .and_then(|s| s.collect::<Result<Vec<_>, _>>().map(drop))
        .expect_err("the header is refused");
    assert!(e.to_string().contains("invalid UTF-8 in field 1"), "{e}");
}

#[test]
fn csv_headers_and_empty_inputs() {
    let options = Options::default();
    assert!(read_all(b"Name,Computer\r\n".to_vec(), &options)
        .1
        .is_empty());
    assert_eq!(read_all(Vec::new(), &options), (Format::Jsonl, vec![]));
    let blank = read_all(b" \n\n".to_vec(), &options);
    assert_eq!(blank.0, Format::Jsonl);
    assert_eq!(summarise(blank.1), ["line 1: blank", "line 2: blank"]);
    let bad = stream(b"Name,\xff\nx,y\n".to_vec(), &options)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(
        bad.to_string(),
        "input: line 1: CSV header: invalid UTF-8 in field 2 (the first field is field 1)"
    );
    // Too many fields for any header.
    let wide = ",".repeat(harness::formats::MAX_FIELDS + 1);
    let items: Vec<_> = stream(format!("Name,Computer\n{wide}\n").into_bytes(), &options).collect();
    assert!(matches!(
        &items[0].as_ref().unwrap().kind,
        ItemKind::Rejected(Rejected::TooManyFields { .. })
    ));
    // Text that is not JSON, guessed to be CSV, whose first line names no
    // column any source has: not telemetry, not one rejected row a line.
    let garbage = "lorem ipsum\ndolor sit\n".repeat(100);
    let err = stream(garbage.clone().into_bytes(), &options)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("not telemetry: read as CSV because its first line is not a JSON object"),
        "{err}"
    );
    // Given as CSV, it is read as the user says.
    let forced = Options {
        format: InputFormat::Csv,
        ..Options::default()
    };
    assert!(stream(garbage.into_bytes(), &forced).all(|i| i.is_ok()));
}

#[test]
fn a_decompression_bomb_stops_at_the_cap() {
    // 1 GiB of zeros in about 1 MiB of gzip: one member of 1 MiB of zeros,
    // repeated.
    let member = {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![0u8; 1 << 20]).unwrap();
        enc.finish().unwrap()
    };
    let bomb = member.repeat(1024);
    let cap = 4 << 20;
    let options = Options {
        max_decompressed: cap,
        format: InputFormat::Csv,
        ..Options::default()
    };
    let mut s = stream(bomb.clone(), &options);
    let err = s
        .by_ref()
        .find_map(Result::err)
        .expect("stops with an error");
    assert!(matches!(err, FormatError::DecompressedTooLarge { cap: c, .. } if c == cap));
    assert!(err
        .to_string()
        .starts_with("input: gzip data decompresses to more than the 4194304-byte limit"));
    assert_eq!(s.bytes_decompressed(), Some(cap));
    assert!(s.bytes_read() < bomb.len() as u64, "stopped reading early");
    assert!(s.next().is_none(), "the stream ends after an error");
    // Exactly the cap is allowed; one byte more is not.
    let data = b"{\"Name\":\"estaliax.io\"}\n".to_vec();
    let n = data.len() as u64;
    for (cap, ok) in [(n, true), (n - 1, false)] {
        let options = Options {
            max_decompressed: cap,
            ..Options::default()
        };
        let got = results(io::Cursor::new(gzip(&data)), "in", &options);
        assert_eq!(got.iter().all(Result::is_ok), ok, "cap {cap}");
    }
}

#[test]
fn corrupt_and_cut_gzip_is_a_gzip_error() {
    let data = gzip(&fixture("dnsevents.csv"));
    let cut = data[..data.len() - 20].to_vec();
    let got = results(io::Cursor::new(cut), "in", &Options::default());
    let last = got.last().unwrap().as_ref().unwrap_err();
    assert!(matches!(last, FormatError::Gzip { .. }), "{last}");
    let mut corrupt = data.clone();
    corrupt[30] ^= 0xFF;
    let got = results(io::Cursor::new(corrupt), "x.gz", &Options::default());
    assert!(got
        .iter()
        .any(|r| matches!(r, Err(FormatError::Gzip { name, .. }) if name == "x.gz")));
}

#[test]
fn formats_found_forced_and_refused() {
    let evtx = evtx_fixture();
    let forced = |bytes: &[u8], format| {
        let options = Options {
            format,
            ..Options::default()
        };
        open(io::Cursor::new(bytes.to_vec()), "in", &options).map(|s| s.format())
    };
    assert_eq!(forced(&evtx, InputFormat::Auto).unwrap(), Format::Evtx);
    assert_eq!(forced(&evtx, InputFormat::Evtx).unwrap(), Format::Evtx);
    assert_eq!(
        forced(b"  \n {\"a\":1}", InputFormat::Auto).unwrap(),
        Format::Jsonl
    );
    assert_eq!(forced(b"a,b\n", InputFormat::Auto).unwrap(), Format::Csv);
    assert_eq!(
        forced(b"{\"a\":1}\n", InputFormat::Csv).unwrap(),
        Format::Csv
    );
    assert_eq!(forced(b"a,b\n", InputFormat::Jsonl).unwrap(), Format::Jsonl);
    assert_eq!(
        forced(&gzip(b"a,b\n"), InputFormat::Csv).unwrap(),
        Format::Csv
    );
    let refused: [(&[u8], InputFormat, &str); 8] = [
        (
            b"a,b\n",
            InputFormat::Evtx,
            "in: not an EVTX file (no `ElfFile` signature at its start)",
        ),
        (
            b"ElfFile\0short",
            InputFormat::Auto,
            "in: EVTX file header cut short (13 of 4096 bytes)",
        ),
        (
            b" [{\"a\":1}]",
            InputFormat::Auto,
            "in: a JSON array, not JSON Lines (one object a line); convert it with `jq -c '.[]'`",
        ),
        (
            b"\x28\xb5\x2f\xfd....",
            InputFormat::Auto,
            "in: zstd-compressed input is not read; decompress it first (`zstd -d`)",
        ),
        (
            b"\xff\xfeN\0a\0",
            InputFormat::Csv,
            "in: UTF-16 text input is not read; convert it to UTF-8 (`iconv -f UTF-16 -t UTF-8`)",
        ),
        (
            b"PK\x03\x04",
            InputFormat::Auto,
            "in: ZIP input is not read; extract its files first",
        ),
        (
            b"BZh91AY",
            InputFormat::Auto,
            "in: bzip2-compressed input is not read; decompress it first (`bzip2 -d`)",
        ),
        (
            &gzip(&gzip(b"a,b\n")),
            InputFormat::Auto,
            "in: gzip data inside gzip data is not read (decompress it once first)",
        ),
    ];
    for (bytes, format, message) in refused {
        assert_eq!(forced(bytes, format).unwrap_err().to_string(), message);
    }
}

/// A reader that fails after some bytes.
struct Failing(io::Cursor<Vec<u8>>);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(io::Error::other("device gone")),
            n => Ok(n),
        }
    }
}

#[test]
fn a_failing_reader_is_an_error_naming_the_input() {
    for bytes in [fixture("dnsevents.csv"), evtx_fixture(), gzip(b"{}\n{}")] {
        let got = results(
            Failing(io::Cursor::new(bytes)),
            "/dev/sdz",
            &Options::default(),
        );
        let err = got.last().unwrap().as_ref().unwrap_err();
        assert!(matches!(err, FormatError::Io { .. }), "{err}");
        assert_eq!(err.to_string(), "/dev/sdz: device gone");
    }
}

#[test]
fn byte_counts_and_send() {
    fn send<T: Send>(_: &T) {}
    let bytes = fixture("event-sysmon.jsonl");
    let mut s = stream(bytes.clone(), &Options::default());
    send(&s);
    assert_eq!(s.by_ref().count(), 6);
    assert_eq!(s.bytes_read(), bytes.len() as u64);
    assert_eq!(s.bytes_decompressed(), None);
}

/// Drain a stream from any bytes; every item has a position of its format.
fn drain(bytes: Vec<u8>, options: &Options) {
    let Ok(s) = open(io::Cursor::new(bytes), "fuzz", options) else {
        return;
    };
    let format = s.format();
    for item in s {
        let Ok(item) = item else { break };
        let fits = match item.position {
            Position::Line(n) => format != Format::Evtx && n >= 1,
            Position::Record(_) | Position::Chunk(_) => format == Format::Evtx,
        };
        assert!(fits, "{format}: {:?}", item.position);
    }
}

fn small_options() -> Options {
    Options {
        max_decompressed: 1 << 20,
        max_record: 256,
        max_xml: 4096,
        ..Options::default()
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        drain(bytes, &small_options());
    }

    #[test]
    fn random_bytes_after_a_signature_never_panic(
        prefix in prop::sample::select(vec![
            &b"\x1f\x8b"[..], b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", b"ElfFile\0",
            b"{", b"Name,EventData,Source,EventID\n", b"\xEF\xBB\xBF",
        ]),
        tail in proptest::collection::vec(any::<u8>(), 0..4096),
        forced in prop::sample::select(vec![InputFormat::Auto, InputFormat::Jsonl, InputFormat::Csv, InputFormat::Evtx]),
    ) {
        let mut bytes = prefix.to_vec();
        bytes.extend(tail);
        drain(bytes, &Options { format: forced, ..small_options() });
    }

    #[test]
    fn random_csv_and_xml_text_never_panics(
        text in "[a-z,\"\r\n <>=/&;#x0-9DataNme]{0,400}",
    ) {
        drain(format!("Source,EventID,EventData\nMicrosoft-Windows-Sysmon,1,\"<EventData>{}\"\n", text.replace('"', "\"\"")).into_bytes(), &small_options());
        drain(format!("a,b\n{text}").into_bytes(), &small_options());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_damaged_evtx_file_never_panics_and_reads_the_rest(
        damage in proptest::collection::vec((4096usize..69632, any::<u8>()), 1..16),
    ) {
        let mut bytes = evtx_fixture();
        for (at, b) in damage {
            bytes[at] = b;
        }
        let s = stream(bytes, &Options::default());
        // A record or a rejection for each record, at most: nothing is made up.
        let items: Vec<Item> = s.map(|i| i.expect("no error")).collect();
        prop_assert!(items.len() <= 41 + 16);
    }
}

/// The shared Sysmon log: every record read, and the eight chunks after them
/// reported. Expected numbers counted independently with python-evtx 0.8.1
/// (`Evtx.Evtx.ChunkHeader` over each 64 KiB chunk after the 4 KiB header,
/// whatever the file header's stale chunk count says): 358 records in chunks
/// 1-9, Sysmon 1 ×227, 10 ×60, 11 ×34, 13 ×24, 12 ×8, 3 ×2, 15 ×2, 16 ×1;
/// chunks 10-17 have no chunk signature (they hold leftover bytes, not zeros).
#[test]
#[ignore = "reads ../shared/data/evtx"]
fn the_shared_sysmon_log_reads_completely() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/evtx/sysmon.evtx");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let s = open(file, &path.display().to_string(), &Options::default()).unwrap();
    let items: Vec<Item> = s.map(|i| i.expect("no error")).collect();
    let lines = summarise(items.iter().cloned());
    // Eight chunks without a signature after the last signed one: the log's
    // unused space, named, not rejected.
    assert!(!lines.iter().any(|l| l.contains("rejected")), "{lines:#?}");
    let unused: Vec<&String> = lines.iter().filter(|l| l.contains("unused")).collect();
    assert_eq!(unused.len(), 8, "{unused:#?}");
    for (i, l) in unused.iter().enumerate() {
        let chunk = format!("chunk {} ", 10 + i);
        assert!(
            l.starts_with(&chunk) && l.contains("no chunk signature"),
            "{l}"
        );
    }
    let records: Vec<String> = lines
        .into_iter()
        .filter(|l| !l.contains("unused"))
        .collect();
    let expected: BTreeMap<String, usize> = [
        ("Sysmon 1 (ProcessCreate)", 227),
        ("Sysmon 10 (ProcessAccess)", 60),
        ("Sysmon 11 (FileCreate)", 34),
        ("Sysmon 13 (RegistryEvent, value set)", 24),
        ("Sysmon 12 (RegistryEvent, object create and delete)", 8),
        ("Sysmon 3 (NetworkConnect)", 2),
        ("Sysmon 15 (FileCreateStreamHash)", 2),
        ("Sysmon 16 (ServiceConfigurationChange)", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(records.len(), 358);
    assert_eq!(histogram(&records), expected);
    let ids: Vec<Position> = items
        .iter()
        .map(|i| i.position)
        .filter(|p| matches!(p, Position::Record(_)))
        .collect();
    assert_eq!(ids.first(), Some(&Position::Record(1742)));
    assert_eq!(ids.last(), Some(&Position::Record(2099)));
}

/// The examples in `docs/inputs.md` read and alert as the page says.
#[test]
fn the_documented_examples_alert() {
    let page = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/inputs.md"),
    )
    .unwrap();
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(l) = lines.next() {
        if let Some(lang @ ("json" | "csv")) = l.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            blocks.push((lang, body.join("\n")));
        }
    }
    let got: Vec<(&str, Vec<String>)> = blocks
        .iter()
        .map(|(lang, body)| {
            let (_, items) = read_all(body.clone().into_bytes(), &Options::default());
            (*lang, summarise(items))
        })
        .collect();
    assert_eq!(
        got,
        [
            ("json", vec!["line 1: DnsEvents alert".to_owned()]),
            ("csv", vec!["line 2: DnsEvents alert".to_owned()]),
            (
                "json",
                vec!["line 1: Sysmon 22 (DnsQuery) alert".to_owned()]
            ),
        ]
    );
}
