//! The JSON shapes of the public API: what readers may see of comments and threads.

use crate::reading::ThreadPage;
use crate::state::AppState;
use rostra_core::comment::Status;
use rostra_core::tree::{encode_cursor, Node};
use rostra_core::{Comment, Site, Sort};
use serde::Serialize;

pub const ANONYMOUS: &str = "Anonymous";

#[derive(Serialize)]
pub struct CommentView {
    pub id: i64,
    pub parent: Option<i64>,
    pub status: &'static str,
    pub author_name: Option<String>,
    pub author_url: Option<String>,
    pub body_html: String,
    /// The Markdown source: only in answers to the comment's author (for editing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub upvotes: i64,
    pub downvotes: i64,
    pub score: i64,
    pub reply_count: i64,
    pub replies: Vec<CommentView>,
    pub more_replies: Option<String>,
    /// The generated avatar of a signed-in commenter (a path on this server); guests have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// Posted from a reader account (its name is the account's).
    pub signed_in: bool,
    /// `staff` or `moderator`: the site's people, marked in threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
    /// An editors' pick.
    pub featured: bool,
}

impl CommentView {
    /// The public view: never the e-mail address, the hashes or the source.
    pub fn public(c: &Comment) -> CommentView {
        let deleted = c.status == Status::Deleted;
        CommentView {
            id: c.id.0,
            parent: c.parent_id.map(|p| p.0),
            status: c.status.as_str(),
            author_name: if deleted {
                None
            } else {
                Some(c.author_name.clone().unwrap_or_else(|| ANONYMOUS.into()))
            },
            author_url: if deleted { None } else { c.author_url.clone() },
            body_html: if deleted {
                String::new()
            } else {
                c.body_html.clone()
            },
            body: None,
            created_at: c.created_at,
            edited_at: c.edited_at,
            upvotes: c.upvotes,
            downvotes: c.downvotes,
            score: c.score(),
            reply_count: c.reply_count,
            replies: Vec::new(),
            more_replies: None,
            avatar_url: c
                .account_id
                .filter(|_| !deleted)
                .map(crate::accounts::identicon::path_for_account),
            signed_in: c.account_id.is_some() && !deleted,
            badge: c.author_badge.clone().filter(|_| !deleted),
            featured: c.featured_at.is_some() && !deleted,
        }
    }

    /// The view for the comment's own author, with the source to edit.
    pub fn for_author(c: &Comment) -> CommentView {
        let mut v = CommentView::public(c);
        if c.status != Status::Deleted {
            v.body = Some(c.body.clone());
        }
        v
    }

    pub fn tree(node: &Node) -> CommentView {
        let mut v = CommentView::public(&node.comment);
        v.replies = node.replies.iter().map(CommentView::tree).collect();
        v.more_replies = node.more_replies.map(encode_cursor);
        v
    }
}

#[derive(Serialize)]
pub struct ThreadInfo {
    pub id: Option<i64>,
    pub url: String,
    pub title: Option<String>,
    pub comment_count: i64,
    pub closed: bool,
    /// The comment staff pinned to the top of the thread.
    pub pinned_comment_id: Option<i64>,
}

#[derive(Serialize)]
pub struct SiteInfo {
    pub prompt: String,
    pub edit_window_secs: u64,
    pub max_body_chars: usize,
    /// The longest author name, in characters.
    pub max_name_chars: usize,
    /// Check a comment (`POST /api/comments/check`) before posting it, and tell the author
    /// what it may be read as (the site's policy, on by default).
    pub nudge: bool,
}

#[derive(Serialize)]
pub struct ThreadView {
    pub thread: ThreadInfo,
    pub site: SiteInfo,
    pub sort: &'static str,
    pub comments: Vec<CommentView>,
    pub next_cursor: Option<String>,
    /// The pinned comment, whichever page it is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<CommentView>,
}

impl ThreadView {
    pub fn new(
        state: &AppState,
        site: &Site,
        page: &ThreadPage,
        sort: Sort,
        now: i64,
        nudge: bool,
    ) -> ThreadView {
        let thread = match &page.thread {
            Some(t) => ThreadInfo {
                id: Some(t.id.0),
                url: t.url.clone(),
                title: t.title.clone(),
                comment_count: t.comment_count,
                closed: t.is_closed(state.close_after_days(), now),
                pinned_comment_id: page.pinned.as_ref().map(|c| c.id.0),
            },
            None => ThreadInfo {
                id: None,
                url: page.key.url.clone(),
                title: None,
                comment_count: 0,
                closed: false,
                pinned_comment_id: None,
            },
        };
        ThreadView {
            thread,
            site: SiteInfo {
                prompt: site
                    .prompt
                    .clone()
                    .unwrap_or_else(|| state.config.comments.default_prompt.clone()),
                edit_window_secs: state.config.comments.edit_window_secs,
                max_body_chars: state.limits.body_max_chars,
                max_name_chars: state.limits.name_max_chars,
                nudge,
            },
            sort: sort.as_str(),
            comments: page.nodes.iter().map(CommentView::tree).collect(),
            next_cursor: page.next_offset.map(encode_cursor),
            pinned: page.pinned.as_ref().map(CommentView::public),
        }
    }
}
