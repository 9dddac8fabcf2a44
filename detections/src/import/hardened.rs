//! The safer reading of a page, as the `published-hardened` content reads the
//! family's forms: the port kept for `ip:port` and only the remote address
//! matched; an address in a shared range hunted with a process condition
//! instead of bare; full URLs (offline ones kept); digests on processes too;
//! the DNS hunt on names only (an address a URL names is hunted on the network
//! tables, by the full URL).

use std::fmt::Write as _;

use super::emit::{self, example};
use super::form::Form;
use super::lint::{kind_of, split_address, url_host};
use super::literal::{digest_row, dns_row, endpoint_row, firewall_row, proxy_row};
use super::toml_text::{join, list, pred, pred_from, q, row};
use super::types::{slug, Page};
use crate::event::Field;
use crate::ioc::IocKind;
use crate::ranges::Ranges;

/// The hunts' head: id, title, description, origin, reads, when, exclusions.
fn hunt(
    out: &mut String,
    id: &str,
    title: &str,
    why: &str,
    reads: &str,
    when: &str,
    excl: &[String],
) {
    let _ = write!(
        out,
        "\n[[hunts]]\nid = {}\ntitle = {}\ndescription = {}\norigin = {{ added = {} }}\nreads = {reads}\nwhen = {when}\n",
        q(id),
        q(title),
        q(title),
        q(why),
    );
    if !excl.is_empty() {
        let _ = writeln!(out, "exclusions = {}", list(excl));
    }
}

/// The values of the page's indicators of `kind`.
fn values(page: &Page, kind: IocKind) -> Vec<String> {
    page.iocs
        .iter()
        .filter(|i| kind_of(&i.ioc_type) == Some(kind))
        .map(|i| i.value.clone())
        .collect()
}

/// The `ip:port` hunts: the address and port, outbound; a shared one with a
/// process condition, taken out of the first by an exclusion.
fn addresses(out: &mut String, page: &Page, ranges: &Ranges, excl: &[String]) -> Option<String> {
    // A page's `ip:port`s; a KQL file's bare addresses when it has none.
    let mut endpoints = values(page, IocKind::IpPort);
    let mut list = "iocs.ip_port";
    if endpoints.is_empty() {
        endpoints = values(page, IocKind::Ipv4);
        list = "iocs.ipv4";
    }
    let with_port = list == "iocs.ip_port";
    let split = |v: &'_ str| -> Option<(String, String)> {
        if with_port {
            split_address(v).map(|(a, p)| (a.to_owned(), p.to_owned()))
        } else {
            Some((v.to_owned(), "443".to_owned()))
        }
    };
    let (shared, own): (Vec<&String>, Vec<&String>) = endpoints.iter().partition(|v| {
        split(v)
            .and_then(|(a, _)| a.parse().ok())
            .is_some_and(|a| !ranges.address(a).is_empty())
    });
    let first = own.first().or(shared.first())?;
    let (addr, port) = split(first)?;
    let (addr, port) = (addr.as_str(), port.as_str());
    let mut with = excl.to_vec();
    if !shared.is_empty() {
        with.push("shared-range-address".to_owned());
    }
    hunt(out, "c2-address", "Outbound connection to a C2 address and port", "The pages hunt `ip:port` indicators as bare addresses, on `SourceIP` too; the port is what the C2 listened on, and traffic from an address is not a host reaching it.", "[\"network\"]", &pred_from(Field::RemoteIp, "in", list), &with);
    if with_port {
        out.push_str("match = \"address_port\"\n");
    }
    example(
        out,
        "hunts",
        "the C2's address and port",
        "fires",
        &firewall_row(addr, port),
    );
    if with_port {
        let other_port = if port == "7700" { "7701" } else { "7700" };
        example(
            out,
            "hunts",
            "another port of the address",
            "silent",
            &firewall_row(addr, other_port),
        );
    }
    let inbound = row(&[
        ("Type", "CommonSecurityLog".to_owned()),
        ("DeviceVendor", "Palo Alto Networks".to_owned()),
        ("SourceIP", addr.to_owned()),
        ("DestinationIP", "203.0.113.10".to_owned()),
        ("DestinationPort", "3389".to_owned()),
    ]);
    example(
        out,
        "hunts",
        "an inbound probe from the address",
        "silent",
        &inbound,
    );
    if shared.is_empty() {
        return None;
    }
    let shared: Vec<(String, String)> = shared.iter().filter_map(|v| split(v)).collect();
    Some(shared_hunt(out, list, &shared, excl))
}

