//! The module tree's layers, checked from the source: which unit (a top-level module, or
//! a layer under `src/server/`) names which, read from `use crate::…` trees and inline
//! `crate::…` paths outside test modules. The units' graph must have no circle, the
//! layers below the HTTP edge must not know Leptos, axum or the edge, and the shared
//! leaves must depend on nothing of the app.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// Layers under the HTTP edge: no Leptos, no axum, no `AppState`.
const BELOW_THE_EDGE: [&str; 10] = [
    "server::services",
    "server::verify",
    "server::limits",
    "server::voice",
    "server::sms",
    "server::delivery",
    "server::domain",
    "server::store",
    "server::config",
    "server::telemetry",
];

/// The server's layers from the top: each may name only layers after it (and the
/// shared leaves).
const LAYER_ORDER: [&str; 16] = [
    "server::http",
    "server::check",
    "server::rotate",
    "server::services",
    "server::verify",
    "server::config",
    "server::oidc",
    "server::voice",
    "server::sms",
    "server::delivery",
    "server::activity",
    "server::limits",
    "server::store",
    "server::metrics",
    "server::domain",
    "server::telemetry",
];

/// Shared with the WASM bundle and depending on nothing of the app.
const LEAVES: [&str; 7] = [
    "error",
    "channel",
    "delivery_status",
    "locale",
    "paths",
    "mask",
    "document",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The unit a source file belongs to (`None` for the crate root and the binary).
fn unit_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [root] if root == "lib" || root == "main" => None,
        [first, second, ..] if first == "server" && second != "mod" => {
            Some(format!("server::{second}"))
        }
        [first, ..] => Some(first.clone()),
        [] => None,
    }
}

/// The unit a `crate::`-relative path names.
fn unit_named(path: &str) -> Option<String> {
    let mut segments = path.split("::").filter(|segment| !segment.is_empty());
    let first = segments.next()?;
    if first == "server" {
        return Some(match segments.next() {
            Some(second) if second.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                format!("server::{second}")
            }
            _ => "server".to_string(),
        });
    }
    Some(first.to_string())
}

/// Expands a use tree such as `{a::b, c::{d, e}}` into its paths (`a::b`, `c::d`, `c::e`).
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let prefix = join(prefix, head);
        let mut depth = 0;
        let mut start = 0;
        for (index, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..index], &prefix, out);
                    start = index + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], &prefix, out);
    } else if !tree.is_empty() {
        let name = tree.split(" as ").next().unwrap().trim();
        out.push(join(prefix, name));
    }
}

fn join(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}::{rest}"),
    }
}

/// The source without comments and without its `#[cfg(test)] mod tests`.
fn production_code(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(end) => &source[..end],
        None => source,
    };
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::…` path a source names, in use trees and inline.
fn crate_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find("crate::") {
        let after = &rest[start + "crate::".len()..];
        let is_use = rest[..start].trim_end().ends_with("use");
        if is_use {
            let end = after.find(';').unwrap_or(after.len());
            expand(&after[..end], "", &mut paths);
            rest = &after[end..];
        } else {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(after.len());
            paths.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    paths
}

struct Tree {
    /// unit → the units it names
    edges: BTreeMap<String, BTreeSet<String>>,
    /// unit → its production code
    code: BTreeMap<String, String>,
}

fn tree() -> Tree {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut code: BTreeMap<String, String> = BTreeMap::new();
    for file in files {
        let Some(unit) = unit_of(file.strip_prefix(&src).unwrap()) else {
            continue;
        };
        let source = production_code(&fs::read_to_string(&file).unwrap());
        assert!(
            !source.contains("super::super"),
            "{}: name other units by their crate path",
            file.display()
        );
        let named = edges.entry(unit.clone()).or_default();
        for path in crate_paths(&source) {
            if let Some(other) = unit_named(&path) {
                if other != unit {
                    named.insert(other);
                }
            }
        }
        code.entry(unit).or_default().push_str(&source);
    }
    Tree { edges, code }
}

/// A circle through `unit`, if there is one.
fn circle_from(
    edges: &BTreeMap<String, BTreeSet<String>>,
    unit: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(start) = path.iter().position(|seen| seen == unit) {
        let mut circle = path[start..].to_vec();
        circle.push(unit.to_string());
        return Some(circle);
    }
    path.push(unit.to_string());
    for next in edges.get(unit).into_iter().flatten() {
        if let Some(circle) = circle_from(edges, next, path) {
            return Some(circle);
        }
    }
    path.pop();
    None
}

#[test]
fn the_units_form_no_circle() {
    let tree = tree();
    assert!(tree.edges.contains_key("server::http"), "{:?}", tree.edges);
    for unit in tree.edges.keys() {
        if let Some(circle) = circle_from(&tree.edges, unit, &mut Vec::new()) {
            panic!("import circle: {}", circle.join(" → "));
        }
    }
}

#[test]
fn nothing_below_the_edge_knows_leptos_axum_or_the_edge() {
    let tree = tree();
    for unit in BELOW_THE_EDGE {
        let code = tree
            .code
            .get(unit)
            .unwrap_or_else(|| panic!("no unit {unit}"));
        for word in [
            "leptos::",
            "leptos_axum",
            "leptos_router",
            "leptos_meta",
            "axum::",
            "http::",
            "AppState",
        ] {
            assert!(!code.contains(word), "{unit} uses {word}");
        }
        let named = &tree.edges[unit];
        assert!(
            !named.contains("server::http"),
            "{unit} depends on the HTTP edge"
        );
        for ui in ["app", "pages", "api"] {
            assert!(!named.contains(ui), "{unit} depends on {ui}");
        }
    }
}

#[test]
fn server_layers_only_name_layers_below_them() {
    let tree = tree();
    for (rank, layer) in LAYER_ORDER.iter().enumerate() {
        for named in tree.edges.get(*layer).into_iter().flatten() {
            if let Some(named_rank) = LAYER_ORDER.iter().position(|other| other == named) {
                assert!(named_rank > rank, "{layer} reaches up to {named}");
            } else {
                assert!(
                    LEAVES.contains(&named.as_str()),
                    "{layer} names {named}, which is neither a layer below nor a shared leaf"
                );
            }
        }
    }
}

#[test]
fn the_shared_leaves_depend_on_nothing_of_the_app() {
    let tree = tree();
    for leaf in LEAVES {
        let named = tree
            .edges
            .get(leaf)
            .unwrap_or_else(|| panic!("no unit {leaf}"));
        assert!(named.is_empty(), "{leaf} depends on {named:?}");
    }
}

#[test]
fn use_trees_expand_to_their_paths() {
    let mut paths = Vec::new();
    expand(
        "{delivery_status::X, server::{limits::Limiter, store::{self, Y}}}",
        "",
        &mut paths,
    );
    assert_eq!(
        paths,
        [
            "delivery_status::X",
            "server::limits::Limiter",
            "server::store::self",
            "server::store::Y"
        ]
    );
    let circle = circle_from(
        &BTreeMap::from([
            ("a".to_string(), BTreeSet::from(["b".to_string()])),
            ("b".to_string(), BTreeSet::from(["a".to_string()])),
        ]),
        "a",
        &mut Vec::new(),
    );
    assert_eq!(circle.unwrap(), ["a", "b", "a"]);
}
