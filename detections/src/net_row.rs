//! The network tables' rows (connections, a firewall's and a proxy's rows,
//! clicks on links) mapped to the event's [`Net`], and the digests of a row's
//! object mapped to its [`Hashes`]. The columns come from the sources'
//! descriptions (`sources`), as for every other row.

use sources::NormField as F;
use sources::{
    COMMON_SECURITY_LOG, DEVICE_FILE_EVENTS, DEVICE_NETWORK_EVENTS, DEVICE_PROCESS_EVENTS,
    SYSMON_1, SYSMON_3, URL_CLICK_EVENTS,
};

use crate::cells::{str_cell, str_of, text, RowError};
use crate::event::{Event, Hashes, Net, Process};
use crate::matcher::indicator::{authority, host_port, split_scheme};
use crate::row::{Cell, Columns};

const DNE_REMOTE_IP: &str = DEVICE_NETWORK_EVENTS.column_of(F::RemoteIp);
const DNE_REMOTE_PORT: &str = DEVICE_NETWORK_EVENTS.column_of(F::RemotePort);
const DNE_REMOTE_URL: &str = DEVICE_NETWORK_EVENTS.column_of(F::RemoteUrl);
const DNE_LOCAL_IP: &str = DEVICE_NETWORK_EVENTS.column_of(F::LocalIp);
const DNE_ACTION: &str = DEVICE_NETWORK_EVENTS.column_of(F::Action);
const S3_REMOTE_IP: &str = SYSMON_3.column_of(F::RemoteIp);
const S3_REMOTE_PORT: &str = SYSMON_3.column_of(F::RemotePort);
const S3_HOSTNAME: &str = SYSMON_3.column_of(F::RemoteHostname);
const S3_LOCAL_IP: &str = SYSMON_3.column_of(F::LocalIp);
const CSL_REMOTE_IP: &str = COMMON_SECURITY_LOG.column_of(F::RemoteIp);
const CSL_REMOTE_PORT: &str = COMMON_SECURITY_LOG.column_of(F::RemotePort);
const CSL_URL: &str = COMMON_SECURITY_LOG.column_of(F::RemoteUrl);
const CSL_HOST: &str = COMMON_SECURITY_LOG.column_of(F::RemoteHostname);
const CSL_SOURCE_IP: &str = COMMON_SECURITY_LOG.column_of(F::LocalIp);
const CSL_TRANSLATED_IP: &str = COMMON_SECURITY_LOG.column_of(F::TranslatedIp);
const CSL_ACTION: &str = COMMON_SECURITY_LOG.column_of(F::Action);
const CSL_USER: &str = COMMON_SECURITY_LOG.column_of(F::User);
const CLICK_URL: &str = URL_CLICK_EVENTS.column_of(F::RemoteUrl);
const CLICK_IP: &str = URL_CLICK_EVENTS.column_of(F::LocalIp);
const CLICK_ACTION: &str = URL_CLICK_EVENTS.column_of(F::Action);
const CLICK_USER: &str = URL_CLICK_EVENTS.column_of(F::User);
const S1_HASHES: &str = SYSMON_1.column_of(F::Hashes);
/// The object's digest columns of each Defender table that carries them.
pub(crate) const FILE_DIGESTS: [&str; 3] = [
    DEVICE_FILE_EVENTS.column_of(F::ObjectSha256),
    DEVICE_FILE_EVENTS.column_of(F::ObjectSha1),
    DEVICE_FILE_EVENTS.column_of(F::ObjectMd5),
];
pub(crate) const PROCESS_DIGESTS: [&str; 3] = [
    DEVICE_PROCESS_EVENTS.column_of(F::ObjectSha256),
    DEVICE_PROCESS_EVENTS.column_of(F::ObjectSha1),
    DEVICE_PROCESS_EVENTS.column_of(F::ObjectMd5),
];

