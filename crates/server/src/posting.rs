//! Writing comments, shared by the JSON API and the plain HTML form: validate, decide (through
//! `deciding`), render, store, invalidate the thread's cache, announce.

use crate::api::error::ApiError;
use crate::cache::ThreadRef;
use crate::client::Client;
use crate::deciding::{self, Subject};
use crate::moderating;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::account::Account;
use rostra_core::attributes::Attribute;
use rostra_core::comment::Status;
use rostra_core::moderation::{Reason, Verdict};
use rostra_core::privacy::{constant_time_eq, hash_token, hash_with_salt, random_token};
use rostra_core::thread::close_before;
use rostra_core::validate::{self, AuthorInput};
use rostra_core::{
    markdown, Comment, CommentEdit, CommentId, Error, NewComment, Site, Thread, ThreadKey,
};
use std::sync::Arc;

/// What a commenter sends, from JSON or a form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CommentInput {
    pub site: String,
    pub url: String,
    pub identifier: Option<String>,
    pub title: Option<String>,
    pub parent: Option<i64>,
    pub author_name: Option<String>,
    pub author_email: Option<String>,
    pub author_url: Option<String>,
    pub body: String,
    /// E-mail the author about replies to this comment ("notify me of replies").
    #[serde(default)]
    pub notify_replies: bool,
}

pub struct Posted {
    pub comment: Comment,
    pub thread: Thread,
    pub edit_token: String,
    pub edit_until: i64,
    /// What became of `notify_replies` (`None`: not asked for).
    pub notify: Option<crate::notify::subscribing::Outcome>,
}

/// Browsers may write only from the site's own origins or Rostra's own pages; requests without
/// an `Origin` (servers, scripts) are not browsers acting for someone else.
pub fn check_origin(state: &AppState, site: &Site, client: &Client) -> Result<(), ApiError> {
    match &client.origin {
        None => Ok(()),
        Some(o) if site.allows_origin(o) || *o == state.public_origin => Ok(()),
        Some(_) => Err(ApiError::OriginNotAllowed),
    }
}

/// Limits per client address and, when the widget sent one, per identity token too: a
/// commenter switching networks keeps their bucket, and one network's many readers do not
/// share one identity's.
pub(crate) fn rate_limit(
    state: &AppState,
    action: Action,
    client: &Client,
) -> Result<(), ApiError> {
    let identity = match action {
        Action::Comment | Action::Check | Action::Edit => client.author_hash.as_deref(),
        Action::Vote | Action::Report => client.voter_hash.as_deref(),
        Action::Login | Action::Account => None,
    };
    for key in std::iter::once(client.ip_hash.as_str()).chain(identity) {
        state
            .rate_limits
            .check(action, key)
            .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    }
    Ok(())
}

/// The identity hash of a reader account: its comments are one commenter's, for history, trust
/// and bans, wherever the reader signs in from.
pub fn account_author_key(state: &AppState, account: &Account) -> String {
    hash_with_salt(&state.ip_salt, &format!("account:{}", account.id.0))
}

/// A comment as sent, checked against its site and the limits.
pub(crate) struct Draft {
    pub site: Arc<Site>,
    pub key: ThreadKey,
    pub body: String,
    pub author: validate::Author,
    pub title: Option<String>,
}

/// The validation posting and the pre-posting check share: the site, the browser's origin, the
/// thread's page, the body, the author's fields and the title, with the same error codes.
pub(crate) async fn validated(
    state: &AppState,
    input: &CommentInput,
    client: &Client,
) -> Result<Draft, ApiError> {
    let site = state.sites.get(&input.site).await?;
    check_origin(state, &site, client)?;
    let key = ThreadKey::for_page(&site, &input.url, input.identifier.as_deref())?;
    let body = validate::body(&input.body, &state.limits)?;
    let author = validate::author(
        &AuthorInput {
            name: input.author_name.as_deref(),
            email: input.author_email.as_deref(),
            url: input.author_url.as_deref(),
        },
        &state.limits,
    )?;
    let title = validate::title(input.title.as_deref(), &state.limits)?;
    Ok(Draft {
        site,
        key,
        body,
        author,
        title,
    })
}

