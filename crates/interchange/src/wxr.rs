//! WordPress WXR exports (1.0 to 1.2, also what wpDiscuz sites export): each `<item>` is a post
//! whose `<wp:comment>` children are its comments, threaded by `wp:comment_parent`.

use crate::xml::{Item, Node, Walker};
use crate::ThreadRecord;
use crate::{dates, non_blank, Body, CommentRecord, Emit, Input, ReadError, Record, Skipped};
use rostra_core::Status;

/// The fields of the post being read, up to its first comment.
#[derive(Default)]
struct Post {
    id: Option<String>,
    link: Option<String>,
    title: Option<String>,
    created_at: Option<i64>,
    closed: bool,
    /// Whether its thread record was emitted (at the first comment).
    emitted: bool,
    line: u64,
}

/// Reads a WXR file. Posts without comments make no thread; pingbacks and trackbacks are
/// skipped (they are not comments); `comment_approved` maps 1 → published, 0 → pending,
/// spam → rejected, trash → deleted.
pub fn read(input: &mut dyn Input, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let mut walker = Walker::new(input);
    let mut post: Option<Post> = None;
    let capture = |path: &[String], _name: &str| path.len() == 3 && path[2] == "item";
    loop {
        match walker.next(&capture)? {
            Item::Open { name, depth: 1 } if name != "rss" => {
                return Err(ReadError::malformed(
                    format!("line {}", walker.line()),
                    format!("the root element is <{name}>, not <rss>"),
                ))
            }
            Item::Open { name, depth: 3 } if name == "item" => {
                post = Some(Post {
                    line: walker.line(),
                    ..Post::default()
                })
            }
            Item::Close { name, depth: 3 } if name == "item" => post = None,
            Item::Element(node) => {
                if let Some(p) = post.as_mut() {
                    field(p, &node, emit)?;
                }
            }
            Item::End => return Ok(()),
            _ => {}
        }
    }
}

fn field(post: &mut Post, node: &Node, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let text = || non_blank(Some(node.text.as_str()));
    match node.name.as_str() {
        "post_id" => post.id = text(),
        "link" => post.link = text(),
        "title" => post.title = text(),
        "post_date_gmt" => post.created_at = text().and_then(|d| dates::parse(&d)),
        "comment_status" => post.closed = text().as_deref() == Some("closed"),
        "comment" => comment(post, node, emit)?,
        _ => {}
    }
    Ok(())
}

fn comment(post: &mut Post, node: &Node, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    let at = format!("line {}", node.line);
    let id = node
        .text_of("comment_id")
        .ok_or_else(|| ReadError::malformed(&at, "<wp:comment> without <wp:comment_id>"))?;
    let item = format!("comment {id} ({at})");
    let skip = |reason: String| {
        Record::Skipped(Skipped {
            item: item.clone(),
            reason,
        })
    };
    // Posts are keyed by wp:post_id, or by their link when an export leaves the id out.
    let Some(link) = post.link.clone() else {
        let reason = format!("its post (line {}) has no <link>", post.line);
        return emit(skip(reason));
    };
    let post_id = post.id.clone().unwrap_or_else(|| link.clone());
    if let Some(kind @ ("pingback" | "trackback")) = node.text_of("comment_type").as_deref() {
        return emit(skip(format!("a {kind}, not a comment")));
    }
    let created_at = ["comment_date_gmt", "comment_date"]
        .iter()
        .find_map(|f| node.text_of(f).and_then(|d| dates::parse(&d)));
    let Some(created_at) = created_at else {
        return emit(skip("it has no valid comment_date".into()));
    };
    let status = match node.text_of("comment_approved").as_deref() {
        Some("1") | Some("approve") => Status::Published,
        Some("spam") => Status::Rejected,
        Some("trash") | Some("post-trashed") => Status::Deleted,
        _ => Status::Pending,
    };
    if !post.emitted {
        post.emitted = true;
        emit(Record::Thread(ThreadRecord {
            source_id: post_id.clone(),
            url: link,
            identifier: None,
            title: post.title.clone(),
            created_at: post.created_at,
            closed: post.closed,
        }))?;
    }
    let parent = node.text_of("comment_parent").filter(|p| p != "0");
    let (upvotes, downvotes) = wpdiscuz_votes(node);
    emit(Record::Comment(Box::new(CommentRecord {
        source_id: id,
        thread_source_id: post_id,
        parent_source_id: parent,
        author_name: node.text_of("comment_author"),
        author_email: node.text_of("comment_author_email"),
        author_url: node.text_of("comment_author_url"),
        body: Body::Html(autop(
            node.raw_text_of("comment_content").unwrap_or_default(),
        )),
        created_at,
        edited_at: None,
        status,
        upvotes,
        downvotes,
        revisions: Vec::new(),
        votes: Vec::new(),
    })))
}

