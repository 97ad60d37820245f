//! A comment as a commenter sends it, and the validation that posting and the pre-posting
//! check share.

use crate::client::{check_origin, Client};
use crate::error::ApiError;
use crate::state::AppState;
use rostra_core::validate::{self, AuthorInput};
use rostra_core::{Site, ThreadKey};
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

/// A comment as sent, checked against its site and the limits.
pub(crate) struct Draft {
    pub site: Arc<Site>,
    pub key: ThreadKey,
    pub body: String,
    pub author: validate::Author,
    pub title: Option<String>,
}

/// The site, the browser's origin, the thread's page, the body, the author's fields and the
/// title, with the same error codes for posting and for the pre-posting check.
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
