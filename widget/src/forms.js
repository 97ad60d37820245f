// SPDX-License-Identifier: AGPL-3.0-or-later
// The forms: posting a comment or a reply (with the nudge before it), editing our own comment,
// and reporting someone else's.

// A comment form: the thread's own (parent null) or a reply's, which `close` removes.
function form(th, parent, close) {
  const t = th.t, a = store.get("profile", {});
  const fm = {
    parent, close,
    body: el("textarea", { name: "body", rows: 4, required: true, oninput: () => counter(th, fm) }),
    cnt: el("p", { class: "cnt", "aria-live": "polite" }),
    err: el("p", { class: "err", role: "alert" }),
    // The nudge: what the checks would hold the draft for, with "Edit" and "Post anyway".
    nb: el("div", { class: "nudge", hidden: true }),
  };
  const input = (name, label, attrs) => el("label", {}, label, el("input", { name, value: a[name], ...attrs }));
  fm.f = el("form", { class: "f", onsubmit: (ev) => submitComment(th, fm, ev) },
    el("label", {}, t.body, fm.body), fm.cnt,
    el("div", { class: "who" },
      input("author_name", t.name, { placeholder: t.anon, autocomplete: "name", maxlength: th.nmax }),
      input("author_email", t.email, { type: "email", placeholder: t.emailPh, autocomplete: "email" }),
      input("author_url", t.url, { type: "url", placeholder: "https://", autocomplete: "url" })),
    el("label", { class: "nt" }, el("input", { type: "checkbox", name: "notify_replies", value: "true" }), " ", t.notify),
    fm.err, fm.nb,
    el("div", { class: "btns" },
      el("button", { class: "pri" }, parent ? t.reply : t.post),
      close && el("button", { type: "button", onclick: close }, t.cancel)));
  return fm.f;
}

// Near the site's limit, how many characters are left; past it, how many too many (nothing is
// cut: the server says no to a comment over the limit).
function counter(th, fm) {
  const left = th.max - [...fm.body.value].length;
  fm.cnt.textContent = left < th.max / 10 ? (left < 0 ? th.t.over(-left) : th.t.left(left)) : "";
  fm.cnt.classList.toggle("over", left < 0);
}

// Asks the checks first when the site nudges (unless "Post anyway" was pressed), then posts.
async function submitComment(th, fm, ev) {
  const f = fm.f;
  ev.preventDefault();
  if (f.busy) return;
  const v = Object.fromEntries(new FormData(f)), sure = f.ok;
  const opt = (k) => v[k].trim() || null;
  store.set("profile", { author_name: v.author_name, author_email: v.author_email, author_url: v.author_url });
  f.busy = true;
  fm.nb.hidden = true;
  f.ok = 0;
  say(th);
  const data = {
    site: th.site, url: th.pageUrl, identifier: th.ident, title: th.title, parent: fm.parent, body: v.body,
    author_name: opt("author_name"), author_email: opt("author_email"), author_url: opt("author_url"),
    notify_replies: v.notify_replies == "true",
  }, who = { "X-Rostra-Author": reader.author };
  const ck = th.nudge && !sure && (await api("/api/comments/check", "POST", data, who).catch(() => ({})));
  if (ck && ck.verdict && ck.verdict != "allow") return void (showNudge(th, fm, ck), (f.busy = false));
  th.posting++;
  try {
    posted(th, fm, await api("/api/comments", "POST", data, who), v.body);
  } catch (e) {
    say(th, fm.err, e);
  }
  th.posting--;
  bar(th);
  f.busy = false;
}

// The server took our comment: remember its edit token, draw it, show it (scrolled to,
// highlighted, its status beside it) and say so.
function posted(th, fm, r, text) {
  const c = r.comment, pending = c.status == "pending";
  const said = (pending ? th.t.postedPending : th.t.posted) + (r.notify_replies == "confirmation_sent" ? " " + th.t.confirmSent : "");
  kv("tokens", (m) => (m[c.id] = { token: r.edit_token, until: r.edit_until, body: text }));
  kv("own", (m) => (m[c.id] = Date.now()));
  if (pending) kv("pending", (m) => (m[c.id] = { key: th.key, c, at: Date.now(), tok: r.edit_token }));
  fm.body.value = "";
  counter(th, fm);
  const n = insert(th, { ...c, why: said });
  if (pending) standing(th, c.id, r.edit_token);
  announce(th, said);
  if (fm.close) fm.close();
  if (n) n.classList.add("new"), (n.tabIndex = -1), n.focus({ preventScroll: true }), n.scrollIntoView({ block: "center" });
  if (!th.tid) api(threadQuery(th)).then((d) => ((th.tid = d.thread.id), connect(th)), () => {}); // we created the thread
}

