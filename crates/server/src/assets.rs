//! The widget's files, embedded in the binary and served at content-hashed URLs.
//!
//! `/embed.js` is the stable URL publishers paste; it is small and cached briefly. It names the
//! widget's script and stylesheet by URLs that change whenever their content does, so those can
//! be cached for a year.

use crate::cache::Page;
use bytes::Bytes;

const EMBED_JS: &str = include_str!("../../../widget/embed.js");
const WIDGET_JS: &str = include_str!("../../../widget/widget.js");
const ACCOUNT_JS: &str = include_str!("../../../widget/account.js");
const WIDGET_CSS: &str = include_str!("../../../widget/widget.css");
const ADMIN_JS: &str = include_str!("../assets/admin.js");
const COUNT_JS: &str = include_str!("../../../widget/count.js");
const LISTS_JS: &str = include_str!("../../../widget/lists.js");

pub struct Asset {
    pub path: String,
    pub body: Bytes,
    pub content_type: &'static str,
}

pub struct Assets {
    pub embed: Asset,
    /// The moderation pages' script (also in `hashed`).
    pub admin_js: Asset,
    pub hashed: Vec<Asset>,
    /// `/count.js`: fills comment-count badges on article lists (a stable URL, like `/embed.js`).
    pub count_js: Asset,
    /// `/lists.js`: fills "Most discussed" and "Latest comments" boxes.
    pub lists_js: Asset,
}

impl Assets {
    pub fn build() -> Assets {
        let css = hashed(
            "widget",
            "css",
            WIDGET_CSS.to_string(),
            "text/css; charset=utf-8",
        );
        let js = hashed(
            "widget",
            "js",
            WIDGET_JS.to_string(),
            "text/javascript; charset=utf-8",
        );
        let account = hashed(
            "account",
            "js",
            ACCOUNT_JS.to_string(),
            "text/javascript; charset=utf-8",
        );
        let embed = EMBED_JS
            .replace("__ROSTRA_ACCOUNT_JS__", &account.path)
            .replace("__ROSTRA_WIDGET_JS__", &js.path)
            .replace("__ROSTRA_WIDGET_CSS__", &css.path);
        let admin = hashed(
            "admin",
            "js",
            ADMIN_JS.to_string(),
            "text/javascript; charset=utf-8",
        );
        let admin_js = Asset {
            path: admin.path.clone(),
            body: admin.body.clone(),
            content_type: admin.content_type,
        };
        Assets {
            admin_js,
            embed: Asset {
                path: "/embed.js".into(),
                body: Bytes::from(embed),
                content_type: "text/javascript; charset=utf-8",
            },
            hashed: vec![js, account, css, admin],
            count_js: stable("/count.js", COUNT_JS),
            lists_js: stable("/lists.js", LISTS_JS),
        }
    }

    pub fn find(&self, path: &str) -> Option<&Asset> {
        self.hashed.iter().find(|a| a.path == path)
    }
}

fn stable(path: &str, body: &'static str) -> Asset {
    Asset {
        path: path.into(),
        body: Bytes::from_static(body.as_bytes()),
        content_type: "text/javascript; charset=utf-8",
    }
}

/// A script publishers paste by a stable URL: cached briefly, so a new version arrives soon.
pub fn stable_script(a: &Asset) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        a.body.clone(),
    )
        .into_response()
}

fn hashed(name: &str, ext: &str, body: String, content_type: &'static str) -> Asset {
    let etag = Page::new(Bytes::from(body.clone())).etag;
    let hash = etag.trim_matches('"');
    Asset {
        path: format!("/assets/{name}.{}.{ext}", &hash[..10]),
        body: Bytes::from(body),
        content_type,
    }
}
