//! The places a comment is drawn, each as the boxes to look for and the fields of a comment it
//! shows. A new place (a feed opened in the browser, an e-mail's HTML served by the embedder)
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
