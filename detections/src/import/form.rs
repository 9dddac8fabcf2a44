//! The six query forms of the published pages, which one a block's query is,
//! and which fields and columns each form's table carries.

use crate::event::Field;

/// One of the six forms the generated pages write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// `CommonSecurityLog | where DestinationIP in (L) or SourceIP in (L)`.
    IpFirewall,
    /// `DeviceNetworkEvents | where RemoteIP in (L)`.
    IpEndpoint,
    /// `DnsEvents | where Name has_any (L)`.
    Domain,
    /// `UrlClickEvents | where Url has_any (L)`.
    UrlClicks,
    /// `CommonSecurityLog | where RequestURL has_any (L) or DestinationHostName has_any (L)`.
    UrlProxy,
    /// `DeviceFileEvents | where SHA256 in (L) or SHA1 in (L) or MD5 in (L)`.
    Hash,
}

/// Each form: the table, the condition with `L` for the list, the form.
const FORMS: [(&str, &str, Form); 6] = [
    (
        "CommonSecurityLog",
        "DestinationIP in (L) or SourceIP in (L)",
        Form::IpFirewall,
    ),
    ("DeviceNetworkEvents", "RemoteIP in (L)", Form::IpEndpoint),
    ("DnsEvents", "Name has_any (L)", Form::Domain),
    ("UrlClickEvents", "Url has_any (L)", Form::UrlClicks),
    (
        "CommonSecurityLog",
        "RequestURL has_any (L) or DestinationHostName has_any (L)",
        Form::UrlProxy,
    ),
    (
        "DeviceFileEvents",
        "SHA256 in (L) or SHA1 in (L) or MD5 in (L)",
        Form::Hash,
    ),
];

/// The fields of the acting process (a row that carries one carries them all).
const PROCESS: [Field; 9] = [
    Field::Image,
    Field::ImageName,
    Field::CommandLine,
    Field::ParentImage,
    Field::ParentImageName,
    Field::ParentCommandLine,
    Field::Company,
    Field::Signer,
    Field::TaskName,
];

impl Form {
    /// Every form, in the README's order.
    pub const ALL: [Form; 6] = [
        Form::IpFirewall,
        Form::IpEndpoint,
        Form::Domain,
        Form::UrlClicks,
        Form::UrlProxy,
        Form::Hash,
    ];

    /// The id an imported hunt of this form takes (`ip-firewall`).
    pub fn id(self) -> &'static str {
        match self {
            Form::IpFirewall => "ip-firewall",
            Form::IpEndpoint => "ip-endpoint",
            Form::Domain => "domain-dns",
            Form::UrlClicks => "url-clicks",
            Form::UrlProxy => "url-proxy",
            Form::Hash => "hash-file",
        }
    }

    /// What it is, for people (`IP, firewall`).
    pub fn label(self) -> &'static str {
        match self {
            Form::IpFirewall => "IP, firewall",
            Form::IpEndpoint => "IP, endpoint",
            Form::Domain => "domain",
            Form::UrlClicks => "URL, clicks",
            Form::UrlProxy => "URL, proxy",
            Form::Hash => "hash",
        }
    }

    /// The table it reads.
    pub fn table(self) -> &'static str {
        FORMS
            .iter()
            .find(|(_, _, f)| *f == self)
            .map_or("", |(t, _, _)| t)
    }

    /// The condition, with `L` standing for the list.
    pub fn condition(self) -> &'static str {
        FORMS
            .iter()
            .find(|(_, _, f)| *f == self)
            .map_or("", |(_, c, _)| c)
    }

    /// Whether its list holds addresses, names, URLs or digests.
    pub fn is_address(self) -> bool {
        matches!(self, Form::IpFirewall | Form::IpEndpoint)
    }

    /// Whether its table's rows carry the field, as huntlab maps them: a
    /// `DnsEvents` row carries no process (its client column is `ClientIP`),
    /// the firewall's and proxy's `CommonSecurityLog` no process or file.
    pub fn carries(self, field: Field) -> bool {
        let network = [
            Field::RemoteIp,
            Field::SourceIp,
            Field::Url,
            Field::RemoteHost,
        ];
        match self {
            Form::Domain => matches!(field, Field::QueryName),
            Form::IpFirewall => matches!(field, Field::RemoteIp | Field::SourceIp),
            Form::UrlProxy | Form::UrlClicks => network.contains(&field),
            Form::IpEndpoint => network.contains(&field) || PROCESS.contains(&field),
            Form::Hash => {
                PROCESS.contains(&field)
                    || matches!(
                        field,
                        Field::FileName
                            | Field::FilePath
                            | Field::Sha256
                            | Field::Sha1
                            | Field::Md5
                    )
            }
        }
    }

    /// Whether its table's documented columns include `column`.
    pub fn has_column(self, column: &str) -> bool {
        let file = format!("{}.columns", self.table());
        sources::schema_text(&file).is_some_and(|text| {
            sources::schema_names(text).any(|c| c.eq_ignore_ascii_case(column))
                || sources::STANDARD_COLUMNS
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(column))
        })
    }
}

