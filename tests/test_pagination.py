"""Lists over pages (render/pagination.py): a tiny page_size on the seeds' site, links between
pages from disk, the sitemap index split, and a rebuild after a new article that shifts lists."""
from __future__ import annotations

import dataclasses
import json
import math
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SEEDS
from test_incremental import copy_seeds
from test_links import broken_links
from test_reader import read
from wuxi_archive.build import build_site
from wuxi_archive.config import ConfigError, load_config
from wuxi_archive.render import feeds
from wuxi_archive.render.pagination import Pager, chunks, grouped_chunks, page_path

SIZE = 2
ARTICLE_LINK = re.compile(r'<li><h3><a href="(?:\.\./)*articles/([^"]+)\.html"')
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_later_pages_live_beside_the_first_which_keeps_its_path():
    assert page_path("org/wu-xi.html", 1) == "org/wu-xi.html"
    assert page_path("org/wu-xi.html", 2) == "org/wu-xi/page-2.html"
    assert page_path("org/index.html", 3) == "org/page-3.html"
    assert page_path("index.html", 2) == "page-2.html"
    assert page_path("date/2024/05/index.html", 2) == "date/2024/05/page-2.html"
    assert page_path("org/wu-xi/2024.html", 2) == "org/wu-xi/2024/page-2.html"


def test_the_nav_shows_the_ends_and_the_pages_near_the_current_one():
    assert Pager("index.html", 1, 1).numbers() == [1]
    assert Pager("index.html", 1, 3).numbers() == [1, 2, 3]
    assert Pager("index.html", 50, 1000).numbers() == [1, None, 48, 49, 50, 51, 52, None, 1000]
    assert Pager("index.html", 1, 1000).numbers() == [1, 2, 3, None, 1000]
    pager = Pager("index.html", 2, 3)
    assert (pager.prev, pager.next) == ("index.html", "page-3.html")
    assert (Pager("index.html", 1, 3).prev, Pager("index.html", 3, 3).next) == (None, None)


def test_chunks_keep_every_item_once_in_order_and_groups_continue_under_their_label():
    assert chunks([], 3) == [[]]
    assert chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    groups = [("A", [1, 2, 3]), ("B", [4]), ("C", [5, 6])]
    assert grouped_chunks(groups, 2) == [[("A", [1, 2])], [("A", [3]), ("B", [4])], [("C", [5, 6])]]
    with pytest.raises(ValueError):
        chunks([1], 0)