/// Posts a comment, as a guest or (with `reader`) as a signed-in reader, whose account name
/// the comment shows.
pub async fn post_comment(
    state: &Arc<AppState>,
    mut input: CommentInput,
    client: &Client,
    reader: Option<&Account>,
) -> Result<Posted, ApiError> {
    let mut as_reader;
    let client = match reader {
        Some(account) => {
            as_reader = client.clone();
            as_reader.author_hash = Some(account_author_key(state, account));
            as_reader.verified_account = account.is_verified();
            input.author_name = Some(account.display_name.clone());
            input.author_email = account.email.clone();
            &as_reader
        }
        None => client,
    };
    let Draft {
        site,
        key,
        body,
        author,
        title,
    } = validated(state, &input, client).await?;
    rate_limit(state, Action::Comment, client)?;
    let now = now_ms();
    let policy = state.policy(&site).await?;
    let subject = Subject {
        body: &body,
        name: author.name.as_deref(),
        url: &key.url,
        email: author.email.as_deref(),
        new: true,
    };
    let outcome = deciding::decide(state, &site, &policy, &subject, client, now).await?;
    if outcome.banned() {
        return Err(Error::Banned.into());
    }
    let (status, reasons) = (outcome.status, outcome.reasons);
    let edit_token = random_token();
    let new = NewComment {
        site_id: site.id,
        thread_key: key.key.clone(),
        page_url: key.url,
        page_title: title,
        parent_id: input.parent.map(CommentId),
        status,
        author_name: author.name,
        author_email: author.email,
        author_url: author.url,
        body_html: markdown::render(&body),
        body,
        created_at: now,
        edit_token_hash: hash_token(&edit_token),
        ip_hash: Some(client.ip_hash.clone()),
        author_key: client.author_hash.clone(),
        net_hash: Some(client.net_hash.clone()),
        reasons: reasons.clone(),
        close_before: close_before(Some(policy.close_after_days).filter(|d| *d > 0), now),
        account_id: reader.map(|a| a.id),
        author_badge: match reader {
            Some(account) => badge_for(state, &site, account).await?,
            None => None,
        },
    };
    let (comment, thread) = state.store.create_comment(new).await?;
    state.threads.invalidate(&ThreadRef {
        site: site.id,
        key: key.key,
    });
    if status == Status::Rejected {
        return Err(Error::CommentRejected(rejection_message(&reasons)).into());
    }
    state.metrics.comment_created();
    crate::live::comment_changed(state, None, &comment).await;
    let notify = match input.notify_replies {
        true => Some(
            crate::notify::subscribing::subscribe(
                state,
                &site,
                &thread,
                Some(comment.id),
                reader,
                client,
                comment.author_email.as_deref(),
            )
            .await?,
        ),
        false => None,
    };
    let created = crate::notify::Change::Created;
    crate::notify::comment_changed_in(state, created, &comment, &thread).await;
    let edit_until = comment.created_at + policy.edit_window_secs as i64 * 1000;
    Ok(Posted {
        comment,
        thread,
        edit_token,
        edit_until,
        notify,
    })
}

/// The badge a reader account's comments carry on this site: the role its publisher gave
/// (`staff`, `moderator`), or `moderator` when its confirmed address is that of a Rostra
/// moderator or admin of the site.
async fn badge_for(
    state: &AppState,
    site: &Site,
    account: &Account,
) -> Result<Option<String>, ApiError> {
    if let Some(role) = account
        .role
        .as_deref()
        .filter(|r| crate::accounts::sso::ROLES.contains(r))
    {
        return Ok(Some(role.to_string()));
    }
    let Some(email) = account.email.as_deref().filter(|_| account.is_verified()) else {
        return Ok(None);
    };
    let moderator = state.store.user_by_email(email).await?;
    Ok(moderator
        .filter(|u| u.may_moderate(site.id))
        .map(|_| "moderator".to_string()))
}

