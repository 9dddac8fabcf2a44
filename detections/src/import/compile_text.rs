//! A false-positive entry's text compiled to a condition, where it names
//! fields huntlab knows and values for them: paths on the image (or the
//! file's path), executables on the parent (or the image), an octet-aligned
//! source subnet as an address prefix, a signer's or a task's quoted names
//! where the text names that field, else listed words on the command line;
//! and rows it must suppress, made from its own values. No single row names
//! a signer or a task (the process join learns them from other rows), so
//! such a predicate's example row is one it must not suppress alone.

use super::exclusion::Reading;
use super::toml_text::{join, pred, row};
use crate::content::field_name;
use crate::event::Field;

/// One predicate: field, operator, values.
type Pred = (Field, &'static str, Vec<String>);

/// A compiled entry: its condition (TOML), how the text was read, and its
/// example rows (name, expected outcome, row).
pub type Compiled = (String, String, Vec<(String, &'static str, String)>);

/// The condition (TOML), how the text was read, and the rows it must
/// suppress (name, row); `None` when the text gives no value it can place.
pub fn compile(text: &str, reading: &Reading) -> Option<Compiled> {
    let preds = preds(text, reading)?;
    let all = text.contains(" with ") && preds.len() > 1;
    let how = if all { "all" } else { "any" };
    let written: Vec<String> = preds.iter().map(|(f, op, v)| pred(*f, op, v)).collect();
    let said: Vec<String> = preds
        .iter()
        .map(|(f, op, v)| format!("{} {op} {}", field_name(*f), v.join(", ")))
        .collect();
    let interpretation = format!(
        "Read from the text: {} ({}).",
        said.join(if all { " and " } else { " or " }),
        if all { "all must hold" } else { "any suffices" }
    );
    let joined = |p: &Pred| matches!(p.0, Field::Signer | Field::TaskName);
    let rows = if all {
        let expect = if preds.iter().any(joined) {
            "did_not_apply"
        } else {
            "suppressed"
        };
        vec![(
            "its own values together".to_owned(),
            expect,
            example_row(&preds),
        )]
    } else {
        preds
            .iter()
            .map(|p| {
                if joined(p) {
                    (
                        format!(
                            "a row alone names no {}: the process join learns it",
                            field_name(p.0)
                        ),
                        "did_not_apply",
                        example_row(&[]),
                    )
                } else {
                    (
                        format!("its {} value", field_name(p.0)),
                        "suppressed",
                        example_row(std::slice::from_ref(p)),
                    )
                }
            })
            .collect()
    };
    Some((join(how, &written), interpretation, rows))
}

/// The predicates the text's values make.
fn preds(text: &str, reading: &Reading) -> Option<Vec<Pred>> {
    let has = |f: Field| reading.fields.iter().any(|n| n.field == f);
    let (mut paths, mut exes, mut nets, mut words) = (vec![], vec![], vec![], vec![]);
    let mut urls = vec![];
    for v in &reading.values {
        let lv = v.to_ascii_lowercase();
        let drive = v.as_bytes().get(1..3) == Some(b":\\".as_slice());
        if v.contains("://") {
            urls.push(v.clone());
        } else if has(Field::TaskName) && !has(Field::CommandLine) && v.starts_with('\\') && !drive
        {
            // A task's path in the Task Scheduler (`\Vendor\Nightly Sync`).
            words.push(v.clone());
        } else if v.contains('\\') {
            paths.push(v.clone());
        } else if [".exe", ".dll", ".ps1", ".bat", ".msi"]
            .iter()
            .any(|e| lv.ends_with(e))
        {
            exes.push(v.clone());
        } else if v.parse::<std::net::IpAddr>().is_ok() || v.contains('/') {
            nets.push(prefix(v)?);
        } else {
            words.push(v.clone());
        }
    }
    let lower = text.to_ascii_lowercase();
    let mut out: Vec<Pred> = Vec::new();
    if !paths.is_empty() {
        let op = if lower.contains("contains") {
            "contains"
        } else if lower.contains("starts with") {
            "startswith"
        } else {
            "=~"
        };
        let field = if has(Field::FilePath) && !has(Field::Image) {
            Field::FilePath
        } else {
            Field::Image
        };
        out.push((
            field,
            if paths.len() > 1 && op == "=~" {
                "in~"
            } else {
                op
            },
            paths,
        ));
    }
    if !exes.is_empty() {
        let field = if has(Field::ParentImageName) {
            Field::ParentImageName
        } else {
            Field::ImageName
        };
        out.push((field, "in~", exes));
    }
    if !nets.is_empty() {
        let field = if has(Field::RemoteIp) {
            Field::RemoteIp
        } else {
            Field::SourceIp
        };
        out.push((field, "startswith", nets));
    }
    if !urls.is_empty() {
        out.push((Field::Url, "startswith", urls));
    }
    if !words.is_empty() {
        // Named words are command-line words where the text names the
        // command line, else a signer's or a task's names where it names
        // that field, else command-line words.
        if has(Field::CommandLine) {
            out.push((Field::CommandLine, "contains", words));
        } else if has(Field::Signer) {
            out.push((Field::Signer, "in~", words));
        } else if has(Field::TaskName) {
            out.push((Field::TaskName, "in~", words));
        } else {
            out.push((Field::CommandLine, "contains", words));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// An address or an octet-aligned IPv4 range as the text prefix its
/// addresses start with (`10.66.0.0/16` is `10.66.`); `None` otherwise.
fn prefix(v: &str) -> Option<String> {
    let (addr, len) = v.split_once('/').unwrap_or((v, "32"));
    let a: std::net::Ipv4Addr = addr.parse().ok()?;
    let octets = match len {
        "8" => 1,
        "16" => 2,
        "24" => 3,
        "32" => return Some(a.to_string()),
        _ => return None,
    };
    let parts: Vec<String> = a.octets()[..octets].iter().map(u8::to_string).collect();
    Some(format!("{}.", parts.join(".")))
}

/// A row on which every predicate holds.
fn example_row(preds: &[Pred]) -> String {
    let mut cells: Vec<(&str, String)> = Vec::new();
    let mut set = |k: &'static str, v: String| {
        if let Some(c) = cells.iter_mut().find(|(n, _)| *n == k) {
            c.1 = v;
        } else {
            cells.push((k, v));
        }
    };
    let network = preds.iter().any(|p| p.0.is_network_field());
    let file = preds.iter().any(|p| p.0 == Field::FilePath);
    if network {
        set("Type", "CommonSecurityLog".to_owned());
        set("DeviceVendor", "Palo Alto Networks".to_owned());
        set("SourceIP", "10.20.1.15".to_owned());
        set("DestinationIP", "198.51.100.200".to_owned());
        set("DestinationPort", "443".to_owned());
    } else {
        set("EventID", if file { "11" } else { "1" }.to_owned());
        set("Image", r"C:\Tools\tool.exe".to_owned());
    }
    for (field, _, values) in preds {
        let v = values[0].clone();
        match field {
            Field::Image => {
                let img = if v.to_ascii_lowercase().ends_with(".exe") {
                    v
                } else {
                    format!("{}\\tool.exe", v.trim_end_matches('\\'))
                };
                set("Image", img);
            }
            Field::ImageName => set("Image", format!(r"C:\Tools\{v}")),
            Field::ParentImageName => set("ParentImage", format!(r"C:\Windows\System32\{v}")),
            Field::CommandLine => set("CommandLine", format!("tool.exe {v}")),
            Field::FilePath => {
                let path = if v.ends_with('\\') {
                    format!("{v}payload.dat")
                } else {
                    v
                };
                set("TargetFilename", path);
            }
            Field::SourceIp => set("SourceIP", address_in(&v)),
            Field::Url => set("RequestURL", format!("{v}x")),
            Field::RemoteIp => set("DestinationIP", address_in(&v)),
            _ => {}
        }
    }
    row(&cells)
}

/// An address starting with a prefix (`10.66.` gives `10.66.0.5`).
fn address_in(prefix: &str) -> String {
    let dots = prefix.matches('.').count();
    if !prefix.ends_with('.') {
        return prefix.to_owned();
    }
    let fill = ["0.0.5", "0.5", "5"];
    format!("{prefix}{}", fill[dots.clamp(1, 3) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::exclusion::read;

    #[test]
    fn prefixes_and_addresses() {
        assert_eq!(prefix("10.66.0.0/16").as_deref(), Some("10.66."));
        assert_eq!(prefix("10.66.0.0/20"), None);
        assert_eq!(address_in("10.66."), "10.66.0.5");
        assert_eq!(address_in("10."), "10.0.0.5");
        assert_eq!(address_in("10.1.2."), "10.1.2.5");
    }

    #[test]
    fn a_url_prefix_is_a_prefix_of_the_url() {
        let text = "Exclude requests whose URL starts with https://updates.vendor.example/pkg/.";
        let (when, _, rows) = compile(text, &read(text)).expect("compiled");
        assert!(
            when.contains(r#"field = "url", op = "startswith""#),
            "{when}"
        );
        assert!(
            rows[0].2.contains("https://updates.vendor.example/pkg/x"),
            "{}",
            rows[0].2
        );
    }

    #[test]
    fn the_diagnostics_text_is_one_conjunction() {
        let text = "Exclude processes initiated by cmd.exe or powershell.exe with command-line arguments containing netstat, nmap, or tcpdump.";
        let (when, _, rows) = compile(text, &read(text)).expect("compiled");
        assert!(when.starts_with("{ all = ["), "{when}");
        assert_eq!(rows.len(), 1);
        assert!(rows[0].2.contains("ParentImage") && rows[0].2.contains("netstat"));
    }

    #[test]
    fn a_signer_or_a_task_named_compiles_on_that_field() {
        for text in [
            r#"Exclude processes signed by "Contoso Software Ltd"."#,
            "Exclude processes signed by Contoso Software Ltd.",
        ] {
            let (when, _, rows) = compile(text, &read(text)).expect("compiled");
            assert_eq!(
                when, r#"{ field = "signer", op = "in~", values = ["Contoso Software Ltd"] }"#,
                "{text}"
            );
            assert_eq!(rows[0].1, "did_not_apply", "{text}");
        }
        let text = r#"Exclude the task name "\Vendor\Nightly Sync"."#;
        let (when, _, _) = compile(text, &read(text)).expect("compiled");
        assert!(
            when.contains(r#"field = "task_name", op = "in~""#),
            "{when}"
        );
    }
}
