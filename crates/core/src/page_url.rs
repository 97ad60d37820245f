//! Page URLs: normalizing them into thread keys and taking their origin.
//!
//! Two readers arriving at the same article through a newsletter link (`?utm_source=…`), a
//! share button (`?fbclid=…`) or an anchor (`#comments`) must land in the same thread.

use url::Url;

/// Query parameters that only track where a visitor came from; they never select content.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ref_src",
    "ref_url",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "__s",
    "s_cid",
];

fn is_tracking(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
}

fn parse_http(raw: &str) -> Option<Url> {
    let url = Url::parse(raw.trim()).ok()?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Some(url),
        _ => None,
    }
}

/// The normalized form of a page URL: scheme and host lower-cased (the URL parser does this),
/// default port dropped, fragment and tracking parameters dropped, the remaining parameters
/// sorted, and a trailing slash dropped (except for the root path).
pub fn normalize(raw: &str) -> Option<String> {
    let mut url = parse_http(raw)?;
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    params.sort();
    if params.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(params);
    }
    let path = url.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        url.set_path(path.trim_end_matches('/'));
        if url.path().is_empty() {
            url.set_path("/");
        }
    }
    Some(url.to_string())
}

/// The origin (`scheme://host[:port]`) of a URL or of an `Origin` header, normalized.
pub fn origin_of(raw: &str) -> Option<String> {
    let url = parse_http(raw)?;
    Some(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_fragment_tracking_and_trailing_slash() {
        let n = normalize("HTTPS://News.Example:443/World/Story/?utm_source=x&b=2&a=1&fbclid=z#c")
            .unwrap();
        assert_eq!(n, "https://news.example/World/Story?a=1&b=2");
    }

    #[test]
    fn keeps_root_slash_and_meaningful_params() {
        assert_eq!(normalize("http://a.example").unwrap(), "http://a.example/");
        assert_eq!(
            normalize("http://a.example/?p=12").unwrap(),
            "http://a.example/?p=12"
        );
        assert_eq!(
            normalize("http://a.example:8080/x//").unwrap(),
            "http://a.example:8080/x"
        );
    }

    #[test]
    fn same_article_same_key() {
        let a = normalize("https://n.example/a?utm_medium=mail&UTM_Campaign=z").unwrap();
        let b = normalize("https://n.example/a/#comments").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn refuses_non_http() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "",
            "ftp://x/y",
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("HTTP://Example.COM:80/x").unwrap(),
            "http://example.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(origin_of("null"), None);
    }
}
