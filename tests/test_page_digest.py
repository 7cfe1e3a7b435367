"""Page digests (render/page_digest.py): a hash of a page's template and whole context."""
from __future__ import annotations

import dataclasses

import pytest
from conftest import SEEDS

from wuxi_archive.build import build_site
from wuxi_archive.index import build_index
from wuxi_archive.page_keys import PageKeys
from wuxi_archive.records import Article, CleanArticle, Event, Organisation, Paragraph
from wuxi_archive.render import asset_dir, make_environment
from wuxi_archive.render.context import PageRenderer
from wuxi_archive.render.units import render_index_pages
from wuxi_archive.render.links import Links
from wuxi_archive.render.page_digest import PageDigests
from wuxi_archive.render.pages import render_articles, render_home
from wuxi_archive.plain import record_digest


@pytest.fixture(scope="module")
def seed_articles(tmp_path_factory, config):
    return build_site(SEEDS, tmp_path_factory.mktemp("digest") / "site", config,
                      use_cache=False, jobs=1).articles


def digests_of(articles, config) -> PageDigests:
    index = build_index(articles)
    return PageDigests(PageKeys(config, asset_dir("templates")), index, Links.of(index), record_digest)


def test_the_same_context_gives_the_same_digest_and_any_change_another(seed_articles, config):
    digests = digests_of(seed_articles, config)
    article = seed_articles[0]
    context = {"crumbs": [("首页", "index.html"), ("标题", None)], "article": article, "count": 3,
               "items": [article, *seed_articles[1:3]], "nested": {"a": [1, 2.5, None, True]}}
    first = digests.of("article.html", "articles/x.html", "../", context)
    assert first == digests_of(seed_articles, config).of("article.html", "articles/x.html", "../", dict(context))
    changed = [
        ("article.html", "articles/y.html", "../", context),
        ("org.html", "articles/x.html", "../", context),
        ("article.html", "articles/x.html", "", context),
        ("article.html", "articles/x.html", "../", {**context, "count": 4}),
        ("article.html", "articles/x.html", "../", {**context, "nested": {"a": [1, 2.5, None, False]}}),
        ("article.html", "articles/x.html", "../", {**context, "items": [article, *seed_articles[1:2]]}),
        ("article.html", "articles/x.html", "../", {**context, "extra": "新字段"}),
        ("article.html", "articles/x.html", "../", {**context, "crumbs": [("首页", "index.html"), ('标"题', None)]}),
    ]
    found = {digests.of(*page) for page in changed}
    assert first not in found and len(found) == len(changed)


def test_an_article_that_changes_changes_every_page_showing_it(seed_articles, config):
    article = seed_articles[0]
    before = digests_of(seed_articles, config).of("home.html", "index.html", "", {"articles": [article]})
    retitled = dataclasses.replace(article, clean=dataclasses.replace(article.clean, title=article.clean.title + "(更正)"))
    after = digests_of([retitled, *seed_articles[1:]], config).of("home.html", "index.html", "", {"articles": [retitled]})
    assert before != after


def test_a_name_whose_page_moves_changes_the_digest_of_a_page_naming_it(seed_articles, config):
    # The same context, naming an organisation by a plain string: when the organisation's
    # page moves (its slug), Links sends the name elsewhere, and the page must be rendered again.
    digests = digests_of(seed_articles, config)
    name = next(iter(build_index(seed_articles).organisations))
    context = {"related": [(name, 2)]}
    first = digests.of("org.html", "org/x.html", "../", context)
    moved = digests_of(seed_articles, config)
    moved._where[name] = ">org/elsewhere|"
    assert moved.of("org.html", "org/x.html", "../", context) != first
    # a string naming nothing carries nothing: the digest is the same in both
    assert digests.of("org.html", "org/x.html", "../", {"related": [("无此机构", 2)]}) == \
        moved.of("org.html", "org/x.html", "../", {"related": [("无此机构", 2)]})


def test_a_value_the_digest_cannot_hash_is_an_error(seed_articles, config):
    digests = digests_of(seed_articles, config)
    with pytest.raises(TypeError, match="plain data"):
        digests.of("home.html", "index.html", "", {"index": object()})


