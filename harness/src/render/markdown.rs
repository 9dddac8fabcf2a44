//! The report as Markdown (`report.md`). Tables come from [`super::tables`];
//! every string that came from telemetry or a scenario file is escaped with
//! [`crate::escape::markdown`].

use std::fmt::Write;

use super::table::{Cell, Detail, ReportTable};
use super::tables;
use super::verdict;
use crate::escape::markdown as md;
use crate::metrics::fmt_ratio;
use crate::report::{Report, Status};

/// Render the report as Markdown.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Detection quality: {}", md(&r.detection.title));
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Content `{}`; IOCs: {}. Seed {}, scale {}; {} scenarios; rows read {}, scored {}, rejected {}; {}.",
        md(&r.detection.id),
        r.detection.iocs.iter().map(|i| md(i)).collect::<Vec<_>>().join(", "),
        r.run.rng_seed,
        r.run.scale,
        r.run.scenario_count,
        r.run.rows_read,
        r.run.rows_scored,
        r.run.rows_rejected,
        crate::rule::describe(r.run.rule.as_ref())
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "## Verdict");
    let _ = writeln!(o);
    for l in verdict::lines(r) {
        let text = verdict::plain(&l.spans, md, "");
        let head = match l.tone {
            verdict::Tone::Bad => format!("**{}**", l.head),
            _ => l.head.to_owned(),
        };
        let _ = writeln!(o, "- {head}: {text}.");
    }
    let ov = &r.overall;
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Scenarios: {} met, {} failed, {} known gaps, {} gaps closed.",
        ov.expectations_met, ov.expectations_failed, ov.known_gaps, ov.gaps_closed
    );
    section(
        &mut o,
        &tables::impact(r),
        Some("What each exclusion removes (benign rows) and hides (malicious rows) on each hunt it guards. **HARMFUL**: it hides attacks on that hunt and removes no false positive there. A row two exclusions both suppress counts for each."),
    );
    section(&mut o, &tables::exposure(r), Some(EXPOSURE_NOTE));
    section(&mut o, &tables::overall(r), Some("Rows count every row; a DNS lookup is the rows of one host and name within the resolver's cache window (the endpoint's and the DNS server's row count once); an incident is a host within a scenario."));
    section(&mut o, &tables::scenarios(r), Some("Expected: what the detection should do. Status: met, **FAILED**, known gap (declared by the content, see below) or **GAP CLOSED** (declared, but the expectation now holds: remove the declaration). Visible rows: the malicious rows of a kind some hunt reads. Lookup recall counts DNS lookups; incidents are the scenario's hosts."));
    let failing: Vec<_> = r
        .scenarios
        .iter()
        .filter(|s| s.status.fails_run())
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(o);
        for s in failing {
            let _ = writeln!(o, "- **{}**: {}", md(&s.id), md(&s.expectation_detail));
        }
    }
    let gaps = tables::known_gaps(r);
    if !gaps.rows.is_empty() {
        section(&mut o, &gaps, None);
    }
    section(
        &mut o,
        &tables::misses(r),
        Some(&format!(
            "Recall {} over every malicious row, {} over the rows of a kind some hunt reads.",
            fmt_ratio(ov.recall),
            fmt_ratio(ov.recall_visible)
        )),
    );
    let steps = tables::unmatched_steps(r);
    if !steps.rows.is_empty() {
        section(&mut o, &steps, None);
    }
    section(&mut o, &tables::hunts(r), None);
    kinds(&mut o, r);
    section(
        &mut o,
        &tables::exclusions(r),
        Some("Over every hunt: benign rows an exclusion suppressed are the false positives it removes; malicious rows it suppressed are its blind spot."),
    );
    section(
        &mut o,
        &tables::readings(r),
        Some("A branch is one operand of the condition's top-level `or` (the whole condition when there is none); it is inert when it held on no row a hunt it guards fired on."),
    );
    section(
        &mut o,
        &tables::sources(r),
        Some("Rows where a hunt fired but the exclusions could not be evaluated: the source carries no process, so no exclusion can protect against (or suppress) them there."),
    );
    section(&mut o, &tables::semantics(r), None);
    section(
        &mut o,
        &tables::attribution(r),
        Some("The DNS server's rows name the client by address: attributed by ClientIP (DeviceNetworkInfo, Heartbeat), as an analyst does, a forwarder's address takes its clients' alerts."),
    );
    let forwarded = tables::forwarded(r);
    if !forwarded.rows.is_empty() {
        section(&mut o, &forwarded, None);
    }
    let deployed = tables::deployed(r);
    if !deployed.rows.is_empty() {
        section(&mut o, &deployed, Some(DEPLOYED_NOTE));
    }
    over_seeds(&mut o, r);
    let rejected = tables::rejected(r);
    if !rejected.rows.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "## {} ({} in all)", rejected.title, r.run.rows_rejected);
        let _ = writeln!(o);
        // A list rather than a table: one sentence per row.
        for row in &rejected.rows {
            if let [table, line, why] = &row.cells[..] {
                let _ = writeln!(o, "- {} row {}: {}", cell(table), cell(line), cell(why));
            }
        }
    }
    o
}

/// The table over seeds, when the report ran several.
fn over_seeds(o: &mut String, r: &Report) {
    if let (Some(t), Some(line)) = (super::seeds::table(r), super::seeds::summary(r)) {
        let note = format!("{}. {SEEDS_NOTE}", capitalised(&line));
        section(o, &t, Some(&note));
    }
}

/// The indicator kinds' sections, each when it has rows.
fn kinds(o: &mut String, r: &Report) {
    let kinds = tables::indicator_kinds(r);
    if !kinds.rows.is_empty() {
        section(o, &kinds, Some(KINDS_NOTE));
    }
    let by_scenario = tables::kinds_by_scenario(r);
    if !by_scenario.rows.is_empty() {
        section(o, &by_scenario, None);
    }
}

