//! The HTML report in a real browser: headless Chromium loads the page from a
//! file, and the test checks the DOM it built (tables, charts, no injected
//! elements) and takes a screenshot, copied to `target/huntlab-browser/report.png`
//! for a person to look at.
//!
//! Chromium is found from `HUNTLAB_CHROMIUM`, else `/usr/bin/chromium`, else
//! `chromium` on `PATH`. A plain `cargo test` lists the test as ignored; `.ci/run`
//! installs Debian's chromium and runs it (`--include-ignored`), and a missing
//! browser then fails the test.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[path = "support/browser_sample.rs"]
mod browser_sample;
use browser_sample::sample_report;

/// Longest a single Chromium run may take.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

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
#[ignore = "needs headless Chromium (.ci/run installs Debian's chromium)"]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        panic!(
            "no chromium was found: set HUNTLAB_CHROMIUM, install Debian's chromium at \
             /usr/bin/chromium (bash .ci/browser-deps), or put `chromium` on PATH"
        );
    };

    let report = sample_report();
    let page = harness::render::html::render(&report);
    let tmp = TempDir::new();
    let html_path = tmp.0.join("report.html");
    std::fs::write(&html_path, &page).expect("write report.html");
    let url = file_url(&html_path);

    // 1. The DOM Chromium built from the page.
    let dom = dump_dom(&bin, &tmp, &url);
    assert_no_injected_markup(&dom);
    assert_scenarios_table(&dom, &report);
    assert_charts(&dom);
    assert_layout_and_labels(&dom);
    assert_timeline_rows(&dom, &report);

    // 2. A screenshot for people.
    let png = screenshot(&bin, &tmp, url);
    keep_for_people(&png, &page);
}

/// The DOM Chromium built from the page at `url`.
fn dump_dom(bin: &Path, tmp: &TempDir, url: &str) -> String {
    let run = chromium(
        bin,
        &tmp.0.join("profile-dom"),
        &["--dump-dom".to_owned(), url.to_owned()],
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
    dom
}

/// No element came from the hostile strings: they are there as text.
fn assert_no_injected_markup(dom: &str) {
    let names = element_names(dom);
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
}

/// One scenarios-table row per scenario.
fn assert_scenarios_table(dom: &str, report: &harness::report::Report) {
    let table = section(dom, "<table id=\"scenarios\">", "</table>");
    let body = section(table, "<tbody>", "</tbody>");
    let rows = element_names(body).iter().filter(|n| *n == "tr").count();
    assert_eq!(
        rows,
        report.scenarios.len(),
        "one scenarios-table row per scenario"
    );
}

/// Each chart is an image of bars with only defined figures; what an
/// exclusion hid is hatched.
fn assert_charts(dom: &str) {
    for id in ["chart-recall", "chart-exclusions", "chart-timeline"] {
        let svg = section(dom, &format!("id=\"{id}\""), "</svg>");
        assert!(svg.contains("role=\"img\""), "{id} has role=img");
        assert!(svg.contains("<rect"), "{id} draws <rect> elements");
        assert!(!svg.contains("NaN"), "{id} has no NaN");
        // Only defined figures are drawn: no wall of n/a.
        assert!(!svg.contains("n/a"), "{id} draws no n/a");
    }
    // What an exclusion hid is hatched, not a second orange: each chart that
    // draws it defines its own pattern.
    for id in ["chart-exclusions", "chart-timeline"] {
        let svg = section(dom, &format!("id=\"{id}\""), "</svg>");
        assert!(
            svg.contains(&format!("<pattern id=\"{id}-hatch\""))
                && svg.contains(&format!("url(#{id}-hatch)")),
            "{id} hatches what was hidden"
        );
    }
}

/// The sections' order, the verdict's content and the status words.
fn assert_layout_and_labels(dom: &str) {
    // The verdict and the harmful exclusions come first; the comparison has
    // its own section.
    let at = |needle: &str| {
        dom.find(needle)
            .unwrap_or_else(|| panic!("rendered DOM has no {needle}"))
    };
    assert!(at("id=\"verdict\"") < at("id=\"harmful\""));
    assert!(at("id=\"harmful\"") < at("<table id=\"scenarios\">"));
    assert!(at("id=\"comparison\"") < at("<table id=\"scenarios\">"));
    let verdict = section(dom, "id=\"verdict\"", "</section>");
    assert!(verdict.contains("missed") && verdict.contains("nanocore-doh-c2"));
    // Statuses and harm are said in words, not colour alone.
    for label in ["✓ met", "◐ known gap", "✗ failed", "⚠ harmful"] {
        assert!(dom.contains(label), "{label}");
    }
}

/// One timeline row per scenario with a timeline.
fn assert_timeline_rows(dom: &str, report: &harness::report::Report) {
    let timeline = section(dom, "id=\"chart-timeline\"", "</svg>");
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
}

/// A screenshot of the page at `url`, checked to be a full-size PNG.
fn screenshot(bin: &Path, tmp: &TempDir, url: String) -> PathBuf {
    let png = tmp.0.join("report.png");
    let run = chromium(
        bin,
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
    png
}

/// Copy the screenshot and the page to `target/huntlab-browser`.
fn keep_for_people(png: &Path, page: &str) {
    let keep = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/huntlab-browser");
    std::fs::create_dir_all(&keep).expect("create target/huntlab-browser");
    std::fs::copy(png, keep.join("report.png")).expect("copy the screenshot");
    std::fs::write(keep.join("report.html"), page).expect("copy the page");
}
