//! Every exported query against Microsoft's own KQL parser and analyser,
//! Kusto.Language (the npm package `@kusto/language-service-next`, pinned and
//! installed by `.ci/kusto-deps`, which `.ci/run` names in `HUNTLAB_KUSTO_NODE`),
//! over a database of every table of the documented schemas (`HUNTLAB_SCHEMA_DATA`,
//! or `../shared/data/schemas` beside the checkout): the KQL forms and the
//! Sentinel rules of every built-in content, and of the seed with a feed of
//! 100,000 domains, give no diagnostic of severity Error
//! (`tests/support/kusto-check.js`). Every Sentinel rule has the fields a
//! scheduled analytic rule requires, entity mappings that name columns of its
//! query's result, and a query within Sentinel's length limit.
//!
//! Ignored in a plain `cargo test` (they need Node.js and the package);
//! `.ci/run` runs them, and they fail, not skip, when anything is missing.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/sentinel_rule.rs"]
mod sentinel_rule;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cli::{huntlab, stderr, temp_dir};
use detections::content::builtins;
use detections::export::Format;
use sentinel_rule::rule_problems;
use serde_json::Value;

/// The checker, run with `node`.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/kusto-check.js");

/// The longest query a Sentinel scheduled analytic rule takes, in characters:
/// "The query length should be between 1 and 10,000 characters" (Microsoft
/// Learn, "Scheduled analytics rules in Microsoft Sentinel", best practices
/// for analytics rule queries: learn.microsoft.com/azure/sentinel/scheduled-rules-overview,
/// MicrosoftDocs/azure-docs articles/sentinel/scheduled-rules-overview.md @23dac43,
/// ms.date 10/16/2024). The Azure-Sentinel repository's own rule validation
/// holds a rule's query to the same (`ScheduledTemplateInternalModel.cs`,
/// `[StringLength(10000, MinimumLength = 1)]`).
const SENTINEL_QUERY_LIMIT: usize = 10_000;

/// The generated feed's size, the content it is exported with, and the
/// folder its exports go to.
const BIG_FEED: usize = 100_000;
const BIG_CONTENT: &str = "seed";
const BIG: &str = "seed-100k";
/// The folder of `hardened`'s exports written for an hourly rule over 14 days.
const SCHEDULED: &str = "hardened-scheduled";

/// A feed of every indicator kind, exported with the generic feed content
/// (`--content none`), and the folder its exports go to: the network and
/// digest hunts (addresses with IPv4-mapped forms, `ip:port`s, ranges, URLs,
/// digests) in every form that writes them.
const KINDS_FEED: &str = "estaliax.io
198.51.100.23:54984
104.21.55.10
2001:db8::7
203.0.113.0/24
2001:db8:1::/48
http://estaliax.io/dl/inv0521.exe
https://files.sharehost.example/u/7f3a/invoice_0521.exe
9f2c1a7e5b3d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f
5e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b
0a1b2c3d4e5f60718293a4b5c6d7e8f9
";
const KINDS: &str = "feed-kinds";

/// Whether a format is KQL (a query, or Sentinel rules around queries).
fn is_kusto(format: Format) -> bool {
    match format {
        Format::Kql
        | Format::KqlDefender
        | Format::KqlCsl
        | Format::KqlSysmonEvent
        | Format::KqlAsim
        | Format::Sentinel => true,
        Format::Sigma => false,
    }
}

/// The folder holding the npm packages, checked.
fn kusto_node() -> PathBuf {
    let dir = std::env::var_os("HUNTLAB_KUSTO_NODE")
        .map(PathBuf::from)
        .expect(
        "HUNTLAB_KUSTO_NODE names the folder of Kusto.Language's npm package (run .ci/kusto-deps)",
    );
    for package in ["@kusto/language-service-next", "yaml"] {
        let p = dir.join("node_modules").join(package);
        assert!(
            p.join("package.json").is_file(),
            "HUNTLAB_KUSTO_NODE={}: {} is missing (run .ci/kusto-deps)",
            dir.display(),
            p.display()
        );
    }
    dir
}

