"""The site's pages: indexes, cross-links both ways, safe bodies, reading aids, determinism."""
from __future__ import annotations

import gc
import hashlib
import re
from pathlib import Path

import pytest

from wuxi_archive.build import build_site
from wuxi_archive.index import build_index, infer_parents
from wuxi_archive.index.slugs import assign_slugs
from wuxi_archive.records import Article, CleanArticle, Event, Organisation, Paragraph, Person
from wuxi_archive.render import render_site
from wuxi_archive.render.editor import render_editor_pages
from wuxi_archive.render.bodytext import link_first_mentions
from wuxi_archive.render.filters import summary
from wuxi_archive.render.writer import SiteWriter

from conftest import SEEDS


def make_article(seed: str, date: str | None, paragraphs: list[str], title: str = "标题",
                 orgs: list[Organisation] | None = None, events: list[Event] | None = None,
                 people: list[Person] | None = None, source: str | None = None) -> Article:
    clean = CleanArticle(seed=seed, part=1, title=title, date=date, source=source,
                         paragraphs=[Paragraph("p", t) for t in paragraphs])
    return Article(clean=clean, organisations=orgs or [], events=events or [], people=people or [])


@pytest.fixture(scope="module")
def small_site(tmp_path_factory, config) -> Path:
    """A hand-made archive: two articles sharing an event, one far away, one undated, hostile text."""
    xjtu = Organisation("西安交通大学", aliases=["西安交大"])
    sub = Organisation("西安交通大学苏州研究院")
    meeting = Event("第二届集成电路大会", date="2023-08-08", place="锡山区", organisations=["西安交通大学"])
    articles = [
        make_article("a.txt", "2023-08-08", ["西安交大与西安交通大学苏州研究院出席第二届集成电路大会。", "西安交通大学再次发言。"],
                     title="大会召开", orgs=[xjtu, sub], events=[meeting],
                     people=[Person("卢建军", "党委书记", "西安交通大学")], source="交大新闻网"),
        make_article("b.txt", "2023-08-09", ["第二届集成电路大会闭幕,<script>alert(1)</script> & 西安交通大学。"],
                     title="大会闭幕 <b>", orgs=[xjtu], events=[meeting], source="新华社"),
        make_article("c.txt", "2020-01-05", ["与会议无关的一段文字。"], title="旧闻",
                     events=[Event("年度座谈会", date="2020-01-05"), Event("某论坛"),
                             Event("筹备会", date="2020-03-01"), Event("预备会", date="2019-12-30")]),
        make_article("d.txt", None, ["日期不详的文章正文。"], title="无日期"),
    ]
    out = tmp_path_factory.mktemp("small") / "site"
    writer = SiteWriter(out)
    index = build_index(articles)
    render_site(index, config, writer)
    render_editor_pages(index.articles, lambda seed: [], {}, config, writer)   # as the build does: articles link to them
    writer.commit()
    return out


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_index_pages_exist(small_site):
    for rel in ["index.html", "date/index.html", "date/2023/index.html", "date/2023/08/index.html",
                "date/2020/01/index.html", "date/undated.html", "org/index.html", "event/index.html",
                "person/index.html", "source/index.html", "search.html", "feed.xml", "404.html", "tag/index.html",
                "data/articles.json", "data/search-index.js"]:
        assert (small_site / rel).is_file(), rel
    assert "无日期" in read(small_site, "date/undated.html")
    assert "无日期" not in read(small_site, "date/2023/08/index.html")
    assert "大会召开" in read(small_site, "date/2023/08/index.html")


def test_slugs_are_ascii_stable_and_avoid_index_names():
    names = ["西安交通大学", "无锡高新区", "Index", "西安交通大学苏州研究院"]
    slugs = assign_slugs(names)
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs.values())
    assert len(set(slugs.values())) == len(names)
    assert slugs["Index"] != "index"
    assert assign_slugs(["西安交通大学", "另一个机构"])["西安交通大学"] == slugs["西安交通大学"]


def test_sub_units_file_under_their_parent():
    parents = infer_parents(["无锡科技职业学院", "无锡科技职业学院集成电路学院", "南京大学", "南京"])
    assert parents == {"无锡科技职业学院集成电路学院": "无锡科技职业学院", "南京大学": "南京"}
    # a one-character remainder is not a sub-unit name
    assert infer_parents(["南京大学", "南京大学院"]) == {}


