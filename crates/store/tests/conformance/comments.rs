//! Comments: trees, edits, deletions, votes, pages, and the group commit under concurrency.

use crate::{backends, comment, site};
use rostra_core::comment::Status;
use rostra_core::{CommentEdit, CommentId, Error, NewVote, Sort};

#[tokio::test]
async fn replies_carry_their_root_and_stay_in_their_thread() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (top, _) = s
            .create_comment(comment(&site, "/t", None, 1))
            .await
            .unwrap();
        assert_eq!(top.root_id, top.id);
        let (r1, _) = s
            .create_comment(comment(&site, "/t", Some(top.id), 2))
            .await
            .unwrap();
        let (r2, thread) = s
            .create_comment(comment(&site, "/t", Some(r1.id), 3))
            .await
            .unwrap();
        assert_eq!((r1.root_id, r2.root_id), (top.id, top.id));
        assert_eq!(thread.comment_count, 3);
        assert_eq!(s.comment(top.id).await.unwrap().unwrap().reply_count, 1);
        let other = comment(&site, "/elsewhere", Some(top.id), 4);
        assert!(matches!(
            s.create_comment(other).await,
            Err(Error::ParentNotFound)
        ));
        assert!(matches!(
            s.create_comment(comment(&site, "/t", Some(CommentId(999)), 5))
                .await,
            Err(Error::ParentNotFound)
        ));
        assert!(
            s.thread_by_key(site.id, "https://news.example/elsewhere")
                .await
                .unwrap()
                .is_none(),
            "a refused comment leaves no thread"
        );
    }
}

#[tokio::test]
async fn edits_keep_revisions() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (c, _) = s
            .create_comment(comment(&site, "/e", None, 1))
            .await
            .unwrap();
        for (i, text) in ["second", "third"].iter().enumerate() {
            let edit = CommentEdit {
                body: text.to_string(),
                body_html: format!("<p>{text}</p>"),
                edited_at: 10 + i as i64,
            };
            s.edit_comment(c.id, edit).await.unwrap();
        }
        let now = s.comment(c.id).await.unwrap().unwrap();
        assert_eq!((now.body.as_str(), now.edited_at), ("third", Some(11)));
        let revs: Vec<_> = s
            .revisions(c.id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.body)
            .collect();
        assert_eq!(revs, ["comment at 1", "second"]);
    }
}

#[tokio::test]
async fn deleting_keeps_tombstones_only_while_they_have_replies() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (top, _) = s
            .create_comment(comment(&site, "/d", None, 1))
            .await
            .unwrap();
        let (mid, _) = s
            .create_comment(comment(&site, "/d", Some(top.id), 2))
            .await
            .unwrap();
        let (leaf, _) = s
            .create_comment(comment(&site, "/d", Some(mid.id), 3))
            .await
            .unwrap();
        let gone = s.delete_comment(top.id, 9).await.unwrap();
        assert_eq!(gone.status, Status::Deleted);
        assert!(gone.body.is_empty() && gone.author_email.is_none());
        assert!(gone.is_public(), "a tombstone while it has replies");
        s.delete_comment(mid.id, 9).await.unwrap();
        assert!(matches!(
            s.delete_comment(mid.id, 9).await,
            Err(Error::CommentDeleted)
        ));
        s.delete_comment(leaf.id, 9).await.unwrap();
        for id in [top.id, mid.id, leaf.id] {
            assert!(
                !s.comment(id).await.unwrap().unwrap().is_public(),
                "the whole empty chain leaves"
            );
        }
        let thread = s.thread(top.thread_id).await.unwrap().unwrap();
        assert_eq!(thread.comment_count, 0);
        assert!(s
            .top_level_page(thread.id, Sort::Oldest, 0, 10)
            .await
            .unwrap()
            .is_empty());
    }
}

