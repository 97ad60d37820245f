//! Does this HTML hold anything a browser would run? Parsed with a real HTML5 parser, so the
//! check sees the document the way a browser does, not the way a regex guesses.

use scraper::{Html, Node};

/// Elements that run code, load active content, or restyle the page.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
    "base", "svg", "math", "form", "img", "video", "audio", "source", "template", "noscript",
    "isindex", "marquee", "xss",
];

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcdoc",
];

/// Problems found in sanitized comment HTML (a body): none is the only good answer.
pub fn unsafe_html(html: &str) -> Vec<String> {
    check(&Html::parse_fragment(html), &[])
}

/// Problems in a rendered thread fragment, allowing our own single form and its fields.
pub fn unsafe_html_in_fragment(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let mut problems = check(&doc, &["form"]);
    let forms = doc
        .tree
        .values()
        .filter(|n| matches!(n, Node::Element(e) if e.name() == "form"))
        .count();
    if forms > 1 {
        problems.push(format!(
            "{forms} forms in the fragment; only ours may be there"
        ));
    }
    problems
}

fn check(doc: &Html, allowed_extra: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for node in doc.tree.values() {
        let Node::Element(e) = node else { continue };
        let name = e.name();
        if FORBIDDEN_ELEMENTS.contains(&name) && !allowed_extra.contains(&name) {
            problems.push(format!("<{name}> element"));
        }
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("{attr}= on <{name}>"));
            }
            if attr == "style" && !is_our_indent(value) {
                problems.push(format!("style=\"{value}\" on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) && !safe_url(value) {
                problems.push(format!("{attr}=\"{value}\" on <{name}>"));
            }
        }
    }
    problems
}

/// Our own templates indent replies with `margin-left: Nem`; nothing else may carry style.
fn is_our_indent(v: &str) -> bool {
    v.strip_prefix("margin-left: ")
        .and_then(|r| r.strip_suffix("em"))
        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
}

fn safe_url(v: &str) -> bool {
    let cleaned: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catches_what_runs() {
        assert!(
            unsafe_html("<p>hi <em>there</em> <a href=\"https://x.example\">x</a></p>").is_empty()
        );
        assert!(!unsafe_html("<script>alert(1)</script>").is_empty());
        assert!(!unsafe_html("<a href=\" JaVa\tscript:alert(1)\">x</a>").is_empty());
        assert!(!unsafe_html("<p onclick=\"x\">x</p>").is_empty());
        assert!(!unsafe_html("<a href=\"data:text/html,x\">x</a>").is_empty());
        assert!(!unsafe_html("<svg><animate onbegin=alert(1)></svg>").is_empty());
        assert!(!unsafe_html("<p style=\"background:url(x)\">x</p>").is_empty());
        assert!(unsafe_html("&lt;script&gt;alert(1)&lt;/script&gt;").is_empty());
    }
}
