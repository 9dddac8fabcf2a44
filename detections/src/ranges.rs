//! Shared infrastructure: the published address ranges of CDN and cloud
//! providers, where one address serves many unrelated tenants, so that a hunt
//! on a bare address there alerts on every site sharing it. A list is a
//! `.cidr` text ([`RangeList::parse`]: its first `#` line names it, then one
//! CIDR range a line); [`Ranges`] looks up whether an address, an address and
//! port, or a range indicator lies in (or overlaps) one, naming the provider
//! and the range. Dated copies of four lists are built in ([`BUILTIN`]).
//!
//! No I/O: callers hand in the text of any other list.

use std::fmt;
use std::net::IpAddr;

use crate::ioc::IocKind;
use crate::matcher::indicator::split_ip_port;

/// The built-in lists: file name and text (dated copies of the MISP warning
/// lists, CC0; `detections/data/ranges/README.md` says
/// where each comes from and its date).
pub const BUILTIN: [(&str, &str); 4] = [
    (
        "cloudflare.cidr",
        include_str!("../data/ranges/cloudflare.cidr"),
    ),
    (
        "amazon-aws.cidr",
        include_str!("../data/ranges/amazon-aws.cidr"),
    ),
    (
        "google-gcp.cidr",
        include_str!("../data/ranges/google-gcp.cidr"),
    ),
    (
        "microsoft-azure.cidr",
        include_str!("../data/ranges/microsoft-azure.cidr"),
    ),
];

/// Why a list cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// A line that is not a CIDR range.
    #[error("line {line}: `{value}` is not a CIDR range: {why}")]
    Line {
        /// 1-based line.
        line: usize,
        /// The line, trimmed.
        value: String,
        /// What is wrong.
        why: String,
    },
    /// No range at all.
    #[error("no CIDR range in the list (one a line, after a `#` line naming it)")]
    Empty,
}

/// One range: its first and last address (an IPv4 address in the low 32
/// bits), and its prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first: u128,
    last: u128,
    prefix: u8,
}

/// One list of ranges, read and sorted for lookups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeList {
    /// The provider (`Cloudflare`, `Amazon AWS`), from the first `#` line, else
    /// the file name.
    pub name: String,
    /// The first `#` line, without the `#` (what the list is, its version and
    /// source), or empty.
    pub title: String,
    /// Where it came from (a file name; `built-in cloudflare.cidr`).
    pub origin: String,
    /// How many ranges the list holds, as written.
    pub written: usize,
    /// The IPv4 ranges: sorted, each not inside another (a range inside one
    /// already kept is left out: CIDR ranges are nested or apart).
    v4: Vec<Span>,
    /// The IPv6 ranges, the same way.
    v6: Vec<Span>,
}

/// Where an indicator lies in shared infrastructure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared<'r> {
    /// The provider.
    pub provider: &'r str,
    /// The list's range that holds (or overlaps) the indicator
    /// (`104.16.0.0/13`).
    pub range: String,
}

impl fmt::Display for Shared<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.provider, self.range)
    }
}

