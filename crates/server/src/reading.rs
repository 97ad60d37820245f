//! Reading threads, shared by the JSON API and the plain HTML page: one page of top-level
//! comments with a bounded number of replies nested under each.

use crate::state::AppState;
use rostra_core::tree::{self, Node};
use rostra_core::{Comment, CommentId, Result, Site, Sort, Thread, ThreadKey};

pub struct ThreadPage {
    pub thread: Option<Thread>,
    pub key: ThreadKey,
    pub nodes: Vec<Node>,
    pub next_offset: Option<u64>,
    /// The comment pinned to the top of the thread, when it is published.
    pub pinned: Option<Comment>,
}

pub async fn load_thread(
    state: &AppState,
    site: &Site,
    key: ThreadKey,
    sort: Sort,
    offset: u64,
) -> Result<ThreadPage> {
    let Some(thread) = state.store.thread_by_key(site.id, &key.key).await? else {
        return Ok(ThreadPage {
            thread: None,
            key,
            nodes: Vec::new(),
            next_offset: None,
            pinned: None,
        });
    };
    let page_size = state.config.threads.page_size;
    let mut roots = state
        .store
        .top_level_page(thread.id, sort, offset, page_size + 1)
        .await?;
    let next_offset = (roots.len() > page_size as usize).then(|| offset + u64::from(page_size));
    roots.truncate(page_size as usize);
    let ids: Vec<CommentId> = roots.iter().map(|c| c.id).collect();
    let below = state
        .store
        .descendants(&ids, state.config.threads.replies_per_comment)
        .await?;
    let pinned = match thread.pinned_comment_id {
        Some(id) => state.store.comment(id).await?,
        None => None,
    }
    .filter(|c| c.status == rostra_core::Status::Published && c.thread_id == thread.id);
    Ok(ThreadPage {
        pinned,
        thread: Some(thread),
        key,
        nodes: tree::build(roots, below),
        next_offset,
    })
}

pub struct RepliesPage {
    pub nodes: Vec<Node>,
    pub next_offset: Option<u64>,
}

/// The next direct replies of a comment, each with replies nested.
pub async fn load_replies(state: &AppState, parent: CommentId, offset: u64) -> Result<RepliesPage> {
    let page_size = state.config.threads.page_size;
    let budget = state.config.threads.replies_per_comment;
    let (mut children, below) = state
        .store
        .replies_page(parent, offset, page_size + 1, budget)
        .await?;
    let next_offset = (children.len() > page_size as usize).then(|| offset + u64::from(page_size));
    children.truncate(page_size as usize);
    Ok(RepliesPage {
        nodes: tree::build(children, below),
        next_offset,
    })
}
