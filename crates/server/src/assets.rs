//! The widget's files, embedded in the binary and served at content-hashed URLs.
//!
//! `/embed.js` is the stable URL publishers paste; it is small and cached briefly. It names the
//! widget's script and stylesheet by URLs that change whenever their content does, so those can
//! be cached for a year.
//!
//! Each file is also gzipped once, at start, and sent that way to clients that accept it: the
//! widget's script and style go over the wire at about a third of their size.

use crate::cache::Page;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
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
    /// The body gzipped (at the highest level, once), when that is smaller.
    pub gzipped: Option<Bytes>,
}

impl Asset {
    fn new(path: String, body: Bytes, content_type: &'static str) -> Asset {
        let gzipped = gzip(&body).filter(|g| g.len() < body.len());
        Asset {
            path,
            body,
            content_type,
            gzipped,
        }
    }

    /// The answer to `GET`: gzipped when the request accepts it, with `cache_control`.
    pub fn respond(&self, request: &HeaderMap, cache_control: &'static str) -> Response {
        let mut headers = HeaderMap::with_capacity(4);
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        let body = match &self.gzipped {
            Some(g) if accepts_gzip(request) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                g.clone()
            }
            _ => self.body.clone(),
        };
        (headers, body).into_response()
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Whether `Accept-Encoding` lists gzip (or `*`) without `q=0`.
fn accepts_gzip(request: &HeaderMap) -> bool {
    let Some(list) = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    list.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default();
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
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
            gzipped: admin.gzipped.clone(),
        };
        Assets {
            admin_js,
            embed: Asset::new(
                "/embed.js".into(),
                Bytes::from(embed),
                "text/javascript; charset=utf-8",
            ),
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
    Asset::new(
        path.into(),
        Bytes::from_static(body.as_bytes()),
        "text/javascript; charset=utf-8",
    )
}

fn hashed(name: &str, ext: &str, body: String, content_type: &'static str) -> Asset {
    let etag = Page::new(Bytes::from(body.clone())).etag;
    let hash = etag.trim_matches('"');
    Asset::new(
        format!("/assets/{name}.{}.{ext}", &hash[..10]),
        Bytes::from(body),
        content_type,
    )
}
