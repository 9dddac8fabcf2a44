//! The HTML report in a real browser: headless Chromium loads the page from a
//! file, and the test checks the DOM it built (tables, charts, no injected
//! elements) and takes a screenshot, copied to `target/huntlab-browser/report.png`
//! for a person to look at.
//!
//! Chromium is found from `HUNTLAB_CHROMIUM`, else `/usr/bin/chromium`, else
//! `chromium` on `PATH`. Without it the check is skipped with a message, unless
//! `HUNTLAB_REQUIRE_BROWSER=1`, which makes a missing browser a failure.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use harness::metrics::Confusion;
use harness::report::*;

/// Longest a single Chromium run may take.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);
/// A hostile scenario id: it must reach the page as text, never as markup.
const HOSTILE_ID: &str = "\"><img src=x onerror=alert(1)><script>alert(2)</script>";
const HOSTILE_ERROR: &str = "unexpected <svg onload=alert(3)> in field";
const TIMELINE_BINS: usize = 48;

fn confusion(tp: u64, fp: u64, fn_: u64, tn: u64) -> Confusion {
    Confusion { tp, fp, fn_, tn }
}

/// Per-bin counts from a small formula, so the timeline has shape.
fn bins(f: impl Fn(usize) -> u64) -> Vec<u64> {
    (0..TIMELINE_BINS).map(f).collect()
}

struct Spec {
    id: &'static str,
    title: &'static str,
    kind: &'static str,
    expected: &'static str,
    exclusion: Option<&'static str>,
    met: bool,
    event: Confusion,
    host: Confusion,
    fired: u64,
    suppressed: u64,
    ttfd: Option<f64>,
    timeline: Option<Timeline>,
}

fn scenario(s: Spec) -> ScenarioScore {
    ScenarioScore {
        id: s.id.to_owned(),
        title: s.title.to_owned(),
        kind: s.kind.to_owned(),
        expected_outcome: s.expected.to_owned(),
        expected_exclusion: s.exclusion.map(str::to_owned),
        expectation_met: s.met,
        expectation_detail: if s.met {
            "the declared outcome held".to_owned()
        } else {
            format!(
                "expected `{}`; {} alert(s) stand",
                s.expected,
                s.event.tp + s.event.fp
            )
        },
        rows: s.event.total(),
        malicious_rows: s.event.tp + s.event.fn_,
        fired: s.fired,
        alerts: s.event.tp + s.event.fp,
        suppressed: s.suppressed,
        event: s.event,
        host: s.host,
        time_to_first_detection_s: s.ttfd,
        timeline: s.timeline,
    }
}

