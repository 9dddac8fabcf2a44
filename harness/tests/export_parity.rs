//! Parity: for every scenario of the library and every built-in content, and
//! the generic feed content with a feed of the scenarios' indicators, the
//! exported queries, run by the local KQL evaluator over the scenario's
//! simulated tables, return exactly the rows the Rust engine alerts on; the
//! Defender and `CommonSecurityLog` queries without their last line (the
//! exclusion filter) return every row a hunt fired on with the same exclusion
//! decisions as the engine. The Sigma rules' conversions differ, by what the
//! substring form costs.

use detections::content::{builtins, feed_content, load_with_iocs_matching, Detection};
use detections::ioc::{Ioc, IocKind};
use detections::matcher::indicator::PortMatch;
use detections::Engine;
use harness::deployed::sigma::CONVERTED;
use harness::deployed::{deployed_forms, DeployedForm};
use simulator::Options;

fn forms_of(det: &Detection) -> Vec<DeployedForm> {
    let scenarios = simulator::builtin().expect("library loads");
    deployed_forms(det, &scenarios, &Options::default(), None).unwrap_or_else(|e| panic!("{e}"))
}

fn forms(content: &str) -> Vec<DeployedForm> {
    let det = detections::content::builtin_named(content, Engine::Fast).expect("built in");
    forms_of(&det)
}

/// The forms the local evaluator runs and holds to parity.
fn is_compared(f: &DeployedForm) -> bool {
    f.form.starts_with("kql") && f.form != "kql-sysmon-event"
}

/// The built-in contents' hunts over network rows and digests (names,
/// addresses, URLs, hashes).
const NETWORK_HUNTS: [&str; 5] = [
    "nanocore-c2-name-network",
    "nanocore-c2-address",
    "nanocore-c2-shared-address-process",
    "nanocore-payload-hash",
    "nanocore-payload-url",
];

/// The forms that write network rows' addresses, URLs and hosts and files'
/// digests.
const NETWORK_FORMS: [&str; 2] = ["kql-defender", "kql-csl"];

/// Each form the evaluator runs returns exactly the engine's alerts, with
/// the same exclusion decisions; every hunt a network form writes alerts on
/// some row of some scenario in one of them (a query returning nothing where
/// the engine alerts on nothing proves nothing). The alerts compared.
fn assert_parity(content: &str, forms: &[DeployedForm]) -> u64 {
    let mut compared = 0;
    for f in forms
        .iter()
        .filter(|f| is_compared(f) && f.status != "not_run")
    {
        assert_eq!(f.status, "parity", "content {content}: {f:#?}");
        assert_eq!(
            f.query_alerts,
            Some(f.engine_alerts),
            "content {content}: {f:#?}"
        );
        assert_eq!((f.extra, f.missed), (0, 0), "content {content}: {f:#?}");
        if NETWORK_FORMS.contains(&f.form.as_str()) {
            assert_eq!(f.decisions_differ, Some(0), "content {content}: {f:#?}");
        }
        eprintln!(
            "parity: {content}, {} {}: {} alerts, each returned and no other row",
            f.form, f.hunt, f.engine_alerts
        );
        compared += f.engine_alerts;
    }
    for f in forms
        .iter()
        .filter(|f| NETWORK_FORMS.contains(&f.form.as_str()) && f.status != "not_run")
    {
        let alerts: u64 = forms
            .iter()
            .filter(|g| g.hunt == f.hunt && NETWORK_FORMS.contains(&g.form.as_str()))
            .map(|g| g.engine_alerts)
            .sum();
        assert!(
            alerts > 0,
            "content {content}: hunt {} alerts on no row of any scenario in {NETWORK_FORMS:?}",
            f.hunt
        );
    }
    compared
}

/// The ASIM network and web session forms of the hunts over network rows:
/// written, parsed by Kusto.Language, never run (the simulator writes no ASIM
/// table), one `not_run` form for each such hunt. The other forms.
fn asim_sessions_not_run(
    content: &str,
    det: &Detection,
    all: Vec<DeployedForm>,
) -> Vec<DeployedForm> {
    let (asim, all): (Vec<_>, Vec<_>) = all.into_iter().partition(|f| {
        f.form == "kql-asim"
            && f.status == "not_run"
            && f.cause.as_deref().is_some_and(|c| c.contains("ASIM"))
    });
    let mut asim_hunts: Vec<&str> = asim.iter().map(|f| f.hunt.as_str()).collect();
    asim_hunts.sort_unstable();
    let view = detections::export::exportable(det, detections::export::Format::KqlAsim).0;
    let mut network: Vec<&str> = detections::export::asim_network_hunts(&view)
        .map(|h| h.id.as_str())
        .collect();
    network.sort_unstable();
    assert_eq!(asim_hunts, network, "content {content}");
    assert!(
        asim_hunts.contains(&"nanocore-c2-name-network"),
        "content {content}"
    );
    all
}

