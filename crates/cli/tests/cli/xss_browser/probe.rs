//! The browser side of the XSS test: hooks installed before any page script runs (through
//! ChromeDriver's CDP endpoint), and a check of the rendered DOM for markup that escaped a
//! comment's box.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};
use std::time::Duration;

/// A Chrome DevTools Protocol command through ChromeDriver (`POST /session/{id}/goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// What runs in every document and frame before the page's own scripts: anything a payload
/// could make run lands in `window.__rostraHits` and in the console (which outlives a
/// navigation away).
const HOOKS: &str = r#"(() => {
  if (window.__rostraHits) return;
  const hits = [];
  Object.defineProperty(window, "__rostraHits", { value: hits });
  const allowed = new Set(__ALLOWED__);
  const note = (what, detail) => {
    const line = what + ": " + String(detail).slice(0, 200) + " @ " + location.href.slice(0, 200);
    hits.push(line);
    try { console.error("ROSTRA-XSS-HIT " + line); } catch (e) {}
  };
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const hook = function (first) { note(name, first); return null; };
    try { Object.defineProperty(window, name, { value: hook, writable: false, configurable: false }); }
    catch (e) { window[name] = hook; }
  }
  const foreign = (u) => {
    try { return !allowed.has(new URL(String(u), location.href).origin); } catch (e) { return true; }
  };
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const u = input && typeof input === "object" && "url" in input ? input.url : input;
    if (foreign(u)) note("fetch to a foreign host", u);
    return fetch0.apply(this, arguments);
  };
  const open0 = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, u) {
    if (foreign(u)) note("XMLHttpRequest to a foreign host", u);
    return open0.apply(this, arguments);
  };
  if (navigator.sendBeacon) {
    const beacon0 = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = function (u, data) {
      if (foreign(u)) note("sendBeacon to a foreign host", u);
      return beacon0(u, data);
    };
  }
  const ES = window.EventSource;
  window.EventSource = class extends ES {
    constructor(u, o) { if (foreign(u)) note("EventSource to a foreign host", u); super(u, o); }
  };
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(u, p) { note("WebSocket", u); super(u, p); }
  };
  window.addEventListener("error", (e) => {
    if (e instanceof ErrorEvent) note("script error", e.message + " (" + e.filename + ":" + e.lineno + ")");
  }, true);
  document.addEventListener("submit", (e) => note("form submitted", e.target.action), true);
  document.addEventListener("securitypolicyviolation", (e) => note("CSP violation", e.violatedDirective + " " + e.blockedURI), true);
})();"#;

/// Installs the hooks for every document this browser opens from now on, and turns the pages'
/// Content-Security-Policy off: the test is of our escaping and sanitizing, with CSP only as
/// the second layer it is in production.
pub async fn install_hooks(c: &Client, allowed_origins: &[String]) {
    let source = HOOKS.replace("__ALLOWED__", &json!(allowed_origins).to_string());
    c.issue_cmd(Cdp {
        cmd: "Page.enable",
        params: json!({}),
    })
    .await
    .unwrap();
    c.issue_cmd(Cdp {
        cmd: "Page.addScriptToEvaluateOnNewDocument",
        params: json!({"source": source}),
    })
    .await
    .unwrap();
    c.issue_cmd(Cdp {
        cmd: "Page.setBypassCSP",
        params: json!({"enabled": true}),
    })
    .await
    .unwrap();
}

/// Where comments are drawn on a page and what may be inside them.
#[derive(Clone)]
pub struct Boxes {
    /// The element whose open shadow root holds the comments (the widget), or `None`.
    pub shadow_host: Option<&'static str>,
    /// One element per comment.
    pub box_css: &'static str,
    /// The attribute on each box that names its comment (`id="comment-7"`, `data-id="7"`).
    pub id_attr: &'static str,
    /// Parts of a box holding what the commenter wrote, and the only elements allowed in them.
    pub content: &'static [(&'static str, &'static [&'static str])],
}

/// The tags the body sanitizer allows (crates/core/src/markdown.rs), plus the admin pages'
/// `<mark>` around links.
pub const BODY_TAGS: &[&str] = &[
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
    "mark",
];

/// What one page showed: the comment ids in its boxes and everything wrong with it.
pub struct Seen {
    pub ids: Vec<String>,
    pub problems: Vec<String>,
    pub href: String,
}

