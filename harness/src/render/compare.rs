//! A [`Comparison`] as terminal text, JSON (`comparison.json`) and a
//! GitHub-flavoured Markdown summary to paste into a pull request.
//!
//! Text and Markdown list the rows that changed and name the ones that did not;
//! JSON has every row. Every id and label passes through the output's escaper.

use crate::compare::{count_change, ratio_change, Change, Comparison, GapChange, Verdict};
use crate::escape;
use crate::metrics::Confusion;

/// The comparison as JSON text (with a final newline).
pub fn json(c: &Comparison) -> String {
    let mut s = serde_json::to_string_pretty(c)
        // Strings, integers, finite floats and options only.
        .expect("a comparison always serialises");
    s.push('\n');
    s
}

/// One table, format-neutral: headings and rows of plain cells (ids escaped by
/// the caller's escaper), the first `text_columns` left-aligned.
struct Grid {
    title: String,
    headings: Vec<&'static str>,
    /// Columns the terminal shows only with `--wide`.
    wide_only: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    text_columns: usize,
    /// A line under the table (the rows that did not change).
    note: Option<String>,
}

impl Grid {
    /// An empty table; its first `text_columns` columns are left-aligned.
    fn new(title: &str, headings: Vec<&'static str>, text_columns: usize) -> Self {
        Grid {
            title: title.to_owned(),
            headings,
            wide_only: Vec::new(),
            rows: Vec::new(),
            text_columns,
            note: None,
        }
    }
}

fn verdict_word(v: Option<Verdict>, only: &str) -> String {
    v.map_or_else(|| format!("only in {only}"), |v| v.name().to_owned())
}

/// How cells read: `983 → 1353 (+370)` in full, `983→1353` compact (the
/// terminal); a figure that did not change reads as itself either way.
#[derive(Clone, Copy)]
struct Style {
    esc: fn(&str) -> String,
    compact: bool,
}

impl Style {
    fn count(self, a: u64, b: u64) -> String {
        match (self.compact, a == b) {
            (false, _) => count_change(a, b),
            (true, true) => b.to_string(),
            (true, false) => format!("{a}→{b}"),
        }
    }

    fn ratio(self, a: Option<f64>, b: Option<f64>) -> String {
        let f = crate::metrics::fmt_ratio;
        match (self.compact, f(a) == f(b)) {
            (false, _) => ratio_change(a, b),
            (true, true) => f(b),
            (true, false) => format!("{}→{}", f(a), f(b)),
        }
    }
}

/// The confusion cells of a change: TP, FP, FN, precision, recall, F1.
fn confusion_cells(c: &Change, st: Style) -> Vec<String> {
    let (a, b) = (
        c.baseline.unwrap_or_default(),
        c.candidate.unwrap_or_default(),
    );
    let ratios: [fn(&Confusion) -> Option<f64>; 3] =
        [Confusion::precision, Confusion::recall, Confusion::f1];
    [(a.tp, b.tp), (a.fp, b.fp), (a.fn_, b.fn_)]
        .into_iter()
        .map(|(x, y)| st.count(x, y))
        .chain(ratios.iter().map(|r| st.ratio(r(&a), r(&b))))
        .collect()
}

const CONFUSION: [&str; 6] = ["TP", "FP", "FN", "precision", "recall", "F1"];

