"""Search over the blocks in a real browser: the merged ranking is the site-wide one, from file://."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

from wuxi_archive.index.search import block_of

from test_browser import browser, page, url  # noqa: F401  (fixtures: Debian's chromium, a page)

# Queries whose hits tie on score across blocks (checked below), one of them two terms.
QUERIES = ["发展", "的", "产业", "企业 平台", "无锡", "集成电路"]


def site_order(records: list[dict]) -> dict[str, int]:
    """Each id's place in the site's lists: newest first, ties by id, undated last (as index/ orders them)."""
    dated = sorted((r for r in records if r["date"]), key=lambda r: r["id"])
    dated.sort(key=lambda r: r["date"], reverse=True)          # stable: ties keep id order
    undated = sorted((r for r in records if not r["date"]), key=lambda r: r["id"])
    return {r["id"]: n for n, r in enumerate(dated + undated)}


def term_score(record: dict, term: str) -> int:
    """The ranking rule the search page states: title 100, an entity name 50, +1 per body mention (up to 20)."""
    names = [o["name"] for o in record["organisations"]] + [a for o in record["organisations"] for a in o["aliases"]]
    names += [e["name"] for e in record["events"]]
    body = "\n".join(p["text"] for p in record["paragraphs"]).lower()
    return (100 * (term in record["title"].lower()) + 50 * (term in "\n".join(names).lower())
            + min(body.count(term), 20))


def expected_ranking(records: list[dict], query: str) -> list[str]:
    """The ids a search should list, computed from articles.json alone."""
    order = site_order(records)
    terms = query.lower().split()
    hits = []
    for record in records:
        scores = [term_score(record, t) for t in terms]
        if all(scores):
            hits.append((-sum(scores), order[record["id"]], record["id"]))
    return [i for _, _, i in sorted(hits)]


def result_ids(page, site: Path, query: str) -> list[str]:
    page.goto(url(site, "search.html") + "?q=" + quote(query))
    hrefs = page.locator("#search-results li h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [unquote(h.removeprefix("articles/").removesuffix(".html")) for h in hrefs]


def test_merged_blocks_rank_as_one_index_would(page, built_site):
    records = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))
    order = site_order(records)
    block_first = 0
    for query in QUERIES:
        expected = expected_ranking(records, query)
        assert expected, query
        assert result_ids(page, built_site, query) == expected, query
        # the same hits taken block by block: a merge that forgot the site order would give this
        by_block = sorted(expected, key=lambda i: (block_of(i), order[i]))
        block_first += by_block != expected
    assert block_first >= 3, "the queries must tell a block-by-block order from the site's"


def test_traditional_query_ranks_like_its_simplified_form(page, built_site):
    assert result_ids(page, built_site, "發展") == result_ids(page, built_site, "发展")
    assert result_ids(page, built_site, "集成電路") == expected_ranking(
        json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8")), "集成电路")


def test_a_missing_block_is_reported_and_the_others_still_searched(page, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    everything = expected_ranking(records, "的")
    lost = everything[0]
    (site / "data" / "search" / f"{block_of(lost):02d}.js").unlink()
    found = result_ids(page, site, "的")
    assert lost not in found
    assert found == [i for i in everything if block_of(i) != block_of(lost)]
    assert "未能载入" in page.locator("#search-status").inner_text()
    # the intact site says nothing of the kind
    result_ids(page, built_site, "的")
    assert "未能载入" not in page.locator("#search-status").inner_text()
