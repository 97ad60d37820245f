//! What both backends share for the page lists: column prefixes and pairing comments with
//! their threads.

use rostra_core::lists::ListedComment;
use rostra_core::{Comment, Thread};
use std::collections::HashMap;

/// `a, b` as `p.a, p.b`, for a column list used in a join.
pub(crate) fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pairs each comment with its thread, keeping the comments' order (a comment whose thread is
/// missing cannot happen under the foreign key, and is left out).
pub(crate) fn attach_threads(comments: Vec<Comment>, threads: Vec<Thread>) -> Vec<ListedComment> {
    let by_id: HashMap<i64, Thread> = threads.into_iter().map(|t| (t.id.0, t)).collect();
    comments
        .into_iter()
        .filter_map(|comment| {
            let thread = by_id.get(&comment.thread_id.0)?.clone();
            Some(ListedComment { comment, thread })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_every_column() {
        assert_eq!(super::prefixed("t", "id, key,\n url"), "t.id, t.key, t.url");
    }
}