/// wpDiscuz's votes on a comment, from the comment's meta: likes and dislikes
/// (`wpdiscuz_votes_seperate`, PHP-serialized as `a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}`),
/// else the net count (`wpdiscuz_votes`) as up or down votes. None without wpDiscuz.
fn wpdiscuz_votes(node: &Node) -> (i64, i64) {
    let meta = |key: &str| {
        node.children
            .iter()
            .filter(|c| c.name == "commentmeta")
            .find(|m| m.text_of("meta_key").as_deref() == Some(key))
            .and_then(|m| m.text_of("meta_value"))
    };
    if let Some(separate) = meta("wpdiscuz_votes_seperate") {
        let count = |key: &str| serialized_int(&separate, key);
        if let (Some(likes), Some(dislikes)) = (count("like"), count("dislike")) {
            return (likes.max(0), dislikes.max(0));
        }
    }
    match meta("wpdiscuz_votes").and_then(|v| v.parse::<i64>().ok()) {
        Some(net) if net > 0 => (net, 0),
        Some(net) => (0, net.saturating_neg()),
        None => (0, 0),
    }
}

/// The integer under a string key of a PHP-serialized array (`s:4:"like";i:3;`).
fn serialized_int(serialized: &str, key: &str) -> Option<i64> {
    let pattern = format!("s:{}:\"{key}\";i:", key.len());
    let rest = &serialized[serialized.find(&pattern)? + pattern.len()..];
    rest[..rest.find(';')?].parse().ok()
}

/// WordPress stores comment text with bare line breaks and adds paragraphs when it shows them
/// (`wpautop`); this does the same in small: blank lines end paragraphs, single ones break lines.
fn autop(text: &str) -> String {
    let text = text.trim().replace("\r\n", "\n");
    if text.contains("<p>") || text.contains("<p ") {
        return text;
    }
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>\n")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn wpdiscuz_votes_come_from_the_separate_counts_else_the_net() {
        let separate = r#"a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}"#;
        assert_eq!(super::serialized_int(separate, "like"), Some(3));
        assert_eq!(super::serialized_int(separate, "dislike"), Some(1));
        assert_eq!(super::serialized_int(separate, "other"), None);
        let file = r#"<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><link>https://x.example/p</link><wp:post_id>1</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_date_gmt>2024-01-01 00:00:00</wp:comment_date_gmt>
<wp:comment_approved>1</wp:comment_approved>
<wp:commentmeta><wp:meta_key>wpdiscuz_votes</wp:meta_key><wp:meta_value><![CDATA[2]]></wp:meta_value></wp:commentmeta>
<wp:commentmeta><wp:meta_key>wpdiscuz_votes_seperate</wp:meta_key><wp:meta_value><![CDATA[a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}]]></wp:meta_value></wp:commentmeta>
</wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_date_gmt>2024-01-01 00:00:00</wp:comment_date_gmt>
<wp:commentmeta><wp:meta_key>wpdiscuz_votes</wp:meta_key><wp:meta_value>-2</wp:meta_value></wp:commentmeta>
</wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_date_gmt>2024-01-01 00:00:00</wp:comment_date_gmt></wp:comment>
</item></channel></rss>"#;
        let mut votes = Vec::new();
        let mut input = std::io::Cursor::new(file.as_bytes());
        super::read(&mut input, &mut |r| {
            if let crate::Record::Comment(c) = r {
                votes.push((c.source_id.clone(), c.upvotes, c.downvotes));
            }
            Ok(())
        })
        .unwrap();
        let expected = [("1", 3, 1), ("2", 0, 2), ("3", 0, 0)];
        let expected: Vec<_> = expected.map(|(i, u, d)| (i.to_string(), u, d)).into();
        assert_eq!(votes, expected);
    }

    #[test]
    fn autop_makes_paragraphs_and_breaks() {
        assert_eq!(super::autop("a\nb\n\nc"), "<p>a<br>\nb</p>\n<p>c</p>");
        assert_eq!(super::autop("<p>x</p>"), "<p>x</p>");
    }
}
