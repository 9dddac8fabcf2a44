//! The generic feed content (`--content none`): one hunt per indicator kind,
//! on every table that carries it, with no exclusions. It is written as a
//! content file's text, so it loads through the one compiler every content
//! takes, with only the lists the feed holds indicators of (an empty list is
//! a load error).

use std::fmt::Write as _;

use crate::ioc::IocKind;
use crate::matcher::indicator::PortMatch;

/// The generic content's id, as hits and exports name it.
pub const FEED_CONTENT_ID: &str = "feed";

/// One generic hunt: its id, title, the rows it reads and, per kind it
/// hunts, the field its list is matched on and how.
struct FeedHunt {
    id: &'static str,
    title: &'static str,
    description: &'static str,
    reads: &'static str,
    preds: &'static [(IocKind, &'static str, &'static str)],
}

/// The generic hunts, in the order hits list them.
const FEED_HUNTS: [FeedHunt; 4] = [
    FeedHunt {
        id: "feed-domain",
        title: "A feed domain looked up, connected to or requested",
        description: "A DNS query name, or a network row's remote host (a Defender connection's `RemoteUrl`, a proxy's request host, a Safe Links click's host, Sysmon event 3's reverse lookup), that `has_any` of the feed's domains.",
        reads: r#"["dns", "network"]"#,
        preds: &[
            (IocKind::Domain, "query_name", "has_any"),
            (IocKind::Domain, "remote_host", "has_any"),
        ],
    },
    FeedHunt {
        id: "feed-address",
        title: "A connection to a feed address",
        description: "A network row's remote address (`RemoteIP`, `DestinationIp`, `DestinationIP`) in the feed's addresses, `ip:port`s (under the hunt's `match`) or ranges.",
        reads: r#"["network"]"#,
        preds: &[
            (IocKind::Ipv4, "remote_ip", "in"),
            (IocKind::Ipv6, "remote_ip", "in"),
            (IocKind::IpPort, "remote_ip", "in"),
            (IocKind::Cidr, "remote_ip", "in"),
        ],
    },
    FeedHunt {
        id: "feed-url",
        title: "A request or click to a feed URL",
        description: "A network row's full URL equal to a feed URL (scheme and host case-insensitive, path as written); on a row with a host only, the URL's host.",
        reads: r#"["network"]"#,
        preds: &[(IocKind::Url, "url", "in")],
    },
    FeedHunt {
        id: "feed-hash",
        title: "A process or file with a feed hash",
        description: "A process image's or a file's SHA-256, SHA-1 or MD5 among the feed's.",
        reads: r#"["process", "file"]"#,
        preds: &[
            (IocKind::Sha256, "sha256", "in"),
            (IocKind::Sha1, "sha1", "in"),
            (IocKind::Md5, "md5", "in"),
        ],
    },
];

/// The ids of the generic hunts, in order: `feed-domain`, `feed-address`,
/// `feed-url`, `feed-hash`.
pub fn feed_hunt_ids() -> [&'static str; 4] {
    FEED_HUNTS.map(|h| h.id)
}

/// The generic content's text for indicators of `kinds`: each generic hunt
/// with a predicate for each of its kinds among them (a hunt with none is
/// left out), `ip:port`s matched as `ports` says. Deterministic: the same
/// kinds give the same text.
pub fn feed_content(kinds: &[IocKind], ports: PortMatch) -> String {
    let mut out = format!(
        "id = \"{FEED_CONTENT_ID}\"\ntitle = \"IOC feed indicators\"\nsource = \"IOC feeds\"\ndescription = \"\"\"\nThe generic feed scan: one hunt per indicator kind, on every table that carries \\\nit, with no exclusions.\"\"\"\n"
    );
    for h in &FEED_HUNTS {
        let preds: Vec<String> = h
            .preds
            .iter()
            .filter(|(k, _, _)| kinds.contains(k))
            .map(|(k, field, op)| {
                format!(
                    "{{ field = \"{field}\", op = \"{op}\", values_from = \"{}\" }}",
                    k.values_from()
                )
            })
            .collect();
        if preds.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n[[hunts]]\nid = \"{}\"\ntitle = \"{}\"\ndescription = \"{}\"\norigin = {{ added = \"the generic feed scan\" }}\nreads = {}\nmatch = \"{}\"\nwhen = {{ any = [{}] }}\n",
            h.id,
            h.title,
            h.description,
            h.reads,
            ports.name(),
            preds.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{load_with_iocs, Engine};
    use crate::ioc::Ioc;

    fn ioc(kind: IocKind, value: &str) -> Ioc {
        Ioc {
            kind,
            value: value.to_owned(),
            threat_type: String::new(),
            first_seen: String::new(),
            confidence: None,
            malware_family: String::new(),
            source: String::new(),
            status: String::new(),
        }
    }

    #[test]
    fn each_kind_is_hunted_by_its_generic_hunt_only_when_the_feed_holds_it() {
        let iocs = vec![
            ioc(IocKind::Domain, "estaliax.io"),
            ioc(IocKind::IpPort, "198.51.100.7:8080"),
            ioc(IocKind::Md5, &"a".repeat(32)),
        ];
        let kinds: Vec<IocKind> = iocs.iter().map(|i| i.kind).collect();
        let src = feed_content(&kinds, PortMatch::AddressPort);
        let det = load_with_iocs(&src, "feed", Engine::Fast, iocs).expect("loads");
        let ids: Vec<&str> = det.hunts.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["feed-domain", "feed-address", "feed-hash"]);
        assert!(det.exclusions.is_empty());
        assert_eq!(
            det.hunted_kinds,
            [IocKind::Domain, IocKind::IpPort, IocKind::Md5]
        );
        assert_eq!(
            feed_hunt_ids(),
            ["feed-domain", "feed-address", "feed-url", "feed-hash"]
        );
    }

    #[test]
    fn every_kind_loads() {
        let iocs = vec![
            ioc(IocKind::Domain, "estaliax.io"),
            ioc(IocKind::Ipv4, "198.51.100.7"),
            ioc(IocKind::Ipv6, "2001:db8::7"),
            ioc(IocKind::IpPort, "198.51.100.7:8080"),
            ioc(IocKind::Cidr, "203.0.113.0/24"),
            ioc(IocKind::Url, "http://estaliax.io/gate.php"),
            ioc(IocKind::Sha256, &"b".repeat(64)),
            ioc(IocKind::Sha1, &"c".repeat(40)),
            ioc(IocKind::Md5, &"d".repeat(32)),
        ];
        for ports in [PortMatch::Address, PortMatch::AddressPort] {
            let src = feed_content(&IocKind::ALL, ports);
            let det = load_with_iocs(&src, "feed", Engine::Fast, iocs.clone()).expect("loads");
            assert_eq!(det.hunts.len(), 4);
            assert_eq!(det.hunted_kinds, IocKind::ALL);
        }
    }
}