const CHECK: &str = r#"
const [spec, origins] = arguments;
const problems = [];
const say = (m) => { if (problems.length < 40) problems.push(m); };
const show = (el) => el.outerHTML.slice(0, 240);
const all = [];
const walk = (root) => {
  for (const el of root.querySelectorAll("*")) {
    all.push(el);
    if (el.shadowRoot) walk(el.shadowRoot);
  }
};
walk(document);
const scope = spec.shadow_host ? (document.querySelector(spec.shadow_host) || {}).shadowRoot : document;
if (!scope) return { ids: [], problems: ["no shadow root at " + spec.shadow_host], href: location.href };
const ours = (u) => { try { return origins.includes(new URL(u, location.href).origin); } catch (e) { return false; } };
const NEVER = ["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "fencedframe"];
const URLISH = ["href", "src", "action", "formaction", "xlink:href", "data", "background", "poster",
  "srcset", "codebase", "cite", "longdesc", "dynsrc", "lowsrc", "ping", "manifest", "icon"];
const BAD = /^(javascript|vbscript|livescript|mocha|data:(?!image\/(png|gif|jpe?g|webp)[;,]))/i;
for (const el of all) {
  const tag = el.localName;
  if (NEVER.includes(tag)) say("<" + tag + "> on the page: " + show(el));
  if (tag === "meta" && (!el.closest("head") || el.hasAttribute("http-equiv"))) say("a <meta>: " + show(el));
  if (tag === "script" && !(el.hasAttribute("src") && ours(el.getAttribute("src")))) say("a script: " + show(el));
  if (tag === "link" && !ours(el.getAttribute("href") || "")) say("a foreign <link>: " + show(el));
  for (const a of el.attributes) {
    const n = a.name.toLowerCase();
    if (n.startsWith("on")) say("event handler " + n + ": " + show(el));
    if (n === "srcdoc" || n === "is") say("attribute " + n + ": " + show(el));
    const v = a.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
    if ((URLISH.includes(n) || n.endsWith(":href")) && BAD.test(v)) say("script URL in " + n + ": " + show(el));
    if (n === "style" && /expression\s*\(|javascript:|behavior\s*:|-moz-binding|url\s*\(/i.test(a.value)) say("style " + show(el));
  }
}
const boxes = Array.from(scope.querySelectorAll(spec.box_css));
const ids = boxes.map((b) => b.getAttribute(spec.id_attr) || "");
for (const [css, tags] of spec.content) {
  for (const area of scope.querySelectorAll(css)) {
    if (!area.closest(spec.box_css)) say(css + " outside any " + spec.box_css + ": " + show(area));
    for (const el of area.querySelectorAll("*")) {
      if (!tags.includes(el.localName)) say("<" + el.localName + "> inside " + css + ": " + show(el));
    }
  }
}
for (const b of boxes) {
  if (b.parentElement && b.parentElement.closest(spec.box_css) && !spec.nested) say("a box inside a box: " + show(b));
}
const hits = window.__rostraHits ? Array.from(window.__rostraHits) : ["the hooks are missing"];
return { ids, problems: problems.concat(hits.map((h) => "ran: " + h)), href: location.href };
"#;

/// Opens `url`, waits until `ready` boxes are drawn (or the page has settled), and answers what
/// the page shows and everything that ran or escaped.
pub async fn visit(
    c: &Client,
    url: &str,
    boxes: &Boxes,
    ready: Option<usize>,
    origins: &[String],
) -> Seen {
    // A load Chromium itself failed (its error page, e.g. ERR_INSUFFICIENT_RESOURCES while
    // the other tests load the machine) is tried again after a growing pause, within a budget
    // for the whole run; if it still fails, the checks below report it like any navigation
    // away, so nothing is passed over.
    let mut pause = Duration::from_millis(250);
    loop {
        c.goto(url).await.unwrap();
        let at = c.current_url().await.map(|u| u.to_string());
        if !at.is_ok_and(|u| u.starts_with("chrome-error:")) || !retry_budget_allows(pause) {
            break;
        }
        eprintln!("XSS: Chromium failed to load {url}; again in {pause:?}");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(8));
    }
    let spec = json!({
        "shadow_host": boxes.shadow_host,
        "box_css": boxes.box_css,
        "id_attr": boxes.id_attr,
        "content": boxes.content,
        "nested": boxes.shadow_host.is_some(),
    });
    let mut seen = check(c, &spec, origins).await;
    if let Some(n) = ready {
        // The widget draws after its fetch: poll until every box is there.
        for _ in 0..300 {
            if seen.ids.len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            seen = check(c, &spec, origins).await;
        }
    }
    let expected = url::Url::parse(url).unwrap();
    let now = url::Url::parse(&seen.href).ok();
    if now.as_ref().map(|u| (u.origin(), u.path(), u.query()))
        != Some((expected.origin(), expected.path(), expected.query()))
    {
        seen.problems
            .push(format!("navigated away to {}", seen.href));
    }
    seen
}

/// Waiting out failed loads may take this long in all, per run.
const RETRY_BUDGET: Duration = Duration::from_secs(120);

/// Takes `pause` from the run's retry budget, if enough is left.
fn retry_budget_allows(pause: Duration) -> bool {
    static SPENT_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let ms = pause.as_millis() as u64;
    let before = SPENT_MS.fetch_add(ms, std::sync::atomic::Ordering::Relaxed);
    before + ms <= RETRY_BUDGET.as_millis() as u64
}

async fn check(c: &Client, spec: &Value, origins: &[String]) -> Seen {
    let v = c
        .execute(CHECK, vec![spec.clone(), json!(origins)])
        .await
        .unwrap();
    let strings = |k: &str| -> Vec<String> {
        v[k].as_array()
            .into_iter()
            .flatten()
            .map(|s| s.as_str().unwrap_or_default().to_string())
            .collect()
    };
    Seen {
        ids: strings("ids"),
        problems: strings("problems"),
        href: v["href"].as_str().unwrap_or_default().to_string(),
    }
}

/// Hook reports that reached the console from pages the browser has left since the last call.
pub async fn console_hits(c: &Client) -> Vec<String> {
    crate::browser::console_errors(c)
        .await
        .into_iter()
        .filter(|m| m.contains("ROSTRA-XSS-HIT"))
        .collect()
}
