// SPDX-License-Identifier: AGPL-3.0-or-later
// One mounted thread: its state (one explicit object, `th`, that every part is handed), its frame
// (count, form, sort, list), loading its pages, and placing comments in it.

const MAX_DEPTH = 4; // replies deeper than this are not indented further

// The language asked for: the container's data-rostra-lang, else the page's.
const wanted = (host) => (host.dataset.rostraLang || document.documentElement.lang || "en").split("-")[0].toLowerCase();

// The state of the thread mounted in `host` (drawn in `root`, in `lang`): where it is, what the
// server last said about it, and its live stream. Its elements come with drawFrame.
function newThread(host, root, lang) {
  const ds = host.dataset;
  const site = ds.rostraSite, ident = ds.rostraId || null, pageUrl = ds.rostraUrl || location.href.split("#")[0];
  return {
    root, site, ident, pageUrl, title: ds.rostraTitle || document.title,
    key: site + " " + (ident || pageUrl), // names this thread in the stored "pending" map
    lang, t: STRINGS[lang],
    rtf: new Intl.RelativeTimeFormat(lang, { numeric: "auto" }),
    dtf: new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" }),
    // From the server's last page: sort order, next page, published comments, closed, the
    // site's longest comment and name and whether it nudges; the top form, made once.
    sort: SORTS.includes(store.get("sort")) ? store.get("sort") : "oldest",
    cursor: null, count: 0, closed: false, max: 10000, nmax: 64, nudge: undefined, mainForm: undefined,
    // Live updates: the thread's id, its event stream, whether events may have been missed while
    // hidden, the retry delay, our posts on the way, comments that arrived but are not drawn yet.
    tid: null, es: null, gap: 0, wait: 2e3, posting: 0, queue: [],
    busy: new Set(), // our own comments with an edit or deletion on the way
    stream: { connected: false, pending: 0, events: 0, lastEventId: null }, // window.Rostra.live, for tests
  };
}

function drawFrame(th) {
  const t = th.t, ui = {};
  ui.live = el("p", { class: "sr", "aria-live": "polite" });
  ui.head = el("h2", { class: "count" });
  ui.prompt = el("p", { class: "prompt", hidden: true });
  ui.formBox = el("div");
  ui.acct = el("div", { class: "acct" });
  ui.status = el("p", { class: "status", role: "alert" }, t.loading);
  ui.sortSel = el("select", {
    onchange() { th.sort = this.value; store.set("sort", th.sort); load(th); },
  }, SORTS.map((s) => el("option", { value: s }, t[s])));
  const feedQuery = new URLSearchParams({ site: th.site, url: th.pageUrl });
  if (th.ident) feedQuery.set("identifier", th.ident);
  const feedLink = el("a", { class: "feed", type: "application/atom+xml", href: BASE + "/feed.atom?" + feedQuery }, t.feed);
  ui.list = el("div", { class: "list" });
  ui.moreBtn = el("button", { type: "button", class: "more", hidden: true, onclick: () => load(th, th.cursor) }, t.more);
  ui.freshBtn = el("button", { type: "button", hidden: true, onclick: () => showNew(th) });
  // Hidden until widget.css (which overrides this inline style) has loaded: no flash of bare HTML.
  // Its controls (class "off") stay hidden until the thread has loaded: none around an error.
  const wrap = (ui.wrap = el("div", { class: "r off", lang: th.lang, style: cfg.css && "display:none" },
    ui.live, el("div", { class: "top" }, ui.head, ui.acct), ui.prompt, ui.formBox,
    el("div", { class: "bar" }, feedLink, el("label", {}, t.sort + " ", ui.sortSel)),
    ui.status, el("div", { class: "fresh", "aria-live": "polite" }, ui.freshBtn), ui.list, ui.moreBtn));
  th.ready = new Promise((ok) => {
    if (!cfg.css) return ok();
    th.root.append(el("link", { rel: "stylesheet", href: cfg.css, onload: ok, onerror() { wrap.removeAttribute("style"); ok(); } }));
  });
  th.root.append(wrap);
  th.ui = ui;
}

const node = (th, id) => th.root.getElementById("comment-" + id);
const setCount = (th, n) => (th.ui.head.textContent = th.t.count((th.count = Math.max(0, n))));
const errText = (th, e) =>
  e.code == "comment_rejected" ? th.t.err[e.code] + " " + (e.message || "")
    : (th.t.err[e.code] || e.message || th.t.err.internal).replace("{max}", e.code == "name_too_long" ? th.nmax : th.max).replace("{s}", e.wait || 60);
