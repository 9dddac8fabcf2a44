//! `report` and `compare` measure each indicator kind: run on a content with a
//! domain hunt and an address hunt (guarded by an exclusion that hides the
//! implant's own connections), over the address-only C2, the benign sites on
//! the C2 indicator's Cloudflare address, an implant that looks its C2 up, and
//! a mail server's DNSBL lookups. Each kind's figures are recounted here from
//! the labelled telemetry: which rows carry an indicator of the kind (read
//! from the rows, not from the engine's kinds), and whether the kind's hunt's
//! alert stands.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use detections::content::{load, Engine};
use detections::pipeline::Pipeline;
use serde_json::Value;

const SCENARIOS: [&str; 4] = [
    "benign-cdn-shared-address",
    "benign-mail-dnsbl",
    "nanocore-c2-by-address",
    "nanocore-invoice-regsvcs",
];

const DOMAINS: [&str; 2] = ["estaliax.io", "duraktantuni.site"];
const ADDRESSES: [(&str, u16); 2] = [("198.51.100.23", 54984), ("104.21.55.10", 443)];

/// The content: the domains on DNS rows; the addresses and ports on network
/// rows, unless dhcpmon.exe (the implant's name) made the connection.
const CONTENT: &str = r#"
id = "kinds-test"
title = "A domain hunt and an address hunt"
source = "test"
description = "The C2 domains on DNS rows, and the C2 and CDN address and port on network rows."

[[iocs]]
type = "domain"
value = "estaliax.io"

[[iocs]]
type = "domain"
value = "duraktantuni.site"

[[iocs]]
type = "ip_port"
value = "198.51.100.23:54984"

[[iocs]]
type = "ip_port"
value = "104.21.55.10:443"

[[hunts]]
id = "c2-dns"
title = "C2 domain lookup"
description = "A DNS query naming a C2 domain."
origin = "seed"
reads = ["dns"]
when = { field = "query_name", op = "has_any", values_from = "iocs.domain" }

[[hunts]]
id = "c2-address"
title = "C2 address and port"
description = "A connection to an indicator's address and port."
origin = "seed"
reads = ["network"]
match = "address_port"
when = { field = "remote_ip", op = "in", values_from = "iocs.ip_port" }
exclusions = ["dhcp-monitor"]

[[exclusions]]
id = "dhcp-monitor"
scenario = "A DHCP monitor that talks to its vendor"
description = "Connections made by dhcpmon.exe."
seed_text = "Exclude connections made by dhcpmon.exe."
applies_to = ["network"]
when = { field = "image_name", op = "=~", values = ["dhcpmon.exe"] }
"#;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("huntlab-kinds-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a temporary folder");
    d
}

fn scenario_file(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(format!("{id}.toml"))
}

/// A folder with the scenarios, the content and the content without its
/// exclusion.
fn setup(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let scenarios = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios).expect("a scenarios folder");
    for id in SCENARIOS {
        std::fs::copy(scenario_file(id), scenarios.join(format!("{id}.toml")))
            .expect("the scenario copies");
    }
    std::fs::write(dir.join("content.toml"), CONTENT).expect("the content is written");
    std::fs::write(dir.join("unguarded.toml"), unguarded()).expect("written");
    dir
}

/// The content with no exclusion on the address hunt.
fn unguarded() -> String {
    let cut = CONTENT.find("[[exclusions]]").expect("an exclusion");
    CONTENT[..cut].replace("exclusions = [\"dhcp-monitor\"]\n", "")
}

fn huntlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huntlab"))
        .args(args)
        .output()
        .expect("huntlab runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `huntlab report` on the content: its report.json.
fn report(dir: &Path) -> Value {
    let out = dir.join("out");
    let o = huntlab(&[
        "report",
        "--content",
        path(&dir.join("content.toml")),
        "--scenarios",
        path(&dir.join("scenarios")),
        "--out",
        path(&out),
        "--no-color",
    ]);
    // The benign scenarios expect no alert, and the bare hunts alert there.
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("\nIndicator kinds\n"), "{stdout}");
    let text = std::fs::read_to_string(out.join("report.json")).expect("report.json");
    serde_json::from_str(&text).expect("valid JSON")
}