impl RangeList {
    /// Read a `.cidr` list: its first `#` line names it (`# List of known
    /// Cloudflare IP ranges (...)` names `Cloudflare`), then one CIDR range a
    /// line, IPv4 or IPv6 (blank lines and later `#` lines skipped; a range
    /// is normalised as a `cidr` indicator is). `origin` names it (a file
    /// name), and names the provider when no `#` line does.
    pub fn parse(text: &str, origin: &str) -> Result<RangeList, RangeError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut title = None;
        let (mut v4, mut v6, mut written) = (Vec::new(), Vec::new(), 0);
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(comment) = t.strip_prefix('#') {
                title.get_or_insert_with(|| comment.trim().to_owned());
                continue;
            }
            let (addr, span) = span_of(t).map_err(|why| RangeError::Line {
                line: i + 1,
                value: t.to_owned(),
                why,
            })?;
            written += 1;
            if addr.is_ipv4() { &mut v4 } else { &mut v6 }.push(span);
        }
        if written == 0 {
            return Err(RangeError::Empty);
        }
        let title = title.unwrap_or_default();
        Ok(RangeList {
            name: provider(&title, origin),
            title,
            origin: origin.to_owned(),
            written,
            v4: outermost(v4),
            v6: outermost(v6),
        })
    }

    /// The range of this list holding `a`, if one does.
    fn holding(&self, a: IpAddr) -> Option<String> {
        let (spans, x, v4) = match a {
            IpAddr::V4(a) => (&self.v4, u128::from(u32::from(a)), true),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(a) => (&self.v4, u128::from(u32::from(a)), true),
                None => (&self.v6, u128::from(a), false),
            },
        };
        let at = spans.partition_point(|s| s.first <= x);
        let s = spans[..at].last().filter(|s| s.last >= x)?;
        Some(cidr(s, v4))
    }

    /// The first range of this list overlapping `first..=last`, if one does.
    fn overlapping(&self, first: u128, last: u128, v4: bool) -> Option<String> {
        let spans = if v4 { &self.v4 } else { &self.v6 };
        let at = spans.partition_point(|s| s.last < first);
        let s = spans.get(at).filter(|s| s.first <= last)?;
        Some(cidr(s, v4))
    }
}

/// The provider a list's first line names: `List of known ` left out, up to
/// ` IP ` or ` (`; else the file name without its extension.
fn provider(title: &str, origin: &str) -> String {
    let t = title.strip_prefix("List of known ").unwrap_or(title);
    let end = [" IP ", " (", " ranges", ","]
        .iter()
        .filter_map(|m| t.find(m))
        .min()
        .unwrap_or(t.len());
    let name = t[..end].trim();
    if !name.is_empty() {
        return name.to_owned();
    }
    let file = origin.rsplit(['/', '\\']).next().unwrap_or(origin);
    file.split('.').next().unwrap_or(file).to_owned()
}

/// A line read as a range: its address (for the version) and span.
fn span_of(line: &str) -> Result<(IpAddr, Span), String> {
    plain_span(line).map_or_else(|| cidr_span(line), Ok)
}

/// [`span_of`] through the CIDR indicator reading (normalised, written out,
/// and read back).
fn cidr_span(line: &str) -> Result<(IpAddr, Span), String> {
    let p = IocKind::Cidr.parse(line).map_err(|e| match e {
        crate::ioc::IocError::Invalid { why, .. } => why,
        other => other.to_string(),
    })?;
    let (addr, len) = p
        .value
        .split_once('/')
        .ok_or("no prefix length (`198.51.100.0/24`)")?;
    let addr: IpAddr = addr.parse().map_err(|_| "not an IP address".to_owned())?;
    let prefix: u8 = len.parse().map_err(|_| "not a prefix length".to_owned())?;
    let (first, bits) = match addr {
        IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    };
    let size = bits - u32::from(prefix);
    let last = first | u128::MAX.checked_shr(128 - size).unwrap_or(0);
    Ok((
        addr,
        Span {
            first,
            last,
            prefix,
        },
    ))
}

/// [`span_of`] of a plain range, `address/length` (nearly every line of a
/// list), read without writing its normal form out and reading it back:
/// the span [`cidr_span`] gives (property test). `None` for an IPv4-mapped
/// address, and for anything that is not an address, a slash and one to
/// three digits (white space, a defanged dot), or whose length is over its
/// family's: those take the CIDR reading.
fn plain_span(line: &str) -> Option<(IpAddr, Span)> {
    let (addr, len) = line.split_once('/')?;
    if len.is_empty() || len.len() > 3 || !len.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix: u8 = len.parse().ok()?;
    let (first, bits): (u128, u32) = match addr.parse::<std::net::Ipv4Addr>() {
        Ok(a) => (u128::from(u32::from(a)), 32),
        Err(_) => {
            let a = addr.parse::<std::net::Ipv6Addr>().ok()?;
            if a.to_ipv4_mapped().is_some() {
                return None;
            }
            (u128::from(a), 128)
        }
    };
    let size = bits.checked_sub(u32::from(prefix))?;
    let host = u128::MAX.checked_shr(128 - size).unwrap_or(0);
    let first = first & !host;
    let addr = match u32::try_from(first) {
        Ok(v4) if bits == 32 => IpAddr::from(std::net::Ipv4Addr::from(v4)),
        _ => IpAddr::from(std::net::Ipv6Addr::from(first)),
    };
    let span = Span {
        first,
        last: first | host,
        prefix,
    };
    Some((addr, span))
}

