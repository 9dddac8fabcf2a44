//! JUnit XML, so that CI systems show each scenario and each gate as a test.
//!
//! Written with `quick-xml`'s writer: element and attribute text goes through
//! its escaping, so markup in an id or a message (`<`, `&`, `"`, `]]>`) stays
//! text by construction. Characters XML 1.0 cannot carry at all (control
//! characters) are made visible first (`\u{1b}`), as on a terminal; in attributes,
//! line breaks and tabs are too, since XML readers fold them into spaces there.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::gates::Check;
use crate::report::Report;

/// One test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// What it is: the scenario or gate id.
    pub name: String,
    /// Why it failed (`None` when it passed).
    pub failure: Option<String>,
    /// Why it is reported as skipped: a known gap the content declares, shown as
    /// skipped (not passed) so that CI never paints an accepted miss green.
    pub skipped: Option<String>,
    /// What it measured, for the reader (`<system-out>`).
    pub output: String,
}

/// A suite of cases: `huntlab.scenarios`, `huntlab.gates`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suite {
    /// Its name, also each case's class name.
    pub name: String,
    /// Its cases.
    pub cases: Vec<Case>,
}

/// The suites of a report: one case per scenario (failed when its status fails
/// the run: `failed`, or a `gap_closed` whose declaration must go; a declared
/// known gap is skipped with its reason: it does not fail the run, and it does
/// not show as passed), and one per check in each named list (gates, regressions).
pub fn suites(report: &Report, checks: &[(&str, &[Check])]) -> Vec<Suite> {
    let scenarios = report
        .scenarios
        .iter()
        .map(|s| Case {
            name: s.id.clone(),
            failure: s.status.fails_run().then(|| match s.status {
                crate::report::Status::GapClosed => format!(
                    "known gap closed: the expectation now holds; remove the known gap for {}",
                    s.id
                ),
                _ => s.expectation_detail.clone(),
            }),
            skipped: (s.status == crate::report::Status::KnownGap).then(|| {
                format!(
                    "known gap: {}; {}",
                    s.known_gap.as_deref().unwrap_or("declared by the content"),
                    s.expectation_detail
                )
            }),
            output: format!(
                "{} scenario; expected {}{}; {}\nTP {} FP {} FN {} TN {}",
                s.kind,
                s.expected_outcome,
                s.expected_exclusion
                    .as_ref()
                    .map_or_else(String::new, |x| format!(" ({x})")),
                s.expectation_detail,
                s.event.tp,
                s.event.fp,
                s.event.fn_,
                s.event.tn
            ),
        })
        .collect();
    let mut out = vec![Suite {
        name: "huntlab.scenarios".into(),
        cases: scenarios,
    }];
    for (name, list) in checks {
        if list.is_empty() {
            continue;
        }
        out.push(Suite {
            name: format!("huntlab.{name}"),
            cases: list
                .iter()
                .map(|c| Case {
                    name: c.name.clone(),
                    failure: (!c.passed).then(|| c.message.clone()),
                    skipped: None,
                    output: c.message.clone(),
                })
                .collect(),
        });
    }
    out
}