/// A port column (a number, or text holding one); empty, `-` and `0` are
/// absent. Anything else is an error naming the column.
fn port<C: Columns + ?Sized>(row: &C, key: &'static str) -> Result<Option<u16>, RowError> {
    let wrong = || RowError::WrongType {
        field: key.to_owned(),
        expected: "a port (1 to 65535)",
        found: "text that is not a port",
    };
    // A number is read as one (not written out as text and read back); one
    // that is negative, a fraction or above 65535 is not a port.
    let v = match row.cell(key) {
        Cell::Number(n) => {
            return match n.as_u64() {
                Some(0) => Ok(None),
                Some(p) => u16::try_from(p).map(Some).map_err(|_| wrong()),
                None => Err(wrong()),
            }
        }
        other => str_cell(other, key)?,
    };
    let Some(v) = v.map(str::trim) else {
        return Ok(None);
    };
    if v.is_empty() || v == "-" {
        return Ok(None);
    }
    match v.parse::<u16>() {
        Ok(0) => Ok(None),
        Ok(p) => Ok(Some(p)),
        Err(_) => Err(wrong()),
    }
}

/// Whether text names something: `-` (as Sysmon and some appliances write an
/// empty value) and blank text do not.
fn names(v: &str) -> bool {
    let v = trimmed(v);
    !v.is_empty() && v != "-"
}

/// `v.trim()`: text that begins and ends with a visible ASCII character (not
/// a space: nearly every value a row holds) is already trimmed, and is given
/// back without a pass over its characters.
fn trimmed(v: &str) -> &str {
    match (v.as_bytes().first(), v.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => v,
        _ => v.trim(),
    }
}

/// A column's text when it [`names`] something, else absent.
fn named<C: Columns + ?Sized>(row: &C, key: &str) -> Result<Option<String>, RowError> {
    Ok(str_of(row, key)?.filter(|v| names(v)).map(str::to_owned))
}

/// A `RemoteUrl`-like value: a full URL (`https://host/path`) gives the URL
/// and its host; a bare name (or a URL without a scheme, as proxies log
/// `RequestURL`) gives the host, and with a path, the URL as `http://`.
fn url_or_host(net: &mut Net, v: Option<&str>) {
    let Some((url, rest)) = split_url(v) else {
        return;
    };
    // The port aside (`host:8443`, `[2001:db8::7]:443`).
    let (host, _) = host_port(authority(rest).0);
    if !host.is_empty() {
        net.remote_host = Some(host.to_owned());
    }
    net.url = url;
}

/// What [`url_or_host`] reads of a value that names something: its URL, if
/// it is one, and what follows the scheme (the host first).
fn split_url(v: Option<&str>) -> Option<(Option<String>, &str)> {
    let v = trimmed(v?);
    if !names(v) {
        return None;
    }
    Some(match split_scheme(v) {
        Some((_, rest)) => (Some(v.to_owned()), rest),
        None => match memchr::memchr(b'/', v.as_bytes()) {
            Some(_) => (Some(format!("http://{v}")), v),
            None => (None, v),
        },
    })
}

/// A Defender `DeviceNetworkEvents` row's connection (its process is read as
/// every Defender table's initiating process).
pub(crate) fn device_network<C: Columns + ?Sized>(row: &C, ev: &mut Event) -> Result<(), RowError> {
    let mut net = Net {
        remote_ip: named(row, DNE_REMOTE_IP)?,
        remote_port: port(row, DNE_REMOTE_PORT)?,
        source_ip: named(row, DNE_LOCAL_IP)?,
        action: text(row, DNE_ACTION)?,
        ..Net::default()
    };
    url_or_host(&mut net, str_of(row, DNE_REMOTE_URL)?);
    ev.net = Some(Box::new(net));
    Ok(())
}