/// The spans sorted, each inside an earlier one left out: what remains is
/// apart and sorted by first and by last address, for binary search.
fn outermost(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by(|a, b| a.first.cmp(&b.first).then(b.last.cmp(&a.last)));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last() {
            Some(kept) if s.first <= kept.last => {}
            _ => out.push(s),
        }
    }
    out
}

/// A span written as CIDR.
fn cidr(s: &Span, v4: bool) -> String {
    let addr = if v4 {
        IpAddr::from(std::net::Ipv4Addr::from(s.first as u32))
    } else {
        IpAddr::from(std::net::Ipv6Addr::from(s.first))
    };
    format!("{addr}/{}", s.prefix)
}

/// Lists of shared ranges, looked up together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranges {
    lists: Vec<RangeList>,
}

impl Ranges {
    /// The lists, in the order given (a lookup names them in this order).
    pub fn new(lists: Vec<RangeList>) -> Self {
        Ranges { lists }
    }

    /// The built-in lists, read.
    pub fn builtin_lists() -> Vec<RangeList> {
        BUILTIN
            .iter()
            .map(|(file, text)| {
                RangeList::parse(text, &format!("built-in {file}"))
                    .expect("the built-in lists are well-formed (tested)")
            })
            .collect()
    }

    /// The lists looked up.
    pub fn lists(&self) -> &[RangeList] {
        &self.lists
    }

