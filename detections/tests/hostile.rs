//! Hostile input to the detection library: content files (random bytes, and the
//! built-in contents with one value made wrong) and JSON Lines rows (random
//! bytes, read columns of every wrong type, out-of-range numbers, deep
//! nesting, duplicate keys). Each gives an error or a result, never a panic.

use std::sync::LazyLock;

use detections::content::{builtins, Engine};
use detections::pipeline::Pipeline;
use detections::row::READ_COLUMNS;
use detections::Detection;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Values of every wrong kind for a TOML line.
const WRONG_TOML: &[&str] = &[
    "-1",
    "1e400",
    "99999999999999999999999",
    "nan",
    "\"\"",
    "\"\\u0000\"",
    "\"\\u001b[31m\"",
    "\"<script>\"",
    "[]",
    "[[[[[[[[]]]]]]]]",
    "{}",
    "true",
    "2026-13-45",
    "\"estaliax.io\"",
    "\"*\"",
    "\"(\"",
    "\"has_any\"",
    "[\"\", \".\", \"..\"]",
    "'''\nx\n'''",
];

fn contents() -> Vec<&'static str> {
    builtins().iter().map(|b| b.text).collect()
}

/// A JSON value of any shape, a little nested.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::String),
        "[a-z.]{0,12}estaliax\\.io[a-z.]{0,4}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The seed content, compiled once.
static SEED: LazyLock<Detection> = LazyLock::new(|| detections::builtin(Engine::Fast));

fn judge_all(lines: &[String]) {
    let mut p = Pipeline::new(&SEED);
    for l in lines {
        if let Ok(j) = p.judge_line(l) {
            let v = p.explain(&j);
            assert_eq!(v.alert, j.decision.alert, "explain and decide agree on {l}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_content_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = detections::load(&text, "c.toml", Engine::Fast);
    }

}

proptest! {
    // Each case compiles a content and checks its examples.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn content_with_one_wrong_value_is_an_error_or_a_detection(
        file in any::<prop::sample::Index>(),
        line in any::<prop::sample::Index>(),
        wrong in prop::sample::select(WRONG_TOML),
        edit in 0u8..3,
    ) {
        let all = contents();
        let src = all[file.index(all.len())];
        let lines: Vec<&str> = src.lines().collect();
        let at = line.index(lines.len());
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        match edit {
            0 => match lines[at].split_once(" = ") {
                Some((k, _)) => out[at] = format!("{k} = {wrong}"),
                None => out[at] = (*wrong).to_owned(),
            },
            1 => {
                out.remove(at);
            }
            _ => out.insert(at, lines[at].to_owned()),
        }
        match detections::load(&out.join("\n"), "c.toml", Engine::Fast) {
            Err(e) => prop_assert!(e.to_string().contains("c.toml"), "{e}"),
            Ok(det) => {
                let mut p = Pipeline::new(&det);
                let _ = p.judge_line(r#"{"Type":"DnsEvents","Computer":"h","Name":"a.estaliax.io"}"#);
            }
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_line_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        judge_all(&[String::from_utf8_lossy(&bytes).into_owned()]);
    }

    /// Every column the mapping reads, given a value of any type.
    #[test]
    fn read_columns_of_any_type_never_panic(
        cells in prop::collection::vec((prop::sample::select(READ_COLUMNS), json_value()), 0..12),
        table in prop::sample::select(vec![
            json!("DnsEvents"), json!("DeviceProcessEvents"), json!("DeviceEvents"),
            json!("SecurityEvent"), json!("Custom_CL"), json!(7), json!(null),
        ]),
        event_id in prop::sample::select(vec![
            json!(1), json!(22), json!(11), json!(4698), json!("22"), json!(-1),
            json!(1e300), json!(u64::MAX), json!([22]),
        ]),
    ) {
        let mut row = Map::new();
        row.insert("Type".into(), table);
        row.insert("EventID".into(), event_id);
        for (k, v) in cells {
            row.insert(k.to_owned(), v);
        }
        let line = Value::Object(row).to_string();
        judge_all(&[line.clone(), format!("{line} "), line.replace("\"Type\"", "\"Type\":1,\"Type\"")]);
    }
}

#[test]
fn numbers_out_of_range_deep_nesting_and_duplicate_keys_are_errors() {
    let det = detections::builtin(Engine::Fast);
    let mut p = Pipeline::new(&det);
    for (line, why) in [
        (
            r#"{"EventID":1e400,"QueryName":"a.estaliax.io"}"#.to_owned(),
            "number out of range",
        ),
        (
            r#"{"EventID":99999999999999999999,"QueryName":"a.estaliax.io"}"#.to_owned(),
            "EventID",
        ),
        (
            r#"{"EventID":22.5,"QueryName":"a.estaliax.io"}"#.to_owned(),
            "EventID",
        ),
        (
            format!(
                r#"{{"Name":{}"a"{}}}"#,
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            "recursion limit",
        ),
        (
            r#"{"Type":"DnsEvents","Name":"a.estaliax.io","Name":"b"}"#.to_owned(),
            "duplicate key `Name`",
        ),
    ] {
        let e = p.judge_line(&line).expect_err("an error").to_string();
        assert!(e.contains(why), "{e} for {}", &line[..line.len().min(60)]);
    }
}
