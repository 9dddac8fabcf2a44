//! Sentinel's limit on a scheduled rule's query: 10,000 characters. A rule
//! whose query is longer (a large feed's domains written inline) reads its
//! domain lists from watchlists instead, each written as a CSV file beside the
//! rules: `let malicious_domains = _GetWatchlist("ALIAS") | project
//! SearchKey;` in place of the inline `dynamic([...])` list. One watchlist a
//! list, so each `has_any` still reads at most 10,000 values. A rule whose
//! query is over the limit even then is an error: no rule Sentinel would
//! refuse is written.

use std::fmt::Write as _;

use super::error::ExportError;
use super::file::ExportFile;
use super::iocs::IocLists;
use crate::content::Detection;

/// The longest query a Sentinel scheduled analytic rule takes, in characters
/// (the Azure-Sentinel repository's template validation, and Sentinel's own).
pub const MAX_QUERY: usize = 10_000;

/// The one column of a watchlist's CSV file: its search key, which
/// `_GetWatchlist` returns as `SearchKey`.
pub const COLUMN: &str = "Domain";

/// The watchlist alias of a content's list: `huntlab_<content>_<list>`, the
/// content's id with every character but letters and digits as `_`.
pub fn alias(content: &str, list: &str) -> String {
    let slug: String = content
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("huntlab_{slug}_{list}")
}

/// A rule's query within the limit, and the watchlists it reads: `query` as
/// it is when it fits; else with `det`'s domain lists read from watchlists,
/// whose CSV files are added to `files` (once each). `rule` names the rule in
/// the error when even that is over the limit.
pub(super) fn fit(
    det: &Detection,
    rule: &str,
    query: String,
    files: &mut Vec<ExportFile>,
) -> Result<(String, Vec<String>), ExportError> {
    if chars(&query) <= MAX_QUERY {
        return Ok((query, Vec::new()));
    }
    let lists = IocLists::of(det);
    let inline = lists.lets();
    let mut aliases = Vec::new();
    let query = if lists.values.is_empty() || !query.contains(&inline) {
        query
    } else {
        for (name, values) in lists.chunks() {
            let a = alias(&det.id, name);
            let file = format!("{a}.csv");
            if !files.iter().any(|f| f.name == file) {
                files.push(ExportFile {
                    name: file,
                    text: csv(values),
                });
            }
            aliases.push(a);
        }
        query.replacen(&inline, &lists.watchlist_lets(|n| alias(&det.id, n)), 1)
    };
    let n = chars(&query);
    if n > MAX_QUERY {
        return Err(ExportError::QueryTooLong {
            rule: rule.to_owned(),
            chars: n,
            max: MAX_QUERY,
        });
    }
    Ok((query, aliases))
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A watchlist's CSV: the header, then one value a line (quoted where a
/// value holds a comma, a quote or a line break).
fn csv(values: &[&str]) -> String {
    let mut out = String::with_capacity(values.len() * 24 + 8);
    let _ = writeln!(out, "{COLUMN}");
    for v in values {
        if v.contains([',', '"', '\n', '\r']) {
            let _ = writeln!(out, "\"{}\"", v.replace('"', "\"\""));
        } else {
            let _ = writeln!(out, "{v}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_csv() {
        assert_eq!(
            alias("published-hardened", "malicious_domains_2"),
            "huntlab_published_hardened_malicious_domains_2"
        );
        assert_eq!(csv(&["a.io", "b,\"c"]), "Domain\na.io\n\"b,\"\"c\"\n");
    }
}