/// The documented column lists, checked.
fn schema_dir() -> PathBuf {
    let dir = std::env::var_os("HUNTLAB_SCHEMA_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/schemas"),
        PathBuf::from,
    );
    assert!(
        dir.join("types.tsv").is_file() && dir.join("DnsEvents.columns").is_file(),
        "documented schemas not found at {}: set HUNTLAB_SCHEMA_DATA to the folder of the .columns lists and types.tsv",
        dir.display()
    );
    dir
}

/// What the checker found in one file.
struct Checked {
    /// Which export: `<content>/<format>/<file>` (`seed-100k/...` for the big feed).
    name: String,
    query_chars: usize,
    errors: Vec<String>,
    /// The analyzers' findings (`KustoCodeService.GetAnalyzerDiagnostics`),
    /// as `code: message` at `line:col`.
    analyzer: Vec<(String, String)>,
    /// The columns of the query's result.
    columns: Vec<String>,
    /// A Sentinel rule, as read from its YAML (`Null` for a `.kql` file).
    rule: Value,
}

/// Everything the checker found, once for every test here.
struct Run {
    files: Vec<Checked>,
    /// The checker's `file:line:col: message` lines.
    printed: String,
    /// The watchlists' CSV files written beside the rules, and their rows.
    watchlists: BTreeMap<String, usize>,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(check_all)
}

/// A plain list of `n` distinct domains, one a line.
fn big_feed(n: usize) -> String {
    const WORDS: [&str; 8] = [
        "mail", "portal", "login", "secure", "update", "cloud", "auth", "web",
    ];
    const TLDS: [&str; 6] = ["com", "net", "org", "xyz", "top", "info"];
    let mut text = String::with_capacity(n * 24);
    for i in 0..n {
        let w = WORDS[i % WORDS.len()];
        let v = WORDS[(i / WORDS.len()) % WORDS.len()];
        text.push_str(&format!("{w}-{v}-{i:05x}.{}\n", TLDS[i % TLDS.len()]));
    }
    text
}

