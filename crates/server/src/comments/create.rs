//! Posting a comment, as a guest or as a signed-in reader whose account name it shows: validate,
//! gather the facts, decide, store, announce.

use super::draft::{validated, CommentInput, Draft};
use super::rejection_message;
use crate::accounts::sso::ROLES;
use crate::cache::ThreadRef;
use crate::client::{rate_limit, Client};
use crate::deciding::{self, Subject};
use crate::error::ApiError;
use crate::notify::subscribing::{self, Outcome as Subscribed};
use crate::notify::Change;
use crate::ratelimit::Action;
use crate::state::{now_ms, AppState};
use rostra_core::account::Account;
use rostra_core::comment::Status;
use rostra_core::moderation::SitePolicy;
use rostra_core::privacy::{hash_token, hash_with_salt, random_token};
use rostra_core::thread::close_before;
use rostra_core::{markdown, Comment, CommentId, Error, NewComment, Site, Thread};
use rostra_moderation::decision::Outcome;
use std::sync::Arc;

pub struct Posted {
    pub comment: Comment,
    pub thread: Thread,
    pub edit_token: String,
    pub edit_until: i64,
    /// What became of `notify_replies` (`None`: not asked for).
    pub notify: Option<Subscribed>,
}

/// What posting looks up before deciding: the site's policy, at one moment.
struct Facts {
    policy: SitePolicy,
    now: i64,
}

/// Who posts: the client, and the reader account with the badge it carries on the site.
struct Poster<'a> {
    client: &'a Client,
    reader: Option<&'a Account>,
    badge: Option<String>,
}

/// Posts a comment, as a guest or (with `reader`) as a signed-in reader, whose account name
/// the comment shows.
pub async fn post_comment(
    state: &Arc<AppState>,
    mut input: CommentInput,
    client: &Client,
    reader: Option<&Account>,
) -> Result<Posted, ApiError> {
    let reader_client = reader.map(|account| as_reader(state, &mut input, client, account));
    let client = reader_client.as_ref().unwrap_or(client);
    let draft = validated(state, &input, client).await?;
    rate_limit(state, Action::Comment, client)?;
    let facts = Facts {
        policy: state.policy(&draft.site).await?,
        now: now_ms(),
    };
    let decided = decide(state, &draft, &facts, client).await?;
    if decided.banned() {
        return Err(Error::Banned.into());
    }
    let badge = match reader {
        Some(account) => badge_for(state, &draft.site, account).await?,
        None => None,
    };
    let poster = Poster {
        client,
        reader,
        badge,
    };
    let site = draft.site.clone();
    let thread_ref = ThreadRef {
        site: site.id,
        key: draft.key.key.clone(),
    };
    let edit_token = random_token();
    let new = new_comment(draft, input.parent, &facts, &decided, &poster, &edit_token);
    let (comment, thread) = state.store.create_comment(new).await?;
    state.threads.invalidate(&thread_ref);
    if decided.status == Status::Rejected {
        return Err(Error::CommentRejected(rejection_message(&decided.reasons)).into());
    }
    let notify = announce(
        state,
        &site,
        &thread,
        &comment,
        input.notify_replies,
        &poster,
    )
    .await?;
    let edit_until = comment.created_at + facts.policy.edit_window_secs as i64 * 1000;
    Ok(Posted {
        comment,
        thread,
        edit_token,
        edit_until,
        notify,
    })
}

/// A signed-in reader posts under the account's name and address, with the account as the
/// commenter's identity.
fn as_reader(
    state: &AppState,
    input: &mut CommentInput,
    client: &Client,
    account: &Account,
) -> Client {
    input.author_name = Some(account.display_name.clone());
    input.author_email = account.email.clone();
    let mut client = client.clone();
    client.author_hash = Some(account_author_key(state, account));
    client.verified_account = account.is_verified();
    client
}

/// The identity hash of a reader account: its comments are one commenter's, for history, trust
/// and bans, wherever the reader signs in from.
pub fn account_author_key(state: &AppState, account: &Account) -> String {
    hash_with_salt(&state.ip_salt, &format!("account:{}", account.id.0))
}

async fn decide(
    state: &AppState,
    draft: &Draft,
    facts: &Facts,
    client: &Client,
) -> Result<Outcome, ApiError> {
    let subject = Subject {
        body: &draft.body,
        name: draft.author.name.as_deref(),
        url: &draft.key.url,
        email: draft.author.email.as_deref(),
        new: true,
    };
    deciding::decide(
        state,
        &draft.site,
        &facts.policy,
        &subject,
        client,
        facts.now,
    )
    .await
}

/// The comment to store, with the decision's status and reasons.
fn new_comment(
    draft: Draft,
    parent: Option<i64>,
    facts: &Facts,
    decided: &Outcome,
    poster: &Poster<'_>,
    edit_token: &str,
) -> NewComment {
    let Draft {
        site,
        key,
        body,
        author,
        title,
    } = draft;
    let close_after_days = Some(facts.policy.close_after_days).filter(|d| *d > 0);
    NewComment {
        site_id: site.id,
        thread_key: key.key,
        page_url: key.url,
        page_title: title,
        parent_id: parent.map(CommentId),
        status: decided.status,
        author_name: author.name,
        author_email: author.email,
        author_url: author.url,
        body_html: markdown::render(&body),
        body,
        created_at: facts.now,
        edit_token_hash: hash_token(edit_token),
        ip_hash: Some(poster.client.ip_hash.clone()),
        author_key: poster.client.author_hash.clone(),
        net_hash: Some(poster.client.net_hash.clone()),
        reasons: decided.reasons.clone(),
        close_before: close_before(close_after_days, facts.now),
        account_id: poster.reader.map(|a| a.id),
        author_badge: poster.badge.clone(),
    }
}

/// Tells live readers and the notifications, and subscribes the author to replies when asked.
async fn announce(
    state: &AppState,
    site: &Site,
    thread: &Thread,
    comment: &Comment,
    notify_replies: bool,
    poster: &Poster<'_>,
) -> Result<Option<Subscribed>, ApiError> {
    state.metrics.comment_created();
    crate::live::comment_changed(state, None, comment).await;
    let subscribed = match notify_replies {
        true => Some(
            subscribing::subscribe(
                state,
                site,
                thread,
                Some(comment.id),
                poster.reader,
                poster.client,
                comment.author_email.as_deref(),
            )
            .await?,
        ),
        false => None,
    };
    crate::notify::comment_changed_in(state, Change::Created, comment, thread).await;
    Ok(subscribed)
}

/// The badge a reader account's comments carry on this site: the role its publisher gave
/// (`staff`, `moderator`), or `moderator` when its confirmed address is that of a Rostra
/// moderator or admin of the site.
async fn badge_for(
    state: &AppState,
    site: &Site,
    account: &Account,
) -> Result<Option<String>, ApiError> {
    if let Some(role) = account.role.as_deref().filter(|r| ROLES.contains(r)) {
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