/// A small report with every section populated, one scenario id hostile.
fn sample_report() -> Report {
    let start = 1_717_200_000_000;
    let scenarios = vec![
        scenario(Spec {
            id: "benign-software-updater",
            title: "Vendor updater resolves a lookalike domain",
            kind: "benign",
            expected: "suppressed",
            exclusion: Some("excl-signed-updater"),
            met: true,
            event: confusion(0, 0, 0, 2400),
            host: confusion(0, 0, 0, 12),
            fired: 180,
            suppressed: 180,
            ttfd: None,
            timeline: None,
        }),
        scenario(Spec {
            id: "benign-browsing",
            title: "Ordinary browsing and DNS noise",
            kind: "background",
            expected: "no-match",
            exclusion: None,
            met: true,
            event: confusion(0, 3, 0, 18_000),
            host: confusion(0, 1, 0, 40),
            fired: 3,
            suppressed: 0,
            ttfd: None,
            timeline: None,
        }),
        scenario(Spec {
            id: "nanocore-beacon-dns",
            title: "NanoCore client beacons to its C2 domains",
            kind: "malicious",
            expected: "alert",
            exclusion: None,
            met: true,
            event: confusion(430, 0, 14, 900),
            host: confusion(3, 0, 0, 5),
            fired: 430,
            suppressed: 0,
            ttfd: Some(4.2),
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 6 * 3_600_000,
                alerted: bins(|i| 6 + (i as u64 * 7) % 5),
                hidden: bins(|_| 0),
                missed: bins(|i| u64::from(i % 16 == 3)),
            }),
        }),
        scenario(Spec {
            id: "nanocore-masquerade-updater",
            title: "NanoCore runs as the updater's process name",
            kind: "adversarial",
            expected: "alert",
            exclusion: None,
            met: false,
            event: confusion(40, 0, 60, 300),
            host: confusion(1, 0, 1, 2),
            fired: 100,
            suppressed: 60,
            ttfd: Some(1_250.0),
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 2 * 3_600_000,
                alerted: bins(|i| if i >= 10 { 1 } else { 0 }),
                hidden: bins(|i| if i < 24 { 2 } else { 1 }),
                missed: bins(|_| 0),
            }),
        }),
        scenario(Spec {
            id: HOSTILE_ID,
            title: "Scenario with a hostile id",
            kind: "adversarial",
            expected: "alert",
            exclusion: None,
            met: true,
            event: confusion(12, 1, 6, 50),
            host: confusion(1, 0, 0, 1),
            fired: 13,
            suppressed: 0,
            ttfd: Some(95.0),
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 45 * 60_000,
                alerted: bins(|i| u64::from(i % 4 == 0)),
                hidden: bins(|_| 0),
                missed: bins(|i| u64::from(i % 8 == 1)),
            }),
        }),
        scenario(Spec {
            id: "nanocore-doh-c2",
            title: "C2 lookups over DNS-over-HTTPS: no DNS row names them",
            kind: "malicious",
            expected: "alert",
            exclusion: None,
            met: false,
            event: confusion(0, 0, 26, 120),
            host: confusion(0, 0, 1, 1),
            fired: 0,
            suppressed: 0,
            ttfd: None,
            timeline: Some(Timeline {
                start_ms: start,
                end_ms: start + 20 * 60_000,
                alerted: bins(|_| 0),
                hidden: bins(|_| 0),
                missed: bins(|i| u64::from(i % 3 == 0) + u64::from(i % 5 == 0)),
            }),
        }),
    ];
    let event = confusion(482, 4, 80, 21_650);
    let host = confusion(5, 1, 1, 60);
    Report {
        schema_version: SCHEMA_VERSION,
        detection: DetectionInfo {
            id: "nanocore-rat-dns".into(),
            title: "NanoCore RAT: DNS lookups of known C2 domains".into(),
            iocs: vec![
                "nanocore-c2.example".into(),
                "backup-c2.example".into(),
                "<u>bold</u>.example".into(),
            ],
            hunts: vec!["dns-events".into(), "sysmon-dns-query".into()],
            exclusions: vec!["excl-signed-updater".into(), "excl-dns-server".into()],
        },
        run: RunInfo {
            seed: 42,
            scale: 1.0,
            scenario_count: scenarios.len(),
            rows_read: 22_219,
            rows_scored: 22_216,
            rows_rejected: 3,
        },
        overall: Overall {
            precision: event.precision(),
            recall: event.recall(),
            f1: event.f1(),
            event,
            host,
            expectations_met: 4,
            expectations_failed: 2,
        },
        hunts: vec![
            HuntScore {
                id: "dns-events".into(),
                fired: 600,
                alerts: 360,
                confusion: confusion(357, 3, 50, 12_000),
            },
            HuntScore {
                id: "sysmon-dns-query".into(),
                fired: 300,
                alerts: 126,
                confusion: confusion(125, 1, 30, 9_000),
            },
        ],
        scenarios,
        exclusions: vec![
            ExclusionScore {
                id: "excl-signed-updater".into(),
                scenario: "benign-software-updater".into(),
                benign_suppressed: 180,
                malicious_hidden: 60,
                not_evaluable: 240,
                by_scenario: vec![
                    ExclusionByScenario {
                        scenario: "benign-software-updater".into(),
                        benign_suppressed: 180,
                        malicious_hidden: 0,
                    },
                    ExclusionByScenario {
                        scenario: "nanocore-masquerade-updater".into(),
                        benign_suppressed: 0,
                        malicious_hidden: 60,
                    },
                ],
            },
            ExclusionScore {
                id: "excl-dns-server".into(),
                scenario: HOSTILE_ID.into(),
                benign_suppressed: 0,
                malicious_hidden: 0,
                not_evaluable: 0,
                by_scenario: vec![],
            },
        ],
        sources: vec![
            SourceScore {
                source: "DnsEvents".into(),
                rows: 12_410,
                fired: 600,
                alerts: 360,
                not_evaluable: 240,
                has_process: false,
            },
            SourceScore {
                source: "Sysmon EventID 22".into(),
                rows: 9_806,
                fired: 300,
                alerts: 126,
                not_evaluable: 0,
                has_process: true,
            },
        ],
        semantics: vec![
            SemanticsScore {
                matcher: "has_any".into(),
                definition: "term match on the query name".into(),
                confusion: confusion(540, 12, 22, 11_836),
            },
            SemanticsScore {
                matcher: "exact".into(),
                definition: "equality with an IOC".into(),
                confusion: confusion(410, 0, 152, 11_848),
            },
            SemanticsScore {
                matcher: "suffix".into(),
                definition: "the IOC or a subdomain of it".into(),
                confusion: confusion(562, 0, 0, 11_848),
            },
        ],
        rejected_examples: vec![
            Rejected {
                table: "DnsEvents".into(),
                row: 118,
                error: HOSTILE_ERROR.into(),
            },
            Rejected {
                table: "Sysmon".into(),
                row: 7,
                error: "TimeGenerated is not a timestamp".into(),
            },
        ],
    }
}

