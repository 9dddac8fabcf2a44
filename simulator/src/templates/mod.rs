//! The generator templates: each turns a scenario's parameters into one
//! [`Activity`] per host.

pub(crate) mod background;
mod infection;
mod inventory;
mod jobs;
mod lookups;
mod network;
mod plan;
mod program;

use crate::scenario::Template;
use crate::stream::{Activity, Pair};
pub use background::vocabulary;
pub use plan::Plan;

/// Host `i`'s activity, with what its sensors report about the host itself
/// (first on a tie, so a host's addresses are known before its first lookup).
pub fn activity(plan: &Plan, i: u32) -> Box<dyn Activity> {
    let reports = inventory::Inventory::new(plan, plan.host(i), i);
    Box::new(Pair(reports, template_activity(plan, i)))
}

/// The scenario's DNS forwarder's reports, when it has one.
pub fn forwarder(plan: &Plan) -> Option<Box<dyn Activity>> {
    let host = plan.forwarder()?;
    Some(Box::new(inventory::Inventory::new(plan, host, u32::MAX)))
}

fn template_activity(plan: &Plan, i: u32) -> Box<dyn Activity> {
    let host = plan.host(i);
    match &plan.scenario.generator.template {
        Template::BackgroundDns(p) => Box::new(background::Background::new(plan, host, p.clone())),
        Template::BackupJob(p) => job(plan, host, i, jobs::JobKind::Backup, p),
        Template::NetworkDiagnostics(p) => job(plan, host, i, jobs::JobKind::NetDiag, p),
        Template::SoftwareUpdate(p) => job(plan, host, i, jobs::JobKind::Update, p),
        Template::LogCleanup(p) => job(plan, host, i, jobs::JobKind::Cleanup, p),
        Template::NameCollision(p) => job(plan, host, i, jobs::JobKind::Studio, p),
        Template::SoarEnrichment(p) => {
            Box::new(lookups::Lookups::new(plan, host, lookups::Tool::Soar, p))
        }
        Template::MailServer(p) => {
            Box::new(lookups::Lookups::new(plan, host, lookups::Tool::Mail, p))
        }
        Template::NanocoreInfection(p) | Template::Implant(p) => {
            Box::new(infection::Infection::new(plan, host, p.clone()))
        }
        Template::BackgroundNetwork(p) => Box::new(network::Network::new(plan, host, p.clone(), i)),
        Template::Program(p) => Box::new(program::Program::new(
            plan,
            host,
            plan.variety_rng(i),
            p.clone(),
        )),
    }
}

fn job(
    plan: &Plan,
    host: crate::shapes::Host,
    i: u32,
    kind: jobs::JobKind,
    p: &crate::scenario::JobParams,
) -> Box<dyn Activity> {
    Box::new(jobs::Job::new(plan, host, plan.variety_rng(i), kind, p))
}
