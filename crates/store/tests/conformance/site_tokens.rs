//! Sites' tokens: stored by hash, found by hash only, listed per site, revoked once.

use super::{backends, site};
use rostra_core::site::{NewSiteToken, TokenScope};

#[tokio::test]
async fn site_tokens_are_found_by_hash_listed_and_revoked() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let blog = site(s, "blog").await;
        let new = |site: &rostra_core::Site, hash: &str| NewSiteToken {
            site_id: site.id,
            scope: TokenScope::Import,
            label: Some("WordPress".into()),
            token_hash: hash.into(),
        };
        let first = s.create_site_token(new(&news, "h1"), 10).await.unwrap();
        let second = s.create_site_token(new(&news, "h2"), 11).await.unwrap();
        let other = s.create_site_token(new(&blog, "h3"), 12).await.unwrap();
        // The same hash twice is refused (a token names one row).
        assert!(s.create_site_token(new(&blog, "h1"), 13).await.is_err());

        let found = s.site_token_by_hash("h2").await.unwrap().unwrap();
        assert_eq!(found, second);
        assert_eq!(found.scope, TokenScope::Import);
        assert_eq!(found.label.as_deref(), Some("WordPress"));
        assert_eq!(s.site_token_by_hash("nope").await.unwrap(), None);
        let listed = s.site_tokens(news.id).await.unwrap();
        assert_eq!(listed, vec![first.clone(), second.clone()]);
        assert_eq!(s.site_tokens(blog.id).await.unwrap(), vec![other.clone()]);

        // Another site's token is not revoked through this site.
        assert!(!s.revoke_site_token(news.id, other.id, 20).await.unwrap());
        assert!(s.revoke_site_token(news.id, first.id, 20).await.unwrap());
        assert!(!s.revoke_site_token(news.id, first.id, 21).await.unwrap());
        let revoked = s.site_token_by_hash("h1").await.unwrap().unwrap();
        assert_eq!(revoked.revoked_at, Some(20));
        assert_eq!(
            s.site_token_by_hash("h3")
                .await
                .unwrap()
                .unwrap()
                .revoked_at,
            None
        );

        s.site_token_used(second.id, 30).await.unwrap();
        let used = s.site_token_by_hash("h2").await.unwrap().unwrap();
        assert_eq!((used.last_used_at, used.revoked_at), (Some(30), None));
    }
}
