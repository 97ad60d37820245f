//! Readers' passkeys, pending WebAuthn ceremonies (single use, expiring), and a guest's own
//! comments found by address or edit token.

use crate::{backends, site};
use rostra_core::account::{EmailLink, GuestIdentity, LinkPurpose, NewAccount};
use rostra_core::passkey::{CeremonyKind, NewPasskey, PendingCeremony};
use rostra_core::{Error, StoreError};

fn key(account: rostra_core::AccountId, credential_id: &str) -> NewPasskey {
    NewPasskey {
        account_id: account,
        credential_id: credential_id.into(),
        user_handle: "handle-1".into(),
        rp_id: "news.example".into(),
        name: "Passkey on news.example".into(),
        credential: "{\"cred\":1}".into(),
        created_at: 10,
    }
}

fn ceremony(id: &str, kind: CeremonyKind, expires_at: i64) -> PendingCeremony {
    PendingCeremony {
        id_hash: id.into(),
        kind,
        account_id: None,
        rp_id: "news.example".into(),
        origin: "https://news.example".into(),
        state: "{}".into(),
        expires_at,
    }
}

#[tokio::test]
async fn passkeys_are_stored_listed_used_and_removed() {
    for b in backends().await {
        let s = &*b.store;
        let mk = |name: &str| NewAccount {
            email: Some(format!("{name}@example.org")),
            display_name: name.into(),
            ..NewAccount::default()
        };
        let ada = s.create_account(mk("ada"), 1).await.unwrap();
        let bob = s.create_account(mk("bob"), 1).await.unwrap();
        let first = s.add_passkey(key(ada.id, "cred-a")).await.unwrap();
        assert_eq!(first.account_id, ada.id);
        assert_eq!(first.last_used_at, None);
        s.add_passkey(key(ada.id, "cred-b")).await.unwrap();
        // A credential id belongs to one account only.
        assert!(matches!(
            s.add_passkey(key(bob.id, "cred-a")).await,
            Err(Error::Store(StoreError::Conflict(_)))
        ));
        let listed = s.passkeys_of(ada.id).await.unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|p| p.credential_id.as_str())
                .collect::<Vec<_>>(),
            ["cred-a", "cred-b"]
        );
        assert!(s.passkeys_of(bob.id).await.unwrap().is_empty());

        s.passkey_used(first.id, "{\"cred\":2}", 50).await.unwrap();
        let used = s.passkey_by_credential("cred-a").await.unwrap().unwrap();
        assert_eq!(
            (used.credential.as_str(), used.last_used_at),
            ("{\"cred\":2}", Some(50))
        );
        assert!(s.passkey_by_credential("nope").await.unwrap().is_none());

        // Only the owner removes it.
        assert!(!s.delete_passkey(bob.id, first.id).await.unwrap());
        assert!(s.delete_passkey(ada.id, first.id).await.unwrap());
        assert!(!s.delete_passkey(ada.id, first.id).await.unwrap());
        assert!(s.passkey_by_credential("cred-a").await.unwrap().is_none());

        // Deleting the account takes its passkeys along.
        s.delete_account(ada.id, "[deleted user]").await.unwrap();
        assert!(s.passkey_by_credential("cred-b").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn ceremonies_are_taken_once_and_expire() {
    for b in backends().await {
        let s = &*b.store;
        s.save_ceremony(ceremony("c1", CeremonyKind::SignIn, 100))
            .await
            .unwrap();
        let taken = s
            .take_ceremony("c1", CeremonyKind::SignIn, 50)
            .await
            .unwrap();
        assert_eq!(taken, Some(ceremony("c1", CeremonyKind::SignIn, 100)));
        assert_eq!(
            s.take_ceremony("c1", CeremonyKind::SignIn, 51)
                .await
                .unwrap(),
            None,
            "a second use finds nothing"
        );

        // The wrong kind or an expired one is refused, and gone afterwards all the same.
        s.save_ceremony(ceremony("c2", CeremonyKind::Register, 100))
            .await
            .unwrap();
        assert_eq!(
            s.take_ceremony("c2", CeremonyKind::SignIn, 50)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            s.take_ceremony("c2", CeremonyKind::Register, 50)
                .await
                .unwrap(),
            None
        );
        s.save_ceremony(ceremony("c3", CeremonyKind::SignIn, 100))
            .await
            .unwrap();
        assert_eq!(
            s.take_ceremony("c3", CeremonyKind::SignIn, 100)
                .await
                .unwrap(),
            None
        );

        s.save_ceremony(ceremony("c4", CeremonyKind::SignIn, 100))
            .await
            .unwrap();
        s.save_ceremony(ceremony("c5", CeremonyKind::SignIn, 300))
            .await
            .unwrap();
        assert_eq!(s.delete_expired_ceremonies(200).await.unwrap(), 1);
        assert!(s
            .take_ceremony("c5", CeremonyKind::SignIn, 200)
            .await
            .unwrap()
            .is_some());
    }
}

#[tokio::test]
async fn a_guests_comments_are_found_by_address_or_edit_token_and_anonymized() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let other = site(s, "other").await;
        let mut given = crate::comment(&news, "/a", None, 10);
        given.author_email = Some("Guest@Example.org".into());
        given.edit_token_hash = "tok-1".into();
        let (by_address, _) = s.create_comment(given).await.unwrap();
        // Posted without an address, by an identity that confirmed this address on the site.
        let mut verified = crate::comment(&news, "/b", None, 20);
        verified.author_email = None;
        verified.author_key = Some("guest-key".into());
        verified.edit_token_hash = "tok-2".into();
        let (by_identity, _) = s.create_comment(verified).await.unwrap();
        s.create_email_link(EmailLink {
            token_hash: "v1".into(),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(GuestIdentity {
                site_id: news.id,
                author_key: "guest-key".into(),
                email: "guest@example.org".into(),
            }),
            created_at: 1,
            expires_at: 100,
        })
        .await
        .unwrap();
        s.use_guest_link("v1", 5).await.unwrap();
        // Someone else's, and the same address on another site.
        let mut stranger = crate::comment(&news, "/a", None, 30);
        stranger.author_email = Some("someone@example.org".into());
        stranger.edit_token_hash = "tok-3".into();
        s.create_comment(stranger).await.unwrap();
        let mut elsewhere = crate::comment(&other, "/a", None, 40);
        elsewhere.author_email = Some("guest@example.org".into());
        s.create_comment(elsewhere).await.unwrap();

        let found = s
            .comments_by_guest_email(news.id, "guest@EXAMPLE.org")
            .await
            .unwrap();
        assert_eq!(
            found.iter().map(|c| c.id).collect::<Vec<_>>(),
            [by_address.id, by_identity.id]
        );
        let by_tokens = s
            .comments_by_edit_tokens(&["tok-2".into(), "tok-1".into(), "unknown".into()])
            .await
            .unwrap();
        assert_eq!(
            by_tokens.iter().map(|c| c.id).collect::<Vec<_>>(),
            [by_address.id, by_identity.id]
        );
        assert!(s.comments_by_edit_tokens(&[]).await.unwrap().is_empty());

        assert_eq!(
            s.anonymize_guest_comments(&[by_address.id, by_identity.id], "[deleted user]")
                .await
                .unwrap(),
            2
        );
        let kept = s.comment(by_address.id).await.unwrap().unwrap();
        assert_eq!(kept.author_name.as_deref(), Some("[deleted user]"));
        assert_eq!((kept.author_email, kept.author_key), (None, None));
        assert_eq!(kept.body, by_address.body, "the text stays readable");
        assert!(s
            .comments_by_guest_email(news.id, "guest@example.org")
            .await
            .unwrap()
            .is_empty());
        assert!(s
            .comments_by_edit_tokens(&["tok-1".into()])
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn a_guest_data_link_works_until_it_expires() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        s.create_email_link(EmailLink {
            token_hash: "gd1".into(),
            purpose: LinkPurpose::GuestData,
            account_id: None,
            guest: Some(GuestIdentity {
                site_id: news.id,
                author_key: String::new(),
                email: "guest@example.org".into(),
            }),
            created_at: 1,
            expires_at: 100,
        })
        .await
        .unwrap();
        let owner = Some((news.id, "guest@example.org".to_string()));
        assert_eq!(s.guest_data_link("gd1", 50).await.unwrap(), owner);
        assert_eq!(
            s.guest_data_link("gd1", 60).await.unwrap(),
            owner,
            "usable again"
        );
        assert_eq!(s.guest_data_link("gd1", 100).await.unwrap(), None);
        assert_eq!(s.guest_data_link("other", 50).await.unwrap(), None);
        // A link of another purpose is no guest-data link.
        s.create_email_link(EmailLink {
            token_hash: "g2".into(),
            purpose: LinkPurpose::Guest,
            account_id: None,
            guest: Some(GuestIdentity {
                site_id: news.id,
                author_key: "k".into(),
                email: "guest@example.org".into(),
            }),
            created_at: 1,
            expires_at: 100,
        })
        .await
        .unwrap();
        assert_eq!(s.guest_data_link("g2", 50).await.unwrap(), None);
    }
}
