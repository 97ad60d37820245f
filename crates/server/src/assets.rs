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
        }
    }

    pub fn find(&self, path: &str) -> Option<&Asset> {
        self.hashed.iter().find(|a| a.path == path)
    }
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
