//! A reader's own data: "download my data" (the profile and every comment with its revisions,
//! as JSON) and deleting the account, keeping the comments as a deleted user's or deleting them.

use crate::error::ApiError;
use crate::state::{now_ms, AppState};
use rostra_core::account::Account;
use rostra_core::comment::Status;
use rostra_core::{Comment, ThreadId};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The name comments keep when their author deleted the account but not the comments.
pub const DELETED_USER: &str = "[deleted user]";

/// Everything Rostra holds about the account, as one JSON document.
pub async fn export(state: &AppState, account: &Account) -> Result<Value, ApiError> {
    let comments =
        with_revisions(state, state.store.comments_by_account(account.id).await?).await?;
    Ok(json!({
        "exported_at": now_ms(),
        "profile": {
            "id": account.id.0,
            "name": account.display_name,
            "email": account.email,
            "email_verified_at": account.email_verified_at,
            "created_at": account.created_at,
            "avatar_url": account.avatar_url,
            "role": account.role,
            "sso_id": account.external_id,
        },
        "comments": comments,
    }))
}

/// Comments as a download shows them: each with its page and every earlier revision.
pub async fn with_revisions(state: &AppState, found: Vec<Comment>) -> Result<Vec<Value>, ApiError> {
    let mut pages: HashMap<ThreadId, String> = HashMap::new();
    let mut comments = Vec::new();
    for c in found {
        if let std::collections::hash_map::Entry::Vacant(e) = pages.entry(c.thread_id) {
            let url = state.store.thread(c.thread_id).await?.map(|t| t.url);
            e.insert(url.unwrap_or_default());
        }
        let revisions: Vec<Value> = state
            .store
            .revisions(c.id)
            .await?
            .into_iter()
            .map(|r| json!({"body": r.body, "replaced_at": r.replaced_at}))
            .collect();
        comments.push(json!({
            "id": c.id.0,
            "page": pages.get(&c.thread_id),
            "parent": c.parent_id.map(|p| p.0),
            "status": c.status.as_str(),
            "author_name": c.author_name,
            "body": c.body,
            "created_at": c.created_at,
            "edited_at": c.edited_at,
            "revisions": revisions,
        }));
    }
    Ok(comments)
}

/// Deletes the account. With `delete_comments`, its comments go first (as if their author
/// deleted each: a comment with replies stays as an empty tombstone); otherwise they stay,
/// shown as by a deleted user, so the replies keep their sense.
pub async fn delete(
    state: &AppState,
    account: &Account,
    delete_comments: bool,
) -> Result<(), ApiError> {
    if delete_comments {
        let now = now_ms();
        for c in state.store.comments_by_account(account.id).await? {
            if c.status != Status::Deleted {
                state.store.delete_comment(c.id, now).await?;
            }
        }
    }
    state.store.delete_account(account.id, DELETED_USER).await?;
    // Names and texts changed on pages of any thread.
    state.threads.clear();
    Ok(())
}