    /// Whether there is no list to look up.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// The lists' ranges holding `a` (an IPv4-mapped IPv6 address as the IPv4
    /// address it is), one per list at most.
    pub fn address(&self, a: IpAddr) -> Vec<Shared<'_>> {
        self.lists
            .iter()
            .filter_map(|l| {
                l.holding(a).map(|range| Shared {
                    provider: &l.name,
                    range,
                })
            })
            .collect()
    }

    /// Where an indicator lies in shared ranges: an address (`ipv4`, `ipv6`)
    /// or an address and port held by a range, or a `cidr` range overlapping
    /// one; one per list at most, none for other kinds or for a value that is
    /// not normalised as its kind's.
    pub fn indicator(&self, kind: IocKind, value: &str) -> Vec<Shared<'_>> {
        match kind {
            IocKind::Ipv4 | IocKind::Ipv6 => value
                .parse()
                .map_or_else(|_| Vec::new(), |a| self.address(a)),
            IocKind::IpPort => split_ip_port(value).map_or_else(Vec::new, |(a, _)| self.address(a)),
            IocKind::Cidr => self.range(value),
            _ => Vec::new(),
        }
    }

    /// The lists' ranges overlapping a normalised CIDR range.
    fn range(&self, value: &str) -> Vec<Shared<'_>> {
        let Ok((addr, span)) = span_of(value) else {
            return Vec::new();
        };
        self.lists
            .iter()
            .filter_map(|l| {
                l.overlapping(span.first, span.last, addr.is_ipv4())
                    .map(|range| Shared {
                        provider: &l.name,
                        range,
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_ranges_read_as_the_cidr_reading_reads_them() {
        for line in [
            "2001:DB8::/32",
            "2001:0db8::/32",
            "10.0.0.0/08",
            "1.2.3.4/000",
            "0.0.0.0/0",
            "::/0",
            "::/128",
            "::1.2.3.4/120",
            "::ffff:1.2.3.4/64",
            "::ffff:1.2.3.4/120",
            "010.0.0.0/8",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "10[.]0.0.0/8",
            "10.0.0.1/33",
            "10.0.0.1/1000",
            "10.0.0.1/",
            "10.0.0.1",
            "2001:db8::1/129",
        ] {
            let want = cidr_span(line).map(|(a, s)| (a, s.first, s.last, s.prefix));
            let got = span_of(line).map(|(a, s)| (a, s.first, s.last, s.prefix));
            assert_eq!(got, want, "{line}");
        }
    }

    proptest::proptest! {
        /// A plain range reads as the CIDR reading of it does.
        #[test]
        fn a_plain_range_reads_as_the_cidr_reading(
            v4 in proptest::array::uniform4(0u8..=255),
            v6 in proptest::array::uniform8(0u16..=0xffff),
            mapped in proptest::bool::ANY,
            six in proptest::bool::ANY,
            upper in proptest::bool::ANY,
            len in "0{0,1}[0-9]{1,2}|1[0-9]{2}|2[0-9]{2}",
        ) {
            let addr = match (six, mapped) {
                (false, _) => std::net::Ipv4Addr::from(v4).to_string(),
                (true, true) => std::net::Ipv4Addr::from(v4).to_ipv6_mapped().to_string(),
                (true, false) => std::net::Ipv6Addr::from(v6).to_string(),
            };
            let addr = match (upper, six) {
                (true, _) => addr.to_uppercase(),
                // The first group written with its leading zeros.
                (false, true) => match addr.split_once(':') {
                    Some((g, rest)) if !g.is_empty() && g.len() < 4 => format!("{g:0>4}:{rest}"),
                    _ => addr,
                },
                (false, false) => addr,
            };
            let line = format!("{addr}/{len}");
            if let Some(plain) = plain_span(&line) {
                let cidr = cidr_span(&line).expect("a range the plain reading read");
                proptest::prop_assert_eq!(plain.0, cidr.0);
                proptest::prop_assert_eq!(
                    (plain.1.first, plain.1.last, plain.1.prefix),
                    (cidr.1.first, cidr.1.last, cidr.1.prefix)
                );
            } else {
                // Left to the CIDR reading: a mapped address or a length
                // over the family's.
                let over = len.parse::<u32>().unwrap_or(0) > if six { 128 } else { 32 };
                let mapped = addr
                    .parse::<std::net::Ipv6Addr>()
                    .is_ok_and(|a| a.to_ipv4_mapped().is_some());
                proptest::prop_assert!(mapped || over, "{}", line);
            }
        }
    }

    #[test]
    fn names_the_provider_from_the_first_line_else_the_file() {
        for (title, name) in [
            (
                "List of known Cloudflare IP ranges (MISP warninglist)",
                "Cloudflare",
            ),
            (
                "List of known Amazon AWS IP address ranges (x)",
                "Amazon AWS",
            ),
            (
                "List of known GCP (Google Cloud Platform) IP address ranges",
                "GCP",
            ),
            (
                "List of known Microsoft Azure Datacenter IP Ranges (x)",
                "Microsoft Azure Datacenter",
            ),
            ("My CDN", "My CDN"),
            ("", "edge"),
        ] {
            assert_eq!(provider(title, "lists/edge.cidr"), name, "{title}");
        }
    }

    #[test]
    fn nested_ranges_keep_the_outermost() {
        let l = RangeList::parse(
            "# t\n10.1.0.0/16\n10.0.0.0/8\n10.2.3.0/24\n11.0.0.0/8\n",
            "x",
        )
        .unwrap();
        assert_eq!(l.written, 4);
        assert_eq!(l.v4.len(), 2);
        assert_eq!(
            l.holding("10.2.3.4".parse().unwrap()).as_deref(),
            Some("10.0.0.0/8")
        );
        assert_eq!(l.holding("12.0.0.0".parse().unwrap()), None);
    }
}
