//! What a false-positive entry's free-text exclusion says: the fields it
//! names (by a column huntlab knows, a dotted pseudo-code name, or a phrase
//! such as "command line"), the values it gives (paths, executables,
//! addresses and ranges, quoted strings, listed words), and whether it is a
//! comparison that is always true or always false.

use crate::event::Field;

/// A field the text names, and the column it wrote, if it wrote one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The field.
    pub field: Field,
    /// The column as the text writes it (`SourceIP`), when it names one.
    pub column: Option<String>,
}

/// A comparison that never depends on the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tautology {
    /// `a != "x" OR a != "y"`: every row matches.
    AlwaysTrue,
    /// `a == "x" AND a == "y"`: no row matches.
    AlwaysFalse,
}

impl Tautology {
    /// `always_true` or `always_false`.
    pub fn name(self) -> &'static str {
        match self {
            Tautology::AlwaysTrue => "always_true",
            Tautology::AlwaysFalse => "always_false",
        }
    }
}

/// An exclusion's text, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The fields it names, in the order first named.
    pub fields: Vec<Named>,
    /// The values it gives, in order.
    pub values: Vec<String>,
    /// Whether it is always true or false.
    pub tautology: Option<Tautology>,
}

impl Reading {
    /// Whether it names a field but no value: it cannot be compiled.
    pub fn unexpressed(&self) -> bool {
        self.tautology.is_none() && self.values.is_empty()
    }
}

/// Columns the pages' exclusions write, and the field each is.
const COLUMNS: [(&str, Field); 12] = [
    ("InitiatingProcessFileName", Field::ImageName),
    ("InitiatingProcessFolderPath", Field::Image),
    ("InitiatingProcessCommandLine", Field::CommandLine),
    ("InitiatingProcessParentFileName", Field::ParentImageName),
    ("FolderPath", Field::FilePath),
    ("FileName", Field::FileName),
    ("SourceIP", Field::SourceIp),
    ("DestinationIP", Field::RemoteIp),
    ("RemoteIP", Field::RemoteIp),
    ("RequestURL", Field::Url),
    ("Url", Field::Url),
    ("DestinationHostName", Field::RemoteHost),
];

/// Dotted pseudo-code names and the field each is.
const DOTTED: [(&str, Field); 9] = [
    ("process.parent.name", Field::ParentImageName),
    ("process.command_line", Field::CommandLine),
    ("process.executable", Field::Image),
    ("process.path", Field::Image),
    ("process.name", Field::ImageName),
    ("file.path", Field::FilePath),
    ("file.name", Field::FileName),
    ("source.ip", Field::SourceIp),
    ("url.full", Field::Url),
];

/// Phrases (lower case) and the field each names.
const PHRASES: [(&str, Field); 17] = [
    ("url", Field::Url),
    ("command line", Field::CommandLine),
    ("command-line", Field::CommandLine),
    ("parent process", Field::ParentImageName),
    ("launched by", Field::ParentImageName),
    ("started by", Field::ParentImageName),
    ("processes initiated by", Field::ParentImageName),
    ("full path", Field::Image),
    ("processes whose path", Field::Image),
    ("process name", Field::ImageName),
    ("file path", Field::FilePath),
    ("file name", Field::FileName),
    ("task name", Field::TaskName),
    ("signed by", Field::Signer),
    ("signer", Field::Signer),
    ("source address", Field::SourceIp),
    ("subnet", Field::SourceIp),
];

/// Read an exclusion's text.
pub fn read(text: &str) -> Reading {
    if let Some(r) = pseudo_code(text) {
        return r;
    }
    let mut fields: Vec<Named> = Vec::new();
    let mut push = |field: Field, column: Option<String>| {
        if !fields.iter().any(|n| n.field == field) {
            fields.push(Named { field, column });
        }
    };
    for word in words(text) {
        if let Some((col, f)) = COLUMNS.iter().find(|(c, _)| *c == word) {
            push(*f, Some((*col).to_owned()));
        }
    }
    let lower = text.to_ascii_lowercase();
    let mut phrases: Vec<(usize, Field)> = PHRASES
        .iter()
        .filter_map(|(p, f)| lower.find(p).map(|at| (at, *f)))
        .collect();
    phrases.sort_by_key(|(at, _)| *at);
    for (_, f) in phrases {
        push(f, None);
    }
    Reading {
        fields,
        values: values(text),
        tautology: None,
    }
}