#[test]
fn every_exported_query_returns_what_the_engine_alerts_on_and_sigma_shows_its_cost() {
    for b in builtins() {
        let all = forms(b.name);
        let compared = assert_parity(b.name, &all);
        assert!(
            compared > 1000,
            "content {}: only {compared} alerts compared",
            b.name
        );
        let det = b.load(Engine::Fast);
        let all = asim_sessions_not_run(b.name, &det, all);
        let (left_out, forms): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|f| NETWORK_HUNTS.contains(&f.hunt.as_str()) && f.status == "not_run");
        // The hunts on network rows and digests are written by the Defender and
        // CommonSecurityLog forms (and the rules around them), on network rows
        // by the ASIM form (not run); the DNS and Sysmon Event forms, and Sigma
        // and ASIM where they have no such condition, say they leave them out.
        // The hunt on host names is written by Sigma too.
        for h in det
            .hunts
            .iter()
            .filter(|h| NETWORK_HUNTS.contains(&h.id.as_str()))
        {
            let mut left: Vec<&str> = left_out
                .iter()
                .filter(|f| f.hunt == h.id)
                .map(|f| f.form.as_str())
                .collect();
            left.sort_unstable();
            left.dedup();
            if h.id == "nanocore-c2-name-network" {
                assert_eq!(
                    left,
                    ["kql", "kql-sysmon-event"],
                    "content {}: {left_out:#?}",
                    b.name
                );
            } else if h.id == "nanocore-c2-shared-address-process" {
                // It needs a process, which no CommonSecurityLog row names.
                assert_eq!(
                    left,
                    ["kql", "kql-csl", "kql-sysmon-event"],
                    "content {}: {left_out:#?}",
                    b.name
                );
            } else {
                assert!(
                    left.iter()
                        .all(|f| ["kql", "kql-asim", "kql-sysmon-event", "sigma"].contains(f)),
                    "content {} hunt {}: {left:?}",
                    b.name,
                    h.id
                );
            }
            let written: u64 = forms
                .iter()
                .filter(|f| f.hunt == h.id && NETWORK_FORMS.contains(&f.form.as_str()))
                .map(|f| f.engine_alerts)
                .sum();
            assert!(
                written > 0,
                "content {} hunt {}: no alert in a network form",
                b.name,
                h.id
            );
        }
        for f in &left_out {
            assert_eq!(f.status, "not_run", "content {}: {f:#?}", b.name);
            assert!(
                f.cause
                    .as_deref()
                    .is_some_and(|c| c.contains("not exported")),
                "content {}: {f:#?}",
                b.name
            );
        }
        let names: Vec<(&str, &str)> = forms
            .iter()
            .map(|f| (f.form.as_str(), f.hunt.as_str()))
            .collect();
        for want in [
            ("kql", "nanocore-c2-dns"),
            ("kql-asim", "nanocore-c2-dns"),
            ("kql-defender", "nanocore-c2-dns"),
            ("kql-defender", "nanocore-artifact"),
        ] {
            assert!(
                names.contains(&want),
                "content {}: no {want:?} in {names:?}",
                b.name
            );
        }
        let sysmon: Vec<_> = forms
            .iter()
            .filter(|f| f.form == "kql-sysmon-event")
            .collect();
        assert_eq!(sysmon.len(), 2);
        assert!(sysmon.iter().all(
            |f| f.status == "not_run" && f.cause.as_deref().is_some_and(|c| c.contains("XML"))
        ));
        sigma_rules_run_and_show_their_cost(b.name, &forms);
    }
}

