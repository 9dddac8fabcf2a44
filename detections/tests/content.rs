//! Every built-in content loads, and every example it carries behaves as it says,
//! with both matcher engines; `hardened` keeps the seed's IOCs and hunts.

use detections::content::{
    builtin_named, builtins, load, load_with_iocs, Engine, HARDENED_TOML, NANOCORE_TOML,
};
use detections::ioc::IocKind;

mod support;

#[test]
fn every_builtin_content_passes_its_examples_with_every_engine() {
    assert_eq!(
        builtins()
            .iter()
            .map(|b| b.name)
            .take(2)
            .collect::<Vec<_>>(),
        ["seed", "hardened"],
        "seed is the default, listed first"
    );
    for b in builtins() {
        for engine in [Engine::Fast, Engine::Reference] {
            let d = load(b.text, b.file, engine).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert!(
                d.example_count() >= 35,
                "{}: only {} examples",
                b.name,
                d.example_count()
            );
            let failures = d.check_examples();
            assert!(
                failures.is_empty(),
                "{} ({engine:?}): {} example(s) failed:\n{}",
                b.name,
                failures.len(),
                failures
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}

#[test]
fn builtin_names_resolve_and_unknown_ones_do_not() {
    for b in builtins() {
        assert!(builtin_named(b.name, Engine::Fast).is_some(), "{}", b.name);
    }
    assert!(builtin_named("nanocore.toml", Engine::Fast).is_none());
    assert!(builtin_named("", Engine::Fast).is_none());
}

/// A content file's top-level array `key`, as TOML values.
fn array(src: &str, key: &str) -> Vec<toml::Value> {
    let t: toml::Table = toml::from_str(src).expect("parses");
    t.get(key)
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
}

#[test]
fn hardened_keeps_the_seed_iocs_hunts_and_exclusion_ids() {
    assert_eq!(array(HARDENED_TOML, "iocs"), array(NANOCORE_TOML, "iocs"));
    let hunts = |src| {
        array(src, "hunts")
            .into_iter()
            .map(|mut h| {
                // What a hunt matches is the same; which exclusions guard it is
                // what hardening changes.
                h.as_table_mut().expect("a table").remove("exclusions");
                h
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(hunts(HARDENED_TOML), hunts(NANOCORE_TOML));
    let ids = |src| {
        array(src, "exclusions")
            .into_iter()
            .map(|x| {
                (
                    x["id"].clone(),
                    x["seed_text"].clone(),
                    x["scenario"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(HARDENED_TOML), ids(NANOCORE_TOML));
}

#[test]
fn builtin_content_has_the_seed_iocs_hunts_and_exclusions() {
    let d = detections::builtin(Engine::Fast);
    assert_eq!(d.domains(), ["estaliax.io", "duraktantuni.site"]);
    let ioc = &d.iocs[0];
    assert_eq!(ioc.threat_type, "botnet_cc");
    assert_eq!(ioc.first_seen, "2026-05-21");
    assert_eq!(ioc.confidence, Some(75));
    assert_eq!(ioc.malware_family, "Nanocore RAT");
    let hunts: Vec<_> = d.hunts.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        hunts,
        [
            "nanocore-c2-dns",
            "nanocore-artifact",
            "nanocore-c2-name-network"
        ]
    );
    let ex: Vec<_> = d.exclusions.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(
        ex,
        [
            "backup-job",
            "network-diagnostics",
            "software-update",
            "log-cleanup",
            "name-collision"
        ]
    );
    assert!(d.notes.is_empty());
}

#[test]
fn a_broken_example_fails_with_its_name() {
    let src = NANOCORE_TOML.replace(
        "name = \"look-alike with a letter before the IOC\"\nexpect = \"silent\"",
        "name = \"look-alike with a letter before the IOC\"\nexpect = \"fires\"",
    );
    let d = load(&src, "broken.toml", Engine::Fast).unwrap();
    let failures = d.check_examples();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].name, "look-alike with a letter before the IOC");
    assert_eq!(failures[0].owner, "hunt nanocore-c2-dns");
    assert_eq!(
        failures[0].message,
        "expected fires, got silent: hunt condition false at {field = \"query_name\", op = \"has_any\"} (the row's \"xestaliax.io\")"
    );
}

#[test]
fn a_failed_exclusion_example_names_both_outcomes_as_the_file_spells_them() {
    let src = NANOCORE_TOML.replacen(
        "name = \"another folder, another parent\"\nexpect = \"did_not_apply\"",
        "name = \"another folder, another parent\"\nexpect = \"suppressed\"",
        1,
    );
    assert_ne!(src, NANOCORE_TOML);
    let d = load(&src, "broken.toml", Engine::Fast).unwrap();
    let failures = d.check_examples();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].owner, "exclusion backup-job");
    assert_eq!(failures[0].name, "another folder, another parent");
    let why = "exclusion condition false at {field = \"image\", op = \"contains\"} (the row's 'C:\\Users\\a\\AppData\\Roaming\\nanocore.exe') and at {field = \"parent_image_name\", op = \"=~\"} (the row's \"explorer.exe\")";
    assert_eq!(
        failures[0].message,
        format!("expected suppressed, got did_not_apply: {why}")
    );
    assert_eq!(
        failures[0].to_string(),
        format!("exclusion backup-job: example \"another folder, another parent\": expected suppressed, got did_not_apply: {why}")
    );
}

/// The deployed reading: `detections/content/deployed.toml`, the built-in `deployed`.
const DEPLOYED_TOML: &str = detections::content::DEPLOYED_TOML;

#[test]
fn deployed_content_examples_pass_and_differ_only_in_backup_jobs_reading() {
    let seed = detections::builtin(Engine::Fast);
    for engine in [Engine::Fast, Engine::Reference] {
        let d = load(DEPLOYED_TOML, "deployed.toml", engine).unwrap_or_else(|e| panic!("{e}"));
        let failures = d.check_examples();
        assert!(
            failures.is_empty(),
            "{engine:?}: {}",
            failures
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(d.id, "nanocore-rat-deployed");
        assert_eq!(d.domains(), seed.domains());
        let ids = |d: &detections::Detection| {
            (
                d.hunts.iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
                d.exclusions
                    .iter()
                    .map(|x| x.id.clone())
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(ids(&d), ids(&seed));
    }
    // Outside backup-job's block, the file is the seed's, line for line.
    let strip = |src: &str| -> String {
        let from = src.find("id = \"backup-job\"").expect("backup-job");
        let to = src
            .find("id = \"network-diagnostics\"")
            .expect("network-diagnostics");
        let body = src.find("[[iocs]]").expect("iocs");
        format!("{}{}", &src[body..from], &src[to..])
    };
    assert_eq!(strip(DEPLOYED_TOML), strip(NANOCORE_TOML));
}

/// Indicators given in place of the content's own are taken in order, each
/// value once: a repeat is left out, whether the list repeats a value or not.
#[test]
fn given_indicators_are_taken_in_order_each_once() {
    let seed = load(NANOCORE_TOML, "nanocore.toml", Engine::Fast).expect("loads");
    let ioc = |v: &str| {
        let mut i = seed.iocs[0].clone();
        i.value = v.to_owned();
        i
    };
    for (given, taken) in [
        (vec!["b.io", "a.io", "c.io"], vec!["b.io", "a.io", "c.io"]),
        (
            vec!["b.io", "a.io", "b.io", "c.io"],
            vec!["b.io", "a.io", "c.io"],
        ),
    ] {
        let iocs = given.iter().map(|v| ioc(v)).collect();
        let det = load_with_iocs(NANOCORE_TOML, "nanocore.toml", Engine::Fast, iocs)
            .expect("loads with the indicators");
        assert_eq!(det.domains(), taken, "{given:?}");
        let values = det.hunts[0].when.predicates()[0].values;
        assert_eq!(values, taken, "the hunt reads the same list");
    }
}

/// With indicators given, the content's own are still checked as written (one
/// compile): a bad own indicator is a load error naming its line and field.
#[test]
fn given_indicators_do_not_hide_a_bad_own_indicator() {
    let seed = load(NANOCORE_TOML, "nanocore.toml", Engine::Fast).expect("loads");
    let bad = NANOCORE_TOML.replacen(
        &format!("value = \"{}\"", seed.iocs[0].value),
        "value = \"not a domain\"",
        1,
    );
    assert_ne!(
        bad, NANOCORE_TOML,
        "the first indicator's value was replaced"
    );
    let e = load_with_iocs(&bad, "bad.toml", Engine::Fast, seed.iocs.clone())
        .expect_err("a bad own indicator is refused");
    assert!(e.problems.iter().any(|p| p.path == "iocs[0].value"), "{e}");
}

/// A content written as a template, with no indicators of its own, hunts the
/// given ones: its `values_from` lists read them.
#[test]
fn a_content_without_indicators_hunts_the_given_ones() {
    let seed = load(NANOCORE_TOML, "nanocore.toml", Engine::Fast).expect("loads");
    let template = NANOCORE_TOML
        .split("[[iocs]]")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                // Drop the indicator's table up to the next table header.
                part.find("\n[")
                    .map_or_else(String::new, |at| part[at..].to_owned())
            }
        })
        .collect::<String>();
    assert!(!template.contains("[[iocs]]"), "no indicator left");
    let det = load_with_iocs(&template, "template.toml", Engine::Fast, seed.iocs.clone())
        .expect("a template loads with the given indicators");
    assert_eq!(det.domains(), seed.domains());
}

/// Given indicators replace the content's own of their kinds only: a kind the
/// given ones hold none of keeps the content's own, and each `values_from`
/// list reads the indicators of its kind.
#[test]
fn given_indicators_replace_the_content_s_own_of_their_kinds_only() {
    let seed = load(NANOCORE_TOML, "nanocore.toml", Engine::Fast).expect("loads");
    let ioc = |kind: IocKind, v: &str| {
        let mut i = seed.iocs[0].clone();
        i.kind = kind;
        i.value = v.to_owned();
        i
    };
    // Addresses and ports only: the seed's domains stay, and its hunts,
    // which read `iocs.domain`, hunt them.
    let given = vec![
        ioc(IocKind::IpPort, "198.51.100.7:8080"),
        ioc(IocKind::IpPort, "198.51.100.8:443"),
    ];
    let det = load_with_iocs(NANOCORE_TOML, "nanocore.toml", Engine::Fast, given)
        .expect("loads with the indicators");
    assert_eq!(det.domains(), seed.domains());
    assert_eq!(
        det.values(IocKind::IpPort),
        ["198.51.100.7:8080", "198.51.100.8:443"]
    );
    assert_eq!(det.hunted_kinds, [IocKind::Domain]);
    // Domains and hashes: the domains replace the seed's.
    let given = vec![
        ioc(IocKind::Md5, &"a".repeat(32)),
        ioc(IocKind::Domain, "c2.example.org"),
    ];
    let det = load_with_iocs(NANOCORE_TOML, "nanocore.toml", Engine::Fast, given)
        .expect("loads with the indicators");
    assert_eq!(det.domains(), ["c2.example.org"]);
    assert_eq!(det.hunts[0].when.predicates()[0].values, ["c2.example.org"]);
    assert_eq!(det.values(IocKind::Md5).len(), 1);
    // A hunt reading the address and port list reads the given ones.
    let src = NANOCORE_TOML.replacen(support::SEED_WHEN, &support::when_over(IocKind::IpPort), 1);
    let det = load_with_iocs(
        &src,
        "x.toml",
        Engine::Fast,
        vec![ioc(IocKind::IpPort, "198.51.100.7:8080")],
    )
    .expect("loads");
    assert_eq!(
        det.hunts[0].when.predicates()[0].values,
        ["198.51.100.7:8080"]
    );
    // The seed's network hunt still reads its own domains.
    assert_eq!(det.hunted_kinds, [IocKind::Domain, IocKind::IpPort]);
}