/// The indicator kinds, both ways (with the alerts no indicator carries), and
/// the scenarios where a kind's figures changed; each only when it has rows.
fn kind_grids(c: &Comparison, st: Style) -> Vec<Grid> {
    let esc = st.esc;
    let mut kinds = Grid::new(
        "Indicator kinds",
        vec![
            "indicator kind",
            "fired",
            "TP",
            "FP",
            "malicious hidden",
            "benign suppressed",
            "precision",
            "verdict",
        ],
        1,
    );
    kinds.wide_only = vec!["benign suppressed"];
    for k in &c.indicator_kinds {
        kinds.rows.push(vec![
            esc(&k.kind),
            st.count(k.fired.baseline, k.fired.candidate),
            st.count(k.tp.baseline, k.tp.candidate),
            st.count(k.fp.baseline, k.fp.candidate),
            st.count(k.malicious_hidden.baseline, k.malicious_hidden.candidate),
            st.count(k.benign_suppressed.baseline, k.benign_suppressed.candidate),
            st.ratio(k.precision[0], k.precision[1]),
            verdict_word(k.verdict, "one content"),
        ]);
    }
    let w = &c.alerts_without_indicator;
    if w.tp.baseline + w.fp.baseline + w.tp.candidate + w.fp.candidate > 0 {
        let precision = |tp: u64, fp: u64| (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64);
        let none = "–".to_owned();
        kinds.rows.push(vec![
            "no indicator".to_owned(),
            none.clone(),
            st.count(w.tp.baseline, w.tp.candidate),
            st.count(w.fp.baseline, w.fp.candidate),
            none.clone(),
            none.clone(),
            st.ratio(
                precision(w.tp.baseline, w.fp.baseline),
                precision(w.tp.candidate, w.fp.candidate),
            ),
            none,
        ]);
    }
    let mut by_scenario = Grid::new(
        "Indicator kinds by scenario",
        vec!["scenario", "indicator kind", "TP", "FP", "malicious hidden"],
        2,
    );
    for s in &c.scenarios {
        for k in &c.indicator_kinds {
            for x in k.scenarios.iter().filter(|x| x.scenario == s.id) {
                by_scenario.rows.push(vec![
                    esc(&s.id),
                    esc(&k.kind),
                    st.count(x.tp.baseline, x.tp.candidate),
                    st.count(x.fp.baseline, x.fp.candidate),
                    st.count(x.malicious_hidden.baseline, x.malicious_hidden.candidate),
                ]);
            }
        }
    }
    by_scenario.note = by_scenario
        .rows
        .is_empty()
        .then(|| "no scenario's figures per kind changed".to_owned());
    if kinds.rows.is_empty() {
        return Vec::new();
    }
    vec![kinds, by_scenario]
}

fn grids(c: &Comparison, st: Style) -> Vec<Grid> {
    let esc = st.esc;
    let mut overall = Grid::new(
        "Overall",
        [&["level"][..], &CONFUSION, &["verdict"]].concat(),
        1,
    );
    for (name, ch) in [("event", &c.event), ("host", &c.host)] {
        let mut row = vec![name.to_owned()];
        row.extend(confusion_cells(ch, st));
        row.push(verdict_word(ch.verdict, "one"));
        overall.rows.push(row);
    }

    let mut scenarios = Grid::new(
        "Scenarios",
        [
            &["scenario", "kind"][..],
            &CONFUSION,
            &["hidden", "gap", "verdict"],
        ]
        .concat(),
        2,
    );
    scenarios.wide_only = vec!["kind", "precision", "F1"];
    let mut same = Vec::new();
    for s in &c.scenarios {
        if s.verdict == Verdict::Same && s.hidden.delta == 0 {
            same.push(esc(&s.id));
            continue;
        }
        let mut row = vec![esc(&s.id), esc(&s.kind)];
        row.extend(confusion_cells(&s.change, st));
        row.push(st.count(s.hidden.baseline, s.hidden.candidate));
        row.push(
            match s.gap {
                GapChange::Closed => "closed",
                GapChange::Opened => "OPENED",
                GapChange::Kept => "kept",
                GapChange::None => "–",
            }
            .to_owned(),
        );
        row.push(s.verdict.name().to_owned());
        scenarios.rows.push(row);
    }
    scenarios.note =
        (!same.is_empty()).then(|| format!("{} unchanged: {}", same.len(), same.join(", ")));

    let mut hunts = Grid::new(
        "Hunts",
        [&["hunt"][..], &CONFUSION, &["verdict"]].concat(),
        1,
    );
    for h in &c.hunts {
        let mut row = vec![esc(&h.id)];
        row.extend(confusion_cells(&h.change, st));
        let only = if h.change.baseline.is_some() {
            c.baseline.label.as_str()
        } else {
            c.candidate.label.as_str()
        };
        row.push(verdict_word(h.change.verdict, &esc(only)));
        hunts.rows.push(row);
    }

    let mut exclusions = Grid::new(
        "Exclusions",
        vec![
            "exclusion",
            "benign suppressed",
            "malicious hidden",
            "not evaluable",
            "precision",
            "verdict",
        ],
        1,
    );
    for x in &c.exclusions {
        exclusions.rows.push(vec![
            esc(&x.id),
            st.count(x.benign_suppressed.baseline, x.benign_suppressed.candidate),
            st.count(x.malicious_hidden.baseline, x.malicious_hidden.candidate),
            st.count(x.not_evaluable.baseline, x.not_evaluable.candidate),
            st.ratio(x.precision[0], x.precision[1]),
            verdict_word(x.verdict, "one content"),
        ]);
    }
    let mut out = vec![overall, scenarios, hunts, exclusions];
    out.extend(kind_grids(c, st));
    for (title, checks) in [("Gates", &c.gates), ("Regressions", &c.regressions)] {
        if checks.is_empty() {
            continue;
        }
        let mut g = Grid::new(title, vec!["check", "result", "figure"], 3);
        g.rows = checks
            .iter()
            .map(|k| {
                let result = if k.passed { "passed" } else { "FAILED" };
                vec![esc(&k.name), result.to_owned(), esc(&k.message)]
            })
            .collect();
        out.push(g);
    }
    out
}