def _article(seed: str, title: str, date: str | None = None, events=(), tags=()) -> Article:
    return Article(CleanArticle(seed=seed, part=1, title=title, paragraphs=[Paragraph("p", "正文。")], date=date,
                                tags=list(tags)), events=list(events))


class _Pages:
    """A writer that keeps nothing and remembers each page's digest and bytes."""

    staging = None

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str | None, bytes]] = {}

    def keep(self, relpath: str, digest: str) -> bool:
        return False

    def write(self, relpath: str, data: bytes, digest: str | None = None) -> None:
        self.pages[relpath] = (digest, data)


def _site(articles: list[Article], config) -> dict[str, tuple[str | None, bytes]]:
    index = build_index(articles)
    pages = _Pages()
    renderer = PageRenderer(make_environment(), pages, config, index, keys=PageKeys(config, asset_dir("templates")))
    render_articles(renderer)
    render_index_pages(renderer)
    render_home(renderer)
    return pages.pages


def test_a_name_that_reads_as_a_date_still_carries_where_the_date_links(config):
    # Links sends a string to the pages of that name and, asked for a date, to the date's page.
    # A tag named "2024-05-01" must not hide that the month of an event held that day gained
    # its first article: the event's pages link the date to the month now, not the year.
    reported = _article("a.txt", "六月报道", "2024-06-10", events=[Event("博览会", "2024-05-01")])
    tagged = _article("b.txt", "标签", "2023-01-02", tags=["2024-05-01"])
    before = _site([reported, tagged], config)
    after = _site([reported, tagged, _article("c.txt", "五月", "2024-05-20")], config)
    shared = before.keys() & after.keys()
    assert b"date/2024/05/index.html" in after["event/index.html"][1]
    # a page whose digest is unchanged is the page a cold build makes
    assert [p for p in sorted(shared) if before[p][0] == after[p][0] and before[p][1] != after[p][1]] == []
    assert any(before[p][0] == after[p][0] for p in shared)     # and some pages are kept


def test_an_organisations_events_pages_are_kept_when_a_new_article_names_it_without_an_event(config):
    # Those pages show the organisation's name and page and its events (indexes._org_events),
    # not the articles naming it: given the whole index entry, every one was rewritten.
    small = dataclasses.replace(config, page_size=2)      # five events: on pages of their own
    org = [Organisation("无锡市政府")]
    reports = [Article(_article(f"e{n}.txt", f"活动报道{n}", f"2024-0{n + 1}-03").clean, organisations=org,
                       events=[Event(f"活动{n}", f"2024-0{n + 1}-01", organisations=["无锡市政府"])])
               for n in range(5)]
    before = _site(reports, small)
    after = _site([*reports, Article(_article("x.txt", "又一篇", "2022-01-01").clean, organisations=org)], small)
    events = [p for p in before if p.startswith("org/") and "/events" in p]
    assert len(events) == 3
    assert [before[p][0] for p in events] == [after[p][0] for p in events]
    assert before["org/wu-xi-shi-zheng-fu.html"][0] != after["org/wu-xi-shi-zheng-fu.html"][0]


def test_a_string_json_escapes_carries_its_own_pages_not_those_of_the_name_its_escaped_form_spells(config):
    # JSON writes 甲"乙 as 甲\"乙, which is also a name of its own: each string must carry where
    # Links sends it, so a page naming 甲"乙 changes when 甲"乙 gains or loses its page.
    quoted, spelled = '甲"乙', '甲\\"乙'
    others = [_article("b.txt", "二", "2024-01-03", tags=[spelled]), _article("c.txt", "三", "2024-01-04", tags=["甲乙"])]

    def page(articles):
        index = build_index(articles)
        digests = PageDigests(PageKeys(config, asset_dir("templates")), index, Links.of(index), record_digest)
        return Links.of(index).tag(quoted), Links.of(index).tag(spelled), digests.of("tag.html", "tag/x.html", "../",
                                                                                 {"name": quoted})

    named, unnamed = page([_article("a.txt", "一", "2024-01-02", tags=[quoted]), *others]), page(others)
    assert named[0] and unnamed[0] is None and named[1] == unnamed[1]    # only 甲"乙's page came or went
    assert named[2] != unnamed[2]
