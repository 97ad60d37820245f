//! The widget's files, embedded in the binary and served at content-hashed URLs.
//!
//! `/embed.js` is the stable URL publishers paste; it is small and cached briefly. It names the
//! widget's script and stylesheet by URLs that change whenever their content does, so those can
//! be cached for a year.
//!
//! The widget's script is written in parts (`widget/src/*.js`, see [`WIDGET_PARTS`]) and joined
//! here, at start, inside one function scope: no build step.
//!
//! Each file is compacted at start (comment-only lines, blank lines and indentation dropped: the
//! sources are written so that this is safe, and a test checks that they are), then gzipped once
//! and sent that way to clients that accept it.

use crate::cache::Page;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

const EMBED_JS: &str = include_str!("../../../widget/embed.js");
const ACCOUNT_JS: &str = include_str!("../../../widget/account.js");
const WIDGET_CSS: &str = include_str!("../../../widget/widget.css");
const ADMIN_JS: &str = include_str!("../assets/admin.js");
const COUNT_JS: &str = include_str!("../../../widget/count.js");
const LISTS_JS: &str = include_str!("../../../widget/lists.js");

/// The widget's words in the languages besides English, one file each (`widget/lang/`),
/// fetched only by a thread drawn in that language.
const LANGUAGE_PACKS: [(&str, &str); 2] = [
    ("de", include_str!("../../../widget/lang/de.js")),
    ("fr", include_str!("../../../widget/lang/fr.js")),
];

/// One part of the widget's script: its file name in `widget/src/` and its text.
macro_rules! widget_part {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../widget/src/", $name)))
    };
}

/// The parts of the widget's script, in the order they are joined inside one function scope.
/// Each part only declares, except `main.js`, last, which starts the widget.
const WIDGET_PARTS: [(&str, &str); 7] = [
    widget_part!("strings.js"),
    widget_part!("api.js"),
    widget_part!("thread.js"),
    widget_part!("comments.js"),
    widget_part!("forms.js"),
    widget_part!("live.js"),
    widget_part!("main.js"),
];

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
            compact_css(WIDGET_CSS),
            "text/css; charset=utf-8",
        );
        let packs: Vec<Asset> = LANGUAGE_PACKS
            .iter()
            .map(|(lang, source)| script(&format!("lang-{lang}"), compact(source)))
            .collect();
        let widget = compact(&widget_js()).replace("__ROSTRA_LANGS__", &pack_paths(&packs));
        let js = script("widget", widget);
        let account = script("account", compact(ACCOUNT_JS));
        let embed = compact(EMBED_JS)
            .replace("__ROSTRA_ACCOUNT_JS__", &account.path)
            .replace("__ROSTRA_WIDGET_JS__", &js.path)
            .replace("__ROSTRA_WIDGET_CSS__", &css.path);
        let admin = script("admin", compact(ADMIN_JS));
        let admin_js = Asset {
            path: admin.path.clone(),
            body: admin.body.clone(),
            content_type: admin.content_type,
            gzipped: admin.gzipped.clone(),
        };
        let mut hashed_files = vec![js, account, css, admin];
        hashed_files.extend(packs);
        Assets {
            admin_js,
            embed: Asset::new(
                "/embed.js".into(),
                Bytes::from(embed),
                "text/javascript; charset=utf-8",
            ),
            hashed: hashed_files,
            count_js: stable("/count.js", COUNT_JS),
            lists_js: stable("/lists.js", LISTS_JS),
        }
    }

    pub fn find(&self, path: &str) -> Option<&Asset> {
        self.hashed.iter().find(|a| a.path == path)
    }
}

/// The widget's script: its parts inside one arrow function, so that their names stay private
/// to it and `main.js` may stop early (the script loaded twice).
fn widget_js() -> String {
    let mut js = String::from("(() => {\n");
    for (_, part) in WIDGET_PARTS {
        js.push_str(part);
        if !part.ends_with('\n') {
            js.push('\n');
        }
    }
    js.push_str("})();\n");
    js
}

/// The language packs' paths as a JavaScript object: `{"de":"/assets/lang-de.….js",…}`.
fn pack_paths(packs: &[Asset]) -> String {
    let pairs: Vec<String> = LANGUAGE_PACKS
        .iter()
        .zip(packs)
        .map(|((lang, _), a)| format!("\"{lang}\":\"{}\"", a.path))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

fn stable(path: &str, body: &'static str) -> Asset {
    Asset::new(
        path.into(),
        Bytes::from(compact(body)),
        "text/javascript; charset=utf-8",
    )
}

/// A compacted script under a name with its content's hash.
fn script(name: &str, compacted: String) -> Asset {
    hashed(name, "js", compacted, "text/javascript; charset=utf-8")
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

/// `source` without blank lines, lines holding only a `//` comment, and leading indentation.
/// Safe because no string or template literal in the widget's scripts spans lines (a test
/// checks), so every line break is between tokens.
fn compact(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A stylesheet without its `/* … */` comments, then compacted like a script (CSS has no `//`
/// comments, and the widget's stylesheet no `/*` inside a string: a test checks).
fn compact_css(source: &str) -> String {
    let mut rest = source;
    let mut kept = String::with_capacity(source.len());
    while let Some(start) = rest.find("/*") {
        kept.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    kept.push_str(rest);
    compact(&kept)
}

#[cfg(test)]
mod tests;
