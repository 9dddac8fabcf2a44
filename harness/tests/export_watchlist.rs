//! Sentinel's limit on a scheduled rule's query, 10,000 characters, with a
//! large feed: `export --format sentinel --out DIR` reads the domain lists of a
//! rule that would be over it from watchlists (one CSV file a list, at most
//! 10,000 values each, beside the rules), and writes no query over the limit;
//! to standard output it refuses (exit 2), naming `--out`. The KQL forms keep
//! the lists inline, split at `has_any`'s 10,000 values. (Kusto.Language
//! parsing the watchlist form: `export_kusto.rs`, the 100,000-domain feed.)

#[path = "support/cli.rs"]
mod cli;

use std::collections::BTreeSet;
use std::path::Path;

use cli::{huntlab, stderr, stdout, temp_dir};

const LIMIT: usize = 10_000;

/// A plain list of `n` distinct domains.
fn feed(n: usize) -> Vec<String> {
    const WORDS: [&str; 8] = [
        "mail", "portal", "login", "secure", "update", "cloud", "auth", "web",
    ];
    const TLDS: [&str; 6] = ["com", "net", "org", "xyz", "top", "info"];
    (0..n)
        .map(|i| {
            let w = WORDS[i % WORDS.len()];
            let v = WORDS[(i / WORDS.len()) % WORDS.len()];
            format!("{w}-{v}-{i:05x}.{}", TLDS[i % TLDS.len()])
        })
        .collect()
}

/// A rule's `query` block (a YAML literal block indented by two spaces), as
/// the YAML reader reads it.
fn query_of(rule: &str) -> String {
    let mut lines = rule.lines().skip_while(|l| *l != "query: |-");
    assert_eq!(lines.next(), Some("query: |-"), "{rule}");
    let body: Vec<&str> = lines
        .take_while(|l| l.is_empty() || l.starts_with("  "))
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect();
    body.join("\n")
}

fn export(dir: &Path, feed: &Path, format: &str) -> std::process::Output {
    huntlab(&[
        "export",
        "--format",
        format,
        "--content",
        "seed",
        "--iocs",
        feed.to_str().expect("UTF-8"),
        "--out",
        dir.to_str().expect("UTF-8"),
    ])
}

#[test]
fn a_30000_domain_feed_gives_sentinel_rules_within_the_limit_reading_watchlists() {
    let tmp = temp_dir("watchlist");
    let domains = feed(30_000);
    let feed_file = tmp.join("feed.txt");
    std::fs::write(&feed_file, domains.join("\n")).expect("written");
    let out = tmp.join("sentinel");
    let o = export(&out, &feed_file, "sentinel");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .into_string()
                .expect("UTF-8")
        })
        .collect();
    names.sort();
    let csvs: Vec<&String> = names.iter().filter(|n| n.ends_with(".csv")).collect();
    let aliases: Vec<String> = (1..=3)
        .map(|i| format!("huntlab_nanocore_rat_malicious_domains_{i}"))
        .collect();
    assert_eq!(
        csvs,
        aliases
            .iter()
            .map(|a| format!("{a}.csv"))
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>(),
        "{names:?}"
    );

    // Every watchlist: the search-key column, then at most 10,000 values; all
    // of them together are the feed, each once.
    let mut listed = Vec::new();
    for c in &csvs {
        let text = std::fs::read_to_string(out.join(c)).expect("read");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("Domain"), "{c}");
        let values: Vec<String> = lines.map(str::to_owned).collect();
        assert!(values.len() <= 10_000, "{c}: {}", values.len());
        listed.extend(values);
    }
    assert_eq!(listed.len(), domains.len());
    let listed: BTreeSet<String> = listed.into_iter().collect();
    let want: BTreeSet<String> = domains.iter().cloned().collect();
    assert_eq!(listed, want, "the watchlists hold every indicator");

    // Every rule's query within the limit; those reading the domain lists
    // read them from the watchlists, none inline.
    let mut reading = 0;
    for n in names.iter().filter(|n| n.ends_with(".yaml")) {
        let rule = std::fs::read_to_string(out.join(n)).expect("read");
        let query = query_of(&rule);
        let chars = query.chars().count();
        assert!((1..=LIMIT).contains(&chars), "{n}: {chars} characters");
        assert!(!query.contains(&domains[0]), "{n}: a domain inline");
        if query.contains("has_any (malicious_domains_") {
            reading += 1;
            for (i, a) in aliases.iter().enumerate() {
                let i = i + 1;
                assert!(
                    query.contains(&format!(
                        "let malicious_domains_{i} = _GetWatchlist(\"{a}\") | project SearchKey;\n"
                    )),
                    "{n}:\n{query}"
                );
            }
            assert!(!query.contains("dynamic(["), "{n}:\n{query}");
            assert!(
                rule.contains(&aliases[0]) && rule.contains("search key Domain"),
                "{n}"
            );
        }
    }
    assert!(reading >= 3, "{reading} rules read the lists");

    // The KQL form keeps its lists inline, split at has_any's 10,000 values.
    let kql = tmp.join("kql");
    let o = export(&kql, &feed_file, "kql");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(kql.join("nanocore-c2-dns.dnsevents.kql")).expect("read");
    assert!(
        text.contains("let malicious_domains_3 = dynamic(["),
        "the kql form"
    );
    assert!(!text.contains("_GetWatchlist"));
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn watchlist_rules_to_standard_output_are_refused_naming_out() {
    let tmp = temp_dir("watchlist-stdout");
    let feed_file = tmp.join("feed.txt");
    std::fs::write(&feed_file, feed(30_000).join("\n")).expect("written");
    let o = huntlab(&[
        "export",
        "--format",
        "sentinel",
        "--iocs",
        feed_file.to_str().expect("UTF-8"),
        "--content",
        "seed",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("use --out DIR"), "{err}");
    assert!(
        err.contains("huntlab_nanocore_rat_malicious_domains_1.csv"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    // Within the limit, the rules still go to standard output, inline.
    let o = huntlab(&["export", "--format", "sentinel"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("_GetWatchlist"));
    let _ = std::fs::remove_dir_all(&tmp);
}
