//! The server crate's modules form no circle. Every module's `crate::`, `super::` and `self::`
//! paths (in `use` items and inline, outside its tests and comments) are read from the source,
//! each resolved to the deepest module it names; the graph of those uses must have no cycle.
//! A module declaring its children (`mod x;`) is not a use of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

#[test]
fn the_server_crate_has_no_circle_of_modules() {
    let modules = read_modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(modules.len() > 50, "read only {} modules", modules.len());
    let uses = uses_between(&modules);
    if let Some(circle) = find_circle(&uses) {
        panic!("the modules import each other in a circle: {circle}");
    }
}

/// The modules every other may use: the application error, who is asking, text helpers, the
/// configuration, the caches and limits, and the shared state.
const GROUND_FLOOR: &[&str] = &[
    "assets",
    "cache",
    "client",
    "config",
    "config_check",
    "config_moderation",
    "config_outgoing",
    "count_answers",
    "error",
    "error::passkey",
    "error::site_token",
    "features",
    "metrics",
    "password",
    "ratelimit",
    "site_rules",
    "sites",
    "state",
    "text",
];

#[test]
fn the_ground_floor_uses_nothing_above_it() {
    let modules = read_modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let ground: BTreeSet<Module> = GROUND_FLOOR.iter().map(|m| split(m)).collect();
    let uses = uses_between(&modules);
    for module in &ground {
        assert!(modules.contains_key(module), "no module {module:?}");
        let above: Vec<String> = uses[module]
            .iter()
            .filter(|m| !ground.contains(*m))
            .map(|m| m.join("::"))
            .collect();
        assert!(above.is_empty(), "{} uses {above:?}", module.join("::"));
    }
}

#[test]
fn the_check_finds_a_circle_and_reads_every_form_of_path() {
    let crate_of = |sources: &[(&str, &str)]| -> BTreeMap<Module, String> {
        sources
            .iter()
            .map(|(path, src)| (split(path), src.to_string()))
            .collect()
    };
    let mut sources = vec![
        ("", "pub mod a;\npub mod b;\npub mod c;\npub mod d;"),
        ("a", "pub mod inner;\nuse crate::{c, b::{self as other}};"),
        ("a::inner", "pub fn f() { super::super::c::g() }"),
        (
            "b",
            "// crate::a::inner is only mentioned\nuse crate::c as seen;",
        ),
        (
            "c",
            "pub fn g() {}\n#[cfg(test)]\nmod tests { use crate::a::inner; }\nuse crate::d::X;",
        ),
        ("d", "pub const X: u8 = 1;"),
    ];
    let uses = uses_between(&crate_of(&sources));
    let edges = |from: &str| uses.get(&split(from)).cloned().unwrap_or_default();
    assert_eq!(edges("a"), [split("b"), split("c")].into());
    assert_eq!(edges("a::inner"), [split("c")].into());
    assert_eq!(edges("b"), [split("c")].into());
    assert_eq!(edges("c"), [split("d")].into());
    assert_eq!(find_circle(&uses), None);
    sources[4].1 = "pub fn g() { crate::a::inner::f() }";
    let circle = find_circle(&uses_between(&crate_of(&sources)));
    assert_eq!(circle.as_deref(), Some("c -> a::inner -> c"));
}

fn split(path: &str) -> Module {
    path.split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every module of the crate under `src`, by path (`["api", "threads"]`), with its source.
fn read_modules(src: &Path) -> BTreeMap<Module, String> {
    let mut modules = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src).unwrap().with_extension("");
                let mut module: Module = relative
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                    module.pop();
                }
                modules.insert(module, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    modules
}

/// For each module, the other modules it uses.
fn uses_between(modules: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut uses = BTreeMap::new();
    for (module, source) in modules {
        let targets: BTreeSet<Module> = paths_in(&code_only(source))
            .iter()
            .filter_map(|path| absolute(module, path))
            .filter_map(|path| deepest_module(modules, &path))
            .filter(|target| target != module)
            .collect();
        uses.insert(module.clone(), targets);
    }
    uses
}

/// The source without its comment lines and without the items marked `#[cfg(test)]`.
fn code_only(source: &str) -> String {
    let code: Vec<&str> = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    let mut code = code.join("\n");
    while let Some(start) = code.find("#[cfg(test)]") {
        let end = end_of_item(&code, start).unwrap_or(code.len());
        code.replace_range(start..end, "");
    }
    code
}

