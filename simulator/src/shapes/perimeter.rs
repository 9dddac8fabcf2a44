//! The perimeter's `CommonSecurityLog` rows (CEF): the firewall's traffic log
//! (PAN-OS `TRAFFIC`, FortiGate forward traffic), with source NAT to the egress
//! address, and the web proxy's log (Zscaler `NSSWeblog`). `Computer` is the
//! appliance (the syslog host), never the endpoint; the endpoint is `SourceIP`.

use crate::row::Row;

use super::conn::{derived, url_host, Conn, Proto};
use super::host::{Host, AD_DOMAIN, DNS_SUFFIX};
use super::inventory::EGRESS_IP;
use crate::record::{Record, Table};
use crate::scenario::Firewall;
use crate::time;

/// The firewall's syslog host name.
const FIREWALL: &str = "fw-edge-01";
/// The Zscaler NSS server's syslog host name.
const NSS: &str = "zscaler-nss-01";
/// The user agent of the simulated browser.
const USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0";

fn head(t: i64, computer: &str, vendor: &str, product: &str, version: &str) -> Row {
    let mut m = Row::with_capacity(26);
    m.insert("TimeGenerated", time::iso(t).into());
    m.insert("Computer", computer.into());
    m.insert("DeviceVendor", vendor.into());
    m.insert("DeviceProduct", product.into());
    m.insert("DeviceVersion", version.into());
    m
}

/// The vendor columns and `DeviceAction` of a firewall row.
fn vendor(fw: Firewall, t: i64, action: &str) -> Row {
    let mut m = match fw {
        Firewall::Fortigate => {
            let mut m = head(t, FIREWALL, "Fortinet", "Fortigate", "v7.2.8");
            m.insert("DeviceEventClassID", "0000000013".into());
            m.insert("Activity", format!("traffic:forward {action}").into());
            m
        }
        Firewall::PanOs | Firewall::None => {
            let mut m = head(t, FIREWALL, "Palo Alto Networks", "PAN-OS", "10.2.9");
            m.insert("DeviceEventClassID", "end".into());
            m.insert("Activity", "TRAFFIC".into());
            m
        }
    };
    m.insert("DeviceAction", action.into());
    m.insert("LogSeverity", "1".into());
    m
}

/// The firewall's row for the host's outbound connection `c` (source NAT:
/// `SourceIP` the host, `SourceTranslatedAddress` the egress address).
pub(super) fn firewall(h: &Host, t: i64, c: &Conn<'_>, local_port: u16, step: &str) -> Record {
    let fw = h.id.sensors.firewall;
    let action = match (fw, c.up, c.proto) {
        (Firewall::Fortigate, false, _) => "timeout",
        (Firewall::Fortigate, true, Proto::Tcp) => "close",
        (Firewall::Fortigate, true, Proto::Udp) => "accept",
        _ => "allow",
    };
    let mut m = vendor(fw, t, action);
    let t_s = t.to_string();
    m.insert("SourceIP", h.ip.clone().into());
    m.insert("SourcePort", local_port.into());
    m.insert("SourceTranslatedAddress", EGRESS_IP.into());
    let nat_port = derived(&[&h.id.name, &t_s, "nat"], 1_024, 65_535);
    m.insert("SourceTranslatedPort", nat_port.into());
    m.insert("DestinationIP", c.remote_ip.into());
    m.insert("DestinationPort", c.remote_port.into());
    m.insert("Protocol", c.proto.lower().into());
    m.insert("ApplicationProtocol", c.app.into());
    m.insert(
        "SourceUserName",
        format!("{}\\{}", AD_DOMAIN.to_ascii_lowercase(), h.id.user).into(),
    );
    m.insert("DeviceInboundInterface", "ethernet1/2".into());
    m.insert("DeviceOutboundInterface", "ethernet1/1".into());
    let sent = derived(&[&h.id.name, &t_s, "sent"], 74, 9_000);
    m.insert("SentBytes", sent.into());
    let received = if c.up {
        derived(&[&h.id.name, &t_s, "received"], 60, 90_000)
    } else {
        0
    };
    m.insert("ReceivedBytes", received.into());
    m.insert("Type", "CommonSecurityLog".into());
    h.record(t, Table::CommonSecurityLog, m, step)
}

/// The firewall's row for an inbound probe from `scanner` to the perimeter's
/// public address, denied (no NAT: the session never reaches a host).
pub(super) fn inbound(h: &Host, t: i64, scanner: &str, port: u16, step: &str) -> Record {
    let mut m = vendor(h.id.sensors.firewall, t, "deny");
    let t_s = t.to_string();
    m.insert("SourceIP", scanner.into());
    let sport = derived(&[scanner, &t_s], 1_024, 65_535);
    m.insert("SourcePort", sport.into());
    m.insert("DestinationIP", EGRESS_IP.into());
    m.insert("DestinationPort", port.into());
    m.insert("Protocol", "tcp".into());
    m.insert("ApplicationProtocol", "not-applicable".into());
    m.insert("DeviceInboundInterface", "ethernet1/1".into());
    m.insert("SentBytes", 60.into());
    m.insert("ReceivedBytes", 0.into());
    m.insert("Type", "CommonSecurityLog".into());
    h.record(t, Table::CommonSecurityLog, m, step)
}

/// The proxy's row for the host's request of `url`: a URL without its scheme,
/// as Zscaler writes it; HTTPS the proxy does not inspect is `CONNECT
/// host:443`, with no path.
pub(super) fn proxy(h: &Host, t: i64, url: &str, remote_ip: &str, step: &str) -> Record {
    let mut m = head(t, NSS, "Zscaler", "NSSWeblog", "5.0");
    let https = url.starts_with("https://");
    let host = url_host(url);
    let bare = url.split_once("://").map_or(url, |(_, r)| r);
    let (method, request) = if https && !h.id.inspected {
        ("CONNECT", format!("{host}:443"))
    } else {
        ("GET", bare.to_owned())
    };
    m.insert("DeviceEventClassID", "Allowed".into());
    m.insert("Activity", "Allowed".into());
    m.insert("DeviceAction", "Allowed".into());
    m.insert(
        "ApplicationProtocol",
        if https { "HTTPS" } else { "HTTP" }.into(),
    );
    m.insert("RequestMethod", method.into());
    m.insert("RequestURL", request.into());
    m.insert("RequestClientApplication", USER_AGENT.into());
    m.insert("DestinationHostName", host.into());
    m.insert("DestinationIP", remote_ip.into());
    m.insert("DestinationPort", if https { 443 } else { 80 }.into());
    m.insert("SourceIP", h.ip.clone().into());
    m.insert("SourceTranslatedAddress", EGRESS_IP.into());
    m.insert(
        "SourceUserName",
        format!("{}@{DNS_SUFFIX}", h.id.user).into(),
    );
    m.insert("Type", "CommonSecurityLog".into());
    h.record(t, Table::CommonSecurityLog, m, step)
}
