//! Feed fields written in the shapes real exports use: MISP's `to_ids` as a
//! number or a string, and dates that do not parse (noted, never silent).

use detections::feed::{self, Feed};

fn misp(to_ids: &str) -> Feed {
    let text = format!(
        r#"{{"Event": {{"Attribute": [{{"type": "domain", "value": "c2.example.org", "to_ids": {to_ids}}}]}}}}"#
    );
    feed::parse(&text, "misp.json", None).unwrap_or_else(|e| panic!("{to_ids}: {e}"))
}

#[test]
fn misp_to_ids_false_in_any_spelling_is_not_for_detection() {
    for no in ["false", "0", r#""0""#, r#""false""#] {
        let f = misp(no);
        assert!(f.accepted.is_empty(), "to_ids {no}");
        assert_eq!(f.rejected.len(), 1, "to_ids {no}");
        assert_eq!(
            f.rejected[0].reason.code(),
            "not_for_detection",
            "to_ids {no}"
        );
    }
    for yes in ["true", "1", r#""1""#, r#""true""#] {
        let f = misp(yes);
        assert_eq!(f.accepted.len(), 1, "to_ids {yes}");
    }
}

#[test]
fn an_unreadable_date_is_noted_with_its_place() {
    let csv = "\
# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\",\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\",\"reference\",\"tags\",\"anonymous\",\"reporter\"
\"2026-05-21 06:46:49\",\"1\",\"c2.example.org\",\"domain\",\"botnet_cc\",\"win.nanocore\",\"\",\"Nanocore RAT\",\"not-a-date\",\"75\",\"\",\"\",\"0\",\"x\"
";
    let f = feed::parse(csv, "tf.csv", None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.accepted.len(), 1, "{:?}", f.rejected);
    let notes: Vec<String> = f
        .notes
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n.at.as_ref().map(|a| a.compact()).unwrap_or_default(),
                n.message
            )
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("last seen `not-a-date` is not a date") && n.starts_with("2: ")),
        "{notes:?}"
    );
    assert!(!notes.iter().any(|n| n.contains("first seen")), "{notes:?}");
}
