//! The report as terminal tables, with colour when asked for. Tables come from
//! [`super::tables`] (the columns marked for a terminal); strings from telemetry
//! or scenario files pass through [`crate::escape::terminal`].

use std::fmt::Write;

use super::table::{Align, Cell, Detail, ReportTable, COUNT_NAMES};
use super::tables;
use super::verdict::{self, Line};
use crate::escape::terminal as esc;
use crate::metrics::fmt_ratio;
use crate::report::{Report, Status};

/// The width the brief output fits.
const WIDTH: usize = 100;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn tone(&self, tone: Tone, s: &str) -> String {
        match tone {
            Tone::Plain => s.to_owned(),
            Tone::Good => self.wrap("32", s),
            Tone::Note => self.wrap("33", s),
            Tone::Bad => self.wrap("31;1", s),
        }
    }
}

/// How a cell is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Plain,
    Good,
    Note,
    Bad,
}

fn tone(c: &Cell) -> Tone {
    match *c {
        Cell::Status { status, .. } => match status {
            Status::Met => Tone::Good,
            Status::KnownGap => Tone::Note,
            Status::Failed | Status::GapClosed => Tone::Bad,
        },
        Cell::Present(false) | Cell::Harmful(true) => Tone::Bad,
        Cell::Alarm(n) if n > 0 => Tone::Bad,
        _ => Tone::Plain,
    }
}

/// The verdict: each line's heading in a column, its text wrapped to the width
/// under a hanging indent.
fn verdict_lines(o: &mut String, p: &Paint, lines: &[Line]) {
    let _ = writeln!(o, "{}", p.bold("Verdict"));
    let indent = lines.iter().map(|l| l.head.len()).max().unwrap_or(0) + 2;
    for l in lines {
        let tone = match l.tone {
            verdict::Tone::Good => Tone::Good,
            verdict::Tone::Note => Tone::Note,
            verdict::Tone::Bad => Tone::Bad,
        };
        let text = verdict::plain(&l.spans, esc, "");
        for (i, part) in wrap(&text, WIDTH - indent).iter().enumerate() {
            let head = if i == 0 { l.head } else { "" };
            let head = p.tone(tone, &format!("{head:indent$}"));
            let _ = writeln!(o, "{head}{part}");
        }
    }
}

/// `text` in lines of at most `width` characters, broken at spaces (a word
/// longer than the width is cut).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word: String = word.to_owned();
        loop {
            let n = line.chars().count();
            let w = word.chars().count();
            if n > 0 && n + 1 + w > width {
                out.push(std::mem::take(&mut line));
                continue;
            }
            if n == 0 && w > width {
                let cut: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                out.push(cut);
                continue;
            }
            if n > 0 {
                line.push(' ');
            }
            line.push_str(&word);
            break;
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// Render the report for a terminal; `colour` adds ANSI colours. Without `wide`
/// the tables fit 100 characters: the columns marked [`Detail::Wide`], the TN
/// counts and expected exclusions' names are left to `--wide` and the files.
pub fn render(r: &Report, colour: bool, wide: bool) -> String {
    let p = Paint(colour);
    let room = if wide { Detail::Wide } else { Detail::Brief };
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        p.bold(&format!("huntlab report: {}", esc(&r.detection.title)))
    );
    let _ = writeln!(
        o,
        "{}",
        p.dim(&format!(
            "seed {}  scale {}  scenarios {}  rows read {} = scored {} + rejected {}\n{}",
            r.run.rng_seed,
            r.run.scale,
            r.run.scenario_count,
            r.run.rows_read,
            r.run.rows_scored,
            r.run.rows_rejected,
            crate::rule::describe(r.run.rule.as_ref())
        ))
    );
    let _ = writeln!(o);
    verdict_lines(&mut o, &p, &verdict::lines(r));
    for t in [
        tables::scenarios(r),
        tables::overall(r),
        tables::misses(r),
        tables::indicator_kinds(r),
        tables::impact(r),
        tables::exposure(r),
        tables::semantics(r),
        tables::attribution(r),
        tables::deployed(r),
    ] {
        if t.rows.is_empty() && matches!(t.id, "deployed" | "indicator-kinds") {
            continue;
        }
        let _ = writeln!(o);
        table(&mut o, &p, &t, room);
        if t.id == "misses" {
            let _ = writeln!(
                o,
                "{}",
                p.dim(&format!(
                    "recall {} over every malicious row, {} over rows a hunt reads",
                    fmt_ratio(r.overall.recall),
                    fmt_ratio(r.overall.recall_visible)
                ))
            );
        }
    }
    if let (Some(t), Some(line)) = (super::seeds::table(r), super::seeds::summary(r)) {
        let _ = writeln!(o);
        table(&mut o, &p, &t, room);
        let _ = writeln!(o, "{}", p.dim(&line));
    }
    let _ = writeln!(o);
    let ov = &r.overall;
    let line = format!(
        "scenarios: {} met, {} failed, {} known gaps, {} gaps closed",
        ov.expectations_met, ov.expectations_failed, ov.known_gaps, ov.gaps_closed
    );
    let tone = if ov.expectations_failed + ov.gaps_closed == 0 {
        Tone::Good
    } else {
        Tone::Bad
    };
    let _ = writeln!(o, "{}", p.tone(tone, &line));
    o
}

