//! Two samples' imports against what their pages say, written by hand
//! (`fixtures/imported/expected/`): each reading's indicators, each hunt's
//! tables, condition and exclusions (by id, sorted), each exclusion's condition and what is
//! kept unexpressed. The files are read from the pages and the import rules of
//! `docs/import.md`, not from the importer's output, so a change in what an
//! import means fails here however the content is written.

use detections::content::{field_name, Cond, Detection};
use detections::import::{hardened, literal, read_page};
use detections::ranges::Ranges;
use detections::{load, Engine};
use toml::Value;

#[path = "support/pages.rs"]
mod pages;
use pages::PAGES;

/// A condition as the expected files write it: `field op [a, b]`,
/// `field op iocs.kind` for a list, `any(x; y)`, `all(x; y)`.
fn cond(c: &Cond) -> String {
    match c {
        Cond::Any(parts) | Cond::All(parts) => {
            let how = if matches!(c, Cond::Any(_)) {
                "any"
            } else {
                "all"
            };
            let parts: Vec<String> = parts.iter().map(cond).collect();
            format!("{how}({})", parts.join("; "))
        }
        Cond::Pred(_) => {
            let t = c.predicates()[0];
            let right = match t.list {
                Some(kind) => kind.values_from().to_owned(),
                None => format!("[{}]", t.values.join(", ")),
            };
            format!("{} {} {right}", field_name(t.field), t.op.kql())
        }
    }
}

fn strings<'a>(items: impl Iterator<Item = &'a str>) -> Value {
    Value::Array(items.map(|s| Value::String(s.to_owned())).collect())
}

fn table(pairs: Vec<(&str, Value)>) -> Value {
    Value::Table(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A content as the expected files describe it.
fn described(det: &Detection) -> Value {
    let iocs = det
        .iocs
        .iter()
        .map(|i| {
            let confidence = i.confidence.map_or(String::new(), |c| format!(" {c}%"));
            Value::String(format!(
                "{} {} {} {}{confidence}",
                i.kind.name(),
                i.value,
                i.threat_type,
                i.first_seen
            ))
        })
        .collect();
    let hunts = det
        .hunts
        .iter()
        .map(|h| {
            table(vec![
                ("id", Value::String(h.id.clone())),
                ("reads", strings(h.reads.iter().map(|k| k.name()))),
                ("when", Value::String(cond(&h.when))),
                ("exclusions", {
                    let mut ids: Vec<&str> = h
                        .exclusions
                        .iter()
                        .map(|&x| det.exclusions[x].id.as_str())
                        .collect();
                    ids.sort_unstable();
                    strings(ids.into_iter())
                }),
            ])
        })
        .collect();
    let exclusions = det
        .exclusions
        .iter()
        .map(|x| {
            table(vec![
                ("id", Value::String(x.id.clone())),
                ("applies_to", strings(x.applies_to.iter().map(|k| k.name()))),
                ("when", Value::String(cond(&x.when))),
            ])
        })
        .collect();
    let unexpressed = det
        .unexpressed
        .iter()
        .map(|u| {
            table(vec![
                ("id", Value::String(u.id.get_ref().clone())),
                ("why", Value::String(u.why.name().to_owned())),
                (
                    "field",
                    Value::String(u.field.map_or("", field_name).to_owned()),
                ),
                (
                    "hunts",
                    strings(u.hunts.iter().map(|h| h.get_ref().as_str())),
                ),
            ])
        })
        .collect();
    table(vec![
        ("iocs", Value::Array(iocs)),
        ("hunts", Value::Array(hunts)),
        ("exclusions", Value::Array(exclusions)),
        ("unexpressed", Value::Array(unexpressed)),
    ])
}

fn check(name: &str, expected: &str) {
    let (_, text) = PAGES.iter().find(|(n, _)| *n == name).expect("a page");
    let page = read_page(text).expect("reads");
    let ranges = Ranges::new(Ranges::builtin_lists());
    let want: toml::Table = toml::from_str(expected).expect("the expected file");
    for (reading, content) in [
        ("literal", literal(&page, name)),
        ("hardened", hardened(&page, name, &ranges)),
    ] {
        let det = load(&content, name, Engine::Fast).expect("loads");
        let got = described(&det);
        let want = &want[reading];
        for part in ["iocs", "hunts", "exclusions", "unexpressed"] {
            let (g, w) = (
                &got[part],
                want.get(part).cloned().unwrap_or(Value::Array(vec![])),
            );
            assert_eq!(
                g,
                &w,
                "{name} ({reading}) {part}:\ngot:\n{}\nwant:\n{}",
                toml::to_string_pretty(&table(vec![("x", g.clone())])).unwrap_or_default(),
                toml::to_string_pretty(&table(vec![("x", w.clone())])).unwrap_or_default()
            );
        }
    }
}

#[test]
fn the_urlhaus_sample_imports_as_its_page_says() {
    check(
        "sample-urlhaus",
        include_str!("fixtures/imported/expected/sample-urlhaus.toml"),
    );
}

#[test]
fn the_mixed_nanocore_sample_imports_as_its_page_says() {
    check(
        "sample-nanocore-mixed",
        include_str!("fixtures/imported/expected/sample-nanocore-mixed.toml"),
    );
}
