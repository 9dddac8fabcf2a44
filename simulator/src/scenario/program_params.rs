//! What the `program` template takes: any benign program's values and the
//! destinations it talks to.

use serde::Serialize;

use crate::variety::Pick;

/// Parameters of the `program` template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramParams {
    /// The program's image (a full path; `%APPDATA%` and the other path
    /// variables are expanded per host).
    pub image: Pick,
    /// The folder it is installed in instead of `image`'s, per host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_dir: Option<Pick>,
    /// The image of the process that starts it (none: `explorer.exe`, or the
    /// Task Scheduler when it runs as a task).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<Pick>,
    /// Its arguments, per run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Pick>,
    /// The scheduled task it runs as, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_name: Option<Pick>,
    /// The daily start time the task is registered with, `HH:MM`.
    pub task_start: Pick,
    /// The task was registered this many days before the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_days_before: Option<f64>,
    /// Who signs its image (`unsigned`: no one), per host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<Pick>,
    /// Version-info company of its image (empty: none).
    pub company: String,
    /// Runs as SYSTEM.
    pub system: bool,
    /// Minutes between runs per host (scale 1).
    pub interval_minutes: f64,
    /// URLs it fetches on each run (a lookup of the host, unless an address,
    /// then the connection, the firewall's and the proxy's rows).
    pub urls: Vec<String>,
    /// Names it only looks up.
    pub names: Vec<String>,
    /// `ip:port` it connects to (no lookup).
    pub addresses: Vec<(String, u16)>,
    /// Files it writes on each run (absolute paths or under the path
    /// variables).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The address its URLs' and names' hosts resolve to, else their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolves_to: Option<String>,
}

impl ProgramParams {
    /// Whether a run looks up a name.
    pub fn looks_up(&self) -> bool {
        !self.names.is_empty() || self.urls.iter().any(|u| !literal_host(u))
    }
}

/// Whether a URL's host is an address (`[2001:db8::1]` too).
pub(super) fn literal_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    };
    host.parse::<std::net::IpAddr>().is_ok()
}