/// A `##` section: a blank line, the title, an optional note, the table.
fn section(o: &mut String, t: &ReportTable, note: Option<&str>) {
    let _ = writeln!(o);
    let _ = writeln!(o, "## {}", t.title);
    let _ = writeln!(o);
    if let Some(note) = note {
        let _ = writeln!(o, "{note}");
        let _ = writeln!(o);
    }
    table(o, t);
}

/// A pipe table of the columns Markdown shows; counts stay in one cell.
fn table(o: &mut String, t: &ReportTable) {
    let names: Vec<&str> = t.columns_for(Detail::Full).map(|c| c.name).collect();
    let _ = writeln!(o, "| {} |", names.join(" | "));
    let _ = writeln!(o, "|{}", "---|".repeat(names.len()));
    for row in &t.rows {
        let cells: Vec<String> = t
            .cells_for(row, Detail::Full)
            .map(|(_, c)| cell(c))
            .collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Status {
            status: Status::Failed | Status::GapClosed,
            ..
        }
        | Cell::Harmful(true) => format!("**{}**", c.plain(md)),
        c => c.plain(md),
    }
}

/// What the "indicator kinds" table says.
pub(super) const KINDS_NOTE: &str = "Rows a hunt fired on by an indicator of each kind (before exclusions), and of those: TP and FP, the malicious and benign rows where that kind's alert stands; malicious hidden and benign suppressed, the rows where exclusions suppressed every hunt that fired on the kind (another kind or hunt may still alert on the row). A row counts for each kind it fired on.";

/// What the "deployed forms" table says, in a sentence.
pub(super) const DEPLOYED_NOTE: &str = "Each exported query (huntlab export), run by the local KQL evaluator over every scenario's tables, against the rows the engine alerts on in the same tables (Defender: also the exclusion decisions). Extra: rows the query returns that the engine does not alert on; missed: the reverse.";

/// What the exposure table says, on the page and in Markdown.
pub(crate) const EXPOSURE_NOTE: &str = "Which of each exclusion's predicates an attacker controls (paths, names, command lines, task names, the parent they launch from, a version-info company, their own infrastructure) and which hold them back (a signer, unless the signed image runs code it is given; a digest). SPOOFABLE: one of its conjunctions is theirs alone, so an attack that copies those values (last column) is suppressed whatever the impact table shows.";

/// What the table over seeds says.
pub const SEEDS_NOTE: &str = "Over seeds: **FAILED** when the expectation failed on any seed (replay the first with `--seed`), **GAP CLOSED** when a declared known gap closed on every seed, unstable when it held on some seeds and closed on others (that does not fail the run). Spreads are over the seeds' runs; recall over the seeds with malicious rows.";

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::render;
    use crate::render::test_report::{sample, HOST_ID};

    #[test]
    fn failures_and_rejected_rows_are_listed_escaped() {
        let md = render(&sample());
        assert!(!md.contains("<script>") && !md.contains("<img") && !md.contains("<b>"));
        assert!(md.contains(
            "| &lt;script&gt;alert(1)&lt;/script&gt; | adversarial | alert | **FAILED** |"
        ));
        assert!(md.contains("- **&lt;script&gt;alert(1)&lt;/script&gt;**: detail for"));
        assert!(md.contains(
            "## Rejected rows (2 in all)\n\n- DnsEvents row 17: bad &lt;b&gt;field&lt;/b&gt;\n"
        ));
        assert!(md.contains("| excl-updater | 40 | 1 | 3 | \"&gt;&lt;img src=x onerror=alert(1)&gt; (40 benign, 1 malicious) |"));
    }

    #[test]
    fn silent_hosts_are_named_escaped_in_the_verdict_and_counted_in_the_table() {
        let mut r = sample();
        r.verdict.attacks.silent_hosts = vec![crate::report::SilentHosts {
            scenario: "nanocore-beacon".into(),
            hosts: vec![HOST_ID.into(), "WS-02".into()],
        }];
        let md = render(&r);
        assert!(!md.contains("<b>07"), "{md}");
        assert!(
            md.contains("silent hosts: nanocore-beacon (WS-&lt;b&gt;07&lt;/b&gt;&amp;amp;, WS-02)"),
            "{md}"
        );
        // The missed attack: 0 of its 1 infected host alerted.
        assert!(md.contains("| 0/1 |"), "{md}");
        let term = crate::render::terminal::render(&r, false, false);
        assert!(term.contains("WS-<b>07</b>&amp;"), "{term}");
    }

    #[test]
    fn indicator_kinds_are_tabled_with_the_rows_no_indicator_carries() {
        let md = render(&sample());
        assert!(
            md.contains(
                "| domain | 2 | dns | 8 | 8 | 7 | 1 | 0 | 0 | 0.875 |\n\
             | ip_port | 1 | net-&lt;u&gt;addr&lt;/u&gt; | 1 | 0 | 0 | 0 | 1 | 0 | n/a |\n\
             | no indicator (a name, a path) | – | – | – | 2 | 2 | 0 | – | – | 1.000 |\n"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "| nanocore-beacon | alert | domain | 8 | 7 | 1 | 0 | 0 |\n\
             | &lt;script&gt;alert(1)&lt;/script&gt; | alert | ip_port | 1 | 0 | 0 | 1 | 0 |\n"
            ),
            "{md}"
        );
        let zero = render(&crate::render::test_report::zero());
        assert!(zero.contains("## Indicator kinds\n"));
        assert!(!zero.contains("## Indicator kinds by scenario"));
    }
}
