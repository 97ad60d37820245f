//! Rostra inside a real WordPress (Debian's, prepared by `.ci/wordpress.sh`, which names it in
//! `ROSTRA_WORDPRESS`) with the real wpDiscuz: a threaded wpDiscuz discussion (nested replies,
//! votes through wpDiscuz's own handler, a guest and registered commenters, a sticky comment)
//! moves to Rostra with our plugin's import, and arrives whole (every comment, parent, author,
//! date and vote count, as WordPress's tables hold them), once however often it is pressed.
//! Settings → Rostra → Test connection says exactly what is wrong; the post page shows the
//! thread with its server-side HTML, and only a short note while Rostra is down.

use crate::{free_port, wait_until_up};
use rostra_core::site::TokenScope;
use rostra_core::NewSite;
use rostra_testkit::{fixtures, skip, TestServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const TEST: &str = "a_wpdiscuz_discussion_moves_to_rostra_with_the_plugins_import";

/// A WordPress of this test's own: a database, a content folder with the plugins unzipped, and
/// PHP's built-in server on loopback. Removed when dropped.
struct WordPress {
    url: String,
    core: PathBuf,
    db: String,
    content: tempfile::TempDir,
    server: Child,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl WordPress {
    /// The prepared WordPress and wpDiscuz's zip, or a loud skip.
    fn prepared() -> Option<(PathBuf, PathBuf)> {
        let core = std::env::var_os("ROSTRA_WORDPRESS").map(PathBuf::from);
        let Some(core) = core.filter(|c| c.join("wp-config.php").is_file()) else {
            skip(
                TEST,
                "ROSTRA_WORDPRESS does not name a prepared WordPress (run .ci/wordpress.sh)",
            );
            return None;
        };
        let zip = fixtures(TEST)?.join("integrations/wpdiscuz-7.6.54.zip");
        if !zip.is_file() {
            skip(TEST, "the wpDiscuz zip is not among the fixtures");
            return None;
        }
        Some((core, zip))
    }

    async fn start(core: PathBuf, wpdiscuz: &Path) -> WordPress {
        let content = tempfile::tempdir().unwrap();
        let plugins = content.path().join("plugins");
        let themes = content.path().join("themes");
        std::fs::create_dir_all(&plugins).unwrap();
        std::fs::create_dir_all(&themes).unwrap();
        std::os::unix::fs::symlink(
            core.join("wp-content/themes/twentytwentyone"),
            themes.join("twentytwentyone"),
        )
        .unwrap();
        // Our plugin as a publisher gets it: the zip of integrations/wordpress/rostra.
        let ours = content.path().join("rostra.zip");
        run(Command::new("zip")
            .args(["-qr", ours.to_str().unwrap(), "rostra"])
            .current_dir(repo().join("integrations/wordpress")));
        for zip in [wpdiscuz, ours.as_path()] {
            run(Command::new("unzip")
                .arg("-q")
                .arg(zip)
                .current_dir(&plugins));
        }
        let db = format!("rostra_wp_{}", std::process::id());
        mariadb(&format!(
            "DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}"
        ));
        let port = free_port();
        let url = format!("http://127.0.0.1:{port}");
        let server = Command::new("php")
            .args(["-S", &format!("127.0.0.1:{port}"), "-t"])
            .arg(&core)
            .envs(env(&core, &db, content.path(), &url))
            .env("PHP_CLI_SERVER_WORKERS", "4")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_until_up(&format!("{url}/readme.html")).await;
        WordPress {
            url,
            core,
            db,
            content,
            server,
        }
    }

    /// `php wp.php ARGS…` (integrations/wordpress/tests/wp.php): its JSON answer.
    fn php(&self, args: &[&str]) -> Value {
        let script = repo().join("integrations/wordpress/tests/wp.php");
        let out = run(Command::new("php").arg(script).args(args).envs(env(
            &self.core,
            &self.db,
            self.content.path(),
            &self.url,
        )));
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    fn configure(&self, url: &str, site: &str, secret: &str, token: &str) {
        self.php(&["configure", url, site, secret, token]);
    }

    /// What "Test connection" says, one line per check, ✔ or ✘ first.
    fn test_connection(&self) -> Vec<String> {
        let checks = self.php(&["test-connection"]);
        let mark = |c: &Value| if c["ok"] == true { "✔" } else { "✘" };
        let lines = checks.as_array().unwrap().iter();
        lines
            .map(|c| format!("{} {}", mark(c), c["message"].as_str().unwrap()))
            .collect()
    }
}

fn env(core: &Path, db: &str, content: &Path, url: &str) -> Vec<(String, String)> {
    [
        ("ROSTRA_WORDPRESS", core.display().to_string()),
        ("ROSTRA_WP_DB", db.to_string()),
        ("ROSTRA_WP_CONTENT", content.display().to_string()),
        ("ROSTRA_WP_URL", url.to_string()),
    ]
    .map(|(k, v)| (k.to_string(), v))
    .into()
}

fn mariadb(sql: &str) {
    run(Command::new("mariadb").args(["-urostra_wp", "-prostra_wp", "-e", sql]));
}

impl Drop for WordPress {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = Command::new("mariadb")
            .args(["-urostra_wp", "-prostra_wp", "-e"])
            .arg(format!("DROP DATABASE IF EXISTS {}", self.db))
            .output();
    }
}

/// Every comment of a thread page, replies flattened, with the id of its parent.
fn flatten(comments: &Value, parent: Option<i64>, out: &mut Vec<(Option<i64>, Value)>) {
    for c in comments.as_array().into_iter().flatten() {
        out.push((parent, c.clone()));
        flatten(&c["replies"], c["id"].as_i64(), out);
    }
}

/// Text without tags, `&amp;` as `&`: to compare a WordPress comment with Rostra's HTML.
fn plain(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// WordPress's commands block while Rostra answers them: the server needs threads of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wpdiscuz_discussion_moves_to_rostra_with_the_plugins_import() {
    let Some((core, wpdiscuz)) = WordPress::prepared() else {
        return;
    };
    let wp = WordPress::start(core, &wpdiscuz).await;
    let installed = wp.php(&["install"]);
    assert_eq!(
        installed["plugins"]["wpdiscuz/class.WpdiscuzCore.php"], "active",
        "{installed}"
    );
    assert_eq!(
        installed["plugins"]["rostra/rostra.php"], "active",
        "{installed}"
    );
    let discussion = wp.php(&["discussion"]);
    let post = discussion["post_id"].as_i64().unwrap().to_string();
    let post_url = discussion["url"].as_str().unwrap().to_string();
    let votes = discussion["votes"].to_string();
    assert!(
        !votes.contains("false"),
        "every vote was taken by wpDiscuz: {votes}"
    );

    let mut rostra = TestServer::start().await;
    let site = NewSite {
        key: "blog".into(),
        name: "The blog".into(),
        origins: vec![wp.url.clone()],
        prompt: None,
    };
    let site = rostra
        .store
        .create_site(site.validate().unwrap(), 1)
        .await
        .unwrap();
    rostra
        .store
        .set_sso_secret(site.id, "the-blog-sso-secret", 1)
        .await
        .unwrap();
    let (token, new) = rostra_server::site_tokens::new_token(site.id, TokenScope::Import, None);
    rostra.store.create_site_token(new, 1).await.unwrap();

    check_test_connection(&wp, &rostra.base, &token);
    wp.configure(&rostra.base, "blog", "the-blog-sso-secret", &token);

    let expected = wp.php(&["expected", &post]);
    let expected = expected["comments"].as_array().unwrap().clone();
    let imported = wp.php(&["import"]);
    assert_eq!(imported["ok"], true, "{imported}");
    let summary = &imported["summary"];
    // WordPress's own first post brings its sample comment along.
    assert_eq!(
        summary["comments_imported"],
        expected.len() + 1,
        "{imported}"
    );
    assert_eq!(summary["skipped"], serde_json::json!([]), "{imported}");

    check_thread(&rostra, &post_url, &expected).await;

    // Pressed again: nothing twice.
    let again = wp.php(&["import"]);
    assert_eq!(again["summary"]["comments_imported"], 0, "{again}");
    assert_eq!(
        again["summary"]["comments_already_imported"],
        expected.len() + 1,
        "{again}"
    );
    check_thread(&rostra, &post_url, &expected).await;

    check_pages(&wp, &post_url, &post, expected.len()).await;
    let staff = wp.php(&["sso", "edna"]);
    assert_eq!(staff["name"], "Edna Editor", "{staff}");
    assert_eq!(staff["role"], "staff", "editors are staff: {staff}");
    assert_eq!(
        wp.php(&["sso", "rita"])["role"],
        Value::Null,
        "subscribers are no staff"
    );

    // Rostra down: the post still renders, with a short note instead of the thread's HTML.
    rostra.stop();
    let (status, page) = get(&format!("{}/?p=1", wp.url)).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("The comments could not be loaded just now."),
        "{page}"
    );
}

fn check_test_connection(wp: &WordPress, base: &str, token: &str) {
    let cases = [
        (base, "blog", "the-blog-sso-secret", token, vec![
            format!("✔ Rostra answers at {base}."),
            "✔ Site \"blog\" is known and takes this WordPress's pages.".into(),
            "✔ The SSO secret is right.".into(),
            "✔ The import token is right.".into(),
        ]),
        ("http://127.0.0.1:9", "blog", "", "", vec![]),
        (base, "nosuch", "", "", vec![
            format!("✔ Rostra answers at {base}."),
            "✘ Rostra has no site with the key \"nosuch\" (rostra site list shows the keys).".into(),
        ]),
        (base, "news", "", "", vec![
            format!("✔ Rostra answers at {base}."),
            format!("✘ This WordPress's origin ({}) is not among the origins of site \"news\" in Rostra: add it there.", wp.url),
        ]),
        (base, "blog", "not-the-secret", "rostra_st_wrong", vec![
            format!("✔ Rostra answers at {base}."),
            "✔ Site \"blog\" is known and takes this WordPress's pages.".into(),
            "✘ The SSO secret is wrong: it is not the secret of site \"blog\" in Rostra.".into(),
            "✘ The import token is wrong: Rostra does not know it.".into(),
        ]),
    ];
    for (url, key, secret, token, expected) in cases {
        wp.configure(url, key, secret, token);
        let said = wp.test_connection();
        if expected.is_empty() {
            assert_eq!(said.len(), 1, "{said:?}");
            assert!(
                said[0].starts_with("✘ Rostra is not reachable at http://127.0.0.1:9: "),
                "{said:?}"
            );
        } else {
            assert_eq!(said, expected);
        }
    }
}

/// Rostra's thread holds every WordPress comment with its parent, author, date and votes.
async fn check_thread(rostra: &TestServer, post_url: &str, expected: &[Value]) {
    let (status, thread) = rostra
        .get_json(&format!(
            "/api/threads?site=blog&url={}",
            rostra_testkit::encode(post_url)
        ))
        .await;
    assert_eq!(status, 200, "{thread}");
    let mut found = Vec::new();
    flatten(&thread["comments"], None, &mut found);
    assert_eq!(found.len(), expected.len(), "{thread}");
    // WordPress's id → Rostra's, matched by author and date.
    let mut ids = std::collections::HashMap::new();
    for want in expected {
        let at = rostra_interchange::dates::parse(want["date_gmt"].as_str().unwrap()).unwrap();
        let (parent, got) = found
            .iter()
            .find(|(_, c)| c["author_name"] == want["author"] && c["created_at"] == at)
            .unwrap_or_else(|| panic!("{want} is not in {thread}"));
        ids.insert(
            want["id"].as_str().unwrap().to_string(),
            got["id"].as_i64().unwrap(),
        );
        let text = plain(want["content"].as_str().unwrap());
        assert_eq!(
            plain(got["body_html"].as_str().unwrap()),
            text,
            "{want} {got}"
        );
        assert_eq!(got["upvotes"], want["likes"], "{want} {got}");
        assert_eq!(got["downvotes"], want["dislikes"], "{want} {got}");
        let wanted_parent = want["parent"].as_str().unwrap();
        let parent_is = parent.map(|p| p.to_string());
        let parent_should = (wanted_parent != "0").then(|| ids[wanted_parent].to_string());
        assert_eq!(parent_is, parent_should, "{want} {got}");
    }
}

/// The post page shows the thread with its server-side HTML; counts come from Rostra.
async fn check_pages(wp: &WordPress, post_url: &str, post: &str, comments: usize) {
    let (status, page) = get(post_url).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("id=\"rostra-thread\""), "{page}");
    assert!(page.contains("data-rostra-site=\"blog\""), "{page}");
    assert!(
        page.contains("The bridge is closed."),
        "the fragment is in the page: {page}"
    );
    assert!(page.contains("/embed.js\" async></script>"), "{page}");
    assert!(
        !page.contains("wpdiscuz-comment-form") && !page.contains("id=\"wpdcom\""),
        "{page}"
    );
    assert_eq!(wp.php(&["count", post]), Value::from(comments));
}

async fn get(url: &str) -> (u16, String) {
    let r = reqwest::get(url).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}
