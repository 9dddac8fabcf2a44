//! Tools that resolve the IOCs on purpose, the commonest false positive of an
//! IOC hunt: a threat-intelligence enrichment (SOAR) worker looking up the
//! indicators of a case, and a mail server checking senders' domains (MX, A)
//! and their reputation names in a domain block list
//! (`estaliax.io.dbl.example.org`, answered `127.0.1.6`, a listed C2 domain).
//! Both are services under `services.exe`, restarted at the window's start.

use std::sync::Arc;

use super::plan::Plan;
use crate::record::Record;
use crate::scenario::LookupParams;
use crate::shapes::{answer, Answer, Host, Meta, Proc, Spec};
use crate::stream::Activity;

/// Which tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Soar,
    Mail,
}

const SOAR_WORKER: &str = r"C:\Program Files\Contoso SOAR\Engine\soar-worker.exe";
const EXCHANGE_BIN: &str = r"C:\Program Files\Microsoft\Exchange Server\V15\Bin";

/// The answer a domain block list gives a listed name (a botnet C2 domain).
const LISTED: &str = "127.0.1.6";

pub struct Lookups {
    host: Host,
    tool: Tool,
    p: LookupParams,
    end: i64,
    next: i64,
    interval_ms: f64,
    jitter: f64,
    worker: Option<Arc<Proc>>,
    run: usize,
}

impl Lookups {
    pub fn new(plan: &Plan, mut host: Host, tool: Tool, p: &LookupParams) -> Lookups {
        let interval_ms = p.interval_minutes * 60_000.0 / plan.scale;
        let next = plan.start + host.rng.range(0, 60_000);
        Lookups {
            tool,
            p: p.clone(),
            end: plan.end,
            next,
            interval_ms,
            jitter: plan.scenario.generator.jitter,
            worker: None,
            run: 0,
            host,
        }
    }

    /// The service that resolves the names, started (under `services.exe`) at `t`.
    fn start(&mut self, t: i64, out: &mut Vec<Record>) -> Arc<Proc> {
        let services = Arc::clone(&self.host.boot.services);
        match self.tool {
            Tool::Soar => self.host.spawn(
                t,
                &services,
                Spec::new(
                    SOAR_WORKER,
                    &format!(r#""{SOAR_WORKER}" --service --queue enrichment"#),
                )
                .system()
                .meta(
                    Meta::new(
                        "Contoso Ltd.",
                        "SOAR enrichment worker",
                        "Contoso SOAR",
                        "soar-worker.exe",
                        "5.3.1.0",
                    )
                    .signed("Contoso Ltd."),
                ),
                "service-start",
                out,
            ),
            Tool::Mail => {
                let exchange = |exe: &str, d: &str| {
                    Meta::new(
                        "Microsoft Corporation",
                        d,
                        "Microsoft® Exchange",
                        exe,
                        "15.2.1544.4",
                    )
                    .signed("Microsoft Corporation")
                };
                let transport = format!(r"{EXCHANGE_BIN}\MSExchangeTransport.exe");
                let service = self.host.spawn(
                    t,
                    &services,
                    Spec::new(&transport, &format!(r#""{transport}""#))
                        .system()
                        .meta(exchange(
                            "MSExchangeTransport.exe",
                            "Microsoft Exchange Transport",
                        )),
                    "service-start",
                    out,
                );
                let edge = format!(r"{EXCHANGE_BIN}\EdgeTransport.exe");
                let t = t + self.host.rng.range(500, 3_000);
                self.host.spawn(
                    t,
                    &service,
                    Spec::new(
                        &edge,
                        &format!(r#""{edge}" -pipe:2176 -stopkey:Global\edgetransport<3a6bc11d>"#),
                    )
                    .system()
                    .meta(exchange("EdgeTransport.exe", "EdgeTransport")),
                    "service-start",
                    out,
                )
            }
        }
    }
}

impl Activity for Lookups {
    fn next_start(&self) -> Option<i64> {
        (self.next < self.end).then_some(self.next)
    }

    fn emit(&mut self, out: &mut Vec<Record>) {
        let mut t = self.next;
        let worker = match &self.worker {
            Some(w) => Arc::clone(w),
            None => {
                let w = self.start(t, out);
                t += self.host.rng.range(2_000, 10_000);
                self.worker = Some(Arc::clone(&w));
                w
            }
        };
        // One indicator (SOAR: a case's; mail: a sender's domain) each run.
        let name = self.p.names[self.run % self.p.names.len().max(1)].clone();
        let listed = format!("{name}.{}", self.p.dnsbl_zone);
        let nodata = Answer {
            cname: None,
            ips: Vec::new(),
            nxdomain: false,
        };
        let bl = Answer {
            cname: None,
            ips: vec![LISTED.to_owned()],
            nxdomain: false,
        };
        let steps: Vec<(String, &str, Answer, &str)> = match self.tool {
            Tool::Soar => vec![
                (
                    name.clone(),
                    "A",
                    answer(&name, "A", false),
                    "enrich-lookup",
                ),
                (
                    name.clone(),
                    "AAAA",
                    answer(&name, "AAAA", false),
                    "enrich-lookup",
                ),
                (listed, "A", bl, "reputation-lookup"),
            ],
            Tool::Mail => vec![
                (name.clone(), "MX", nodata, "sender-lookup"),
                (
                    name.clone(),
                    "A",
                    answer(&name, "A", false),
                    "sender-lookup",
                ),
                (listed, "A", bl, "dnsbl-lookup"),
            ],
        };
        for (n, qtype, ans, step) in steps {
            t += self.host.rng.range(5, 400);
            self.host
                .lookup(t, Some(&worker), &n, qtype, &ans, true, step, out);
        }
        self.run += 1;
        self.next += self.host.rng.jitter_ms(self.interval_ms, self.jitter);
    }
}
