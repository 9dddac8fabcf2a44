//! The Sigma rules in the report: pySigma's Kusto backend (Python) converts
//! them, so the conversions of every built-in content's rules are committed beside the rules
//! they were converted from (`sigma/`; `tests/export_sigma.rs` checks the
//! pinned backend still gives them). A rule whose export is exactly the
//! committed one has its conversion run; any other is `not_run`.

use detections::export::{export, Format};
use simulator::Table;

use super::common::{form, key, malicious_keys, run, tally, FormError, Forms, OnScenario};
use super::CSL_KEY;

/// (content, rule file, the rule as exported, its conversion, the table it
/// reads, the columns that identify a row).
type Converted = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Table,
    &'static [&'static str],
);

/// One committed conversion: the rule `sigma/CONTENT.HUNT.CATEGORY.yml` and
/// its conversion `sigma/CONTENT.HUNT.CATEGORY.kql`, with the table the
/// category's conversion reads and the columns that identify its rows.
macro_rules! converted {
    ($content:literal, $hunt:literal, $cat:ident) => {
        (
            $content,
            concat!($hunt, ".", stringify!($cat), ".yml"),
            include_str!(concat!("sigma/", $content, ".", $hunt, ".", stringify!($cat), ".yml")),
            include_str!(concat!("sigma/", $content, ".", $hunt, ".", stringify!($cat), ".kql")),
            converted!(@table $cat),
            converted!(@key $cat),
        )
    };
    (@table dns_query) => { Table::DnsEvents };
    (@table process_creation) => { Table::DeviceProcessEvents };
    (@table file_event) => { Table::DeviceFileEvents };
    (@table network_connection) => { Table::DeviceNetworkEvents };
    (@table $csl:ident) => { Table::CommonSecurityLog };
    (@key dns_query) => { &["TimeGenerated", "Computer", "ClientIP", "Name", "QueryType"] };
    (@key proxy) => { &CSL_KEY };
    (@key firewall) => { &CSL_KEY };
    (@key $defender:ident) => { &["Timestamp", "DeviceName", "ReportId"] };
}

/// The committed conversions of every built-in content's rules.
pub const CONVERTED: [Converted; 36] = [
    converted!("seed", "nanocore-artifact", file_event),
    converted!("seed", "nanocore-artifact", process_creation),
    converted!("seed", "nanocore-c2-dns", dns_query),
    converted!("seed", "nanocore-c2-name-network", network_connection),
    converted!("seed", "nanocore-c2-name-network", proxy),
    converted!("hardened", "nanocore-artifact", file_event),
    converted!("hardened", "nanocore-artifact", process_creation),
    converted!("hardened", "nanocore-c2-dns", dns_query),
    converted!("hardened", "nanocore-c2-name-network", network_connection),
    converted!("hardened", "nanocore-c2-name-network", proxy),
    converted!("deployed", "nanocore-artifact", file_event),
    converted!("deployed", "nanocore-artifact", process_creation),
    converted!("deployed", "nanocore-c2-dns", dns_query),
    converted!("deployed", "nanocore-c2-name-network", network_connection),
    converted!("deployed", "nanocore-c2-name-network", proxy),
    converted!("published", "nanocore-artifact", file_event),
    converted!("published", "nanocore-artifact", process_creation),
    converted!("published", "nanocore-c2-address", firewall),
    converted!("published", "nanocore-c2-address", network_connection),
    converted!("published", "nanocore-c2-dns", dns_query),
    converted!("published", "nanocore-c2-name-network", network_connection),
    converted!("published", "nanocore-c2-name-network", proxy),
    converted!("published", "nanocore-payload-hash", file_event),
    converted!("published", "nanocore-payload-url", network_connection),
    converted!("published", "nanocore-payload-url", proxy),
    converted!("published-hardened", "nanocore-artifact", file_event),
    converted!("published-hardened", "nanocore-artifact", process_creation),
    converted!("published-hardened", "nanocore-c2-address", firewall),
    converted!(
        "published-hardened",
        "nanocore-c2-address",
        network_connection
    ),
    converted!("published-hardened", "nanocore-c2-dns", dns_query),
    converted!(
        "published-hardened",
        "nanocore-c2-name-network",
        network_connection
    ),
    converted!("published-hardened", "nanocore-c2-name-network", proxy),
    converted!(
        "published-hardened",
        "nanocore-c2-shared-address-process",
        network_connection
    ),
    converted!("published-hardened", "nanocore-payload-hash", file_event),
    converted!(
        "published-hardened",
        "nanocore-payload-hash",
        process_creation
    ),
    converted!("published-hardened", "nanocore-payload-url", proxy),
];

