/* Full-text search that loads only what a query needs, from file:// or any server.
 *
 * data/search-index.js (window.WUXI_SEARCH) gives the counts of documents and
 * shards and the traditional -> simplified pairs. A query's bigrams (its single
 * characters, for a one-character run) each live in one shard, named by a hash
 * of the gram (wuxi_archive/index/search.py builds them); those shards are added
 * as <script> tags, the postings intersected and scored, and the hits ranked
 * (score, then the site's order, which the document numbers give). Only then are
 * the document blocks (id, title, date) of the hits shown loaded. Results are
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

  /* FNV-1a over the gram's UTF-16 units: search.py's fnv_shard. */
  function shardOf(gram) {
    var h = 2166136261;
    for (var k = 0; k < gram.length; k++) { h = Math.imul(h ^ gram.charCodeAt(k), 16777619) >>> 0; }
    return gram.length === 1 ? "c/" + (h % data.c) : "b/" + (h % data.b);
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

  var SCORE_BASE = 0x28;
  /* A gram's postings: {docs: Int32Array, scores: Uint8Array}, from its shard's entry. */
  function decode(entry) {
    var gap = entry.indexOf(" "), digits = entry.slice(0, gap), scoreText = entry.slice(gap + 1), n = scoreText.length;
    var docs = new Int32Array(n), scores = new Uint8Array(n);
    var x = 0, doc = 0, p = 0;
    for (var k = 0; k < digits.length; k++) {
      var c = digits.charCodeAt(k);
      if (c >= 48 && c <= 57) { x = x * 32 + c - 48; }
      else if (c >= 97 && c <= 118) { x = x * 32 + c - 87; }
      else {
        x = x * 32 + (c >= 65 && c <= 90 ? c - 65 : "!#$%&*".indexOf(digits[k]) + 26);
        doc += x; docs[p++] = doc; x = 0;
      }
    }
    for (var s = 0; s < n; s++) {
      var v = scoreText.charCodeAt(s) - SCORE_BASE;
      scores[s] = v > 0x5c - SCORE_BASE ? v - 1 : v;      // the alphabet skips the backslash
    }
    return { docs: docs, scores: scores };
  }

  /* Documents holding every gram, with the term's score: title and entity parts only where
   * every gram is there, the body count the least of theirs. A Map doc -> score. */
  function scoreSpelling(grams) {
    var result = null;
    for (var g = 0; g < grams.length; g++) {
      var shard = shards[shardOf(grams[g])], entry = shard && shard[grams[g]];
      if (!entry) { return new Map(); }
      var p = decode(entry), next = new Map();
      for (var k = 0; k < p.docs.length; k++) {
        var v = p.scores[k], title = v >= TITLE ? 1 : 0, entity = (v % TITLE) >= ENTITY ? 1 : 0, body = v % BODY;
        if (result === null) { next.set(p.docs[k], [title, entity, body]); continue; }
        var had = result.get(p.docs[k]);
        if (had) { next.set(p.docs[k], [had[0] & title, had[1] & entity, Math.min(had[2], body)]); }
      }
      result = next;
      if (result.size === 0) { break; }
    }
    var scored = new Map();
    (result || new Map()).forEach(function (parts, doc) {
      var score = 100 * parts[0] + 50 * parts[1] + parts[2];
      if (score > 0) { scored.set(doc, score); }
    });
    return scored;
  }

  /* The site's place of a document number: dated ones newest first, then the undated. */
  function siteRank(n) { return n < data.dated ? data.dated - 1 - n : data.dated + (data.docs - 1 - n); }

  /* Terms (split on spaces), each with its spellings (as typed, and simplified). */
  function termsOf(query) {
    return query.toLowerCase().split(/\s+/).filter(function (t) { return gramsOf(t).length; }).map(function (t) {
      var simple = simplify(t);
      return simple === t ? [t] : [t, simple];
    });
  }

  var missing = {};
  function loadAll(names) {
    return Promise.all(names.map(function (name) {
      return load(name).then(function (got) { if (got === null) { missing[name] = true; } });
    }));
  }

  /* Ranked hits of the query: [{doc, score}], once its shards are in. */
  function search(terms) {
    var needed = {};
    terms.forEach(function (spellings) {
      spellings.forEach(function (s) { gramsOf(s).forEach(function (g) { needed[shardOf(g)] = true; }); });
    });
    return loadAll(Object.keys(needed)).then(function () {
      var total = null;
      terms.forEach(function (spellings) {
        var best = new Map();
        spellings.forEach(function (s) {
          scoreSpelling(gramsOf(s)).forEach(function (score, doc) {
            if (!(best.get(doc) >= score)) { best.set(doc, score); }
          });
        });
        if (total === null) { total = best; return; }
        var next = new Map();
        total.forEach(function (score, doc) { if (best.has(doc)) { next.set(doc, score + best.get(doc)); } });
        total = next;
      });
      var hits = [];
      (total || new Map()).forEach(function (score, doc) { hits.push({ doc: doc, score: score, rank: siteRank(doc) }); });
      // Title and entity hits first, then more mentions; the site's order (newest first) breaks ties.
      hits.sort(function (a, b) { return b.score - a.score || a.rank - b.rank; });
      return hits;
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
    var page = current.hits.slice(current.next, current.next + PAGE);
    current.next += page.length;
    var blocks = {};
    page.forEach(function (hit) { blocks["d/" + Math.floor(hit.doc / data.block)] = true; });
    return loadAll(Object.keys(blocks)).then(function () {
      if (shown !== current) { return; }
      page.forEach(function (hit) {
        var table = shards["d/" + Math.floor(hit.doc / data.block)];
        if (!table) { return; }
        var d = table[hit.doc % data.block];
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
    var current = { query: query, terms: terms, needles: [], hits: [], next: 0 };
    shown = current;
    if (terms.length === 0) {
      status.textContent = query ? "“" + query + "”:没有可搜索的汉字、字母或数字。" : "";
      window.WUXI_SEARCH_DONE = { query: query, ms: performance.now() - started };
      return Promise.resolve();
    }
    terms.forEach(function (spellings) { current.needles = current.needles.concat(spellings); });
    status.textContent = "正在搜索“" + query + "”…";
    return search(terms).then(function (hits) {
      if (shown !== current) { return; }
      current.hits = hits;
      return showMore(current);
    }).then(function () {
      // For the benchmark and the tests: when the first results were on screen.
      if (shown === current) { window.WUXI_SEARCH_DONE = { query: query, ms: performance.now() - started }; }
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
