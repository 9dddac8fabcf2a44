//! `scan --iocs FEED` (the generic feed content) end to end: each indicator
//! kind alerts in each table that carries it, with the port and URL semantics
//! the hunts state, and no row alerts on another port, another path of a URL
//! it carries in full, another address or another hash.

use std::process::Output;

use serde_json::Value;

#[path = "support/spawn.rs"]
mod cli;
use cli::{stderr, Dir};

const SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SHA1: &str = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
const MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

/// A mixed list of every kind, defanged and in mixed case where feeds write so.
fn feed() -> String {
    format!(
        "# every kind\nEstaliax[.]io\n198.51.100.7\n2001:DB8::7\n203.0.113.10[:]8080\n192.0.2.0/24\nhxxp://Evil.example/gate.php\n{}\n{SHA1}\n{MD5}\n",
        SHA256.to_uppercase()
    )
}

/// Each row, and the (hunt, match_kind) it must alert with under
/// `address_port`, and under `--match address`; `None` where it must not.
type Case = (
    &'static str,
    Option<(&'static str, &'static str)>,
    Option<(&'static str, &'static str)>,
);

fn cases() -> Vec<(String, Case)> {
    let dne = |ip: &str, port: u16, url: &str| {
        format!(
            r#"{{"Type":"DeviceNetworkEvents","DeviceName":"ws1","ActionType":"ConnectionSuccess","RemoteIP":"{ip}","RemotePort":{port},"RemoteUrl":"{url}","InitiatingProcessFileName":"a.exe"}}"#
        )
    };
    let s3 = |ip: &str, port: u16, host: &str| {
        format!(
            r#"{{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws1","ProcessGuid":"{{p1}}","Image":"C:\\a.exe","DestinationIp":"{ip}","DestinationPort":{port},"DestinationHostname":"{host}"}}"#
        )
    };
    let csl = |ip: &str, port: u16, url: &str| {
        format!(
            r#"{{"Type":"CommonSecurityLog","Computer":"fw1","DeviceVendor":"Zscaler","DeviceProduct":"NSSWeblog","DeviceAction":"allowed","SourceIP":"10.1.2.3","DestinationIP":"{ip}","DestinationPort":{port},"RequestURL":"{url}"}}"#
        )
    };
    let file = |table: &str, col: &str, digest: &str| {
        format!(
            r#"{{"Type":"{table}","DeviceName":"ws1","ActionType":"FileCreated","FileName":"a.exe","FolderPath":"C:\\a.exe","{col}":"{digest}"}}"#
        )
    };
    let addr = Some(("feed-address", "address"));
    vec![
        (
            r#"{"Type":"DnsEvents","Computer":"dns01","ClientIP":"10.1.2.3","Name":"a.ESTALIAX.io"}"#.to_owned(),
            ("DNS query", Some(("feed-domain", "domain")), Some(("feed-domain", "domain"))),
        ),
        (dne("198.51.100.7", 443, ""), ("DNE address", addr, addr)),
        (
            dne("::ffff:198.51.100.7", 443, ""),
            ("DNE IPv4-mapped address", addr, addr),
        ),
        (dne("2001:0db8:0::7", 443, ""), ("DNE IPv6 address", addr, addr)),
        (
            dne("203.0.113.10", 8080, ""),
            ("DNE ip:port", Some(("feed-address", "address_port")), addr),
        ),
        (
            dne("203.0.113.10", 443, ""),
            ("DNE ip:port on another port", None, addr),
        ),
        (
            dne("192.0.2.55", 443, ""),
            ("DNE in a range", Some(("feed-address", "cidr")), Some(("feed-address", "cidr"))),
        ),
        (dne("198.51.100.8", 443, ""), ("DNE another address", None, None)),
        (
            dne("10.9.9.9", 443, "c2.estaliax.io"),
            ("DNE RemoteUrl name", Some(("feed-domain", "domain")), Some(("feed-domain", "domain"))),
        ),
        (
            dne("10.9.9.9", 80, "http://EVIL.example/gate.php"),
            ("DNE RemoteUrl URL", Some(("feed-url", "url")), Some(("feed-url", "url"))),
        ),
        (
            dne("10.9.9.9", 80, "http://evil.example/other.php"),
            ("DNE another path", None, None),
        ),
        (
            s3("203.0.113.10", 8080, "-"),
            ("Sysmon 3 ip:port", Some(("feed-address", "address_port")), addr),
        ),
        (
            s3("203.0.113.10", 9090, "-"),
            ("Sysmon 3 another port", None, addr),
        ),
        (
            s3("10.9.9.9", 443, "estaliax.io"),
            (
                "Sysmon 3 reverse lookup",
                Some(("feed-domain", "domain_reverse_lookup")),
                Some(("feed-domain", "domain_reverse_lookup")),
            ),
        ),
        (csl("198.51.100.7", 443, ""), ("firewall address", addr, addr)),
        (
            csl("10.9.9.9", 80, "http://evil.example/gate.php"),
            ("proxy URL", Some(("feed-url", "url")), Some(("feed-url", "url"))),
        ),
        (
            csl("10.9.9.9", 80, "evil.example/other.php"),
            ("proxy another path", None, None),
        ),
        (
            csl("10.9.9.9", 443, "evil.example:443"),
            ("proxy CONNECT host", Some(("feed-url", "url_host")), Some(("feed-url", "url_host"))),
        ),
        (
            r#"{"Type":"UrlClickEvents","ActionType":"ClickAllowed","AccountUpn":"a@example.org","Url":"http://evil.example/gate.php"}"#.to_owned(),
            ("Safe Links click", Some(("feed-url", "url")), Some(("feed-url", "url"))),
        ),
        (
            file("DeviceFileEvents", "SHA256", &SHA256.to_uppercase()),
            ("DFE SHA256", Some(("feed-hash", "sha256")), Some(("feed-hash", "sha256"))),
        ),
        (
            file("DeviceProcessEvents", "SHA1", SHA1),
            ("DPE SHA1", Some(("feed-hash", "sha1")), Some(("feed-hash", "sha1"))),
        ),
        (
            format!(r#"{{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws1","ProcessGuid":"{{p2}}","Image":"C:\\b.exe","Hashes":"SHA256={},MD5={}"}}"#, "0".repeat(64), MD5.to_uppercase()),
            ("Sysmon 1 Hashes MD5", Some(("feed-hash", "md5")), Some(("feed-hash", "md5"))),
        ),
        (
            file("DeviceFileEvents", "SHA256", &"1".repeat(64)),
            ("DFE another hash", None, None),
        ),
    ]
}

/// Scan the cases with the feed, in a folder of its own (`tag`: tests run at once).
fn scan(tag: &str, args: &[&str]) -> (Vec<Value>, Output) {
    let dir = Dir::new(tag);
    let feed = dir.file("feed.txt", &feed());
    let rows: Vec<String> = cases().into_iter().map(|(r, _)| r).collect();
    let input = dir.file("rows.jsonl", &(rows.join("\n") + "\n"));
    let mut all = vec![
        "scan",
        "--quiet",
        "--json",
        "--iocs",
        feed.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    all.push(input.to_str().unwrap());
    let out = cli::run_with_stdin(&all, "");
    let hits = String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    (hits, out)
}

/// (hunt, match_kind) of the hit on line `n`, if any.
fn hit_on(hits: &[Value], n: usize) -> Option<(String, String)> {
    let h = hits.iter().find(|h| h["position"] == format!("line {n}"))?;
    assert_eq!(h["alert"], true, "{h}");
    Some((
        h["hunts"][0].as_str()?.to_owned(),
        h["matches"][0]["matched"][0]["match_kind"]
            .as_str()?
            .to_owned(),
    ))
}

fn check(tag: &str, args: &[&str], under_address: bool) {
    let (hits, out) = scan(tag, args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for (n, (_, (name, port, address))) in (1..).zip(cases()) {
        let want = if under_address { address } else { port };
        let want = want.map(|(h, k)| (h.to_owned(), k.to_owned()));
        assert_eq!(hit_on(&hits, n), want, "line {n}: {name} ({args:?})");
    }
    // Every hit names the feed entry it matched, with its line.
    for h in &hits {
        assert!(
            h["ioc"]["feed"]
                .as_str()
                .is_some_and(|f| f.ends_with("feed.txt")),
            "{h}"
        );
        assert!(h["ioc"]["feed_line"].as_u64().is_some(), "{h}");
    }
}

#[test]
fn each_kind_alerts_in_each_table_with_port_and_url_semantics() {
    check("feed-kinds-port", &[], false);
}

#[test]
fn match_address_widens_ip_ports_to_any_port() {
    check("feed-kinds-address", &["--match", "address"], true);
}

#[test]
fn an_explicit_content_keeps_its_own_hunts_and_none_without_feeds_is_an_error() {
    // With the seed, only its hunts judge: the domain hunts take the feed's
    // domain; no hunt of the seed reads addresses, URLs or hashes.
    let (hits, out) = scan("feed-kinds-seed", &["--content", "seed"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let hunts: Vec<&str> = hits
        .iter()
        .map(|h| h["hunts"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        hunts,
        [
            "nanocore-c2-dns",
            "nanocore-c2-name-network",
            "nanocore-c2-name-network"
        ]
    );
    assert!(
        stderr(&out).contains("are hunted by no hunt of seed"),
        "{}",
        stderr(&out)
    );
    let none = cli::run_with_stdin(&["scan", "--content", "none"], "");
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).contains("give `--iocs FEED`"),
        "{}",
        stderr(&none)
    );
    let report = cli::run_with_stdin(&["report", "--content", "none"], "");
    assert_eq!(report.status.code(), Some(2));
    assert!(stderr(&report).contains("nothing to score it against"));
}

#[test]
fn explain_and_export_take_the_feed_as_scan_does() {
    let dir = Dir::new("feed-kinds-explain");
    let feed = dir.file("feed.txt", &feed());
    let rows: Vec<String> = cases().into_iter().map(|(r, _)| r).collect();
    let input = dir.file("rows.jsonl", &(rows.join("\n") + "\n"));
    let (feed, input) = (feed.to_str().unwrap(), input.to_str().unwrap());
    // explain judges each line as scan does.
    let out = cli::run_with_stdin(&["explain", "--json", "--iocs", feed, input], "");
    let lines: Vec<Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases().len(), "{}", stderr(&out));
    for (line, (_, (name, want, _))) in lines.iter().zip(cases()) {
        let got = line["alert"]
            .as_bool()
            .unwrap()
            .then(|| line["hunts"][0].as_str().unwrap());
        assert_eq!(got, want.map(|w| w.0), "{name}: {line}");
    }
    // export writes what it can of the same content, and names the rest.
    let out = cli::run_with_stdin(&["export", "--format", "kql", "--iocs", feed], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.starts_with("// file: feed-domain.dnsevents.kql"),
        "{text}"
    );
    assert!(text.contains(r#"dynamic(["estaliax.io"])"#), "{text}");
    let err = stderr(&out);
    for note in [
        "hunt `feed-domain` is exported without its conditions on remote_host",
        "hunt `feed-address` is not exported",
        "hunt `feed-url` is not exported",
        "hunt `feed-hash` is not exported",
    ] {
        assert!(err.contains(note), "{note}: {err}");
    }
    // The Defender form writes every hunt whole, and names nothing left out.
    let out = cli::run_with_stdin(&["export", "--format", "kql-defender", "--iocs", feed], "");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    for hunt in ["feed-domain", "feed-address", "feed-url", "feed-hash"] {
        assert!(
            text.contains(&format!("// file: {hunt}.defender.kql")),
            "{hunt}: {text}"
        );
    }
    assert!(!stderr(&out).contains("exported"), "{}", stderr(&out));
}
