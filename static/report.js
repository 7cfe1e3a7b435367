/* The cleaning report: editor/report.html?id=<id> loads the shard holding the article's
   data, editor/data/<n>.js (a <script> tag, so it works opened from disk, where fetch does
   not; render/report_shards.py), inflates the reports it passes to wuxiReports and builds
   the report from the article's (render/report_data.py says what it holds).
   Seed text is untrusted: everything is set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("report");
  if (!root) { return; }
  var STATUS = { k: "kept", r: "removed", m: "meta", b: "blank" };
  var STRIP = /^[ \t\r\n\u3000]+|[ \t\r\n\u3000]+$/g;     // report_data.PARAGRAPH_STRIP

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }
  function link(href, text) { var a = el("a", text); a.setAttribute("href", href); return a; }
  function say(text) { root.textContent = ""; add(root, el("h1", "清理报告"), el("p", text, "meta")); }

  // report_data.before_ref: null the raw line, 1 the line's last repair's result, 2 the raw line stripped.
  function beforeOf(ref, raw, lastAfter) {
    if (ref === null) { return raw; }
    if (ref === 1) { return lastAfter; }
    if (ref === 2) { return raw.replace(STRIP, ""); }
    return ref;
  }
  // report_data.diff_ops: n > 0 keeps n code points of `before`, n < 0 deletes them, a string is inserted.
  function runs(before, ops) {
    var chars = Array.from(before), at = 0, out = [];
    ops.forEach(function (op) {
      if (typeof op === "string") { out.push(["ins", op]); return; }
      var n = Math.abs(op);
      out.push([op > 0 ? "same" : "del", chars.slice(at, at + n).join("")]);
      at += n;
    });
    return out;
  }

  function render(d) {
    var lineText = function (n) { return d.lines[n - d.first]; };
    var rawAt = function (n) { return n >= d.first && n - d.first < d.lines.length ? lineText(n) : ""; };
    document.title = "清理报告:" + d.title + " · " + document.title.replace(/^.*· /, "");
    var crumb = document.getElementById("crumb-id");
    if (crumb) { crumb.textContent = d.id; }
    root.textContent = "";
    add(root, el("h1", "清理报告:" + d.title));

    // Repairs: their results per line (for the clean column) and their tags.
    var lastAfter = {}, tags = {}, fixes = [];
    d.fixes.forEach(function (f, i) {
      var before = beforeOf(f[3], rawAt(f[0]), lastAfter[f[0]]);
      var diff = runs(before, f[4]);
      lastAfter[f[0]] = diff.filter(function (r) { return r[0] !== "del"; }).map(function (r) { return r[1]; }).join("");
      (tags[f[0]] = tags[f[0]] || []).push(f[2]);
      fixes.push({ line: f[0], kind: f[1], label: f[2], diff: diff, order: i });
    });
    fixes.sort(function (a, b) { return a.line - b.line || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || a.order - b.order; });

    var meta = el("p", null, "meta");
    add(meta, "种子文件 ", el("code", d.seed));
    if (d.parts > 1) { add(meta, " · 第 " + d.part + "/" + d.parts + " 篇"); }
    add(meta, " · 原文第 " + d.span[0] + "–" + d.span[1] + " 行(共 " + d.raw_count + " 行)",
        " · 原文字体:" + d.script + " · ", link("../articles/" + d.id + ".html", "查看文章"));
    if (fixes.length) { add(meta, " · ", link("#fixes", "文本修正 " + fixes.length + " 处")); }
    add(root, meta);

    if (d.warnings.length) {
      var warn = add(el("section", null, "editor-warnings"), el("h2", "需要注意"));
      var list = el("ul");
      d.warnings.forEach(function (w) { add(list, el("li", w)); });
      add(root, add(warn, list));
    }
    var dl = el("dl", null, "editor-meta");
    var field = function (name, value) { if (value) { add(dl, el("dt", name), value.nodeType ? value : el("dd", value)); } };
    field("标题", d.title);
    field("副标题", d.subtitle);
    field("日期", add(el("dd", (d.date || "日期不详") + " "), el("span", "(" + d.date_basis + ")", "meta")));
    field("来源", d.source || "—");
    field("作者", d.authors.join("、"));
    field("编辑", d.editors.join("、"));
    field("标签", d.tags.join("、"));
    add(root, dl);
    if (d.note) {
      var note = add(el("section", null, "editor-note"), el("h2", "编辑按"));
      d.note.split(/\n{2,}/).forEach(function (para) { add(note, el("p", para)); });
      add(root, note);
    }

    var columns = el("div", null, "editor-columns");
    var raw = add(el("section", null, "editor-raw"), el("h2", "原始种子(删除 " + d.why.length + " 行)"));
    var ol = el("ol", null, "raw-lines");
    ol.setAttribute("start", String(d.first));
    var removedSeen = 0;
    for (var i = 0; i < d.lines.length; i++) {
      var number = d.first + i, status = STATUS[d.status.charAt(i)] || "blank";
      var li = el("li", null, "raw-" + status);
      li.id = "L" + number;
      if (status === "removed") {
        var reason = d.reasons[d.why[removedSeen++]] || ["", ""];
        var why = el("span", "— " + reason[1], "reason");
        why.setAttribute("data-key", reason[0]);
        add(li, el("del", d.lines[i]), " ", why);
      } else {
        add(li, el("span", d.lines[i], "text"));
        if (status === "meta") { add(li, " ", el("span", "— 标题或元数据", "reason")); }
      }
      (tags[number] || []).forEach(function (label) { add(li, el("span", label, "fix-tag")); });
      ol.appendChild(li);
    }
    add(columns, add(raw, ol));

    var clean = add(el("section", null, "editor-clean"), el("h2", "清理后的文章(" + d.paragraphs.length + " 段)"));
    d.paragraphs.forEach(function (p) {
      var text = p[2];
      if (text === null) {          // report_data.rebuilt_paragraph
        text = p[1].map(function (n) { return (n in lastAfter ? lastAfter[n] : rawAt(n)).replace(STRIP, ""); }).join("");
      }
      var div = el("div", null, "clean-" + p[0]), nums = el("span", null, "lines");
      p[1].forEach(function (n, j) { if (j) { add(nums, ","); } add(nums, link("#L" + n, n)); });
      add(div, nums, " ", p[0] === "h" ? el("strong", text) : text);
      clean.appendChild(div);
    });
    if (!d.paragraphs.length) { add(clean, el("p", "(没有保留任何正文)", "meta")); }
    add(root, add(columns, clean));

    if (fixes.length) {
      var section = add(el("section", null, "editor-fixes"), el("h2", "文本修正(" + fixes.length + ")"));
      section.id = "fixes";
      var table = el("table"), head = el("thead"), row = el("tr"), body = el("tbody");
      var diffHead = add(el("th", "改动("), el("del", "删去"), " ", el("ins", "加入"), ")");
      add(head, add(row, el("th", "行"), el("th", "修正"), diffHead));
      fixes.forEach(function (f) {
        var cell = el("td", null, "diff");
        f.diff.forEach(function (r) { add(cell, r[0] === "same" ? r[1] : el(r[0], r[1])); });
        add(body, add(el("tr"), add(el("td"), link("#L" + f.line, f.line)), el("td", f.label), cell));
      });
      add(root, add(section, add(table, head, body)));
    }
    var hint = add(el("p", null, "meta"), "在 ", el("code", d.sidecar), " 中写 ", el("code", "keep_lines"), "/",
                   el("code", "drop_lines"), "(上面的行号)、", el("code", "title"), "、", el("code", "date"),
                   " 等即可修正;见文档 docs/editing.md。");
    add(root, hint);
    if (location.hash) {            // a line asked for (#L12): now that it exists
      var target = document.getElementById(location.hash.slice(1));
      if (target) { target.scrollIntoView(); }
    }
  }

  // Ids are lower-case ASCII letters, digits, _ and - (seed_ids.py): anything else is not
  // an article's, and never becomes part of a path.
  var id = new URLSearchParams(location.search).get("id") || "";
  if (!/^[a-z0-9_-]{1,120}$/.test(id)) { say(id ? "没有这篇文章的清理报告。" : "请从清理报告列表选择文章。"); return; }
  // report_shards.shard_of: FNV-1a of the id's bytes (ASCII, checked above), modulo the shard count.
  function shardOf(text, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0; }
    return h & (shards - 1);
  }
  // report_shards.encode_7bit: 7 bits a character, most significant first; the values a
  // string literal cannot hold are U+0080 + their index in UNSAFE.
  var UNSAFE = [0x00, 0x0a, 0x0d, 0x22, 0x5c];
  function bytesOf(text) {
    var out = new Uint8Array(Math.floor(text.length * 7 / 8)), acc = 0, bits = 0, at = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      acc = (acc << 7) | (c < 0x80 ? c : UNSAFE[c - 0x80]);
      bits += 7;
      if (bits >= 8) { bits -= 8; out[at++] = acc >> bits; acc &= (1 << bits) - 1; }
    }
    return out;
  }
  // A shard's data: a deflated (zlib) JSON [lines, reasons, reports], inflated by the browser.
  function inflate(packed) {
    var stream = new Blob([bytesOf(packed)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }
  if (typeof DecompressionStream === "undefined") {
    say("这个浏览器不能解压清理报告的数据,请用较新的浏览器(Chromium 80、Firefox 113、Safari 16.4 或更新)打开。");
    return;
  }
  var shards = parseInt(root.getAttribute("data-shards"), 10);
  if (!(shards > 0) || (shards & (shards - 1))) { say("清理报告页不完整,请重新生成网站。"); return; }
  var shard = shardOf(id, shards);
  window.wuxiReports = function (number, packed) {
    if (number !== shard) { say("清理报告的数据不对。"); return; }
    inflate(packed).then(function (text) {
      var data = JSON.parse(text), lines = data[0], reasons = data[1];
      var found = data[2].filter(function (d) { return d.id === id; });
      if (found.length !== 1) { say("没有这篇文章的清理报告(" + id + ")。"); return; }
      // report_shards.shared_values: a line several reports show, and each reason, is an index.
      var d = found[0];
      d.lines = d.lines.map(function (line) { return typeof line === "number" ? lines[line] : line; });
      d.reasons = d.reasons.map(function (n) { return reasons[n]; });
      render(d);
    }).catch(function () { say("清理报告的数据无法解压(" + id + ")。"); });
  };
  var script = document.createElement("script");
  script.src = "data/" + shard + ".js";
  script.onerror = function () { say("没有这篇文章的清理报告(" + id + ")。"); };
  document.body.appendChild(script);
})();
