//! Input formats read through `harness::formats::open` and judged through the
//! pipeline: each fixture's items, summarised one a line as
//! `position: what it judged as`; CSV columns, `Event`-table rows and EVTX
//! records and chunks. Awkward inputs, limits and properties are in
//! `formats_edges.rs`.

#[path = "support/formats.rs"]
mod support;
use support::*;

#[test]
fn fixtures_read_and_judge_as_expected() {
    let event_rows = [
        "line 1: Sysmon 1 (ProcessCreate) quiet",
        "line 2: Sysmon 22 (DnsQuery) alert",
        "line 3: other table quiet",
        "line 4: blank",
        "line 5: rejected: EventData XML: a document type declaration is not read",
        "line 6: Sysmon 22 (DnsQuery) alert",
    ];
    let cases: [(&str, Format, &[&str]); 5] = [
        (
            "dnsevents.csv",
            Format::Csv,
            &[
                "line 2: DnsEvents alert",
                "line 3: DnsEvents quiet",
                // A record with a quoted line break: the line it starts on.
                "line 4: DnsEvents alert",
                "line 6: blank",
                "line 7: rejected: 6 fields where the header has 10 columns",
                "line 8: DnsEvents quiet",
                // The last record has no line ending.
                "line 9: DnsEvents alert",
            ],
        ),
        (
            "defender-deviceevents.csv",
            Format::Csv,
            &[
                "line 2: DeviceEvents (DnsQueryResponse) alert",
                // Launched by schtasks.exe: the backup-job exclusion.
                "line 3: DeviceEvents (DnsQueryResponse) suppressed",
                "line 4: DeviceEvents (DnsQueryResponse) quiet",
                "line 5: DeviceProcessEvents quiet",
            ],
        ),
        ("event-sysmon.jsonl", Format::Jsonl, &event_rows),
        ("event-sysmon.jsonl.gz", Format::Jsonl, &event_rows),
        (
            "event-sysmon.csv",
            Format::Csv,
            &[
                "line 2: Sysmon 1 (ProcessCreate) quiet",
                "line 3: Sysmon 22 (DnsQuery) alert",
                "line 4: other table quiet",
            ],
        ),
    ];
    for (file, format, expected) in cases {
        let (got_format, items) = read_all(fixture(file), &Options::default());
        assert_eq!(got_format, format, "{file}");
        assert_eq!(summarise(items), expected, "{file}");
    }
}

#[test]
fn a_csv_row_reads_its_columns_by_header_name() {
    let (_, items) = read_all(fixture("dnsevents.csv"), &Options::default());
    let ItemKind::Row(row) = &items[2].kind else {
        panic!("a row: {:?}", items[2]);
    };
    assert_eq!(row.cell("TimeGenerated"), Cell::Str("2026-05-21T10:00:02Z"));
    assert_eq!(row.cell("Name"), Cell::Str("A.ESTALIAX.IO."));
    assert_eq!(
        row.cell("Message"),
        Cell::Str("Query for a.estaliax.io., type A,\r\nfrom 10.1.2.5")
    );
    assert_eq!(row.cell("IPAddresses"), Cell::Absent, "empty is absent");
    let ItemKind::Row(row) = &items[1].kind else {
        panic!("a row");
    };
    assert_eq!(
        row.cell("IPAddresses"),
        Cell::Str("20.70.246.20, 20.76.201.171")
    );
}

