//! A table row's cells in either rendering: markdown (`| a | b |`, the leading
//! `|` possibly missing) or flat text, where the cells run together and are
//! told apart by what each column may hold.

use super::types::{PageIoc, UrlStatus};

/// The ThreatFox types the pages write, longest first where one is the start
/// of another.
const TYPES: [&str; 6] = [
    "sha256_hash",
    "sha1_hash",
    "md5_hash",
    "ip:port",
    "domain",
    "url",
];

/// ThreatFox's threat types, longest first where one ends another.
const THREAT_TYPES: [&str; 4] = ["payload_delivery", "botnet_cc", "cc_skimming", "payload"];

/// URLhaus's threats.
const URLHAUS_THREATS: [&str; 1] = ["malware_download"];

/// The tables the six forms read (the flat `Sentinel Table` rows are told
/// apart from their notes by these), longest first.
pub const TABLES: [&str; 5] = [
    "DeviceNetworkEvents",
    "CommonSecurityLog",
    "DeviceFileEvents",
    "UrlClickEvents",
    "DnsEvents",
];

/// A markdown row's cells (`None` when the line has no `|`).
pub fn markdown(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !t.contains('|') {
        return None;
    }
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    Some(t.split('|').map(|c| c.trim().to_owned()).collect())
}

/// Whether a markdown row is the `|---|---|` separator.
pub fn is_separator(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// A value refanged: `[.]`, `hxxp`.
pub fn refanged(v: &str) -> String {
    crate::ioc::refang(v.trim()).unwrap_or_else(|| v.trim().to_owned())
}

/// `2026-05-20` at the end of `s`: the rest and the date.
fn split_date(s: &str) -> Option<(&str, &str)> {
    let at = s.len().checked_sub(10)?;
    let date = s.get(at..)?;
    let b = date.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        _ => c.is_ascii_digit(),
    });
    ok.then(|| (&s[..at], date))
}

/// One of `words` ending `s`: the rest and the word.
fn split_suffix<'a>(s: &'a str, words: &[&'a str]) -> Option<(&'a str, &'a str)> {
    words
        .iter()
        .find_map(|w| s.strip_suffix(w).map(|rest| (rest, *w)))
}

/// A confidence cell, `75%`.
pub fn confidence(cell: &str) -> Result<u8, String> {
    cell.trim()
        .strip_suffix('%')
        .and_then(|n| n.trim().parse::<u8>().ok())
        .filter(|n| *n <= 100)
        .ok_or_else(|| format!("`{cell}` is not a confidence (`75%`)"))
}

/// A ThreatFox row's cells from a flat line: type, value, threat type, first
/// seen, confidence.
pub fn flat_threatfox(line: &str) -> Result<Vec<String>, String> {
    let t = line.trim();
    let ioc_type = TYPES
        .iter()
        .find(|ty| t.starts_with(**ty))
        .ok_or("no ThreatFox type opens it")?;
    let rest = &t[ioc_type.len()..];
    let body = rest
        .strip_suffix('%')
        .ok_or("no confidence (`75%`) ends it")?;
    // The confidence's digits follow the date's last digit: the longest that
    // is at most 100 and leaves a date before it.
    let (rest, date, conf) = (1..=3)
        .rev()
        .find_map(|n| {
            let at = body.len().checked_sub(n)?;
            let conf = body.get(at..)?;
            let ok = conf.parse::<u8>().is_ok_and(|c| c <= 100);
            let (rest, date) = split_date(&body[..at]).filter(|_| ok)?;
            Some((rest, date, format!("{conf}%")))
        })
        .ok_or("no first-seen date and confidence end it")?;
    let (value, threat) =
        split_suffix(rest, &THREAT_TYPES).ok_or("no ThreatFox threat type before the date")?;
    Ok(vec![
        (*ioc_type).to_owned(),
        value.to_owned(),
        threat.to_owned(),
        date.to_owned(),
        conf,
    ])
}

