//! A network row's content fields as KQL columns, computed as the engine's
//! mapping computes them (`net_row`): `url` and `remote_host` from a
//! `RemoteUrl`-like column (a full URL; a URL without a scheme, read as
//! `http://`; a bare host), and the URL indicators' match keys (`url_key`,
//! `host_key`) as [`crate::matcher::indicator::UrlSet`] compares them. The
//! Defender and `CommonSecurityLog` forms share them.

use super::render::{HOST_KEY, URL_KEY};

/// A `host[:port]`'s host, as `host_port` splits it: the digits after the
/// last `:` are the port unless the text before it holds a `:` and does not
/// end with `]` (a bare IPv6 address).
const HOST_RE: &str = r#"@"^(.*\]|[^:]*)(?::[0-9]*)?$""#;

/// `x`'s host (`x` a column holding `host[:port]`).
fn host_of(x: &str) -> String {
    format!("iff(isempty(extract({HOST_RE}, 0, {x})), {x}, extract({HOST_RE}, 1, {x}))")
}

/// Text trimmed of white space, `-` (as Sysmon and appliances write an
/// empty value) as empty.
fn named(column: &str, name: &str) -> String {
    format!(
        "| extend {name} = extract(@\"(?s)^\\s*(.*?)\\s*$\", 1, tostring({column}))\n| extend {name} = iff({name} == \"-\", \"\", {name})\n"
    )
}

/// The `extend` lines that compute `url` and `remote_host` from the
/// `RemoteUrl`-like `url_column` (and, where the table has one, a host
/// column that takes precedence over the URL's host, as a proxy's
/// `DestinationHostName` does), and `url_key` and `host_key` when `keys`.
pub(super) fn url_columns(url_column: &str, host_column: Option<&str>, keys: bool) -> String {
    let mut out = named(url_column, "net_text");
    out.push_str(
        "| extend url = iff(net_text contains \"://\", net_text, iff(net_text contains \"/\", strcat(\"http://\", net_text), \"\")),
    net_hostport = extract(@\"^(?:[^/?#]*@)?([^/?#]*)\", 1, extract(@\"(?s)^(?:.*?://)?(.*)$\", 1, net_text))\n",
    );
    let from_url = host_of("net_hostport");
    match host_column {
        Some(h) => {
            out.push_str(&named(h, "net_host"));
            out.push_str(&format!(
                "| extend remote_host = iff(isnotempty(net_host), tostring({h}), {from_url})\n"
            ));
        }
        None => out.push_str(&format!("| extend remote_host = {from_url}\n")),
    }
    if keys {
        out.push_str(&format!(
            "| extend url_scheme = tolower(extract(@\"^(.*?)://\", 1, url)),
    url_after = extract(@\"(?s)^.*?://(.*)$\", 1, url),
    host_text = trim_end(@\"\\.+\", extract(@\"(?s)^\\s*(.*?)\\s*$\", 1, remote_host))
| extend url_hostport = extract(@\"^(?:[^/?#]*@)?([^/?#]*)\", 1, url_after),
    url_tail = extract(@\"(?s)^[^/?#]*(.*)$\", 1, url_after),
    {HOST_KEY} = tolower({})
| extend url_port = tolong(extract(@\"^(?:.*\\]|[^:]*):([0-9]+)$\", 1, url_hostport)),
    url_host = trim_end(@\"\\.+\", {})
| extend {URL_KEY} = iff(isempty(url), \"\", strcat(tolower(url_host), iff(isnull(url_port) or url_port > 65535 or url_port == iff(url_scheme in (\"http\", \"ws\"), 80, iff(url_scheme in (\"https\", \"wss\"), 443, iff(url_scheme == \"ftp\", 21, 65536))), \"\", strcat(\":\", tostring(url_port))), iff(isempty(url_tail), \"/\", url_tail)))\n",
            host_of("host_text"),
            host_of("url_hostport"),
        ));
    }
    out
}
