//! `rostra site token create|list|revoke`: a token printed once (never listed), its scope and
//! label listed, revoked once.

use crate::rostra;

fn run(args: &[&str], db: &str) -> (bool, String, String) {
    let out = rostra()
        .args(args)
        .arg("--database")
        .arg(db)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn site_tokens_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("tokens.db").display());
    let site = [
        "site",
        "add",
        "--key",
        "blog",
        "--name",
        "B",
        "--origin",
        "https://b.example",
    ];
    assert!(run(&site, &db).0);
    let (ok, _, err) = run(
        &["site", "token", "create", "nosuch", "--scope", "import"],
        &db,
    );
    assert!(!ok && err.contains("no site has the key 'nosuch'"), "{err}");
    let (ok, _, err) = run(
        &["site", "token", "create", "blog", "--scope", "admin"],
        &db,
    );
    assert!(!ok && err.contains("invalid value 'admin'"), "{err}");

    let create = [
        "site",
        "token",
        "create",
        "blog",
        "--scope",
        "import",
        "--label",
        "WordPress",
    ];
    let (ok, token, err) = run(&create, &db);
    assert!(ok, "{err}");
    let token = token.trim().to_string();
    assert!(
        token.starts_with("rostra_st_") && token.len() > 40,
        "{token}"
    );
    assert!(err.contains("Token 1 of site 'blog' (scope import)") && err.contains("only now"));
    assert!(
        run(
            &["site", "token", "create", "blog", "--scope", "export"],
            &db
        )
        .0
    );

    let (ok, list, _) = run(&["site", "token", "list", "blog"], &db);
    assert!(
        ok && !list.contains(&token),
        "a token is never listed: {list}"
    );
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(
        lines[0].starts_with("1\timport\tWordPress\tcreated "),
        "{list}"
    );
    assert!(lines[0].ends_with("\tlast used -\tactive"), "{list}");
    assert!(lines[1].starts_with("2\texport\t-\t"), "{list}");

    let (ok, out, _) = run(&["site", "token", "revoke", "blog", "1"], &db);
    assert!(ok && out.contains("revoked token 1"), "{out}");
    let (ok, _, err) = run(&["site", "token", "revoke", "blog", "1"], &db);
    assert!(
        !ok && err.contains("site 'blog' has no active token 1"),
        "{err}"
    );
    let (_, list, _) = run(&["site", "token", "list", "blog"], &db);
    assert!(
        list.lines().next().unwrap().contains("\trevoked "),
        "{list}"
    );
}
