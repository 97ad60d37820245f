// SPDX-License-Identifier: AGPL-3.0-or-later
// Live updates: the thread's Server-Sent Events stream, open only while the page is visible.
// Others' new comments wait behind an "N new comments" button; edits, deletions and votes apply
// in place.

function connect(th) {
  const st = th.stream;
  if (!th.tid || th.es) return;
  if (document.hidden) return void (th.gap = 1);
  const x = (th.es = new EventSource(BASE + `/api/threads/${th.tid}/events` + (st.lastEventId ? "?last_event_id=" + encodeURIComponent(st.lastEventId) : "")));
  x.onopen = () => { st.connected = true; th.wait = 2e3; };
  x.onerror = () => {
    st.connected = false;
    // The browser retries by itself unless the server answered with an error: then we do, slower each time.
    if (x.readyState == 2 && th.es == x) th.es = null, setTimeout(() => connect(th), (th.wait = Math.min(th.wait * 2, 3e5)));
  };
  for (const k in liveEvents)
    x.addEventListener(k, (e) => {
      st.lastEventId = e.lastEventId || st.lastEventId;
      try { liveEvents[k](th, JSON.parse(e.data)); } catch { /* malformed: the next load shows the truth */ }
      st.events++;
    });
  // Hidden before any event came: no id to resume from, so compare with the thread instead.
  if (th.gap && !st.lastEventId) api(threadQuery(th)).then((d) => walk(th, d.comments), () => {});
  th.gap = 0;
}

// The stream is closed while the page is hidden, and reopened (resuming) when it shows again.
function followVisibility(th) {
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) return connect(th);
    if (th.es) th.es.close(), (th.es = null);
    th.stream.connected = false;
    th.gap = 1;
  });
}

const walk = (th, cs) => cs.forEach((c) => {
  if (c.status == "published") liveEvents.comment(th, { comment: { ...c, replies: [], more_replies: null } });
  walk(th, c.replies || []);
});
const updateQueued = (th, id, x) => Object.assign(th.queue.find((c) => c.id == id) || {}, x);

// One handler per event the stream sends (docs/api.md).
const liveEvents = {
  comment(th, { comment: c }) {
    const n = node(th, c.id);
    if (n) {
      if (n.c.status == "pending") refresh(th, n, c), setCount(th, th.count + 1), kv("pending", (m) => delete m[c.id]); // ours, approved
      return;
    }
    if (th.queue.some((x) => x.id == c.id) || (c.parent && !node(th, c.parent) && !th.queue.some((x) => x.id == c.parent))) return;
    th.queue.push(c);
    bar(th);
  },
  edit(th, { comment: c }) {
    const n = node(th, c.id), m = n && n.firstChild, was = n && n.c.status;
    if (!n) return updateQueued(th, c.id, c);
    if (was != c.status || was == "deleted") {
      refresh(th, n, c);
      setCount(th, th.count + (c.status == "published") - (was == "published"));
      kv("pending", (x) => delete x[c.id]);
    } else {
      n.c = { ...n.c, ...c }; // in place: open forms and replies stay
      m.querySelector(".body").innerHTML = c.body_html;
      if (c.edited_at && !m.querySelector(".edited")) m.querySelector(".when").after(el("span", { class: "edited" }, th.t.edited));
    }
  },
  remove(th, { id }) {
    const n = node(th, id);
    th.queue = th.queue.filter((c) => c.id != id && c.parent != id);
    bar(th);
    // While we edit or delete it ourselves, the answer draws it (an edit may have held it).
    if (!n || n.c.status == "pending" || th.busy.has(id)) return;
    if (n.c.status == "published") setCount(th, th.count - 1);
    if (n.rep.children.length) refresh(th, n, { status: "deleted", body_html: "", author_name: null, author_url: null });
    else n.remove();
  },
  vote(th, r) {
    const n = node(th, r.id);
    n ? score(th, n, r) : updateQueued(th, r.id, r);
  },
};

// The "N new comments" button.
function bar(th) {
  if (th.posting) return; // our own comment may arrive before the answer to posting it
  const s = th.queue.length ? th.t.fresh(th.queue.length) : "";
  if (th.ui.freshBtn.textContent != s) th.ui.freshBtn.textContent = s;
  th.ui.freshBtn.hidden = !s;
  th.stream.pending = th.queue.length;
}

function showNew(th) {
  const ns = [];
  for (const c of th.queue.splice(0)) if (!node(th, c.id) && (!c.parent || node(th, c.parent))) ns.push(insert(th, c, 1));
  bar(th);
  ns.forEach((n) => n.classList.add("lv"));
  setTimeout(() => ns.forEach((n) => n.classList.remove("lv")), 4e3);
  const f = ns.sort((a, b) => (a.compareDocumentPosition(b) & 2 ? 1 : -1))[0];
  if (f) (f.tabIndex = -1), f.focus();
}