#[tokio::test]
async fn votes_count_once_per_voter_and_per_address() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (c, _) = s
            .create_comment(comment(&site, "/v", None, 1))
            .await
            .unwrap();
        let vote = |voter: Option<&str>, ip: &str, value: i8| NewVote {
            comment_id: c.id,
            voter_hash: voter.map(str::to_string),
            ip_hash: ip.into(),
            value,
            at: 5,
        };
        assert_eq!(s.vote(vote(Some("a"), "ip1", 1)).await.unwrap().upvotes, 1);
        assert_eq!(
            s.vote(vote(Some("a"), "ip2", 1)).await.unwrap().upvotes,
            1,
            "same voter, new address"
        );
        assert_eq!(
            s.vote(vote(Some("b"), "ip1", 1)).await.unwrap().upvotes,
            1,
            "same address, new voter"
        );
        let t = s.vote(vote(Some("c"), "ip3", -1)).await.unwrap();
        assert_eq!((t.upvotes, t.downvotes, t.score), (1, 1, 0));
        let t = s.vote(vote(Some("c"), "ip3", 0)).await.unwrap();
        assert_eq!((t.upvotes, t.downvotes), (1, 0));
        s.delete_comment(c.id, 6).await.unwrap();
        assert!(matches!(
            s.vote(vote(Some("d"), "ip4", 1)).await,
            Err(Error::CommentDeleted)
        ));
        assert!(matches!(
            s.vote(NewVote {
                comment_id: CommentId(999),
                ..vote(None, "x", 1)
            })
            .await,
            Err(Error::CommentNotFound)
        ));
    }
}

#[tokio::test]
async fn pages_sort_and_bound_the_replies_per_root() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let mut tops = Vec::new();
        for i in 0..5 {
            let (c, _) = s
                .create_comment(comment(&site, "/p", None, i))
                .await
                .unwrap();
            tops.push(c);
        }
        let mut replies = Vec::new();
        for i in 0..6 {
            let (r, _) = s
                .create_comment(comment(&site, "/p", Some(tops[0].id), 10 + i))
                .await
                .unwrap();
            replies.push(r.id);
        }
        let up = NewVote {
            comment_id: tops[3].id,
            voter_hash: None,
            ip_hash: "x".into(),
            value: 1,
            at: 1,
        };
        s.vote(up).await.unwrap();
        let thread = tops[0].thread_id;
        let ids = |v: Vec<rostra_core::Comment>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(
            ids(s.top_level_page(thread, Sort::Oldest, 1, 2).await.unwrap()),
            [tops[1].id, tops[2].id]
        );
        assert_eq!(
            ids(s.top_level_page(thread, Sort::Newest, 0, 2).await.unwrap()),
            [tops[4].id, tops[3].id]
        );
        assert_eq!(
            ids(s.top_level_page(thread, Sort::Best, 0, 2).await.unwrap()),
            [tops[3].id, tops[0].id]
        );
        let below = s.descendants(&[tops[0].id, tops[1].id], 4).await.unwrap();
        assert_eq!(
            ids(below),
            replies[..4],
            "the first replies, in id order, at most per_root"
        );
        let (children, deeper) = s.replies_page(tops[0].id, 4, 10, 50).await.unwrap();
        assert_eq!(ids(children), replies[4..]);
        assert!(deeper.is_empty());
    }
}

#[tokio::test]
async fn replies_pages_bring_their_subtrees() {
    for b in backends().await {
        let s = &*b.store;
        let site = site(s, "news").await;
        let (top, _) = s
            .create_comment(comment(&site, "/r", None, 1))
            .await
            .unwrap();
        let (a, _) = s
            .create_comment(comment(&site, "/r", Some(top.id), 2))
            .await
            .unwrap();
        let (b2, _) = s
            .create_comment(comment(&site, "/r", Some(top.id), 3))
            .await
            .unwrap();
        let (a1, _) = s
            .create_comment(comment(&site, "/r", Some(a.id), 4))
            .await
            .unwrap();
        let (b1, _) = s
            .create_comment(comment(&site, "/r", Some(b2.id), 5))
            .await
            .unwrap();
        let (children, deeper) = s.replies_page(top.id, 1, 10, 50).await.unwrap();
        assert_eq!(children.iter().map(|c| c.id).collect::<Vec<_>>(), [b2.id]);
        assert_eq!(
            deeper.iter().map(|c| c.id).collect::<Vec<_>>(),
            [b1.id],
            "only the subtree of the page, not {a1:?}"
        );
    }
}

#[tokio::test]
async fn concurrent_writes_commit_together_and_fail_alone() {
    for b in backends().await {
        let site = site(&*b.store, "news").await;
        let mut tasks = Vec::new();
        for i in 0..200 {
            let store = b.store.clone();
            let mut new = comment(&site, "/many", None, i);
            if i % 50 == 7 {
                new.parent_id = Some(CommentId(1_000_000));
            }
            tasks.push(tokio::spawn(async move {
                store.create_comment(new).await.map(|(c, _)| c.id)
            }));
        }
        let mut ok = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(Error::ParentNotFound) => refused += 1,
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!((ok, refused), (196, 4));
        let thread = b
            .store
            .thread_by_key(site.id, "https://news.example/many")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(thread.comment_count, 196);
    }
}
