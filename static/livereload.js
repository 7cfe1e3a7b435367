// Injected only into pages `wuxi-archive serve` sends, never into the built site:
// polls the preview server's build stamp and reloads the page when a rebuild finished,
// and shows the last build's errors over the page (cleared by the next good build).
(function () {
  var stampUrl = "/__livereload/stamp";
  var errorsUrl = "/__livereload/errors";
  var seen = null;
  var shownErrors = "";

  function overlay(text) {
    var box = document.getElementById("wuxi-build-errors");
    if (!text) {
      if (box) box.remove();
      shownErrors = "";
      return;
    }
    if (text === shownErrors && box) return;
    shownErrors = text;
    if (!box) {
      box = document.createElement("div");
      box.id = "wuxi-build-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:70vh;overflow:auto;" +
        "background:#2b1111;color:#ffe9e9;border-bottom:4px solid #e5484d;padding:1rem 1.25rem;" +
        "font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,'Noto Sans Mono CJK SC',monospace;" +
        "box-shadow:0 6px 24px rgba(0,0,0,.35)";
      var head = document.createElement("div");
      head.style.cssText = "display:flex;justify-content:space-between;align-items:center;gap:1rem;" +
        "font:600 16px/1.4 system-ui,'Noto Sans CJK SC',sans-serif;margin-bottom:.5rem";
      var title = document.createElement("span");
      title.textContent = "构建出错:页面显示的是上一次成功构建的结果。修正后保存,此提示会自动消失。";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "关闭";
      close.style.cssText = "flex:none;white-space:nowrap;font:inherit;font-size:14px;background:#e5484d;color:#fff;border:0;border-radius:4px;" +
        "padding:.2em .8em;cursor:pointer";
      close.onclick = function () { box.style.display = "none"; };
      head.appendChild(title);
      head.appendChild(close);
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;word-break:break-word";
      box.appendChild(head);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.style.display = "";
    box.querySelector("pre").textContent = text;
  }

  function poll() {
    fetch(stampUrl, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (stamp) {
        if (stamp === null) return;
        if (seen !== null && stamp !== seen) { window.location.reload(); return; }
        seen = stamp;
        return fetch(errorsUrl, { cache: "no-store" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(overlay);
      })
      .catch(function () { /* server restarting: try again */ })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
