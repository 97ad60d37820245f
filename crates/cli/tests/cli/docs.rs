//! The configuration reference (`docs/config.md`) is generated from the config's doc comments;
//! this test fails when the two drift apart (regenerate with `rostra config default`).

#[test]
fn config_reference_matches_the_code() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/config.md"))
        .unwrap();
    let start = "<!-- config-reference:start -->\n```toml\n";
    let end = "```\n<!-- config-reference:end -->";
    let from = doc
        .find(start)
        .expect("docs/config.md has the config reference markers")
        + start.len();
    let to = doc[from..].find(end).expect("end marker") + from;
    let expected = rostra_server::config_doc::annotated_default_toml();
    assert!(
        doc[from..to] == expected,
        "docs/config.md's configuration reference is out of date; replace it with `cargo run -- config default`"
    );
}