#[test]
fn event_table_rows_expand_and_join_on_process_guid() {
    for file in ["event-sysmon.jsonl", "event-sysmon.csv"] {
        let det = detections::builtin(detections::Engine::Fast);
        let mut scanner = Scanner::new(Pipeline::new(&det), JoinMode::Wait(0));
        let (_, items) = read_all(fixture(file), &Options::default());
        let ItemKind::Row(create) = &items[0].kind else {
            panic!("{file}: an expanded row: {:?}", items[0]);
        };
        assert_eq!(create.cell("Type"), Cell::Absent, "{file}");
        assert_eq!(
            create.cell("Channel"),
            Cell::Str("Microsoft-Windows-Sysmon/Operational")
        );
        assert_eq!(
            create.cell("ParentImage"),
            Cell::Str(r"C:\Windows\explorer.exe")
        );
        let mut judged: Vec<Judgement> = Vec::new();
        for item in &items[..2] {
            let Ok(()) = scanner.item(0, item.clone(), &mut judged);
        }
        assert_eq!(judged.len(), 2, "{file}: both rows read");
        let dns = &judged[1].judged;
        assert_eq!(dns.joined, Joined::Filled, "{file}");
        let process = dns.event.process.as_ref().unwrap();
        assert_eq!(
            process.command_line.as_deref(),
            Some(r#""C:\Users\bob\AppData\Local\Temp\RegSvc.exe" & -k"#),
            "{file}: the entity is decoded"
        );
        assert_eq!(dns.event.host.as_deref(), Some("ws2.corp.local"));
        assert!(dns.decision.alert);
    }
}

#[test]
fn evtx_records_read_in_the_flattened_sysmon_shape() {
    let (format, items) = read_all(evtx_fixture(), &Options::default());
    assert_eq!(format, Format::Evtx);
    assert_eq!(items.len(), 41);
    assert_eq!(items[0].position, Position::Record(1742));
    assert_eq!(items[40].position, Position::Record(1782));
    let ItemKind::Row(row) = &items[0].kind else {
        panic!("a row");
    };
    for (column, value) in [
        ("EventID", "1"),
        ("EventRecordID", "1742"),
        ("Channel", "Microsoft-Windows-Sysmon/Operational"),
        ("Computer", "DESKTOP-2KGM189"),
        ("Hostname", "DESKTOP-2KGM189"),
        ("SourceName", "Microsoft-Windows-Sysmon"),
        ("TimeCreated", "2017-12-26T13:10:29.1368792Z"),
        ("UtcTime", "2017-12-26 13:10:29.134"),
        ("ProcessGuid", "{94f748d5-4a45-5a42-0000-0010d265f20f}"),
        ("Image", r"C:\Windows\SysWOW64\PING.EXE"),
        ("CommandLine", "ping  -n 6 127.0.0.1 "),
        ("ParentImage", r"C:\Windows\SysWOW64\cmd.exe"),
    ] {
        assert_eq!(row.cell(column), Cell::Str(value), "{column}");
    }
    assert_eq!(histogram(&summarise(items)), fixture_histogram());
}

/// `chunks` appended to the fixture (header and one chunk).
fn evtx_with(chunks: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = evtx_fixture();
    for c in chunks {
        bytes.extend_from_slice(c);
    }
    bytes
}

#[test]
fn bad_evtx_chunks_are_reported_and_reading_goes_on() {
    let good = evtx_fixture()[4096..].to_vec();
    let garbage: Vec<u8> = (0..65536u32).map(|i| (i * 7 + 3) as u8).collect();
    let bytes = evtx_with(&[vec![0; 65536], garbage, good, vec![0x2a; 100]]);
    let (_, items) = read_all(bytes, &Options::default());
    let lines = summarise(items);
    assert_eq!(lines.len(), 41 + 1 + 1 + 41 + 1);
    assert_eq!(
        lines[41],
        "chunk 2 (at byte 69632): rejected: empty EVTX chunk (all zeros)"
    );
    assert!(
        lines[42].starts_with("chunk 3 (at byte 135168): rejected: unreadable EVTX chunk: "),
        "{}",
        lines[42]
    );
    assert_eq!(lines[43], "record 1742: Sysmon 1 (ProcessCreate) quiet");
    assert_eq!(
        lines[84],
        "chunk 5 (at byte 266240): rejected: EVTX chunk cut short (100 of 65536 bytes)"
    );
}

fn record_offset(evtx: &[u8], id: u64) -> usize {
    (0..evtx.len() - 24)
        .find(|&i| {
            evtx[i..i + 4] == *b"\x2a\x2a\x00\x00" && evtx[i + 8..i + 16] == id.to_le_bytes()
        })
        .expect("record found")
}

#[test]
fn a_corrupt_evtx_record_is_reported_with_its_number() {
    let mut bytes = evtx_fixture();
    // An invalid BinXML token at the start of record 1745's content.
    let at = record_offset(&bytes, 1745);
    bytes[at + 24] = 0xFF;
    // A damaged size on record 1750: the record after it cannot be found.
    let at = record_offset(&bytes, 1750);
    bytes[at + 4] = 0xFF;
    let (_, items) = read_all(bytes, &Options::default());
    let lines = summarise(items);
    assert_eq!(lines.len(), 41);
    assert!(
        lines[3].starts_with("record 1745: rejected: unreadable EVTX record: "),
        "{}",
        lines[3]
    );
    assert!(
        lines[9].starts_with("chunk 1 (at byte 4096): rejected: unreadable EVTX record: "),
        "{}",
        lines[9]
    );
    assert_eq!(lines.iter().filter(|l| l.contains("rejected")).count(), 2);
}

/// A reader that gives one byte a call, as a slow pipe may.
struct Trickle(io::Cursor<Vec<u8>>);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(1);
        self.0.read(&mut buf[..n])
    }
}

