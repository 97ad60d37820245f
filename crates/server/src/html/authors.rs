//! What the plain page tells authors: before posting, what the checks would hold (the text
//! stays in the box, with "Post anyway"); after posting, their own comments' status and
//! reasons, found through a cookie that holds each comment's edit token (HttpOnly, on
//! `/thread` only).

use super::thread::{fragment, render, safe_return, with_csp, Fragment, ThreadParams};
use super::HtmlError;
use crate::api::authors::is_author;
use crate::client::Client;
use crate::posting::{self, CommentInput};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use rostra_core::comment::Status;
use rostra_core::moderation::Verdict;
use rostra_core::{CommentId, Error};
use serde::Deserialize;
use std::sync::Arc;

/// The cookie naming the author's recent comments, as `id.token` pairs joined by `~`.
const COOKIE: &str = "rostra_own";
/// Comments the cookie remembers (the newest), and for how long.
const KEEP: usize = 10;
const MAX_AGE_SECS: i64 = 30 * 86_400;

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

/// What the author typed, put back in the form when it is answered again.
#[derive(Default)]
pub struct Draft {
    pub body: String,
    pub author_name: String,
    pub author_email: String,
    pub author_url: String,
    pub notify: bool,
}

/// One of the author's own comments on this thread, with what became of it.
pub struct OwnNote {
    pub id: i64,
    pub status: &'static str,
    pub summary: String,
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
    match posting::post_comment(&state, input, &client, None).await {
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

/// The `id.token` pairs of the cookie, newest first.
fn own_pairs(headers: &HeaderMap) -> Vec<(i64, String)> {
    let raw = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map_or("", |(_, v)| v);
    raw.split('~')
        .filter_map(|pair| pair.split_once('.'))
        .filter_map(|(id, t)| Some((id.parse().ok()?, t.to_string())))
        .filter(|(_, t)| {
            !t.is_empty()
                && t.len() <= 128
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .take(KEEP)
        .collect()
}

/// The cookie's value with this comment added in front.
fn remember(headers: &HeaderMap, id: i64, token: &str) -> String {
    let mut pairs = own_pairs(headers);
    pairs.retain(|(other, _)| *other != id);
    pairs.insert(0, (id, token.to_string()));
    pairs.truncate(KEEP);
    let joined: Vec<String> = pairs.iter().map(|(i, t)| format!("{i}.{t}")).collect();
    joined.join("~")
}

fn set_cookie(state: &AppState, value: &str) -> String {
    let secure = match state.public_origin.starts_with("https://") {
        true => "; Secure",
        false => "",
    };
    format!(
        "{COOKIE}={value}; Path=/thread; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECS}{secure}"
    )
}

/// The author's own comments in this thread that are not simply published, each with the
/// statement of reasons in one sentence.
pub async fn own_notes(
    state: &AppState,
    headers: &HeaderMap,
    thread_id: Option<i64>,
) -> Result<Vec<OwnNote>, Error> {
    let Some(thread_id) = thread_id else {
        return Ok(Vec::new());
    };
    let mut notes = Vec::new();
    for (id, token) in own_pairs(headers) {
        let Some(c) = state.store.comment(CommentId(id)).await? else {
            continue;
        };
        if c.thread_id.0 != thread_id
            || c.status == Status::Published
            || !is_author(&c, Some(&token), None)
        {
            continue;
        }
        let statement = crate::statement::for_comment(state, &c).await?;
        if let Some(summary) = statement.summary {
            notes.push(OwnNote {
                id,
                status: statement.status,
                summary,
            });
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_keeps_the_newest_comments_and_drops_junk() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=b; rostra_own=3.tok3~x.y~2.bad!~1.tok1".parse().unwrap(),
        );
        assert_eq!(
            own_pairs(&headers),
            vec![(3, "tok3".into()), (1, "tok1".into())]
        );
        assert_eq!(remember(&headers, 1, "new"), "1.new~3.tok3");
    }
}