fn list(ids: &[String], esc: fn(&str) -> String) -> String {
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.iter().map(|s| esc(s)).collect::<Vec<_>>().join(", ")
    }
}

/// The heading lines: what was compared, on what run, the verdict, the gaps and
/// the attack scenarios seen less (fewer malicious rows alert).
fn heading(c: &Comparison, esc: fn(&str) -> String) -> [String; 7] {
    [
        format!(
            "{} → {} (seed {}, scale {}, {} scenarios; {})",
            esc(&c.baseline.label),
            esc(&c.candidate.label),
            c.run.rng_seed,
            c.run.scale,
            c.run.scenario_count,
            crate::rule::describe(c.run.rule.as_ref())
        ),
        esc(&c.summary),
        format!("declared gaps closed: {}", list(&c.gaps_closed, esc)),
        format!("gaps opened: {}", list(&c.gaps_opened, esc)),
        format!(
            "failures fixed (not declared gaps in the baseline): {}",
            list(&c.failures_fixed, esc)
        ),
        format!("attacks seen less: {}", weakened(c, esc)),
        format!(
            "the candidate still fails: {}",
            list(&c.candidate_failing, esc)
        ),
    ]
}

/// `adversarial-task-restart (158 → 66 malicious rows alerted, 56 → 148 hidden)`.
fn weakened(c: &Comparison, esc: fn(&str) -> String) -> String {
    let each: Vec<String> = c
        .scenarios
        .iter()
        .filter(|s| c.attacks_weakened.contains(&s.id))
        .map(|s| {
            let tp = |x: Option<Confusion>| x.map_or(0, |x| x.tp);
            format!(
                "{} ({} → {} malicious rows alerted, {} → {} hidden)",
                esc(&s.id),
                tp(s.change.baseline),
                tp(s.change.candidate),
                s.hidden.baseline,
                s.hidden.candidate
            )
        })
        .collect();
    if each.is_empty() {
        "none".to_owned()
    } else {
        each.join(", ")
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// The comparison as terminal text, fitting 100 columns unless `wide`. With
/// `brief`, only the heading and the overall table (the section `report` prints
/// after its own tables).
pub fn text(c: &Comparison, brief: bool, wide: bool) -> String {
    let st = Style {
        esc: escape::terminal,
        compact: true,
    };
    let [what, summary, closed, opened, fixed, weaker, failing] = heading(c, st.esc);
    let mut out = String::new();
    for line in [
        format!("huntlab compare: {what}"),
        format!("verdict: {summary}"),
        closed,
        opened,
        fixed,
        weaker,
        failing,
    ] {
        if wide {
            out.push_str(&line);
            out.push('\n');
            continue;
        }
        // Fit 100 columns: continuation lines under a two-space indent.
        for (i, part) in super::terminal::wrap(&line, 98).iter().enumerate() {
            out.push_str(if i == 0 { "" } else { "  " });
            out.push_str(part);
            out.push('\n');
        }
    }
    let all = grids(c, st);
    let shown = if brief {
        let (a, b) = ((st.esc)(&c.baseline.label), (st.esc)(&c.candidate.label));
        out.push_str(&format!(
            "(every scenario, hunt and exclusion: huntlab compare {a} {b})\n"
        ));
        &all[..1]
    } else {
        &all[..]
    };
    for g in shown {
        let keep: Vec<usize> = (0..g.headings.len())
            .filter(|&i| wide || !g.wide_only.contains(&g.headings[i]))
            .collect();
        let widths: Vec<usize> = (0..g.headings.len())
            .map(|i| {
                g.rows
                    .iter()
                    .map(|r| width(&r[i]))
                    .chain([width(g.headings[i])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> = keep
                .iter()
                .map(|&i| {
                    let (s, pad) = (cells[i], " ".repeat(widths[i] - width(cells[i])));
                    if i < g.text_columns {
                        format!("{s}{pad}")
                    } else {
                        format!("{pad}{s}")
                    }
                })
                .collect();
            format!("{}\n", padded.join("  ").trim_end())
        };
        out.push_str(&format!("\n{}\n", g.title));
        out.push_str(&line(g.headings.clone()));
        for r in &g.rows {
            out.push_str(&line(r.iter().map(String::as_str).collect()));
        }
        if let Some(n) = &g.note {
            out.push_str(n);
            out.push('\n');
        }
    }
    out
}

/// The comparison as GitHub-flavoured Markdown, to paste into a pull request.
pub fn markdown(c: &Comparison) -> String {
    let st = Style {
        esc: escape::markdown,
        compact: false,
    };
    let [what, summary, closed, opened, fixed, weaker, failing] = heading(c, st.esc);
    let mut out = format!(
        "### huntlab compare: {what}\n\n**{}**{}\n\n- {closed}\n- {opened}\n- {fixed}\n- {weaker}\n- {failing}\n",
        c.verdict.name(),
        summary.strip_prefix(c.verdict.name()).unwrap_or(&summary),
    );
    for g in grids(c, st) {
        out.push_str(&format!("\n#### {}\n\n", g.title));
        out.push_str(&format!("| {} |\n", g.headings.join(" | ")));
        let rule: Vec<&str> = (0..g.headings.len())
            .map(|i| if i < g.text_columns { "---" } else { "---:" })
            .collect();
        out.push_str(&format!("|{}|\n", rule.join("|")));
        for r in &g.rows {
            out.push_str(&format!("| {} |\n", r.join(" | ")));
        }
        if let Some(n) = &g.note {
            out.push_str(&format!("\n{n}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;
    use crate::render::test_report::{sample, IMG_ID, SCRIPT_ID};

    /// The sample against a copy whose hostile scenario stops missing rows and
    /// that is labelled with hostile text too.
    fn changed() -> Comparison {
        let a = sample();
        let mut b = a.clone();
        let s = b.scenarios.iter_mut().find(|s| s.id == SCRIPT_ID).unwrap();
        s.event.tp = 2;
        s.event.fn_ = 0;
        s.status = crate::report::Status::Met;
        let t = s.timeline.as_mut().unwrap();
        t.hidden = vec![0; t.hidden.len()];
        compare(&a, &b, ["seed", "x|<b>`\u{1b}[31m.toml"]).unwrap()
    }

    #[test]
    fn json_reads_back_with_every_scenario() {
        let c = changed();
        let v: serde_json::Value = serde_json::from_str(&json(&c)).unwrap();
        assert_eq!(v["verdict"], "better");
        assert_eq!(v["scenarios"].as_array().unwrap().len(), c.scenarios.len());
        // The sample's hostile scenario fails without a declared gap in the
        // baseline: its expectation holding now is a failure fixed.
        assert_eq!(v["failures_fixed"][0], SCRIPT_ID);
        assert_eq!(v["gaps_closed"].as_array().unwrap().len(), 0);
        assert_eq!(v["candidate_failing"].as_array().unwrap().len(), 0);
        assert_eq!(
            v["event"]["delta"]["fn"], 0,
            "the sample's overall is unchanged"
        );
    }

    #[test]
    fn text_escapes_control_characters_and_lists_only_changes() {
        let t = text(&changed(), false, false);
        assert!(!t.contains('\u{1b}'), "{t}");
        assert!(t.contains("x|<b>`\\u{1b}[31m.toml"), "{t}");
        assert!(t.contains("unchanged: "), "{t}");
        assert!(t.lines().any(|l| l.starts_with(SCRIPT_ID)), "{t}");
        let brief = text(&changed(), true, false);
        assert!(!brief.contains("Scenarios"), "{brief}");
        assert!(brief.contains("Overall"), "{brief}");
    }

    #[test]
    fn indicator_kinds_are_listed_and_changed_scenarios_named() {
        let a = sample();
        let mut b = a.clone();
        b.indicator_kinds[1].tp = 1;
        b.indicator_kinds[1].malicious_hidden = 0;
        b.indicator_kinds[1].precision = Some(1.0);
        b.indicator_kinds[1].scenarios[0].tp = 1;
        b.indicator_kinds[1].scenarios[0].malicious_hidden = 0;
        let c = compare(&a, &b, ["a", "b"]).unwrap();
        let t = text(&c, false, false);
        let section: Vec<&str> = t
            .lines()
            .skip_while(|l| *l != "Indicator kinds")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        let cells = |l: &str| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            cells(section[1]),
            ["domain", "8", "7", "1", "0", "0.875", "same"]
        );
        assert_eq!(
            cells(section[2]),
            ["ip_port", "1", "0→1", "0", "1→0", "n/a→1.000", "better"]
        );
        assert_eq!(cells(section[3])[..4], ["no", "indicator", "–", "2"]);
        let by: Vec<&str> = t
            .lines()
            .skip_while(|l| *l != "Indicator kinds by scenario")
            .skip(2)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(by.len(), 1, "{t}");
        assert!(
            by[0].starts_with(SCRIPT_ID) && by[0].contains("ip_port"),
            "{t}"
        );
        let md = markdown(&c);
        assert!(md.contains("#### Indicator kinds\n"), "{md}");
        assert!(
            md.contains("| &lt;script&gt;alert(1)&lt;/script&gt; | ip_port | 0 → 1 (+1) |"),
            "{md}"
        );
        let v: serde_json::Value = serde_json::from_str(&json(&c)).unwrap();
        assert_eq!(v["indicator_kinds"][1]["tp"]["delta"], 1);
        assert_eq!(v["alerts_without_indicator"]["tp"]["candidate"], 2);
    }

    #[test]
    fn markdown_cannot_be_broken_by_ids_or_labels() {
        let md = markdown(&changed());
        for raw in [SCRIPT_ID, IMG_ID, "x|<b>"] {
            assert!(!md.contains(raw), "{raw} unescaped:\n{md}");
        }
        assert!(md.contains("&lt;script&gt;"), "{md}");
        // Every table row has as many cells as its heading.
        let mut cells = None;
        for l in md.lines() {
            if !l.starts_with('|') {
                cells = None;
                continue;
            }
            let n = l.replace("\\|", "").matches('|').count();
            assert_eq!(*cells.get_or_insert(n), n, "{l}");
        }
    }
}
