//! Gates files read, checked and compared, on the renderers' sample report.

use super::*;
use crate::render::test_report::sample;

const GOOD: &str = r#"
[overall]
min_precision = 0.5
min_recall = 0.8

[hunts.dns]
min_recall = 0.5

[exclusions]
max_malicious_hidden = 0

[exclusions.excl-updater]
max_malicious_hidden = 1

[benign]
max_false_positives = 0

[benign.nanocore-beacon]
max_false_positives = 0
"#;

fn problems(src: &str) -> Vec<(Option<usize>, String)> {
    Gates::parse(src).unwrap_err().problems
}

#[test]
fn a_gates_file_reads_with_defaults_and_ids() {
    let g = Gates::parse(GOOD).unwrap();
    assert_eq!(g.overall.min_recall, Some(0.8));
    assert_eq!(g.hunts[0].id, "dns");
    assert_eq!(g.hunts[0].line, 6);
    assert_eq!(g.exclusions_all, Some(0));
    assert_eq!(g.exclusions[0].limit, 1);
    assert_eq!(g.benign_all, Some(0));
    assert_eq!(g.benign[0].id, "nanocore-beacon");
    assert_eq!(Gates::parse("").unwrap(), Gates::default());
}

#[test]
fn unknown_keys_and_bad_limits_are_errors_with_their_lines() {
    let cases: &[(&str, usize, &str)] = &[
        ("[overal]\nmin_recall = 1\n", 1, "unknown field `overal`"),
        ("[overall]\nmin_recal = 1\n", 2, "unknown field `min_recal`"),
        (
            "[hunts.dns]\nmax_recall = 1\n",
            2,
            "unknown field `max_recall`",
        ),
        (
            "[exclusions]\nmax_hidden = 1\n",
            2,
            "unknown key `max_hidden` in [exclusions]",
        ),
        (
            "[exclusions.x]\nmax_malicious_hidden = 1\nmin = 2\n",
            1,
            "unknown key `min` in [exclusions.x]",
        ),
        (
            "[benign.x]\n",
            1,
            "[benign.x] sets no `max_false_positives`",
        ),
        (
            "[benign]\nmax_false_positives = -1\n",
            2,
            "a whole number, 0 or more",
        ),
        (
            "[benign]\nmax_false_positives = 0.5\n",
            2,
            "a whole number, 0 or more",
        ),
        ("\n[hunts.dns]\nmin_precision = 1.5\n", 2, "a ratio, 0 to 1"),
    ];
    for (src, line, message) in cases {
        let p = problems(src);
        assert_eq!(p[0].0, Some(*line), "{src}: {p:?}");
        assert!(p[0].1.contains(message), "{src}: {p:?}");
    }
}

#[test]
fn ids_the_report_lacks_are_errors_with_their_lines() {
    let g = Gates::parse("[hunts.nope]\nmin_recall = 1\n\n[exclusions.gone]\nmax_malicious_hidden = 0\n[benign.missing]\nmax_false_positives = 0\n").unwrap();
    let e = g.check_ids(&sample()).unwrap_err();
    let lines: Vec<_> = e.problems.iter().map(|p| p.0).collect();
    assert_eq!(lines, [Some(1), Some(4), Some(6)]);
    assert!(
        e.to_string()
            .starts_with("line 1: unknown hunt `nope` (known: dns)"),
        "{e}"
    );
    assert!(Gates::parse(GOOD).unwrap().check_ids(&sample()).is_ok());
}

#[test]
fn gates_pass_and_fail_with_a_message_naming_the_figure() {
    let r = sample();
    let results = check(&r, &Gates::parse(GOOD).unwrap());
    let failed: Vec<&str> = results
        .iter()
        .filter(|g| !g.passed)
        .map(|g| g.figure.gate.as_str())
        .collect();
    // Overall recall 9/12 = 0.75 < 0.8; the beacon has one false positive.
    assert_eq!(
        failed,
        [
            "overall.min_recall",
            "benign.nanocore-beacon.max_false_positives"
        ]
    );
    let recall = results
        .iter()
        .find(|g| g.figure.gate == "overall.min_recall")
        .unwrap();
    assert_eq!(recall.message, "overall recall 0.750, at least 0.800");
    let hidden = results
        .iter()
        .find(|g| g.figure.gate == "exclusions.excl-updater.max_malicious_hidden")
        .unwrap();
    assert!(
        hidden.passed,
        "the per-id limit (1) overrides the default (0)"
    );
    assert_eq!(
        hidden.message,
        "exclusion excl-updater malicious rows hidden 1, at most 1"
    );
}

#[test]
fn an_undefined_figure_passes_no_gate() {
    let mut r = sample();
    r.overall.event = crate::metrics::Confusion::default();
    let g = Gates::parse("[overall]\nmin_precision = 0\n").unwrap();
    let results = check(&r, &g);
    assert!(!results[0].passed);
    assert!(
        results[0].message.contains("undefined"),
        "{}",
        results[0].message
    );
}

#[test]
fn regressions_are_the_figures_that_got_worse() {
    let a = sample();
    let mut b = a.clone();
    b.exclusions[0].malicious_hidden = 5;
    b.overall.event.fn_ = 0;
    let all = regressions(&a, &b, None);
    let failed: Vec<(&str, &str)> = all
        .iter()
        .filter(|c| !c.passed)
        .map(|c| (c.name.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        failed,
        [(
            "exclusions.excl-updater.max_malicious_hidden",
            "exclusion excl-updater malicious rows hidden 1 → 5"
        )]
    );
    let recall = all.iter().find(|c| c.name == "overall.min_recall").unwrap();
    assert!(recall.passed, "better is not a regression");
    assert_eq!(recall.message, "overall recall 0.750 → 1.000");
    // With a gates file, only the figures it sets a limit on.
    let g = Gates::parse("[overall]\nmin_recall = 0.1\n").unwrap();
    let gated = regressions(&a, &b, Some(&g));
    assert_eq!(gated.len(), 1);
    assert!(gated[0].passed);
    assert!(regressions(&a, &a, None).iter().all(|c| c.passed));
}