/// Removes the temporary folder when the test ends, however it ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("huntlab-browser-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn is_file(p: &Path) -> bool {
    p.is_file()
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HUNTLAB_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if is_file(&debian) {
        return Some(debian);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| is_file(p))
}

struct Run {
    stdout: String,
    stderr: String,
    success: bool,
}

/// Run Chromium headless with a fresh profile; kill it at the deadline.
fn chromium(bin: &Path, profile: &Path, args: &[String]) -> Run {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start chromium at {}: {err}", bin.display()));
    // Drain both pipes while waiting, so a large DOM cannot block the browser.
    // The readers report through channels, so a helper process that keeps a
    // pipe open cannot hang the test past the deadline either.
    let drain = |mut r: Box<dyn Read + Send>| {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
        });
        rx
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout piped")));
    let err = drain(Box::new(child.stderr.take().expect("stderr piped")));
    let deadline = Instant::now() + CHROMIUM_TIMEOUT;
    let collect = |rx: &mpsc::Receiver<String>| {
        let left = deadline.saturating_duration_since(Instant::now());
        rx.recv_timeout(left + Duration::from_secs(5))
            .unwrap_or_else(|_| "(output not closed in time)".to_owned())
    };
    let status = loop {
        match child.try_wait().expect("wait for chromium") {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "chromium did not finish within {} s (args {args:?}); stderr:\n{}",
                    CHROMIUM_TIMEOUT.as_secs(),
                    collect(&err)
                );
            }
            None => thread::sleep(Duration::from_millis(50)),
        }
    };
    Run {
        stdout: collect(&out),
        stderr: collect(&err),
        success: status.success(),
    }
}

