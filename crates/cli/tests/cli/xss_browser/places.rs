//! The places a comment is drawn, each as the boxes to look for and the fields of a comment it
//! shows. A new place (an e-mail's HTML served by the embedder, say)
//! is one more `Place` and the list of pages to open for it.

use super::probe::{Boxes, BODY_TAGS};

/// A place that draws comments, and which payload fields it shows.
pub struct Place {
    pub name: &'static str,
    pub boxes: Boxes,
    pub shows: &'static [&'static str],
}

/// The widget on a publisher's article page (inside its shadow root).
pub fn widget() -> Place {
    Place {
        name: "widget on an embedding page",
        boxes: Boxes {
            shadow_host: Some("#rostra-thread"),
            box_css: "article.c",
            id_attr: "id",
            content: &[(".body", BODY_TAGS), (".au", &[])],
        },
        shows: &["body", "author_name", "author_url"],
    }
}

/// Rostra's own thread page for readers without JavaScript (the title and page URL are in its
/// form's hidden fields and its link back to the article).
pub fn thread_page() -> Place {
    Place {
        name: "no-JS thread page",
        boxes: Boxes {
            shadow_host: None,
            box_css: "article.rostra-comment",
            id_attr: "id",
            content: &[
                (".rostra-body", BODY_TAGS),
                (".rostra-meta", &["a", "strong", "em", "span", "time"]),
            ],
        },
        shows: &["body", "author_name", "author_url", "title", "page_url"],
    }
}

const ADMIN_ITEM: Boxes = Boxes {
    shadow_host: None,
    box_css: "article.item",
    id_attr: "data-id",
    content: &[
        (".body", BODY_TAGS),
        ("p.meta", &["input", "strong", "code", "a"]),
        ("ul.reasons", &["li", "span"]),
    ],
};

/// The moderators' queue of held comments.
pub fn admin_queue() -> Place {
    Place {
        name: "admin queue",
        boxes: ADMIN_ITEM,
        shows: &["body", "author_name", "title", "page_url"],
    }
}

/// One comment's page on the admin side.
pub fn admin_comment() -> Place {
    Place {
        name: "admin comment page",
        boxes: ADMIN_ITEM,
        shows: &["body", "author_name", "title", "page_url"],
    }
}

/// What an Atom feed carries: the comment's HTML, its author's name, and its thread's title and
/// page URL (in the entry's title and link, and a thread feed's own title and link).
const FEED_FIELDS: &[&str] = &["body", "author_name", "title", "page_url"];

/// An Atom feed opened in Chromium, which shows `application/atom+xml` as plain text: no
/// element of the feed may become an element of the page.
pub fn feed_as_text() -> Place {
    Place {
        name: "Atom feed opened in Chromium",
        boxes: Boxes {
            shadow_host: None,
            box_css: "feed, entry, content, article",
            id_attr: "id",
            content: &[],
        },
        shows: FEED_FIELDS,
    }
}

/// The same feeds drawn by a feed reader: each entry's title and author as text, its `html`
/// content as HTML (`feeds.rs` builds the page).
pub fn feed_reader() -> Place {
    Place {
        name: "Atom feed in a feed reader",
        boxes: Boxes {
            shadow_host: None,
            box_css: "article.entry",
            id_attr: "id",
            content: &[
                (".content", BODY_TAGS),
                (".title", &["a"]),
                (".author", &[]),
            ],
        },
        shows: FEED_FIELDS,
    }
}

/// A reply notification's HTML part as a mail client shows it: the message is the box (one
/// comment to a message), with nothing in it but what the body sanitizer allows, the comment's
/// HTML in its `<blockquote>`, and who wrote it where in its first paragraph.
pub fn reply_mail() -> Place {
    Place {
        name: "reply notification e-mail (HTML part)",
        boxes: Boxes {
            shadow_host: None,
            box_css: "body",
            id_attr: "id",
            content: &[
                ("body", BODY_TAGS),
                ("body > blockquote", BODY_TAGS),
                ("body > p:first-child", &["strong", "a"]),
            ],
        },
        shows: &["body", "author_name", "title", "page_url"],
    }
}