/// Every content's Sigma rules have a committed conversion, run over the
/// library: each shows its cost, never `not_run`.
fn sigma_rules_run_and_show_their_cost(content: &str, forms: &[DeployedForm]) {
    let sigma: Vec<_> = forms
        .iter()
        .filter(|f| f.form.starts_with("sigma"))
        .collect();
    let committed = CONVERTED.iter().filter(|c| c.0 == content).count();
    assert_eq!(sigma.len(), committed, "content {content}");
    for f in &sigma {
        assert_ne!(f.status, "not_run", "content {content}: {f:#?}");
        assert!(f.query_alerts.is_some(), "content {content}: {f:#?}");
    }
    let dns = sigma
        .iter()
        .find(|f| f.form == "sigma dns_query")
        .expect("dns_query");
    assert!(
        dns.extra > 0,
        "content {content}: look-alikes match `|contains`: {dns:#?}"
    );
    match content {
        "seed" => the_seeds_sigma_rules_cost_what_docs_export_md_says(forms),
        "published" | "published-hardened" => {
            the_published_sigma_rules_cost_what_docs_export_md_says(content, forms)
        }
        _ => {}
    }
}

/// (rows the engine alerts on, rows the conversion returns, extra, extra
/// malicious, missed) of a seed Sigma rule.
fn sigma_figures(forms: &[DeployedForm], form: &str) -> (u64, Option<u64>, u64, u64, u64) {
    let f = forms
        .iter()
        .find(|f| f.form == form)
        .unwrap_or_else(|| panic!("no {form}"));
    assert_eq!(f.status, "differs", "{f:#?}");
    (
        f.engine_alerts,
        f.query_alerts,
        f.extra,
        f.extra_malicious,
        f.missed,
    )
}

/// What the seed's Sigma rules cost (checked with the seed's forms, computed once).
fn the_seeds_sigma_rules_cost_what_docs_export_md_says(forms: &[DeployedForm]) {
    // `contains` finds every IOC lookup `has` finds, and 143 benign look-alike
    // lookups more (xestaliax.io, estaliax.iox, myduraktantuni.site, ...).
    assert_eq!(
        sigma_figures(forms, "sigma dns_query"),
        (1576, Some(1719), 143, 0, 0)
    );
    // log-cleanup needs a task's name, which process_creation cannot carry: the
    // rule keeps the 30 rows the engine's log-cleanup suppresses, 6 of them the
    // implant's own runs.
    assert_eq!(
        sigma_figures(forms, "sigma process_creation"),
        (0, Some(30), 30, 6, 0)
    );
    // file_event carries no parent or company: software-update's msiexec
    // branches and name-collision do not suppress.
    assert_eq!(
        sigma_figures(forms, "sigma file_event"),
        (3, Some(17), 14, 2, 0)
    );
    // The network hunt's host names: `|contains` on `RemoteUrl` and on the
    // proxy's `DestinationHostName` finds the same rows `has` does on the
    // library (the dropper's download: one Defender row, two proxy rows).
    for (form, alerts) in [("sigma network_connection", 1), ("sigma proxy", 2)] {
        let f = forms
            .iter()
            .find(|f| f.form == form)
            .unwrap_or_else(|| panic!("no {form}"));
        assert_eq!(f.status, "parity", "{f:#?}");
        assert_eq!(
            (f.engine_alerts, f.query_alerts, f.extra, f.missed),
            (alerts, Some(alerts), 0, 0),
            "{f:#?}"
        );
    }
}

