// SPDX-License-Identifier: AGPL-3.0-or-later
// Drawing one comment: an <article> holding .main (the comment, its header and its buttons) and
// .rep (its replies); and what its buttons do that needs no form: voting, deleting, more replies.

function comment(th, c, depth, parentName) {
  const old = node(th, c.id);
  if (old) old.remove(); // a pending comment we drew ourselves, now delivered by the server
  const n = el("article", { class: "c", id: "comment-" + c.id });
  Object.assign(n, { c, d: depth, pn: parentName });
  n.rep = el("div", { class: depth < MAX_DEPTH ? "rep in" : "rep" },
    (c.replies || []).map((r) => comment(th, r, depth + 1, c.author_name)));
  n.append(drawMain(th, n), n.rep, moreReplies(th, n, c.more_replies));
  return n;
}

function refresh(th, n, c) {
  n.c = { ...n.c, ...c, replies: [] };
  n.firstChild.replaceWith(drawMain(th, n));
}

const nameOf = (t, s) => (s == null ? t.deleted : s == "Anonymous" ? t.anon : s);
// The commenter's identicon: an account's, or one the server draws from a guest's name (hashed here).
const avatar = (c) => BASE + (c.avatar_url || "/api/avatars/" + ([...c.author_name || ""].reduce((h, x) => Math.imul(h ^ x.codePointAt(), 16777619), 2166136261) >>> 0).toString(16) + ".svg");

function drawMain(th, n) {
  const c = n.c, gone = c.status == "deleted";
  return el("div", { class: "main" },
    drawHeader(th, n),
    c.why && el("p", { class: "why", role: "status" }, c.why),
    el("div", { class: "body", html: c.body_html }),
    !gone && drawActions(th, n, mine(c.id)),
    el("p", { class: "err", role: "alert" }));
}

function drawHeader(th, n) {
  const t = th.t, c = n.c, id = c.id, gone = c.status == "deleted", at = new Date(c.created_at);
  const folded = n.classList.contains("folded");
  return el("header", {},
    button("fold", folded ? "+" : "−", function () {
      const f = n.classList.toggle("folded");
      this.setAttribute("aria-expanded", !f);
      this.textContent = f ? "+" : "−";
    }, { "aria-expanded": String(!folded), "aria-label": t.fold }),
    !gone && el("img", { class: "av", src: avatar(c), alt: "", loading: "lazy" }),
    !gone && /^https?:\/\//i.test(c.author_url || "")
      ? el("a", { class: "au", href: c.author_url, rel: "nofollow ugc noopener" }, nameOf(t, c.author_name))
      : el("b", { class: "au" }, nameOf(t, c.author_name)),
    !gone && c.badge && el("span", { class: "badge badge-" + c.badge }, t.badges[c.badge] || c.badge),
    n.d > MAX_DEPTH && el("span", { class: "to" }, t.replyTo + " " + nameOf(t, n.pn)),
    el("a", { class: "when", href: "#comment-" + id },
      el("time", { datetime: at.toISOString(), title: th.dtf.format(at) }, ago(th, c.created_at))),
    c.edited_at && !gone && el("span", { class: "edited" }, t.edited),
    c.featured && el("span", { class: "badge" }, "Featured"),
    c.status == "pending" && el("span", { class: "pending" }, t.pending));
}

const button = (cls, label, onclick, extra) => el("button", { type: "button", class: cls, onclick, ...extra }, label);

// Votes, reply and report for a published comment; edit and delete for our own (within the window).
function drawActions(th, n, own) {
  const t = th.t, c = n.c, id = c.id, v = kv("votes")[id] || 0, told = kv("reports")[id];
  return el("div", { class: "acts" },
    c.status == "published" && [
      button("up", "▲", () => vote(th, n, kv("votes")[id] == 1 ? 0 : 1), { "aria-pressed": String(v == 1), "aria-label": t.up }),
      el("span", { class: "score", title: t.votes(c.upvotes, c.downvotes) }, c.score),
      button("down", "▼", () => vote(th, n, kv("votes")[id] == -1 ? 0 : -1), { "aria-pressed": String(v == -1), "aria-label": t.down }),
      !th.closed && button("", t.reply, (e) => replyForm(th, n, e.currentTarget)),
      !own && !kv("own")[id] && button("rp", told ? t.reported : t.report, (e) => reportForm(th, n, e.currentTarget),
        told ? { disabled: true } : { "aria-expanded": "false" }),
    ],
    own && [
      button("ed-btn", t.edit, (e) => editForm(th, n, e.currentTarget)),
      button("", t.del, () => remove(th, n)),
    ]);
}

function moreReplies(th, n, cur) {
  const b = el("button", { type: "button", class: "more", hidden: !cur, async onclick() {
    b.disabled = true;
    try {
      const d = await api(`/api/comments/${n.c.id}/replies?cursor=${encodeURIComponent(cur)}`);
      n.rep.append(...d.comments.map((r) => comment(th, r, n.d + 1, n.c.author_name)));
      cur = d.next_cursor;
      b.hidden = !cur;
    } catch (e) {
      showErr(th, n, e);
    }
    b.disabled = false;
  } }, th.t.moreReplies);
  return b;
}

async function vote(th, n, value) {
  const id = n.c.id;
  try {
    const r = await api(`/api/comments/${id}/vote`, "POST", { value }, { "X-Rostra-Voter": reader.voter });
    kv("votes", (m) => (r.value ? (m[id] = r.value) : delete m[id]));
    const b = (s) => n.firstChild.querySelector(s);
    b(".up").setAttribute("aria-pressed", r.value == 1);
    b(".down").setAttribute("aria-pressed", r.value == -1);
    score(th, n, r);
  } catch (e) {
    showErr(th, n, e);
  }
}

function score(th, n, r) {
  Object.assign(n.c, r);
  const s = n.firstChild.querySelector(".score");
  if (s) (s.textContent = r.score), (s.title = th.t.votes(r.upvotes, r.downvotes));
}

async function remove(th, n) {
  if (!confirm(th.t.confirmDel)) return;
  const id = n.c.id;
  th.busy.add(id);
  try {
    const r = await api("/api/comments/" + id, "DELETE", null, auth(id));
    kv("tokens", (m) => delete m[id]);
    kv("pending", (m) => delete m[id]);
    if (n.c.status == "published") setCount(th, th.count - 1); // not if the live event came first
    if (n.rep.children.length) refresh(th, n, { ...r.comment, status: "deleted" }); // tombstone keeps its replies
    else n.remove();
    announce(th, th.t.removed);
  } catch (e) {
    showErr(th, n, e);
  }
  th.busy.delete(id);
}
