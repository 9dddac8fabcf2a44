//! A Sentinel analytic rule (YAML) as input: its `query: |` block read as a
//! KQL file; and which reader a file's extension takes.

use super::page::{read_page, read_query};
use super::types::{Page, PageError};

/// The query of an analytic rule's YAML (`query: |`, a literal block, its
/// lines indented under the key) and the line it starts on (1-based).
fn rule_query(text: &str) -> Result<(String, usize), PageError> {
    let lines: Vec<&str> = text.lines().collect();
    let (at, key) = lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("query:"))
        .ok_or_else(|| PageError::new(0, "rule query", "no `query:` key"))?;
    let indent = key.len() - key.trim_start().len();
    let style = key.trim_start()["query:".len()..].trim();
    if !matches!(style, "|" | "|-" | "|+") {
        return Err(PageError::new(
            at + 1,
            "rule query",
            format!("`query: {style}` is not a literal block (`query: |`)"),
        ));
    }
    let body: Vec<&str> = lines[at + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
        .copied()
        .collect();
    let by = body
        .iter()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start().len());
    let query: Vec<&str> = body
        .iter()
        .map(|l| l.get(by..).unwrap_or("").trim_end())
        .collect();
    Ok((query.join("\n").trim_end().to_owned() + "\n", at + 2))
}

/// Read an analytic rule's query as a KQL file; an error's line is the
/// rule file's.
pub fn read_rule(text: &str) -> Result<Page, PageError> {
    let (query, first) = rule_query(text)?;
    read_query(&query).map_err(|mut e| {
        if e.line > 0 {
            e.line += first - 1;
        }
        e
    })
}

/// Read a file by its extension: `.kql` a KQL file, `.yaml` / `.yml` an
/// analytic rule, anything else a published page.
pub fn read_input(extension: &str, text: &str) -> Result<Page, PageError> {
    match extension.to_ascii_lowercase().as_str() {
        "kql" => read_query(text),
        "yaml" | "yml" => read_rule(text),
        _ => read_page(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_query_block_is_read_and_its_errors_name_the_rules_lines() {
        let rule = "id: 1\nname: Test\nquery: |\n  // Source: ThreatFox - Demo\n  let d = dynamic([\"a.example\"]);\n  DnsEvents\n  | where Name has_any (d)\nseverity: Medium\n";
        let page = read_rule(rule).expect("reads");
        assert_eq!(page.blocks.len(), 1);
        assert_eq!(page.family, "Demo");
        assert_eq!(page.iocs[0].value, "a.example");
        let bad = rule.replace("has_any (d)", "contains (d)");
        assert_eq!(read_rule(&bad).unwrap_err().line, 7);
        assert!(read_rule("query: >\n  x\n").is_err());
    }
}
