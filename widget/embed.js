// SPDX-License-Identifier: AGPL-3.0-or-later
// Rostra embed loader: finds its server from its own URL and loads the content-hashed widget.
// The server replaces the quoted placeholders below with hashed paths such as /assets/widget.3f2a9c1b.js.
(function () {
  var me = document.currentScript; // only valid now, while this script runs
  if (!me || !me.src) return;
  var s = document.createElement("script");
  s.src = new URL("__ROSTRA_WIDGET_JS__", me.src).href;
  s.dataset.base = new URL(".", me.src).href.replace(/\/$/, "");
  s.dataset.css = new URL("__ROSTRA_WIDGET_CSS__", me.src).href;
  // The account bar: fetched by the widget only when a reader signs in or is signed in.
  s.dataset.account = new URL("__ROSTRA_ACCOUNT_JS__", me.src).href;
  document.head.appendChild(s);
})();
