//! Migration 0009: policies saved with one toxicity threshold get the balanced preset of that
//! release for every attribute, keeping their own toxicity thresholds (0 or none: off).

use rostra_core::attributes::{Attribute, AttributeRule, AttributeRules};
use rostra_store::migrations::{self, Migration};
use sqlx::Connection;
use std::str::FromStr;

/// Runs statements one by one on a database that may not exist yet (SQLite) or is empty.
async fn run(url: &str, statements: &[String]) {
    if url.starts_with("sqlite:") {
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .unwrap()
            .create_if_missing(true);
        let mut c = sqlx::SqliteConnection::connect_with(&options)
            .await
            .unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut c).await.unwrap();
        }
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        for s in statements {
            sqlx::query(s).execute(&mut c).await.unwrap();
        }
    }
}

/// The schema as a Rostra before 0009 left it, with three sites' policies in it.
fn before_0009(known: &[Migration]) -> Vec<String> {
    let mut all = vec![migrations::CREATE_TABLE.to_string()];
    for m in known.iter().filter(|m| m.version < 9) {
        all.extend(migrations::statements(&m.text()).map(str::to_string));
        all.push(format!(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ({}, '{}', 0)",
            m.version, m.name
        ));
    }
    for (key, hold, reject) in [("a", "0.8", "NULL"), ("b", "0.6", "0.9"), ("c", "0", "0")] {
        all.push(format!(
            "INSERT INTO sites (key, name, origins, created_at) \
             VALUES ('{key}', '{key}', '[\"https://{key}.example\"]', 1)"
        ));
        all.push(format!(
            "INSERT INTO site_policies (site_id, mode, max_links, edit_window_secs, \
             close_after_days, reports_to_hold, banned_words, suspect_words, toxicity_hold, \
             toxicity_reject, trust_after) SELECT id, 'post_moderation', 2, 900, 0, 3, '', '', \
             {hold}, {reject}, 0 FROM sites WHERE key = '{key}'"
        ));
    }
    all
}

/// The balanced preset as 0009 wrote it, with the given toxicity rule.
fn balanced_with(toxicity: AttributeRule) -> AttributeRules {
    let hold = AttributeRule::hold_at;
    AttributeRules([
        toxicity,
        hold(0.6),
        hold(0.45),
        hold(0.5),
        hold(0.5),
        AttributeRule::OFF,
    ])
}

#[tokio::test]
async fn old_toxicity_thresholds_become_the_balanced_preset_with_their_toxicity_rule() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("old.db").display());
    let mut old = vec![(sqlite, migrations::SQLITE, None)];
    if let Some(admin) = crate::postgres_admin_url() {
        let scratch = rostra_store::postgres::ScratchDatabase::create(&admin)
            .await
            .unwrap();
        old.push((
            scratch.url().to_string(),
            migrations::POSTGRES,
            Some(scratch),
        ));
    }
    for (url, known, _scratch) in old {
        run(&url, &before_0009(known)).await;
        let store = rostra_store::open(&url, true).await.unwrap();
        let both = AttributeRule {
            hold: Some(0.6),
            reject: Some(0.9),
        };
        for (key, toxicity) in [
            ("a", AttributeRule::hold_at(0.8)),
            ("b", both),
            ("c", AttributeRule::OFF),
        ] {
            let site = store.site_by_key(key).await.unwrap().unwrap();
            let policy = store.site_policy(site.id).await.unwrap().unwrap();
            assert_eq!(
                policy.attributes,
                balanced_with(toxicity),
                "{url} site {key}"
            );
            assert!(policy.nudge, "{url}");
            assert_eq!(
                policy.attributes.get(Attribute::Profanity),
                AttributeRule::OFF
            );
        }
    }
}