/// Export every KQL format of `content` (with `--iocs feed`, and `extra`
/// flags) into `dir`.
fn export_kusto(dir: &Path, content: &str, feed: Option<&Path>, extra: &[&str]) {
    for format in Format::ALL.into_iter().filter(|f| is_kusto(*f)) {
        let out = dir.join(format.name());
        let mut args = vec!["export", "--format", format.name(), "--content", content];
        if let Some(feed) = feed {
            args.extend(["--iocs", feed.to_str().expect("a UTF-8 path")]);
        }
        args.extend(extra);
        args.extend(["--out", out.to_str().expect("a UTF-8 path")]);
        let o = huntlab(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
}

/// Every file under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder") {
        let p = entry.expect("an entry").path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn check_all() -> Run {
    let node = kusto_node();
    let schemas = schema_dir();
    let tmp = temp_dir("kusto");
    for b in builtins() {
        export_kusto(&tmp.join(b.name), b.name, None, &[]);
    }
    // Written for a scheduled rule: `ago()` over its window and lookback.
    export_kusto(
        &tmp.join(SCHEDULED),
        "hardened",
        None,
        &["--rule-frequency", "1h", "--rule-lookback", "14d"],
    );
    let feed = tmp.join("feed-100k.txt");
    std::fs::write(&feed, big_feed(BIG_FEED)).expect("written");
    export_kusto(&tmp.join(BIG), BIG_CONTENT, Some(&feed), &[]);
    std::fs::remove_file(&feed).expect("removed");
    let kinds = tmp.join("feed-kinds.txt");
    std::fs::write(&kinds, KINDS_FEED).expect("written");
    export_kusto(&tmp.join(KINDS), "none", Some(&kinds), &[]);
    std::fs::remove_file(&kinds).expect("removed");
    // The queries and rules; the watchlists' CSV files beside the rules are
    // data, read in `a_100k_domain_feed_...` below.
    let files: Vec<PathBuf> = files_under(&tmp)
        .into_iter()
        .filter(|f| f.extension().is_none_or(|e| e != "csv"))
        .collect();
    let watchlists: BTreeMap<String, usize> = files_under(&tmp)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "csv"))
        .map(|f| {
            let rows = std::fs::read_to_string(&f).expect("read").lines().count() - 1;
            let name = f.strip_prefix(&tmp).expect("under").display().to_string();
            (name, rows)
        })
        .collect();

    // Two checkers at once, the large files dealt between them.
    let mut by_size: Vec<(u64, PathBuf)> = files
        .iter()
        .map(|f| (std::fs::metadata(f).expect("a file").len(), f.clone()))
        .collect();
    by_size.sort_by(|a, b| b.cmp(a));
    let jobs = 2;
    let children: Vec<_> = (0..jobs)
        .map(|j| {
            let mine: Vec<&PathBuf> = by_size.iter().skip(j).step_by(jobs).map(|f| &f.1).collect();
            let report = tmp.join(format!("report-{j}.jsonl"));
            let child = Command::new("node")
                .arg(SCRIPT)
                .arg("--report")
                .arg(&report)
                .args(mine)
                .env("HUNTLAB_KUSTO_NODE", &node)
                .env("HUNTLAB_SCHEMA_DATA", &schemas)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("node runs (install Node.js, or run .ci/kusto-deps)");
            (child, report)
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|(child, report)| (child.wait_with_output().expect("node ends"), report))
        .collect();
    let mut printed = String::new();
    let mut checked = Vec::new();
    for (out, report) in outputs {
        let text = String::from_utf8_lossy(&out.stdout);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "the checker could not run ({:?}):\n{err}{text}",
            out.status
        );
        eprint!("{err}");
        printed.push_str(&text);
        let report = std::fs::read_to_string(&report).expect("the checker's report");
        for line in report.lines() {
            checked.push(parse_report(line, &tmp));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    checked.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(checked.len(), files.len(), "one report line per file");
    Run {
        files: checked,
        printed: printed.replace(&format!("{}/", tmp.display()), ""),
        watchlists,
    }
}

fn parse_report(line: &str, root: &Path) -> Checked {
    let v: Value = serde_json::from_str(line).expect("a JSON line");
    let file = v["file"].as_str().expect("a file");
    let name = Path::new(file)
        .strip_prefix(root)
        .expect("under the folder")
        .display()
        .to_string();
    let strings = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .expect("a list")
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
            .collect()
    };
    Checked {
        name,
        query_chars: usize::try_from(v["query_chars"].as_u64().expect("a length")).expect("fits"),
        errors: strings("errors"),
        analyzer: v["analyzer"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|a| {
                (
                    a["code"].as_str().unwrap_or("").to_owned(),
                    format!("{}:{}: {}", a["line"], a["col"], a["message"]),
                )
            })
            .collect(),
        columns: strings("columns"),
        rule: v["rule"].clone(),
    }
}

fn is_big(c: &Checked) -> bool {
    c.name.starts_with(&format!("{BIG}/"))
}

fn rules(run: &Run) -> impl Iterator<Item = &Checked> {
    run.files.iter().filter(|c| c.name.ends_with(".yaml"))
}

#[test]
#[ignore = "needs Node.js and Kusto.Language (.ci/kusto-deps)"]
fn every_exported_query_parses_and_analyses_without_error_in_kusto_language() {
    let run = run();
    assert!(
        run.printed.is_empty() && run.files.iter().all(|c| c.errors.is_empty()),
        "Kusto.Language reports errors:\n{}",
        run.printed
    );
    let mut per_export: BTreeMap<String, usize> = BTreeMap::new();
    for c in &run.files {
        assert!(!c.columns.is_empty(), "{}: no tabular result", c.name);
        let export = c.name.rsplit_once('/').expect("a folder").0.to_owned();
        *per_export.entry(export).or_default() += 1;
    }
    let contents = builtins()
        .iter()
        .map(|b| b.name)
        .chain([BIG, KINDS, SCHEDULED]);
    let expected: Vec<String> = contents
        .flat_map(|c| {
            Format::ALL
                .into_iter()
                .filter(|f| is_kusto(*f))
                .map(move |f| format!("{c}/{}", f.name()))
        })
        .collect();
    assert_eq!(
        per_export.keys().cloned().collect::<Vec<_>>(),
        {
            let mut e = expected;
            e.sort();
            e
        },
        "a folder of files for every content and format"
    );
    eprintln!(
        "Kusto.Language: {} queries in {} exports, no error",
        run.files.len(),
        per_export.len()
    );
}

/// The analyzer findings an export may carry, each with why: none today.
const ANALYZER_ALLOWED: &[(&str, &str)] = &[];

#[test]
#[ignore = "needs Node.js and Kusto.Language (.ci/kusto-deps)"]
fn no_exported_query_has_an_analyzer_finding_outside_the_allow_list() {
    let run = run();
    let mut found = Vec::new();
    for c in &run.files {
        for (code, at) in &c.analyzer {
            if !ANALYZER_ALLOWED.iter().any(|(allowed, _)| allowed == code) {
                found.push(format!("{}:{at} ({code})", c.name));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Kusto.Language's analyzers advise against:\n{}",
        found.join("\n")
    );
}

/// The checker fails what it should: a misspelled column is an error naming
/// its place, a deprecated function an analyzer finding, a Sentinel rule's
/// query of 10,001 characters an error (and a problem of the rule checks).
#[test]
#[ignore = "needs Node.js and Kusto.Language (.ci/kusto-deps)"]
fn the_checker_fails_a_deliberately_broken_export() {
    let tmp = temp_dir("kusto-broken");
    let misspelled = tmp.join("misspelled.kql");
    std::fs::write(&misspelled, "DnsEvents\n| where Nmae has \"estaliax.io\"\n").unwrap();
    let deprecated = tmp.join("deprecated.kql");
    std::fs::write(
        &deprecated,
        "DnsEvents\n| summarize any(Name) by Computer\n",
    )
    .unwrap();
    // A Sentinel rule whose query is 10,001 characters: valid KQL, refused.
    let long = tmp.join("long.yaml");
    let query = format!("DnsEvents\n// {}", "x".repeat(9988));
    assert_eq!(query.chars().count(), SENTINEL_QUERY_LIMIT + 1);
    std::fs::write(
        &long,
        format!("id: x\nquery: |-\n  {}\n", query.replace('\n', "\n  ")),
    )
    .unwrap();
    let report = tmp.join("report.jsonl");
    let out = Command::new("node")
        .arg(SCRIPT)
        .arg("--report")
        .arg(&report)
        .args([&misspelled, &deprecated, &long])
        .env("HUNTLAB_KUSTO_NODE", kusto_node())
        .env("HUNTLAB_SCHEMA_DATA", schema_dir())
        .output()
        .expect("node runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains("misspelled.kql:2:9:"), "{printed}");
    let checked: Vec<Checked> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| parse_report(l, &tmp))
        .collect();
    assert!(!checked[0].errors.is_empty());
    assert!(checked[1].errors.is_empty());
    assert_eq!(checked[1].analyzer.len(), 1, "{:?}", checked[1].analyzer);
    assert_eq!(checked[1].analyzer[0].0, "KS507");
    assert!(
        printed.contains("long.yaml:1:1: query is 10001 characters, over Sentinel's 10000"),
        "{printed}"
    );
    assert_eq!(checked[2].query_chars, SENTINEL_QUERY_LIMIT + 1);
    let problems = rule_problems(&checked[2].rule, &checked[2].columns);
    assert!(
        problems.iter().any(|p| p.starts_with("query (1 to 10000")),
        "{problems:?}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
#[ignore = "needs Node.js and Kusto.Language (.ci/kusto-deps)"]
fn every_sentinel_rule_has_the_fields_of_a_scheduled_analytic_rule() {
    let run = run();
    let mut n = 0;
    for c in rules(run) {
        assert!(c.rule.is_object(), "{}: not a rule", c.name);
        let problems = rule_problems(&c.rule, &c.columns);
        assert!(problems.is_empty(), "{}:\n{}", c.name, problems.join("\n"));
        n += 1;
    }
    assert!(n > builtins().len(), "{n} rules");
}

#[test]
#[ignore = "needs Node.js and Kusto.Language (.ci/kusto-deps)"]
fn every_builtin_contents_sentinel_rules_fit_sentinels_query_length_limit() {
    let run = run();
    for c in rules(run).filter(|c| !is_big(c)) {
        eprintln!("{}: {} characters", c.name, c.query_chars);
        assert!(
            (1..=SENTINEL_QUERY_LIMIT).contains(&c.query_chars),
            "{}: a query of {} characters; Sentinel takes 1 to {SENTINEL_QUERY_LIMIT}",
            c.name,
            c.query_chars
        );
    }
}

/// A rule carries the IOC lists in its query, about 24 characters a domain:
/// with the 100,000-domain feed, a rule reading them would be far over
/// Sentinel's 10,000 characters. It reads them from watchlists instead (one a
/// `has_any` list of at most 10,000 values, each a CSV file beside the rules),
/// which Kusto.Language parses and binds (`_GetWatchlist`, declared as
/// Sentinel documents it); every rule is within the limit, and the
/// watchlists hold every domain. The rule that reads no list is the one
/// written without the feed.
#[test]
#[ignore = "needs Node.js and Kusto.Language (.ci/kusto-deps)"]
fn a_100k_domain_feed_gives_rules_within_sentinels_limit_reading_watchlists() {
    let run = run();
    let big: Vec<&Checked> = rules(run).filter(|c| is_big(c)).collect();
    assert!(!big.is_empty());
    for c in big {
        let query = c.rule["query"].as_str().expect("a query");
        let file = c.name.rsplit_once('/').expect("a folder").1;
        let small = rules(run)
            .find(|s| s.name == format!("{BIG_CONTENT}/sentinel/{file}"))
            .expect("the same rule without the feed");
        eprintln!("{}: {} characters", c.name, c.query_chars);
        assert!(
            (1..=SENTINEL_QUERY_LIMIT).contains(&c.query_chars),
            "{}: a query of {} characters; Sentinel takes 1 to {SENTINEL_QUERY_LIMIT}",
            c.name,
            c.query_chars
        );
        if query.contains("has_any (malicious_domains") {
            assert!(
                query.contains("_GetWatchlist(") && !query.contains("dynamic(["),
                "{}: {query}",
                c.name
            );
        } else {
            assert_eq!(c.query_chars, small.query_chars, "{}", c.name);
        }
    }
    let lists: Vec<(&String, &usize)> = run
        .watchlists
        .iter()
        .filter(|(n, _)| n.starts_with(&format!("{BIG}/sentinel/")))
        .collect();
    assert_eq!(lists.len(), BIG_FEED.div_ceil(10_000), "{lists:?}");
    assert!(lists.iter().all(|(_, &rows)| rows <= 10_000), "{lists:?}");
    assert_eq!(lists.iter().map(|(_, &r)| r).sum::<usize>(), BIG_FEED);
    assert!(
        run.watchlists
            .keys()
            .all(|n| n.starts_with(&format!("{BIG}/sentinel/"))),
        "only the big feed's rules read watchlists: {:?}",
        run.watchlists
    );
}
