//! Whom a comment's author is on its site, the surest way first (account, verified address,
//! guest identity), and the author's drawer: their record, bans past and present, and notes.

use crate::cache::ThreadRef;
use crate::deciding::email_hash;
use crate::error::ApiError;
use crate::moderating::load_for;
use crate::state::AppState;
use rostra_core::desk::{AuthorMatch, AuthorNote, AuthorRecord};
use rostra_core::moderation::{Ban, BanKind};
use rostra_core::user::User;
use rostra_core::{Comment, CommentId, Error, SiteId};

/// How many of the author's comments the drawer lists.
pub const DRAWER_COMMENTS: u32 = 50;

/// An author as the site knows them.
#[derive(Debug, Clone)]
pub struct Author {
    pub matched: AuthorMatch,
    /// What their notes are filed under: `account:ID`, `email:HASH` or `guest:KEY`.
    pub subject: String,
    /// Whether the site knows an address of theirs was confirmed.
    pub verified_email: bool,
}

/// The author of a comment, or `None` when it carries no account and no identity token (a
/// guest without the widget, or an imported comment).
pub async fn of_comment(
    state: &AppState,
    c: &Comment,
    site: SiteId,
) -> Result<Option<Author>, Error> {
    if let Some(id) = c.account_id {
        let verified = state
            .store
            .account(id)
            .await?
            .is_some_and(|a| a.email_verified_at.is_some());
        return Ok(Some(Author {
            matched: AuthorMatch::Account(id),
            subject: format!("account:{}", id.0),
            verified_email: verified,
        }));
    }
    let Some(key) = &c.author_key else {
        return Ok(None);
    };
    Ok(Some(
        match state.store.verified_guest_email(site, key).await? {
            Some(email) => Author {
                subject: format!("email:{}", email_hash(state, &email)),
                matched: AuthorMatch::VerifiedEmail(email),
                verified_email: true,
            },
            None => Author {
                matched: AuthorMatch::Guest(key.clone()),
                subject: format!("guest:{key}"),
                verified_email: false,
            },
        },
    ))
}

/// The values a ban on this comment's author would be made of (identity and e-mail).
pub fn ban_values(state: &AppState, c: &Comment) -> Vec<(BanKind, String)> {
    let mut values = Vec::new();
    if let Some(key) = &c.author_key {
        values.push((BanKind::Identity, key.clone()));
    }
    if let Some(email) = &c.author_email {
        values.push((BanKind::Email, email_hash(state, email)));
    }
    values
}

/// Everything the drawer shows about the author of one comment.
pub struct Drawer {
    pub comment: Comment,
    pub thread: ThreadRef,
    pub author: Option<Author>,
    pub record: AuthorRecord,
    pub bans: Vec<Ban>,
    pub notes: Vec<AuthorNote>,
}

/// The drawer for the author of a comment this moderator may moderate.
pub async fn drawer(state: &AppState, user: &User, id: CommentId) -> Result<Drawer, ApiError> {
    let (comment, thread) = load_for(state, user, id).await?;
    let author = of_comment(state, &comment, thread.site).await?;
    let (record, notes) = match &author {
        Some(a) => (
            state
                .store
                .author_record(thread.site, &a.matched, DRAWER_COMMENTS)
                .await?,
            state.store.author_notes(thread.site, &a.subject).await?,
        ),
        None => (
            AuthorRecord {
                total: 1,
                comments: vec![comment.clone()],
                ..AuthorRecord::default()
            },
            Vec::new(),
        ),
    };
    let bans = state
        .store
        .bans_matching(thread.site, &ban_values(state, &comment))
        .await?;
    Ok(Drawer {
        comment,
        thread,
        author,
        record,
        bans,
        notes,
    })
}
