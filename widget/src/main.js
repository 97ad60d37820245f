// SPDX-License-Identifier: AGPL-3.0-or-later
// Start-up: mounting a thread in every container on the page, the account bar, and the page's
// `window.Rostra` (reload, SSO login and logout, the live state for tests). Joined last, this part
// alone runs anything; the others only declare.

const VERSION = "0.1.0";
const threads = [];

// Drawn once its language's words are here (English at once; another after its file).
async function mount(host) {
  if (host.shadowRoot || !host.dataset.rostraSite) return;
  const root = host.attachShadow({ mode: "open" });
  const th = newThread(host, root, await words(wanted(host)));
  drawFrame(th);
  setInterval(() => th.root.querySelectorAll("time").forEach((x) => (x.textContent = ago(th, Date.parse(x.dateTime)))), 6e4);
  followVisibility(th);
  addEventListener("hashchange", () => showHash(th));
  load(th);
  const drawAccount = accountBar(th);
  drawAccount();
  return { reload: () => (drawAccount(), load(th)), live: th.stream };
}

// Sign-in and account controls live in account.js, fetched only for a reader who is signed in,
// opened an account link, or asks for them: most readers never download it.
function accountBar(th) {
  const acct = th.ui.acct;
  const acctCtx = {
    el, api, signIn, site: th.site, pageUrl: th.pageUrl, store, lang: th.lang, base: BASE, reload: () => window.Rostra.reload(),
    forget: () => (store.set("session", null), store.set("account", null)),
  };
  const openAccount = () => loadAccount().then(() => window.RostraAccount.draw(acct, acctCtx), () => acct.replaceChildren(th.t.err.network));
  return () => window.RostraAccount || session() || /^#rostra-(reset|guest-data)=/.test(location.hash)
    ? openAccount()
    : cfg.account && acct.replaceChildren(el("button", { type: "button", class: "acct-open", onclick: openAccount }, th.t.signIn));
}

function scan() {
  document.querySelectorAll("#rostra-thread, [data-rostra-site]").forEach((h) => {
    const sso = h.dataset.ssoToken;
    if (sso && !session()) signIn("/api/sso", { site: h.dataset.rostraSite, token: sso }).then(() => window.Rostra.reload(), (e) => console.error("Rostra SSO:", e));
    mount(h).then((th) => th && threads.push(th), (e) => console.error("Rostra:", e));
  });
}

function start() {
  forgetExpired();
  // Name, e-mail and website used to live in "rostra:author", which is now the author token.
  const prof = store.get("author");
  if (prof && typeof prof == "object") store.set("profile", prof);
  reader.voter = token("voter");
  reader.author = token("author");
  const fromLink = /^#rostra-login=([\w-]+)$/.exec(location.hash);
  const linked = fromLink
    ? (history.replaceState(null, "", location.href.split("#")[0]), signIn("/api/account/link", { token: fromLink[1] }).catch(() => null))
    : Promise.resolve(null);
  // live: the first thread's {connected, pending, events, lastEventId}, for tests.
  window.Rostra = {
    version: VERSION, reload: () => Promise.all(threads.map((th) => th.reload())), scan, get live() { return threads[0] && threads[0].live; },
    // SSO: the publisher's page hands over its signed token (docs/identity.md).
    login: async (token, site) => {
      const account = await signIn("/api/sso", { site: site || (document.querySelector("[data-rostra-site]") || {dataset: {}}).dataset.rostraSite, token });
      await window.Rostra.reload();
      return account;
    },
    logout: async () => {
      await api("/api/account/logout", "POST").catch(() => null);
      store.set("session", null), store.set("account", null);
      await window.Rostra.reload();
    },
    get account() { return session() ? store.get("account", null) : null; },
  };
  linked.then((a) => a && window.Rostra.reload());
  if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
}

if (window.Rostra) window.Rostra.scan(); // loaded twice: just mount any new containers
else start();
