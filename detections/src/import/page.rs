//! The page, line by line: the summary's family, the IOC table, the KQL
//! blocks, the `Sentinel Table` table and the false-positive entries; every
//! other line (headings, page metadata, prose) is passed over.

use super::cells;
use super::form::{classify, Form};
use super::types::{Block, FalsePositive, Feed, Page, PageError, PageIoc, SentinelTable};

/// What the table being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    ThreatFox { flat: bool },
    UrlHaus { flat: bool },
    Sentinel { flat: bool },
}

/// The table a header line opens, if it is one.
fn header(line: &str) -> Option<Table> {
    let t = line.trim();
    if let Some(cells) = cells::markdown(t) {
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        return match cells.as_slice() {
            ["Type", "Value", "Threat Type", "First Seen", "Confidence"] => {
                Some(Table::ThreatFox { flat: false })
            }
            ["URL", "Status", "Threat", "Date Added"] => Some(Table::UrlHaus { flat: false }),
            ["Sentinel Table", "Notes"] => Some(Table::Sentinel { flat: false }),
            _ => None,
        };
    }
    match t {
        "TypeValueThreat TypeFirst SeenConfidence" => Some(Table::ThreatFox { flat: true }),
        "URLStatusThreatDate Added" => Some(Table::UrlHaus { flat: true }),
        "Sentinel TableNotes" => Some(Table::Sentinel { flat: true }),
        _ => None,
    }
}

/// Whether a line ends a table: blank, a KQL comment or `let`, a
/// false-positive entry, another table's header.
fn ends_table(line: &str) -> bool {
    let t = line.trim();
    t.is_empty()
        || t.starts_with("//")
        || t.starts_with("let ")
        || t.starts_with("Scenario:")
        || header(t).is_some()
}

/// Read a published hunt page, in either rendering.
pub fn read_page(text: &str) -> Result<Page, PageError> {
    read(text, true)
}

/// Read a KQL file: one or more blocks (`//` comments, a `let` list, a query
/// of the six forms) and no IOC table. The indicators are the blocks' list
/// values, each of the kind its form hunts (`ip` or `ipv6` for an address
/// form's, `domain`, `url`, and a digest's kind by its length), with no
/// threat type, date or confidence; the family is the one a `// Source:
/// ThreatFox - X` or `// Threat: X` comment names.
pub fn read_query(text: &str) -> Result<Page, PageError> {
    let mut page = read(text, false)?;
    if page.iocs.is_empty() {
        page.iocs = from_lists(&page.blocks);
    }
    if page.family.is_empty() {
        page.family = page
            .blocks
            .iter()
            .flat_map(|b| &b.comments)
            .find_map(|c| {
                c.strip_prefix("Source: ThreatFox - ")
                    .or_else(|| c.strip_prefix("Threat: "))
            })
            .unwrap_or("KQL")
            .trim()
            .to_owned();
    }
    Ok(page)
}

/// The blocks' list values as indicators, each once, in order.
fn from_lists(blocks: &[Block]) -> Vec<PageIoc> {
    let mut out: Vec<PageIoc> = Vec::new();
    for b in blocks {
        for v in &b.list {
            let v = v.trim();
            let ip = v.parse::<std::net::IpAddr>().ok();
            let ioc_type = match b.form {
                _ if ip.is_some_and(|a| a.is_ipv6()) => "ipv6",
                _ if ip.is_some() => "ip",
                Form::IpFirewall | Form::IpEndpoint => continue,
                Form::Domain => "domain",
                Form::UrlClicks | Form::UrlProxy if v.contains("://") => "url",
                Form::UrlClicks | Form::UrlProxy => "domain",
                Form::Hash => match v.len() {
                    64 => "sha256_hash",
                    40 => "sha1_hash",
                    _ => "md5_hash",
                },
            };
            // A literal that is not its kind is lint's to report, not an indicator.
            let readable = super::lint::kind_of(ioc_type).is_some_and(|k| k.parse(v).is_ok());
            if !readable {
                continue;
            }
            if !out.iter().any(|i| i.value == v) {
                out.push(PageIoc {
                    line: b.line,
                    ioc_type: ioc_type.to_owned(),
                    value: v.to_owned(),
                    threat_type: String::new(),
                    first_seen: String::new(),
                    confidence: None,
                    status: None,
                });
            }
        }
    }
    out
}