/// A URLhaus row's cells from a flat line: URL, status, threat, date added.
pub fn flat_urlhaus(line: &str) -> Result<Vec<String>, String> {
    let (rest, date) = split_date(line.trim()).ok_or("no date ends it")?;
    let (rest, threat) =
        split_suffix(rest, &URLHAUS_THREATS).ok_or("no URLhaus threat before the date")?;
    let (url, status) =
        split_suffix(rest, &["offline", "online"]).ok_or("no status (online/offline)")?;
    Ok(vec![
        url.to_owned(),
        status.to_owned(),
        threat.to_owned(),
        date.to_owned(),
    ])
}

/// A flat `Sentinel Table` row: the table (one the forms read) and its notes.
pub fn flat_table(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    TABLES
        .iter()
        .find(|tb| t.starts_with(**tb))
        .map(|tb| vec![(*tb).to_owned(), t[tb.len()..].trim().to_owned()])
}

/// A ThreatFox row from its five cells.
pub fn threatfox_ioc(line: usize, cells: &[String]) -> Result<PageIoc, String> {
    let [ty, value, threat, seen, conf] = cells else {
        return Err(format!("{} cells, not 5", cells.len()));
    };
    if !TYPES.contains(&ty.as_str()) {
        return Err(format!("`{ty}` is not a ThreatFox type"));
    }
    Ok(PageIoc {
        line,
        ioc_type: ty.clone(),
        value: refanged(value),
        threat_type: threat.clone(),
        first_seen: seen.clone(),
        confidence: Some(confidence(conf)?),
        status: None,
    })
}

/// A URLhaus row from its four cells.
pub fn urlhaus_ioc(line: usize, cells: &[String]) -> Result<PageIoc, String> {
    let [url, status, threat, added] = cells else {
        return Err(format!("{} cells, not 4", cells.len()));
    };
    let status = match status.to_ascii_lowercase().as_str() {
        "online" => UrlStatus::Online,
        "offline" => UrlStatus::Offline,
        other => return Err(format!("status `{other}` is neither online nor offline")),
    };
    Ok(PageIoc {
        line,
        ioc_type: "url".to_owned(),
        value: refanged(url),
        threat_type: threat.clone(),
        first_seen: added.clone(),
        confidence: None,
        status: Some(status),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_threatfox_rows_split_by_what_each_column_holds() {
        let cells =
            flat_threatfox("ip:port198[.]51[.]100[.]61:2404botnet_cc2026-06-01100%").unwrap();
        assert_eq!(
            cells,
            [
                "ip:port",
                "198[.]51[.]100[.]61:2404",
                "botnet_cc",
                "2026-06-01",
                "100%"
            ]
        );
        let cells = flat_threatfox("domainremc-gate.examplebotnet_cc2026-06-0175%").unwrap();
        assert_eq!(cells[1], "remc-gate.example");
        assert_eq!(cells[4], "75%");
        let cells =
            flat_threatfox("md5_hash7d8e9f00112233445566778899aabbccpayload2026-06-0195%").unwrap();
        assert_eq!(cells[1], "7d8e9f00112233445566778899aabbcc");
        assert_eq!(cells[2], "payload");
        assert!(flat_threatfox("domainx.exampleweird2026-06-0175%").is_err());
    }

    #[test]
    fn flat_urlhaus_and_table_rows() {
        let cells = flat_urlhaus("hxxp://a[.]example/xofflinemalware_download2026-05-20").unwrap();
        assert_eq!(
            cells,
            [
                "hxxp://a[.]example/x",
                "offline",
                "malware_download",
                "2026-05-20"
            ]
        );
        let row = flat_table("DnsEventsEnsure this data connector is enabled").unwrap();
        assert_eq!(row, ["DnsEvents", "Ensure this data connector is enabled"]);
    }

    #[test]
    fn markdown_rows_with_or_without_the_leading_bar() {
        assert_eq!(markdown("a | b |").unwrap(), ["a", "b"]);
        assert_eq!(markdown("| a | b |").unwrap(), ["a", "b"]);
        assert!(is_separator(&markdown("|---|---|").unwrap()));
        assert_eq!(refanged("hxxps://a[.]b/c"), "https://a.b/c");
    }
}
