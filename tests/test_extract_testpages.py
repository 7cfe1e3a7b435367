"""The extractor on the foreign test pages: rules nobody tuned for these sites.

The pages have no gold entity lists, so these tests check what must hold on
any article (names occur in the text, left edges are clean, a traditional
twin yields the same entities) and a few names a reader can verify in the
page's text.
"""
from __future__ import annotations

import pytest

from wuxi_archive.extract import article_text
from wuxi_archive.build.pipeline import process_seed

PAGES = ["cjn_1", "gsc_1", "shanxi_1", "xinhuanet_1", "zsnews_1", "zyyfy_1"]


@pytest.fixture(scope="module")
def pages(testpages_dir, config):
    return {name: process_seed(testpages_dir / f"{name}.txt", config) for name in PAGES + ["gsc_1_trad", "zsnews_1_trad"]}


def _entities(articles):
    return [([(o.name, tuple(o.aliases), o.parent) for o in a.organisations],
             [(e.name, e.date, e.place) for e in a.events],
             [(p.name, p.role) for p in a.people]) for a in articles]


@pytest.mark.parametrize("name", PAGES)
def test_every_name_occurs_in_its_article(pages, name):
    for article in pages[name]:
        text = article_text(article.clean)
        for org in article.organisations:
            assert org.name in text or any(a in text for a in org.aliases), org.name
            assert org.name[0] not in "与和在由及、的了为对向", org.name
        for event in article.events:
            assert event.name in text
        for person in article.people:
            assert person.name in text and 2 <= len(person.name) <= 3


@pytest.mark.parametrize("name", ["gsc_1", "zsnews_1"])
def test_traditional_twin_yields_the_same_entities(pages, name):
    assert _entities(pages[f"{name}_trad"]) == _entities(pages[name])


def test_conference_page(pages):
    [article] = pages["gsc_1"]
    orgs = {o.name: o for o in article.organisations}
    assert orgs["中国地理学会人文地理专业委员会"].parent == "中国地理学会"
    assert orgs["重庆师范大学地理与旅游学院"].parent == "重庆师范大学"
    assert "中科院地理科学与资源研究所" in orgs["中国科学院地理科学与资源研究所"].aliases
    # a hall of a hotel of a university, and a word glued to a name, are not organisations
    assert not any("宾馆" in n or n.startswith("单位") for n in orgs)
    events = {e.name: e for e in article.events}
    meeting = events["2019年中国人文地理学术年会"]
    # the headline prints the place with a bullet (重庆•西南大学), the body with a
    # middle dot: either spelling, as the article gives it, is the place
    assert (meeting.date, meeting.place.replace("•", "·")) == ("2019-05-10", "重庆·西南大学")
    people = {p.name: p.role for p in article.people}
    assert people["李旭锋"] == "西南大学党委书记"


def test_news_pages_without_events_report_none(pages):
    for name in ("cjn_1", "xinhuanet_1"):
        assert all(not a.events for a in pages[name])
    # 应急医院, 方舱医院: kinds of hospital, not hospitals (世界银行, which
    # the page names as the subject of 周一预测, is the one organisation)
    assert [o.name for a in pages["cjn_1"] for o in a.organisations] == ["世界银行"]


def test_short_form_is_an_alias_of_the_place_led_name(pages):
    [article] = pages["zsnews_1"]
    orgs = {o.name: o for o in article.organisations}
    assert orgs["佛山顺德区大良街道党工委"].aliases == ["顺德区大良街道党工委"]
    assert "顺德区大良街道党工委" not in orgs
