// SPDX-License-Identifier: AGPL-3.0-or-later
// Rostra comment counts for article lists. Paste once per page:
//   <script src="https://comments.example/count.js" data-rostra-site="KEY" async></script>
// and mark links: <a href="/story" data-rostra-count="https://news.example/story">Comments</a>.
// Every marked element's text becomes "N comments", from one request for the whole page
// (more only when there are more than 100 links). Optional on the element or the script tag:
// data-rostra-site (per link) and data-rostra-count-format="{n} comment|{n} comments".
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !me.src) return;
  var base = new URL(".", me.src).href.replace(/\/$/, "");
  var MAX_URLS = 100; // what /api/counts takes at once
  var MAX_QUERY = 6000; // characters: well under what servers and proxies accept in a URL

  function label(n, el) {
    var format = el.getAttribute("data-rostra-count-format") || me.getAttribute("data-rostra-count-format");
    if (format) {
      var forms = format.split("|");
      return (n === 1 ? forms[0] : forms[1] || forms[0]).replace(/\{n\}/g, String(n));
    }
    return n === 1 ? "1 comment" : n + " comments";
  }

  // Groups of at most MAX_URLS URLs whose query stays under MAX_QUERY characters.
  function chunks(site, urls) {
    var out = [], cur = [], len = 0, head = "site=" + encodeURIComponent(site);
    urls.forEach(function (u) {
      var part = "&url=" + encodeURIComponent(u);
      if (cur.length && (cur.length >= MAX_URLS || head.length + len + part.length > MAX_QUERY)) {
        out.push(cur);
        cur = [];
        len = 0;
      }
      cur.push(u);
      len += part.length;
    });
    if (cur.length) out.push(cur);
    return out.map(function (group) {
      return head + group.map(function (u) { return "&url=" + encodeURIComponent(u); }).join("");
    });
  }

  function refresh() {
    var bySite = {};
    document.querySelectorAll("[data-rostra-count]").forEach(function (el) {
      var site = el.getAttribute("data-rostra-site") || me.getAttribute("data-rostra-site");
      var raw = el.getAttribute("data-rostra-count") || el.getAttribute("href");
      if (!site || !raw) return;
      var url;
      try { url = new URL(raw, location.href).href.split("#")[0]; } catch (e) { return; }
      var pages = (bySite[site] = bySite[site] || {});
      (pages[url] = pages[url] || []).push(el);
    });
    var done = [];
    Object.keys(bySite).forEach(function (site) {
      var pages = bySite[site];
      chunks(site, Object.keys(pages)).forEach(function (query) {
        done.push(fetch(base + "/api/counts?" + query, { credentials: "omit" })
          .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("counts: HTTP " + r.status)); })
          .then(function (d) {
            Object.keys(d.counts || {}).forEach(function (url) {
              (pages[url] || []).forEach(function (el) {
                el.textContent = label(d.counts[url], el);
                el.setAttribute("data-rostra-counted", String(d.counts[url]));
              });
            });
          })
          .catch(function (e) { if (window.console) console.warn("Rostra:", e.message); }));
      });
    });
    return Promise.all(done);
  }

  window.RostraCount = { refresh: refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
