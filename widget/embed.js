// Rostra embed loader: finds its server from its own URL and loads the content-hashed widget.
// The server replaces the two quoted placeholders below with hashed paths such as /assets/widget.3f2a9c1b.js.
(function () {
  var me = document.currentScript; // only valid now, while this script runs
  if (!me || !me.src) return;
  // The account controls first, then the widget: both kept in order (async = false).
  var a = document.createElement("script");
  a.src = new URL("__ROSTRA_ACCOUNT_JS__", me.src).href;
  a.async = false;
  document.head.appendChild(a);
  var s = document.createElement("script");
  s.async = false;
  s.src = new URL("__ROSTRA_WIDGET_JS__", me.src).href;
  s.dataset.base = new URL(".", me.src).href.replace(/\/$/, "");
  s.dataset.css = new URL("__ROSTRA_WIDGET_CSS__", me.src).href;
  document.head.appendChild(s);
})();
