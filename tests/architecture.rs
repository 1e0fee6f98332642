//! The shape of the house, held by tests: data flows one way between the top-level
//! modules, the engine names no domain, no check reads a file, functions stay short.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
const DOMAINS: [&str; 3] = ["certificate", "maskinporten", "altinn"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/altinn/checks/roles.rs` → `altinn`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(SRC).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its `#[cfg(test)]` module (tests may reach anywhere).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Which top-level modules each top-level module uses (`crate::NAME`).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(file);
        let text = code(file);
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + 7..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name != from && modules.contains(&name) {
                graph.entry(from.clone()).or_default().insert(name);
            }
        }
    }
    graph
}

#[test]
fn no_import_circle_between_top_level_modules() {
    let graph = imports();
    fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
        graph
            .get(from)
            .into_iter()
            .flatten()
            .any(|next| next == to || (seen.insert(next.clone()) && reaches(graph, next, to, seen)))
    }
    for (from, tos) in &graph {
        for to in tos {
            assert!(
                !reaches(&graph, to, from, &mut BTreeSet::new()),
                "{from} uses {to}, and {to} leads back to {from}: {graph:#?}"
            );
        }
    }
}

#[test]
fn the_engine_names_no_domain_and_the_vocabulary_names_nothing() {
    let graph = imports();
    let engine = graph.get("engine").cloned().unwrap_or_default();
    for domain in DOMAINS {
        assert!(!engine.contains(domain), "engine uses {domain}");
    }
    assert!(graph.get("vocab").is_none_or(|v| v.is_empty()), "vocab uses {:?}", graph.get("vocab"));
    // The simulator plays the services: it shares their wire types, never the doctor's
    // configuration.
    assert!(!graph.get("sim").is_some_and(|v| v.contains("config")), "sim uses config");
}

#[test]
fn no_check_reads_a_file() {
    for domain in DOMAINS {
        let mut files = Vec::new();
        rust_files(&Path::new(SRC).join(domain).join("checks"), &mut files);
        assert!(files.len() > 1, "{domain} has its checks in a folder");
        for file in files {
            let text = code(&file);
            for word in ["std::fs", "files::", "File::open", "load_key_file", "read_to_string"] {
                assert!(!text.contains(word), "{} reads a file ({word})", file.display());
            }
        }
    }
}

#[test]
fn no_function_over_sixty_lines() {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    let mut long = Vec::new();
    for file in files {
        let text = code(&file);
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let is_fn =
                ["fn ", "pub fn ", "pub(crate) fn ", "async fn ", "pub async fn ", "pub(crate) async fn ", "const fn "]
                    .iter()
                    .any(|p| t.starts_with(p));
            if !is_fn || t.ends_with(';') {
                continue;
            }
            let indent = line.len() - t.len();
            let close = " ".repeat(indent) + "}";
            let end = lines[i..].iter().position(|l| *l == close).map(|n| n + 1).unwrap_or(0);
            if end > 60 {
                long.push(format!("{}:{} ({end} lines)", file.display(), i + 1));
            }
        }
    }
    assert!(long.is_empty(), "functions over 60 lines: {long:#?}");
}
