//! What a new reader meets, in real Chromium, in one walk through the demo: avatars, the count
//! and "Sign in" on one line, the feed link's colour, the notify checkbox beside its label, the
//! length counter (nothing cut), one error at a time that says the limit or the wait, posting
//! feedback (scrolled to, highlighted, its status beside it); then a page on an origin the site
//! does not list, told what its owner must do with no controls around it; then the plain page.
//! axe-core checks the demo article with its widget and the plain page: no violation at all.

use crate::browser::{chromedriver, console_errors, widget};
use crate::identity_browser::{publisher, until, Article};
use crate::Demo;
use fantoccini::Client;
use rostra_testkit::skip;
use serde_json::Value;

const TEST: &str = "a_new_reader_sees_clear_feedback_from_the_first_look_to_posting";

/// The widget's shadow root, in the page's JavaScript.
const R: &str = "document.querySelector('#rostra-thread').shadowRoot";

async fn js(c: &Client, body: &str) -> Value {
    let script = format!("const R = {R}; {body}");
    c.execute(&script, vec![]).await.unwrap()
}

/// Puts `body` (and `name`) in the top form as a paste would, and submits it.
async fn submit(c: &Client, name: &str, body: &str) {
    let script = format!(
        "const f = R.querySelector('form.f'), t = f.querySelector('textarea');\
         f.querySelector('[name=author_name]').value = {};\
         t.value = {}; t.dispatchEvent(new Event('input'));\
         f.querySelector('button.pri').click(); return true",
        serde_json::to_string(name).unwrap(),
        serde_json::to_string(body).unwrap()
    );
    js(c, &script).await;
}

/// The texts of the errors on screen.
async fn errors(c: &Client) -> Vec<String> {
    let v = js(
        c,
        "return [...R.querySelectorAll('.err')].map((e) => e.textContent).filter((t) => t)",
    )
    .await;
    serde_json::from_value(v).unwrap()
}

async fn error_says(c: &Client, words: &str) -> Vec<String> {
    let check = format!(
        "return [...{R}.querySelectorAll('.err')].some((e) => e.textContent.includes({}))",
        serde_json::to_string(words).unwrap()
    );
    until(c, &check).await;
    errors(c).await
}

/// axe-core's script (npm; `.ci/run` installs it in /opt/rostra-ci/axe, or `ROSTRA_AXE`).
fn axe_source() -> Option<String> {
    let path = std::env::var("ROSTRA_AXE")
        .unwrap_or_else(|_| "/opt/rostra-ci/axe/node_modules/axe-core/axe.min.js".into());
    let source = std::fs::read_to_string(&path).ok();
    if source.is_none() {
        skip(
            TEST,
            &format!("no axe-core at {path} (npm install --prefix /opt/rostra-ci/axe axe-core)"),
        );
    }
    source
}