/// Names of the elements in serialised HTML, in document order (lower case).
/// Attribute values are skipped whole, so markup-like text inside one is not
/// mistaken for an element.
fn element_names(dom: &str) -> Vec<String> {
    let b = dom.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        i += 1;
        if b.get(i) == Some(&b'!') {
            // Doctype or comment.
            if dom[i..].starts_with("!--") {
                i += dom[i..].find("-->").map_or(b.len(), |e| e + 3);
            } else {
                i += dom[i..].find('>').map_or(b.len(), |e| e + 1);
            }
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
            i += 1;
        }
        if !closing && i > start {
            names.push(dom[start..i].to_ascii_lowercase());
        }
        // Skip to the end of the tag, over quoted attribute values.
        let mut quote = None;
        while i < b.len() {
            match (quote, b[i]) {
                (None, b'"' | b'\'') => quote = Some(b[i]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    names
}

/// The serialised element that starts with `open` up to its closing `close`.
fn section<'a>(dom: &'a str, open: &str, close: &str) -> &'a str {
    let start = dom
        .find(open)
        .unwrap_or_else(|| panic!("rendered DOM has no {open}"));
    let end = dom[start..]
        .find(close)
        .unwrap_or_else(|| panic!("{open} is not closed"));
    &dom[start..start + end + close.len()]
}

fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for c in path.to_string_lossy().chars() {
        match c {
            ' ' => url.push_str("%20"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '%' => url.push_str("%25"),
            c => url.push(c),
        }
    }
    url
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        if std::env::var("HUNTLAB_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "HUNTLAB_REQUIRE_BROWSER=1 but no chromium was found: set HUNTLAB_CHROMIUM, \
                 install Debian's chromium at /usr/bin/chromium, or put `chromium` on PATH"
            );
        }
        // Straight to stderr, past the test harness's capture, so the skip shows.
        let _ = writeln!(
            std::io::stderr(),
            "browser check not run: chromium not found (set HUNTLAB_CHROMIUM or install Debian's chromium)"
        );
        return;
    };

    let report = sample_report();
    let page = harness::render::html::render(&report);
    let tmp = TempDir::new();
    let html_path = tmp.0.join("report.html");
    std::fs::write(&html_path, &page).expect("write report.html");
    let url = file_url(&html_path);

    // 1. The DOM Chromium built from the page.
    let run = chromium(
        &bin,
        &tmp.0.join("profile-dom"),
        &["--dump-dom".to_owned(), url.clone()],
    );
    assert!(
        run.success,
        "chromium --dump-dom failed; stderr:\n{}",
        run.stderr
    );
    let dom = run.stdout;
    assert!(
        dom.contains("<table id=\"scenarios\">"),
        "the scenarios table is in the rendered DOM; stderr:\n{}",
        run.stderr
    );

    let names = element_names(&dom);
    for forbidden in ["img", "script", "iframe", "object", "embed", "link"] {
        assert!(
            !names.iter().any(|n| n == forbidden),
            "the rendered DOM has a <{forbidden}> element: markup was injected"
        );
    }
    // The hostile id and error text are there, as text.
    assert!(dom.contains("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(dom.contains("&lt;svg onload=alert(3)&gt;"));
    assert!(dom.contains("&lt;u&gt;bold&lt;/u&gt;.example"));
    // The only <svg> elements are the three charts.
    assert_eq!(
        names.iter().filter(|n| *n == "svg").count(),
        3,
        "three charts, no injected svg"
    );
    assert!(!names.iter().any(|n| n == "u"), "no injected <u>");

    let table = section(&dom, "<table id=\"scenarios\">", "</table>");
    let body = section(table, "<tbody>", "</tbody>");
    let rows = element_names(body).iter().filter(|n| *n == "tr").count();
    assert_eq!(
        rows,
        report.scenarios.len(),
        "one scenarios-table row per scenario"
    );

    for id in [
        "chart-precision-recall",
        "chart-exclusions",
        "chart-timeline",
    ] {
        let svg = section(&dom, &format!("id=\"{id}\""), "</svg>");
        assert!(svg.contains("role=\"img\""), "{id} has role=img");
        assert!(svg.contains("<rect"), "{id} draws <rect> elements");
        assert!(!svg.contains("NaN"), "{id} has no NaN");
    }
    let timeline = section(&dom, "id=\"chart-timeline\"", "</svg>");
    let with_timeline = report
        .scenarios
        .iter()
        .filter(|s| s.timeline.is_some())
        .count();
    assert_eq!(
        timeline.matches("class=\"tl-row\"").count(),
        with_timeline,
        "one timeline row per scenario with a timeline"
    );

    // 2. A screenshot for people.
    let png = tmp.0.join("report.png");
    let run = chromium(
        &bin,
        &tmp.0.join("profile-shot"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,2400".to_owned(),
            url,
        ],
    );
    assert!(
        run.success,
        "chromium --screenshot failed; stderr:\n{}",
        run.stderr
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is a PNG"
    );
    assert!(
        bytes.len() > 20_000,
        "the screenshot has content ({} bytes)",
        bytes.len()
    );
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert!(
        width >= 1280 && height >= 2400,
        "screenshot is {width}x{height}"
    );

    let keep = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/huntlab-browser");
    std::fs::create_dir_all(&keep).expect("create target/huntlab-browser");
    std::fs::copy(&png, keep.join("report.png")).expect("copy the screenshot");
    std::fs::write(keep.join("report.html"), &page).expect("copy the page");
}
