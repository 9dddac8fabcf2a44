//! IOC feed import never panics: random bytes, and structured input of the wrong
//! shape (JSON of every format's outline with random members, CSV records of
//! random fields, STIX patterns of random tokens), in every format, give a feed
//! or an error.

use detections::feed::{self, Format};
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z.\\[\\]:/*|' -]{0,24}".prop_map(Value::from),
        prop::sample::select(vec![
            "domain",
            "url",
            "indicator",
            "bundle",
            "Event",
            "Attribute",
            "Object",
            "pattern",
            "value",
            "ioc_value",
            "ioc_type",
            "to_ids",
            "objects",
            "type",
            "[domain-name:value = 'a.io']",
            "estaliax[.]io",
            "ip:port",
            "None",
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop::sample::select(vec![
            "type",
            "objects",
            "pattern",
            "pattern_type",
            "Event",
            "Attribute",
            "Object",
            "value",
            "ioc_value",
            "ioc",
            "ioc_type",
            "tags",
            "to_ids",
            "deleted",
            "revoked",
            "query_status",
            "data",
            "response",
            "id",
            "Tag",
            "name",
            "confidence_level",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(keys, inner, 0..6).prop_map(|m| serde_json::Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn all_formats(text: &str) {
    let _ = feed::parse(text, "p", None);
    for f in Format::ALL {
        let _ = feed::parse(text, "p", Some(f));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = feed::parse_bytes(&bytes, "p", None);
        for f in Format::ALL {
            let _ = feed::parse_bytes(&bytes, "p", Some(f));
        }
    }

    #[test]
    fn wrong_json_shapes_never_panic(v in json_value(), wrap in 0usize..5) {
        let wrapped = match wrap {
            0 => v,
            1 => serde_json::json!({"type": "bundle", "objects": [v]}),
            2 => serde_json::json!({"Event": {"Attribute": [v], "Object": [{"Attribute": v}]}}),
            3 => serde_json::json!({"1": [v]}),
            _ => serde_json::json!({"query_status": "ok", "data": v}),
        };
        all_formats(&wrapped.to_string());
        all_formats(&serde_json::to_string_pretty(&wrapped).unwrap());
    }

    #[test]
    fn wrong_csv_and_patterns_never_panic(
        fields in prop::collection::vec("[\"a-z.,# \\[\\]\r\n]{0,12}", 0..20),
        pattern in prop::collection::vec(prop::sample::select(vec![
            "[", "]", "(", ")", "OR", "AND", "=", "!=", "'a.io'", "'", "\\", "domain-name:value",
            "url:value", "WITHIN", "file:hashes.'SHA-256'", " ", "NOT", "MATCHES",
        ]), 0..16),
    ) {
        let header = "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\"\n";
        let body: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
        all_formats(&format!("{header}{}", body.join(", ")));
        all_formats(&format!("{header}{}", fields.join(",")));
        let p = pattern.join(" ");
        let bundle = serde_json::json!({"type": "bundle", "objects": [{"type": "indicator", "pattern": p}]});
        let f = feed::parse(&bundle.to_string(), "p", None).unwrap();
        prop_assert_eq!(f.accepted.len() + f.rejected.len() >= 1, true);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Values written the way ThreatFox writes them (quoted, `", "` between
    /// fields, quotes doubled) read back exactly, on the line they start on,
    /// whatever they hold: commas, quotes, line breaks, `#`, spaces.
    #[test]
    fn threatfox_csv_values_read_back_exactly(
        records in prop::collection::vec(
            ("[a-z.\",# \r\n\\[\\]]{0,16}", "[a-z\",# \n]{0,8}"),
            1..12,
        ),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut text = format!("# \"ioc_value\",\"reporter\"{end}");
        for (value, other) in &records {
            text.push_str(&format!("{}, {}{end}", quote(value), quote(other)));
        }
        let f = feed::parse(&text, "p", Some(Format::ThreatFoxCsv)).unwrap();
        let mut read: Vec<(u64, String)> = f
            .accepted
            .iter()
            .map(|i| (i.at.line.unwrap_or(0), i.written.clone()))
            .chain(f.rejected.iter().map(|r| (r.at.line.unwrap_or(0), r.value.clone())))
            .collect();
        read.sort();
        // Each record starts on the line after the previous one ends.
        let mut line = 2u64;
        let want: Vec<(u64, String)> = records
            .iter()
            .map(|(v, other)| {
                let at = line;
                line += 1 + (v.matches('\n').count() + other.matches('\n').count()) as u64;
                let t = v.trim();
                let v = if t.is_empty() || t == "None" { String::new() } else { v.clone() };
                (at, v)
            })
            .collect();
        let got = read;
        prop_assert_eq!(got, want);
    }
}
