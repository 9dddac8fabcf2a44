//! What a scenario file says, as serde reads it; `parse` turns it into a
//! `Scenario`, applying defaults and checking values.

use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use toml::{Spanned, Value};

use super::expect::Expect;
use super::sensors::{Firewall, Proxy};
use super::types::{Delivery, Drop, Endpoint, Hollow, Launch, Persistence, ScenarioKind, Windows};

/// A scenario file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSpec {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    pub(super) kind: ScenarioKind,
    pub(super) description: Spanned<String>,
    pub(super) expect: Expect,
    pub(super) generator: GeneratorSpec,
}

/// The generator's own fields. The rest of the table, `template` and the
/// template's parameters, is read as a [`TemplateSpec`].
#[derive(Deserialize)]
pub(super) struct GeneratorSpec {
    #[serde(rename = "seed")]
    pub(super) rng_seed: Option<i64>,
    pub(super) hosts: Option<i64>,
    pub(super) host_prefix: Option<String>,
    pub(super) host_subnet: Option<String>,
    pub(super) users: Option<Vec<String>>,
    pub(super) start: toml::value::Datetime,
    pub(super) hours: f64,
    pub(super) endpoint: Option<Endpoint>,
    pub(super) server_dns: Option<bool>,
    pub(super) dns_server: Option<String>,
    pub(super) dns_forwarder: Option<bool>,
    pub(super) jitter: Option<f64>,
    pub(super) windows: Option<Vec<Windows>>,
    pub(super) defender_network: Option<bool>,
    pub(super) sysmon_events: Option<Vec<i64>>,
    pub(super) sysmon_net_images: Option<Vec<String>>,
    pub(super) sysmon_net_ports: Option<Vec<i64>>,
    pub(super) firewall: Option<Firewall>,
    pub(super) proxy: Option<Proxy>,
    pub(super) tls_inspection: Option<f64>,
    pub(super) endpoint_dns: Option<bool>,
    pub(super) endpoint_dns_off_hosts: Option<Vec<i64>>,
    pub(super) endpoint_dns_off_steps: Option<Vec<String>>,
    /// The keys that are not the generator's own: `template` and its parameters.
    #[serde(flatten)]
    pub(super) template_keys: BTreeMap<String, IgnoredAny>,
}

/// Every key of the generator table with its position (a second reading of the
/// same text).
#[derive(Deserialize)]
pub(super) struct GeneratorTable {
    pub(super) generator: Spanned<BTreeMap<Spanned<String>, Spanned<Value>>>,
}

/// The template, named by `template`, and its parameters: a template's
/// parameters are the fields of its variant, so an unknown or misplaced
/// parameter is a serde error.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum TemplateSpec {
    BackgroundDns(BackgroundSpec),
    BackupJob(JobSpec),
    NetworkDiagnostics(JobSpec),
    SoftwareUpdate(JobSpec),
    LogCleanup(JobSpec),
    NameCollision(JobSpec),
    SoarEnrichment(LookupSpec),
    MailServer(LookupSpec),
    NanocoreInfection(Box<InfectionSpec>),
    Implant(Box<InfectionSpec>),
    BackgroundNetwork(NetworkSpec),
    Program(Box<ProgramSpec>),
}

/// `program`: any benign program, with the values an exclusion names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProgramSpec {
    pub(super) image: PickSpec,
    pub(super) install_dir: Option<PickSpec>,
    pub(super) parent: Option<PickSpec>,
    pub(super) command: Option<PickSpec>,
    pub(super) task_name: Option<PickSpec>,
    pub(super) task_start: Option<PickSpec>,
    pub(super) registered_days_before: Option<f64>,
    pub(super) signer: Option<PickSpec>,
    pub(super) company: Option<String>,
    pub(super) system: Option<bool>,
    pub(super) interval_minutes: f64,
    pub(super) urls: Option<Vec<String>>,
    pub(super) names: Option<Vec<String>>,
    pub(super) addresses: Option<Vec<String>>,
    pub(super) resolves_to: Option<String>,
    pub(super) files: Option<Vec<String>>,
}

