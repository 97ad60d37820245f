// SPDX-License-Identifier: AGPL-3.0-or-later
// Rostra page lists. Paste once per page:
//   <script src="https://comments.example/lists.js" data-rostra-site="KEY" async></script>
// and place boxes: <div data-rostra-list="most-discussed"></div> or
// <div data-rostra-list="latest"></div>. Optional on the box: data-rostra-site,
// data-rostra-days (most discussed: how many days back, default 7), data-rostra-limit (default 10).
// The boxes get the same markup and class names as the server-rendered /lists/… fragments.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src) return;
  var base = new URL(".", me.src).href.replace(/\/$/, "");
  var KINDS = { "most-discussed": "Most discussed", latest: "Latest comments" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function countLabel(n) {
    return n === 1 ? "1 comment" : n + " comments";
  }

  // Only http(s) links from the server's data (thread URLs are checked on the server too).
  function link(href, kids) {
    var a = el("a");
    try {
      var u = new URL(href);
      if (u.protocol === "https:" || u.protocol === "http:") a.href = u.href;
    } catch (e) { /* left without href */ }
    kids.forEach(function (k) { a.append(k); });
    return a;
  }

  function drawMostDiscussed(box, d) {
    if (!d.threads.length) return box.append(el("p", null, "No comments in the last " + d.days + " days."));
    var ol = el("ol");
    d.threads.forEach(function (t) {
      var li = el("li");
      li.append(link(t.url, [t.title]), " ", el("span", "rostra-list-count", countLabel(t.recent_comments)));
      ol.append(li);
    });
    box.append(ol);
  }

  function drawLatest(box, d) {
    if (!d.comments.length) return box.append(el("p", null, "No comments yet."));
    var ul = el("ul");
    d.comments.forEach(function (c) {
      var li = el("li");
      var when = el("time", null, new Date(c.created_at).toLocaleString());
      when.dateTime = new Date(c.created_at).toISOString();
      li.append(
        link(c.url, [el("span", "rostra-list-author", c.author_name), " on ", el("span", "rostra-list-thread", c.thread_title)]),
        " ", when, el("br"), el("span", "rostra-list-excerpt", c.excerpt));
      ul.append(li);
    });
    box.append(ul);
  }

  function fill(box) {
    var kind = box.getAttribute("data-rostra-list");
    var site = box.getAttribute("data-rostra-site") || me.getAttribute("data-rostra-site");
    if (!KINDS[kind] || !site) return Promise.resolve();
    var q = new URLSearchParams({ site: site });
    ["days", "limit"].forEach(function (k) {
      var v = box.getAttribute("data-rostra-" + k);
      if (v) q.set(k, v);
    });
    return fetch(base + "/api/lists/" + kind + "?" + q, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(kind + ": HTTP " + r.status)); })
      .then(function (d) {
        var section = el("section", "rostra-list rostra-" + kind);
        section.append(el("h2", null, KINDS[kind]));
        (kind === "latest" ? drawLatest : drawMostDiscussed)(section, d);
        box.replaceChildren(section);
        box.setAttribute("data-rostra-loaded", "");
      })
      .catch(function (e) { if (window.console) console.warn("Rostra:", e.message); });
  }

  function refresh() {
    return Promise.all(Array.prototype.map.call(document.querySelectorAll("[data-rostra-list]"), fill));
  }

  window.RostraLists = { refresh: refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
