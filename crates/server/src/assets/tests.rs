//! The widget's files: compacting is safe, the parts are all joined, every language has every
//! word, and what every reader downloads fits the budget.

use super::*;

fn scripts() -> Vec<(&'static str, &'static str)> {
    let whole = [
        ("embed.js", EMBED_JS),
        ("account.js", ACCOUNT_JS),
        ("admin.js", ADMIN_JS),
        ("count.js", COUNT_JS),
        ("lists.js", LISTS_JS),
    ];
    whole
        .into_iter()
        .chain(WIDGET_PARTS)
        .chain(LANGUAGE_PACKS)
        .collect()
}

/// The names before a `:` in a words table, outside its string and template literals.
fn keys(source: &str) -> std::collections::BTreeSet<String> {
    let mut outside = String::new();
    let mut quote = None;
    for ch in compact(source).chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None if matches!(ch, '"' | '`') => quote = Some(ch),
            None => outside.push(ch),
        }
    }
    let mut found = std::collections::BTreeSet::new();
    let mut word = String::new();
    for ch in outside.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' {
            word.push(ch);
            continue;
        }
        if ch == ':' && !word.is_empty() {
            found.insert(word.clone());
        }
        word.clear();
    }
    found
}

#[test]
fn every_language_has_every_english_word() {
    let (_, english) = WIDGET_PARTS[0];
    let english = &english[..english.find("// The addresses").unwrap_or(english.len())];
    let mut want = keys(english);
    want.remove("en"); // the name of English's table in STRINGS
    assert!(want.contains("fix") && want.contains("rate_limited") && want.len() > 60);
    for (lang, source) in LANGUAGE_PACKS {
        let have = keys(source);
        let missing: Vec<_> = want.difference(&have).collect();
        assert!(
            missing.is_empty(),
            "widget/lang/{lang}.js lacks {missing:?}"
        );
    }
}

#[test]
fn language_packs_are_served_apart_and_named_in_the_widget() {
    let assets = Assets::build();
    let widget = assets
        .hashed
        .iter()
        .find(|a| a.path.starts_with("/assets/widget.") && a.path.ends_with(".js"));
    let widget =
        String::from_utf8_lossy(&widget.map(|a| a.body.clone()).unwrap_or_default()).into_owned();
    assert!(!widget.contains("__ROSTRA_LANGS__") && !widget.contains("Kommentar senden"));
    for (lang, _) in LANGUAGE_PACKS {
        let pack = assets
            .hashed
            .iter()
            .find(|a| a.path.starts_with(&format!("/assets/lang-{lang}.")));
        let path = pack.map(|a| a.path.clone()).unwrap_or_default();
        assert!(
            widget.contains(&format!("\"{lang}\":\"{path}\"")),
            "{lang}: {path}"
        );
    }
}

#[test]
fn no_literal_in_the_widget_files_spans_lines() {
    for (name, script) in scripts() {
        for (n, line) in script.lines().enumerate() {
            let n = n + 1;
            let ticks = line.matches('`').count();
            assert!(
                ticks % 2 == 0,
                "{name}, line {n}: a template literal spans lines"
            );
            assert!(
                !line.ends_with('\\'),
                "{name}, line {n}: a string continues"
            );
        }
    }
    // Had a comment marker been inside a string, stripping comments would have cut the
    // string short: its line would be left with an odd quote, or a stray `*/`.
    for line in compact_css(WIDGET_CSS).lines() {
        let quotes_pair = line.matches('"').count() % 2 == 0 && line.matches('\'').count() % 2 == 0;
        assert!(
            quotes_pair && !line.contains("*/"),
            "widget.css compacted: {line}"
        );
    }
}

#[test]
fn every_file_in_widget_src_is_joined_once() -> std::io::Result<()> {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../widget/src");
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        on_disk.push(entry?.file_name().to_string_lossy().into_owned());
    }
    on_disk.sort();
    let mut joined: Vec<String> = WIDGET_PARTS.iter().map(|(n, _)| n.to_string()).collect();
    joined.sort();
    assert_eq!(on_disk, joined);
    Ok(())
}

#[test]
fn every_widget_file_carries_the_licence_line() {
    let css = ("widget.css", WIDGET_CSS);
    for (name, source) in scripts().into_iter().chain([css]) {
        if name == "admin.js" {
            continue; // the moderation pages' script, not the widget's
        }
        let first = source.lines().next().unwrap_or_default();
        assert!(
            first.contains("SPDX-License-Identifier: AGPL-3.0-or-later"),
            "{name} starts with {first:?}"
        );
    }
}

#[test]
fn the_widget_script_is_its_parts_in_one_scope() {
    let js = widget_js();
    assert!(js.starts_with("(() => {\n") && js.ends_with("})();\n"));
    let mut at = 0;
    for (name, part) in WIDGET_PARTS {
        let found = js[at..].find(part).map(|i| at + i);
        assert!(found.is_some(), "{name} missing or out of order");
        at = found.unwrap_or(at) + part.len();
    }
}

#[test]
fn compacting_drops_comments_blanks_and_indentation_only() {
    let source = "// header\n(() => {\n  // note\n\n  const a = \"x // y\"; // tail\n})();\n";
    assert_eq!(
        compact(source),
        "(() => {\nconst a = \"x // y\"; // tail\n})();\n"
    );
    let css = "/* a\n   b */\n.r {\n  color: red; /* c */\n  --x: 1;\n}\n/* open";
    assert_eq!(compact_css(css), ".r {\ncolor: red;\n--x: 1;\n}\n");
}

#[test]
fn what_every_reader_downloads_fits_the_15_kb_budget() {
    // embed.js, the widget's script and its style (account.js comes only with signing in).
    let assets = Assets::build();
    let widget = assets
        .hashed
        .iter()
        .filter(|a| a.path.starts_with("/assets/widget."));
    let sizes: Vec<usize> = std::iter::once(&assets.embed)
        .chain(widget)
        .map(|a| a.gzipped.as_ref().map_or(a.body.len(), Bytes::len))
        .collect();
    assert_eq!(sizes.len(), 3);
    let total: usize = sizes.iter().sum();
    assert!(total <= 15_000, "{sizes:?}: {total} bytes gzipped");
}