/// Read a page (`page`: an IOC table is required) or a KQL file.
fn read(text: &str, page_required: bool) -> Result<Page, PageError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut page = Page {
        feed: Feed::ThreatFox,
        family: String::new(),
        iocs: Vec::new(),
        blocks: Vec::new(),
        tables: Vec::new(),
        false_positives: Vec::new(),
    };
    let mut seen_ioc_table = false;
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if let Some(table) = header(t) {
            if !matches!(table, Table::Sentinel { .. }) {
                seen_ioc_table = true;
            }
            i = read_table(&lines, i + 1, table, &mut page)?;
        } else if t.starts_with("//") || t.starts_with("let ") {
            let (block, next) = read_block(&lines, i)?;
            page.blocks.push(block);
            i = next;
        } else if let Some(s) = t.strip_prefix("Scenario:") {
            page.false_positives.push(FalsePositive {
                line: i + 1,
                scenario: s.trim().to_owned(),
                description: String::new(),
                exclusion: String::new(),
            });
            i += 1;
        } else {
            summary(t, i + 1, &mut page)?;
            i += 1;
        }
    }
    if page_required && !seen_ioc_table {
        return Err(PageError::new(0, "IOC table", "no IOC table header (`| Type | Value | Threat Type | First Seen | Confidence |` or `| URL | Status | Threat | Date Added |`)"));
    }
    if page.blocks.is_empty() {
        return Err(PageError::new(
            0,
            "KQL block",
            "no KQL block (`// ...`, `let NAME = dynamic([...]);`, a query)",
        ));
    }
    Ok(page)
}

/// A summary line (the family or threat) or a false-positive entry's
/// description or exclusion; anything else is passed over.
fn summary(t: &str, line: usize, page: &mut Page) -> Result<(), PageError> {
    if let Some(rest) = t.strip_prefix("Malware Family:") {
        let family = rest.split(" Total IOCs:").next().unwrap_or(rest);
        page.family = family.trim().to_owned();
        page.feed = Feed::ThreatFox;
    } else if let Some(rest) = t.strip_prefix("Threat:") {
        let threat = rest.split(" Total URLs:").next().unwrap_or(rest);
        page.family = threat.trim().to_owned();
        page.feed = Feed::UrlHaus;
    } else if let Some(d) = t.strip_prefix("Description:") {
        let fp = page.false_positives.last_mut().ok_or_else(|| {
            PageError::new(
                line,
                "false-positive entry",
                "`Description:` before any `Scenario:`",
            )
        })?;
        fp.description = d.trim().to_owned();
    } else if let Some(x) = t.strip_prefix("Filter/Exclusion:") {
        let fp = page.false_positives.last_mut().ok_or_else(|| {
            PageError::new(
                line,
                "false-positive entry",
                "`Filter/Exclusion:` before any `Scenario:`",
            )
        })?;
        fp.exclusion = x.trim().to_owned();
    }
    Ok(())
}

/// Read a table's rows from `start`; the line after its last row.
fn read_table(
    lines: &[&str],
    start: usize,
    table: Table,
    page: &mut Page,
) -> Result<usize, PageError> {
    let mut i = start;
    while i < lines.len() && !ends_table(lines[i]) {
        let line = i + 1;
        let t = lines[i].trim();
        let md = cells::markdown(t);
        if md.as_deref().is_some_and(cells::is_separator) {
            i += 1;
            continue;
        }
        let err = |part: &str, why: String| PageError::new(line, part, why);
        match table {
            Table::ThreatFox { flat } => {
                let row = match (flat, md) {
                    (false, Some(c)) => c,
                    _ => cells::flat_threatfox(t).map_err(|w| err("IOC table row", w))?,
                };
                let ioc = cells::threatfox_ioc(line, &row).map_err(|w| err("IOC table row", w))?;
                page.iocs.push(ioc);
            }
            Table::UrlHaus { flat } => {
                let row = match (flat, md) {
                    (false, Some(c)) => c,
                    _ => cells::flat_urlhaus(t).map_err(|w| err("IOC table row", w))?,
                };
                let ioc: PageIoc =
                    cells::urlhaus_ioc(line, &row).map_err(|w| err("IOC table row", w))?;
                page.iocs.push(ioc);
            }
            Table::Sentinel { flat } => {
                let row = match (flat, md) {
                    (false, Some(c)) => Some(c),
                    _ => cells::flat_table(t),
                };
                let row = row.ok_or_else(|| {
                    err(
                        "Sentinel Table row",
                        format!("`{t}` names none of the forms' tables"),
                    )
                })?;
                let [table, notes] = row.as_slice() else {
                    return Err(err(
                        "Sentinel Table row",
                        format!("{} cells, not 2", row.len()),
                    ));
                };
                page.tables.push(SentinelTable {
                    line,
                    table: table.clone(),
                    notes: notes.clone(),
                });
            }
        }
        i += 1;
    }
    Ok(i)
}

