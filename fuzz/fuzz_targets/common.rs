//! What every telemetry-format target checks: reading any bytes as the format
//! never panics, every item is a row, a blank line or a rejection, an error
//! ends the stream, and rows read = rows scored + rows rejected through the
//! scanner `huntlab scan` runs. The rows are judged by the seed content with a
//! hunt over every kind of indicator added, given indicators of every kind as
//! `--iocs` gives them, so the matching of each kind is fuzzed too.

use harness::formats::{open, InputFormat, Options};
use std::sync::LazyLock;

use detections::content::{load_with_iocs, NANOCORE_TOML};
use detections::ioc::{Ioc, IocKind};
use detections::Detection;
use harness::scan::{JoinMode, Scanner};

/// A hunt over each kind's list but domains (the seed's own hunts read
/// domains), on the fields that carry the kind; `ip:port`s matched both ways.
const HUNTS: &str = r#"
[[hunts]]
id = "fuzz-ipv4"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["network"]
when = { field = "remote_ip", op = "in", values_from = "iocs.ipv4" }

[[hunts]]
id = "fuzz-ipv6"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["network"]
when = { any = [{ field = "remote_ip", op = "in", values_from = "iocs.ipv6" }, { field = "source_ip", op = "in", values_from = "iocs.ipv6" }] }

[[hunts]]
id = "fuzz-ip-port"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["network"]
match = "address_port"
when = { field = "remote_ip", op = "in", values_from = "iocs.ip_port" }

[[hunts]]
id = "fuzz-ip-port-address"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["network"]
match = "address"
when = { field = "remote_ip", op = "in", values_from = "iocs.ip_port" }

[[hunts]]
id = "fuzz-cidr"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["network"]
when = { any = [{ field = "remote_ip", op = "in", values_from = "iocs.cidr" }, { field = "source_ip", op = "in", values_from = "iocs.cidr" }] }

[[hunts]]
id = "fuzz-url"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["network"]
when = { any = [{ field = "url", op = "in", values_from = "iocs.url" }, { field = "remote_host", op = "in", values_from = "iocs.url" }] }

[[hunts]]
id = "fuzz-sha256"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["process", "file"]
when = { field = "sha256", op = "in", values_from = "iocs.sha256" }

[[hunts]]
id = "fuzz-sha1"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["process", "file"]
when = { field = "sha1", op = "in", values_from = "iocs.sha1" }

[[hunts]]
id = "fuzz-md5"
title = "t"
description = "d"
origin = { added = "fuzz" }
reads = ["process", "file"]
when = { field = "md5", op = "in", values_from = "iocs.md5" }
"#;

/// Indicators of every kind, as a feed gives them (normalised), matching the
/// seed rows of the new tables (`fuzz/seeds/rows`).
const IOCS: &[(IocKind, &str)] = &[
    (IocKind::Domain, "estaliax.io"),
    (IocKind::Domain, "duraktantuni.site"),
    (IocKind::Ipv4, "198.51.100.7"),
    (IocKind::Ipv4, "203.0.113.9"),
    (IocKind::Ipv6, "2001:db8::7"),
    (IocKind::IpPort, "198.51.100.7:8080"),
    (IocKind::IpPort, "[2001:db8::7]:8080"),
    (IocKind::Cidr, "198.51.100.0/24"),
    (IocKind::Cidr, "2001:db8:1::/48"),
    (IocKind::Url, "http://estaliax.io/gate.php"),
    (IocKind::Url, "https://estaliax.io/a"),
    (
        IocKind::Sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ),
    (IocKind::Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    (IocKind::Md5, "d41d8cd98f00b204e9800998ecf8427e"),
];

/// The content the rows are judged by, compiled once.
static SEED: LazyLock<Detection> = LazyLock::new(|| {
    let iocs = IOCS
        .iter()
        .map(|&(kind, value)| Ioc {
            kind,
            value: value.to_owned(),
            threat_type: "botnet_cc".into(),
            first_seen: "2026-05-21".into(),
            confidence: Some(75),
            malware_family: "Nanocore RAT".into(),
            source: "fuzz".into(),
        })
        .collect();
    let src = format!("{NANOCORE_TOML}{HUNTS}");
    load_with_iocs(&src, "fuzz.toml", detections::Engine::Fast, iocs)
        .unwrap_or_else(|e| panic!("the fuzz content loads: {e}"))
});

/// Small caps so the fuzzer reaches the limits quickly.
pub fn options(format: InputFormat) -> Options {
    Options {
        format,
        max_decompressed: 1 << 20,
        max_record: 4096,
        max_xml: 4096,
        max_depth: 8,
        max_field: 1024,
        probe: None,
    }
}

/// Read `data` as `format` and judge every item.
pub fn read(data: &[u8], format: InputFormat) {
    let mut scanner = Scanner::new(
        detections::pipeline::Pipeline::new(&SEED),
        JoinMode::Wait(8),
    );
    let mut out = Vec::new();
    let Ok(stream) = open(
        std::io::Cursor::new(data.to_vec()),
        "fuzz",
        &options(format),
    ) else {
        return;
    };
    let mut items = 0u64;
    for item in stream {
        let Ok(item) = item else { break };
        items += 1;
        let Ok(()) = scanner.item(0, item, &mut out);
    }
    let Ok(()) = scanner.finish(&mut out);
    let t = scanner.tally();
    assert_eq!(t.rows_read, t.rows_scored + t.rows_rejected);
    // An EVTX log's unused chunks are items reported as unused, not rows.
    assert_eq!(
        t.rows_read + t.blank + t.unused.len() as u64,
        items,
        "every item counted once"
    );
    assert_eq!(out.len() as u64, t.rows_scored, "every scored row judged");
}
