//! The plain page's comment form: before posting, what the checks would hold (the text stays
//! in the box, with "Post anyway"); after posting, back to the comment, remembered in the
//! author's cookie (`own_comments`).

use super::own_comments::{remember, set_cookie};
use super::thread::{fragment, render, safe_return, with_csp, Draft, Fragment, ThreadParams};
use super::HtmlError;
use crate::client::Client;
use crate::comments::create::post_comment;
use crate::comments::draft::CommentInput;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rostra_core::moderation::Verdict;
use rostra_core::Error;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct FormInput {
    site: String,
    url: String,
    identifier: Option<String>,
    title: Option<String>,
    parent: Option<String>,
    author_name: Option<String>,
    author_email: Option<String>,
    author_url: Option<String>,
    body: String,
    return_to: Option<String>,
    /// The "notify me of replies" box (sent as `true` when ticked).
    #[serde(default)]
    notify_replies: bool,
    /// `1`: the author saw the nudge and posts anyway.
    confirm: Option<String>,
}

/// A plain form's fields, taken apart: the thread, the comment, and the draft to put back.
struct Parsed {
    params: ThreadParams,
    input: CommentInput,
    draft: Draft,
    confirmed: bool,
}

impl Parsed {
    fn from(f: FormInput) -> Result<Parsed, Error> {
        let parent = match f.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(p.parse::<i64>().map_err(|_| Error::ParentNotFound)?),
            None => None,
        };
        let identifier = f.identifier.filter(|i| !i.is_empty());
        Ok(Parsed {
            params: ThreadParams {
                site: f.site.clone(),
                url: f.url.clone(),
                identifier: identifier.clone(),
                reply: parent,
                ..Default::default()
            },
            draft: Draft {
                body: f.body.clone(),
                author_name: f.author_name.clone().unwrap_or_default(),
                author_email: f.author_email.clone().unwrap_or_default(),
                author_url: f.author_url.clone().unwrap_or_default(),
                notify: f.notify_replies,
            },
            input: CommentInput {
                site: f.site,
                url: f.url,
                identifier,
                title: f.title,
                parent,
                author_name: f.author_name,
                author_email: f.author_email,
                author_url: f.author_url,
                body: f.body,
                notify_replies: f.notify_replies,
            },
            confirmed: f.confirm.as_deref() == Some("1"),
        })
    }
}

/// The plain form's post. Unless confirmed, the draft is checked first: what would be held is
/// answered with the form again (text kept, the reason, "Post anyway"). A posted comment goes
/// back to the page at the comment (303), remembered in the author's cookie; a failure
/// answers the thread again with the reason above the form.
pub async fn post_form(
    State(state): State<Arc<AppState>>,
    client: Client,
    headers: HeaderMap,
    Form(f): Form<FormInput>,
) -> Result<Response, HtmlError> {
    let site = state.sites.get(&f.site).await?;
    let return_to = safe_return(&state, &site, f.return_to.as_deref());
    let Parsed {
        params,
        input,
        draft,
        confirmed,
    } = Parsed::from(f)?;
    if state.policy(&site).await?.nudge && !confirmed {
        match crate::checking::check_draft(&state, &input, &client, None).await {
            Ok(preview) if preview.verdict == Verdict::Hold => {
                let said = Ok(preview.message.unwrap_or_default());
                return again(
                    &state,
                    &site,
                    &params,
                    return_to,
                    draft,
                    said,
                    StatusCode::OK,
                )
                .await;
            }
            Ok(_) => {}
            Err(e) => {
                let (status, said) = (e.status(), Err(e.message()));
                return again(&state, &site, &params, return_to, draft, said, status).await;
            }
        }
    }
    match post_comment(&state, input, &client, None).await {
        Ok(posted) => {
            let id = posted.comment.id.0;
            let cookie = set_cookie(&state, &remember(&headers, id, &posted.edit_token));
            let target = format!("{return_to}#comment-{id}");
            let headers = [(header::LOCATION, target), (header::SET_COOKIE, cookie)];
            Ok((StatusCode::SEE_OTHER, headers).into_response())
        }
        Err(e) => {
            let (status, said) = (e.status(), Err(e.message()));
            again(&state, &site, &params, return_to, draft, said, status).await
        }
    }
}

/// The thread again with the form filled in: `Ok` a nudge, `Err` why it was not posted.
async fn again(
    state: &AppState,
    site: &rostra_core::Site,
    p: &ThreadParams,
    return_to: String,
    draft: Draft,
    said: Result<String, String>,
    status: StatusCode,
) -> Result<Response, HtmlError> {
    let (nudge, error) = match said {
        Ok(n) => (Some(n), None),
        Err(e) => (None, Some(e)),
    };
    let mut frag: Fragment = fragment(state, site, p, return_to, error).await?;
    frag.draft = draft;
    frag.nudge = nudge;
    Ok(with_csp(render(frag, &p.url, false, status), site))
}