function showNudge(th, fm, ck) {
  const t = th.t, f = fm.f;
  const a = ck.reasons.filter((x) => x.attribute && x.verdict == ck.verdict).sort((x, y) => y.score - x.score)[0];
  const w = a && [...new Set(a.spans.map((x) => "“" + x.text + "”"))].slice(0, 3).join(", ");
  fm.nb.replaceChildren(
    el("p", { role: "alert" }, a && t.nudge ? t.nudge(t.ph[a.attribute], w ? ": " + w : "") : ck.message),
    el("div", { class: "btns" },
      el("button", { type: "button", onclick: () => ((fm.nb.hidden = true), fm.body.focus()) }, t.edit),
      ck.verdict == "hold" && el("button", { type: "button", class: "pri", onclick: () => ((f.ok = 1), f.requestSubmit()) }, t.anyway)));
  fm.nb.hidden = false;
}

function replyForm(th, n, btn) {
  const m = n.firstChild, old = m.querySelector(".rf");
  if (old) return old.querySelector("textarea").focus();
  const f = form(th, n.c.id, () => { f.remove(); btn.focus(); });
  f.classList.add("rf");
  m.append(f);
  f.querySelector("textarea").focus();
}

function editForm(th, n, btn) {
  const t = th.t, m = n.firstChild, b = m.querySelector(".body"), id = n.c.id;
  if (m.querySelector(".ef")) return;
  const ta = el("textarea", { rows: 4, required: true, "aria-label": t.body },
    (mine(id) || {}).body ?? b.innerText);
  const close = () => { f.remove(); b.hidden = false; btn.focus(); };
  const f = el("form", { class: "f ef", onsubmit: (ev) => (ev.preventDefault(), saveEdit(th, n, ta)) },
    ta, el("div", { class: "btns" },
      el("button", { class: "pri" }, t.save),
      el("button", { type: "button", onclick: close }, t.cancel)));
  b.hidden = true;
  b.after(f);
  ta.focus();
}

async function saveEdit(th, n, ta) {
  const id = n.c.id;
  th.busy.add(id);
  try {
    const r = await api("/api/comments/" + id, "PATCH", { body: ta.value }, auth(id));
    const c = r.comment, was = n.c.status, held = c.status == "pending";
    kv("tokens", (x) => x[id] && (x[id].body = ta.value));
    // An edit may be held for moderation (or released): keep the marker, the count and the stored copy right.
    kv("pending", (x) => (held ? (x[id] = { key: th.key, c, at: Date.now() }) : delete x[id]));
    if (was != c.status) setCount(th, th.count + (held ? -1 : was == "pending" ? 1 : 0));
    refresh(th, n, c);
    announce(th, held ? th.t.savedPending : th.t.saved);
    n.firstChild.querySelector(".ed-btn")?.focus();
  } catch (e) {
    showErr(th, n, e);
  }
  th.busy.delete(id);
}

// Reporting: a small form under the comment; reports are remembered so the button reads "Reported".
function reportForm(th, n, btn) {
  const t = th.t, m = n.firstChild, old = m.querySelector(".rpf"), id = n.c.id;
  if (old) return old.querySelector("select").focus();
  const err = el("p", { class: "err", role: "alert" });
  const sel = el("select", { name: "reason", required: true },
    el("option", { value: "" }, t.pick), REASONS.map((r, i) => el("option", { value: r }, t.reasons[i])));
  const note = el("textarea", { name: "note", rows: 2, maxlength: 500 });
  const close = () => { f.remove(); btn.setAttribute("aria-expanded", "false"); btn.focus(); };
  const done = () => {
    kv("reports", (x) => (x[id] = true));
    const p = el("p", { class: "note", tabindex: -1 }, t.thanks);
    f.replaceWith(p);
    Object.assign(btn, { textContent: t.reported, disabled: true });
    btn.removeAttribute("aria-expanded");
    p.focus();
  };
  const f = el("form", { class: "f rpf", "aria-label": t.report, onkeydown: (e) => e.key == "Escape" && close(), async onsubmit(ev) {
    ev.preventDefault();
    if (f.busy) return;
    f.busy = true;
    err.textContent = "";
    try {
      await api(`/api/comments/${id}/report`, "POST", { reason: sel.value, note: note.value.trim() || null }, { "X-Rostra-Voter": reader.voter });
      done();
    } catch (e) {
      if (e.code == "already_reported") done();
      else say(th, err, e);
    }
    f.busy = false;
  } },
  el("label", {}, t.why, sel),
  el("label", {}, t.note, note),
  err,
  el("div", { class: "btns" },
    el("button", { class: "pri" }, t.send),
    el("button", { type: "button", onclick: close }, t.cancel)));
  m.append(f);
  btn.setAttribute("aria-expanded", "true");
  sel.focus();
}