def test_org_page_shows_aliases_parent_children_events_and_articles(small_site):
    org = read(small_site, "org/xi-an-jiao-tong-da-xue.html")
    assert "西安交大" in org
    assert "org/xi-an-jiao-tong-da-xue-su-zhou-yan-jiu-yuan.html" in org      # sub-unit
    assert "../event/di-er-jie-ji-cheng-dian-lu-da-hui.html" in org            # its event
    assert "../articles/a.html" in org and "../articles/b.html" in org
    sub = read(small_site, "org/xi-an-jiao-tong-da-xue-su-zhou-yan-jiu-yuan.html")
    assert "上级机构" in sub and "xi-an-jiao-tong-da-xue.html" in sub


def test_links_work_both_ways(small_site):
    article = read(small_site, "articles/a.html")
    event = read(small_site, "event/di-er-jie-ji-cheng-dian-lu-da-hui.html")
    person = read(small_site, "person/lu-jian-jun.html")
    source = read(small_site, "source/jiao-da-xin-wen-wang.html")
    for page in (event, person, source):
        assert "../articles/a.html" in page
    for target in ("../event/di-er-jie-ji-cheng-dian-lu-da-hui.html", "../person/lu-jian-jun.html",
                   "../source/jiao-da-xin-wen-wang.html", "../date/2023/08/index.html",
                   "../org/xi-an-jiao-tong-da-xue.html"):
        assert target in article, target
    assert "../date/2023/08/index.html" in event and "锡山区" in event


def test_first_mention_is_linked_once_alias_first(small_site):
    article = read(small_site, "articles/a.html")
    body = article.split('<div class="body">')[1].split("</div>")[0]
    # the alias is the first mention and links to the organisation page; the full name later is plain text
    assert '<a href="../org/xi-an-jiao-tong-da-xue.html">西安交大</a>' in body
    assert body.count('href="../org/xi-an-jiao-tong-da-xue.html"') == 1
    assert '<a href="../event/di-er-jie-ji-cheng-dian-lu-da-hui.html">第二届集成电路大会</a>' in body
    assert '">西安交通大学苏州研究院</a>' in body   # the longer name wins over its parent's name inside it


