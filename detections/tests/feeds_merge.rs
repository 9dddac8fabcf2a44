//! Several feeds merged into one list (the first entry of a value kept, the
//! rest counted), and the age filter, over the fixtures of every kind.

use detections::feed::{self, Day, Feed};

fn read(name: &str) -> Feed {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    feed::parse_bytes(&bytes, name, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn merging_keeps_the_first_and_counts_the_rest() {
    let feeds = ["threatfox.csv", "list.txt", "misp.json"].map(read);
    let m = feed::merge(feeds.map(|f| f.accepted));
    let values: Vec<(&str, &str)> = m
        .accepted
        .iter()
        .map(|i| (&*i.origin, i.value.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("threatfox.csv", "estaliax.io"),
            ("threatfox.csv", "duraktantuni.site"),
            ("threatfox.csv", "http://estaliax.io/panel/gate.php"),
            ("threatfox.csv", "185.222.58.10:9033"),
            ("threatfox.csv", "3f1c0a2b4d5e6f708192a3b4c5d6e7f8"),
            ("threatfox.csv", "nanocore-c2.duckdns.org"),
            ("list.txt", "185.222.58.10"),
            ("list.txt", "http://estaliax.io/gate.php"),
            ("list.txt", "d41d8cd98f00b204e9800998ecf8427e"),
            ("misp.json", "c2.duraktantuni.site"),
            ("misp.json", "185.222.58.11"),
            ("misp.json", "kleinsrv.ddns.net"),
            ("misp.json", "185.222.58.12"),
        ]
    );
    // Three domains of the list; four domains, the URL, the address and
    // port and the hash of the MISP event.
    assert_eq!(m.duplicates.len(), 8);
    let d = &m.duplicates[0];
    assert_eq!(
        (&*d.dropped.origin, d.dropped.at.compact().as_str()),
        ("list.txt", "2")
    );
    assert_eq!(
        (&*d.kept_origin, d.kept_at.compact().as_str()),
        ("threatfox.csv", "10")
    );
}

#[test]
fn the_age_filter_takes_now_and_counts_what_it_leaves_out() {
    let mut iocs = read("threatfox.csv").accepted;
    iocs.extend(read("list.txt").accepted);
    let now = Day::parse("2026-05-22").unwrap();
    let out = feed::retain_recent(&mut iocs, now, 2);
    let kept: Vec<&str> = iocs.iter().map(|i| i.value.as_str()).collect();
    // Last seen 05-21 (1 day), first seen 05-21 (1 day); the list is undated.
    assert_eq!(
        kept,
        [
            "estaliax.io",
            "duraktantuni.site",
            "estaliax.io",
            "duraktantuni.site",
            "185.222.58.10",
            "http://estaliax.io/gate.php",
            "d41d8cd98f00b204e9800998ecf8427e",
            "nanocore-c2.duckdns.org"
        ]
    );
    // First seen 05-19 (3 days), every kind alike.
    let left: Vec<&str> = out.left_out.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(
        left,
        [
            "http://estaliax.io/panel/gate.php",
            "185.222.58.10:9033",
            "3f1c0a2b4d5e6f708192a3b4c5d6e7f8",
            "nanocore-c2.duckdns.org"
        ]
    );
    assert_eq!(out.undated, 6);
    assert_eq!(
        Day::from_unix_seconds(1_779_408_000).to_string(),
        "2026-05-22"
    );
    // Merged with the age first: an old entry in an earlier feed does not hide a
    // recent one in a later feed; what no feed keeps is left out once.
    let fresh = "# \"ioc_value\",\"ioc_type\",\"last_seen_utc\"\n\"nanocore-c2.duckdns.org\", \"domain\", \"2026-05-22 01:00:00\"\n";
    let feeds = [
        read("threatfox.csv"),
        feed::parse(fresh, "fresh.csv", None).unwrap(),
        read("threatfox.csv"),
    ];
    let (m, out) = feed::merge_recent(feeds.clone().map(|f| f.accepted), now, 2);
    let kept: Vec<(&str, &str)> = m
        .accepted
        .iter()
        .map(|i| (&*i.origin, i.value.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            ("threatfox.csv", "estaliax.io"),
            ("threatfox.csv", "duraktantuni.site"),
            ("fresh.csv", "nanocore-c2.duckdns.org")
        ]
    );
    // What no feed keeps is left out once: the URL, the address and port
    // and the hash, both copies of threatfox.csv seeing them 3 days ago.
    let left: Vec<&str> = out.left_out.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(
        left,
        [
            "http://estaliax.io/panel/gate.php",
            "185.222.58.10:9033",
            "3f1c0a2b4d5e6f708192a3b4c5d6e7f8"
        ]
    );
    assert_eq!(out.undated, 0);
    assert_eq!(m.duplicates.len(), 2);
    let (m, out) = feed::merge_recent(feeds.map(|f| f.accepted), now, 0);
    assert_eq!(m.accepted.len(), 1);
    let left: Vec<&str> = out.left_out.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(
        left,
        [
            "estaliax.io",
            "duraktantuni.site",
            "http://estaliax.io/panel/gate.php",
            "185.222.58.10:9033",
            "3f1c0a2b4d5e6f708192a3b4c5d6e7f8"
        ]
    );
}
