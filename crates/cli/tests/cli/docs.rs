//! The README's configuration reference is generated from the config's doc comments; this test
//! fails when the two drift apart (regenerate with `rostra config default`).

#[test]
fn readme_config_reference_matches_the_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = "<!-- config-reference:start -->\n```toml\n";
    let end = "```\n<!-- config-reference:end -->";
    let from = readme
        .find(start)
        .expect("README has the config reference markers")
        + start.len();
    let to = readme[from..].find(end).expect("end marker") + from;
    let expected = rostra_server::config_doc::annotated_default_toml();
    assert!(
        readme[from..to] == expected,
        "README's configuration reference is out of date; replace it with `cargo run -- config default`"
    );
}
