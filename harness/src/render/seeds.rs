//! The table of each scenario over several seeds (`report --seeds`), drawn by
//! the terminal, Markdown and HTML renderers like the others.

use super::table::{Cell, Column, ReportTable};
use crate::report::Report;

const SEEDS: &[Column] = &[
    Column::text("scenario"),
    Column::text("kind"),
    Column::centre("over seeds"),
    Column::num("alerts min/med/max"),
    Column::num("recall min/med/max"),
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
        "seeds {}..{} ({n} runs; the tables above are seed {}'s): {} scenarios fail on some seed, {} known gaps unstable",
        over.first,
        over.last,
        over.first,
        over.failing.len(),
        over.unstable.len()
    ))
}