def test_seed_text_is_escaped_everywhere(small_site):
    for page in small_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>" not in text, page
    article = read(small_site, "articles/b.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in article
    assert "大会闭幕 &lt;b&gt;" in article


def test_link_first_mentions_never_emits_raw_text():
    paragraphs = [Paragraph("p", '<img src=x onerror=alert(1)>机构"甲"有限公司'), Paragraph("h", "机构\"甲\"有限公司")]
    html = link_first_mentions(paragraphs, [('机构"甲"有限公司', "org/x.html")], "../")
    assert str(html[0]) == '&lt;img src=x onerror=alert(1)&gt;<a href="../org/x.html">机构&#34;甲&#34;有限公司</a>'
    assert str(html[1]) == "机构&#34;甲&#34;有限公司"   # headings are not linked


def test_related_articles_share_entities_first_then_time(small_site):
    a = read(small_site, "articles/a.html").split("相关文章")[1]
    # Linked from the folder they share (articles/): by file name.
    assert 'href="b.html"' in a and "同提及" in a
    assert 'href="c.html"' not in a   # nothing shared and years apart
    assert 'href="d.html"' not in a


def test_org_index_groups_by_pinyin_initial_with_counts(small_site):
    page = read(small_site, "org/index.html")
    assert 'id="letter-X"' in page
    assert re.search(r'xi-an-jiao-tong-da-xue\.html">西安交通大学</a> <small>2 篇', page)


def test_event_index_in_date_order(small_site):
    page = read(small_site, "event/index.html")
    assert page.index("年度座谈会") < page.index("第二届集成电路大会") < page.index("某论坛")


def test_every_page_is_made_for_reading_chinese(small_site):
    for page in small_site.rglob("*.html"):
        if page.parts[-2] == "editor":
            continue
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text, page
        assert 'class="skip" href="#main"' in text and '<main id="main"' in text, page
        assert 'role="search"' in text and 'name="q"' in text, page
        assert "<header" in text and "<footer" in text and "<nav" in text, page
        assert "data/articles.json" in text, page
    css = read(small_site, "static/style.css")
    for needle in ("Noto Sans CJK SC", "prefers-color-scheme: dark", "@media print", "max-width: 40rem", "line-height: 1.8"):
        assert needle in css


def test_summaries_are_counted_in_characters():
    article = make_article("s.txt", None, ["一二三四五六七八九十" * 20])
    assert summary(article, 30) == "一二三四五六七八九十" * 2 + "一二三四五六七八九" + "…"
    assert len(summary(article, 30)) == 30
    short = make_article("t.txt", None, ["短文。"])
    assert summary(short, 30) == "短文。"


def test_feed_lists_newest_dated_articles(small_site):
    feed = read(small_site, "feed.xml")
    assert feed.index("articles/b.html") < feed.index("articles/a.html") < feed.index("articles/c.html")
    assert "articles/d.html" not in feed           # an Atom entry needs a date
    assert "<updated>2023-08-09T00:00:00Z</updated>" in feed


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_rebuilds_are_byte_identical(tmp_path, config):
    build_site(SEEDS, tmp_path / "one", config)
    build_site(SEEDS, tmp_path / "two", config)
    assert _digest(tmp_path / "one") == _digest(tmp_path / "two")


def test_related_fills_with_articles_near_in_time_not_far_ones():
    from wuxi_archive.index.related import related_articles
    org = Organisation("无锡高新区")
    articles = [
        make_article("x.txt", "2023-08-08", ["正文"], orgs=[org]),
        make_article("far.txt", "2020-01-01", ["正文"], orgs=[org]),
        make_article("week.txt", "2023-08-15", ["正文"]),
        make_article("day.txt", "2023-08-09", ["正文"]),
        make_article("year.txt", "2022-08-08", ["正文"]),
        make_article("none.txt", None, ["正文"]),
    ]
    links = related_articles(articles)["x"]
    assert [(l.article_id, l.shared) for l in links] == [("far", ["无锡高新区"]), ("day", []), ("week", [])]


def test_slugs_keep_numbers_and_latin_words_whole():
    slugs = assign_slugs(["2023年汽车电子论坛", "ＡＢＣ公司", "!!!", "???"])
    assert slugs["2023年汽车电子论坛"] == "2023-nian-qi-che-dian-zi-lun-tan"
    assert slugs["ＡＢＣ公司"] == "abc-gong-si"
    assert slugs["!!!"] != slugs["???"] and slugs["!!!"].startswith("x-")


def test_event_dates_link_only_to_date_pages_that_exist(small_site):
    # no article was published in March 2020 or in 2019: link the year, else the date index
    assert 'href="../date/2020/index.html"' in read(small_site, "event/chou-bei-hui.html")
    assert 'href="../date/index.html"' in read(small_site, "event/yu-bei-hui.html").split("<dl")[1]


def test_rendering_pages_leaves_no_reference_cycles(tmp_path, config):
    # Builds run with the cyclic GC off: a page that left a cycle kept its whole context
    # (body, lists) until the build ended. `import ... with context` did, for every page
    # importing the macros: 100 MB more at the peak of a 10,000-article build.
    from wuxi_archive.render import make_environment
    from wuxi_archive.render.context import PageRenderer
    from wuxi_archive.render.units import render_index_pages
    from wuxi_archive.render.pages import render_articles, render_home

    result = build_site(SEEDS, tmp_path / "site", config, use_cache=False, jobs=1)
    writer = SiteWriter(tmp_path / "again")
    renderer = PageRenderer(make_environment(), writer, config, build_index(result.articles))
    render_articles(renderer)       # compiles the templates, which makes cycles of its own
    render_index_pages(renderer)
    render_home(renderer)
    gc.collect()
    gc.disable()
    try:
        render_articles(renderer)
        render_index_pages(renderer)
        render_home(renderer)
        assert gc.collect() == 0
    finally:
        gc.enable()
        writer.abort()


def test_a_list_entry_is_the_one_made_for_its_page_at_every_depth(tmp_path, config):
    """article_item keeps an entry split where the page's root goes: joined with any root, it
    is the entry the template makes for that root, also for a text holding the split mark."""
    from wuxi_archive.render import make_environment
    from wuxi_archive.render.context import PageRenderer
    from wuxi_archive.render.page_templates import ROOT_MARK
    articles = [make_article("a.txt", "2023-08-08", ["西安交通大学举行会议。"], title="会议", source="新华社"),
                make_article("b.txt", None, [f"正文{ROOT_MARK}含有标记。"], title=f"标题{ROOT_MARK}<b>")]
    renderer = PageRenderer(make_environment(), SiteWriter(tmp_path / "site"), config, build_index(articles))
    template = renderer.env.get_template("_article_item.html")
    for article in articles:
        for brief in (False, True):
            text, chars = renderer.item_facts(article, brief)
            for root in ("", "../", "../../", "", "../../../"):      # again: from what was kept
                made = renderer.templates.article_item(article, root, brief)
                assert made == template.render(a=article, root=root, links=renderer.links, summary=text,
                                               chars=chars, brief=brief)
                assert f'href="{root}articles/' in made
