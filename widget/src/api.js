// SPDX-License-Identifier: AGPL-3.0-or-later
// The widget's ground floor: building elements, what this browser keeps (localStorage), the
// reader's tokens and session, and the JSON API (docs/api.md). The other parts build on these.

// embed.js's data-* attributes: the server's address, the stylesheet's and account.js's.
const cfg = (document.currentScript || {}).dataset || {};
const BASE = (cfg.base || "").replace(/\/$/, "");

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k == "html") e.innerHTML = v; // only ever body_html, which the server sanitized
    else e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...kids.flat(2).filter((k) => k != null && k !== false));
  return e;
}

const store = {
  get(k, d) {
    try { return JSON.parse(localStorage.getItem("rostra:" + k)) || d; } catch { return d; }
  },
  set(k, v) {
    try { localStorage.setItem("rostra:" + k, JSON.stringify(v)); } catch { /* private mode */ }
  },
};
// Read-modify-write of a stored map, re-read each time so that several tabs do not clobber it.
function kv(k, change) {
  const m = store.get(k, {});
  if (change) change(m), store.set(k, m);
  return m;
}

// The stored maps: edit tokens (id → {token, until, body}), our comments awaiting moderation
// (id → {key, c, at, tok}), our own comments (id → time posted, so that we never offer to
// report them). Each forgets what no longer matters.
function forgetExpired() {
  const now = Date.now();
  kv("tokens", (m) => { for (const id in m) if (m[id].until < now) delete m[id]; });
  kv("pending", (m) => { for (const id in m) if (m[id].at < now - 7 * 864e5) delete m[id]; });
  kv("own", (m) => { for (const id in m) if (m[id] < now - 365 * 864e5) delete m[id]; });
}

// This browser's reader: random, stable tokens, made once by start() (main.js). The voter one
// counts votes and reports; the author one links a guest's comments.
const reader = { voter: null, author: null };
const token = (k) => {
  let v = store.get(k);
  if (typeof v != "string") store.set(k, (v = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")));
  return v;
};
const mine = (id) => { const x = kv("tokens")[id]; return x && x.until > Date.now() ? x : null; };
const auth = (id) => ({ Authorization: "Bearer " + (kv("tokens")[id] || {}).token, "X-Rostra-Author": reader.author });

// A signed-in reader's session token (docs/identity.md): kept in this page's localStorage and
// sent as a header, never as a cookie, so it works where third-party cookies are blocked.
const session = () => { const s = store.get("session"); return typeof s == "string" ? s : null; };
async function api(path, method = "GET", body, headers = {}) {
  let r;
  try {
    if (body) headers["Content-Type"] = "application/json";
    if (session()) headers["X-Rostra-Session"] = session();
    r = await fetch(BASE + path, { method, headers, credentials: "omit", body: body && JSON.stringify(body) });
  } catch {
    throw { code: "network" };
  }
  const j = await r.json().catch(() => ({}));
  if (r.status == 401 && j.error && j.error.code == "not_signed_in") store.set("session", null);
  // Rate limits say how long to wait (Retry-After, in seconds).
  if (!r.ok) throw { ...(j.error || { code: "internal" }), wait: r.headers.get("Retry-After") };
  return j;
}
// Signing in: a publisher's SSO token, or the token of an e-mailed link in the URL fragment.
async function signIn(path, body) {
  const j = await api(path, "POST", body);
  store.set("session", j.session);
  store.set("account", j.account);
  return j.account;
}

// account.js, once, from the address embed.js gave (a page may load it itself instead).
let accountScript;
const loadAccount = () => accountScript ||= window.RostraAccount ? Promise.resolve() : new Promise((ok, no) =>
  document.head.append(el("script", { src: cfg.account, onload: ok, onerror: () => (accountScript = null, no()) })));
