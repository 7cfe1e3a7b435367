"""A link check over the whole built site: every href and src resolves to a file in it."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from test_site import small_site  # noqa: F401  (a fixture: the hand-made archive)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []   # (attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.refs.append((name, value))
            if name == "id" and value:
                self.ids.add(value)


def parse(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


NOT_FOUND_PAGE = "404.html"


def broken_links(site: Path) -> list[str]:
    """Every problem with the site's links, as 'page: link (why)'."""
    problems: list[str] = []
    pages = sorted(site.rglob("*.html"))
    ids = {page: parse(page).ids for page in pages}
    for page in pages:
        rel = page.relative_to(site).as_posix()
        # 404.html is served for a missing path at any depth: its links start at the site root.
        base = site if rel == NOT_FOUND_PAGE else page.parent
        for attr, value in parse(page).refs:
            parts = urlsplit(value)
            rooted = rel == NOT_FOUND_PAGE and value.startswith("/") and not value.startswith("//")
            if parts.scheme or parts.netloc or (value.startswith("/") and not rooted):
                problems.append(f"{rel}: {value} (not relative)")
                continue
            if rooted:
                parts = urlsplit(value[1:])
            if not parts.path:
                if parts.fragment and parts.fragment not in ids[page]:
                    problems.append(f"{rel}: {value} (no such anchor)")
                continue
            if parts.path.endswith("/"):
                problems.append(f"{rel}: {value} (folder link without index.html)")
                continue
            target = (base / unquote(parts.path)).resolve()
            if site.resolve() not in target.parents:
                problems.append(f"{rel}: {value} (leaves the site)")
            elif not target.is_file():
                problems.append(f"{rel}: {value} (missing)")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids.get(target, parse(target).ids):
                problems.append(f"{rel}: {value} (no such anchor)")
    return problems


def test_every_internal_link_resolves(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 10
    assert broken_links(built_site) == []


def test_every_link_of_the_hand_made_archive_resolves(small_site):
    """Events dated in months without articles, undated events, sub-units, hostile text."""
    assert broken_links(small_site) == []


def test_the_checker_catches_broken_links(tmp_path):
    """The check above must be able to fail: a site with each kind of bad link."""
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "index.html").write_text("<p id='x'>", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="org/index.html#x">ok</a><a href="org/">folder</a><a href="nope.html">missing</a>'
        '<a href="https://example.com/">external</a><a href="../outside.html">out</a><a href="#gone">anchor</a>',
        encoding="utf-8")
    found = broken_links(tmp_path)
    assert [p.split("(")[1] for p in found] == [
        "folder link without index.html)", "missing)", "not relative)", "leaves the site)", "no such anchor)"]


def test_no_external_resources(built_site):
    """Offline first: no stylesheet, script, font or image comes from the network."""
    for path in list(built_site.rglob("*.html")) + list(built_site.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), path
        assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", text), path
        assert "@import" not in text, path
    # Scripts the pages load must not need a server (the preview's live reload is not loaded by built pages).
    loaded = {(built_site / value[1:] if value.startswith("/") else page.parent / value).resolve()
              for page in built_site.rglob("*.html")
              for attr, value in parse(page).refs if attr == "src" and value.endswith(".js")}
    assert loaded, "the search page loads its scripts"
    for script in sorted(loaded):
        text = script.read_text(encoding="utf-8")
        assert "fetch(" not in text and "import(" not in text and "XMLHttpRequest" not in text, script


def test_feed_points_at_pages(built_site):
    ns = "{http://www.w3.org/2005/Atom}"
    targets = [e.get("href") for e in ET.parse(built_site / "feed.xml").getroot().iter(f"{ns}link")]
    assert targets
    for target in targets:
        assert (built_site / target).is_file(), target


def test_sitemap_only_with_base_url_and_only_absolute_urls(built_site, tmp_path, config):
    from dataclasses import replace

    from conftest import SEEDS
    from wuxi_archive.build import build_site

    # The format allows absolute URLs only: without base_url there is none, and no page links one.
    assert not (built_site / "sitemap.xml").exists()
    assert not any("sitemap.xml" in page.read_text(encoding="utf-8") for page in built_site.rglob("*.html"))
    site = tmp_path / "site"
    base = "https://example.org/archive"
    build_site(SEEDS, site, replace(config, base_url=base), use_cache=False)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter(f"{ns}loc")]
    assert locs and "sitemap.xml" in (site / "index.html").read_text(encoding="utf-8")
    for loc in locs:
        assert loc.startswith(base + "/"), loc
        assert (site / loc[len(base) + 1:]).is_file(), loc
    assert f"{base}/404.html" not in locs


