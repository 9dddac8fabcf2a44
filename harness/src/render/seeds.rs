//! The table of each scenario over several seeds (`report --seeds`), drawn by
//! the terminal, Markdown and HTML renderers like the others.

use super::table::{Cell, Column, Detail, ReportTable};
use crate::report::Report;

/// The kind and the recall are left to `--wide` and the files, so the brief
/// table keeps to the terminal's width (but for a long list of seeds).
const SEEDS: &[Column] = &[
    Column::text("scenario"),
    Column::text("kind").detail(Detail::Wide),
    Column::centre("over seeds"),
    Column::num("alerts min/med/max"),
    Column::num("recall min/med/max").detail(Detail::Wide),
    Column::text("seeds"),
];

/// One row per scenario over the seeds; `None` when the report ran one seed.
pub fn table(r: &Report) -> Option<ReportTable<'_>> {
    let over = r.seeds.as_ref()?;
    let mut t = ReportTable::new("seeds", "Over seeds", SEEDS);
    for s in &over.scenarios {
        t.push(
            vec![
                Cell::Id(&s.id),
                Cell::Kind(&s.kind),
                Cell::Text(s.status.text()),
                Cell::Text(&s.spread_text[0]),
                Cell::Text(&s.spread_text[1]),
                Cell::Text(&s.seeds_text),
            ],
            s.status.fails_run(),
        );
    }
    Some(t)
}

/// The sentence under the table: the range and what fails or is unstable.
pub fn summary(r: &Report) -> Option<String> {
    let over = r.seeds.as_ref()?;
    let n = over.last - over.first + 1;
    Some(format!(
        "seeds {}..{}, {n} runs (the tables above: seed {}): {} scenarios fail on a seed, {} known gaps unstable",
        over.first,
        over.last,
        over.first,
        over.failing.len(),
        over.unstable.len()
    ))
}

#[cfg(test)]
mod tests {
    use crate::render::test_report::sample;
    use crate::report::Status;
    use crate::seeds::{over_seeds, Outcome, SeedRange};

    fn with_seeds() -> crate::report::Report {
        let mut r = sample();
        let outcome = |id: &str, status, alerts| Outcome {
            id: id.into(),
            kind: "benign".into(),
            status,
            alerts,
            recall: None,
        };
        let runs: Vec<(u64, Vec<Outcome>)> = (1..=3)
            .map(|seed| {
                let failed = if seed == 2 {
                    Status::Failed
                } else {
                    Status::Met
                };
                let gap = if seed == 3 {
                    Status::GapClosed
                } else {
                    Status::KnownGap
                };
                (
                    seed,
                    vec![outcome("b-flaky", failed, seed), outcome("g-shaky", gap, 0)],
                )
            })
            .collect();
        r.seeds = Some(over_seeds(SeedRange { first: 1, last: 3 }, &runs));
        r
    }

    #[test]
    fn every_renderer_shows_the_table_over_seeds() {
        let r = with_seeds();
        let term = crate::render::terminal::render(&r, false, false);
        assert!(term.contains("Over seeds"), "{term}");
        assert!(
            term.contains("failed on seeds 2; replay with --seed 2"),
            "{term}"
        );
        assert!(
            term.contains("gap holds on seeds 1, 2; closes on 3"),
            "{term}"
        );
        assert!(
            term.contains("seeds 1..3, 3 runs (the tables above: seed 1)"),
            "{term}"
        );
        let md = crate::render::markdown::render(&r);
        assert!(
            md.contains("## Over seeds") && md.contains("| b-flaky | benign | FAILED |"),
            "{md}"
        );
        let html = crate::render::html::render(&r);
        assert!(
            html.contains("Over seeds") && html.contains("unstable"),
            "without"
        );
        let json = crate::render::json::render(&r);
        assert!(
            json.contains("\"unstable\": [\n      \"g-shaky\"\n    ]"),
            "{json}"
        );
        // Without seeds, nothing of it.
        let plain = sample();
        assert!(!crate::render::terminal::render(&plain, false, false).contains("Over seeds"));
        assert!(!crate::render::json::render(&plain).contains("\"seeds\""));
    }
}
