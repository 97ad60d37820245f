//! The operator's commands: sites, migrations, threads, configuration.

use crate::rostra;

fn run(args: &[&str], db: &str) -> (bool, String) {
    let out = rostra()
        .args(args)
        .arg("--database")
        .arg(db)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn sites_migrations_and_threads_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ops.db").display());
    let (ok, out) = run(&["migrate", "status"], &db);
    assert!(
        ok && out.contains("0001_core") && out.contains("pending"),
        "{out}"
    );
    let (ok, out) = run(&["migrate", "run"], &db);
    assert!(ok && out.contains("applied"), "{out}");
    let (ok, out) = run(
        &[
            "site",
            "add",
            "--key",
            "gazette",
            "--name",
            "The Gazette",
            "--origin",
            "https://Gazette.example/",
            "--origin",
            "https://www.gazette.example",
        ],
        &db,
    );
    assert!(ok, "{out}");
    let (ok, out) = run(
        &[
            "site",
            "add",
            "--key",
            "gazette",
            "--name",
            "Again",
            "--origin",
            "https://x.example",
        ],
        &db,
    );
    assert!(!ok && out.contains("exists already"), "{out}");
    let (ok, out) = run(
        &[
            "site", "add", "--key", "bad key!", "--name", "", "--origin", "ftp://x",
        ],
        &db,
    );
    assert!(
        !ok && out.contains("site key") && out.contains("name") && out.contains("ftp://x"),
        "every problem at once: {out}"
    );
    let (ok, out) = run(&["site", "list"], &db);
    assert!(
        ok && out
            .contains("gazette\tThe Gazette\thttps://gazette.example https://www.gazette.example"),
        "{out}"
    );
    // Origins one at a time: normalized, a second add is a no-op, the last one stays.
    let origin = |verb: &str, o: &str| run(&["site", "origin", verb, "gazette", o], &db);
    let (ok, out) = origin("add", "https://Blog.Gazette.example/some/page");
    assert!(
        ok && out.contains("now allows https://blog.gazette.example"),
        "{out}"
    );
    let (ok, out) = origin("add", "https://blog.gazette.example");
    assert!(ok && out.contains("already"), "{out}");
    let (ok, out) = origin("add", "gazette.example");
    assert!(!ok && out.contains("not an http(s) origin"), "{out}");
    let (ok, out) = origin("remove", "https://www.gazette.example");
    assert!(ok && out.contains("no longer allows"), "{out}");
    let (ok, out) = origin("remove", "https://nowhere.example");
    assert!(!ok && out.contains("does not list"), "{out}");
    origin("remove", "https://gazette.example");
    let (ok, out) = origin("remove", "https://blog.gazette.example");
    assert!(!ok && out.contains("only origin"), "{out}");
    let (ok, out) = run(&["site", "origin", "add", "nope", "https://x.example"], &db);
    assert!(!ok && out.contains("no site has the key 'nope'"), "{out}");
    let (_, out) = run(&["site", "list"], &db);
    assert!(
        out.contains("gazette\tThe Gazette\thttps://blog.gazette.example\n"),
        "{out}"
    );
    let (ok, out) = run(
        &[
            "thread",
            "close",
            "--site",
            "gazette",
            "--url",
            "https://blog.gazette.example/a",
        ],
        &db,
    );
    assert!(!ok && out.contains("no thread"), "{out}");
    let (ok, out) = run(&["site", "list"], "mysql://nope");
    assert!(!ok && out.contains("sqlite://"), "{out}");
}

#[test]
fn config_check_dump_and_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rostra.toml");
    std::fs::write(&file, "[server]\nlisten = \"nowhere\"\n\n[comments]\nmin_chars = 0\n\n[privacy]\nip_salt = \"pepper\"\n").unwrap();
    let out = rostra()
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(
        text.contains("server.listen") && text.contains("comments.min_chars"),
        "every problem at once: {text}"
    );
    std::fs::write(
        &file,
        "[server]\nlisten = \"127.0.0.1:9999\"\nlisten_on_moon = true\n",
    )
    .unwrap();
    let out = rostra()
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stdout).contains("listen_on_moon")
    );
    std::fs::write(&file, "[privacy]\nip_salt = \"pepper\"\n").unwrap();
    let out = rostra()
        .args(["config", "dump", "--config"])
        .arg(&file)
        .env("ROSTRA_SERVER__LISTEN", "127.0.0.1:7777")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("listen = \"127.0.0.1:7777\""),
        "environment overrides the file: {text}"
    );
    assert!(
        !text.contains("pepper") && text.contains("<redacted>"),
        "{text}"
    );
    let out = rostra().args(["config", "default"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("# Address and port to listen on."));
}