/// axe-core's violations on the page shown (shadow roots included), as "rule: where" lines.
async fn axe(c: &Client, source: &str) -> Vec<String> {
    c.execute(&format!("{source}\n;return true"), vec![])
        .await
        .unwrap();
    let run = "const done = arguments[arguments.length - 1];\
        axe.run(document, {resultTypes: ['violations']}).then(\
          (r) => done(r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => JSON.stringify(n.target)).join(' '))),\
          (e) => done(['axe failed: ' + e]))";
    let v = c.execute_async(run, vec![]).await.unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn a_new_reader_sees_clear_feedback_from_the_first_look_to_posting() {
    let Some(driver) = chromedriver(TEST).await else {
        return;
    };
    let Some(axe_js) = axe_source() else { return };
    let limits = [
        ("ROSTRA_RATE_LIMITS__COMMENTS_BURST", "1"),
        ("ROSTRA_RATE_LIMITS__COMMENTS_PER_MINUTE", "1"),
    ];
    let demo = Demo::start_with_env(&limits).await;
    let c = crate::browser::browser(&driver, true).await;
    c.goto(&format!("{}/demo", demo.base)).await.unwrap();
    widget(&c).await;

    // Every comment with its identicon, drawn by Rostra (guests' from their names).
    until(
        &c,
        &format!(
            "const a = [...{R}.querySelectorAll('article.c img.av')];\
        return a.length == 9 && a.every((i) => i.complete && i.naturalWidth > 0)"
        ),
    )
    .await;
    let look = js(&c, "const box = (s) => R.querySelector(s).getBoundingClientRect();\
        const css = (s) => getComputedStyle(R.querySelector(s)).color;\
        const cb = box('.nt input'), label = box('.nt');\
        return {count: box('h2.count').top, signIn: box('.acct button').top,\
          feed: css('.bar .feed'), muted: css('.when'),\
          box: [cb.width, cb.left - label.left, Math.abs(cb.top + cb.height / 2 - label.top - label.height / 2)]}").await;
    let (count, sign_in) = (
        look["count"].as_f64().unwrap(),
        look["signIn"].as_f64().unwrap(),
    );
    assert!(
        (count - sign_in).abs() < 20.0,
        "Sign in beside the count: {look}"
    );
    assert_eq!(
        look["feed"], look["muted"],
        "the feed link in the muted colour"
    );
    let b: Vec<f64> = serde_json::from_value(look["box"].clone()).unwrap();
    assert!(
        b[0] < 30.0 && b[1] < 5.0 && b[2] < 10.0,
        "the checkbox beside its label: {b:?}"
    );
    let found = axe(&c, &axe_js).await;
    assert!(
        found.is_empty(),
        "axe on the demo article and its widget: {found:#?}"
    );

    // Near the limit a counter; past it, nothing cut, and the server's refusal said plainly.
    let long = "x".repeat(20_000);
    let near = "return (R.querySelector('form.f textarea').value = 'y'.repeat(9500),\
        R.querySelector('form.f textarea').dispatchEvent(new Event('input')), R.querySelector('.cnt').textContent)";
    assert_eq!(js(&c, near).await, "500 characters left");
    submit(&c, "", &long).await;
    let shown = error_says(&c, "longer than 10000 characters").await;
    let state = js(
        &c,
        "const t = R.querySelector('form.f textarea'), n = R.querySelector('.cnt');\
        return [t.value.length, n.textContent, n.classList.contains('over'),\
          R.querySelector('[name=author_name]').maxLength]",
    )
    .await;
    assert_eq!(
        state,
        serde_json::json!([20000, "10000 characters too many", true, 64]),
        "{shown:?}"
    );
    // The next, different error replaces it, and says the name's limit.
    submit(&c, &"N".repeat(70), "A fine comment").await;
    let shown = error_says(&c, "The name is longer than 64 characters.").await;
    assert_eq!(shown.len(), 1, "one error at a time: {shown:?}");

    // Posted: in view, highlighted, focused, its status beside it; the form's error gone.
    submit(&c, "New Reader", "My first comment here").await;
    let posted = format!("return [...{R}.querySelectorAll('article.c.new')]\
        .some((a) => a.querySelector('.why') && a.querySelector('.why').textContent == 'Comment posted')");
    until(&c, &posted).await;
    let seen = js(
        &c,
        "const a = R.querySelector('article.c.new'), r = a.getBoundingClientRect();\
        return [r.top >= 0 && r.bottom <= innerHeight, R.activeElement == a,\
          getComputedStyle(a.querySelector('.main')).backgroundColor, a.id]",
    )
    .await;
    assert_eq!(seen[0], true, "scrolled into view: {seen}");
    assert_eq!(seen[1], true, "focus on the new comment: {seen}");
    assert_eq!(seen[2], "rgb(255, 247, 209)", "highlighted: {seen}");
    assert!(errors(&c).await.is_empty());
    let new_id = seen[3].as_str().unwrap().to_string();
    // Too fast: the message says how long to wait (the answer's Retry-After).
    submit(&c, "New Reader", "And a second one").await;
    let shown = error_says(&c, "Please wait ").await;
    assert!(
        shown[0].contains(" seconds") && shown[0].chars().any(|ch| ch.is_ascii_digit()),
        "{shown:?}"
    );
    // The refusals above are answers the widget reads, not failures of its script.
    let failures: Vec<String> = console_errors(&c)
        .await
        .into_iter()
        .filter(|e| !e.contains("Failed to load resource"))
        .collect();
    assert!(failures.is_empty(), "JavaScript errors: {failures:?}");

    // A page on an origin the site does not list (another port): told why, and what to do.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere = format!("http://{}", listener.local_addr().unwrap());
    let article = Article {
        site: "demo",
        thread_id: "elsewhere",
        title: "Elsewhere",
    };
    publisher(listener, demo.base.clone(), String::new(), article);
    c.goto(&format!("{elsewhere}/article")).await.unwrap();
    let fix = format!("rostra site origin add demo {elsewhere}");
    until(&c, &format!("const s = {R} && {R}.querySelector('.status');\
        return !!s && s.textContent.includes('not enabled for this page') && s.textContent.includes('{fix}')")).await;
    let drawn = js(
        &c,
        "const shown = (s) => [...R.querySelectorAll(s)].some((e) => e.offsetParent);\
        return [shown('h2.count'), shown('.bar'), shown('.acct button'), shown('form')]",
    )
    .await;
    assert_eq!(
        drawn,
        serde_json::json!([false, false, false, false]),
        "no controls around the error"
    );

    // The plain page: its title names the article, and the new comment is highlighted.
    let url = format!("{}/demo", demo.base);
    let plain = format!(
        "{}/thread?site=demo&url={}#{new_id}",
        demo.base,
        rostra_testkit::encode(&url)
    );
    c.goto(&plain).await.unwrap();
    let title = c.title().await.unwrap();
    assert!(
        title.starts_with("10 comments · Riverside goes car-free"),
        "{title}"
    );
    let bg = c
        .execute(
            &format!(
                "return getComputedStyle(document.getElementById('{new_id}')).backgroundColor"
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(bg, "rgb(255, 247, 209)");
    let found = axe(&c, &axe_js).await;
    assert!(found.is_empty(), "axe on the plain thread page: {found:#?}");
    c.close().await.unwrap();
}