/// The text's words: runs of letters, digits, `_`, `.`, `\`, `:`, `/`, `-`.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '"' | '\''))
        .map(|w| w.trim_end_matches(['.', ';']))
        .filter(|w| !w.is_empty())
}

/// The values: Windows paths, executables and libraries, addresses and ranges,
/// quoted strings, and the words a `containing` / `includes` list names.
fn values(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: &str| {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    };
    for q in text.split('"').skip(1).step_by(2) {
        add(q);
    }
    let mut path = None::<String>;
    for w in text.split_whitespace() {
        let w = w.trim_end_matches([',', ';']);
        if let Some(p) = path.as_mut() {
            if w.contains('\\') {
                p.push(' ');
                p.push_str(w.trim_end_matches('.'));
                continue;
            }
            add(&std::mem::take(p));
            path = None;
        }
        let bytes = w.as_bytes();
        if bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":\\" {
            path = Some(w.trim_end_matches('.').to_owned());
        }
    }
    if let Some(p) = path {
        add(&p);
    }
    for w in words(text) {
        let lw = w.to_ascii_lowercase();
        let exe = [".exe", ".dll", ".ps1", ".bat", ".msi"]
            .iter()
            .any(|e| lw.ends_with(e) && lw.len() > e.len())
            && !w.contains('\\');
        let net = w.parse::<std::net::IpAddr>().is_ok()
            || crate::ioc::IocKind::Cidr.parse(w).is_ok() && w.contains('/');
        let url = w.contains("://") && !w.ends_with("://");
        if exe || net || url {
            add(w);
        }
    }
    // `signed by Contoso Software Ltd.`: the signer's name, to the sentence's
    // end, when it is not quoted.
    let lower = text.to_ascii_lowercase();
    if let Some(at) = lower.find("signed by ") {
        let rest = &text[at + "signed by ".len()..];
        if !rest.starts_with('"') {
            let name = rest
                .split([',', ';'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_end_matches('.');
            if !name.is_empty() && !name.starts_with("the ") && !name.starts_with("its ") {
                add(name);
            }
        }
    }
    for marker in ["containing ", "includes ", "contains "] {
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find(marker) {
            let list = &text[at + marker.len()..];
            let end = list.find([' ']).map_or(list.len(), |_| {
                list.find(", or where")
                    .or_else(|| list.find(" or where"))
                    .or_else(|| list.find('.'))
                    .unwrap_or(list.len())
            });
            for item in list[..end].split([',']) {
                let item = item.trim().trim_start_matches("or ").trim();
                if !item.is_empty() && !item.contains(' ') {
                    add(item);
                }
            }
        }
    }
    out
}

/// `a != "x" OR a != "y"` and `a == "x" AND a == "y"`: the field and the
/// tautology, when the text is such a comparison.
fn pseudo_code(text: &str) -> Option<Reading> {
    let t = text.trim();
    let (parts, joined_by_or): (Vec<&str>, bool) = if t.contains(" OR ") || t.contains(" or ") {
        (
            t.split(" OR ").flat_map(|p| p.split(" or ")).collect(),
            true,
        )
    } else if t.contains(" AND ") || t.contains(" and ") {
        (
            t.split(" AND ").flat_map(|p| p.split(" and ")).collect(),
            false,
        )
    } else {
        (vec![t], true)
    };
    let mut field = None;
    let mut values = Vec::new();
    let mut ops = Vec::new();
    for part in &parts {
        let (name, op, value) = comparison(part)?;
        let f = DOTTED
            .iter()
            .chain(COLUMNS.iter())
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, f)| *f)?;
        if field.is_some_and(|g| g != f) {
            return None;
        }
        field = Some(f);
        values.push(value.to_owned());
        ops.push(op);
    }
    let distinct = values.iter().any(|v| v != &values[0]);
    let tautology = match (
        joined_by_or,
        ops.iter().all(|o| *o == "!="),
        ops.iter().all(|o| *o == "=="),
    ) {
        (true, true, _) if distinct => Some(Tautology::AlwaysTrue),
        (false, _, true) if distinct => Some(Tautology::AlwaysFalse),
        _ => None,
    };
    Some(Reading {
        fields: vec![Named {
            field: field?,
            column: None,
        }],
        values,
        tautology,
    })
}