/// The pySigma pipeline that reads `dns_query` from `DnsEvents`.
pub const DNSEVENTS_PIPELINE: &str = include_str!("sigma/dnsevents-pipeline.yml");

/// The pySigma pipeline that reads `proxy` and `firewall` from
/// `CommonSecurityLog`.
pub const CSL_PIPELINE: &str = include_str!("sigma/csl-pipeline.yml");

/// What a rule's Sigma costs, read from the rule: each way it can say less
/// or more than the hunt, `None` where none applies (a difference is then a
/// bug in the export).
fn cause(rule: &str) -> Option<String> {
    let mut causes = Vec::new();
    if rule.contains("|contains") {
        causes.push("Sigma has no `has`: `|contains` is a substring, so look-alike names match (and a host field holding a URL or a port matches on its whole text)".to_owned());
    }
    if rule.contains("c-uri|endswith") {
        causes.push("a URL indicator is matched at the end of `c-uri`: a row naming its host alone (a CONNECT) does not match, where the engine matches it by the host".to_owned());
    }
    if rule.contains("are left out:") {
        causes.push(
            "the hunt's conditions the log source cannot say are left out (the rule's description names them)"
                .to_owned(),
        );
    }
    let unexpressed: Vec<&str> = rule
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# exclusion "))
        .filter_map(|l| l.split_once(": not expressible").map(|(id, _)| id))
        .collect();
    if !unexpressed.is_empty() {
        causes.push(format!(
            "exclusions the log source cannot express do not suppress: {}",
            unexpressed.join(", ")
        ));
    }
    (!causes.is_empty()).then(|| causes.join("; "))
}

pub(super) fn compare(on: OnScenario<'_>, forms: &mut Forms) -> Result<(), FormError> {
    let OnScenario { det, h, hunt, s } = on;
    let rules = export(det, Format::Sigma).unwrap_or_default();
    let prefix = format!("{}.", hunt.id);
    for r in rules.iter().filter(|r| r.name.starts_with(&prefix)) {
        let category = r.name[prefix.len()..].trim_end_matches(".yml");
        let name = format!("{} {category}", Format::Sigma.name());
        let converted = CONVERTED.iter().find(|c| c.1 == r.name && c.2 == r.text);
        let entry = forms.entry((h, name.clone())).or_insert_with(|| {
            let mut f = form(&name, hunt, "");
            match converted {
                Some(c) => {
                    f.tables = c.4.name().to_owned();
                    f.cause = cause(&r.text);
                }
                None => {
                    f.status = "not_run";
                    f.cause = Some("pySigma's Kusto conversion (Python) is committed for the built-in contents' rules only; convert this rule with sigma-cli (docs/export.md)".into());
                }
            }
            f
        });
        let Some(c) = converted else { continue };
        let bit = 1u64 << h;
        let want = s
            .records
            .iter()
            .zip(s.decisions)
            .filter(|(rec, d)| rec.table == c.4 && d.alerted & bit != 0)
            .map(|(rec, _)| (key(&rec.row, c.5), rec.label.malicious))
            .collect();
        // A Sigma rule has no schedule: its conversion runs once over every row.
        let got = run(
            c.3,
            std::slice::from_ref(s.all),
            c.5,
            Format::Sigma.name(),
            hunt,
        )?;
        let bad = malicious_keys(s.records, |t| t == c.4, |row| key(row, c.5));
        tally(entry, want, got, &bad);
    }
    Ok(())
}
