// Rostra comment widget: draws a thread inside a Shadow DOM and talks to the JSON API (docs/api.md).
(() => {
  const cfg = (document.currentScript || {}).dataset || {};
  if (window.Rostra) return window.Rostra.scan(); // loaded twice: just mount any new containers
  const VERSION = "0.1.0";
  const MAX_DEPTH = 4; // replies deeper than this are not indented further
  const BASE = (cfg.base || "").replace(/\/$/, "");
  const SORTS = ["oldest", "newest", "best"];
  const REASONS = ["spam", "harassment", "hate", "violence", "off_topic", "other"];

  // ---- strings: {max} in an error is replaced by the site's body length limit ----
  const STRINGS = {
    en: {
      count: (n) => (n == 1 ? "1 comment" : n + " comments"),
      body: "Your comment", name: "Name (optional)", anon: "Anonymous",
      email: "E-mail (optional, never shown)", emailPh: "never shown", url: "Website (optional)",
      notify: "E-mail me when someone replies", confirmSent: "Check your e-mail to confirm reply notifications.",
      post: "Post comment", reply: "Reply", cancel: "Cancel", save: "Save", edit: "Edit",
      del: "Delete", confirmDel: "Delete this comment?", edited: "(edited)",
      pending: "Awaiting moderation", deleted: "[deleted]", closed: "Comments are closed.",
      posted: "Comment posted", postedPending: "Comment posted. It is awaiting moderation.",
      saved: "Comment saved", removed: "Comment deleted", sort: "Sort by", feed: "Comments feed (Atom)",
      oldest: "Oldest", newest: "Newest", best: "Best", more: "Load more comments",
      moreReplies: "Load more replies", replyTo: "in reply to", up: "Upvote", down: "Downvote",
      fold: "Show comment and replies", loading: "Loading comments…",
      votes: (u, d) => `${u} up, ${d} down`, savedPending: "Comment saved. It is awaiting moderation.",
      report: "Report", reported: "Reported", why: "Why are you reporting this comment?", pick: "Choose a reason",
      reasons: ["Spam", "Harassment", "Hate", "Violence", "Off-topic", "Other"], note: "Note (optional)",
      send: "Send report", thanks: "Thanks, a moderator will look at it.",
      fresh: (n) => (n == 1 ? "1 new comment" : n + " new comments"),
      badges: { staff: "Staff", moderator: "Moderator" },
      signIn: "Sign in", anyway: "Post anyway",
      err: {
        network: "Could not reach the comment server. Please try again.",
        body_empty: "Please write a comment first.",
        body_too_long: "Your comment is longer than {max} characters.",
        body_too_short: "Your comment is too short.",
        name_too_long: "The name is too long.",
        invalid_email: "That e-mail address does not look right.",
        invalid_author_url: "The website must be an http:// or https:// address.",
        rate_limited: "You are writing too fast. Please wait a moment and try again.",
        thread_closed: "Comments are closed.",
        edit_window_expired: "The time for changing this comment has passed.",
        invalid_token: "You can no longer change this comment.",
        missing_token: "You can no longer change this comment.",
        comment_deleted: "That comment has been deleted.",
        parent_not_found: "The comment you replied to no longer exists.",
        comment_not_found: "That comment no longer exists.",
        unknown_site: "Comments are not set up for this site.",
        url_not_on_site: "Comments are not enabled for this page's address.",
        origin_not_allowed: "Comments are not enabled for this page's address.",
        internal: "Something went wrong on our side. Please try again later.",
        banned: "You can't comment on this site.",
        comment_rejected: "Your comment was not posted:",
        already_reported: "You have already reported this comment.",
        invalid_report_reason: "Please choose a reason.",
        note_too_long: "The note is longer than 500 characters.",
      },
    },
    de: {
      count: (n) => (n == 1 ? "1 Kommentar" : n + " Kommentare"),
      body: "Ihr Kommentar", name: "Name (optional)", anon: "Anonym",
      email: "E-Mail (optional, wird nie angezeigt)", emailPh: "wird nie angezeigt",
      notify: "Mich per E-Mail über Antworten benachrichtigen", confirmSent: "Bitte bestätigen Sie die Benachrichtigungen in Ihrem Postfach.",
      url: "Website (optional)", post: "Kommentar senden", reply: "Antworten",
      cancel: "Abbrechen", save: "Speichern", edit: "Bearbeiten", del: "Löschen",
      confirmDel: "Diesen Kommentar löschen?", edited: "(bearbeitet)",
      pending: "Wartet auf Freigabe", deleted: "[gelöscht]", closed: "Die Kommentare sind geschlossen.",
      posted: "Kommentar veröffentlicht", postedPending: "Kommentar gesendet. Er wartet auf Freigabe.",
      saved: "Kommentar gespeichert", removed: "Kommentar gelöscht", sort: "Sortieren nach", feed: "Kommentar-Feed (Atom)",
      oldest: "Älteste", newest: "Neueste", best: "Beste", more: "Weitere Kommentare laden",
      moreReplies: "Weitere Antworten laden", replyTo: "Antwort an", up: "Positiv bewerten",
      down: "Negativ bewerten", fold: "Kommentar und Antworten zeigen",
      loading: "Kommentare werden geladen …", votes: (u, d) => `${u} positiv, ${d} negativ`,
      savedPending: "Kommentar gespeichert. Er wartet auf Freigabe.",
      report: "Melden", reported: "Gemeldet", why: "Warum melden Sie diesen Kommentar?", pick: "Grund auswählen",
      reasons: ["Spam", "Belästigung", "Hass", "Gewalt", "Themenfremd", "Sonstiges"], note: "Anmerkung (optional)",
      send: "Meldung senden", thanks: "Danke, ein Moderator sieht sich das an.",
      fresh: (n) => (n == 1 ? "1 neuer Kommentar" : n + " neue Kommentare"),
      signIn: "Anmelden", anyway: "Trotzdem senden",
      // The nudge and the statement of reasons; English comes from the server's words.
      nudge: (p, w) => `Dies könnte als ${p} verstanden werden${w}. Bearbeiten Sie den Text, oder senden Sie ihn zur Prüfung an die Moderation.`,
      may: (p) => `könnte als ${p} verstanden werden`,
      st: ["Zur Prüfung zurückgehalten", "Von der Moderation abgelehnt", "Von der Moderation entfernt"],
      ph: { toxicity: "beleidigend", insult: "Beleidigung", identity_attack: "Angriff auf eine Gruppe von Menschen",
        threat: "Drohung oder Aufruf zur Gewalt", dehumanization: "entmenschlichend", profanity: "vulgär" },
      err: {
        network: "Der Kommentar-Server ist nicht erreichbar. Bitte versuchen Sie es erneut.",
        body_empty: "Bitte schreiben Sie zuerst einen Kommentar.",
        body_too_long: "Ihr Kommentar ist länger als {max} Zeichen.",
        body_too_short: "Ihr Kommentar ist zu kurz.",
        name_too_long: "Der Name ist zu lang.",
        invalid_email: "Diese E-Mail-Adresse scheint nicht zu stimmen.",
        invalid_author_url: "Die Website muss mit http:// oder https:// beginnen.",
        rate_limited: "Sie schreiben zu schnell. Bitte warten Sie einen Moment.",
        thread_closed: "Die Kommentare sind geschlossen.",
        edit_window_expired: "Die Zeit zum Ändern dieses Kommentars ist abgelaufen.",
        invalid_token: "Sie können diesen Kommentar nicht mehr ändern.",
        missing_token: "Sie können diesen Kommentar nicht mehr ändern.",
        comment_deleted: "Dieser Kommentar wurde gelöscht.",
        parent_not_found: "Der Kommentar, auf den Sie antworten, existiert nicht mehr.",
        comment_not_found: "Dieser Kommentar existiert nicht mehr.",
        unknown_site: "Kommentare sind für diese Website nicht eingerichtet.",
        url_not_on_site: "Kommentare sind für diese Seitenadresse nicht freigeschaltet.",
        origin_not_allowed: "Kommentare sind für diese Seitenadresse nicht freigeschaltet.",
        internal: "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es später erneut.",
        banned: "Sie können auf dieser Website nicht kommentieren.",
        comment_rejected: "Ihr Kommentar wurde nicht veröffentlicht:",
        already_reported: "Sie haben diesen Kommentar bereits gemeldet.",
        invalid_report_reason: "Bitte wählen Sie einen Grund aus.",
        note_too_long: "Die Anmerkung ist länger als 500 Zeichen.",
      },
    },
    fr: {
      count: (n) => (n < 2 ? n + " commentaire" : n + " commentaires"),
      body: "Votre commentaire", name: "Nom (facultatif)", anon: "Anonyme",
      email: "E-mail (facultatif, jamais affiché)", emailPh: "jamais affiché",
      notify: "M'avertir par e-mail des réponses", confirmSent: "Confirmez les notifications depuis votre boîte e-mail.",
      url: "Site web (facultatif)", post: "Publier", reply: "Répondre", cancel: "Annuler",
      save: "Enregistrer", edit: "Modifier", del: "Supprimer",
      confirmDel: "Supprimer ce commentaire ?", edited: "(modifié)",
      pending: "En attente de modération", deleted: "[supprimé]",
      closed: "Les commentaires sont fermés.", posted: "Commentaire publié",
      postedPending: "Commentaire envoyé. Il est en attente de modération.",
      saved: "Commentaire enregistré", removed: "Commentaire supprimé", sort: "Trier par", feed: "Flux des commentaires (Atom)",
      oldest: "Plus anciens", newest: "Plus récents", best: "Meilleurs",
      more: "Charger plus de commentaires", moreReplies: "Charger plus de réponses",
      replyTo: "en réponse à", up: "Vote positif", down: "Vote négatif",
      fold: "Afficher le commentaire et les réponses", loading: "Chargement des commentaires…",
      votes: (u, d) => `${u} pour, ${d} contre`,
      savedPending: "Commentaire enregistré. Il est en attente de modération.",
      report: "Signaler", reported: "Signalé", why: "Pourquoi signalez-vous ce commentaire ?", pick: "Choisissez un motif",
      reasons: ["Spam", "Harcèlement", "Haine", "Violence", "Hors sujet", "Autre"], note: "Remarque (facultative)",
      send: "Envoyer le signalement", thanks: "Merci, un modérateur va l'examiner.",
      fresh: (n) => (n == 1 ? "1 nouveau commentaire" : n + " nouveaux commentaires"),
      signIn: "Se connecter", anyway: "Publier quand même",
      nudge: (p, w) => `Ceci pourrait être lu comme ${p}${w}. Modifiez-le, ou publiez-le pour qu'un modérateur l'examine.`,
      may: (p) => "pourrait être lu comme " + p,
      st: ["Retenu pour examen", "Refusé par un modérateur", "Supprimé par un modérateur"],
      ph: { toxicity: "injurieux", insult: "une insulte", identity_attack: "une attaque contre un groupe de personnes",
        threat: "une menace ou un appel à la violence", dehumanization: "déshumanisant", profanity: "vulgaire" },
      err: {
        network: "Le serveur de commentaires est injoignable. Veuillez réessayer.",
        body_empty: "Veuillez d'abord écrire un commentaire.",
        body_too_long: "Votre commentaire dépasse {max} caractères.",
        body_too_short: "Votre commentaire est trop court.",
        name_too_long: "Le nom est trop long.",
        invalid_email: "Cette adresse e-mail ne semble pas valide.",
        invalid_author_url: "Le site web doit commencer par http:// ou https://.",
        rate_limited: "Vous écrivez trop vite. Veuillez patienter un instant.",
        thread_closed: "Les commentaires sont fermés.",
        edit_window_expired: "Le délai pour modifier ce commentaire est écoulé.",
        invalid_token: "Vous ne pouvez plus modifier ce commentaire.",
        missing_token: "Vous ne pouvez plus modifier ce commentaire.",
        comment_deleted: "Ce commentaire a été supprimé.",
        parent_not_found: "Le commentaire auquel vous répondez n'existe plus.",
        comment_not_found: "Ce commentaire n'existe plus.",
        unknown_site: "Les commentaires ne sont pas configurés pour ce site.",
        url_not_on_site: "Les commentaires ne sont pas activés pour cette adresse.",
        origin_not_allowed: "Les commentaires ne sont pas activés pour cette adresse.",
        internal: "Une erreur s'est produite de notre côté. Veuillez réessayer plus tard.",
        banned: "Vous ne pouvez pas commenter sur ce site.",
        comment_rejected: "Votre commentaire n'a pas été publié :",
        already_reported: "Vous avez déjà signalé ce commentaire.",
        invalid_report_reason: "Veuillez choisir un motif.",
        note_too_long: "La remarque dépasse 500 caractères.",
      },
    },
  };

  // ---- small helpers ----
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
  const now = Date.now();
  // Edit tokens: id → {token, until, body}; pending comments: id → {key, c, at};
  // our own comments: id → time posted (so that we never offer to report them).
  kv("tokens", (m) => { for (const id in m) if (m[id].until < now) delete m[id]; });
  kv("pending", (m) => { for (const id in m) if (m[id].at < now - 7 * 864e5) delete m[id]; });
  kv("own", (m) => { for (const id in m) if (m[id] < now - 365 * 864e5) delete m[id]; });
  // Random, stable tokens: the voter one counts votes and reports; the author one links a guest's comments.
  const token = (k) => {
    let v = store.get(k);
    if (typeof v != "string") store.set(k, (v = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("")));
    return v;
  };
  // Name, e-mail and website used to live in "rostra:author", which is now the author token.
  const prof = store.get("author");
  if (prof && typeof prof == "object") store.set("profile", prof);
  const voter = token("voter"), author = token("author");
  const mine = (id) => { const x = kv("tokens")[id]; return x && x.until > Date.now() ? x : null; };
  const auth = (id) => ({ Authorization: "Bearer " + (kv("tokens")[id] || {}).token, "X-Rostra-Author": author });

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
    if (!r.ok) throw j.error || { code: "internal" };
    return j;
  }
  // Signing in: a publisher's SSO token, or the token of an e-mailed link in the URL fragment.
  async function signIn(path, body) {
    const j = await api(path, "POST", body);
    store.set("session", j.session);
    store.set("account", j.account);
    return j.account;
  }
  const fromLink = /^#rostra-login=([\w-]+)$/.exec(location.hash);
  const linked = fromLink
    ? (history.replaceState(null, "", location.href.split("#")[0]), signIn("/api/account/link", { token: fromLink[1] }).catch(() => null))
    : Promise.resolve(null);

  // account.js, once, from the address embed.js gave (a page may load it itself instead).
  let accountScript;
  const loadAccount = () => accountScript ||= window.RostraAccount ? Promise.resolve() : new Promise((ok, no) =>
    document.head.append(el("script", { src: cfg.account, onload: ok, onerror: () => (accountScript = null, no()) })));

  // ---- one mounted thread ----
  function mount(host) {
    const ds = host.dataset;
    if (host.shadowRoot || !ds.rostraSite) return;
    const root = host.attachShadow({ mode: "open" });
    const site = ds.rostraSite, ident = ds.rostraId || null;
    const pageUrl = ds.rostraUrl || location.href.split("#")[0];
    const title = ds.rostraTitle || document.title;
    const want = (ds.rostraLang || document.documentElement.lang || "en").split("-")[0].toLowerCase();
    const lang = STRINGS[want] ? want : "en", t = STRINGS[lang];
    const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const dtf = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
    const key = site + " " + (ident || pageUrl);
    let sort = SORTS.includes(store.get("sort")) ? store.get("sort") : "oldest", cursor = null, count = 0, closed = false, max = 10000, mainForm, nudge;
    // Live updates: the thread's id, its event stream, comments that arrived but are not drawn yet.
    let tid = null, es = null, gap = 0, wait = 2e3, posting = 0, queue = [];
    const busy = new Set(); // our own comments with an edit or deletion on the way
    const st = { connected: false, pending: 0, events: 0, lastEventId: null }; // window.Rostra.live, for tests

    const live = el("p", { class: "sr", "aria-live": "polite" });
    const head = el("h2", { class: "count" });
    const prompt = el("p", { class: "prompt", hidden: true });
    const formBox = el("div");
    const acct = el("div", { class: "acct" });
    const status = el("p", { class: "status", role: "alert" }, t.loading);
    const sortSel = el("select", {
      onchange() { sort = this.value; store.set("sort", sort); load(); },
    }, SORTS.map((s) => el("option", { value: s }, t[s])));
    const feedQuery = new URLSearchParams({ site, url: pageUrl });
    if (ident) feedQuery.set("identifier", ident);
    const feedLink = el("a", { class: "feed", type: "application/atom+xml", href: BASE + "/feed.atom?" + feedQuery }, t.feed);
    const list = el("div", { class: "list" });
    const moreBtn = el("button", { type: "button", class: "more", hidden: true, onclick: () => load(cursor) }, t.more);
    const freshBtn = el("button", { type: "button", hidden: true, onclick: showNew });
    // Hidden until widget.css (which overrides this inline style) has loaded: no flash of bare HTML.
    const wrap = el("div", { class: "r", lang, style: cfg.css && "display:none" },
      live, head, acct, prompt, formBox,
      el("div", { class: "bar" }, feedLink, el("label", {}, t.sort + " ", sortSel)),
      status, el("div", { class: "fresh", "aria-live": "polite" }, freshBtn), list, moreBtn);
    const ready = new Promise((ok) => {
      if (!cfg.css) return ok();
      root.append(el("link", { rel: "stylesheet", href: cfg.css, onload: ok, onerror() { wrap.removeAttribute("style"); ok(); } }));
    });
    root.append(wrap);

    const node = (id) => root.getElementById("comment-" + id);
    const setCount = (n) => (head.textContent = t.count((count = Math.max(0, n))));
    const errText = (e) =>
      e.code == "comment_rejected" ? t.err[e.code] + " " + (e.message || "") : (t.err[e.code] || e.message || t.err.internal).replace("{max}", max);
    const showErr = (n, e) => (n.firstChild.querySelector(".err").textContent = errText(e));
    function announce(msg) {
      live.textContent = "";
      setTimeout(() => (live.textContent = msg), 100);
    }
    function ago(ms) {
      const d = ms - Date.now();
      if (Math.abs(d) < 6e4) return rtf.format(0, "second"); // "now"
      for (const [u, n] of [["year", 31536e6], ["month", 2592e6], ["week", 6048e5], ["day", 864e5], ["hour", 36e5], ["minute", 6e4]])
        if (Math.abs(d) >= n) return rtf.format(Math.trunc(d / n), u);
    }
    setInterval(() => root.querySelectorAll("time").forEach((x) => (x.textContent = ago(Date.parse(x.dateTime)))), 6e4);

    function q(after) {
      const p = new URLSearchParams({ site, url: pageUrl, sort });
      if (ident) p.set("identifier", ident);
      if (after) p.set("cursor", after);
      return "/api/threads?" + p;
    }

    async function load(after) {
      moreBtn.disabled = true;
      if (!after) (queue = []), bar();
      try {
        const d = await api(q(after));
        status.textContent = "";
        if (!after) {
          closed = d.thread.closed;
          max = d.site.max_body_chars || max;
          nudge = d.site.nudge;
          sortSel.value = sort = d.sort || sort;
          setCount(d.thread.comment_count);
          prompt.textContent = d.site.prompt || "";
          prompt.hidden = closed || !d.site.prompt;
          formBox.replaceChildren(closed ? el("p", { class: "note" }, t.closed) : (mainForm = mainForm || form(null)));
          list.replaceChildren();
        }
        list.append(...d.comments.map((c) => comment(c, 0)));
        cursor = d.next_cursor;
        moreBtn.hidden = !cursor;
        if (!after) {
          restorePending(), ready.then(showHash); // cannot scroll while hidden
          tid = tid || d.thread.id;
          queue = queue.filter((c) => !node(c.id)); // arrived while loading
          bar(), connect();
        }
      } catch (e) {
        status.textContent = errText(e);
      }
      moreBtn.disabled = false;
    }

    // Our own comments still awaiting moderation, kept across reloads until they are published.
    function restorePending() {
      kv("pending", (m) => {
        for (const [id, p] of Object.entries(m)) {
          if (p.key != key) continue;
          const n = node(id);
          if (n && n.c.status != "pending") delete m[id];
          else if (!n) insert(p.c), own(id, p.tok);
        }
      });
    }

    // Our own comment the thread does not show: where it stands and why (the statement of reasons).
    async function own(id, tok) {
      try {
        const r = await api("/api/comments/" + id, "GET", null, { Authorization: "Bearer " + (tok || (kv("tokens")[id] || {}).token) });
        const n = node(id), m = r.moderation;
        if (!n || !m) return;
        if (m.status == "published") kv("pending", (x) => delete x[id]);
        refresh(n, { ...r.comment, why: said(m) });
      } catch { /* unknown here: it stays as drawn */ }
    }
    function said(m) {
      const c = m.categories[0], head = t.st && { pending: t.st[0], rejected: t.st[1], deleted: t.st[2] }[m.status];
      if (!head || (m.status != "pending" && m.decided_by != "moderator")) return m.summary;
      const why = m.note || (c && (t.ph[c.check] ? t.may(t.ph[c.check]) : c.label));
      return head + (why ? ": " + why : "");
    }

    // Our own new comment goes where we see it; others' (lv) where the sort would put them.
    function insert(c, lv) {
      const p = c.parent && node(c.parent);
      if (p) p.rep.append(comment(c, p.d + 1, p.c.author_name));
      else if (!c.parent) (lv ? sort != "newest" : sort == "oldest") ? list.append(comment(c, 0)) : list.prepend(comment(c, 0));
      if (c.status == "published") setCount(count + 1);
      queue = queue.filter((x) => x.id != c.id);
      bar();
      return node(c.id);
    }

    // ---- live updates (Server-Sent Events), only while the page is visible ----
    function connect() {
      if (!tid || es) return;
      if (document.hidden) return void (gap = 1);
      const x = (es = new EventSource(BASE + `/api/threads/${tid}/events` + (st.lastEventId ? "?last_event_id=" + encodeURIComponent(st.lastEventId) : "")));
      x.onopen = () => { st.connected = true; wait = 2e3; };
      x.onerror = () => {
        st.connected = false;
        // The browser retries by itself unless the server answered with an error: then we do, slower each time.
        if (x.readyState == 2 && es == x) es = null, setTimeout(connect, (wait = Math.min(wait * 2, 3e5)));
      };
      for (const k in on)
        x.addEventListener(k, (e) => {
          st.lastEventId = e.lastEventId || st.lastEventId;
          try { on[k](JSON.parse(e.data)); } catch { /* malformed: the next load shows the truth */ }
          st.events++;
        });
      // Hidden before any event came: no id to resume from, so compare with the thread instead.
      if (gap && !st.lastEventId) api(q()).then((d) => walk(d.comments), () => {});
      gap = 0;
    }
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) return connect();
      if (es) es.close(), (es = null);
      st.connected = false;
      gap = 1;
    });
    const walk = (cs) => cs.forEach((c) => {
      if (c.status == "published") on.comment({ comment: { ...c, replies: [], more_replies: null } });
      walk(c.replies || []);
    });
    const upd = (id, x) => Object.assign(queue.find((c) => c.id == id) || {}, x);
    const on = {
      comment({ comment: c }) {
        const n = node(c.id);
        if (n) {
          if (n.c.status == "pending") refresh(n, c), setCount(count + 1), kv("pending", (m) => delete m[c.id]); // ours, approved
          return;
        }
        if (queue.some((x) => x.id == c.id) || (c.parent && !node(c.parent) && !queue.some((x) => x.id == c.parent))) return;
        queue.push(c);
        bar();
      },
      edit({ comment: c }) {
        const n = node(c.id), m = n && n.firstChild, was = n && n.c.status;
        if (!n) return upd(c.id, c);
        if (was != c.status || was == "deleted") {
          refresh(n, c);
          setCount(count + (c.status == "published") - (was == "published"));
          kv("pending", (x) => delete x[c.id]);
        } else {
          n.c = { ...n.c, ...c }; // in place: open forms and replies stay
          m.querySelector(".body").innerHTML = c.body_html;
          if (c.edited_at && !m.querySelector(".edited")) m.querySelector(".when").after(el("span", { class: "edited" }, t.edited));
        }
      },
      remove({ id }) {
        const n = node(id);
        queue = queue.filter((c) => c.id != id && c.parent != id);
        bar();
        // While we edit or delete it ourselves, the answer draws it (an edit may have held it).
        if (!n || n.c.status == "pending" || busy.has(id)) return;
        if (n.c.status == "published") setCount(count - 1);
        if (n.rep.children.length) refresh(n, { status: "deleted", body_html: "", author_name: null, author_url: null });
        else n.remove();
      },
      vote(r) {
        const n = node(r.id);
        n ? score(n, r) : upd(r.id, r);
      },
    };
    function bar() {
      if (posting) return; // our own comment may arrive before the answer to posting it
      const s = queue.length ? t.fresh(queue.length) : "";
      if (freshBtn.textContent != s) freshBtn.textContent = s;
      freshBtn.hidden = !s;
      st.pending = queue.length;
    }
    function showNew() {
      const ns = [];
      for (const c of queue.splice(0)) if (!node(c.id) && (!c.parent || node(c.parent))) ns.push(insert(c, 1));
      bar();
      ns.forEach((n) => n.classList.add("lv"));
      setTimeout(() => ns.forEach((n) => n.classList.remove("lv")), 4e3);
      const f = ns.sort((a, b) => (a.compareDocumentPosition(b) & 2 ? 1 : -1))[0];
      if (f) (f.tabIndex = -1), f.focus();
    }

    function showHash() {
      const m = /^#comment-(\d+)$/.exec(location.hash), n = m && node(m[1]);
      if (!n) return;
      root.querySelectorAll(".hl").forEach((x) => x.classList.remove("hl"));
      n.classList.add("hl");
      n.scrollIntoView({ block: "start" });
    }
    addEventListener("hashchange", showHash);

    // ---- forms ----
    function form(parent, close) {
      const a = store.get("profile", {});
      const body = el("textarea", { name: "body", rows: 4, required: true, maxlength: max });
      const err = el("p", { class: "err", role: "alert" });
      // The nudge: what the checks would hold the draft for, with "Edit" and "Post anyway".
      const nb = el("div", { class: "nudge", hidden: true });
      const input = (name, label, attrs) => el("label", {}, label, el("input", { name, value: a[name], ...attrs }));
      const f = el("form", { class: "f", async onsubmit(ev) {
        ev.preventDefault();
        if (f.busy) return;
        const v = Object.fromEntries(new FormData(f)), sure = f.ok;
        const opt = (k) => v[k].trim() || null;
        store.set("profile", { author_name: v.author_name, author_email: v.author_email, author_url: v.author_url });
        f.busy = true;
        nb.hidden = true;
        f.ok = 0;
        err.textContent = "";
        const data = {
          site, url: pageUrl, identifier: ident, title, parent, body: v.body,
          author_name: opt("author_name"), author_email: opt("author_email"), author_url: opt("author_url"),
          notify_replies: v.notify_replies == "true",
        }, who = { "X-Rostra-Author": author };
        const ck = nudge && !sure && (await api("/api/comments/check", "POST", data, who).catch(() => ({})));
        if (ck && ck.verdict && ck.verdict != "allow") return void (showNudge(ck), (f.busy = false));
        posting++;
        try {
          const r = await api("/api/comments", "POST", data, who);
          const c = r.comment, pending = c.status == "pending";
          kv("tokens", (m) => (m[c.id] = { token: r.edit_token, until: r.edit_until, body: v.body }));
          kv("own", (m) => (m[c.id] = Date.now()));
          if (pending) kv("pending", (m) => (m[c.id] = { key, c, at: Date.now(), tok: r.edit_token }));
          body.value = "";
          const n = insert(c);
          if (pending) own(c.id, r.edit_token);
          announce((pending ? t.postedPending : t.posted) + (r.notify_replies == "confirmation_sent" ? " " + t.confirmSent : ""));
          if (close) close();
          if (n) n.classList.add("new");
          if (!tid) api(q()).then((d) => ((tid = d.thread.id), connect()), () => {}); // we created the thread
        } catch (e) {
          err.textContent = errText(e);
        }
        posting--;
        bar();
        f.busy = false;
      } },
      el("label", {}, t.body, body),
      el("div", { class: "who" },
        input("author_name", t.name, { placeholder: t.anon, autocomplete: "name" }),
        input("author_email", t.email, { type: "email", placeholder: t.emailPh, autocomplete: "email" }),
        input("author_url", t.url, { type: "url", placeholder: "https://", autocomplete: "url" })),
      el("label", { class: "nt" }, el("input", { type: "checkbox", name: "notify_replies", value: "true" }), " ", t.notify),
      err, nb,
      el("div", { class: "btns" },
        el("button", { class: "pri" }, parent ? t.reply : t.post),
        close && el("button", { type: "button", onclick: close }, t.cancel)));
      function showNudge(ck) {
        const a = ck.reasons.filter((x) => x.attribute && x.verdict == ck.verdict).sort((x, y) => y.score - x.score)[0];
        const w = a && [...new Set(a.spans.map((x) => "“" + x.text + "”"))].slice(0, 3).join(", ");
        nb.replaceChildren(
          el("p", { role: "alert" }, a && t.nudge ? t.nudge(t.ph[a.attribute], w ? ": " + w : "") : ck.message),
          el("div", { class: "btns" },
            el("button", { type: "button", onclick: () => ((nb.hidden = true), body.focus()) }, t.edit),
            ck.verdict == "hold" && el("button", { type: "button", class: "pri", onclick: () => ((f.ok = 1), f.requestSubmit()) }, t.anyway)));
        nb.hidden = false;
      }
      return f;
    }

    function replyForm(n, btn) {
      const m = n.firstChild, old = m.querySelector(".rf");
      if (old) return old.querySelector("textarea").focus();
      const f = form(n.c.id, () => { f.remove(); btn.focus(); });
      f.classList.add("rf");
      m.append(f);
      f.querySelector("textarea").focus();
    }

    function editForm(n, btn) {
      const m = n.firstChild, b = m.querySelector(".body"), id = n.c.id;
      if (m.querySelector(".ef")) return;
      const ta = el("textarea", { rows: 4, required: true, maxlength: max, "aria-label": t.body },
        (mine(id) || {}).body ?? b.innerText);
      const close = () => { f.remove(); b.hidden = false; btn.focus(); };
      const f = el("form", { class: "f ef", async onsubmit(ev) {
        ev.preventDefault();
        busy.add(id);
        try {
          const r = await api("/api/comments/" + id, "PATCH", { body: ta.value }, auth(id));
          const c = r.comment, was = n.c.status, held = c.status == "pending";
          kv("tokens", (x) => x[id] && (x[id].body = ta.value));
          // An edit may be held for moderation (or released): keep the marker, the count and the stored copy right.
          kv("pending", (x) => (held ? (x[id] = { key, c, at: Date.now() }) : delete x[id]));
          if (was != c.status) setCount(count + (held ? -1 : was == "pending" ? 1 : 0));
          refresh(n, c);
          announce(held ? t.savedPending : t.saved);
          n.firstChild.querySelector(".ed-btn")?.focus();
        } catch (e) {
          showErr(n, e);
        }
        busy.delete(id);
      } }, ta, el("div", { class: "btns" },
        el("button", { class: "pri" }, t.save),
        el("button", { type: "button", onclick: close }, t.cancel)));
      b.hidden = true;
      b.after(f);
      ta.focus();
    }

    // Reporting: a small form under the comment; reports are remembered so the button reads "Reported".
    function reportForm(n, btn) {
      const m = n.firstChild, old = m.querySelector(".rpf"), id = n.c.id;
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
          await api(`/api/comments/${id}/report`, "POST", { reason: sel.value, note: note.value.trim() || null }, { "X-Rostra-Voter": voter });
          done();
        } catch (e) {
          if (e.code == "already_reported") done();
          else err.textContent = errText(e);
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

    async function remove(n) {
      if (!confirm(t.confirmDel)) return;
      const id = n.c.id;
      busy.add(id);
      try {
        const r = await api("/api/comments/" + id, "DELETE", null, auth(id));
        kv("tokens", (m) => delete m[id]);
        kv("pending", (m) => delete m[id]);
        if (n.c.status == "published") setCount(count - 1); // not if the live event came first
        if (n.rep.children.length) refresh(n, { ...r.comment, status: "deleted" }); // tombstone keeps its replies
        else n.remove();
        announce(t.removed);
      } catch (e) {
        showErr(n, e);
      }
      busy.delete(id);
    }

    async function vote(n, value) {
      const id = n.c.id;
      try {
        const r = await api(`/api/comments/${id}/vote`, "POST", { value }, { "X-Rostra-Voter": voter });
        kv("votes", (m) => (r.value ? (m[id] = r.value) : delete m[id]));
        const b = (s) => n.firstChild.querySelector(s);
        b(".up").setAttribute("aria-pressed", r.value == 1);
        b(".down").setAttribute("aria-pressed", r.value == -1);
        score(n, r);
      } catch (e) {
        showErr(n, e);
      }
    }

    function score(n, r) {
      Object.assign(n.c, r);
      const s = n.firstChild.querySelector(".score");
      if (s) (s.textContent = r.score), (s.title = t.votes(r.upvotes, r.downvotes));
    }

    // ---- drawing a comment: <article> holds .main (this comment) and .rep (its replies) ----
    function comment(c, depth, parentName) {
      const old = node(c.id);
      if (old) old.remove(); // a pending comment we drew ourselves, now delivered by the server
      const n = el("article", { class: "c", id: "comment-" + c.id });
      Object.assign(n, { c, d: depth, pn: parentName });
      n.rep = el("div", { class: depth < MAX_DEPTH ? "rep in" : "rep" },
        (c.replies || []).map((r) => comment(r, depth + 1, c.author_name)));
      n.append(main(n), n.rep, moreReplies(n, c.more_replies));
      return n;
    }

    function refresh(n, c) {
      n.c = { ...n.c, ...c, replies: [] };
      n.firstChild.replaceWith(main(n));
    }

    const nameOf = (s) => (s == null ? t.deleted : s == "Anonymous" ? t.anon : s);

    function main(n) {
      const c = n.c, id = c.id, gone = c.status == "deleted", ok = c.status == "published";
      const at = new Date(c.created_at), v = kv("votes")[id] || 0, own = !gone && mine(id);
      const told = kv("reports")[id];
      const folded = n.classList.contains("folded");
      const btn = (cls, label, onclick, extra) => el("button", { type: "button", class: cls, onclick, ...extra }, label);
      return el("div", { class: "main" },
        el("header", {},
          btn("fold", folded ? "+" : "−", function () {
            const f = n.classList.toggle("folded");
            this.setAttribute("aria-expanded", !f);
            this.textContent = f ? "+" : "−";
          }, { "aria-expanded": String(!folded), "aria-label": t.fold }),
          !gone && /^https?:\/\//i.test(c.author_url || "")
            ? el("a", { class: "au", href: c.author_url, rel: "nofollow ugc noopener" }, nameOf(c.author_name))
            : el("b", { class: "au" }, nameOf(c.author_name)),
          !gone && c.badge && el("span", { class: "badge badge-" + c.badge }, (t.badges || STRINGS.en.badges)[c.badge] || c.badge),
          n.d > MAX_DEPTH && el("span", { class: "to" }, t.replyTo + " " + nameOf(n.pn)),
          el("a", { class: "when", href: "#comment-" + id },
            el("time", { datetime: at.toISOString(), title: dtf.format(at) }, ago(c.created_at))),
          c.edited_at && !gone && el("span", { class: "edited" }, t.edited),
          c.status == "pending" && el("span", { class: "pending" }, t.pending)),
        c.why && el("p", { class: "why", role: "status" }, c.why),
        el("div", { class: "body", html: c.body_html }),
        !gone && el("div", { class: "acts" },
          ok && [
            btn("up", "▲", () => vote(n, kv("votes")[id] == 1 ? 0 : 1), { "aria-pressed": String(v == 1), "aria-label": t.up }),
            el("span", { class: "score", title: t.votes(c.upvotes, c.downvotes) }, c.score),
            btn("down", "▼", () => vote(n, kv("votes")[id] == -1 ? 0 : -1), { "aria-pressed": String(v == -1), "aria-label": t.down }),
            !closed && btn("", t.reply, (e) => replyForm(n, e.currentTarget)),
            !own && !kv("own")[id] && btn("rp", told ? t.reported : t.report, (e) => reportForm(n, e.currentTarget),
              told ? { disabled: true } : { "aria-expanded": "false" }),
          ],
          own && [
            btn("ed-btn", t.edit, (e) => editForm(n, e.currentTarget)),
            btn("", t.del, () => remove(n)),
          ]),
        el("p", { class: "err", role: "alert" }));
    }

    function moreReplies(n, cur) {
      const b = el("button", { type: "button", class: "more", hidden: !cur, async onclick() {
        b.disabled = true;
        try {
          const d = await api(`/api/comments/${n.c.id}/replies?cursor=${encodeURIComponent(cur)}`);
          n.rep.append(...d.comments.map((r) => comment(r, n.d + 1, n.c.author_name)));
          cur = d.next_cursor;
          b.hidden = !cur;
        } catch (e) {
          showErr(n, e);
        }
        b.disabled = false;
      } }, t.moreReplies);
      return b;
    }

    load();
    // Sign-in and account controls live in account.js, fetched only for a reader who is signed in,
    // opened an account link, or asks for them: most readers never download it.
    const acctCtx = {
      el, api, signIn, site, pageUrl, store, lang, base: BASE, reload: () => window.Rostra.reload(),
      forget: () => (store.set("session", null), store.set("account", null)),
    };
    const openAccount = () => loadAccount().then(() => window.RostraAccount.draw(acct, acctCtx), () => acct.replaceChildren(t.err.network));
    const drawAccount = () => window.RostraAccount || session() || /^#rostra-(reset|guest-data)=/.test(location.hash)
      ? openAccount()
      : cfg.account && acct.replaceChildren(el("button", { type: "button", class: "acct-open", onclick: openAccount }, t.signIn));
    drawAccount();
    return { reload: () => (drawAccount(), load()), live: st };
  }

  const threads = [];
  function scan() {
    document.querySelectorAll("#rostra-thread, [data-rostra-site]").forEach((h) => {
      const sso = h.dataset.ssoToken;
      if (sso && !session()) signIn("/api/sso", { site: h.dataset.rostraSite, token: sso }).then(() => window.Rostra.reload(), (e) => console.error("Rostra SSO:", e));
      try {
        const th = mount(h);
        if (th) threads.push(th);
      } catch (e) {
        console.error("Rostra:", e);
      }
    });
  }
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
})();
