//! Comment bodies: a Markdown subset rendered to HTML, then sanitized against an allow-list.
//!
//! Two layers on purpose: raw HTML in the source is turned into text before rendering, and the
//! rendered HTML still goes through ammonia, so a bug in either layer alone cannot let script in.

use ammonia::Builder;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;

const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "em",
    "strong",
    "del",
    "a",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
];

fn sanitizer() -> &'static Builder<'static> {
    static SANITIZER: OnceLock<Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = Builder::empty();
        b.tags(ALLOWED_TAGS.iter().copied().collect())
            .tag_attributes(
                [
                    ("a", ["href"].into_iter().collect()),
                    ("ol", ["start"].into_iter().collect()),
                ]
                .into_iter()
                .collect(),
            )
            .url_schemes(
                ["http", "https", "mailto"]
                    .into_iter()
                    .collect::<HashSet<_>>(),
            )
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("nofollow ugc noopener"))
            .strip_comments(true);
        b
    })
}

/// Renders a comment's Markdown source to sanitized HTML.
pub fn render(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(source, options).map(simplify);
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitizer().clean(&html).to_string()
}

/// Sanitizes HTML written elsewhere (an imported comment) by the same allow-list and link rules
/// as rendered Markdown.
pub fn sanitize_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// The plain text of an HTML fragment, kept as an imported comment's editable source: line breaks
/// and paragraph ends become newlines, tags go, entities are decoded.
pub fn html_to_text(html: &str) -> String {
    static TEXT_ONLY: OnceLock<Builder<'static>> = OnceLock::new();
    let text_only = TEXT_ONLY.get_or_init(|| {
        let mut b = Builder::empty();
        b.strip_comments(true);
        b
    });
    let mut marked = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut rest = 0;
    for (at, _) in lower.match_indices('<') {
        if at < rest {
            continue;
        }
        let tag = &lower[at..];
        let newline = if tag.starts_with("<br") {
            "\n"
        } else if tag.starts_with("</p>") {
            "\n\n"
        } else {
            continue;
        };
        marked.push_str(&html[rest..at]);
        marked.push_str(newline);
        rest = at + tag.find('>').map_or(tag.len(), |end| end + 1);
    }
    marked.push_str(&html[rest..]);
    let cleaned = text_only.clean(&marked).to_string();
    let decoded = cleaned
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    decoded.trim().to_string()
}

/// Keeps the output inside the subset: raw HTML becomes text, headings become paragraphs, images
/// become links to the image, and single line breaks are kept as the author typed them.
fn simplify(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading { .. }) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        Event::SoftBreak => Event::HardBreak,
        Event::DisplayMath(m) | Event::InlineMath(m) => Event::Text(CowStr::from(m.to_string())),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn subset_renders() {
        let html = render("Hello *world* and **you**\n\n> quoted\n\n- a\n- b\n\n`x` ~~y~~");
        assert!(html.contains("<em>world</em>"));
        assert!(html.contains("<strong>you</strong>"));
        assert!(html.contains("<blockquote>"));
        assert!(html.contains("<li>a</li>"));
        assert!(html.contains("<code>x</code>"));
        assert!(html.contains("<del>y</del>"));
    }

    #[test]
    fn links_get_rel_and_bad_schemes_go() {
        let html = render("[site](https://a.example) [x](javascript:alert(1)) <https://b.example>");
        assert!(html.contains(r#"href="https://a.example" rel="nofollow ugc noopener""#));
        assert!(!html.contains("javascript"));
        assert!(html.contains("https://b.example"));
    }

    #[test]
    fn raw_html_is_text() {
        let html = render("<script>alert(1)</script> <b onclick=x>hi</b>");
        assert!(!html.contains("<script"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<b "));
    }

    #[test]
    fn headings_and_images_stay_in_subset() {
        let html = render("# Big\n\n![alt](https://img.example/x.png)");
        assert!(!html.contains("<h1"));
        assert!(!html.contains("<img"));
        assert!(html.contains(r#"<a href="https://img.example/x.png""#));
    }

    #[test]
    fn imported_html_is_sanitized_and_has_a_text_form() {
        let html = "<p>Hi <b>there</b><script>x()</script><br>next &amp; <a href=\"javascript:y\">l</a></p><p>two</p>";
        let clean = super::sanitize_html(html);
        assert!(!clean.contains("script") && !clean.contains("javascript"));
        assert!(clean.contains("<p>Hi there"));
        assert_eq!(super::html_to_text(html), "Hi there\nnext & l\n\ntwo");
    }

    #[test]
    fn code_blocks_keep_their_text() {
        let html = render("```\nlet x = <y>;\n```");
        assert!(html.contains("<pre><code>let x = &lt;y&gt;;\n</code></pre>"));
    }
}
