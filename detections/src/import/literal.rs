//! The literal reading of a page as content: every indicator with its fields,
//! one hunt per KQL block (its list as written, its query kept verbatim),
//! each false-positive entry an exclusion (compiled) or kept `unexpressed`.

use std::fmt::Write as _;

use super::emit::{self, example};
use super::form::Form;
use super::toml_text::{join, list, long, pred, q, row};
use super::types::{slug, Block, Page};
use crate::event::Field;

/// A value of the same shape as `values`' that none of them is.
fn other(values: &[String], candidates: &[&str]) -> String {
    candidates
        .iter()
        .find(|c| !values.iter().any(|v| v.eq_ignore_ascii_case(c)))
        .map_or_else(|| "unlisted".to_owned(), |c| (*c).to_owned())
}

/// A firewall row to (or, `from`, from) an address.
pub fn firewall_row(address: &str, port: &str) -> String {
    row(&[
        ("Type", "CommonSecurityLog".to_owned()),
        ("DeviceVendor", "Palo Alto Networks".to_owned()),
        ("SourceIP", "10.20.1.15".to_owned()),
        ("DestinationIP", address.to_owned()),
        ("DestinationPort", port.to_owned()),
    ])
}

/// A Defender connection to an address and port.
pub fn endpoint_row(address: &str, port: &str) -> String {
    row(&[
        ("Type", "DeviceNetworkEvents".to_owned()),
        ("ActionType", "ConnectionSuccess".to_owned()),
        ("RemoteIP", address.to_owned()),
        ("RemotePort", port.to_owned()),
    ])
}

/// A proxy request for a URL.
pub fn proxy_row(url: &str) -> String {
    row(&[
        ("Type", "CommonSecurityLog".to_owned()),
        ("DeviceVendor", "Zscaler".to_owned()),
        ("SourceIP", "10.20.1.15".to_owned()),
        ("DestinationIP", "198.51.100.200".to_owned()),
        ("DestinationPort", "80".to_owned()),
        ("RequestURL", url.to_owned()),
    ])
}

/// A Safe Links click on a URL.
pub fn click_row(url: &str) -> String {
    row(&[
        ("Type", "UrlClickEvents".to_owned()),
        ("ActionType", "ClickAllowed".to_owned()),
        ("AccountUpn", "a@example.org".to_owned()),
        ("Url", url.to_owned()),
    ])
}

/// A file (or, `process`, a process) with a digest.
pub fn digest_row(digest: &str, process: bool) -> String {
    let column = match digest.len() {
        64 => "SHA256",
        40 => "SHA1",
        _ => "MD5",
    };
    let (table, action) = if process {
        ("DeviceProcessEvents", "ProcessCreated")
    } else {
        ("DeviceFileEvents", "FileCreated")
    };
    row(&[
        ("Type", table.to_owned()),
        ("ActionType", action.to_owned()),
        ("FileName", "a.exe".to_owned()),
        ("FolderPath", r"C:\Users\a\a.exe".to_owned()),
        (column, digest.to_owned()),
    ])
}

/// A DNS server's lookup of a name.
pub fn dns_row(name: &str) -> String {
    row(&[("Type", "DnsEvents".to_owned()), ("Name", name.to_owned())])
}

/// The form's condition over the block's literal list, and its row kinds.
fn condition(block: &Block) -> (String, &'static str) {
    let v = &block.list;
    match block.form {
        Form::IpFirewall => (
            join(
                "any",
                &[
                    pred(Field::RemoteIp, "in", v),
                    pred(Field::SourceIp, "in", v),
                ],
            ),
            "network",
        ),
        Form::IpEndpoint => (pred(Field::RemoteIp, "in", v), "network"),
        Form::Domain => (pred(Field::QueryName, "has_any", v), "dns"),
        Form::UrlClicks => (pred(Field::Url, "has_any", v), "network"),
        Form::UrlProxy => (
            join(
                "any",
                &[
                    pred(Field::Url, "has_any", v),
                    pred(Field::RemoteHost, "has_any", v),
                ],
            ),
            "network",
        ),
        Form::Hash => (
            join(
                "any",
                &[
                    pred(Field::Sha256, "in", v),
                    pred(Field::Sha1, "in", v),
                    pred(Field::Md5, "in", v),
                ],
            ),
            "file",
        ),
    }
}

/// The block's examples: one row that fires (its list's first value) and one
/// that stays silent.
fn examples(out: &mut String, block: &Block) {
    let Some(first) = block.list.first() else {
        return;
    };
    let v = &block.list;
    let ips = ["192.0.2.254", "198.51.100.254", "203.0.113.254"];
    let (fires, silent) = match block.form {
        Form::IpFirewall => (
            firewall_row(first, "443"),
            firewall_row(&other(v, &ips), "443"),
        ),
        Form::IpEndpoint => (
            endpoint_row(first, "443"),
            endpoint_row(&other(v, &ips), "443"),
        ),
        Form::Domain if first.parse::<std::net::IpAddr>().is_ok() => {
            let reverse = format!("{first}.in-addr.arpa");
            example(
                out,
                "hunts",
                "the reverse lookup of an unrelated address, the only name an address matches",
                "fires",
                &dns_row(&reverse),
            );
            example(
                out,
                "hunts",
                "a forward lookup never names an address: a name that starts with it",
                "silent",
                &dns_row(&format!("x{first}")),
            );
            return;
        }
        Form::Domain => (dns_row(first), dns_row(&format!("x{first}"))),
        Form::UrlClicks => (
            click_row(first),
            click_row(&other(v, &["https://unrelated.example/index.html"])),
        ),
        Form::UrlProxy => {
            let url = if first.contains("://") {
                first.clone()
            } else {
                format!("http://{first}/")
            };
            (
                proxy_row(&url),
                proxy_row("http://unrelated.example/index.html"),
            )
        }
        Form::Hash => {
            let zero = "0".repeat(first.len());
            (
                digest_row(first, false),
                digest_row(&other(v, &[&zero]), false),
            )
        }
    };
    example(out, "hunts", "the list's first value", "fires", &fires);
    example(
        out,
        "hunts",
        "a value the list does not hold",
        "silent",
        &silent,
    );
}

/// The literal reading of `page` as a content file's text; `name` is the
/// input's file stem.
pub fn literal(page: &Page, name: &str) -> String {
    let mut out = String::new();
    let why = format!(
        "The published page `{name}` as written: each KQL block one hunt over its own list, \
         its query kept verbatim; each false-positive entry an exclusion where its text \
         names a field and values, else kept unexpressed. `huntlab lint` says what it costs."
    );
    emit::head(&mut out, page, &slug(name), "read literally", &why);
    emit::iocs(&mut out, page);
    let (compiled, kept) = emit::exclusions(page);
    let ids = page.hunt_ids();
    let excl: Vec<String> = compiled.iter().map(|c| c.id.clone()).collect();
    for (block, id) in page.blocks.iter().zip(&ids) {
        let (when, reads) = condition(block);
        let _ = write!(
            out,
            "\n[[hunts]]\nid = {}\ntitle = {}\ndescription = {}\norigin = \"seed\"\nkql = {}\nas_published = true\nreads = [\"{reads}\"]\nwhen = {when}\n",
            q(id),
            q(&format!("{}, as published ({})", block.form.label(), block.form.table())),
            q(&block.comments.join("; ")),
            long(&block.query),
        );
        if !excl.is_empty() {
            let _ = writeln!(out, "exclusions = {}", list(&excl));
        }
        examples(&mut out, block);
    }
    emit::write_exclusions(&mut out, page, &compiled, &kept, &ids);
    out
}
