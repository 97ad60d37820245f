//! Building the reply tree from flat rows, and the cursors that page through it.
//!
//! Storage hands back a page of top-level comments and, separately, a bounded set of their
//! descendants in id order. Because a reply always has a larger id than its parent, and rows
//! come in id order, the children loaded for each comment are always its *first* children: the
//! rest can be fetched later from an offset, which is what `more_replies` carries.

use crate::comment::Comment;
use crate::error::Error;
use crate::ids::CommentId;
use std::collections::HashMap;

/// A comment with the replies loaded under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub comment: Comment,
    pub replies: Vec<Node>,
    /// Offset of the next direct replies to fetch, when not all were loaded.
    pub more_replies: Option<u64>,
}

/// Nests `descendants` under `roots` (both already filtered to what the viewer may see, and
/// `descendants` in ascending id order). Rows whose parent is not present are dropped.
pub fn build(roots: Vec<Comment>, descendants: Vec<Comment>) -> Vec<Node> {
    let mut children: HashMap<CommentId, Vec<Comment>> = HashMap::new();
    for c in descendants {
        if let Some(parent) = c.parent_id {
            children.entry(parent).or_default().push(c);
        }
    }
    roots
        .into_iter()
        .map(|c| attach(c, &mut children))
        .collect()
}

fn attach(comment: Comment, children: &mut HashMap<CommentId, Vec<Comment>>) -> Node {
    let kids = children.remove(&comment.id).unwrap_or_default();
    let loaded = kids.len() as u64;
    let replies: Vec<Node> = kids.into_iter().map(|k| attach(k, children)).collect();
    let more_replies = (loaded < comment.reply_count.max(0) as u64).then_some(loaded);
    Node {
        comment,
        replies,
        more_replies,
    }
}

/// Counts every comment in a forest (for tests and metrics).
pub fn count(nodes: &[Node]) -> usize {
    nodes.iter().map(|n| 1 + count(&n.replies)).sum()
}

/// An opaque page cursor. Today an offset; clients must treat it as a string.
pub fn encode_cursor(offset: u64) -> String {
    format!("o{offset}")
}

pub fn decode_cursor(cursor: Option<&str>) -> Result<u64, Error> {
    match cursor {
        None | Some("") => Ok(0),
        Some(c) => c
            .strip_prefix('o')
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| *n <= 10_000_000)
            .ok_or(Error::InvalidCursor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comment::Status;
    use crate::ids::ThreadId;

    fn c(id: i64, parent: Option<i64>, reply_count: i64) -> Comment {
        Comment {
            id: CommentId(id),
            thread_id: ThreadId(1),
            parent_id: parent.map(CommentId),
            root_id: CommentId(id),
            status: Status::Published,
            author_name: None,
            author_email: None,
            author_url: None,
            body: String::new(),
            body_html: String::new(),
            created_at: id,
            edited_at: None,
            upvotes: 0,
            downvotes: 0,
            reply_count,
            edit_token_hash: None,
            ip_hash: None,
            author_key: None,
            net_hash: None,
            reasons: Vec::new(),
            report_count: 0,
            moderator_note: None,
            account_id: None,
            author_badge: None,
            featured_at: None,
        }
    }

    #[test]
    fn nests_three_levels_and_keeps_order() {
        let roots = vec![c(1, None, 2), c(5, None, 0)];
        let desc = vec![c(2, Some(1), 1), c(3, Some(2), 0), c(4, Some(1), 0)];
        let tree = build(roots, desc);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].replies.len(), 2);
        assert_eq!(tree[0].replies[0].comment.id, CommentId(2));
        assert_eq!(tree[0].replies[0].replies[0].comment.id, CommentId(3));
        assert_eq!(tree[0].replies[1].comment.id, CommentId(4));
        assert_eq!(count(&tree), 5);
        assert_eq!(tree[0].more_replies, None);
    }

    #[test]
    fn marks_partial_children_and_drops_orphans() {
        let tree = build(
            vec![c(1, None, 5)],
            vec![c(2, Some(1), 0), c(9, Some(8), 0)],
        );
        assert_eq!(tree[0].replies.len(), 1);
        assert_eq!(tree[0].more_replies, Some(1));
        assert_eq!(count(&tree), 2);
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor(Some(&encode_cursor(40))).unwrap(), 40);
        assert_eq!(decode_cursor(None).unwrap(), 0);
        for bad in ["40", "o-1", "ox", "o99999999999"] {
            assert!(decode_cursor(Some(bad)).is_err(), "{bad}");
        }
    }
}
