//! Scenarios proposed for a content (`huntlab scenarios --propose`): what each
//! hunt should alert on (the generic `implant` with the indicators the hunt
//! reads, on the sensors of the rows it reads), the benign traffic its
//! indicators share the wire with (a site on a listed address, another path
//! on a listed URL's host, inbound scans from a listed address), and look-
//! alikes of its names that must not match. Each is an ordinary scenario file
//! with comments saying what it tests, for the user to edit. The adversary
//! who mimics each exclusion is generated when the content is run
//! ([`crate::mimic`]), so it is not written here. No I/O: the caller writes
//! the files.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::net::IpAddr;

use detections::content::Hunt;
use detections::import::{Finding, Subject};
use detections::ioc::IocKind;
use detections::{Detection, Field};

mod coverage;
mod excused;

/// One proposed scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    /// The file name (`<id>.toml`).
    pub file: String,
    /// The file's text.
    pub text: String,
}

/// What was proposed, and what could not be (the subject and why).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposal {
    /// The scenario files, in a fixed order.
    pub files: Vec<Proposed>,
    /// What no scenario could be proposed for, and why.
    pub skipped: Vec<(String, String)>,
    /// Each `warning` and `error` lint finding, and the scenario that tests it.
    pub covers: Vec<Covered>,
}

/// One finding and the proposed scenario that tests it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Covered {
    /// `warning port-dropped indicator 3.0.12.40:443`.
    pub finding: String,
    /// The scenario's id.
    pub scenario: Option<String>,
}

/// An address or host as it appears in a scenario id (`3-0-12-40`).
fn dashed(v: &str) -> String {
    v.replace([':', '.', '[', ']'], "-")
}

/// The indicator values a hunt reads, by what the implant does with them.
#[derive(Debug, Default)]
struct Values {
    names: BTreeSet<String>,
    addresses: BTreeSet<(String, u16)>,
    urls: BTreeSet<String>,
    digests: Vec<(IocKind, String)>,
}

/// The address of `v` (IPv4-mapped IPv6 read as IPv4), if it is one.
fn address(v: &str) -> Option<String> {
    let a: IpAddr = v
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    Some(match a {
        IpAddr::V6(six) => six
            .to_ipv4_mapped()
            .map_or_else(|| six.to_string(), |four| four.to_string()),
        IpAddr::V4(four) => four.to_string(),
    })
}

/// The address of an `ip`, `ip:port` or `[ip]:port` indicator.
fn bare(v: &str) -> Option<String> {
    address(v).or_else(|| address(v.rsplit_once(':')?.0))
}

/// A URL's host (`http://a.b:80/x` gives `a.b`).
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

/// The port of a listed `ip:port` with this address, else 443.
fn port_of(det: &Detection, addr: &str) -> u16 {
    det.iocs
        .iter()
        .filter(|i| i.kind == IocKind::IpPort)
        .find_map(|i| {
            let (a, p) = i.value.rsplit_once(':')?;
            (address(a)? == addr).then(|| p.parse().ok()).flatten()
        })
        .or_else(|| {
            det.iocs
                .iter()
                .filter(|i| i.kind == IocKind::Url && url_host(&i.value) == addr)
                .find_map(|i| {
                    let rest = i.value.split_once("://")?.1;
                    let authority = rest.split(['/', '?', '#']).next()?;
                    authority.rsplit_once(':')?.1.parse().ok()
                })
        })
        .unwrap_or(443)
}