/// `background-network`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NetworkSpec {
    pub(super) sites: Option<Vec<String>>,
    pub(super) site_address: Option<String>,
    pub(super) visits_per_hour: Option<f64>,
    pub(super) downloads: Option<Vec<String>>,
    pub(super) downloads_per_hour: Option<f64>,
    pub(super) scanners: Option<Vec<String>>,
    pub(super) scans_per_hour: Option<f64>,
    pub(super) update_agents: Option<Vec<UpdateAgentSpec>>,
    pub(super) updates_per_hour: Option<f64>,
    pub(super) doh_resolver: Option<String>,
}

/// One update agent of `background-network`, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateAgentSpec {
    pub(super) image: String,
    pub(super) url: String,
    pub(super) address: Option<String>,
}

/// `soar-enrichment` and `mail-server`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LookupSpec {
    pub(super) interval_minutes: f64,
    pub(super) names: Vec<String>,
    pub(super) dnsbl_zone: Option<String>,
}

/// `background-dns`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BackgroundSpec {
    pub(super) rate_per_minute: f64,
    pub(super) names: Option<Vec<String>>,
    pub(super) names_interval_minutes: Option<f64>,
}

/// The five job templates.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JobSpec {
    pub(super) interval_minutes: f64,
    pub(super) files_per_run: Option<i64>,
    pub(super) install_dir: Option<PickSpec>,
    pub(super) shell: Option<PickSpec>,
    pub(super) task_name: Option<PickSpec>,
    pub(super) command: Option<PickSpec>,
    pub(super) signature: Option<PickSpec>,
    pub(super) task_start: Option<PickSpec>,
    pub(super) registered_days_before: Option<f64>,
}

/// A varied value of a job template: fixed (a string) or drawn from a named
/// distribution (`{ draw = "<name>" }`).
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a value, `{ draw = \"<distribution>\" }` or `{ one_of = [...], weights = [...] }`"
)]
pub(super) enum PickSpec {
    Fixed(String),
    Draw(DrawSpec),
    OneOf(OneOfSpec),
}

/// `{ one_of = [...], weights = [...] }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OneOfSpec {
    pub(super) one_of: Vec<String>,
    pub(super) weights: Option<Vec<i64>>,
}

/// `{ draw = "<name>" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DrawSpec {
    pub(super) draw: String,
}

/// `persistence`: `true` (a scheduled task), `false` (none) or a kind.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "true, false, or one of \"scheduled-task\", \"run-key\", \"service\", \"startup-folder\", \"none\""
)]
pub(super) enum PersistenceSpec {
    On(bool),
    Kind(Persistence),
}

/// `nanocore-infection` and `implant`: every parameter has a default but
/// the generic implant's C2 (`c2_hosts` or `c2_addresses`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InfectionSpec {
    pub(super) delivery: Option<Delivery>,
    pub(super) implant_path: Option<String>,
    pub(super) implant_args: Option<String>,
    pub(super) company: Option<String>,
    pub(super) drop: Option<Drop>,
    pub(super) launch: Option<Launch>,
    pub(super) persistence: Option<PersistenceSpec>,
    pub(super) task_name: Option<String>,
    pub(super) hollow: Option<Hollow>,
    pub(super) hollow_image: Option<String>,
    pub(super) parent_chain: Option<Vec<String>>,
    pub(super) c2_hosts: Option<Vec<String>>,
    pub(super) c2_addresses: Option<Vec<String>>,
    pub(super) c2_resolver: Option<String>,
    pub(super) download_url: Option<String>,
    pub(super) implant_sha256: Option<String>,
    pub(super) implant_sha1: Option<String>,
    pub(super) implant_md5: Option<String>,
    pub(super) c2_up: Option<f64>,
    pub(super) session_minutes: Option<f64>,
    pub(super) keepalive_seconds: Option<f64>,
    pub(super) restart_delay_seconds: Option<f64>,
    pub(super) connect_delay_seconds: Option<f64>,
    pub(super) ttl_seconds: Option<f64>,
    pub(super) nxdomain_share: Option<f64>,
    pub(super) sinkhole: Option<String>,
    pub(super) reboot_every_hours: Option<f64>,
    pub(super) infect_within_minutes: Option<f64>,
    pub(super) payload_files: Option<Vec<String>>,
}