/// One kind's counts, as the report names them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    fired: u64,
    tp: u64,
    fp: u64,
    malicious_hidden: u64,
    benign_suppressed: u64,
}

impl Counts {
    fn add(&mut self, truth: bool, alerted: bool) {
        self.fired += 1;
        *match (alerted, truth) {
            (true, true) => &mut self.tp,
            (true, false) => &mut self.fp,
            (false, true) => &mut self.malicious_hidden,
            (false, false) => &mut self.benign_suppressed,
        } += 1;
    }

    fn of(v: &Value) -> Counts {
        let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
        Counts {
            fired: n("fired"),
            tp: n("tp"),
            fp: n("fp"),
            malicious_hidden: n("malicious_hidden"),
            benign_suppressed: n("benign_suppressed"),
        }
    }
}

/// An address as the rows write it, an IPv4-mapped IPv6 address as IPv4.
fn address(v: &str) -> Option<IpAddr> {
    match v.trim().parse::<IpAddr>().ok()? {
        IpAddr::V6(a) => Some(a.to_ipv4_mapped().map_or(IpAddr::V6(a), IpAddr::V4)),
        a => Some(a),
    }
}

/// Per kind (`domain`, `ip_port`), per scenario: the counts recounted from the
/// simulated rows and their labels. A row carries a domain when its DNS query
/// name has one (KQL's `has`), an address and port when its remote address
/// and port are an indicator's; the kind's alert stands when its hunt's does.
fn recount() -> BTreeMap<(&'static str, String), Counts> {
    let det = load(CONTENT, "content.toml", Engine::Fast).expect("the content loads");
    let (dns, net) = (
        det.hunt_index("c2-dns").expect("the DNS hunt"),
        det.hunt_index("c2-address").expect("the address hunt"),
    );
    let scenarios: Vec<simulator::Scenario> = SCENARIOS
        .iter()
        .map(|id| {
            let file = scenario_file(id);
            let text = std::fs::read_to_string(&file).expect("the scenario reads");
            simulator::Scenario::parse(&text, path(&file)).expect("the scenario parses")
        })
        .collect();
    let ips: Vec<(IpAddr, u16)> = ADDRESSES
        .iter()
        .map(|(a, p)| (a.parse().expect("an address"), *p))
        .collect();
    let mut pipeline = Pipeline::new(&det);
    let mut counts: BTreeMap<(&str, String), Counts> = BTreeMap::new();
    for rec in simulator::generate_all(&scenarios, &simulator::Options::default()) {
        let judged = pipeline.judge(rec.row.columns()).expect("a readable row");
        let (ev, d) = (&judged.event, judged.decision);
        let name = ev
            .query_name
            .as_deref()
            .filter(|_| ev.kind() == detections::Kind::Dns);
        let carries_domain =
            name.is_some_and(|n| DOMAINS.iter().any(|i| detections::kql::has(n, i)));
        let remote = ev
            .net
            .as_ref()
            .filter(|_| ev.kind() == detections::Kind::Network)
            .and_then(|n| Some((address(n.remote_ip.as_deref()?)?, n.remote_port?)));
        let carries_address = remote.is_some_and(|r| ips.contains(&r));
        for (kind, carries, hunt) in [
            ("domain", carries_domain, dns),
            ("ip_port", carries_address, net),
        ] {
            assert_eq!(
                carries,
                d.fired & (1 << hunt) != 0,
                "{kind}: the hunt fires on exactly the rows that carry an indicator: {:?}",
                rec.row
            );
            if carries {
                counts
                    .entry((kind, rec.label.scenario.clone()))
                    .or_default()
                    .add(rec.label.malicious, d.alerted & (1 << hunt) != 0);
            }
        }
    }
    counts
}

