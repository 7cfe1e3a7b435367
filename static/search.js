/* Full-text search that loads only what a query needs, from file:// or any server.
 *
 * data/search-index.js (window.WUXI_SEARCH) gives the count of documents, the
 * ranges of document numbers (each with files of its own: name, first number,
 * shard counts) and the traditional -> simplified pairs. A query's bigrams (its
 * single characters, for a one-character run) each live in one shard of each
 * range, named by a hash of the gram (wuxi_archive/index/search.py builds them);
 * those shards are added as <script> tags, the postings intersected and scored,
 * and the hits ranked (score, then the site's order, which the document numbers
 * give). Only then are the document blocks (id, title, date) of the hits shown loaded. Results are
 * built from DOM nodes and text nodes only: article text never goes through innerHTML.
 */
(function () {
  "use strict";
  var INDEXED = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+/g;
  var PAGE = 20;
  var TITLE = 42, ENTITY = 21, BODY = 21;          // a score character's parts (search.py)
  var data = window.WUXI_SEARCH;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!data || !status || !list) { return; }
  var root = (document.querySelector('script[src$="data/search-index.js"]').getAttribute("src") || "")
    .replace(/data\/search-index\.js$/, "");

  var t2s = {};
  for (var i = 0; i + 1 < data.t2s.length; i += 2) { t2s[data.t2s[i]] = data.t2s[i + 1]; }

  function simplify(text) {
    var out = "";
    for (var k = 0; k < text.length; k++) { out += t2s[text[k]] || text[k]; }
    return out;
  }

  /* Loading shards: each once, by <script> tag; a promise of its data (null when it failed). */
  var shards = {}, pending = {};
  window.WUXI_SEARCH_SHARD = function (name, payload) { shards[name] = payload; };
  function load(name) {
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve) {
        var tag = document.createElement("script");
        tag.src = root + "data/search/" + name + ".js";
        tag.onload = function () { resolve(shards[name] || null); };
        tag.onerror = function () { resolve(null); };
        document.head.appendChild(tag);
      });
    }
    return pending[name];
  }

  /* Ranges of document numbers, in order: {name, start, b, c} (search.py's search_ranges). */
  var ranges = data.ranges.map(function (r) { return { name: r[0], start: r[1], b: r[2], c: r[3] }; });

  /* The gram's shard in each range, by FNV-1a over its UTF-16 units: search.py's fnv_shard. */
  function shardsOf(gram) {
    var h = 2166136261;
    for (var k = 0; k < gram.length; k++) { h = Math.imul(h ^ gram.charCodeAt(k), 16777619) >>> 0; }
    return ranges.map(function (r) {
      return r.name + (gram.length === 1 ? "/c/" + (h % r.c) : "/b/" + (h % r.b));
    });
  }

  /* The range holding document number `doc` (binary search over their first numbers). */
  function rangeOf(doc) {
    var low = 0, high = ranges.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (ranges[mid].start <= doc) { low = mid; } else { high = mid - 1; }
    }
    return ranges[low];
  }

  /* The document block holding `doc`, and its place there. */
  function blockOf(doc) {
    var r = rangeOf(doc), local = doc - r.start;
    return { name: r.name + "/d/" + Math.floor(local / data.block), at: local % data.block };
  }

  /* The grams of one spelling of a term: bigrams of each run, a lone character alone. */
  function gramsOf(term) {
    var grams = [];
    (term.match(INDEXED) || []).forEach(function (run) {
      if (run.length === 1) { grams.push(run); }
      for (var k = 0; k + 1 < run.length; k++) { grams.push(run.slice(k, k + 2)); }
    });
    return grams;
  }

  /* Character code -> digit value; a number's last digit is stored plus 32. */
  var DIGIT = new Int8Array(128).fill(-1);
  "0123456789abcdefghijklmnopqrstuv".split("").forEach(function (c, k) { DIGIT[c.charCodeAt(0)] = k; });
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*".split("").forEach(function (c, k) { DIGIT[c.charCodeAt(0)] = 32 + k; });
  var SCORE_BASE = 0x28, BACKSLASH = 0x5c;

  /* A gram's postings in one range, "digits scores", numbered from the range's `first`:
   * {docs: Int32Array, scores: Uint8Array} (search.py). */
  function decode(entry, first) {
    var gap = entry.indexOf(" "), n = entry.length - gap - 1;
    var docs = new Int32Array(n), scores = new Uint8Array(n);
    var x = 0, doc = first, p = 0;
    for (var k = 0; k < gap; k++) {
      var d = DIGIT[entry.charCodeAt(k)];
      if (d < 32) { x = x * 32 + d; } else { doc += x * 32 + d - 32; docs[p++] = doc; x = 0; }
    }
    for (var s = 0; s < n; s++) {
      var c = entry.charCodeAt(gap + 1 + s);
      scores[s] = c - SCORE_BASE - (c > BACKSLASH ? 1 : 0);      // the alphabet skips the backslash
    }
    return { docs: docs, scores: scores };
  }

  /* A gram's postings across every range, in number order; null when no range has it. */
  function postingsOf(gram) {
    var names = shardsOf(gram), parts = [], total = 0;
    for (var r = 0; r < ranges.length; r++) {
      var shard = shards[names[r]], entry = shard && shard[gram];
      if (entry) { var p = decode(entry, ranges[r].start); parts.push(p); total += p.docs.length; }
    }
    if (parts.length === 0) { return null; }
    if (parts.length === 1) { return parts[0]; }
    var docs = new Int32Array(total), scores = new Uint8Array(total), at = 0;
    parts.forEach(function (p) { docs.set(p.docs, at); scores.set(p.scores, at); at += p.docs.length; });
    return { docs: docs, scores: scores };
  }

  /* Postings are kept as typed arrays sorted by document (tens of thousands of hits at
   * 100,000 articles: no object per hit). A set of hits is {docs: Int32Array, scores: Int32Array}. */

  /* Documents holding every gram, with the term's score: title and entity parts only where
   * every gram is there, the body count the least of theirs. */
  function scoreSpelling(grams) {
    var docs = null, parts = null;
    for (var g = 0; g < grams.length; g++) {
      var p = postingsOf(grams[g]);
      if (!p) { return { docs: new Int32Array(0), scores: new Int32Array(0) }; }
      if (docs === null) { docs = p.docs; parts = p.scores; continue; }
      // Intersect, keeping per document the parts all grams share: title and entity flags, least body count.
      var n = Math.min(docs.length, p.docs.length), outDocs = new Int32Array(n), outParts = new Uint8Array(n);
      var x = 0, y = 0, k = 0;
      while (x < docs.length && y < p.docs.length) {
        if (docs[x] === p.docs[y]) {
          var u = parts[x], v = p.scores[y];
          var title = u >= TITLE && v >= TITLE ? TITLE : 0;
          var entity = (u % TITLE) >= ENTITY && (v % TITLE) >= ENTITY ? ENTITY : 0;
          outDocs[k] = docs[x]; outParts[k++] = title + entity + Math.min(u % BODY, v % BODY); x++; y++;
        } else if (docs[x] < p.docs[y]) { x++; } else { y++; }
      }
      docs = outDocs.subarray(0, k); parts = outParts.subarray(0, k);
      if (k === 0) { break; }
    }
    var scores = new Int32Array(docs.length), kept = 0;
    for (var i = 0; i < docs.length; i++) {
      var w = parts[i], score = (w >= TITLE ? 100 : 0) + ((w % TITLE) >= ENTITY ? 50 : 0) + w % BODY;
      if (score > 0) { docs[kept] = docs[i]; scores[kept++] = score; }
    }
    return { docs: docs.subarray(0, kept), scores: scores.subarray(0, kept) };
  }

  /* Documents in either set, with the better score (one term's spellings). */
  function union(a, b) {
    var docs = new Int32Array(a.docs.length + b.docs.length), scores = new Int32Array(docs.length);
    var x = 0, y = 0, k = 0;
    while (x < a.docs.length || y < b.docs.length) {
      if (y >= b.docs.length || (x < a.docs.length && a.docs[x] < b.docs[y])) { docs[k] = a.docs[x]; scores[k++] = a.scores[x++]; }
      else if (x >= a.docs.length || b.docs[y] < a.docs[x]) { docs[k] = b.docs[y]; scores[k++] = b.scores[y++]; }
      else { docs[k] = a.docs[x]; scores[k++] = Math.max(a.scores[x++], b.scores[y++]); }
    }
    return { docs: docs.subarray(0, k), scores: scores.subarray(0, k) };
  }

  /* Documents in both sets, the scores added (the terms of a query). */
  function both(a, b) {
    var n = Math.min(a.docs.length, b.docs.length), docs = new Int32Array(n), scores = new Int32Array(n);
    var x = 0, y = 0, k = 0;
    while (x < a.docs.length && y < b.docs.length) {
      if (a.docs[x] === b.docs[y]) { docs[k] = a.docs[x]; scores[k++] = a.scores[x++] + b.scores[y++]; }
      else if (a.docs[x] < b.docs[y]) { x++; } else { y++; }
    }
    return { docs: docs.subarray(0, k), scores: scores.subarray(0, k) };
  }

  /* The site's place of a document number: dated ones newest first, then the undated; and back. */
  function siteRank(n) { return n < data.dated ? data.dated - 1 - n : data.dated + (data.docs - 1 - n); }
  function fromRank(r) { return r < data.dated ? data.dated - 1 - r : data.dated + data.docs - 1 - r; }

  /* Terms (split on spaces), each with its spellings: simplified alone. t2s maps only characters
   * the indexed text never uses (tradmap.py), so a spelling that keeps one of them matches
   * nothing: its shards are not loaded. */
  function termsOf(query) {
    return query.toLowerCase().split(/\s+/).filter(function (t) { return gramsOf(t).length; }).map(function (t) {
      return [simplify(t)];
    });
  }

  var missing = {};
  function loadAll(names) {
    return Promise.all(names.map(function (name) {
      return load(name).then(function (got) { if (got === null) { missing[name] = true; } });
    }));
  }

  var RANKS = 33554432;       // 2^25 document numbers at most (search.py)
  /* Ranked hits of the query: {docs: Int32Array, scores: Int32Array} in order, once its shards are in. */
  function search(terms) {
    var needed = {};
    terms.forEach(function (spellings) {
      spellings.forEach(function (s) {
        gramsOf(s).forEach(function (g) { shardsOf(g).forEach(function (name) { needed[name] = true; }); });
      });
    });
    return loadAll(Object.keys(needed)).then(function () {
      var total = null;
      terms.forEach(function (spellings) {
        var best = null;
        spellings.forEach(function (s) {
          var found = scoreSpelling(gramsOf(s));
          best = best === null ? found : union(best, found);
        });
        total = total === null ? best : both(total, best);
      });
      // Title and entity hits first, then more mentions; the site's order (newest first) breaks ties:
      // one number per hit, score and place packed, sorted natively.
      var keys = new Float64Array(total.docs.length);
      for (var i = 0; i < keys.length; i++) { keys[i] = -total.scores[i] * RANKS + siteRank(total.docs[i]); }
      keys.sort();
      var docs = new Int32Array(keys.length), scores = new Int32Array(keys.length);
      for (var j = 0; j < keys.length; j++) {
        var score = Math.ceil(-keys[j] / RANKS), rank = keys[j] + score * RANKS;
        docs[j] = fromRank(rank); scores[j] = score;
      }
      return { docs: docs, scores: scores, length: keys.length };
    });
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

  function cnDate(iso) {
    if (!iso) { return "日期不详"; }
    var p = iso.split("-");
    return parseInt(p[0], 10) + "年" + parseInt(p[1], 10) + "月" + parseInt(p[2], 10) + "日";
  }

  function missingNote() {
    var count = Object.keys(missing).length;
    return count ? "(搜索索引有 " + count + " 个部分未能载入,结果可能不全。)" : "";
  }

  var shown = null;     // the query on screen: {query, terms, needles, hits, next}

  /* Show the next page of hits: load their document blocks, then list them. */
  function showMore(current) {
    var page = Array.prototype.slice.call(current.hits.docs.subarray(current.next, current.next + PAGE));
    current.next += page.length;
    var blocks = {};
    page.forEach(function (doc) { blocks[blockOf(doc).name] = true; });
    return loadAll(Object.keys(blocks)).then(function () {
      if (shown !== current) { return; }
      page.forEach(function (doc) {
        var place = blockOf(doc), table = shards[place.name];
        if (!table) { return; }
        var d = table[place.at];
        var item = document.createElement("li");
        var heading = document.createElement("h3");
        heading.className = "item-title";
        var link = document.createElement("a");
        link.href = root + "articles/" + encodeURIComponent(d[0]) + ".html";
        appendHighlighted(link, d[1], current.needles);
        heading.appendChild(link);
        var meta = document.createElement("p");
        meta.className = "meta";
        meta.textContent = cnDate(d[2]);
        item.appendChild(heading);
        item.appendChild(meta);
        list.appendChild(item);
      });
      status.textContent = statusText(current) + missingNote();
      if (more) { more.hidden = current.next >= current.hits.length; }
    });
  }

  function statusText(current) {
    var n = current.hits.length;
    return n ? "“" + current.query + "”:找到 " + n + " 篇文章" + (n > current.next ? ",显示前 " + current.next + " 篇" : "")
      : "“" + current.query + "”:没有找到文章。试试更短的词,或用空格分开几个词。";
  }

  function run(query) {
    var started = performance.now();
    var terms = termsOf(query);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (more) { more.hidden = true; }
    var current = { query: query, terms: terms, needles: [], hits: { docs: new Int32Array(0), length: 0 }, next: 0 };
    shown = current;
    if (terms.length === 0) {
      status.textContent = query ? "“" + query + "”:没有可搜索的汉字、字母或数字。" : "";
      window.WUXI_SEARCH_DONE = { query: query, ms: performance.now() - started };
      return Promise.resolve();
    }
    terms.forEach(function (spellings) { current.needles = current.needles.concat(spellings); });
    status.textContent = "正在搜索“" + query + "”…";
    var ranked;
    return search(terms).then(function (hits) {
      if (shown !== current) { return; }
      ranked = performance.now();
      current.hits = hits;
      return showMore(current);
    }).then(function () {
      // For the benchmark and the tests: when the first results were on screen (and the hits ranked).
      if (shown === current) {
        var now = performance.now();
        window.WUXI_SEARCH_DONE = { query: query, ms: now - started, ranked_ms: ranked - started };
      }
    });
  }

  var baseTitle = document.title;
  var box = document.getElementById("q");
  var query = new URLSearchParams(window.location.search).get("q") || "";
  if (box) {
    box.value = query;
    // On this page a search runs in place: no reload, only the new query's shards are loaded.
    box.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = box.value.trim();
      history.replaceState(null, "", "?q=" + encodeURIComponent(q));
      document.title = (q ? q + " · " : "") + baseTitle;
      run(q);
    });
  }
  if (more) {
    more.addEventListener("click", function () { if (shown) { showMore(shown); } });
  }
  if (query.trim()) {
    document.title = query + " · " + baseTitle;
    run(query.trim());
  }
}());
