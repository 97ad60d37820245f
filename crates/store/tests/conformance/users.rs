//! Moderator accounts, their sites and sessions.

use crate::{backends, site};
use rostra_core::user::{NewUser, Role, Session};
use rostra_core::{Error, StoreError};

fn user(email: &str, sites: Vec<rostra_core::SiteId>) -> NewUser {
    NewUser {
        email: email.into(),
        role: Role::Moderator,
        sites,
        password_hash: "argon".into(),
    }
}

#[tokio::test]
async fn users_are_found_by_email_whatever_its_case() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let blog = site(s, "blog").await;
        let zoe = s
            .create_user(user("Zoe@Example.org", vec![news.id]), 1)
            .await
            .unwrap();
        assert_eq!(
            (zoe.email.as_str(), zoe.sites.clone()),
            ("zoe@example.org", vec![news.id])
        );
        let found = s.user_by_email(" ZOE@example.ORG ").await.unwrap().unwrap();
        assert_eq!(found, zoe);
        let dup = s.create_user(user("zoe@example.org", Vec::new()), 2).await;
        assert!(
            matches!(dup, Err(Error::Store(StoreError::Conflict("unique")))),
            "{dup:?}"
        );
        s.create_user(user("adam@example.org", Vec::new()), 3)
            .await
            .unwrap();
        s.set_user_sites(zoe.id, &[blog.id, news.id]).await.unwrap();
        let mut both = vec![news.id, blog.id];
        both.sort();
        assert_eq!(s.user(zoe.id).await.unwrap().unwrap().sites, both);
        let emails: Vec<String> = s
            .list_users()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.email)
            .collect();
        assert_eq!(emails, ["adam@example.org", "zoe@example.org"]);
        assert!(s.user(rostra_core::UserId(999)).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn sessions_expire() {
    for b in backends().await {
        let s = &*b.store;
        let u = s
            .create_user(user("mod@example.org", Vec::new()), 1)
            .await
            .unwrap();
        for (token, expires_at) in [("t1", 10), ("t2", 20), ("t3", 30)] {
            let session = Session {
                token_hash: token.into(),
                user_id: u.id,
                csrf_token: format!("csrf-{token}"),
                created_at: 1,
                expires_at,
            };
            s.create_session(session).await.unwrap();
        }
        assert_eq!(
            s.session("t1").await.unwrap().unwrap().csrf_token,
            "csrf-t1"
        );
        s.delete_session("t3").await.unwrap();
        assert!(s.session("t3").await.unwrap().is_none());
        assert_eq!(s.delete_expired_sessions(15).await.unwrap(), 1);
        assert!(s.session("t1").await.unwrap().is_none());
        assert!(s.session("t2").await.unwrap().is_some());
    }
}
