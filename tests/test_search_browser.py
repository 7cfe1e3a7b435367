"""Search in a real browser, from file://: the ranking it states, over shards loaded on demand."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from wuxi_archive.build import build_site
from wuxi_archive.index import search as search_module

from conftest import SEEDS
from test_browser import browser, page, url, wait_for_search  # noqa: F401  (fixtures: Debian's chromium, a page)

# Two-character queries (their score is exact), a single character, two terms, and a longer
# phrase (scored from its bigrams); all with hits whose scores tie.
QUERIES = ["发展", "的", "产业", "企业 平台", "无锡", "集成电路"]
INDEXED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+")


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory, config) -> Path:
    """The seeds' site with ranges, shards and document blocks made tiny: many files, as at 100,000 articles."""
    out = tmp_path_factory.mktemp("sharded") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_module, "TARGET_SHARD_BYTES", 1024)
        patch.setattr(search_module, "BLOCK_DOCS", 2)
        patch.setattr(search_module, "CHUNK_DOCS", 2)
        assert not build_site(SEEDS, out, config, use_cache=False).errors
    return out


@pytest.fixture(params=["built_site", "sharded_site"])
def site(request) -> Path:
    return request.getfixturevalue(request.param)


def site_order(records: list[dict]) -> dict[str, int]:
    """Each id's place in the site's lists: newest first, ties by id, undated last (as index/ orders them)."""
    dated = sorted((r for r in records if r["date"]), key=lambda r: r["id"])
    dated.sort(key=lambda r: r["date"], reverse=True)          # stable: ties keep id order
    undated = sorted((r for r in records if not r["date"]), key=lambda r: r["id"])
    return {r["id"]: n for n, r in enumerate(dated + undated)}


def fields(record: dict) -> tuple[str, str, str]:
    names = [o["name"] for o in record["organisations"]] + [a for o in record["organisations"] for a in o["aliases"]]
    names += [e["name"] for e in record["events"]]
    body = "\n".join(p["text"] for p in record["paragraphs"])
    return record["title"].lower(), "\n".join(dict.fromkeys(names)).lower(), body.lower()


def substring_score(record: dict, term: str) -> int:
    """The ranking rule the search page states: title 100, an entity name 50, +1 per body mention (up to 20)."""
    title, names, body = fields(record)
    return 100 * (term in title) + 50 * (term in names) + min(len(re.findall(f"(?={re.escape(term)})", body)), 20)


def bigram_score(record: dict, term: str) -> int:
    """The rule for a term of three or more characters, scored from its bigrams: 100 if all are
    in the title, 50 if all are in the entity names, plus the least body count of theirs."""
    grams = [run[k:k + 2] for run in INDEXED.findall(term) for k in range(len(run) - 1)]
    grams += [run for run in INDEXED.findall(term) if len(run) == 1]
    title, names, body = fields(record)
    if not all(g in title or g in names or g in body for g in grams):
        return 0
    return (100 * all(g in title for g in grams) + 50 * all(g in names for g in grams)
            + min(min(len(re.findall(f"(?={re.escape(g)})", body)), 20) for g in grams))


def expected_ranking(records: list[dict], query: str, score=bigram_score) -> list[str]:
    """The ids a search should list, computed from articles.json alone."""
    order = site_order(records)
    hits = []
    for record in records:
        scores = [score(record, t) for t in query.lower().split()]
        if all(scores):
            hits.append((-sum(scores), order[record["id"]], record["id"]))
    return [i for _, _, i in sorted(hits)]


