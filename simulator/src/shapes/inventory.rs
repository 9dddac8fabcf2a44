//! What the sensors report about a host itself: Defender's
//! `DeviceFileCertificateInfo` (the signer of an image it ran) and
//! `DeviceNetworkInfo` (its addresses), and the Log Analytics agent's
//! `Heartbeat` (its addresses, on hosts without Defender). These rows are never
//! the malware's activity: their labels are benign on every host.

use serde_json::json;

use crate::row::Row;

use super::defender::{digest, head, tail};
use super::host::{Host, DNS_SUFFIX};
use super::process::Proc;
use crate::json::{text, text_array, write_str};
use crate::record::{Record, Table};
use crate::rng::{fnv1a, stable_hex_of};
use crate::scenario::Windows;
use crate::time;

/// The address the workspace sees every host's agent connect from (the
/// corporate egress; a documentation address).
pub const EGRESS_IP: &str = "203.0.113.10";

/// The issuer of a signer's code-signing certificate, and whether its root is
/// Microsoft's.
fn issuer(signer: &str) -> (&'static str, bool) {
    match signer {
        "Microsoft Windows" => ("Microsoft Windows Production PCA 2011", true),
        "Microsoft Corporation" => ("Microsoft Code Signing PCA 2011", true),
        _ => (
            "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1",
            false,
        ),
    }
}

/// `DeviceFileCertificateInfo` for `p`'s image, the first time this host runs
/// it, when the image is signed.
pub(super) fn certificate(h: &mut Host, t: i64, p: &Proc) -> Option<Record> {
    let signer = p.meta.signer.clone();
    let sha1 = digest("sha1", &p.hash_key, 40);
    if signer.is_empty() || !h.certified.insert(sha1.clone()) {
        return None;
    }
    let (issuer, microsoft) = issuer(&signer);
    let valid_from = time::parse("2025-09-18T17:20:31Z").unwrap_or(0);
    let signed_at = t - 86_400_000 * (30 + (fnv1a(p.hash_key.as_bytes()) % 200) as i64);
    let mut m = Row::with_capacity(19);
    m.insert("Timestamp", time::iso(t).into());
    m.insert("DeviceId", h.device_id.clone().into());
    m.insert("DeviceName", h.device_name().into());
    m.insert("SHA1", sha1.into());
    m.insert("IsSigned", true.into());
    m.insert("SignatureType", "Embedded".into());
    m.insert("Signer", signer.clone().into());
    m.insert(
        "SignerHash",
        stable_hex_of(&["cert:", &signer], 40, false).into(),
    );
    m.insert("Issuer", issuer.into());
    m.insert(
        "IssuerHash",
        stable_hex_of(&["cert:", issuer], 40, false).into(),
    );
    m.insert(
        "CertificateSerialNumber",
        stable_hex_of(&["serial:", &signer], 38, false).into(),
    );
    m.insert("CrlDistributionPointUrls", "".into());
    m.insert("CertificateCreationTime", time::iso(valid_from).into());
    m.insert(
        "CertificateExpirationTime",
        time::iso(valid_from + 365 * 86_400_000).into(),
    );
    m.insert(
        "CertificateCountersignatureTime",
        time::iso(signed_at).into(),
    );
    m.insert("IsTrusted", true.into());
    m.insert("IsRootSignerMicrosoft", microsoft.into());
    tail(h, &mut m, Table::DeviceFileCertificateInfo);
    Some(h.inventory(t, Table::DeviceFileCertificateInfo, m, "certificate"))
}

/// `DeviceNetworkInfo`: the host's one Ethernet adapter and its address.
pub fn network_info(h: &mut Host, t: i64) -> Record {
    let mut m = head(h, t, "");
    m.remove("ActionType");
    let mac = stable_hex_of(&["mac:", &h.id.name], 6, true);
    let gateway = gateway(&h.ip);
    m.insert("NetworkAdapterName", "Ethernet".into());
    m.insert(
        "MacAddress",
        format!("00-15-5D-{}-{}-{}", &mac[..2], &mac[2..4], &mac[4..]).into(),
    );
    m.insert("NetworkAdapterType", "Ethernet".into());
    m.insert("NetworkAdapterStatus", "Up".into());
    m.insert("TunnelType", "".into());
    m.insert("ConnectedNetworks", connected_networks().into());
    m.insert("DnsAddresses", text_array(&[&h.dns_resolver_ip()]).into());
    m.insert("IPv4Dhcp", "10.10.0.5".into());
    m.insert("IPv6Dhcp", "".into());
    m.insert("DefaultGateways", text_array(&[&gateway]).into());
    m.insert("IPAddresses", ip_addresses(&h.ip).into());
    m.insert("NetworkAdapterVendor", "Intel Corporation".into());
    tail(h, &mut m, Table::DeviceNetworkInfo);
    h.inventory(t, Table::DeviceNetworkInfo, m, "network-info")
}

/// `DeviceNetworkInfo.ConnectedNetworks`: the domain network, the same text
/// on every row (made once).
fn connected_networks() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        json!([{"Name": DNS_SUFFIX, "Description": DNS_SUFFIX,
            "IsConnectedToInternet": true, "Category": "Domain"}])
        .to_string()
    })
}

/// `DeviceNetworkInfo.IPAddresses`: the host's private address in its /24,
/// as `serde_json` writes the array.
fn ip_addresses(ip: &str) -> String {
    let mut out = b"[{\"IPAddress\":".to_vec();
    write_str(ip, &mut out);
    out.extend_from_slice(br#","SubnetPrefix":24,"AddressType":"Private"}]"#);
    text(out)
}

/// `Heartbeat`: the Log Analytics agent's minute beat. `ComputerIP` is the
/// address the workspace sees (the egress, the same for every host);
/// `ComputerPrivateIPs` holds the host's own.
pub fn heartbeat(h: &Host, t: i64) -> Record {
    let (os, major, minor) = match h.id.windows {
        Windows::Win7 => ("Windows 7 Enterprise", "6", "1"),
        Windows::Win10 => ("Windows 10 Enterprise", "10", "0"),
        Windows::Win11 => ("Windows 11 Enterprise", "10", "0"),
    };
    let mut m = Row::with_capacity(14);
    m.insert("TimeGenerated", time::iso(t).into());
    m.insert("SourceSystem", "OpsManager".into());
    m.insert("Computer", h.fqdn().into());
    m.insert("ComputerIP", EGRESS_IP.into());
    m.insert("ComputerPrivateIPs", json!([h.ip.clone()]));
    m.insert("Category", "Direct Agent".into());
    m.insert("OSType", "Windows".into());
    m.insert("OSName", os.into());
    m.insert("OSMajorVersion", major.into());
    m.insert("OSMinorVersion", minor.into());
    m.insert("Version", "10.20.18067.0".into());
    m.insert("ComputerEnvironment", "Non-Azure".into());
    m.insert("Solutions", "security".into());
    m.insert("Type", "Heartbeat".into());
    h.inventory(t, Table::Heartbeat, m, "heartbeat")
}

/// The `.1` of the host's /24.
fn gateway(ip: &str) -> String {
    match ip.rsplit_once('.') {
        Some((net, _)) => format!("{net}.1"),
        None => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_info_text_is_serde_jsons_text() {
        for ip in ["10.10.1.7", "", "a\"b\\c"] {
            let ips = json!([{"IPAddress": ip, "SubnetPrefix": 24, "AddressType": "Private"}]);
            assert_eq!(ip_addresses(ip), ips.to_string());
        }
        assert!(connected_networks().contains(r#""Name":"corp.contoso.com""#));
    }
}