/// `name op "value"`, `op` one of `!=`, `==`.
fn comparison(part: &str) -> Option<(&str, &'static str, &str)> {
    let part = part
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let (op, at) = ["!=", "=="]
        .iter()
        .find_map(|op| part.find(op).map(|at| (*op, at)))?;
    let name = part[..at].trim();
    let value = part[at + 2..].trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))?;
    (!name.is_empty() && !name.contains(' ')).then_some((name, op, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: &Reading) -> Vec<Field> {
        r.fields.iter().map(|n| n.field).collect()
    }

    #[test]
    fn always_true_and_always_false() {
        let r = read(r#"process.name != "powershell.exe" OR process.name != "cmd.exe""#);
        assert_eq!(r.tautology, Some(Tautology::AlwaysTrue));
        assert_eq!(fields(&r), [Field::ImageName]);
        let r = read(r#"process.name == "a.exe" AND process.name == "b.exe""#);
        assert_eq!(r.tautology, Some(Tautology::AlwaysFalse));
        let r = read(r#"process.name == "a.exe" OR process.name == "b.exe""#);
        assert_eq!(r.tautology, None);
        assert!(!r.unexpressed());
    }

    #[test]
    fn a_field_without_a_value_is_unexpressed() {
        let r = read("Exclude connections initiated by the update agent's process name.");
        assert!(r.unexpressed());
        assert_eq!(fields(&r), [Field::ImageName]);
        let r = read(
            "Exclude file events whose FolderPath starts with the product's quarantine folder.",
        );
        assert!(r.unexpressed());
        assert_eq!(r.fields[0].column.as_deref(), Some("FolderPath"));
        let r = read("Exclude the red team's source addresses.");
        assert!(r.unexpressed());
        assert_eq!(fields(&r), [Field::SourceIp]);
    }

    #[test]
    fn values_are_paths_executables_ranges_and_listed_words() {
        let r = read(
            r"Exclude processes whose path is C:\Program Files\BackupTool\nanocore.exe or that are launched by schtasks.exe.",
        );
        assert_eq!(
            r.values,
            [r"C:\Program Files\BackupTool\nanocore.exe", "schtasks.exe"]
        );
        assert_eq!(fields(&r), [Field::Image, Field::ParentImageName]);
        let r = read("Exclude requests whose URL starts with https://updates.vendor.example/pkg/.");
        assert_eq!(r.values, ["https://updates.vendor.example/pkg/"]);
        assert_eq!(fields(&r), [Field::Url]);
        let r = read("Exclude the lab's subnet 10.66.0.0/16 in SourceIP.");
        assert_eq!(r.values, ["10.66.0.0/16"]);
        assert_eq!(r.fields[0].column.as_deref(), Some("SourceIP"));
        let r = read("Exclude processes initiated by cmd.exe or powershell.exe with command-line arguments containing netstat, nmap, or tcpdump.");
        assert_eq!(
            r.values,
            ["cmd.exe", "powershell.exe", "netstat", "nmap", "tcpdump"]
        );
        assert_eq!(fields(&r), [Field::ParentImageName, Field::CommandLine]);
    }
}