/// A Sysmon event 3 row's connection: `DestinationHostname` is Sysmon's own
/// reverse lookup of the address, and is marked so.
pub(crate) fn sysmon_network<C: Columns + ?Sized>(row: &C, ev: &mut Event) -> Result<(), RowError> {
    let remote_host = named(row, S3_HOSTNAME)?;
    ev.net = Some(Box::new(Net {
        remote_ip: named(row, S3_REMOTE_IP)?,
        remote_port: port(row, S3_REMOTE_PORT)?,
        source_ip: named(row, S3_LOCAL_IP)?,
        reverse_lookup: remote_host.is_some(),
        remote_host,
        ..Net::default()
    }));
    Ok(())
}

/// A `CommonSecurityLog` row (a firewall's or a proxy's): the row's host is
/// the endpoint, named by its address before NAT (the process join names the
/// host that reported that address, where one did: [`crate::enrich`]); the
/// appliance that wrote the row is the device.
pub(crate) fn security_log<C: Columns + ?Sized>(row: &C, ev: &mut Event) -> Result<(), RowError> {
    let source_ip = named(row, CSL_SOURCE_IP)?;
    let mut net = Net {
        remote_ip: named(row, CSL_REMOTE_IP)?,
        remote_port: port(row, CSL_REMOTE_PORT)?,
        source_ip: source_ip.clone(),
        translated_ip: named(row, CSL_TRANSLATED_IP)?,
        device: ev.host.take(),
        action: text(row, CSL_ACTION)?,
        ..Net::default()
    };
    let url = str_of(row, CSL_URL)?;
    match named(row, CSL_HOST)? {
        // The row names the host: the URL's is not read.
        Some(h) => {
            net.url = split_url(url).and_then(|(url, _)| url);
            net.remote_host = Some(h);
        }
        None => url_or_host(&mut net, url),
    }
    ev.host = source_ip;
    ev.client_ip = net.source_ip.clone();
    ev.process = account(named(row, CSL_USER)?);
    ev.net = Some(Box::new(net));
    Ok(())
}

/// The account a row names, as its process's user (the row names no
/// process).
fn account(user: Option<String>) -> Option<Box<Process>> {
    user.map(|user| {
        Box::new(Process {
            user: Some(user),
            ..Process::default()
        })
    })
}

/// A `UrlClickEvents` row: the link clicked, the account and its address.
pub(crate) fn url_click<C: Columns + ?Sized>(row: &C, ev: &mut Event) -> Result<(), RowError> {
    let mut net = Net {
        source_ip: named(row, CLICK_IP)?,
        action: text(row, CLICK_ACTION)?,
        ..Net::default()
    };
    url_or_host(&mut net, str_of(row, CLICK_URL)?);
    ev.process = account(named(row, CLICK_USER)?);
    ev.net = Some(Box::new(net));
    Ok(())
}

/// The object's digests on a Defender file or process row, in its table's
/// digest `columns` ([`FILE_DIGESTS`], [`PROCESS_DIGESTS`]).
pub(crate) fn defender_hashes<C: Columns + ?Sized>(
    row: &C,
    columns: [&str; 3],
) -> Result<Option<Hashes>, RowError> {
    let [sha256, sha1, md5] = columns;
    Ok(digests([
        str_of(row, sha256)?,
        str_of(row, sha1)?,
        str_of(row, md5)?,
    ]))
}

/// The created image's digests from Sysmon 1's `Hashes` (`SHA1=..,MD5=..,
/// SHA256=..,IMPHASH=..`, as the configuration chose).
pub(crate) fn sysmon_hashes<C: Columns + ?Sized>(row: &C) -> Result<Option<Hashes>, RowError> {
    let Some(all) = str_of(row, S1_HASHES)? else {
        return Ok(None);
    };
    let [mut sha256, mut sha1, mut md5] = [None; 3];
    for part in all.split(',') {
        let Some((name, value)) = part.split_once('=') else {
            continue;
        };
        let slot = match name.trim().to_ascii_uppercase().as_str() {
            "SHA256" => &mut sha256,
            "SHA1" => &mut sha1,
            "MD5" => &mut md5,
            _ => continue,
        };
        *slot = Some(value);
    }
    Ok(digests([sha256, sha1, md5]))
}

