//! Writing content TOML by hand, in a fixed order, so that importing the same
//! page twice gives the same bytes: strings, conditions, rows, and the parts
//! the literal and hardened readings share (indicators, exclusions).

use std::fmt::Write as _;

use super::exclusion::{self, Reading, Tautology};
use super::lint::kind_of;
use super::toml_text::{list, long, q};
use super::types::{Feed, Page};
use crate::content::field_name;

/// An example of a hunt or exclusion.
pub fn example(out: &mut String, table: &str, name: &str, expect: &str, row: &str) {
    let _ = write!(
        out,
        "\n[[{table}.examples]]\nname = {}\nexpect = \"{expect}\"\nrow = {row}\n",
        q(name)
    );
}

/// The content's head: id, title, source, description.
pub fn head(out: &mut String, page: &Page, id: &str, reading: &str, why: &str) {
    let feed = match page.feed {
        Feed::ThreatFox => "ThreatFox",
        Feed::UrlHaus => "URLhaus",
    };
    let _ = write!(
        out,
        "# Imported by `huntlab import` from a published hunt page: {reading}.\n\
         # Regenerate it with `huntlab import` rather than edit it.\n\n\
         id = {}\ntitle = {}\nsource = {}\ndescription = {}\n",
        q(id),
        q(&format!("{}, {reading}", page.family)),
        q(&format!("{feed} - {}", page.family)),
        long(why),
    );
}

/// Every indicator of the IOC table, with its fields.
pub fn iocs(out: &mut String, page: &Page) {
    let source = match page.feed {
        Feed::ThreatFox => "ThreatFox",
        Feed::UrlHaus => "URLhaus",
    };
    for ioc in &page.iocs {
        let kind = kind_of(&ioc.ioc_type).map_or(ioc.ioc_type.as_str(), |k| k.name());
        let _ = write!(
            out,
            "\n[[iocs]]\ntype = {}\nvalue = {}\nthreat_type = {}\nfirst_seen = {}\n",
            q(kind),
            q(&ioc.value),
            q(&ioc.threat_type),
            q(&ioc.first_seen)
        );
        if let Some(c) = ioc.confidence {
            let _ = writeln!(out, "confidence = {c}");
        }
        if page.feed == Feed::ThreatFox {
            let _ = writeln!(out, "malware_family = {}", q(&page.family));
        }
        let _ = writeln!(out, "source = {}", q(source));
        if let Some(s) = ioc.status {
            let _ = writeln!(out, "status = \"{}\"", s.name());
        }
    }
}

/// A false-positive entry compiled: its condition and its examples' rows,
/// from its own text.
pub struct Compiled {
    /// The entry's exclusion id.
    pub id: String,
    /// The condition.
    pub when: String,
    /// How the text was read.
    pub interpretation: String,
    /// Its examples: a name, the outcome (`suppressed`, or `did_not_apply`
    /// for a value no row carries alone) and the row.
    pub examples: Vec<(String, &'static str, String)>,
}

/// Each entry, compiled or kept unexpressed (id, reading).
pub fn exclusions(page: &Page) -> (Vec<Compiled>, Vec<(String, Reading)>) {
    let (mut compiled, mut kept) = (Vec::new(), Vec::new());
    for (fp, id) in page.false_positives.iter().zip(page.exclusion_ids()) {
        let reading = exclusion::read(&fp.exclusion);
        match super::compile_text::compile(&fp.exclusion, &reading) {
            Some((when, interpretation, examples)) if reading.tautology.is_none() => {
                compiled.push(Compiled {
                    id,
                    when,
                    interpretation,
                    examples,
                })
            }
            _ => kept.push((id, reading)),
        }
    }
    (compiled, kept)
}

/// The exclusions and the unexpressed entries, written; `hunts` every hunt's id.
pub fn write_exclusions(
    out: &mut String,
    page: &Page,
    compiled: &[Compiled],
    kept: &[(String, Reading)],
    hunts: &[String],
) {
    let by_id = |id: &str| {
        page.false_positives
            .iter()
            .zip(page.exclusion_ids())
            .find(|(_, i)| i == id)
            .map(|(fp, _)| fp.clone())
    };
    for c in compiled {
        let Some(fp) = by_id(&c.id) else { continue };
        let _ = write!(
            out,
            "\n[[exclusions]]\nid = {}\nscenario = {}\ndescription = {}\nseed_text = {}\ninterpretation = {}\napplies_to = [\"dns\", \"process\", \"file\", \"network\"]\nwhen = {}\n",
            q(&c.id),
            q(&fp.scenario),
            q(&fp.description),
            q(&fp.exclusion),
            q(&c.interpretation),
            c.when
        );
        for (name, expect, r) in &c.examples {
            example(out, "exclusions", name, expect, r);
        }
    }
    for (id, reading) in kept {
        let Some(fp) = by_id(id) else { continue };
        let why = match reading.tautology {
            Some(Tautology::AlwaysTrue) => "always_true",
            Some(Tautology::AlwaysFalse) => "always_false",
            None => "no_value",
        };
        let _ = write!(
            out,
            "\n[[unexpressed]]\nid = {}\nscenario = {}\ndescription = {}\nseed_text = {}\n",
            q(id),
            q(&fp.scenario),
            q(&fp.description),
            q(&fp.exclusion)
        );
        if let Some(n) = reading.fields.first() {
            let _ = writeln!(out, "field = \"{}\"", field_name(n.field));
            if let Some(col) = &n.column {
                let _ = writeln!(out, "column = {}", q(col));
            }
        }
        let _ = write!(
            out,
            "why = \"{why}\"\napplies_to = [\"dns\", \"process\", \"file\", \"network\"]\nhunts = {}\n",
            list(hunts)
        );
    }
}