#[test]
fn model_eval_prints_the_metrics_as_json() {
    let Some(dir) = rostra_testkit::fixtures("model_eval_prints_the_metrics_as_json") else {
        return;
    };
    let tox = dir.join("toxicity");
    let out = rostra()
        .args(["model", "eval", "--json", "--data"])
        .arg(tox.join("tweeteval-offensive/val_text.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"]["n"], 1324);
    assert!(v["toxicity"]["roc_auc"].as_f64().unwrap() >= 0.76, "{v}");
    assert!(v["decision"]["precision"].is_f64() && v["decision"]["recall"].is_f64());
    let attributes = v["decision"]["attributes"]
        .as_array()
        .expect("per attribute");
    assert_eq!(attributes.len(), 6);
    assert_eq!(attributes[3]["attribute"], "threat");
    let out = rostra()
        .args(["model", "eval", "--json", "--data"])
        .arg(tox.join("hatecheck/test_suite_cases.csv"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let per = v["decision"]["per_functionality"]
        .as_object()
        .expect("HateCheck is reported per functionality");
    assert!(
        per.len() >= 25 && per.contains_key("counter_quote_nh"),
        "{per:?}"
    );
    let out = rostra()
        .args(["model", "eval", "--data", "/nonexistent.csv"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = rostra()
        .args(["model", "eval", "--preset", "harsh", "--data"])
        .arg(tox.join("hatecheck/test_suite_cases.csv"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown preset"));
    let out = rostra()
        .args([
            "model",
            "score",
            "They should all be shot.",
            "A fine article.",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("threat 0.9"),
        "{text}"
    );
}

#[test]
fn webhooks_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("hooks.db").display());
    let (ok, out) = run(
        &[
            "site",
            "add",
            "--key",
            "gazette",
            "--name",
            "G",
            "--origin",
            "https://g.example",
        ],
        &db,
    );
    assert!(ok, "{out}");
    let add = |url: &str, secret: Option<&str>| {
        let mut args = vec!["site", "webhook", "add", "gazette", url];
        if let Some(s) = secret {
            args.extend(["--secret", s]);
        }
        run(&args, &db)
    };
    let (ok, out) = add("ftp://x.example/hook", None);
    assert!(!ok && out.contains("not an http(s) URL"), "{out}");
    let (ok, out) = add("https://hooks.example/a", Some("too-short"));
    assert!(!ok && out.contains("at least 16"), "{out}");
    let (ok, out) = run(
        &["site", "webhook", "add", "nosuch", "https://x.example/"],
        &db,
    );
    assert!(!ok && out.contains("no site has the key"), "{out}");

    let (ok, out) = add("https://hooks.example/a", None);
    assert!(ok && out.contains("https://hooks.example/a"), "{out}");
    assert!(
        out.contains("shown only now"),
        "a made secret is printed once: {out}"
    );
    let first_id = out.split('\t').next().unwrap().trim().to_string();
    let (ok, out) = add("https://hooks.example/b", Some("my-own-secret-0123456789"));
    assert!(
        ok && !out.contains("my-own-secret"),
        "a given secret is not echoed: {out}"
    );

    let (ok, out) = run(&["site", "webhook", "list", "gazette"], &db);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].ends_with("https://hooks.example/a") && lines[1].ends_with("/b"),
        "{out}"
    );
    assert!(
        !out.contains("my-own-secret"),
        "secrets are never listed: {out}"
    );

    let (ok, out) = run(&["site", "webhook", "remove", "gazette", &first_id], &db);
    assert!(ok && out.contains("removed"), "{out}");
    let (ok, out) = run(&["site", "webhook", "remove", "gazette", &first_id], &db);
    assert!(!ok && out.contains("has no webhook"), "{out}");
    let (ok, out) = run(&["site", "webhook", "list", "gazette"], &db);
    assert!(
        ok && out.lines().count() == 1 && out.contains("/b"),
        "{out}"
    );
}

/// `rostra config check` on the per-attribute settings: bad ones named, the pre-attribute
/// toxicity settings accepted with a warning, overrides from the file and the environment.
#[test]
fn config_check_names_attribute_problems_and_warns_on_old_toxicity_settings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rostra.toml");
    let check = |toml: &str, env: &[(&str, &str)], verb: &str| {
        std::fs::write(&file, toml).unwrap();
        let out = rostra()
            .args(["config", verb, "--config"])
            .arg(&file)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        (out.status.success(), text)
    };
    let (ok, out) = check("[moderation]\npreset = \"harsh\"\n", &[], "check");
    assert!(!ok && out.contains("moderation.preset: 'harsh'"), "{out}");
    let bad =
        "[moderation]\nattributes.sarcasm = { hold = 0.4 }\nattributes.threat = { hold = 1.4 }\n";
    let (ok, out) = check(bad, &[], "check");
    assert!(
        !ok && out.contains("moderation.attributes.sarcasm: unknown attribute"),
        "{out}"
    );
    assert!(
        out.contains("moderation.attributes.threat.hold: 1.4"),
        "{out}"
    );
    let (ok, out) = check("[moderation]\ntoxicity_hold = 0.8\n", &[], "check");
    assert!(
        ok && out.contains("warning: moderation.toxicity_hold"),
        "{out}"
    );
    let good =
        "[moderation]\npreset = \"strict\"\nattributes.threat = { hold = 0.4, reject = 0.9 }\n";
    let env = [("ROSTRA_MODERATION__ATTRIBUTES__INSULT__HOLD", "0")];
    let (ok, out) = check(good, &env, "check");
    assert!(
        ok && out.contains("the configuration is valid") && !out.contains("warning"),
        "{out}"
    );
    let (ok, out) = check(good, &env, "dump");
    assert!(ok, "{out}");
    assert!(
        out.contains("[moderation.attributes.insult]\nhold = 0"),
        "{out}"
    );
    assert!(
        out.contains("[moderation.attributes.threat]\nhold = 0.4\nreject = 0.9"),
        "{out}"
    );
}