fn values_of(det: &Detection, hunt: &Hunt) -> Values {
    let mut out = Values::default();
    for t in hunt.when.predicates() {
        let listed: Vec<String> = match t.list {
            Some(kind) => det
                .iocs
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| i.value.clone())
                .collect(),
            None => t.values.to_vec(),
        };
        for v in listed {
            match t.field {
                Field::QueryName | Field::RemoteHost | Field::Url
                    if address(&v).is_none() && !v.contains("://") =>
                {
                    out.names.insert(v.trim_end_matches('.').to_owned());
                }
                // An address where a name or a URL is hunted (lint's address
                // used as a DNS name, or a URL cut to its host): the implant
                // talks to the address, and fetches each listed URL on it.
                Field::QueryName | Field::RemoteHost | Field::Url if address(&v).is_some() => {
                    let a = address(&v).unwrap_or_default();
                    for i in det.iocs.iter().filter(|i| i.kind == IocKind::Url) {
                        if url_host(&i.value).eq_ignore_ascii_case(&a) {
                            out.urls.insert(i.value.clone());
                        }
                    }
                    let port = port_of(det, &a);
                    out.addresses.insert((a, port));
                }
                Field::RemoteIp => {
                    let (a, port) = match v.rsplit_once(':').filter(|_| address(&v).is_none()) {
                        Some((a, p)) => (address(a), p.parse().ok()),
                        None => (address(&v), None),
                    };
                    if let Some(a) = a {
                        let port = port.unwrap_or_else(|| port_of(det, &a));
                        out.addresses.insert((a, port));
                    }
                }
                Field::Url if v.contains("://") => {
                    out.urls.insert(v);
                }
                // A digest's kind is its length: one list may hold all three.
                Field::Sha256 | Field::Sha1 | Field::Md5 => {
                    let kind = match v.len() {
                        64 => IocKind::Sha256,
                        40 => IocKind::Sha1,
                        32 => IocKind::Md5,
                        _ => continue,
                    };
                    let v = v.to_ascii_lowercase();
                    if v.bytes().all(|b| b.is_ascii_hexdigit())
                        && !out.digests.contains(&(kind, v.clone()))
                    {
                        out.digests.push((kind, v));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A TOML string (basic, escaped).
fn q(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| q(&s)).collect();
    format!("[{}]", items.join(", "))
}

/// A scenario file's head: the comment, id, title, kind, description,
/// expectation and the generator's common keys.
fn head(content: &str, n: usize, id: &str, kind: &str, outcome: &str, says: &[&str]) -> String {
    let mut out =
        format!("# Proposed by `huntlab scenarios --propose` for the content `{content}`.\n");
    for line in says {
        let _ = writeln!(out, "# {line}");
    }
    let _ = write!(
        out,
        "# Edit it freely: it is an ordinary scenario file (docs/simulator.md).\n\nid = {}\ntitle = {}\nkind = \"{kind}\"\ndescription = {}\n\n[expect]\noutcome = \"{outcome}\"\n\n[generator]\n",
        q(id),
        q(says[0]),
        q(&format!("{}. {}", says[0], says[1..].join(" "))),
    );
    let _ = write!(
        out,
        "seed = {}\nhosts = 2\nhost_prefix = \"PRO{n}\"\nstart = 2026-05-21T08:00:00Z\nhours = 4\nendpoint = \"mixed\"\nserver_dns = true\ndefender_network = true\nsysmon_events = [1, 3, 11, 22]\nfirewall = \"pan-os\"\nproxy = \"zscaler\"\n",
        700 + n
    );
    out
}

/// The pinned digests for a hash hunt: the listed ones, the others made from
/// them (the file's real ones are not known), all three or none.
fn digests(found: &[(IocKind, String)]) -> Option<[String; 3]> {
    let seed = found.first()?.1.clone();
    let of = |kind: IocKind, len: usize| {
        found
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| seed.repeat(4).chars().take(len).collect())
    };
    Some([
        of(IocKind::Sha256, 64),
        of(IocKind::Sha1, 40),
        of(IocKind::Md5, 32),
    ])
}

/// A C2 address no content lists, for a hunt whose indicators are not a C2.
const UNLISTED_C2: (&str, u16) = ("198.51.100.250", 443);

impl Values {
    fn is_empty(&self) -> bool {
        self.names.is_empty()
            && self.addresses.is_empty()
            && self.urls.is_empty()
            && self.digests.is_empty()
    }

    fn counted(&self) -> String {
        format!(
            "{} C2 name(s), {} address(es), {} URL(s), {} digest(s)",
            self.names.len(),
            self.addresses.len(),
            self.urls.len(),
            self.digests.len()
        )
    }
}

/// What hunt `hunt` should alert on: the implant with the indicators it reads.
fn alert(det: &Detection, hunt: &Hunt, n: usize) -> Result<Proposed, String> {
    let v = values_of(det, hunt);
    if v.is_empty() {
        return Err(
            "it reads no indicator the implant can use (a name, an address, a URL or a digest)"
                .into(),
        );
    }
    let says = [
        format!("An implant whose traffic carries what `{}` hunts", hunt.id),
        format!(
            "It tests: the hunt alerts on every infected host ({}).",
            v.counted()
        ),
    ];
    Ok(implant(
        det,
        &v,
        n,
        &format!("propose-alert-{}", hunt.id),
        &says,
    ))
}

/// The indicators of the content's table that no hunt reads, as what an
/// implant uses: a name, an address (with its port), a URL (and its host's
/// name), a digest.
fn unhunted(det: &Detection) -> Values {
    let mut read = Values::default();
    for h in &det.hunts {
        let v = values_of(det, h);
        read.names.extend(v.names);
        read.addresses.extend(v.addresses);
        read.urls.extend(v.urls);
        read.digests.extend(v.digests);
    }
    let mut out = Values::default();
    for i in &det.iocs {
        match i.kind {
            IocKind::Domain if !read.names.contains(&i.value) => {
                out.names.insert(i.value.clone());
            }
            IocKind::IpPort | IocKind::Ipv4 | IocKind::Ipv6 => {
                let (a, p) = match i
                    .value
                    .rsplit_once(':')
                    .filter(|_| i.kind == IocKind::IpPort)
                {
                    Some((a, p)) => (address(a), p.parse().unwrap_or(443)),
                    None => (address(&i.value), 443),
                };
                if let Some(a) = a.filter(|a| !read.addresses.iter().any(|(r, _)| r == a)) {
                    out.addresses.insert((a, p));
                }
            }
            IocKind::Url if !read.urls.contains(&i.value) => {
                out.urls.insert(i.value.clone());
                let host = url_host(&i.value);
                if address(host).is_none() && !read.names.contains(host) {
                    out.names.insert(host.to_owned());
                }
            }
            IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5 => {
                let v = (i.kind, i.value.to_ascii_lowercase());
                if !read.digests.contains(&v) {
                    out.digests.push(v);
                }
            }
            _ => {}
        }
    }
    out
}

/// The implant scenario for `v`.
fn implant(det: &Detection, v: &Values, n: usize, id: &str, says: &[String]) -> Proposed {
    let said: Vec<&str> = says.iter().map(String::as_str).collect();
    let mut out = head(&det.id, n, id, "malicious", "alert", &said);
    if !v.digests.is_empty() {
        // Sysmon writes no digest on a file's creation: Defender's rows
        // carry the digests a hash hunt reads.
        out = out.replace("endpoint = \"mixed\"", "endpoint = \"defender\"");
    }
    out.push_str("template = \"implant\"\n");
    let names: Vec<String> = v.names.iter().take(4).cloned().collect();
    let mut addresses: Vec<String> = v
        .addresses
        .iter()
        .take(4)
        .map(|(a, p)| {
            if a.contains(':') {
                format!("[{a}]:{p}")
            } else {
                format!("{a}:{p}")
            }
        })
        .collect();
    if names.is_empty() && addresses.is_empty() {
        addresses.push(format!("{}:{}", UNLISTED_C2.0, UNLISTED_C2.1));
    }
    if !names.is_empty() {
        let _ = writeln!(out, "c2_hosts = {}", list(names));
    }
    if !addresses.is_empty() {
        let _ = writeln!(out, "c2_addresses = {}", list(addresses));
    }
    if let Some(url) = v.urls.iter().next() {
        let _ = writeln!(out, "delivery = \"powershell\"\ndownload_url = {}", q(url));
    }
    if let Some([a, b, c]) = digests(&v.digests) {
        let _ = writeln!(
            out,
            "implant_sha256 = {}\nimplant_sha1 = {}\nimplant_md5 = {}",
            q(&a),
            q(&b),
            q(&c)
        );
    }
    Proposed {
        file: format!("{id}.toml"),
        text: out,
    }
}

/// Every listed address and URL the hunts read, and the names.
fn all_values(det: &Detection) -> Values {
    let mut all = Values::default();
    for h in &det.hunts {
        let v = values_of(det, h);
        all.names.extend(v.names);
        all.addresses.extend(v.addresses);
        all.urls.extend(v.urls);
    }
    all
}

/// A proposed file: the head, then the template's keys (`body`).
fn proposed(
    det: &Detection,
    n: usize,
    id: &str,
    kind: &str,
    outcome: &str,
    says: &[String],
    body: &str,
) -> Proposed {
    let said: Vec<&str> = says.iter().map(String::as_str).collect();
    let mut text = head(&det.id, n, id, kind, outcome, &said);
    text.push_str(body);
    Proposed {
        file: format!("{id}.toml"),
        text,
    }
}

/// A name that looks like `name` but that no term match takes for it.
fn lookalikes(name: &str) -> Vec<String> {
    let (first, rest) = name.split_once('.').unwrap_or((name, "com"));
    vec![
        format!("x{name}"),
        format!("{name}x"),
        format!("{first}-{}", rest.replace('.', "-")) + ".net",
        format!("{first}{}", rest.replace('.', "")) + ".org",
    ]
}

/// The benign traffic that shares the wire with the indicators, and the
/// look-alikes of the names.
fn noise(det: &Detection, first: usize) -> Vec<Proposed> {
    let all = all_values(det);
    let mut out = Vec::new();
    let mut n = first;
    for (a, port) in &all.addresses {
        n += 1;
        let id = format!("propose-site-on-{}", dashed(a));
        let says = [
            format!("Browsing to a site hosted on {a}, a listed address"),
            format!("It tests: a hunt on the bare address alerts on every site sharing it (the C2 port is {port}; the browser uses 443)."),
        ];
        out.push(proposed(
            det,
            n,
            &id,
            "benign",
            "no-alert",
            &says,
            &format!(
                "template = \"background-network\"\nsites = [\"www.hosted-site-{n}.example\"]\nsite_address = {}\n",
            q(a)
            ),
        ));
        n += 1;
        let id = format!("propose-scans-from-{}", dashed(a));
        let says = [
            format!("Inbound probes from {a}, denied at the perimeter"),
            "It tests: a hunt that also matches the source address alerts though no host talks to it.".to_owned(),
        ];
        out.push(proposed(
            det,
            n,
            &id,
            "background",
            "no-alert",
            &says,
            &format!("template = \"background-network\"\nscanners = [{}]\n", q(a)),
        ));
    }
    let mut hosts = BTreeSet::new();
    for url in &all.urls {
        let Some((scheme, rest)) = url.split_once("://") else {
            continue;
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        if !hosts.insert(url_host(url).to_ascii_lowercase()) {
            continue;
        }
        n += 1;
        let id = format!("propose-other-path-{}", dashed(url_host(url)));
        let says = [
            format!("A download from {host}, the host of a listed URL, at another path"),
            "It tests: a URL hunted by its host alone alerts on every request to the host."
                .to_owned(),
        ];
        out.push(proposed(
            det,
            n,
            &id,
            "benign",
            "no-alert",
            &says,
            &format!(
                "template = \"background-network\"\ndownloads = [{}]\n",
                q(&format!("{scheme}://{host}/docs/manual.pdf"))
            ),
        ));
    }
    if !all.names.is_empty() {
        n += 1;
        let id = "propose-lookalikes".to_owned();
        let names: Vec<String> = all.names.iter().flat_map(|m| lookalikes(m)).collect();
        let says = [
            "Names that look like the listed ones and are not".to_owned(),
            "It tests: no hunt matches a name that only looks like an indicator (a letter more, a hyphen for the dot).".to_owned(),
        ];
        out.push(proposed(
            det,
            n,
            &id,
            "background",
            "no-match",
            &says,
            &format!(
                "template = \"background-dns\"\nrate_per_minute = 0.5\nnames = {}\nnames_interval_minutes = 10\n",
            list(names)
            ),
        ));
    }
    out
}

/// The adversary who copies each exclusion's values (the mimic `report`
/// generates when the folder holds no file of its id), written out for the
/// user to read and edit.
fn mimicked(det: &Detection, p: &mut Proposal) {
    let made = crate::mimic::mimics(det);
    for (k, x) in det.exclusions.iter().enumerate() {
        let guards = det.hunts.iter().any(|h| h.exclusions.contains(&k));
        if guards && !made.iter().any(|m| m.exclusion == x.id) {
            p.skipped.push((
                format!("the mimic of exclusion {}", x.id),
                "it applies to no process or file row: the mimic copies what the implant's process and file rows carry, and its C2 is in no list, so on network or DNS rows no hunt would see it".to_owned(),
            ));
        }
    }
    for m in made {
        match (m.text, m.scenario) {
            (Some(text), Ok(_)) => p.files.push(Proposed {
                file: format!("{}.toml", crate::mimic::mimic_id(&m.exclusion)),
                text: format!(
                    "# Proposed by `huntlab scenarios --propose` for the content `{}`.\n# The adversary who copies every value of `{}` the attacker controls.\n# It tests: the alert stands though the implant satisfies the exclusion.\n# `report` generates this scenario when the folder holds no file of its id;\n# this copy is the same, for you to read and edit.\n\n{text}",
                    det.id, m.exclusion
                ),
            }),
            (_, Err(why)) => p
                .skipped
                .push((format!("the mimic of exclusion {}", m.exclusion), why)),
            (None, Ok(_)) => {}
        }
    }
}

/// The scenarios proposed for `det`, and which of them tests each of its
/// lint findings (`findings`: the content's lint).
#[must_use]
pub fn propose(det: &Detection, findings: &[Finding]) -> Proposal {
    let mut p = Proposal::default();
    for (i, h) in det.hunts.iter().enumerate() {
        match alert(det, h, i + 1) {
            Ok(f) => p.files.push(f),
            Err(why) => p.skipped.push((format!("hunt {}", h.id), why)),
        }
    }
    let rest = unhunted(det);
    let n = det.hunts.len() + 1;
    if !rest.is_empty() {
        let says = [
            "An implant that uses the listed indicators no hunt reads".to_owned(),
            format!(
                "It tests: an indicator in the table but in no query is missed ({}).",
                rest.counted()
            ),
        ];
        p.files
            .push(implant(det, &rest, n, "propose-alert-unhunted", &says));
    }
    let noise = noise(det, n);
    let shared: BTreeSet<String> = findings
        .iter()
        .filter(|f| f.code.starts_with("shared-range"))
        .filter_map(|f| match &f.subject {
            Subject::Indicator(v) => bare(v),
            _ => None,
        })
        .collect();
    let (excused, why) = excused::excused(det, n + noise.len(), &shared);
    p.files.extend(noise);
    p.files.extend(excused);
    p.skipped.extend(why);
    mimicked(det, &mut p);
    p.covers = coverage::cover(det, findings, &p.files);
    p
}