/// Read a KQL block from `start` (its first comment or its `let` line): the
/// block and the line after it.
fn read_block(lines: &[&str], start: usize) -> Result<(Block, usize), PageError> {
    let mut i = start;
    let mut comments = Vec::new();
    while i < lines.len() && lines[i].trim().starts_with("//") {
        comments.push(lines[i].trim()[2..].trim().to_owned());
        i += 1;
    }
    let let_line = i + 1;
    let (list_name, list) = lines
        .get(i)
        .ok_or_else(|| {
            PageError::new(
                let_line,
                "KQL block list",
                "the page ends before its `let` line",
            )
        })
        .and_then(|l| let_list(l).map_err(|why| PageError::new(let_line, "KQL block list", why)))?;
    let from = i;
    i += 1;
    let query_start = i;
    if i < lines.len() && !lines[i].trim().is_empty() && !lines[i].trim().starts_with('|') {
        i += 1;
    }
    while i < lines.len() {
        let t = lines[i].trim();
        if !t.starts_with('|') || header(t).is_some() {
            break;
        }
        i += 1;
    }
    let query_lines: Vec<&str> = lines[query_start..i].to_vec();
    let classified = classify(&query_lines, &list_name).map_err(|(at, part, why)| {
        PageError::new(query_start + at + 1, &format!("KQL block {part}"), why)
    })?;
    let query = lines[from..i].join("\n");
    Ok((
        Block {
            line: start + 1,
            comments,
            list_name,
            list,
            query,
            form: classified.form,
            time_bound: classified.time_bound,
        },
        i,
    ))
}

/// `let NAME = dynamic(["a", "b"]);`: the name and the values.
fn let_list(line: &str) -> Result<(String, Vec<String>), String> {
    let t = line.trim();
    let rest = t
        .strip_prefix("let ")
        .ok_or_else(|| format!("`{t}` is not a `let NAME = dynamic([...]);` line"))?;
    let (name, value) = rest.split_once('=').ok_or("no `=` in the `let` line")?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("`{name}` is not a list name"));
    }
    let inner = value
        .trim()
        .strip_suffix(';')
        .unwrap_or(value.trim())
        .trim()
        .strip_prefix("dynamic([")
        .and_then(|v| v.strip_suffix("])"))
        .ok_or("the list is not `dynamic([...])`")?;
    let mut values = Vec::new();
    for item in inner.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let unquoted = item
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| item.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .ok_or_else(|| format!("`{item}` is not a quoted string"))?;
        values.push(unquoted.to_owned());
    }
    Ok((name.to_owned(), values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn let_lists_read_and_refuse() {
        let (n, v) = let_list(r#"let ips = dynamic(["a", 'b']);"#).unwrap();
        assert_eq!(
            (n.as_str(), v),
            ("ips", vec!["a".to_owned(), "b".to_owned()])
        );
        assert!(let_list("let x = 3;").is_err());
        assert!(let_list("let x = dynamic([a]);").is_err());
    }

    #[test]
    fn a_query_outside_the_forms_names_its_line_and_part() {
        let page = "| Type | Value | Threat Type | First Seen | Confidence |\n\
                    | domain | a.example | botnet_cc | 2026-01-01 | 75% |\n\
                    // Hunt\n\
                    let d = dynamic([\"a.example\"]);\n\
                    DnsEvents\n\
                    | where Name contains \"a\"\n";
        let err = read_page(page).unwrap_err();
        assert_eq!(err.line, 6);
        assert_eq!(err.part, "KQL block condition");
    }
}