/// The DNS hunt over the names (domain indicators, URL hosts that are names)
/// where the page hunts DNS or holds domains.
fn names(out: &mut String, page: &Page, excl: &[String]) {
    let mut names = values(page, IocKind::Domain);
    if page.blocks.iter().any(|b| b.form == Form::Domain) {
        for u in values(page, IocKind::Url) {
            let host = url_host(&u).to_owned();
            if host.parse::<std::net::IpAddr>().is_err() && !names.contains(&host) {
                names.push(host);
            }
        }
    }
    let Some(first) = names.first().cloned() else {
        return;
    };
    hunt(
        out,
        "c2-dns",
        "DNS lookup of an indicator's name",
        "The page's DNS hunt, on names only: an address is never a forward lookup's name.",
        "[\"dns\"]",
        &pred(Field::QueryName, "has_any", &names),
        excl,
    );
    example(out, "hunts", "the name", "fires", &dns_row(&first));
    example(
        out,
        "hunts",
        "a look-alike with a letter before it",
        "silent",
        &dns_row(&format!("x{first}")),
    );
}

/// The hardened reading of `page` as a content file's text.
pub fn hardened(page: &Page, name: &str, ranges: &Ranges) -> String {
    let mut out = String::new();
    let why = format!(
        "The published page `{name}` read safely: ports kept and outbound only, shared-range \
         addresses with a process condition, full URLs (offline ones kept), digests on \
         processes too, names alone in the DNS hunt."
    );
    emit::head(
        &mut out,
        page,
        &format!("{}-hardened", slug(name)),
        "read safely",
        &why,
    );
    emit::iocs(&mut out, page);
    let (compiled, kept) = emit::exclusions(page);
    let excl: Vec<String> = compiled.iter().map(|c| c.id.clone()).collect();
    let shared = addresses(&mut out, page, ranges, &excl);
    names(&mut out, page, &excl);
    if let Some(url) = values(page, IocKind::Url).first() {
        hunt(&mut out, "payload-url", "Request for an indicator's full URL", "The pages hunt URLs by host (proxy) or by `has_any` (clicks); a URL indicator is one resource, not its host. Offline URLs are kept: their hosts may serve again.", "[\"network\"]", &pred_from(Field::Url, "in", "iocs.url"), &excl);
        example(
            &mut out,
            "hunts",
            "the URL through the proxy",
            "fires",
            &proxy_row(url),
        );
        let other = format!("http://{}/another/path.html", url_host(url));
        example(
            &mut out,
            "hunts",
            "another path on the URL's host",
            "silent",
            &proxy_row(&other),
        );
    }
    let digests: Vec<String> = [
        (IocKind::Sha256, Field::Sha256),
        (IocKind::Sha1, Field::Sha1),
        (IocKind::Md5, Field::Md5),
    ]
    .iter()
    .filter(|(k, _)| !values(page, *k).is_empty())
    .map(|(k, f)| pred_from(*f, "in", k.values_from()))
    .collect();
    let first_digest = [IocKind::Sha256, IocKind::Sha1, IocKind::Md5]
        .iter()
        .find_map(|k| values(page, *k).into_iter().next());
    if let Some(d) = first_digest {
        hunt(&mut out, "payload-hash", "File or process with a payload digest", "The pages hunt digests on file rows only; a renamed payload keeps its digest when it runs.", "[\"file\", \"process\"]", &join("any", &digests), &excl);
        example(
            &mut out,
            "hunts",
            "the payload written",
            "fires",
            &digest_row(&d, false),
        );
        example(
            &mut out,
            "hunts",
            "the payload run",
            "fires",
            &digest_row(&d, true),
        );
        example(
            &mut out,
            "hunts",
            "another digest",
            "silent",
            &digest_row(&"0".repeat(d.len()), false),
        );
    }
    let hunts = hunt_ids(&out);
    if let Some(s) = shared {
        out.push_str(&s);
    }
    emit::write_exclusions(&mut out, page, &compiled, &kept, &hunts);
    out
}

