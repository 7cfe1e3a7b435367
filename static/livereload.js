// Injected only into pages `wuxi-archive serve` sends, never into the built site:
// polls the preview server's build stamp and reloads the page when a rebuild finished.
(function () {
  var stampUrl = "/__livereload/stamp";
  var seen = null;
  function poll() {
    fetch(stampUrl, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (stamp) {
        if (stamp === null) return;
        if (seen !== null && stamp !== seen) { window.location.reload(); return; }
        seen = stamp;
      })
      .catch(function () { /* server restarting: try again */ })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
