//! Parity: for every scenario of the library and every built-in content, the
//! exported queries, run by the local KQL evaluator over the scenario's
//! simulated tables, return exactly the rows the Rust engine alerts on; the
//! Defender query without its last line (the exclusion filter) returns every
//! row a hunt fired on with the same exclusion decisions as the engine. The
//! Sigma rules' conversions differ, by what the substring form costs.

use detections::content::builtins;
use detections::Engine;
use harness::deployed::{deployed_forms, DeployedForm};
use simulator::Options;

fn forms(content: &str) -> Vec<DeployedForm> {
    let scenarios = simulator::builtin().expect("library loads");
    let det = detections::content::builtin_named(content, Engine::Fast).expect("built in");
    deployed_forms(&det, &scenarios, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The built-in contents' hunts over network rows and digests (names,
/// addresses, URLs, hashes), which no form writes yet.
const NOT_EXPORTED: [&str; 5] = [
    "nanocore-c2-name-network",
    "nanocore-c2-address",
    "nanocore-c2-shared-address-process",
    "nanocore-payload-hash",
    "nanocore-payload-url",
];

#[test]
fn every_exported_query_returns_what_the_engine_alerts_on_and_sigma_shows_its_cost() {
    for b in builtins() {
        let (left_out, forms): (Vec<_>, Vec<_>) = forms(b.name)
            .into_iter()
            .partition(|f| NOT_EXPORTED.contains(&f.hunt.as_str()));
        // The hunts on network rows and digests have no form yet: each format
        // says so, for each of them the content has.
        let hunts = b
            .load(Engine::Fast)
            .hunts
            .iter()
            .filter(|h| NOT_EXPORTED.contains(&h.id.as_str()))
            .count();
        assert!(hunts > 0, "content {}", b.name);
        assert_eq!(
            left_out.len(),
            6 * hunts,
            "content {}: {left_out:#?}",
            b.name
        );
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
        let mut compared = 0;
        for f in forms
            .iter()
            .filter(|f| f.form.starts_with("kql") && f.form != "kql-sysmon-event")
        {
            assert_eq!(f.status, "parity", "content {}: {f:#?}", b.name);
            assert_eq!(
                f.query_alerts,
                Some(f.engine_alerts),
                "content {}: {f:#?}",
                b.name
            );
            assert_eq!((f.extra, f.missed), (0, 0), "content {}: {f:#?}", b.name);
            if f.form == "kql-defender" {
                assert_eq!(f.decisions_differ, Some(0), "content {}: {f:#?}", b.name);
            }
            compared += f.engine_alerts;
        }
        assert!(
            compared > 1000,
            "content {}: only {compared} alerts compared",
            b.name
        );
        let sysmon: Vec<_> = forms
            .iter()
            .filter(|f| f.form == "kql-sysmon-event")
            .collect();
        assert_eq!(sysmon.len(), 2);
        assert!(sysmon.iter().all(
            |f| f.status == "not_run" && f.cause.as_deref().is_some_and(|c| c.contains("XML"))
        ));
        // Every content's Sigma rules have a committed conversion, run over the
        // library: the substring form shows its cost, never `not_run`.
        let sigma: Vec<_> = forms
            .iter()
            .filter(|f| f.form.starts_with("sigma"))
            .collect();
        assert_eq!(sigma.len(), 3, "content {}", b.name);
        for f in &sigma {
            assert_ne!(f.status, "not_run", "content {}: {f:#?}", b.name);
            assert!(f.query_alerts.is_some(), "content {}: {f:#?}", b.name);
        }
        let dns = sigma
            .iter()
            .find(|f| f.form == "sigma dns_query")
            .expect("dns_query");
        assert!(
            dns.extra > 0,
            "content {}: look-alikes match `|contains`: {dns:#?}",
            b.name
        );
        if b.name == "seed" {
            the_seeds_sigma_rules_cost_what_docs_export_md_says(&forms);
        }
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
        (1530, Some(1673), 143, 0, 0)
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
    let query = detections::export::defender_query(&det, hunt);
    assert!(query.contains("DeviceFileCertificateInfo"), "{query}");
    assert!(
        query.contains("join kind=leftouter (signers) on sha1"),
        "{query}"
    );
    let scenarios = simulator::builtin().expect("library loads");
    let forms =
        deployed_forms(&det, &scenarios, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    for f in forms
        .iter()
        .filter(|f| f.form == "kql-defender" && f.hunt != "nanocore-c2-name-network")
    {
        assert_eq!(f.status, "parity", "{f:#?}");
        assert_eq!(f.decisions_differ, Some(0), "{f:#?}");
    }
}
