//! Writing WordPress WXR 1.2: one `<item>` per thread with its comments as `<wp:comment>`, for
//! moving to WordPress or any tool that reads WXR.

use crate::{dates, Body, CommentRecord, Record, ThreadRecord};
use rostra_core::Status;
use std::io::Write;

/// Writes WXR as records come: a thread opens an item, its comments follow.
pub struct Writer<W: Write> {
    out: W,
    in_item: bool,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W, site_name: &str) -> std::io::Result<Writer<W>> {
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n\
             <title>{}</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n\
             <generator>rostra</generator>\n",
            escape(site_name)
        )?;
        Ok(Writer {
            out,
            in_item: false,
        })
    }

    pub fn write(&mut self, record: &Record) -> std::io::Result<()> {
        match record {
            Record::Thread(t) => self.thread(t),
            Record::Comment(c) => self.comment(c),
            Record::Skipped(_) => Ok(()),
        }
    }

    fn thread(&mut self, t: &ThreadRecord) -> std::io::Result<()> {
        self.close_item()?;
        let date = dates::format_wordpress(t.created_at.unwrap_or(0));
        write!(
            self.out,
            "<item>\n<title>{}</title>\n<link>{}</link>\n<wp:post_id>{}</wp:post_id>\n\
             <wp:post_date>{date}</wp:post_date>\n<wp:post_date_gmt>{date}</wp:post_date_gmt>\n\
             <wp:comment_status>{}</wp:comment_status>\n<wp:status>publish</wp:status>\n\
             <wp:post_type>post</wp:post_type>\n",
            escape(t.title.as_deref().unwrap_or("")),
            escape(&t.url),
            escape(&t.source_id),
            if t.closed { "closed" } else { "open" },
        )?;
        self.in_item = true;
        Ok(())
    }

    fn comment(&mut self, c: &CommentRecord) -> std::io::Result<()> {
        let html = match &c.body {
            Body::Both { html, .. } | Body::Prepared { html, .. } | Body::Html(html) => {
                html.clone()
            }
            Body::Markdown(m) => rostra_core::markdown::render(m),
        };
        let approved = match c.status {
            Status::Published => "1",
            Status::Pending => "0",
            Status::Rejected => "spam",
            Status::Deleted => "trash",
        };
        let date = dates::format_wordpress(c.created_at);
        write!(
            self.out,
            "<wp:comment>\n<wp:comment_id>{}</wp:comment_id>\n\
             <wp:comment_author>{}</wp:comment_author>\n\
             <wp:comment_author_email>{}</wp:comment_author_email>\n\
             <wp:comment_author_url>{}</wp:comment_author_url>\n\
             <wp:comment_date>{date}</wp:comment_date>\n\
             <wp:comment_date_gmt>{date}</wp:comment_date_gmt>\n\
             <wp:comment_content>{}</wp:comment_content>\n\
             <wp:comment_approved>{approved}</wp:comment_approved>\n\
             <wp:comment_type>comment</wp:comment_type>\n\
             <wp:comment_parent>{}</wp:comment_parent>\n</wp:comment>\n",
            escape(&c.source_id),
            cdata(c.author_name.as_deref().unwrap_or("")),
            escape(c.author_email.as_deref().unwrap_or("")),
            escape(c.author_url.as_deref().unwrap_or("")),
            cdata(&html),
            escape(c.parent_source_id.as_deref().unwrap_or("0")),
        )
    }

    fn close_item(&mut self) -> std::io::Result<()> {
        if self.in_item {
            self.out.write_all(b"</item>\n")?;
            self.in_item = false;
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.close_item()?;
        self.out.write_all(b"</channel>\n</rss>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Text in a CDATA section; a `]]>` inside is split across two sections.
fn cdata(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}
