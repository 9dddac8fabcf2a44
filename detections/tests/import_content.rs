//! Every page imported as content: both readings load, their examples behave
//! as they say, every hunt has an alerting and a silent example and every
//! compiled exclusion a suppressed one, and importing again gives the same
//! bytes.

use detections::import::{hardened, literal, read_page};
use detections::ranges::Ranges;
use detections::{load, Engine};

#[path = "support/pages.rs"]
mod pages;
use pages::PAGES;

fn both(name: &str, text: &str) -> [String; 2] {
    let page = read_page(text).expect("reads");
    let ranges = Ranges::new(Ranges::builtin_lists());
    [literal(&page, name), hardened(&page, name, &ranges)]
}

/// The `expect` values of the examples under each `[[hunts]]` or
/// `[[exclusions]]` table, by id.
fn expects(text: &str, table: &str) -> Vec<(String, Vec<String>)> {
    let value: toml::Table = toml::from_str(text).expect("toml");
    value
        .get(table)
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|t| {
                    let id = t["id"].as_str().unwrap_or("").to_owned();
                    let ex = t
                        .get("examples")
                        .and_then(|e| e.as_array())
                        .map(|e| {
                            e.iter()
                                .map(|x| x["expect"].as_str().unwrap_or("").to_owned())
                                .collect()
                        })
                        .unwrap_or_default();
                    (id, ex)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn both_readings_load_and_their_examples_hold() {
    for (name, text) in PAGES {
        for content in both(name, text) {
            let det = load(&content, name, Engine::Fast)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{content}"));
            let failures = det.check_examples();
            assert!(failures.is_empty(), "{name}: {failures:#?}\n{content}");
            for (id, ex) in expects(&content, "hunts") {
                assert!(
                    ex.iter().any(|e| e == "fires"),
                    "{name}: hunt {id} has no alerting example"
                );
                assert!(
                    ex.iter().any(|e| e == "silent"),
                    "{name}: hunt {id} has no silent example"
                );
            }
            for (id, ex) in expects(&content, "exclusions") {
                assert!(
                    ex.iter().any(|e| e == "suppressed"),
                    "{name}: exclusion {id} has no suppressed example"
                );
            }
        }
    }
}

#[test]
fn the_literal_reading_keeps_every_indicator_block_and_entry() {
    for (name, text) in PAGES {
        let page = read_page(text).expect("reads");
        let content = literal(&page, name);
        let det = load(&content, name, Engine::Fast).expect("loads");
        assert_eq!(det.iocs.len(), page.iocs.len(), "{name}");
        assert_eq!(det.hunts.len(), page.blocks.len(), "{name}");
        for (hunt, block) in det.hunts.iter().zip(&page.blocks) {
            assert_eq!(hunt.kql.as_deref(), Some(block.query.as_str()), "{name}");
            assert_eq!(hunt.origin.name(), "seed");
        }
        assert_eq!(
            det.exclusions.len() + det.unexpressed.len(),
            page.false_positives.len(),
            "{name}"
        );
    }
}

#[test]
fn unexpressed_entries_keep_their_text_and_field() {
    let (name, text) = PAGES[0];
    let [content, _] = both(name, text);
    let det = load(&content, name, Engine::Fast).expect("loads");
    assert!(det.exclusions.is_empty());
    let u = &det.unexpressed[0];
    assert_eq!(
        u.seed_text,
        "Exclude connections initiated by the update agent's process name."
    );
    assert_eq!(u.field, Some(detections::Field::ImageName));
    assert_eq!(u.why.name(), "no_value");
    let (name, text) = PAGES[2];
    let [content, _] = both(name, text);
    let det = load(&content, name, Engine::Fast).expect("loads");
    assert_eq!(det.exclusions.len(), 1);
    assert_eq!(det.unexpressed[0].why.name(), "always_true");
}

#[test]
fn importing_again_gives_the_same_bytes() {
    for (name, text) in PAGES {
        assert_eq!(both(name, text), both(name, text), "{name}");
    }
}

/// Two samples' imports, both readings, against the expected files
/// (`fixtures/imported/`, reviewed line by line when they change).
#[test]
fn two_samples_import_as_the_expected_files() {
    let expected = [
        (
            "sample-urlhaus",
            include_str!("fixtures/imported/sample-urlhaus.toml"),
            include_str!("fixtures/imported/sample-urlhaus.hardened.toml"),
        ),
        (
            "sample-nanocore-mixed",
            include_str!("fixtures/imported/sample-nanocore-mixed.toml"),
            include_str!("fixtures/imported/sample-nanocore-mixed.hardened.toml"),
        ),
    ];
    for (name, literal_want, hardened_want) in expected {
        let (_, text) = PAGES.iter().find(|(n, _)| *n == name).expect("a page");
        let [literal_got, hardened_got] = both(name, text);
        assert_eq!(literal_got, literal_want, "{name}.toml");
        assert_eq!(hardened_got, hardened_want, "{name}.hardened.toml");
    }
}

#[test]
fn a_url_prefix_exclusion_compiles_and_suppresses_its_own_example() {
    let (_, text) = PAGES[4];
    let text = text.replace(
        "Exclude the lab's subnet 10.66.0.0/16 in SourceIP.",
        "Exclude requests whose URL starts with http://203.0.113.9:47001/lab/.",
    );
    let [content, _] = both("sample-urlhaus", &text);
    let det = load(&content, "sample-urlhaus", Engine::Fast).expect("loads");
    assert!(det.check_examples().is_empty());
    assert_eq!(det.exclusions.len(), 1);
    assert!(content.contains(r#"when = { field = "url", op = "startswith", values = ["http://203.0.113.9:47001/lab/"] }"#), "{content}");
}

#[test]
fn a_signer_exclusion_compiles_on_the_signer_and_says_a_row_alone_names_none() {
    let (_, text) = PAGES[4];
    let text = text.replace(
        "Exclude the lab's subnet 10.66.0.0/16 in SourceIP.",
        "Exclude processes signed by Contoso Lab Tools Ltd.",
    );
    let [content, _] = both("sample-urlhaus", &text);
    let det = load(&content, "sample-urlhaus", Engine::Fast).expect("loads");
    assert!(
        det.check_examples().is_empty(),
        "{:?}",
        det.check_examples()
    );
    assert_eq!(det.exclusions.len(), 1);
    assert!(
        content.contains(
            r#"when = { field = "signer", op = "in~", values = ["Contoso Lab Tools Ltd"] }"#
        ),
        "{content}"
    );
    assert!(content.contains(r#"expect = "did_not_apply""#), "{content}");
}

/// Linting the literal content finds what linting its page finds: a user
/// who lints the file they deploy is told the same.
#[test]
fn an_imported_literal_content_lints_as_its_page() {
    use detections::import::{lint_detection, lint_page};
    let ranges = Ranges::new(Ranges::builtin_lists());
    for (name, text) in PAGES {
        let page = read_page(text).expect("reads");
        let [content, _] = both(name, text);
        let det = load(&content, name, Engine::Fast).expect("loads");
        let sorted = |found: Vec<detections::import::Finding>| {
            let mut v: Vec<String> = found.iter().map(ToString::to_string).collect();
            v.sort();
            v
        };
        let want = sorted(lint_page(&page, &ranges));
        assert!(!want.is_empty(), "{name}");
        assert_eq!(sorted(lint_detection(&det, &ranges)), want, "{name}");
    }
}
