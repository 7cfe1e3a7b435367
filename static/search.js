/* Full-text search over the blocks of data/search/ (listed in data/search-index.js),
 * from file:// or any server.
 *
 * Each block (window.WUXI_SEARCH_BLOCKS, built by wuxi_archive/index/search.py)
 * maps single characters and character bigrams to its own article numbers.
 * A query is narrowed in every block by intersecting the postings of its
 * bigrams, then every candidate is confirmed by substring match; the hits
 * of all blocks are ranked together (score, then site order). Results are
 * built from DOM nodes and text nodes only: article text never goes through innerHTML.
 */
(function () {
  "use strict";
  var INDEXED = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+/g;
  var SNIPPET_BEFORE = 30, SNIPPET_AFTER = 90, LIMIT = 100;
  var data = window.WUXI_SEARCH;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!data || !status || !list) { return; }

  // Each block once, even if its script ran twice; note the ones that did not load.
  var blocks = [], loaded = {};
  (window.WUXI_SEARCH_BLOCKS || []).forEach(function (block) {
    if (!loaded[block.name]) { loaded[block.name] = true; blocks.push(block); }
  });
  var missing = data.blocks.filter(function (name) { return !loaded[name]; }).length;

  var t2s = {};
  for (var i = 0; i + 1 < data.t2s.length; i += 2) { t2s[data.t2s[i]] = data.t2s[i + 1]; }

  function simplify(text) {
    var out = "";
    for (var k = 0; k < text.length; k++) { out += t2s[text[k]] || text[k]; }
    return out;
  }

  function decode(postings) {
    var out = [], n = 0;
    if (!postings) { return out; }
    var parts = postings.split(",");
    for (var k = 0; k < parts.length; k++) { n += parseInt(parts[k], 36); out.push(n); }
    return out;
  }

  function postingsOf(block, gram) {
    var group = block.grams[gram[0]];
    if (group === undefined) { return []; }
    var segments = group.split(";");
    if (gram.length === 1) { return decode(segments[0]); }
    for (var k = 1; k < segments.length; k++) {
      if (segments[k][0] === gram[1]) { return decode(segments[k].slice(1)); }
    }
    return [];
  }

  function intersect(a, b) {
    var out = [], x = 0, y = 0;
    while (x < a.length && y < b.length) {
      if (a[x] === b[y]) { out.push(a[x]); x++; y++; } else if (a[x] < b[y]) { x++; } else { y++; }
    }
    return out;
  }

  /* Article numbers of `block` that may hold `term` (null: the index cannot narrow it). */
  function candidates(block, term) {
    var runs = term.match(INDEXED) || [], result = null;
    for (var r = 0; r < runs.length; r++) {
      var run = runs[r];
      var grams = run.length === 1 ? [run] : [];
      for (var k = 0; k + 1 < run.length; k++) { grams.push(run.slice(k, k + 2)); }
      for (var g = 0; g < grams.length; g++) {
        var found = postingsOf(block, grams[g]);
        result = result === null ? found : intersect(result, found);
        if (result.length === 0) { return result; }
      }
    }
    return result;
  }

  function fields(block, n) {
    var lowered = block.lowered || (block.lowered = {});
    if (!lowered[n]) {
      var d = block.docs[n];
      lowered[n] = { title: d[1].toLowerCase(), entities: d[3].join("\n").toLowerCase(), body: d[4].toLowerCase() };
    }
    return lowered[n];
  }

  function countOf(haystack, needle) {
    var count = 0, at = haystack.indexOf(needle);
    while (at !== -1 && count < 20) { count++; at = haystack.indexOf(needle, at + needle.length); }
    return count;
  }

  /* Score of one article for one term (any of its spellings), 0 when absent. */
  function scoreTerm(block, n, variants) {
    var best = 0, f = fields(block, n);
    for (var v = 0; v < variants.length; v++) {
      var s = 0, term = variants[v];
      if (f.title.indexOf(term) !== -1) { s += 100; }
      if (f.entities.indexOf(term) !== -1) { s += 50; }
      s += countOf(f.body, term);
      best = Math.max(best, s);
    }
    return best;
  }

  /* Python's order of strings (by code point); JavaScript's < compares UTF-16 units,
   * which puts characters beyond U+FFFF (surrogates) before U+E000-U+FFFF. */
  function compareCodePoints(a, b) {
    if (a === b) { return 0; }
    var n = Math.min(a.length, b.length), k = 0;
    while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) { k++; }
    if (k === n) { return a.length - b.length; }
    var x = a.charCodeAt(k), y = b.charCodeAt(k);
    if (x >= 0xd800 && x <= 0xdfff && y >= 0xe000) { return 1; }
    if (y >= 0xd800 && y <= 0xdfff && x >= 0xe000) { return -1; }
    return x - y;
  }

  /* The order the site lists articles in: newest first, undated last, ties by id. */
  function siteOrder(a, b) {
    var da = a.doc[2], db = b.doc[2];
    if (da !== db) {
      if (!da) { return 1; }
      if (!db) { return -1; }
      return da < db ? 1 : -1;
    }
    return compareCodePoints(a.doc[0], b.doc[0]);
  }

  /* Add the hits of one block for `terms` to `hits`. */
  function searchBlock(block, terms, hits) {
    var pool = null;
    terms.forEach(function (variants) {
      var union = [];
      var narrowed = true;
      variants.forEach(function (v) {
        var c = candidates(block, v);
        if (c === null) { narrowed = false; } else { union = union.concat(c); }
      });
      if (!narrowed) { return; }
      union = union.sort(function (a, b) { return a - b; }).filter(function (x, k, arr) { return k === 0 || arr[k - 1] !== x; });
      pool = pool === null ? union : intersect(pool, union);
    });
    if (pool === null) { pool = block.docs.map(function (_, k) { return k; }); }
    pool.forEach(function (n) {
      var total = 0;
      for (var t = 0; t < terms.length; t++) {
        var s = scoreTerm(block, n, terms[t]);
        if (s === 0) { return; }
        total += s;
      }
      hits.push({ doc: block.docs[n], score: total });
    });
  }

  function search(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean).map(function (t) {
      var simple = simplify(t);
      return simple === t ? [t] : [t, simple];
    });
    if (terms.length === 0) { return { terms: [], hits: [] }; }
    var hits = [];
    blocks.forEach(function (block) { searchBlock(block, terms, hits); });
    // Title and entity hits first, then more mentions; the site's order (newest first) breaks ties.
    hits.sort(function (a, b) { return b.score - a.score || siteOrder(a, b); });
    var needles = [];
    terms.forEach(function (v) { needles = needles.concat(v); });
    return { terms: needles, hits: hits };
  }

  /* Append `text` to `parent`, wrapping each occurrence of a needle in <mark>. */
  function appendHighlighted(parent, text, needles) {
    var lower = text.toLowerCase(), pos = 0;
    while (pos < text.length) {
      var at = -1, len = 0;
      needles.forEach(function (needle) {
        var k = lower.indexOf(needle, pos);
        if (k !== -1 && (at === -1 || k < at || (k === at && needle.length > len))) { at = k; len = needle.length; }
      });
      if (at === -1) { break; }
      if (at > pos) { parent.appendChild(document.createTextNode(text.slice(pos, at))); }
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + len);
      parent.appendChild(mark);
      pos = at + len;
    }
    if (pos < text.length) { parent.appendChild(document.createTextNode(text.slice(pos))); }
  }

  function snippet(body, needles) {
    var lower = body.toLowerCase(), first = -1;
    needles.forEach(function (needle) {
      var k = lower.indexOf(needle);
      if (k !== -1 && (first === -1 || k < first)) { first = k; }
    });
    if (first === -1) { first = 0; }
    var start = Math.max(0, first - SNIPPET_BEFORE), end = Math.min(body.length, first + SNIPPET_AFTER);
    return (start > 0 ? "…" : "") + body.slice(start, end).replace(/\s+/g, " ") + (end < body.length ? "…" : "");
  }

  function cnDate(iso) {
    if (!iso) { return "日期不详"; }
    var p = iso.split("-");
    return parseInt(p[0], 10) + "年" + parseInt(p[1], 10) + "月" + parseInt(p[2], 10) + "日";
  }

  function show(query) {
    var result = search(query);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (result.terms.length === 0) { return; }
    status.textContent = result.hits.length
      ? "“" + query + "”:找到 " + result.hits.length + " 篇文章" + (result.hits.length > LIMIT ? ",显示前 " + LIMIT + " 篇" : "")
      : "“" + query + "”:没有找到文章。试试更短的词,或用空格分开几个词。";
    if (missing) { status.textContent += "(搜索索引有 " + missing + " 个部分未能载入,结果可能不全。)"; }
    result.hits.slice(0, LIMIT).forEach(function (hit) {
      var d = hit.doc;
      var item = document.createElement("li");
      var heading = document.createElement("h3");
      heading.className = "item-title";
      var link = document.createElement("a");
      link.href = "articles/" + encodeURIComponent(d[0]) + ".html";
      appendHighlighted(link, d[1], result.terms);
      heading.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = cnDate(d[2]);
      var matchedEntities = d[3].filter(function (name) {
        var lower = name.toLowerCase();
        return result.terms.some(function (t) { return lower.indexOf(t) !== -1; });
      });
      if (matchedEntities.length) { meta.textContent += " · 提及 " + matchedEntities.slice(0, 3).join("、"); }
      var summary = document.createElement("p");
      summary.className = "summary";
      appendHighlighted(summary, snippet(d[4], result.terms), result.terms);
      item.appendChild(heading);
      item.appendChild(meta);
      item.appendChild(summary);
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("q");
  if (box) { box.value = query; }
  if (query.trim()) {
    document.title = query + " · " + document.title;
    show(query.trim());
  }
}());
