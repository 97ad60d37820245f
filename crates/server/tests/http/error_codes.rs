//! `docs/api.md` lists every error code the server can answer, and no other: the codes are read
//! from the `code()` matches themselves (the API error's, the passkey error's and the domain
//! error's in `rostra-core`), so a new variant cannot go undocumented.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn the_api_document_lists_every_error_code() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut in_code = BTreeSet::new();
    for file in [
        "server/src/error/mod.rs",
        "server/src/error/passkey.rs",
        "server/src/error/site_token.rs",
        "core/src/error.rs",
    ] {
        let source = std::fs::read_to_string(crates.join(file)).unwrap();
        let codes = codes_returned(&source);
        assert!(codes.len() >= 5, "{file}: found only {codes:?} in fn code");
        in_code.extend(codes);
    }
    let document = std::fs::read_to_string(crates.join("../docs/api.md")).unwrap();
    let documented = codes_documented(&document);
    let undocumented: Vec<_> = in_code.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&in_code).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "docs/api.md's error table misses {undocumented:?} and lists codes no code answers: \
         {unknown:?}"
    );
}

#[test]
fn the_readers_find_codes_in_a_match_and_in_a_table() {
    let source = r#"
        fn status(&self) -> u16 { match self { E::A => 400 } }
        pub fn code(&self) -> &'static str {
            match self {
                E::A => "first_code",
                E::B { .. } => { "second_code" }
                E::C(e) => e.code(),
            }
        }
        fn message(&self) -> String { "not_a_code".into() }
    "#;
    let codes = codes_returned(source);
    assert_eq!(
        codes,
        ["first_code", "second_code"].map(String::from).into()
    );
    let document = "## Errors\n\n| status | code | when |\n|---|---|---|\n\
        | 400 | `first_code` / `second_code` | see `not_a_code` |\n\n## Next\n\
        | 404 | `later_code` | outside the section |\n";
    assert_eq!(codes_documented(document), codes);
}

/// The string literals in the body of `fn code`.
fn codes_returned(source: &str) -> BTreeSet<String> {
    let start = source.find("fn code(").expect("a fn code");
    let open = start + source[start..].find('{').expect("its body");
    let mut depth = 0;
    let mut end = open;
    for (i, c) in source[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            end = open + i;
            break;
        }
    }
    let body = &source[open..end];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect()
}

/// The codes in the "Errors" section's table: the backticked words of each row's second cell.
fn codes_documented(document: &str) -> BTreeSet<String> {
    let section = document
        .split("\n## ")
        .find(|s| s.starts_with("Errors") || s.starts_with("## Errors"))
        .expect("an Errors section");
    section
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let status = cells.get(1)?;
            (status.len() == 3 && status.chars().all(|c| c.is_ascii_digit())).then(|| cells[2])
        })
        .flat_map(|cell| cell.split('`').skip(1).step_by(2).map(String::from))
        .collect()
}