/// The SHA-256, SHA-1 and MD5 digests given, trimmed and lower-cased, those
/// that [`names`] nothing absent; `None` with none left.
fn digests(given: [Option<&str>; 3]) -> Option<Hashes> {
    let clean = |v: Option<&str>| {
        v.map(trimmed)
            .filter(|v| names(v))
            .map(str::to_ascii_lowercase)
    };
    let [sha256, sha1, md5] = given;
    let h = Hashes {
        sha256: clean(sha256),
        sha1: clean(sha1),
        md5: clean(md5),
    };
    (h.sha256.is_some() || h.sha1.is_some() || h.md5.is_some()).then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_is_read_from_a_number_or_text() {
        let port_of = |cell: serde_json::Value| {
            let row = serde_json::json!({ "RemotePort": cell });
            port(row.as_object().expect("an object"), "RemotePort")
        };
        use serde_json::json;
        assert_eq!(port_of(json!(443)), Ok(Some(443)));
        assert_eq!(port_of(json!(" 8443 ")), Ok(Some(8443)));
        for absent in [json!(0), json!("0"), json!("-"), json!(""), json!(null)] {
            assert_eq!(port_of(absent.clone()), Ok(None), "{absent}");
        }
        for wrong in [
            json!(65536),
            json!(-1),
            json!(443.5),
            json!("x"),
            json!("65536"),
        ] {
            assert!(
                matches!(port_of(wrong.clone()), Err(RowError::WrongType { .. })),
                "{wrong}"
            );
        }
        assert!(matches!(
            port_of(json!(true)),
            Err(RowError::WrongType {
                expected: "a string",
                ..
            })
        ));
    }

    proptest::proptest! {
        #[test]
        fn trimmed_is_trim(v in "[ \t\r\n\u{a0}\u{2003}a-z.-]{0,6}") {
            proptest::prop_assert_eq!(trimmed(&v), v.trim());
        }
    }

    #[test]
    fn a_proxy_row_names_its_host_before_its_url_does() {
        let map = |host: serde_json::Value| {
            let row = serde_json::json!({
                "RequestURL": " files.example:8080/u/a.exe",
                "DestinationHostName": host,
            });
            let mut ev = Event::new(crate::event::Source::CommonSecurityLog);
            security_log(row.as_object().expect("an object"), &mut ev).expect("a row");
            let net = ev.net.expect("a connection");
            (net.url, net.remote_host)
        };
        let url = Some("http://files.example:8080/u/a.exe".to_owned());
        assert_eq!(
            map(serde_json::json!("cdn.example")),
            (url.clone(), Some("cdn.example".to_owned()))
        );
        for absent in [
            serde_json::json!("-"),
            serde_json::json!(" "),
            serde_json::Value::Null,
        ] {
            assert_eq!(map(absent), (url.clone(), Some("files.example".to_owned())));
        }
    }

    #[test]
    fn a_remote_url_is_a_url_or_a_bare_host() {
        let mut n = Net::default();
        url_or_host(&mut n, Some("https://EstaliaX.io:8443/gate.php"));
        assert_eq!(n.url.as_deref(), Some("https://EstaliaX.io:8443/gate.php"));
        assert_eq!(n.remote_host.as_deref(), Some("EstaliaX.io"));
        let mut n = Net::default();
        url_or_host(&mut n, Some("estaliax.io"));
        assert_eq!(
            (n.url, n.remote_host.as_deref()),
            (None, Some("estaliax.io"))
        );
        let mut n = Net::default();
        url_or_host(&mut n, Some("estaliax.io/gate.php"));
        assert_eq!(n.url.as_deref(), Some("http://estaliax.io/gate.php"));
        let mut n = Net::default();
        url_or_host(&mut n, Some("-"));
        assert_eq!(n, Net::default());
    }
}