/// What the published contents' Sigma rules on addresses, ports, digests and
/// URLs cost: the equalities say what the hunts say, so they return the
/// engine's rows; the hardened URL rule misses the proxy's host-only rows
/// (CONNECTs), all benign, which the engine matches by the host.
fn the_published_sigma_rules_cost_what_docs_export_md_says(content: &str, forms: &[DeployedForm]) {
    let find = |form: &str, hunt: &str| {
        forms
            .iter()
            .find(|f| f.form == form && f.hunt == hunt)
            .unwrap_or_else(|| panic!("{content}: no {form} for {hunt}"))
    };
    let exact: &[(&str, &str, u64)] = if content == "published" {
        &[
            ("sigma firewall", "nanocore-c2-address", 378),
            ("sigma network_connection", "nanocore-c2-address", 83),
            ("sigma file_event", "nanocore-payload-hash", 1),
            ("sigma network_connection", "nanocore-payload-url", 23),
            ("sigma proxy", "nanocore-payload-url", 53),
        ]
    } else {
        &[
            ("sigma firewall", "nanocore-c2-address", 99),
            ("sigma network_connection", "nanocore-c2-address", 9),
            (
                "sigma network_connection",
                "nanocore-c2-shared-address-process",
                12,
            ),
            ("sigma process_creation", "nanocore-payload-hash", 1),
            ("sigma file_event", "nanocore-payload-hash", 1),
        ]
    };
    for &(form, hunt, alerts) in exact {
        let f = find(form, hunt);
        assert_eq!(
            (f.status, f.engine_alerts, f.query_alerts, f.extra, f.missed),
            ("parity", alerts, Some(alerts), 0, 0),
            "{content}: {f:#?}"
        );
    }
    if content == "published-hardened" {
        let f = find("sigma proxy", "nanocore-payload-url");
        assert_eq!(
            (f.status, f.engine_alerts, f.query_alerts, f.extra, f.missed),
            ("differs", 30, Some(4), 0, 26),
            "{f:#?}"
        );
        assert_eq!(f.missed_malicious, 0, "{f:#?}");
        assert!(
            f.cause.as_deref().is_some_and(|c| c.contains("CONNECT")),
            "{f:#?}"
        );
    }
}