/// Where the item starting at `start` ends: after its `;`, or after the brace that closes its
/// body.
fn end_of_item(code: &str, start: usize) -> Option<usize> {
    let body = start + code[start..].find(['{', ';'])?;
    if code[body..].starts_with(';') {
        return Some(body + 1);
    }
    let mut depth = 0;
    for (i, c) in code[body..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return Some(body + i + 1),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The paths that start with `crate`, `super` or `self`: each `use` tree expanded, and the
/// paths written inline.
fn paths_in(code: &str) -> Vec<Module> {
    let mut paths = Vec::new();
    let mut rest = String::with_capacity(code.len());
    let mut at = 0;
    while let Some(start) = find_word(code, "use ", at) {
        let end = code[start..].find(';').map_or(code.len(), |e| start + e);
        let tree = without_renames(&code[start + 4..end]);
        if ["crate", "super", "self"]
            .iter()
            .any(|r| tree.starts_with(r))
        {
            rest.push_str(&code[at..start]);
            expand(&[], &tree, &mut paths);
            at = end;
        } else {
            // Another crate's path, or the word in a string: read on after it.
            rest.push_str(&code[at..start + 4]);
            at = start + 4;
        }
    }
    rest.push_str(&code[at..]);
    for root in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(start) = find_word(&rest, root, from) {
            let tail = &rest[start..];
            let len = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            paths.push(split(&tail[..len]));
            from = start + len;
        }
    }
    paths
}

/// Where `word` next starts at or after `from`, not inside a longer identifier.
fn find_word(text: &str, word: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(found) = text[at..].find(word) {
        let start = at + found;
        let before = text[..start].chars().next_back();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return Some(start);
        }
        at = start + word.len();
    }
    None
}

/// A `use` tree with its whitespace and its `as name` renames taken out.
fn without_renames(tree: &str) -> String {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "as" && i + 1 < words.len() {
            // Keep what follows the new name (`,` or `}`).
            let name = words[i + 1];
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(name.len());
            out.push_str(&name[end..]);
            i += 2;
        } else {
            out.push_str(words[i]);
            i += 1;
        }
    }
    out
}

/// Every path a `use` tree names (`a::{b, c::{self, d}}` is `a::b`, `a::c`, `a::c::d`).
fn expand(prefix: &[String], tree: &str, out: &mut Vec<Module>) {
    if let Some(inner) = tree.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        let mut depth = 0;
        let mut part = String::new();
        for c in inner.chars().chain([',']) {
            match c {
                ',' if depth == 0 => {
                    if !part.is_empty() {
                        expand(prefix, &part, out);
                    }
                    part.clear();
                    continue;
                }
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            part.push(c);
        }
        return;
    }
    let (head, rest) = match tree.split_once("::") {
        Some((head, rest)) => (head, Some(rest)),
        None => (tree, None),
    };
    let mut path = prefix.to_vec();
    if head != "self" || prefix.is_empty() {
        path.push(head.to_string());
    }
    match rest {
        Some(rest) => expand(&path, rest, out),
        None => out.push(path),
    }
}

/// `path` from the crate root, as seen from `module`; `None` for a path that leaves the crate.
fn absolute(module: &Module, path: &Module) -> Option<Module> {
    let mut segments = path.iter().peekable();
    let mut base = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        _ => module.clone(),
    };
    while let Some(s) = segments.peek() {
        match s.as_str() {
            "super" => {
                base.pop()?;
            }
            "self" => {}
            _ => break,
        }
        segments.next();
    }
    base.extend(segments.cloned());
    Some(base)
}

/// The deepest module that `path` starts with.
fn deepest_module(modules: &BTreeMap<Module, String>, path: &Module) -> Option<Module> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains_key(prefix))
}

/// One circle of uses, as `a -> b -> a`, if there is any.
fn find_circle(uses: &BTreeMap<Module, BTreeSet<Module>>) -> Option<String> {
    let mut done = BTreeSet::new();
    for start in uses.keys() {
        let mut trail = Vec::new();
        if let Some(circle) = walk(uses, start, &mut trail, &mut done) {
            let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
            return Some(names.join(" -> "));
        }
    }
    None
}

/// Depth first from `module`; `trail` is the path walked to it.
fn walk(
    uses: &BTreeMap<Module, BTreeSet<Module>>,
    module: &Module,
    trail: &mut Vec<Module>,
    done: &mut BTreeSet<Module>,
) -> Option<Vec<Module>> {
    if let Some(at) = trail.iter().position(|m| m == module) {
        let mut circle = trail[at..].to_vec();
        circle.push(module.clone());
        return Some(circle);
    }
    if done.contains(module) {
        return None;
    }
    trail.push(module.clone());
    for next in uses.get(module).into_iter().flatten() {
        if let Some(circle) = walk(uses, next, trail, done) {
            return Some(circle);
        }
    }
    trail.pop();
    done.insert(module.clone());
    None
}
