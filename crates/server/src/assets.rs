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
        let js = hashed(
            "widget",
            "js",
            compact(&widget_js()),
            "text/javascript; charset=utf-8",
        );
        let account = hashed(
            "account",
            "js",
            compact(ACCOUNT_JS),
            "text/javascript; charset=utf-8",
        );
        let embed = compact(EMBED_JS)
            .replace("__ROSTRA_ACCOUNT_JS__", &account.path)
            .replace("__ROSTRA_WIDGET_JS__", &js.path)
            .replace("__ROSTRA_WIDGET_CSS__", &css.path);
        let admin = hashed(
            "admin",
            "js",
            compact(ADMIN_JS),
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

fn stable(path: &str, body: &'static str) -> Asset {
    Asset::new(
        path.into(),
        Bytes::from(compact(body)),
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
mod tests {
    use super::*;

    fn scripts() -> Vec<(&'static str, &'static str)> {
        let whole = [
            ("embed.js", EMBED_JS),
            ("account.js", ACCOUNT_JS),
            ("admin.js", ADMIN_JS),
            ("count.js", COUNT_JS),
            ("lists.js", LISTS_JS),
        ];
        whole.into_iter().chain(WIDGET_PARTS).collect()
    }

    #[test]
    fn no_literal_in_the_widget_files_spans_lines() {
        for (name, script) in scripts() {
            for (n, line) in script.lines().enumerate() {
                let n = n + 1;
                let ticks = line.matches('`').count();
                assert!(
                    ticks % 2 == 0,
                    "{name}, line {n}: a template literal spans lines"
                );
                assert!(
                    !line.ends_with('\\'),
                    "{name}, line {n}: a string continues"
                );
            }
        }
        // Had a comment marker been inside a string, stripping comments would have cut the
        // string short: its line would be left with an odd quote, or a stray `*/`.
        for line in compact_css(WIDGET_CSS).lines() {
            let quotes_pair =
                line.matches('"').count() % 2 == 0 && line.matches('\'').count() % 2 == 0;
            assert!(
                quotes_pair && !line.contains("*/"),
                "widget.css compacted: {line}"
            );
        }
    }

    #[test]
    fn every_file_in_widget_src_is_joined_once() -> std::io::Result<()> {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../widget/src");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(folder)? {
            on_disk.push(entry?.file_name().to_string_lossy().into_owned());
        }
        on_disk.sort();
        let mut joined: Vec<String> = WIDGET_PARTS.iter().map(|(n, _)| n.to_string()).collect();
        joined.sort();
        assert_eq!(on_disk, joined);
        Ok(())
    }

    #[test]
    fn every_widget_file_carries_the_licence_line() {
        let css = ("widget.css", WIDGET_CSS);
        for (name, source) in scripts().into_iter().chain([css]) {
            if name == "admin.js" {
                continue; // the moderation pages' script, not the widget's
            }
            let first = source.lines().next().unwrap_or_default();
            assert!(
                first.contains("SPDX-License-Identifier: AGPL-3.0-or-later"),
                "{name} starts with {first:?}"
            );
        }
    }

    #[test]
    fn the_widget_script_is_its_parts_in_one_scope() {
        let js = widget_js();
        assert!(js.starts_with("(() => {\n") && js.ends_with("})();\n"));
        let mut at = 0;
        for (name, part) in WIDGET_PARTS {
            let found = js[at..].find(part).map(|i| at + i);
            assert!(found.is_some(), "{name} missing or out of order");
            at = found.unwrap_or(at) + part.len();
        }
    }

    #[test]
    fn compacting_drops_comments_blanks_and_indentation_only() {
        let source = "// header\n(() => {\n  // note\n\n  const a = \"x // y\"; // tail\n})();\n";
        assert_eq!(
            compact(source),
            "(() => {\nconst a = \"x // y\"; // tail\n})();\n"
        );
        let css = "/* a\n   b */\n.r {\n  color: red; /* c */\n  --x: 1;\n}\n/* open";
        assert_eq!(compact_css(css), ".r {\ncolor: red;\n--x: 1;\n}\n");
    }

    #[test]
    fn what_every_reader_downloads_fits_the_15_kb_budget() {
        // embed.js, the widget's script and its style (account.js comes only with signing in).
        let assets = Assets::build();
        let widget = assets
            .hashed
            .iter()
            .filter(|a| a.path.starts_with("/assets/widget."));
        let sizes: Vec<usize> = std::iter::once(&assets.embed)
            .chain(widget)
            .map(|a| a.gzipped.as_ref().map_or(a.body.len(), Bytes::len))
            .collect();
        assert_eq!(sizes.len(), 3);
        let total: usize = sizes.iter().sum();
        assert!(total <= 15_000, "{sizes:?}: {total} bytes gzipped");
    }
}