/// An exclusion that reads a signer (none of the built-in contents does): the
/// Defender query joins `DeviceFileCertificateInfo` on `SHA1`, and its
/// decisions equal the engine's, which learns the signer from the same table,
/// on every scenario. `software-update` reads "written by msiexec.exe" as
/// "written by a Microsoft-signed image" here. (On the library the signer
/// decides no row yet: no fired row's acting image has a certificate row the
/// join can reach; `docs/export.md` says so.)
#[test]
fn an_exclusion_on_the_signer_joins_the_certificate_table_with_parity() {
    let image = r#"{ field = "image_name", op = "=~", values = ["msiexec.exe"] },"#;
    let signer = r#"{ field = "signer", op = "=~", values = ["Microsoft Corporation"] },"#;
    // Only the signer: the parent and path branches go, so whatever the
    // exclusion suppresses, the signer suppressed.
    let others = concat!(
        r#"  { field = "parent_image_name", op = "=~", values = ["msiexec.exe"] },"#,
        "\n",
        r#"  { field = "file_path", op = "contains", values = ['C:\Windows\Temp\update_package\'] },"#,
        "\n",
    );
    let text = detections::content::NANOCORE_TOML
        .replacen(image, signer, 1)
        .replacen(others, "", 1);
    assert_eq!(
        text.len() + image.len() + others.len(),
        detections::content::NANOCORE_TOML.len() + signer.len(),
        "the seed's software-update reads image, parent and path"
    );
    let det =
        detections::load(&text, "signer.toml", Engine::Fast).unwrap_or_else(|e| panic!("{e}"));
    let hunt = det
        .hunts
        .iter()
        .find(|h| h.id == "nanocore-artifact")
        .expect("hunt");
    let query = detections::export::defender_query(&det, hunt, None);
    assert!(query.contains("DeviceFileCertificateInfo"), "{query}");
    assert!(
        query.contains("join kind=leftouter (signers) on process_sha1"),
        "{query}"
    );
    let scenarios = simulator::builtin().expect("library loads");
    let forms = deployed_forms(&det, &scenarios, &Options::default(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    for f in forms
        .iter()
        .filter(|f| f.form == "kql-defender" && f.hunt != "nanocore-c2-name-network")
    {
        assert_eq!(f.status, "parity", "{f:#?}");
        assert_eq!(f.decisions_differ, Some(0), "{f:#?}");
    }
}

/// The generic feed content (`--content none`) over a feed of the
/// scenarios' own indicators, with `ip:port`s matched as `ports` says.
fn feed(indicators: &[(IocKind, &str)], ports: PortMatch) -> Detection {
    let iocs: Vec<Ioc> = indicators
        .iter()
        .map(|(kind, value)| Ioc {
            kind: *kind,
            value: (*value).to_owned(),
            threat_type: "botnet_cc".into(),
            first_seen: String::new(),
            confidence: Some(80),
            malware_family: "NanoCore".into(),
            source: "the scenarios' indicators".into(),
            status: String::new(),
        })
        .collect();
    let mut kinds: Vec<IocKind> = iocs.iter().map(|i| i.kind).collect();
    kinds.dedup();
    let src = feed_content(&kinds, ports);
    load_with_iocs_matching(&src, "feed", Engine::Fast, iocs, ports)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The network scenarios' indicators: the C2's address and port, the
/// Cloudflare address and port a benign site shares, the second C2 address
/// (an address alone), the download URLs, the implant's pinned digests and
/// the C2 domain.
const SCENARIO_INDICATORS: [(IocKind, &str); 9] = [
    (IocKind::Domain, "estaliax.io"),
    (IocKind::IpPort, "198.51.100.23:54984"),
    (IocKind::IpPort, "104.21.55.10:443"),
    (IocKind::Ipv4, "192.0.2.45"),
    (IocKind::Url, "http://estaliax.io/dl/inv0521.exe"),
    (
        IocKind::Url,
        "https://files.sharehost.example/u/7f3a/invoice_0521.exe",
    ),
    (
        IocKind::Sha256,
        "9f2c1a7e5b3d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
    ),
    (IocKind::Sha1, "5e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b"),
    (IocKind::Md5, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
];

/// Every generic hunt (domain, address, URL, digest) in the Defender and
/// `CommonSecurityLog` forms returns exactly the engine's alerts on every
/// scenario, and each alerts somewhere: the address and port, the URL (full
/// and by host), the digests on process and file rows.
#[test]
fn the_feed_contents_network_and_digest_hunts_have_parity_in_every_network_form() {
    let det = feed(&SCENARIO_INDICATORS, PortMatch::AddressPort);
    let forms = forms_of(&det);
    let compared = assert_parity("feed", &forms);
    let alerts = |form: &str, hunt: &str| {
        forms
            .iter()
            .find(|f| f.form == form && f.hunt == hunt)
            .map(|f| f.engine_alerts)
    };
    for (form, hunt) in [
        ("kql-defender", "feed-domain"),
        ("kql-defender", "feed-address"),
        ("kql-defender", "feed-url"),
        ("kql-defender", "feed-hash"),
        ("kql-csl", "feed-domain"),
        ("kql-csl", "feed-address"),
        ("kql-csl", "feed-url"),
    ] {
        assert!(
            alerts(form, hunt).is_some_and(|n| n > 0),
            "{form} {hunt}: {:?}\n{forms:#?}",
            alerts(form, hunt)
        );
    }
    // The digest hunt reads no network row: it has no CommonSecurityLog form.
    assert_eq!(alerts("kql-csl", "feed-hash"), None);
    eprintln!("feed: {compared} alerts compared");
}

/// `ip:port`s under `--match address`, and a range: the address on any port
/// (the C2's new port too), and every address in the range (the Cloudflare
/// site's), with parity.
#[test]
fn addresses_on_any_port_and_ranges_have_parity_in_every_network_form() {
    let det = feed(
        &[
            (IocKind::IpPort, "198.51.100.23:54984"),
            (IocKind::Cidr, "104.21.0.0/16"),
            (IocKind::Cidr, "2001:db8::/32"),
        ],
        PortMatch::Address,
    );
    let forms = forms_of(&det);
    assert_parity("feed --match address", &forms);
    for form in NETWORK_FORMS {
        let f = forms
            .iter()
            .find(|f| f.form == form && f.hunt == "feed-address")
            .unwrap_or_else(|| panic!("no {form}"));
        assert!(f.engine_alerts > 0, "{f:#?}");
    }
}

/// Judged as an hourly rule over a day, window by window: the engine with the
/// facts each run sees, each KQL query written for that rule and run at the
/// end of each window (`ago()` read against it) over the rows that exist
/// then. Every form the evaluator runs returns the engine's alerts, with the
/// same exclusion decisions, for every built-in content.
#[test]
fn as_a_scheduled_rule_every_exported_query_returns_what_the_engine_alerts_on() {
    let scenarios = simulator::builtin().expect("library loads");
    let rule = harness::rule::clock(Some("1h"), Some("1d")).expect("a valid rule");
    for b in builtins() {
        let det = b.load(Engine::Fast);
        let forms = deployed_forms(&det, &scenarios, &Options::default(), Some(&rule))
            .unwrap_or_else(|e| panic!("{e}"));
        let compared = assert_parity(b.name, &forms);
        assert!(compared > 1000, "content {}: {compared} alerts", b.name);
    }
}