// One error on screen at a time: showing one (or none, with no `e`) clears the others.
const say = (th, box, e) => {
  th.root.querySelectorAll(".err").forEach((x) => (x.textContent = ""));
  if (e) box.textContent = errText(th, e);
};
const showErr = (th, n, e) => say(th, n.firstChild.querySelector(".err"), e);
function announce(th, msg) {
  th.ui.live.textContent = "";
  setTimeout(() => (th.ui.live.textContent = msg), 100);
}
function ago(th, ms) {
  const d = ms - Date.now();
  if (Math.abs(d) < 6e4) return th.rtf.format(0, "second"); // "now"
  for (const [u, n] of [["year", 31536e6], ["month", 2592e6], ["week", 6048e5], ["day", 864e5], ["hour", 36e5], ["minute", 6e4]])
    if (Math.abs(d) >= n) return th.rtf.format(Math.trunc(d / n), u);
}

function threadQuery(th, after) {
  const p = new URLSearchParams({ site: th.site, url: th.pageUrl, sort: th.sort });
  if (th.ident) p.set("identifier", th.ident);
  if (after) p.set("cursor", after);
  return "/api/threads?" + p;
}

// A page of the thread: the first (after nothing) redraws it all, later ones add to the list.
async function load(th, after) {
  const ui = th.ui;
  ui.moreBtn.disabled = true;
  if (!after) (th.queue = []), bar(th);
  try {
    const d = await api(threadQuery(th, after));
    ui.status.textContent = "";
    ui.wrap.classList.remove("off");
    if (!after) takeThread(th, d);
    ui.list.append(...d.comments.map((c) => comment(th, c, 0)));
    th.cursor = d.next_cursor;
    ui.moreBtn.hidden = !th.cursor;
    if (!after) {
      restorePending(th), th.ready.then(() => showHash(th)); // cannot scroll while hidden
      th.tid = th.tid || d.thread.id;
      th.queue = th.queue.filter((c) => !node(th, c.id)); // arrived while loading
      bar(th), connect(th);
    }
  } catch (e) {
    // A page the site does not list: say what its owner must do.
    const o = e.code == "url_not_on_site" ? th.pageUrl.split("/", 3).join("/") : e.code == "origin_not_allowed" && location.origin;
    ui.status.textContent = errText(th, e) + (o ? " " + th.t.fix(o, th.site) : "");
  }
  ui.moreBtn.disabled = false;
}

// What the first page says about the thread and its site, drawn above an emptied list.
function takeThread(th, d) {
  const ui = th.ui;
  th.closed = d.thread.closed;
  th.max = d.site.max_body_chars || th.max;
  th.nmax = d.site.max_name_chars || th.nmax;
  th.nudge = d.site.nudge;
  ui.sortSel.value = th.sort = d.sort || th.sort;
  setCount(th, d.thread.comment_count);
  ui.prompt.textContent = d.site.prompt || "";
  ui.prompt.hidden = th.closed || !d.site.prompt;
  ui.formBox.replaceChildren(th.closed ? el("p", { class: "note" }, th.t.closed) : (th.mainForm = th.mainForm || form(th, null)));
  ui.list.replaceChildren();
}

// Our own comments still awaiting moderation, kept across reloads until they are published.
function restorePending(th) {
  kv("pending", (m) => {
    for (const [id, p] of Object.entries(m)) {
      if (p.key != th.key) continue;
      const n = node(th, id);
      if (n && n.c.status != "pending") delete m[id];
      else if (!n) insert(th, p.c), standing(th, id, p.tok);
    }
  });
}

// Our own comment the thread does not show: where it stands and why (the statement of reasons).
async function standing(th, id, tok) {
  try {
    const r = await api("/api/comments/" + id, "GET", null, { Authorization: "Bearer " + (tok || (kv("tokens")[id] || {}).token) });
    const n = node(th, id), m = r.moderation;
    if (!n || !m) return;
    if (m.status == "published") kv("pending", (x) => delete x[id]);
    refresh(th, n, { ...r.comment, why: said(th.t, m) });
  } catch { /* unknown here: it stays as drawn */ }
}
function said(t, m) {
  const c = m.categories[0], head = t.st && { pending: t.st[0], rejected: t.st[1], deleted: t.st[2] }[m.status];
  if (!head || (m.status != "pending" && m.decided_by != "moderator")) return m.summary;
  const why = m.note || (c && (t.ph[c.check] ? t.may(t.ph[c.check]) : c.label));
  return head + (why ? ": " + why : "");
}

// Our own new comment goes where we see it; others' (lv) where the sort would put them.
function insert(th, c, lv) {
  const p = c.parent && node(th, c.parent);
  if (p) p.rep.append(comment(th, c, p.d + 1, p.c.author_name));
  else if (!c.parent) (lv ? th.sort != "newest" : th.sort == "oldest") ? th.ui.list.append(comment(th, c, 0)) : th.ui.list.prepend(comment(th, c, 0));
  if (c.status == "published") setCount(th, th.count + 1);
  th.queue = th.queue.filter((x) => x.id != c.id);
  bar(th);
  return node(th, c.id);
}

function showHash(th) {
  const m = /^#comment-(\d+)$/.exec(location.hash), n = m && node(th, m[1]);
  if (!n) return;
  th.root.querySelectorAll(".hl").forEach((x) => x.classList.remove("hl"));
  n.classList.add("hl");
  n.scrollIntoView({ block: "start" });
}