/// The title, the header and the rows of the columns a terminal shows, each
/// column as wide as its widest cell; split counts become four columns.
fn table(o: &mut String, p: &Paint, t: &ReportTable, room: Detail) {
    // Brief tables leave out true negatives: the largest and least read count.
    let counts = if room == Detail::Brief { 3 } else { 4 };
    let mut head: Vec<(&str, Align)> = Vec::new();
    for c in t.columns_for(room) {
        if c.split {
            head.extend(COUNT_NAMES[..counts].iter().map(|n| (*n, c.align)));
        } else {
            head.push((c.heading(room), c.align));
        }
    }
    let body: Vec<Vec<(String, Tone)>> = t
        .rows
        .iter()
        .map(|row| {
            let mut out = Vec::with_capacity(head.len());
            for (col, cell) in t.cells_for(row, room) {
                match cell {
                    Cell::Counts(c) if col.split => out.extend(
                        [c.tp, c.fp, c.fn_, c.tn][..counts]
                            .iter()
                            .map(|v| (v.to_string(), Tone::Plain)),
                    ),
                    Cell::Expected { outcome, .. } if room == Detail::Brief => {
                        out.push((esc(outcome), Tone::Plain))
                    }
                    _ => out.push((cell.plain(esc), tone(cell))),
                }
            }
            out
        })
        .collect();
    let widths: Vec<usize> = head
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            body.iter()
                .map(|cells| cells[i].0.chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = (usize, &str, Tone)>| {
        let mut s = String::new();
        for (i, text, tone) in cells {
            if i > 0 {
                s.push_str("  ");
            }
            let last = i + 1 == head.len();
            s.push_str(&p.tone(tone, &pad(text, widths[i], head[i].1, last)));
        }
        s
    };
    let _ = writeln!(o, "{}", p.bold(t.title));
    let header = line(
        &mut head
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (i, *n, Tone::Plain)),
    );
    let _ = writeln!(o, "{}", p.dim(&header));
    for cells in &body {
        let row = line(
            &mut cells
                .iter()
                .enumerate()
                .map(|(i, (s, tone))| (i, s.as_str(), *tone)),
        );
        let _ = writeln!(o, "{row}");
    }
}

/// `s` padded to `w` characters; a left-aligned last column is not padded.
fn pad(s: &str, w: usize, align: Align, last: bool) -> String {
    let fill = w.saturating_sub(s.chars().count());
    let (before, after) = match align {
        Align::Left if last => (0, 0),
        Align::Left => (0, fill),
        Align::Right => (fill, 0),
        Align::Centre => (fill / 2, fill - fill / 2),
    };
    format!("{}{s}{}", " ".repeat(before), " ".repeat(after))
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::render::test_report::sample;

    #[test]
    fn control_characters_are_shown_not_sent() {
        let mut r = sample();
        r.scenarios[0].id = "evil\u{1b}[2J\u{7}".into();
        r.exclusions[0].id = "excl\u{9b}31m".into();
        r.semantics[0].matcher = "m\r".into();
        for colour in [false, true] {
            let out = render(&r, colour, colour);
            assert!(out.contains("evil\\u{1b}[2J\\u{7}"), "{out}");
            assert!(out.contains("excl\\u{9b}31m"), "{out}");
            assert!(out.contains("m\\u{d}"), "{out}");
            assert!(!out.contains(['\u{7}', '\u{9b}', '\r']));
            // The only escape sequences are the renderer's own colours.
            assert_eq!(out.contains('\x1b'), colour);
            for seq in out.split('\x1b').skip(1) {
                assert!(
                    ["[0m", "[1m", "[2m", "[32m", "[33m", "[31;1m"]
                        .iter()
                        .any(|sgr| seq.starts_with(sgr)),
                    "{seq:?}"
                );
            }
        }
    }

    #[test]
    fn columns_line_up_and_failures_stand_out() {
        let r = sample();
        let out = render(&r, false, true);
        let scenarios: Vec<&str> = out
            .lines()
            .skip_while(|l| *l != "Scenarios")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(scenarios.len(), 1 + r.scenarios.len());
        assert!(scenarios[0].starts_with("scenario "));
        let width = scenarios[0].chars().count();
        assert!(
            scenarios.iter().all(|l| l.chars().count() == width),
            "{scenarios:#?}"
        );
        assert!(out.contains(" FAILED "), "{out}");
        assert!(render(&r, true, false).contains("\x1b[31;1mFAILED"));
    }

    #[test]
    fn indicator_kinds_have_a_table_of_their_own() {
        let out = render(&sample(), false, false);
        let kinds: Vec<&str> = out
            .lines()
            .skip_while(|l| *l != "Indicator kinds")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        assert_eq!(kinds.len(), 4, "{out}");
        let cells = |l: &str| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(cells(kinds[1]), ["domain", "8", "7", "1", "0", "0.875"]);
        assert_eq!(cells(kinds[2]), ["ip_port", "1", "0", "0", "1", "n/a"]);
        let wide = render(&sample(), false, true);
        assert!(wide.contains("benign suppressed"), "{wide}");
        // No content hunts an indicator and no alert stands: no table.
        let mut none = crate::render::test_report::zero();
        none.indicator_kinds.clear();
        assert!(!render(&none, false, false).contains("Indicator kinds"));
    }

    #[test]
    fn brief_tables_fit_100_columns_and_wide_ones_add_the_rest() {
        let r = sample();
        let brief = render(&r, false, false);
        let widest = brief.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= 100, "{widest} columns:\n{brief}");
        let wide = render(&r, false, true);
        let header = |out: &str| -> Vec<String> {
            let mut lines = out.lines().skip_while(|l| *l != "Scenarios").skip(1);
            let line = lines.next().expect("a scenarios header");
            line.split_whitespace().map(str::to_owned).collect()
        };
        let (brief_head, wide_head) = (header(&brief), header(&wide));
        for heading in ["kind", "malicious", "fired", "TN"] {
            assert!(
                !brief_head.iter().any(|h| h == heading),
                "{heading} in brief"
            );
            assert!(wide_head.iter().any(|h| h == heading), "{heading} not wide");
        }
    }
}