/// What the author is told when the checks refuse a comment: what to change, without scores.
fn rejection_message(reasons: &[Reason]) -> String {
    let words: Vec<&str> = reasons
        .iter()
        .filter(|r| r.verdict == Verdict::Reject && r.check == "banned_words")
        .flat_map(|r| r.spans.iter().map(|s| s.text.as_str()))
        .collect();
    if !words.is_empty() {
        return format!(
            "This site does not allow some of the words used ({}). Please rephrase.",
            words.join(", ")
        );
    }
    let attribute = reasons
        .iter()
        .filter(|r| r.verdict == Verdict::Reject)
        .filter_map(|r| Attribute::parse(&r.check).map(|a| (a, r.score.unwrap_or(0.0))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((attribute, _)) = attribute {
        return format!(
            "This comment reads as {}. Please rephrase it.",
            attribute.phrase()
        );
    }
    "This comment breaks the site's rules. Please rephrase it.".into()
}

/// A comment with its thread and site, after checking the browser's origin against the site.
pub(crate) struct Context {
    pub comment: Comment,
    pub thread: ThreadRef,
    pub site: Arc<Site>,
}

/// A comment and the thread it is in.
pub async fn comment_and_thread(
    state: &AppState,
    id: CommentId,
) -> Result<(Comment, rostra_core::Thread), ApiError> {
    let comment = state
        .store
        .comment(id)
        .await?
        .ok_or(Error::CommentNotFound)?;
    let thread = state
        .store
        .thread(comment.thread_id)
        .await?
        .ok_or(Error::ThreadNotFound)?;
    Ok((comment, thread))
}

pub(crate) async fn comment_context(
    state: &AppState,
    id: CommentId,
    client: &Client,
) -> Result<Context, ApiError> {
    let (comment, thread) = comment_and_thread(state, id).await?;
    let site = state.sites.by_id(thread.site_id).await?;
    check_origin(state, &site, client)?;
    Ok(Context {
        comment,
        thread: ThreadRef {
            site: thread.site_id,
            key: thread.key,
        },
        site,
    })
}

/// Checks the edit token and the edit window on top of `comment_context`.
async fn authorize(
    state: &AppState,
    id: CommentId,
    token: Option<&str>,
    client: &Client,
) -> Result<Context, ApiError> {
    let ctx = comment_context(state, id, client).await?;
    let comment = &ctx.comment;
    let token = token.ok_or(Error::MissingToken)?;
    let owns = comment
        .edit_token_hash
        .as_deref()
        .is_some_and(|h| constant_time_eq(h, &hash_token(token)));
    if !owns {
        return Err(Error::InvalidToken.into());
    }
    if comment.status == Status::Deleted {
        return Err(Error::CommentDeleted.into());
    }
    let window = state.policy(&ctx.site).await?.edit_window_secs as i64 * 1000;
    if now_ms() > comment.created_at + window {
        return Err(Error::EditWindowExpired.into());
    }
    Ok(ctx)
}

/// An edit goes through the checks again: what they would hold goes back to the queue, what
/// they would reject is refused and the old text stays.
pub async fn edit_comment(
    state: &Arc<AppState>,
    id: CommentId,
    token: Option<&str>,
    body: &str,
    client: &Client,
) -> Result<Comment, ApiError> {
    let ctx = authorize(state, id, token, client).await?;
    let body = validate::body(body, &state.limits)?;
    rate_limit(state, Action::Edit, client)?;
    let now = now_ms();
    let policy = state.policy(&ctx.site).await?;
    let subject = Subject {
        body: &body,
        name: ctx.comment.author_name.as_deref(),
        url: "",
        email: None,
        new: false,
    };
    let outcome = deciding::decide(state, &ctx.site, &policy, &subject, client, now).await?;
    let (status, reasons) = (outcome.status, outcome.reasons);
    if status == Status::Rejected {
        return Err(Error::CommentRejected(rejection_message(&reasons)).into());
    }
    let edit = CommentEdit {
        body_html: markdown::render(&body),
        body,
        edited_at: now,
    };
    let mut comment = state.store.edit_comment(id, edit).await?;
    if status == Status::Pending && comment.status == Status::Published {
        comment = moderating::hold_after_edit(state, &comment, reasons, now).await?;
    }
    state.threads.invalidate(&ctx.thread);
    crate::live::comment_changed(state, Some(&ctx.comment), &comment).await;
    crate::notify::comment_changed(state, crate::notify::Change::Edited, &comment).await;
    Ok(comment)
}

pub async fn delete_comment(
    state: &Arc<AppState>,
    id: CommentId,
    token: Option<&str>,
    client: &Client,
) -> Result<Comment, ApiError> {
    let ctx = authorize(state, id, token, client).await?;
    rate_limit(state, Action::Edit, client)?;
    let comment = state.store.delete_comment(id, now_ms()).await?;
    state.threads.invalidate(&ctx.thread);
    crate::live::comment_changed(state, Some(&ctx.comment), &comment).await;
    crate::notify::comment_changed(state, crate::notify::Change::Deleted, &comment).await;
    Ok(comment)
}