def result_ids(page, site: Path, query: str) -> list[str]:
    page.goto(url(site, "search.html") + "?q=" + quote(query))
    wait_for_search(page)
    while page.locator("#search-more").is_visible():       # every page of hits
        count = page.locator("#search-results li").count()
        page.click("#search-more")
        page.wait_for_function(f"() => document.querySelectorAll('#search-results li').length > {count}")
    hrefs = page.locator("#search-results li h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [unquote(h.removeprefix("articles/").removesuffix(".html")) for h in hrefs]


def test_search_ranks_as_its_stated_rule(page, site):
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    by_id_ties = 0
    for query in QUERIES:
        expected = expected_ranking(records, query)
        assert expected, query
        assert result_ids(page, site, query) == expected, query
        if all(len(t) <= 2 for t in query.split()):
            # for terms of one or two characters the bigram rule is the substring rule itself
            assert expected == expected_ranking(records, query, substring_score), query
        # ties broken by document number or id instead of the site's order would give this
        scores = {r["id"]: sum(bigram_score(r, t) for t in query.lower().split()) for r in records}
        by_id_ties += sorted(expected, key=lambda i: (-scores[i], i)) != expected
    assert by_id_ties >= 2, "the queries must tell the site's order from an order by id"


def search_ranges(site: Path) -> list[list]:
    """[name, first number, bigram shards, character shards] of each range, from data/search-index.js."""
    script = (site / "data" / "search-index.js").read_text(encoding="utf-8")
    return json.loads(script[len("window.WUXI_SEARCH="):-2])["ranges"]


def test_the_sharded_site_loads_only_the_shards_a_query_needs(page, sharded_site):
    ranges = search_ranges(sharded_site)
    assert len(ranges) >= 3 and sum(b for _, _, b, _ in ranges) > 8
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(url(sharded_site, "search.html") + "?q=" + quote("发展"))
    wait_for_search(page)
    shards = [u.split("/data/search/")[1].split("/", 1) for u in loaded if "/data/search/" in u]
    bigram_shards = [name for name, rest in shards if rest.startswith("b/")]
    assert sorted(bigram_shards) == sorted(name for name, *_ in ranges)           # one a range
    assert not any(rest.startswith("c/") for _, rest in shards)
    shown = page.locator("#search-results li").count()
    assert 0 < len([rest for _, rest in shards if rest.startswith("d/")]) <= shown
    # a second query in the page loads its own shard and no other
    loaded.clear()
    page.fill("input[name=q]", "无锡")
    page.press("input[name=q]", "Enter")
    page.wait_for_function("() => window.WUXI_SEARCH_DONE.query === '无锡'")
    assert page.url.endswith("?q=" + quote("无锡"))
    assert all("/data/search/" in u for u in loaded)
    assert len([u for u in loaded if "/b/" in u]) <= len(ranges)


def test_traditional_query_ranks_like_its_simplified_form(page, site):
    assert result_ids(page, site, "發展") == result_ids(page, site, "发展")
    assert result_ids(page, site, "集成電路") == expected_ranking(
        json.loads((site / "data" / "articles.json").read_text(encoding="utf-8")), "集成电路")


def test_a_missing_shard_is_reported_and_the_others_still_searched(page, sharded_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sharded_site, site)
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    everything = expected_ranking(records, "的")
    # the document block of the first hit: document numbers run opposite to the site's order
    order, dated = site_order(records), sum(1 for r in records if r["date"])

    ranges = search_ranges(site)

    def block(i: str) -> str:
        rank = order[i]
        number = dated - 1 - rank if rank < dated else dated + len(records) - 1 - rank
        name, first, _, _ = [r for r in ranges if r[1] <= number][-1]
        return f"{name}/d/{(number - first) // 2}.js"

    lost = everything[0]
    (site / "data" / "search" / block(lost)).unlink()
    found = result_ids(page, site, "的")
    assert lost not in found and found == [i for i in everything if block(i) != block(lost)]
    assert "未能载入" in page.locator("#search-status").inner_text()
    # the intact site says nothing of the kind
    result_ids(page, sharded_site, "的")
    assert "未能载入" not in page.locator("#search-status").inner_text()


def test_a_traditional_query_loads_only_the_shards_of_its_simplified_form(page, sharded_site):
    # the indexed text is simplified, and t2s maps only characters no indexed text uses: a
    # spelling that keeps one matches nothing, so its shards are not loaded
    loaded: dict[str, list[str]] = {}
    for query in ("发展", "發展"):
        seen: list[str] = []

        def note(request, seen=seen) -> None:
            if "/data/search/" in request.url:
                seen.append(request.url.split("/data/search/")[1])

        page.on("request", note)
        page.goto(url(sharded_site, "search.html") + "?q=" + quote(query))
        wait_for_search(page)
        page.remove_listener("request", note)
        loaded[query] = sorted(seen)
    assert loaded["發展"] and loaded["發展"] == loaded["发展"]
