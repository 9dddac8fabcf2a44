//! The compact decision names the indicator kinds a row's hunts fired on and
//! those its standing alert carries: the kind of the list each hunt's match
//! came from, none for a hunt on a name, and a kind leaves the alert when
//! every hunt that fired on it was suppressed.

use detections::content::{load, Engine};
use detections::ioc::{IocKind, KindSet};
use detections::Decision;

const CONTENT: &str = r#"
id = "kinds-test"
title = "Indicators of three kinds"
source = "test"
description = "A domain hunt, an address hunt an exclusion guards, a hash hunt and a name hunt."

[[iocs]]
type = "domain"
value = "estaliax.io"

[[iocs]]
type = "ip_port"
value = "198.51.100.23:54984"

[[iocs]]
type = "sha256"
value = "4f1c8a0e2b7d9c6a5e3f1b0d8c7a6e5f4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"

[[hunts]]
id = "c2-name"
title = "C2 name"
description = "A lookup or a connection naming the C2."
origin = "seed"
reads = ["dns", "network"]
when = { any = [
  { field = "query_name", op = "has_any", values_from = "iocs.domain" },
  { field = "remote_host", op = "has_any", values_from = "iocs.domain" },
] }

[[hunts]]
id = "c2-address"
title = "C2 address"
description = "A connection to the C2 address and port."
origin = "seed"
reads = ["network"]
match = "address_port"
when = { field = "remote_ip", op = "in", values_from = "iocs.ip_port" }
exclusions = ["updater"]

[[hunts]]
id = "implant"
title = "The implant, by hash or by name"
description = "A process whose image has the implant's digest, or is named nanocore."
origin = "seed"
reads = ["process"]
when = { any = [
  { field = "sha256", op = "in", values_from = "iocs.sha256" },
  { field = "image_name", op = "has", values = ["nanocore"] },
] }

[[exclusions]]
id = "updater"
scenario = "An updater on a shared address"
description = "The vendor's updater."
seed_text = "Exclude updater.exe."
applies_to = ["network"]
when = { field = "image_name", op = "=~", values = ["updater.exe"] }
"#;

const HASH: &str = "4f1c8a0e2b7d9c6a5e3f1b0d8c7a6e5f4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a";

fn decide(row: &str) -> Decision {
    let det = load(CONTENT, "kinds.toml", Engine::Fast).expect("the content loads");
    let reference = load(CONTENT, "kinds.toml", Engine::Reference).expect("the content loads");
    let ev = detections::fields::parse_line(row).expect("the row reads");
    let d = det.decide(&ev);
    assert_eq!(d, reference.decide(&ev), "engines agree on {row}");
    d
}

fn set(kinds: &[IocKind]) -> KindSet {
    kinds.iter().copied().collect()
}

#[test]
fn each_hunt_names_the_kind_of_the_list_it_matched() {
    let dns = decide(r#"{"Type":"DnsEvents","Name":"c2.estaliax.io"}"#);
    assert!(dns.alert);
    assert_eq!(dns.fired_kinds, set(&[IocKind::Domain]));
    assert_eq!(dns.alerted_kinds, dns.fired_kinds);

    // One connection row both by its name and its address and port.
    let both = decide(
        r#"{"Type":"DeviceNetworkEvents","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.23","RemotePort":54984,"RemoteUrl":"estaliax.io","InitiatingProcessFileName":"dhcpmon.exe","InitiatingProcessFolderPath":"C:\\Users\\a\\AppData\\Roaming\\dhcpmon.exe"}"#,
    );
    assert_eq!(both.fired_kinds, set(&[IocKind::Domain, IocKind::IpPort]));
    assert_eq!(both.alerted_kinds, both.fired_kinds);

    let hash = decide(&format!(
        r#"{{"Type":"DeviceProcessEvents","FileName":"svch0st.exe","FolderPath":"C:\\Users\\a\\svch0st.exe","SHA256":"{HASH}"}}"#
    ));
    assert!(hash.alert);
    assert_eq!(hash.alerted_kinds, set(&[IocKind::Sha256]));
}

#[test]
fn a_hunt_on_a_name_names_no_kind() {
    let d = decide(
        r#"{"Type":"DeviceProcessEvents","FileName":"nanocore.exe","FolderPath":"C:\\Tools\\nanocore.exe"}"#,
    );
    assert!(d.alert);
    assert!(d.fired_kinds.is_empty() && d.alerted_kinds.is_empty());
    let quiet = decide(r#"{"Type":"DnsEvents","Name":"example.com"}"#);
    assert_eq!(quiet, Decision::default());
}

#[test]
fn a_suppressed_kind_leaves_the_alert_and_another_kind_keeps_it() {
    let updater = r#""InitiatingProcessFileName":"updater.exe","InitiatingProcessFolderPath":"C:\\Program Files\\Vendor\\updater.exe""#;
    // The address alone: its hunt suppressed, no alert, the kind fired.
    let alone = decide(&format!(
        r#"{{"Type":"DeviceNetworkEvents","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.23","RemotePort":54984,{updater}}}"#
    ));
    assert!(!alone.alert);
    assert_eq!(alone.fired_kinds, set(&[IocKind::IpPort]));
    assert!(alone.alerted_kinds.is_empty());

    // The same row naming the C2 too: the name hunt's alert stands.
    let named = decide(&format!(
        r#"{{"Type":"DeviceNetworkEvents","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.23","RemotePort":54984,"RemoteUrl":"estaliax.io",{updater}}}"#
    ));
    assert!(named.alert);
    assert_eq!(named.fired_kinds, set(&[IocKind::Domain, IocKind::IpPort]));
    assert_eq!(named.alerted_kinds, set(&[IocKind::Domain]));

    // Another port of the address: the `ip:port` does not match.
    let other_port = decide(
        r#"{"Type":"DeviceNetworkEvents","ActionType":"ConnectionSuccess","RemoteIP":"198.51.100.23","RemotePort":443}"#,
    );
    assert!(other_port.fired_kinds.is_empty() && !other_port.alert);
}