fn kind<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["indicator_kinds"]
        .as_array()
        .expect("indicator_kinds")
        .iter()
        .find(|k| k["kind"] == name)
        .unwrap_or_else(|| panic!("kind {name}"))
}

fn in_scenario(k: &Value, scenario: &str) -> Counts {
    k["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .find(|s| s["scenario"] == scenario)
        .map_or_else(Counts::default, Counts::of)
}

/// Every figure, kind by kind and scenario by scenario, is the recount's.
fn assert_recounted(r: &Value) {
    let recounted = recount();
    for name in ["domain", "ip_port"] {
        let k = kind(r, name);
        let mut total = Counts::default();
        for id in SCENARIOS {
            let want = recounted
                .get(&(name, id.to_owned()))
                .copied()
                .unwrap_or_default();
            assert_eq!(in_scenario(k, id), want, "{name} in {id}");
            total.fired += want.fired;
            total.tp += want.tp;
            total.fp += want.fp;
            total.malicious_hidden += want.malicious_hidden;
            total.benign_suppressed += want.benign_suppressed;
        }
        assert_eq!(Counts::of(k), total, "{name} over the run");
        let c = Counts::of(k);
        assert_eq!(
            c.fired,
            c.tp + c.fp + c.malicious_hidden + c.benign_suppressed
        );
        assert_eq!(k["alerts"].as_u64(), Some(c.tp + c.fp));
    }
}

/// The kinds and the alerts no indicator carries make up the overall
/// figures, and the invariants hold.
fn assert_adds_up(r: &Value) {
    let (domain, ip) = (kind(r, "domain"), kind(r, "ip_port"));
    // No row here carries two kinds (one is on DNS rows, the other
    // on network rows), so they add up exactly.
    let n = |v: &Value| v.as_u64().expect("a count");
    let ev = &r["overall"]["event"];
    let without = &r["overall"]["alerts_without_indicator"];
    assert_eq!(
        (n(&without["tp"]), n(&without["fp"])),
        (0, 0),
        "no hunt on a name"
    );
    let (kd, ki) = (Counts::of(domain), Counts::of(ip));
    assert_eq!(n(&ev["tp"]), kd.tp + ki.tp + n(&without["tp"]));
    assert_eq!(n(&ev["fp"]), kd.fp + ki.fp + n(&without["fp"]));
    assert_eq!(
        n(&r["overall"]["misses"]["hidden"]),
        kd.malicious_hidden + ki.malicious_hidden
    );
    // And the invariants hold.
    let malicious: u64 = r["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| n(&s["malicious_rows"]))
        .sum();
    assert_eq!(n(&ev["tp"]) + n(&ev["fn"]), malicious);
    let run = &r["run"];
    assert_eq!(
        n(&run["rows_read"]),
        n(&run["rows_scored"]) + n(&run["rows_rejected"])
    );
}

#[test]
fn each_kind_is_scored_as_its_rows_and_labels_say() {
    let dir = setup("report");
    let r = report(&dir);
    let names: Vec<&str> = r["indicator_kinds"]
        .as_array()
        .expect("indicator_kinds")
        .iter()
        .map(|k| k["kind"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        names,
        ["domain", "ip_port"],
        "only the kinds the content hunts"
    );

    let (domain, ip) = (kind(&r, "domain"), kind(&r, "ip_port"));
    assert_eq!(domain["hunts"], serde_json::json!(["c2-dns"]));
    assert_eq!(ip["hunts"], serde_json::json!(["c2-address"]));
    assert_eq!(ip["label"], "IP address and port");
    assert_eq!(
        (domain["indicators"].as_u64(), ip["indicators"].as_u64()),
        (Some(2), Some(2))
    );

    // The address kind: true positives on the address-only C2, where the
    // exclusion hides the implant's own connections (the endpoint's rows)
    // and the firewall's rows, which carry no process, alert; false
    // positives on the benign sites sharing the CDN address.
    let c2 = in_scenario(ip, "nanocore-c2-by-address");
    assert!(c2.tp > 0 && c2.fp == 0 && c2.malicious_hidden > 0, "{c2:?}");
    let cdn = in_scenario(ip, "benign-cdn-shared-address");
    assert!(
        cdn.fp > 0 && cdn.tp == 0 && cdn.malicious_hidden == 0,
        "{cdn:?}"
    );
    assert_eq!(cdn.fp, cdn.fired, "the exclusion removes none of them");
    // The domain kind: the implant's lookups, and the mail server's DNSBL
    // lookups of names that hold a C2 domain as a term.
    assert!(in_scenario(domain, "nanocore-invoice-regsvcs").tp > 0);
    assert!(in_scenario(domain, "benign-mail-dnsbl").fp > 0);
    assert_eq!(
        in_scenario(domain, "nanocore-c2-by-address"),
        Counts::default()
    );

    let alerted = |id: &str| -> Vec<String> {
        let s = r["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("scenario {id}"));
        serde_json::from_value(s["alerted_kinds"].clone()).expect("kind names")
    };
    assert_eq!(alerted("nanocore-c2-by-address"), ["ip_port"]);
    assert_eq!(alerted("benign-cdn-shared-address"), ["ip_port"]);
    assert_eq!(alerted("nanocore-invoice-regsvcs"), ["domain"]);
    assert_eq!(alerted("benign-mail-dnsbl"), ["domain"]);

    assert_recounted(&r);
    assert_adds_up(&r);

    let md = std::fs::read_to_string(dir.join("out/report.md")).expect("report.md");
    assert!(md.contains("## Indicator kinds\n") && md.contains("## Indicator kinds by scenario\n"));
    assert!(
        md.contains(&format!(
            "| nanocore-c2-by-address | alert | ip_port | {} | {} | 0 | {} | 0 |",
            c2.fired, c2.tp, c2.malicious_hidden
        )),
        "{md}"
    );
    let html = std::fs::read_to_string(dir.join("out/report.html")).expect("report.html");
    assert!(html.contains("<table id=\"indicator-kinds\">"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn compare_shows_what_the_exclusion_costs_the_address_kind() {
    let dir = setup("compare");
    let base = report(&dir);
    let hidden = Counts::of(kind(&base, "ip_port")).malicious_hidden;
    assert!(hidden > 0);
    let args = |format: &str| -> Output {
        huntlab(&[
            "compare",
            path(&dir.join("content.toml")),
            path(&dir.join("unguarded.toml")),
            "--scenarios",
            path(&dir.join("scenarios")),
            "--format",
            format,
        ])
    };
    let o = args("json");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let c: Value = serde_json::from_slice(&o.stdout).expect("comparison JSON");
    let kinds = c["indicator_kinds"].as_array().expect("indicator_kinds");
    assert_eq!(kinds.len(), 2);
    let (domain, ip) = (&kinds[0], &kinds[1]);
    assert_eq!(domain["kind"], "domain");
    assert_eq!(domain["verdict"], "same");
    assert_eq!(domain["scenarios"], serde_json::json!([]));
    assert_eq!(ip["kind"], "ip_port");
    // Without the exclusion, every connection it hid alerts.
    assert_eq!(ip["tp"]["delta"].as_i64(), Some(hidden as i64));
    assert_eq!(ip["malicious_hidden"]["candidate"], 0);
    assert_eq!(ip["fp"]["delta"], 0);
    assert_eq!(ip["verdict"], "better");
    let by = ip["scenarios"].as_array().expect("scenarios");
    assert_eq!(by.len(), 1, "{by:?}");
    assert_eq!(by[0]["scenario"], "nanocore-c2-by-address");
    assert_eq!(
        by[0]["malicious_hidden"]["delta"].as_i64(),
        Some(-(hidden as i64))
    );

    let text = String::from_utf8(args("text").stdout).expect("UTF-8");
    let row = text
        .lines()
        .skip_while(|l| *l != "Indicator kinds by scenario")
        .nth(2)
        .expect("a changed scenario");
    assert!(
        row.starts_with("nanocore-c2-by-address") && row.contains("ip_port"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