#[test]
fn gzip_and_a_byte_at_a_time_read_the_same_items() {
    let options = Options::default();
    for file in ["sysmon-chunk.evtx", "dnsevents.csv", "event-sysmon.jsonl"] {
        let plain = fixture(file);
        let (_, expected) = read_all(plain.clone(), &options);
        let mut s = stream(gzip(&plain), &options);
        let got: Vec<Item> = s.by_ref().map(Result::unwrap).collect();
        assert_eq!(got, expected, "{file}, gzip");
        assert_eq!(s.bytes_decompressed(), Some(plain.len() as u64), "{file}");
        assert!(s.compressed());
        let s = open(Trickle(io::Cursor::new(plain.clone())), file, &options).unwrap();
        let got: Vec<Item> = s.map(Result::unwrap).collect();
        assert_eq!(got, expected, "{file}, a byte at a time");
    }
    // Concatenated gzip members read as one stream, as `gzip -d` reads them.
    let csv = fixture("dnsevents.csv");
    let (head, tail) = csv.split_at(300);
    let mut two = gzip(head);
    two.extend(gzip(tail));
    let (_, items) = read_all(two, &options);
    assert_eq!(items, read_all(csv, &options).1);
}

#[test]
fn an_event_row_expands_whether_its_xml_is_escaped_or_not() {
    let xml = r#"<EventData><Data Name=\"QueryName\">estaliax.io</Data><Data Name=\"ProcessGuid\">{1}</Data></EventData>"#;
    let row = |data: &str| {
        format!(
            r#"{{"Source":"Microsoft-Windows-Sysmon","EventID":22,"Type":"Event","Computer":"ws1","EventData":"{data}"}}"#
        )
    };
    let escaped = xml.replace('<', "\\u003c").replace('>', "\\u003E");
    for line in [row(xml), row(&escaped)] {
        let (_, items) = read_all(line.clone().into_bytes(), &Options::default());
        let ItemKind::Row(expanded) = &items[0].kind else {
            panic!("an expanded row: {line}: {:?}", items[0]);
        };
        assert_eq!(
            expanded.cell("QueryName"),
            Cell::Str("estaliax.io"),
            "{line}"
        );
    }
    // Without a `<` written either way, the same row is a line as it is.
    let plain = row("no xml here");
    let (_, items) = read_all(plain.clone().into_bytes(), &Options::default());
    assert_eq!(items[0].kind, ItemKind::Line(plain));
}
