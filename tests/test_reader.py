"""What a reader meets on every page: headings in order, descriptions, previous/next,
contents on long articles, tag pages, a 404 page."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from test_site import small_site  # noqa: F401  (a fixture: the hand-made archive)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []     # (rel, href) of <link> and <a> with a rel
        self.ids: set[str] = set()
        self.toc: list[str] = []
        self.title = ""
        self._in_toc = False
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "meta" and (a.get("name") or a.get("property")):
            self.meta[a.get("name") or a.get("property")] = a.get("content") or ""
        if tag in ("link", "a") and a.get("rel") in ("prev", "next"):
            self.links.append((a["rel"], a["href"]))
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "title":
            self._in_title = True
        if tag == "nav" and a.get("class") == "toc":
            self._in_toc = True
        if tag == "a" and self._in_toc:
            self.toc.append(a["href"])

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False
        if tag == "title":
            self._in_title = False


def read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_headings_never_skip_a_level(built_site, small_site):
    for site in (built_site, small_site):
        for path in sorted(site.rglob("*.html")):
            levels = read(path).headings
            assert levels and levels[0] == 1, path
            jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
            assert not jumps, (path.relative_to(site), jumps)


def test_every_page_has_a_description_and_articles_open_graph_tags(built_site):
    # A link's preview falls back to the title and the description, which every page has;
    # Open Graph adds what those lack, on the pages that get shared: the articles.
    pages = sorted(built_site.rglob("*.html"))
    for path in pages:
        meta = read(path).meta
        assert meta.get("description", "").strip(), path
        assert "og:description" not in meta, path      # the description, said twice
        assert "og:url" not in meta, path              # needs base_url, which the seeds' build lacks
        if path.parent.name == "articles":
            assert meta.get("og:title") and meta["og:title"] in read(path).title, path
            assert meta.get("og:type") == "article" and meta.get("og:site_name"), path
        else:
            assert "og:type" not in meta, path


def test_an_article_describes_itself_with_its_opening(built_site, site_records):
    record = next(r for r in site_records if r["paragraphs"])
    meta = read(built_site / "articles" / f"{record['id']}.html").meta
    first = next(p["text"] for p in record["paragraphs"] if p["kind"] == "p")
    assert meta["description"][:20] == first[:20] and meta["og:type"] == "article"


def test_previous_and_next_walk_every_article_once(built_site, site_records):
    by_id = {r["id"]: r for r in site_records}
    links = {}
    for aid in by_id:
        page = read(built_site / "articles" / f"{aid}.html")
        found: dict[str, set[str]] = {}
        for rel, href in page.links:
            found.setdefault(rel, set()).add(Path(href).stem)
        assert all(len(ids) == 1 for ids in found.values()), (aid, found)   # one of each at most
        links[aid] = {rel: ids.pop() for rel, ids in found.items()}
    first = [aid for aid, rel in links.items() if "prev" not in rel]
    assert len(first) == 1
    walk = [first[0]]
    while "next" in links[walk[-1]]:
        following = links[walk[-1]]["next"]
        assert links[following]["prev"] == walk[-1]
        walk.append(following)
    assert sorted(walk) == sorted(by_id)
    dated = [by_id[a]["date"] for a in walk if by_id[a]["date"]]
    assert dated == sorted(dated)                    # oldest first; the undated come last
    assert all(by_id[a]["date"] is None for a in walk[len(dated):])


def test_long_articles_get_contents_linking_their_headings(built_site, site_records):
    with_toc = 0
    for record in site_records:
        headings = [p for p in record["paragraphs"] if p["kind"] == "h"]
        page = read(built_site / "articles" / f"{record['id']}.html")
        long = len(headings) >= 3 and sum(len(p["text"]) for p in record["paragraphs"]) >= 1500
        assert bool(page.toc) == long, record["id"]
        if long:
            with_toc += 1
            assert len(page.toc) == len(headings)
            assert all(href.startswith("#") and href[1:] in page.ids for href in page.toc)
    assert with_toc >= 1


def test_tags_have_pages_linked_from_their_articles(built_site, site_records):
    tagged = [r for r in site_records if r["tags"]]
    assert tagged
    index = (built_site / "tag" / "index.html").read_text(encoding="utf-8")
    for record in tagged:
        article = (built_site / "articles" / f"{record['id']}.html").read_text(encoding="utf-8")
        for tag in record["tags"]:
            href = re.search(rf'<a href="\.\./(tag/[a-z0-9-]+\.html)">{re.escape(tag)}</a>', article)
            assert href, tag
            page = (built_site / href.group(1)).read_text(encoding="utf-8")
            assert f"articles/{record['id']}.html" in page and tag in index


def test_the_404_page_links_from_the_site_root(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "页面未找到" in page and 'href="/static/style.css"' in page and 'action="/search.html"' in page
    assert 'content="noindex"' in page
