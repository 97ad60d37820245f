//! The author's own recent comments on the plain page, found through a cookie that holds each
//! comment's edit token (HttpOnly, on `/thread` only), and the notes on what became of them.

use crate::api::authors::is_author;
use crate::state::AppState;
use axum::http::{header, HeaderMap};
use rostra_core::comment::Status;
use rostra_core::{CommentId, Error};

/// The cookie naming the author's recent comments, as `id.token` pairs joined by `~`.
const COOKIE: &str = "rostra_own";
/// Comments the cookie remembers (the newest), and for how long.
const KEEP: usize = 10;
const MAX_AGE_SECS: i64 = 30 * 86_400;

/// One of the author's own comments on this thread, with what became of it.
pub struct OwnNote {
    pub id: i64,
    pub status: &'static str,
    pub summary: String,
}

/// The `id.token` pairs of the cookie, newest first.
pub(super) fn own_pairs(headers: &HeaderMap) -> Vec<(i64, String)> {
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
pub(super) fn remember(headers: &HeaderMap, id: i64, token: &str) -> String {
    let mut pairs = own_pairs(headers);
    pairs.retain(|(other, _)| *other != id);
    pairs.insert(0, (id, token.to_string()));
    pairs.truncate(KEEP);
    let joined: Vec<String> = pairs.iter().map(|(i, t)| format!("{i}.{t}")).collect();
    joined.join("~")
}

pub(super) fn set_cookie(state: &AppState, value: &str) -> String {
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
