//! Tidy checks over the workspace's source, so that the structure the
//! architecture document promises holds:
//!
//! * only the binary's `cli` (and `main.rs`) touches files, processes or `anyhow`,
//!   reads the clock or prints;
//! * no source file is over 600 lines, and no function over 120;
//! * no chain of module imports, of any length, leads back to where it started (a
//!   `use crate::X` of an item the crate root re-exports counts as importing the
//!   root).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const CRATES: [&str; 7] = [
    "calendar",
    "sources",
    "detections",
    "kql-eval",
    "simulator",
    "harness",
    "benches",
];
const MAX_LINES: usize = 600;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("source folder lists") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every `.rs` file of every crate's sources, tests and benchmarks.
fn every_rust_file() -> Vec<PathBuf> {
    CRATES
        .iter()
        .flat_map(|krate| ["src", "tests", "benches"].map(|dir| root().join(krate).join(dir)))
        .filter(|d| d.is_dir())
        .flat_map(|d| rust_files(&d))
        .collect()
}

/// The crate-relative path of a workspace file, `harness/src/cli/mod.rs`.
fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .expect("inside the workspace")
        .to_string_lossy()
        .replace('\\', "/")
}

/// Source text without comments (line comments and doc comments), so that prose
/// naming `std::fs` does not count.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn only_the_cli_touches_files_processes_anyhow_the_clock_or_stdio() {
    let forbidden = [
        "std::fs",
        "File::open",
        "std::process",
        "anyhow",
        // The clock: callers hand in "now".
        "SystemTime::now",
        "Instant::now",
        "Utc::now",
        // Printing: libraries return what they have to say.
        "println!",
        "print!",
        "eprintln!",
        "eprint!",
        "dbg!",
        "io::stdout",
        "io::stderr",
    ];
    let mut found = Vec::new();
    for krate in CRATES {
        for f in rust_files(&root().join(krate).join("src")) {
            let r = rel(&f);
            if r.starts_with("harness/src/cli/") || r == "harness/src/main.rs" {
                continue;
            }
            let text = code(&std::fs::read_to_string(&f).expect("reads"));
            for (n, line) in text.lines().enumerate() {
                for word in forbidden {
                    if line.contains(word) {
                        found.push(format!("{r}:{}: {word}", n + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "I/O, processes and anyhow belong to harness/src/cli and main.rs:\n{}",
        found.join("\n")
    );
}

/// A message to a closed standard error must not panic the binary
/// (`eprintln!` does): the CLI writes its messages through `note!`, which
/// ignores the error, as its output ends quietly on a closed pipe.
#[test]
fn the_cli_writes_to_standard_error_only_through_note() {
    let mut found = Vec::new();
    for f in rust_files(&root().join("harness").join("src")) {
        let text = code(&std::fs::read_to_string(&f).expect("reads"));
        for (n, line) in text.lines().enumerate() {
            for word in ["eprintln!", "eprint!"] {
                if line.contains(word) {
                    found.push(format!("{}:{}: {word}", rel(&f), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "write to standard error with note! (harness/src/cli/mod.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut long = Vec::new();
    for f in every_rust_file() {
        let n = std::fs::read_to_string(&f).expect("reads").lines().count();
        if n > MAX_LINES {
            long.push(format!("{}: {n} lines", rel(&f)));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

const MAX_FN_LINES: usize = 120;

/// The functions of `text` over `max` lines, as `(line, name, lines)`: a
/// function runs from its `fn` line to the first line after it that closes a
/// brace at the `fn` line's indentation (rustfmt's layout).
fn long_functions(text: &str, max: usize) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let Some(at) = t.find("fn ") else { continue };
        let head = &t[..at];
        let words_ok = head.split_whitespace().all(|w| {
            w == "pub" || w.starts_with("pub(") || w == "const" || w == "async" || w == "unsafe"
        });
        if !words_ok || t.starts_with("//") {
            continue;
        }
        let name: String = t[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let indent = l.len() - t.len();
        // The signature may span lines: a body starts at a line ending in `{`.
        let Some(open) = (i..lines.len()).find(|&j| {
            let e = lines[j].trim_end();
            e.ends_with('{') || e.ends_with(';')
        }) else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = (open + 1..lines.len()).find(|&j| {
            let c = lines[j];
            c.len() > indent && c[..indent].trim().is_empty() && c[indent..].starts_with('}')
        });
        if let Some(close) = close {
            let n = close - i + 1;
            if n > max {
                out.push((i + 1, name, n));
            }
        }
    }
    out
}

#[test]
fn the_function_length_count_follows_braces() {
    let text = "fn short() {\n    a();\n}\n\npub(crate) fn long(\n    x: u8,\n) -> u8 {\n    if x {\n        1\n    }\n    x\n}\nfn decl();\n";
    assert_eq!(
        long_functions(text, 2),
        [(1, "short".to_owned(), 3), (5, "long".to_owned(), 8)]
    );
    assert!(long_functions(text, 8).is_empty());
}

#[test]
fn no_function_is_over_120_lines() {
    let mut long = Vec::new();
    for f in every_rust_file() {
        let text = std::fs::read_to_string(&f).expect("reads");
        for (line, name, n) in long_functions(&text, MAX_FN_LINES) {
            long.push(format!("{}:{line}: fn {name}: {n} lines", rel(&f)));
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The module path of a source file: `["content", "cond"]` for
/// `src/content/cond.rs`, `[]` for `src/lib.rs` or `src/main.rs`.
fn module_of(src: &Path, f: &Path) -> Vec<String> {
    let r = f.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = r.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

/// Expand `use` trees (`crate::{a::b, c}`) into whole paths.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = format!("{prefix}{}", &tree[..open]);
        let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
        let inner = &tree[open + 1..close];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], &head, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], &head, out);
    } else if !tree.is_empty() {
        out.push(format!("{prefix}{tree}"));
    }
}

/// Every `crate::` / `super::` / `self::` path a file names, resolved to an
/// absolute module path (segments after the crate root).
fn paths_named(text: &str, module: &[String], is_dir_module: bool) -> Vec<Vec<String>> {
    let mut raw = Vec::new();
    // `use` declarations start a line (after `pub` or `pub(crate)`) and end at `;`.
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let decl = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p));
        if let Some(rest) = decl {
            let start = offset + (line.len() - rest.len());
            let end = text[start..].find(';').map_or(text.len(), |e| start + e);
            expand(&text[start..end], "", &mut raw);
        }
        offset += line.len();
    }
    for word in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(word) {
            let at = from + i;
            let tail: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            raw.push(tail);
            from = at + word.len();
        }
    }
    let mut out = Vec::new();
    for p in raw {
        let segs: Vec<&str> = p
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let Some(first) = segs.first() else { continue };
        // The module `self` and `super` are relative to: a `mod.rs` or `lib.rs` is
        // its own module; a leaf file's `super` is its parent.
        let mut base: Vec<String> = module.to_vec();
        let mut i = 0;
        match *first {
            "crate" => {
                base.clear();
                i = 1;
            }
            "self" => i = 1,
            "super" => {
                while segs.get(i) == Some(&"super") {
                    if !(is_dir_module && base.is_empty()) {
                        base.pop();
                    }
                    i += 1;
                }
            }
            // A path relative to this module (`use child::X` in a `mod.rs`); the
            // caller keeps it only where `child` is a module.
            _ => {}
        }
        base.extend(segs[i..].iter().map(|s| (*s).to_owned()));
        out.push(base);
    }
    out
}

#[test]
fn no_chain_of_module_imports_leads_back() {
    let mut cycles = Vec::new();
    for krate in CRATES {
        let src = root().join(krate).join("src");
        let files = rust_files(&src);
        let modules: BTreeMap<Vec<String>, String> = files
            .iter()
            .filter(|f| !f.ends_with("main.rs"))
            .map(|f| (module_of(&src, f), rel(f)))
            .collect();
        let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
        for f in files.iter().filter(|f| !f.ends_with("main.rs")) {
            let module = module_of(&src, f);
            let is_dir_module = f.ends_with("mod.rs") || f.ends_with("lib.rs");
            let text = code(&std::fs::read_to_string(f).expect("reads"));
            // Unit tests at the end of a file import its own items (`super::*`).
            let text = text.split("#[cfg(test)]").next().unwrap_or("");
            for path in paths_named(text, &module, is_dir_module) {
                // The longest prefix of the path that is a module file.
                let target = (0..=path.len())
                    .rev()
                    .find_map(|n| modules.get(&path[..n]))
                    .expect("the crate root is a module");
                let me = rel(f);
                if *target != me {
                    edges.insert((me, target.clone()));
                }
            }
        }
        cycles.extend(import_cycles(&edges));
    }
    assert!(
        cycles.is_empty(),
        "module import cycles:\n{}",
        cycles.join("\n")
    );
}

/// Every cycle of the import graph, each written once as `a -> b -> ... -> a`
/// from its smallest module: a depth-first search from each module that only
/// visits larger ones finds each cycle exactly from its smallest member.
fn import_cycles(edges: &BTreeSet<(String, String)>) -> Vec<String> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a.as_str()).or_default().push(b.as_str());
    }
    let mut found = Vec::new();
    for &start in next.keys() {
        // (module, index of the next edge to try) on the current path.
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        while let Some(&mut (at, ref mut i)) = path.last_mut() {
            let outs = next.get(at).map_or(&[][..], Vec::as_slice);
            let Some(&to) = outs.get(*i) else {
                path.pop();
                continue;
            };
            *i += 1;
            if to == start {
                let names: Vec<&str> = path.iter().map(|(m, _)| *m).collect();
                found.push(format!("{} -> {start}", names.join(" -> ")));
            } else if to > start && !path.iter().any(|(m, _)| *m == to) {
                path.push((to, 0));
            }
        }
    }
    found
}

#[test]
fn the_cycle_search_finds_cycles_of_any_length() {
    let edges: BTreeSet<(String, String)> = [
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("x", "y"),
        ("y", "x"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(import_cycles(&edges), ["a -> b -> c -> a", "x -> y -> x"]);
    let acyclic: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("a", "c")]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert!(import_cycles(&acyclic).is_empty());
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut docs = vec![root().join("README.md"), root().join("ARCHITECTURE.md")];
    for e in std::fs::read_dir(root().join("docs")).expect("docs folder") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "md") {
            docs.push(p);
        }
    }
    let mut broken = Vec::new();
    for doc in docs {
        let text = std::fs::read_to_string(&doc).expect("reads");
        let base = doc.parent().expect("a folder").to_path_buf();
        for (i, _) in text.match_indices("](") {
            let rest = &text[i + 2..];
            let Some(end) = rest.find(')') else { continue };
            let target = rest[..end].split('#').next().unwrap_or("");
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            if !base.join(target).exists() {
                broken.push(format!("{}: {target}", rel(&doc)));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