/// `s` with every character XML 1.0 cannot carry made visible (`\u{1b}`); in an
/// attribute (`attr`), line breaks and tabs too.
pub fn visible(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let kept = match c {
            '\n' | '\t' => !attr,
            '\u{fffe}' | '\u{ffff}' => false,
            c => !c.is_control(),
        };
        if kept {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    out
}

fn count(n: usize) -> String {
    n.to_string()
}

/// The suites as a JUnit XML document (`testsuites` / `testsuite` / `testcase`,
/// with `failure` and `system-out`).
pub fn render(title: &str, suites: &[Suite]) -> String {
    let a = |s: &str| visible(s, true);
    let total: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failed = |cases: &[Case]| cases.iter().filter(|c| c.failure.is_some()).count();
    let all_failed: usize = suites.iter().map(|s| failed(&s.cases)).sum();
    let skipped = |cases: &[Case]| cases.iter().filter(|c| c.skipped.is_some()).count();
    let all_skipped: usize = suites.iter().map(|s| skipped(&s.cases)).sum();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let io = |r: std::io::Result<_>| {
        // Writing into a Vec cannot fail.
        r.expect("writing XML into memory");
    };
    io(
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map(|_| ()),
    );
    io(w.create_element("testsuites")
        .with_attribute(("name", a(title).as_str()))
        .with_attribute(("tests", count(total).as_str()))
        .with_attribute(("failures", count(all_failed).as_str()))
        .with_attribute(("errors", "0"))
        .with_attribute(("skipped", count(all_skipped).as_str()))
        .write_inner_content(|w| {
            for s in suites {
                w.create_element("testsuite")
                    .with_attribute(("name", a(&s.name).as_str()))
                    .with_attribute(("tests", count(s.cases.len()).as_str()))
                    .with_attribute(("failures", count(failed(&s.cases)).as_str()))
                    .with_attribute(("errors", "0"))
                    .with_attribute(("skipped", count(skipped(&s.cases)).as_str()))
                    .write_inner_content(|w| {
                        for c in &s.cases {
                            case(w, &s.name, c)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })
        .map(|_| ()));
    let mut xml = String::from_utf8(w.into_inner()).expect("the writer writes UTF-8");
    xml.push('\n');
    xml
}

fn case(w: &mut Writer<Vec<u8>>, class: &str, c: &Case) -> std::io::Result<()> {
    let a = |s: &str| visible(s, true);
    w.create_element("testcase")
        .with_attribute(("classname", a(class).as_str()))
        .with_attribute(("name", a(&c.name).as_str()))
        .write_inner_content(|w| {
            if let Some(f) = &c.failure {
                w.create_element("failure")
                    .with_attribute(("message", a(f).as_str()))
                    .write_text_content(BytesText::new(&visible(f, false)))?;
            }
            if let Some(why) = &c.skipped {
                w.create_element("skipped")
                    .with_attribute(("message", a(why).as_str()))
                    .write_empty()?;
            }
            w.create_element("system-out")
                .write_text_content(BytesText::new(&visible(&c.output, false)))?;
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// Every attribute value and every text of a document, read back with
    /// quick-xml's reader (end names checked), in document order.
    fn read_back(xml: &str) -> (Vec<(String, String)>, Vec<String>) {
        let mut r = Reader::from_str(xml);
        r.config_mut().check_end_names = true;
        let (mut attrs, mut texts) = (Vec::new(), Vec::new());
        let mut text = String::new();
        loop {
            match r.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    // Indentation before a child element is not its parent's text.
                    text.clear();
                    for a in e.attributes() {
                        let a = a.expect("attribute");
                        let k = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        let v = a.decode_and_unescape_value(r.decoder()).unwrap();
                        attrs.push((k, v.into_owned()));
                    }
                }
                Event::Text(t) => text.push_str(&t.decode().unwrap()),
                Event::GeneralRef(g) => match g.resolve_char_ref().unwrap() {
                    Some(c) => text.push(c),
                    None => {
                        let name = g.decode().unwrap();
                        text.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap());
                    }
                },
                Event::End(_) => {
                    if !text.trim().is_empty() {
                        texts.push(std::mem::take(&mut text));
                    }
                    text.clear();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        (attrs, texts)
    }

    const HOSTILE: [&str; 6] = [
        "<script>alert(1)</script>",
        "a & b &amp; c",
        "\"quoted\" and 'single'",
        "]]> <![CDATA[ x ]]>",
        "<!-- not a comment -->",
        "ünïcødé → 𝔘",
    ];

    fn suite_of(names: &[&str]) -> Vec<Suite> {
        vec![Suite {
            name: "huntlab.scenarios".into(),
            cases: names
                .iter()
                .map(|n| Case {
                    name: (*n).to_owned(),
                    failure: Some(format!("why: {n}")),
                    skipped: None,
                    output: format!("out: {n}"),
                })
                .collect(),
        }]
    }

    #[test]
    fn markup_in_ids_and_messages_reads_back_as_the_same_strings() {
        let xml = render("huntlab <&>", &suite_of(&HOSTILE));
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        let (attrs, texts) = read_back(&xml);
        let names: Vec<&str> = attrs
            .iter()
            .filter(|(k, _)| k == "name")
            .map(|(_, v)| v.as_str())
            .skip(2)
            .collect();
        assert_eq!(names, HOSTILE);
        assert_eq!(attrs[0], ("name".into(), "huntlab <&>".into()));
        for h in HOSTILE {
            let why = format!("why: {h}");
            assert!(attrs.contains(&("message".into(), why.clone())), "{h}");
            assert!(texts.contains(&why), "{h}: {texts:?}");
            assert!(texts.contains(&format!("out: {h}")), "{h}");
        }
    }

    #[test]
    fn control_characters_become_visible_and_the_file_stays_xml() {
        let nasty = "esc\u{1b}[31m nul\u{0} bell\u{7} cr\r del\u{7f} nel\u{85} \u{fffe}";
        let multi = "line one\nline\ttwo";
        let xml = render("t", &suite_of(&[nasty, multi]));
        let allowed = |c: char| !c.is_control() || c == '\n' || c == '\t';
        assert!(xml.chars().all(allowed), "{xml:?}");
        let (attrs, texts) = read_back(&xml);
        let seen = "esc\\u{1b}[31m nul\\u{0} bell\\u{7} cr\\u{d} del\\u{7f} nel\\u{85} \\u{fffe}";
        assert!(attrs.contains(&("name".into(), seen.into())), "{attrs:?}");
        assert_eq!(visible(nasty, false), seen);
        // Line breaks and tabs survive in text, and are visible in attributes.
        assert!(texts.contains(&format!("why: {multi}")), "{texts:?}");
        assert!(attrs.contains(&("name".into(), "line one\\u{a}line\\u{9}two".into())));
    }

    #[test]
    fn counts_add_up_and_passing_cases_have_no_failure() {
        let mut suites = suite_of(&["a", "b"]);
        suites[0].cases[1].failure = None;
        let xml = render("t", &suites);
        assert!(xml.contains(
            "<testsuites name=\"t\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
        ));
        assert_eq!(xml.matches("<failure ").count(), 1);
        assert_eq!(xml.matches("<testcase ").count(), 2);
    }

    #[test]
    fn a_known_gap_is_skipped_with_its_reason_not_passed() {
        let mut suites = suite_of(&["gap", "ok"]);
        suites[0].cases[0].failure = None;
        suites[0].cases[0].skipped = Some("known gap: <hidden> by backup-job".into());
        suites[0].cases[1].failure = None;
        let xml = render("t", &suites);
        assert!(
            xml.contains("failures=\"0\" errors=\"0\" skipped=\"1\""),
            "{xml}"
        );
        let (attrs, _) = read_back(&xml);
        assert!(attrs.contains(&("message".into(), "known gap: <hidden> by backup-job".into())));
        assert_eq!(xml.matches("<skipped ").count(), 1);
    }
}