/// The ids of the hunts written so far, in order.
fn hunt_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut in_hunt = false;
    for line in text.lines() {
        if line == "[[hunts]]" {
            in_hunt = true;
        } else if in_hunt {
            if let Some(id) = line.strip_prefix("id = ") {
                ids.push(id.trim_matches(['"', '\'']).to_owned());
                in_hunt = false;
            }
        }
    }
    ids
}

/// The hunt of the indicators in a shared range (address and port, each
/// written as its address), with a process condition; and the exclusion
/// (its text) that takes them out of the address hunt.
fn shared_hunt(
    out: &mut String,
    list: &str,
    shared: &[(String, String)],
    excl: &[String],
) -> String {
    let mut bare: Vec<String> = Vec::new();
    for (a, _) in shared {
        bare.push(a.clone());
        bare.push(format!("::ffff:{a}"));
    }
    let with_port = list == "iocs.ip_port";
    let (sa, sp) = (shared[0].0.as_str(), shared[0].1.as_str());
    let when = join(
        "all",
        &[
            pred_from(Field::RemoteIp, "in", list),
            pred(Field::RemoteIp, "in", &bare),
            join(
                "any",
                &[
                    pred(
                        Field::Image,
                        "contains",
                        &[
                            r"\AppData\".to_owned(),
                            r"\Temp\".to_owned(),
                            r"\ProgramData\".to_owned(),
                            r"\Users\Public\".to_owned(),
                        ],
                    ),
                    pred(
                        Field::ImageName,
                        "in~",
                        &[
                            "RegAsm.exe",
                            "RegSvcs.exe",
                            "InstallUtil.exe",
                            "MSBuild.exe",
                            "AddInProcess32.exe",
                            "vbc.exe",
                        ]
                        .map(str::to_owned),
                    ),
                ],
            ),
        ],
    );
    hunt(out, "c2-shared-address-process", "A program in a user-writable folder, or a .NET host, connecting to a C2 indicator in a shared range", "An address in a shared CDN or cloud range names every site fronted there: its address and port alone are browsing, so it is hunted with a process condition where the row names a process (the firewall names none: there it is not hunted).", "[\"network\"]", &when, excl);
    if with_port {
        out.push_str("match = \"address_port\"\n");
    }
    let mut implant = endpoint_row(sa, sp);
    implant.truncate(implant.len() - 2);
    implant.push_str(r#", InitiatingProcessFolderPath = 'C:\Users\a\AppData\Roaming\svc\svc.exe', InitiatingProcessFileName = "svc.exe" }"#);
    example(
        out,
        "hunts",
        "a program under AppData on the shared address's port",
        "fires",
        &implant,
    );
    example(
        out,
        "hunts",
        "the firewall names no process",
        "silent",
        &firewall_row(sa, sp),
    );
    format!(
        "\n[[exclusions]]\nid = \"shared-range-address\"\nscenario = \"Browsing to hosts on a shared CDN or cloud address an indicator names\"\ndescription = \"Every site or service fronted on a shared address shares it.\"\nseed_text = \"(none: the page hunts the bare address)\"\ninterpretation = \"The address hunt does not hunt an indicator in a shared range: its rows are taken out here, and c2-shared-address-process hunts it with a process condition.\"\napplies_to = [\"network\"]\nwhen = {}\n\n[[exclusions.examples]]\nname = \"a session to the shared address\"\nexpect = \"suppressed\"\nrow = {}\n",
        pred(Field::RemoteIp, "in", &bare),
        endpoint_row(sa, sp)
    )
}
