//! Flattening a reply tree into rows for the plain HTML page, with their links.

use crate::api::views::ANONYMOUS;
use crate::text::utc;
use rostra_core::comment::Status;
use rostra_core::tree::{encode_cursor, Node};

/// Deepest indentation; deeper replies say whom they answer instead.
const MAX_INDENT_DEPTH: usize = 4;

pub struct Row {
    pub id: i64,
    pub indent: usize,
    pub deleted: bool,
    pub author: String,
    pub author_url: Option<String>,
    /// `staff` or `moderator`.
    pub badge: Option<String>,
    pub in_reply_to: Option<String>,
    pub when: String,
    pub datetime: String,
    pub edited: bool,
    pub score: i64,
    pub body_html: String,
    pub reply_href: String,
    pub report_href: String,
    pub more_href: Option<String>,
    /// An editors' pick.
    pub featured: bool,
    /// Pinned to the top of the thread by staff.
    pub pinned: bool,
}

/// Builds the links of a thread page from its base query string.
pub struct Links {
    pub base: String,
}

impl Links {
    pub fn with(&self, extra: &[(&str, String)]) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in extra {
            s.append_pair(k, v);
        }
        format!("{}&{}", self.base, s.finish())
    }
}

pub fn flatten(nodes: &[Node], links: &Links) -> Vec<Row> {
    let mut rows = Vec::new();
    push(nodes, 0, None, links, &mut rows);
    rows
}

fn push(nodes: &[Node], depth: usize, parent: Option<&str>, links: &Links, rows: &mut Vec<Row>) {
    for n in nodes {
        let c = &n.comment;
        let deleted = c.status == Status::Deleted;
        let author = c.author_name.clone().unwrap_or_else(|| ANONYMOUS.into());
        let (when, datetime) = utc(c.created_at);
        rows.push(Row {
            id: c.id.0,
            indent: depth.min(MAX_INDENT_DEPTH) * 2,
            deleted,
            author_url: c.author_url.clone().filter(|_| !deleted),
            badge: c.author_badge.clone().filter(|_| !deleted),
            in_reply_to: parent.map(str::to_string),
            when,
            datetime,
            edited: c.edited_at.is_some() && !deleted,
            score: c.score(),
            body_html: c.body_html.clone(),
            reply_href: format!("{}#rostra-form", links.with(&[("reply", c.id.to_string())])),
            report_href: format!(
                "{}#rostra-report",
                links.with(&[("report", c.id.to_string())])
            ),
            more_href: n
                .more_replies
                .map(|o| links.with(&[("under", c.id.to_string()), ("cursor", encode_cursor(o))])),
            author: if deleted { "deleted".into() } else { author },
            featured: c.featured_at.is_some() && !deleted,
            pinned: false,
        });
        let name = rows.last().map(|r| r.author.clone()).unwrap_or_default();
        push(&n.replies, depth + 1, Some(&name), links, rows);
    }
}
