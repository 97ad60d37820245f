// SPDX-License-Identifier: AGPL-3.0-or-later
// Rostra reader accounts in the widget: sign in (password, e-mailed link, passkey), sign up,
// password reset, display name, passkeys, download my data, delete account, sign out; and a
// guest's own comments (by e-mailed link or by the edit tokens this browser keeps). Loaded beside widget.js, which
// calls RostraAccount.draw(box, ctx) for each thread; the session itself is widget.js's (see
// docs/identity.md: a token in this page's localStorage, sent as X-Rostra-Session).
(() => {
  // The widget's language (ctx.lang: the page's `lang` or data-rostra-lang), English otherwise.
  const STRINGS = {
    en: {
      signIn: "Sign in", signUp: "Create account", signOut: "Sign out", email: "E-mail",
      password: "Password", name: "Display name", link: "E-mail me a sign-in link", forgot: "Forgot password?",
      as: "Signed in as", rename: "Change name", data: "Download my data", del: "Delete account…",
      sent: "Check your e-mail for the link.", verify: "Account created: open the link we e-mailed to confirm your address, then sign in.",
      newPw: "New password", setPw: "Set password", keep: "Delete my comments too? OK deletes them; Cancel keeps them, shown as by a deleted user.",
      sure: "Delete your account for good?", deleted: "Your account is deleted.", failed: "Something went wrong.",
      passkey: "Sign in with a passkey", addPasskey: "Add a passkey", passkeys: "Passkeys", remove: "Remove",
      added: "Passkey added.", noPasskeys: "No passkeys yet.", guest: "My comments as a guest",
      guestLink: "E-mail me a link to my comments", guestHere: "Download comments from this browser",
      guestDel: "Delete comments from this browser…", guestMine: "Your comments", guestDl: "Download them",
      guestRm: "Delete them…", guestKeep: "Delete the texts too? OK deletes them; Cancel keeps them, shown as by a deleted user.",
      guestSure: "Remove these comments for good?", removed: "Removed: ", none: "No comments found.",
    },
    de: {
      signIn: "Anmelden", signUp: "Konto anlegen", signOut: "Abmelden", email: "E-Mail",
      password: "Passwort", name: "Anzeigename", link: "Anmeldelink per E-Mail senden", forgot: "Passwort vergessen?",
      as: "Angemeldet als", rename: "Namen ändern", data: "Meine Daten herunterladen", del: "Konto löschen …",
      sent: "Den Link finden Sie in Ihrem Postfach.", verify: "Konto angelegt: Öffnen Sie den Link aus unserer E-Mail, um Ihre Adresse zu bestätigen, und melden Sie sich dann an.",
      newPw: "Neues Passwort", setPw: "Passwort setzen", keep: "Auch meine Kommentare löschen? OK löscht sie; Abbrechen behält sie, angezeigt als von einem gelöschten Nutzer.",
      sure: "Ihr Konto endgültig löschen?", deleted: "Ihr Konto ist gelöscht.", failed: "Etwas ist schiefgegangen.",
      passkey: "Mit Passkey anmelden", addPasskey: "Passkey hinzufügen", passkeys: "Passkeys", remove: "Entfernen",
      added: "Passkey hinzugefügt.", noPasskeys: "Noch keine Passkeys.", guest: "Meine Kommentare als Gast",
      guestLink: "Link zu meinen Kommentaren per E-Mail senden", guestHere: "Kommentare aus diesem Browser herunterladen",
      guestDel: "Kommentare aus diesem Browser löschen …", guestMine: "Ihre Kommentare", guestDl: "Herunterladen",
      guestRm: "Löschen …", guestKeep: "Auch die Texte löschen? OK löscht sie; Abbrechen behält sie, angezeigt als von einem gelöschten Nutzer.",
      guestSure: "Diese Kommentare endgültig entfernen?", removed: "Entfernt: ", none: "Keine Kommentare gefunden.",
    },
    fr: {
      signIn: "Se connecter", signUp: "Créer un compte", signOut: "Se déconnecter", email: "E-mail",
      password: "Mot de passe", name: "Nom affiché", link: "M'envoyer un lien de connexion", forgot: "Mot de passe oublié ?",
      as: "Connecté en tant que", rename: "Changer de nom", data: "Télécharger mes données", del: "Supprimer le compte…",
      sent: "Le lien vous attend dans votre boîte e-mail.", verify: "Compte créé : ouvrez le lien envoyé par e-mail pour confirmer votre adresse, puis connectez-vous.",
      newPw: "Nouveau mot de passe", setPw: "Enregistrer le mot de passe", keep: "Supprimer aussi mes commentaires ? OK les supprime ; Annuler les garde, affichés comme d'un utilisateur supprimé.",
      sure: "Supprimer définitivement votre compte ?", deleted: "Votre compte est supprimé.", failed: "Une erreur s'est produite.",
      passkey: "Se connecter avec une clé d'accès", addPasskey: "Ajouter une clé d'accès", passkeys: "Clés d'accès", remove: "Retirer",
      added: "Clé d'accès ajoutée.", noPasskeys: "Aucune clé d'accès.", guest: "Mes commentaires en tant qu'invité",
      guestLink: "M'envoyer un lien vers mes commentaires", guestHere: "Télécharger les commentaires de ce navigateur",
      guestDel: "Supprimer les commentaires de ce navigateur…", guestMine: "Vos commentaires", guestDl: "Les télécharger",
      guestRm: "Les supprimer…", guestKeep: "Supprimer aussi les textes ? OK les supprime ; Annuler les garde, affichés comme d'un utilisateur supprimé.",
      guestSure: "Retirer définitivement ces commentaires ?", removed: "Retirés : ", none: "Aucun commentaire trouvé.",
    },
  };
  // WebAuthn's binary fields travel as base64url text (docs/identity.md, "Passkeys").
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const enc = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const ids = (list) => (list || []).map((c) => ({ ...c, id: dec(c.id) }));
  async function createPasskey(o) {
    const pk = { ...o.publicKey, challenge: dec(o.publicKey.challenge), user: { ...o.publicKey.user, id: dec(o.publicKey.user.id) }, excludeCredentials: ids(o.publicKey.excludeCredentials) };
    const c = await navigator.credentials.create({ publicKey: pk });
    return { id: c.id, rawId: enc(c.rawId), type: c.type, extensions: {},
      response: { attestationObject: enc(c.response.attestationObject), clientDataJSON: enc(c.response.clientDataJSON) } };
  }
  async function getPasskey(o) {
    const pk = { ...o.publicKey, challenge: dec(o.publicKey.challenge), allowCredentials: ids(o.publicKey.allowCredentials) };
    const c = await navigator.credentials.get({ publicKey: pk });
    const r = c.response;
    return { id: c.id, rawId: enc(c.rawId), type: c.type, extensions: {},
      response: { authenticatorData: enc(r.authenticatorData), clientDataJSON: enc(r.clientDataJSON), signature: enc(r.signature), userHandle: r.userHandle && enc(r.userHandle) } };
  }
  const canPasskey = () => !!(window.PublicKeyCredential && navigator.credentials);
  const save = (el, j, name) => el("a", { href: URL.createObjectURL(new Blob([JSON.stringify(j, null, 2)], { type: "application/json" })), download: name }).click();
  function draw(box, ctx) {
    const { el, api, signIn, site, pageUrl, reload } = ctx;
    const S = STRINGS[ctx.lang] || STRINGS.en;
    const msg = el("p", { class: "status", role: "status" });
    const say = (m) => (msg.textContent = m);
    const fail = (e) => say(e.message || e.code || S.failed);
    const field = (name, label, type = "text") =>
      el("label", {}, label + " ", el("input", { name, type, autocomplete: type == "password" ? "current-password" : name }));
    const val = (f, n) => (f.querySelector(`[name=${n}]`) || {}).value || "";
    const done = () => (render(), reload());
    function signedOut() {
      const f = el("form", { class: "acct-form", onsubmit(ev) { ev.preventDefault(); } },
        field("email", S.email, "email"), field("password", S.password, "password"),
        el("button", { type: "submit", class: "acct-pri", onclick: () => signIn("/api/account/login", { email: val(f, "email"), password: val(f, "password") }).then(done, fail) }, S.signIn),
        el("button", { type: "button", onclick: () => api("/api/account/email-link", "POST", { site, url: pageUrl, email: val(f, "email") }).then(() => say(S.sent), fail) }, S.link),
        el("button", { type: "button", onclick: () => api("/api/account/password-reset", "POST", { site, url: pageUrl, email: val(f, "email") }).then(() => say(S.sent), fail) }, S.forgot),
        canPasskey() && el("button", { type: "button", class: "acct-passkey", onclick: () => api("/api/account/passkey/begin", "POST", { site })
          .then(async (b) => signIn("/api/account/passkey/finish", { site, ceremony: b.ceremony, credential: await getPasskey(b.options) })).then(done, fail) }, S.passkey),
        el("details", {}, el("summary", {}, S.signUp), field("name", S.name),
          el("button", { type: "button", onclick: () => api("/api/account/signup", "POST", { site, url: pageUrl, email: val(f, "email"), password: val(f, "password"), name: val(f, "name") }).then(() => say(S.verify), fail) }, S.signUp)),
        guestSection(() => val(f, "email")));
      return f;
    }
    // A guest's own comments: a link by e-mail, or the edit tokens this browser keeps.
    function guestSection(email) {
      const tokens = () => Object.values(ctx.store.get("tokens") || {}).map((x) => x.token).filter(Boolean);
      return el("details", { class: "acct-guest" }, el("summary", {}, S.guest),
        el("button", { type: "button", onclick: () => api("/api/guest/data-link", "POST", { site, url: pageUrl, email: email() }).then(() => say(S.sent), fail) }, S.guestLink),
        el("button", { type: "button", onclick: () => tokens().length ? api("/api/guest/comments/data", "POST", { tokens: tokens() }).then((j) => save(el, j, "rostra-my-comments.json"), fail) : say(S.none) }, S.guestHere),
        el("button", { type: "button", onclick() {
          if (!tokens().length) return say(S.none);
          const comments = confirm(S.guestKeep) ? "delete" : "keep";
          if (confirm(S.guestSure)) api("/api/guest/comments/delete", "POST", { tokens: tokens(), comments, confirm: true }).then((j) => (say(S.removed + j.removed), reload()), fail);
        } }, S.guestDel));
    }
    // Opened from the e-mailed link: the comments given with that address, to download or delete.
    function guestData(token) {
      const box2 = el("div", { class: "acct-guest-data" }, el("b", {}, S.guestMine));
      api("/api/guest/data", "POST", { token }).then((j) => {
        box2.append(el("ul", {}, j.comments.length ? j.comments.map((c) => el("li", {}, el("a", { href: c.page }, c.page), " — ", c.body)) : el("li", {}, S.none)),
          el("button", { type: "button", onclick: () => save(el, j, "rostra-my-comments.json") }, S.guestDl),
          el("button", { type: "button", onclick() {
            const comments = confirm(S.guestKeep) ? "delete" : "keep";
            if (confirm(S.guestSure)) api("/api/guest/data/delete", "POST", { token, comments, confirm: true }).then((r) => (say(S.removed + r.removed), reload()), fail);
          } }, S.guestRm));
      }, fail);
      return box2;
    }
    function passkeyList() {
      const ul = el("ul", { class: "acct-passkeys" });
      const load = () => api("/api/account/passkeys").then((j) => ul.replaceChildren(...(j.passkeys.length ? j.passkeys.map((p) =>
        el("li", {}, p.name + " ", el("button", { type: "button", onclick: () => api("/api/account/passkeys/" + p.id, "DELETE").then(load, fail) }, S.remove))) : [el("li", {}, S.noPasskeys)])), fail);
      return el("details", { ontoggle() { if (this.open) load(); } }, el("summary", {}, S.passkeys), ul,
        canPasskey() && el("button", { type: "button", class: "acct-add-passkey", onclick: () => api("/api/account/passkeys/register/begin", "POST", { site })
          .then(async (b) => api("/api/account/passkeys/register/finish", "POST", { site, ceremony: b.ceremony, credential: await createPasskey(b.options) }))
          .then(() => (say(S.added), load()), fail) }, S.addPasskey));
    }
    function signedIn(a) {
      return el("div", { class: "acct-in" },
        a.avatar_url && el("img", { class: "av", alt: "", width: 24, height: 24, src: /^\//.test(a.avatar_url) ? ctx.base + a.avatar_url : a.avatar_url }),
        el("span", {}, S.as + " ", el("b", { class: "acct-name" }, a.name)),
        el("button", { type: "button", onclick() { const n = prompt(S.name, a.name); if (n) api("/api/account", "PATCH", { name: n }).then((j) => (ctx.store.set("account", j.account), done()), fail); } }, S.rename),
        el("button", { type: "button", onclick: () => api("/api/account/data").then((j) => {
          const href = URL.createObjectURL(new Blob([JSON.stringify(j, null, 2)], { type: "application/json" }));
          el("a", { href, download: "rostra-my-data.json" }).click();
        }, fail) }, S.data),
        el("button", { type: "button", onclick() {
          const comments = confirm(S.keep) ? "delete" : "keep";
          if (confirm(S.sure)) api("/api/account", "DELETE", { comments, confirm: true }).then(() => (ctx.forget(), say(S.deleted), done()), fail);
        } }, S.del),
        passkeyList(),
        el("button", { type: "button", onclick: () => window.Rostra.logout().then(render) }, S.signOut));
    }
    function resetForm(token) {
      const f = el("form", { class: "acct-form", onsubmit(ev) { ev.preventDefault(); signIn("/api/account/password", { token, password: val(f, "password") }).then(done, fail); } },
        field("password", S.newPw, "password"), el("button", { type: "submit", class: "acct-pri" }, S.setPw));
      return f;
    }
    let guestToken = null;
    function render() {
      const a = window.Rostra && window.Rostra.account;
      const reset = /^#rostra-reset=([\w-]+)$/.exec(location.hash);
      const mine = /^#rostra-guest-data=([\w-]+)$/.exec(location.hash);
      if (reset || mine) history.replaceState(null, "", location.href.split("#")[0]);
      if (mine) guestToken = mine[1];
      box.replaceChildren(reset ? resetForm(reset[1]) : a ? signedIn(a) : signedOut(), ...(guestToken ? [guestData(guestToken)] : []), msg);
    }
    render();
  }
  window.RostraAccount = { draw };
})();
