//! What a moderator sees of a comment: its text with the words that raised a check marked, the
//! reasons, the reports, the comment it answers and the author's history.

use super::session::Moderator;
use crate::state::{now_ms, AppState};
use crate::text::{escape, utc};
use rostra_core::attributes::Attribute;
use rostra_core::moderation::{Reason, Report, Span};
use rostra_core::{Comment, Error, Result, SiteId};

/// Links and scripts every admin page needs.
pub struct Nav {
    pub email: String,
    pub is_admin: bool,
    pub csrf: String,
    pub script: String,
}

impl Nav {
    pub fn new(state: &AppState, m: &Moderator) -> Nav {
        Nav {
            email: m.user.email.clone(),
            is_admin: m.user.is_admin(),
            csrf: m.csrf.clone(),
            script: state.assets.admin_js.path.clone(),
        }
    }
}

pub struct ReasonView {
    pub verdict: &'static str,
    pub check: String,
    pub detail: String,
    pub score: Option<String>,
    /// For an attribute of the model: "threat 0.93", shown with the words that raised it.
    pub attribute: Option<String>,
    /// The stretches of the body the reason points at (attribute reasons only).
    pub words: Vec<String>,
}

impl ReasonView {
    /// A stored reason as the queue shows it; `body` is the text its spans point into.
    pub fn new(r: &Reason, body: &str) -> ReasonView {
        let score = r.score.map(|s| format!("{s:.2}"));
        let attribute =
            Attribute::parse(&r.check).map(|a| format!("{a} {}", score.as_deref().unwrap_or("?")));
        let mut words: Vec<String> = Vec::new();
        if attribute.is_some() {
            for s in &r.spans {
                if let Some(w) = body.get(s.start..s.end).filter(|w| !w.trim().is_empty()) {
                    if !words.iter().any(|seen| seen == w) {
                        words.push(w.to_string());
                    }
                }
            }
        }
        // The attribute check's detail starts with what `attribute` already says.
        let detail = match &attribute {
            Some(label) => r.detail.strip_prefix(label.as_str()).unwrap_or(&r.detail),
            None => &r.detail,
        };
        ReasonView {
            verdict: r.verdict.as_str(),
            check: r.check.clone(),
            detail: detail.trim().to_string(),
            score,
            attribute,
            words,
        }
    }
}

pub struct ItemView {
    pub id: i64,
    pub author: String,
    pub email: Option<String>,
    pub status: &'static str,
    pub when: String,
    pub site: String,
    pub link: String,
    pub thread_title: String,
    pub reports: i64,
    pub parent: Option<String>,
    pub body_marked: String,
    pub reasons: Vec<ReasonView>,
    pub report_lines: Vec<String>,
    pub history: String,
    pub featured: bool,
    /// Pinned to the top of its thread.
    pub pinned: bool,
    pub published: bool,
}

/// The source text, escaped, with every span that lies inside it wrapped in `<mark>`.
pub fn mark(text: &str, spans: &[&Span]) -> String {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .filter(|s| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .map(|s| (s.start, s.end))
        .collect();
    spans.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            continue;
        }
        out.push_str(&escape(&text[at..start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[start..end]));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn excerpt(s: &str, max: usize) -> String {
    let mut e: String = s.chars().take(max).collect();
    if s.chars().count() > max {
        e.push('…');
    }
    e
}

pub async fn item(state: &AppState, c: &Comment) -> Result<ItemView> {
    let thread = state
        .store
        .thread(c.thread_id)
        .await?
        .ok_or(Error::ThreadNotFound)?;
    let site = state.sites.by_id(thread.site_id).await?;
    let parent = parent_line(state, c).await?;
    let reports = state.store.reports(c.id).await?;
    let history = history_line(state, c, site.id).await?;
    let spans: Vec<&Span> = c.reasons.iter().flat_map(|r| r.spans.iter()).collect();
    Ok(ItemView {
        id: c.id.0,
        author: c.author_name.clone().unwrap_or_else(|| "Anonymous".into()),
        email: c.author_email.clone(),
        status: c.status.as_str(),
        when: utc(c.created_at).0,
        site: site.key.clone(),
        link: format!("{}#comment-{}", thread.url, c.id.0),
        thread_title: thread.title.clone().unwrap_or_else(|| thread.url.clone()),
        reports: c.report_count,
        parent,
        body_marked: mark(&c.body, &spans),
        reasons: c
            .reasons
            .iter()
            .map(|r| ReasonView::new(r, &c.body))
            .collect(),
        report_lines: reports.iter().map(report_line).collect(),
        history,
        featured: c.featured_at.is_some(),
        pinned: thread.pinned_comment_id == Some(c.id),
        published: c.status == rostra_core::Status::Published,
    })
}

/// Whom the comment answers, with an excerpt of what they said.
async fn parent_line(state: &AppState, c: &Comment) -> Result<Option<String>> {
    let Some(p) = c.parent_id else {
        return Ok(None);
    };
    Ok(state.store.comment(p).await?.map(|p| {
        format!(
            "{}: {}",
            p.author_name.as_deref().unwrap_or("Anonymous"),
            excerpt(&p.body, 160)
        )
    }))
}

/// The commenter's standing on the site, in one line.
async fn history_line(state: &AppState, c: &Comment, site: SiteId) -> Result<String> {
    let Some(key) = &c.author_key else {
        return Ok("no identity token (a guest without the widget)".into());
    };
    let h = state.store.author_history(site, key, now_ms()).await?;
    let first = h.first_seen.map(|t| utc(t).0).unwrap_or_default();
    let bans = if h.bans.is_empty() {
        "no bans".to_string()
    } else {
        format!("{} active bans", h.bans.len())
    };
    let who = if c.account_id.is_some() {
        "reader account"
    } else if state.store.is_verified_guest(site, key).await? {
        "verified pseudonym (confirmed e-mail)"
    } else {
        "guest"
    };
    Ok(format!(
        "{who}: {} comments ({} published, {} pending, {} rejected), first seen {first}, {bans}",
        h.comments, h.published, h.pending, h.rejected
    ))
}

fn report_line(r: &Report) -> String {
    format!(
        "{} · {}{}",
        utc(r.created_at).0,
        r.reason.as_str(),
        r.note
            .as_ref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_spans_and_escapes_everything() {
        let s = Span {
            text: "bad".into(),
            start: 4,
            end: 7,
            weight: None,
        };
        assert_eq!(
            mark("<b> bad & good", &[&s]),
            "&lt;b&gt; <mark>bad</mark> &amp; good"
        );
        let outside = Span {
            text: "x".into(),
            start: 40,
            end: 41,
            weight: None,
        };
        assert_eq!(mark("short", &[&outside]), "short");
    }
}