@pytest.mark.parametrize("value", ["0", "-3", "true", "2.5", "many"])
def test_page_size_must_be_a_positive_whole_number(tmp_path, value):
    path = tmp_path / "wuxi-archive.yaml"
    path.write_text(f"site_title: 档案\npage_size: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"wuxi-archive.yaml:2: 'page_size' must be"):
        load_config(path)
    path.write_text("page_size: 3\nfeed_entries: 4\n", encoding="utf-8")
    assert (load_config(path).page_size, load_config(path).feed_entries) == (3, 4)


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    """The seeds' site with pages of SIZE items, a base URL (so a sitemap) and a short feed;
    sitemap files of at most 7 URLs."""
    config = dataclasses.replace(load_config(), page_size=SIZE, feed_entries=3, base_url="https://example.org/a")
    out = tmp_path_factory.mktemp("paged") / "build"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(feeds, "SITEMAP_URLS", 7)
        result = build_site(SEEDS, out, config, use_cache=False)
    assert not result.errors, result.errors
    return out


def _resolve(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def _chain(site: Path, first: str) -> list[str]:
    """The pages of a list, following rel="next" from its first page (and rel="prev" back)."""
    pages = [first]
    while (nxt := dict(read(site / pages[-1]).links).get("next")) is not None:
        following = _resolve(pages[-1], nxt)
        assert _resolve(following, dict(read(site / following).links)["prev"]) == pages[-1]
        pages.append(following)
    return pages


def _listed(site: Path, pages: list[str]) -> list[list[str]]:
    return [ARTICLE_LINK.findall((site / page).read_text(encoding="utf-8")) for page in pages]


def test_the_home_list_pages_through_every_article_once_newest_first(paged_site):
    records = json.loads((paged_site / "data" / "articles.json").read_text(encoding="utf-8"))
    pages = _chain(paged_site, "index.html")
    assert len(pages) == math.ceil(len(records) / SIZE) > 2
    listed = _listed(paged_site, pages)
    assert all(0 < len(ids) <= SIZE for ids in listed)
    flat = [i for ids in listed for i in ids]
    assert len(flat) == len(set(flat)) == len(records)
    # the first page keeps its side column; the later pages are not bigger than it needs
    assert "报道最多的机构" in (paged_site / "index.html").read_text(encoding="utf-8")
    nav = (paged_site / pages[1]).read_text(encoding="utf-8")
    assert 'aria-current="page">2<' in nav and '<link rel="prev" href="index.html">' in nav


def test_every_list_page_holds_at_most_page_size_items_and_entity_lists_keep_each_article(paged_site):
    checked = 0
    for first in sorted(paged_site.glob("org/*.html")) + sorted(paged_site.glob("person/*.html")):
        if first.name == "index.html" or first.name.startswith("page-"):
            continue
        pages = _chain(paged_site, first.relative_to(paged_site).as_posix())
        listed = _listed(paged_site, pages)
        assert all(len(ids) <= SIZE for ids in listed), pages
        total = int(re.search(r"<dt>报道</dt><dd>(\d+) 篇", first.read_text(encoding="utf-8")).group(1)) \
            if first.parent.name == "org" else None
        flat = [i for ids in listed for i in ids]
        assert len(flat) == len(set(flat))
        if total is not None:
            assert len(flat) == total and len(pages) == max(1, math.ceil(total / SIZE))
            checked += len(pages) > 1
    assert checked, "no organisation of the seeds is named in more than SIZE articles"
    for index in ("org/index.html", "person/index.html", "event/index.html", "date/2023/index.html",
                  "editor/index.html"):
        pages = _chain(paged_site, index)
        assert len(pages) > 1, index
    for page in paged_site.glob("editor/*.html"):
        if page.name == "index.html" or page.name.startswith("page-"):
            assert page.read_text(encoding="utf-8").count("<tr") <= SIZE + 1      # and the header row


def test_links_between_pages_resolve_from_disk_and_headings_do_not_skip(paged_site):
    # With base_url, og:url and the canonical link are absolute, as they must be; nothing else is.
    assert [p for p in broken_links(paged_site) if "https://example.org/a/" not in p] == []
    assert not re.search(r'<a [^>]*href="https?:', (paged_site / "page-2.html").read_text(encoding="utf-8"))
    for path in paged_site.rglob("*.html"):
        levels = read(path).headings
        assert not [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1], path


def test_the_sitemap_is_an_index_of_files_of_at_most_the_limit(paged_site):
    index = ET.parse(paged_site / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    files = [e.text for e in index.iter(f"{SITEMAP_NS}loc")]
    prefix = "https://example.org/a/"
    assert files == [f"{prefix}sitemap-{n}.xml" for n in range(1, len(files) + 1)]
    urls = []
    for url in files:
        locs = [e.text for e in ET.parse(paged_site / url[len(prefix):]).getroot().iter(f"{SITEMAP_NS}loc")]
        assert 0 < len(locs) <= 7
        urls += locs
    assert all(u.startswith(prefix) for u in urls) and urls == sorted(set(urls))
    pages = {p.relative_to(paged_site).as_posix() for p in paged_site.rglob("*.html")}
    listed = {u[len(prefix):] for u in urls}
    assert {"index.html", "page-2.html", "org/index.html", "org/page-2.html"} <= listed <= pages
    assert len(files) == math.ceil(len(listed) / 7)
    assert not any(p.startswith("editor/") for p in listed) and "404.html" not in listed


def test_the_feed_keeps_the_newest_feed_entries(paged_site):
    feed = ET.parse(paged_site / "feed.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 3


def test_a_new_article_shifting_lists_rewrites_the_later_pages_as_a_cold_build_does(tmp_path, config):
    config = dataclasses.replace(config, page_size=SIZE)
    seeds = copy_seeds(tmp_path, copies=2)
    # 17 articles: the new one fills the home list's last page, so no page count changes and
    # only what the pages list tells which to rewrite
    (seeds / f"c001_{sorted(SEEDS.glob('*.txt'))[0].name}").unlink()
    out = tmp_path / "site"
    build_site(seeds, out, config)
    before = tree(out)
    # a copy of the newest seed with new sentences: the same date and names, so it enters the
    # lists of its organisations, its month and the home page next to its original, near their
    # tops, pushing the others on to later pages
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    (seeds / "zz_new.txt").write_text(text.replace("。", "(新增)。"), encoding="utf-8")
    again = build_site(seeds, out, config)
    assert again.recomputed == 1
    after = tree(out)
    cold_out = tmp_path / "cold"
    build_site(seeds, cold_out, config, use_cache=False)
    assert after == tree(cold_out)
    # later pages the new article is not on changed all the same: their articles moved
    shifted = [path for path in after if "page-" in path and path.endswith(".html") and path in before
               and after[path] != before[path] and b"zz_new" not in after[path]]
    assert any(re.fullmatch(r"page-\d+\.html", p) for p in shifted) and any(p.startswith("org/") for p in shifted), shifted
    home_pages = sorted(p for p in after if re.fullmatch(r"page-\d+\.html", p))
    assert home_pages == sorted(p for p in before if re.fullmatch(r"page-\d+\.html", p))


def test_an_organisation_with_more_events_than_a_page_lists_them_all_on_pages_of_their_own(paged_site):
    pages = sorted(paged_site.glob("org/*/events.html"))
    assert pages, "no organisation of the seeds has more than SIZE events"
    for first in pages:
        org_page = first.parent.with_suffix(".html").read_text(encoding="utf-8")
        total = int(re.search(r"全部 (\d+) 项活动", org_page).group(1))
        chain = _chain(paged_site, first.relative_to(paged_site).as_posix())
        listed = [re.findall(r'<li><a href="(?:\.\./)+event/([^"]+)\.html"', (paged_site / page).read_text(encoding="utf-8"))
                  for page in chain]
        assert len(chain) == math.ceil(total / SIZE) and all(len(names) <= SIZE for names in listed)
        assert len({n for names in listed for n in names}) == sum(map(len, listed)) == total