/// A block's query read: its form, and whether a `where` bounds its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classified {
    /// The form.
    pub form: Form,
    /// Whether a `where` line bounds the time.
    pub time_bound: bool,
}

/// The operators a query may pipe into besides its one condition.
const KEPT: [&str; 8] = [
    "project", "order by", "sort by", "take", "limit", "top", "extend", "distinct",
];

/// Which form `lines` (the query after the `let` line: its table, then `|`
/// lines) is, `list` the `let` list's name; else the part it could not read
/// (`table`, `condition`, `operator`) and why.
pub fn classify(lines: &[&str], list: &str) -> Result<Classified, (usize, &'static str, String)> {
    let table = lines.first().map_or("", |l| l.trim());
    if !FORMS.iter().any(|(t, _, _)| *t == table) {
        return Err((
            0,
            "table",
            format!("`{table}` is none of the six forms' tables"),
        ));
    }
    let (mut condition, mut time_bound) = (None, false);
    for (i, line) in lines.iter().enumerate().skip(1) {
        let op = line.trim().trim_start_matches('|').trim();
        if let Some(cond) = op.strip_prefix("where ") {
            if is_time_bound(cond) {
                time_bound = true;
            } else if condition.is_some() {
                return Err((i, "condition", format!("a second condition `{cond}`")));
            } else {
                condition = Some((i, normalise(cond, list)));
            }
        } else if !KEPT.iter().any(|k| op.starts_with(k)) {
            return Err((i, "operator", format!("`{op}` is outside the six forms")));
        }
    }
    let Some((at, cond)) = condition else {
        return Err((0, "condition", "no `| where` line".to_owned()));
    };
    FORMS
        .iter()
        .find(|(t, c, _)| *t == table && *c == cond)
        .map(|(_, _, form)| Classified {
            form: *form,
            time_bound,
        })
        .ok_or_else(|| {
            (
                at,
                "condition",
                format!("`{cond}` on {table} is none of the six forms (L: the list `{list}`)"),
            )
        })
}

/// `TimeGenerated > ago(1d)`, `Timestamp >= ago(7d)`, `between (...)`.
fn is_time_bound(cond: &str) -> bool {
    let c = cond.trim();
    (c.starts_with("TimeGenerated") || c.starts_with("Timestamp"))
        && (c.contains("ago(") || c.contains("between") || c.contains("datetime("))
}

/// The condition with its whitespace made single and the list named `L`.
fn normalise(cond: &str, list: &str) -> String {
    cond.split_whitespace()
        .map(|w| w.replace(&format!("({list})"), "(L)"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_classifies() {
        for form in Form::ALL {
            let cond = form.condition().replace("(L)", "(x)");
            let lines = [form.table(), &format!("| where {cond}"), "| project A"];
            let c = classify(&lines, "x").expect("a form");
            assert_eq!(c.form, form);
            assert!(!c.time_bound);
        }
    }

    #[test]
    fn a_time_bound_is_seen_and_other_conditions_refused() {
        let lines = [
            "DnsEvents",
            "| where TimeGenerated > ago(1d)",
            "| where Name has_any (d)",
        ];
        assert!(classify(&lines, "d").expect("form").time_bound);
        let err = classify(&["DnsEvents", "| where Name has (d)"], "d").unwrap_err();
        assert_eq!(err.1, "condition");
        let err = classify(&["SecurityEvent", "| where x"], "d").unwrap_err();
        assert_eq!(err.1, "table");
        let err = classify(
            &["DnsEvents", "| where Name has_any (d)", "| join (T) on A"],
            "d",
        )
        .unwrap_err();
        assert_eq!(err.1, "operator");
    }

    #[test]
    fn columns_come_from_the_documented_schemas() {
        assert!(Form::Hash.has_column("FolderPath"));
        assert!(!Form::Domain.has_column("SourceIP"));
        assert!(Form::Domain.has_column("ClientIP"));
        assert!(Form::IpFirewall.has_column("SourceIP"));
    }
}
