//! Thread events: stored in order, one by one or in batches, and read back for replay.

use super::{backends, comment, site};
use rostra_core::events::NewEvent;

#[tokio::test]
async fn events_keep_their_order_alone_and_in_batches() {
    for b in backends().await {
        let s = &*b.store;
        let news = site(s, "news").await;
        let (first, thread) = s
            .create_comment(comment(&news, "/e", None, 10))
            .await
            .unwrap();
        let (_, other) = s
            .create_comment(comment(&news, "/f", None, 11))
            .await
            .unwrap();
        let single = s
            .append_event(thread.id, "comment", r#"{"n":0}"#, 20)
            .await
            .unwrap();
        let batch: Vec<NewEvent> = (1..=3)
            .map(|n| NewEvent {
                thread: if n == 2 { other.id } else { thread.id },
                kind: "edit",
                payload: format!(r#"{{"n":{n}}}"#),
                at: 20 + n,
            })
            .collect();
        let stored = s.append_events(&batch).await.unwrap();
        assert_eq!(stored.len(), 3);
        assert!(stored.windows(2).all(|w| w[0].id < w[1].id));
        assert!(stored[0].id > single.id);
        for (e, new) in stored.iter().zip(&batch) {
            assert_eq!(
                (e.thread_id, e.kind.as_str(), e.payload.as_str(), e.at),
                (new.thread, new.kind, new.payload.as_str(), new.at)
            );
            assert_eq!(e.site_id, news.id);
        }
        assert_eq!(stored[1].thread_key, other.key);
        assert!(s.append_events(&[]).await.unwrap().is_empty());
        let replay = s.events_since(thread.id, 0, 10).await.unwrap();
        let payloads: Vec<&str> = replay.iter().map(|e| e.payload.as_str()).collect();
        assert_eq!(payloads, [r#"{"n":0}"#, r#"{"n":1}"#, r#"{"n":3}"#]);
        assert_eq!(replay[0], single);
        assert_eq!(first.thread_id, thread.id);
    }
}