def test_long_entity_lists_get_year_pages_that_list_every_article_once(tmp_path, config, monkeypatch):
    import json

    import wuxi_archive.render.indexes as indexes
    from conftest import SEEDS
    from wuxi_archive.build import build_site

    monkeypatch.setattr(indexes, "LONG_LIST", 2)    # the seeds name no entity in more than a few articles
    monkeypatch.setattr(indexes, "NEWEST", 1)       # and a year of one article is listed on the entity's page
    site = tmp_path / "site"
    build_site(SEEDS, site, config, use_cache=False)
    assert broken_links(site) == []
    records = {r["id"]: r for r in json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))}
    long_orgs = {}
    for record in records.values():
        for org in record["organisations"]:
            long_orgs.setdefault(org["name"], []).append(record["id"])
    long_orgs = {name: ids for name, ids in long_orgs.items() if len(ids) > 2}
    assert long_orgs, "the seeds should name some organisation in three articles or more"
    year_pages = listed_here = 0
    for name, ids in long_orgs.items():
        page = next(p for p in (site / "org").glob("*.html") if f"<h1>{name}</h1>" in p.read_text(encoding="utf-8"))
        main = page.read_text(encoding="utf-8")
        newest, _, rest = main.partition("</section>\n<section id=")
        assert f"共 {len(ids)} 篇" in newest and newest.count('<li><h3><a href=') == 1   # the newest only
        years = sorted((site / "org" / page.stem).glob("*.html"))
        listed = [aid for year in years for aid in re.findall(r'articles/([^"]+)\.html', year.read_text(encoding="utf-8"))]
        # A year of one article: a section of the entity's page, where its year link points;
        # or, when the newest list holds it, a link to that list.
        sections = re.findall(r'<section id="([^"]+)"><h2>[^<]+<small>1 篇</small></h2>(.*?)</section>', main, re.S)
        for anchor, section in sections:
            assert f'href="#{anchor}"' in newest
            listed += re.findall(r'articles/([^"]+)\.html', section)
        assert len(listed) == len(set(listed))         # no article on two year pages or sections
        if 'href="#newest"' in newest:
            shown_newest = re.findall(r'<div id="newest">.*?articles/([^"]+)\.html', newest, re.S)
            assert shown_newest and not set(shown_newest) & set(listed)
            listed += shown_newest
        assert sorted(listed) == sorted(ids)           # every article in exactly one year
        for year in years:
            assert f'href="../../org/{page.name}"' in year.read_text(encoding="utf-8")
            assert f'{page.stem}/{year.name}"' in main   # linked from the entity page
            assert year.read_text(encoding="utf-8").count('<li><h3><a href=') > 1
        year_pages += len(years)
        listed_here += len(sections)
    assert year_pages and listed_here, (year_pages, listed_here)   # both kinds of year on the seeds


def test_the_years_listed_on_an_entity_page_hold_a_page_of_articles_at_most(tmp_path, config, monkeypatch):
    # However many years of a few articles an entity has, its page lists YEARS_ON_PAGE of
    # their articles at most, newest years first; the others get pages of their own.
    import wuxi_archive.render.indexes as indexes
    from conftest import SEEDS
    from wuxi_archive.build import build_site

    monkeypatch.setattr(indexes, "LONG_LIST", 2)
    monkeypatch.setattr(indexes, "NEWEST", 1)
    monkeypatch.setattr(indexes, "YEARS_ON_PAGE", 1)
    site = tmp_path / "site"
    build_site(SEEDS, site, config, use_cache=False)
    assert broken_links(site) == []
    small_year_pages = 0
    for page in (site / "org").glob("*.html"):
        main = page.read_text(encoding="utf-8")
        if 'class="year-links"' not in main:
            continue
        sections = re.findall(r'<section id="(y\d{4}|undated)"><h2>.*?</section>', main, re.S)
        assert len(sections) <= 1, page.name
        # A year of one article with a page of its own: there was no room left on this one.
        small_year_pages += len(re.findall(r'href="\.\./org/[^"]+/(?:\d{4}|undated)\.html">[^<]+</a> <small>1 篇</small>',
                                           main))
    assert small_year_pages, "the seeds should give some organisation more years of one article than fit"
