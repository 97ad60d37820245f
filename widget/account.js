// Rostra reader accounts in the widget: sign in (password, e-mailed link), sign up, password
// reset, display name, download my data, delete account, sign out. Loaded beside widget.js, which
// calls RostraAccount.draw(box, ctx) for each thread; the session itself is widget.js's (see
// docs/identity.md: a token in this page's localStorage, sent as X-Rostra-Session).
(() => {
  const S = {
    signIn: "Sign in", signUp: "Create account", signOut: "Sign out", email: "E-mail",
    password: "Password", name: "Display name", link: "E-mail me a sign-in link", forgot: "Forgot password?",
    as: "Signed in as", rename: "Change name", data: "Download my data", del: "Delete account…",
    sent: "Check your e-mail for the link.", verify: "Account created: open the link we e-mailed to confirm your address, then sign in.",
    newPw: "New password", setPw: "Set password", keep: "Delete my comments too? OK deletes them; Cancel keeps them, shown as by a deleted user.",
    sure: "Delete your account for good?", deleted: "Your account is deleted.", cancel: "Cancel",
  };
  function draw(box, ctx) {
    const { el, api, signIn, site, pageUrl, reload } = ctx;
    const msg = el("p", { class: "status", role: "status" });
    const say = (m) => (msg.textContent = m);
    const fail = (e) => say(e.message || e.code || "Something went wrong.");
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
        el("details", {}, el("summary", {}, S.signUp), field("name", S.name),
          el("button", { type: "button", onclick: () => api("/api/account/signup", "POST", { site, url: pageUrl, email: val(f, "email"), password: val(f, "password"), name: val(f, "name") }).then(() => say(S.verify), fail) }, S.signUp)));
      return f;
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
        el("button", { type: "button", onclick: () => window.Rostra.logout().then(render) }, S.signOut));
    }
    function resetForm(token) {
      const f = el("form", { class: "acct-form", onsubmit(ev) { ev.preventDefault(); signIn("/api/account/password", { token, password: val(f, "password") }).then(done, fail); } },
        field("password", S.newPw, "password"), el("button", { type: "submit", class: "acct-pri" }, S.setPw));
      return f;
    }
    function render() {
      const a = window.Rostra && window.Rostra.account;
      const reset = /^#rostra-reset=([\w-]+)$/.exec(location.hash);
      if (reset) history.replaceState(null, "", location.href.split("#")[0]);
      box.replaceChildren(reset ? resetForm(reset[1]) : a ? signedIn(a) : signedOut(), msg);
    }
    render();
  }
  window.RostraAccount = { draw };
})();
