"""The cleaner on the project's seeds: metadata, chrome, splitting, paragraphs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from wuxi_archive.load import load_seed
from wuxi_archive.build.pipeline import process_page


_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path, config):
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        out[path.name[:3]] = [a.clean for a in process_page(load_seed(path), config)]
    return out


def body(article) -> str:
    return "".join(p.text for p in article.paragraphs)


def removed_reason(article, fragment: str) -> str:
    """The reason given for the removed line holding fragment (`removed` shows raw lines)."""
    hits = [r.reason for r in article.removed if fragment in _PINYIN.sub("", r.text)]
    assert hits, f"{fragment!r} is neither in the body nor in removed"
    return hits[0]


def test_title_from_original_title_line_at_the_end(seed_articles):
    [a] = seed_articles["000"]
    assert a.title == "校地企链动“新”程 “党建+”领航聚势"
    assert a.source == "交汇点资讯"
    assert a.editors == ["李艳玲"]
    assert a.authors == ["陈晓云", "王子豪"]
    assert a.tags == []           # the `标签:` line is empty


def test_year_less_date_takes_its_year_from_the_page(seed_articles):
    [a] = seed_articles["000"]
    assert a.date == "2025-03-21"
    assert "inferred" in a.date_basis and "2025-03-27" in a.date_basis


def test_stock_ticker_is_chrome_by_structure(seed_articles):
    [a] = seed_articles["000"]
    text = body(a)
    assert "南向资金" not in text and "数字江恩" not in text
    reason = removed_reason(a, "南向资金今日净买入逾41亿港元")
    assert "after the article" in reason
    assert "list item beside a timestamp" in reason


def test_dateline_byline_and_source(seed_articles):
    [a] = seed_articles["001"]
    assert a.title == "无锡高新区2024年产业科技创新人才服务周启幕"
    assert (a.date, a.date_basis) == ("2024-05-30", "explicit")
    assert a.source == "中新网江苏"
    assert "孙权" in a.authors
    assert a.editors == ["顾名筛"]
    assert a.paragraphs[0].text.startswith("中新网江苏新闻5月30日电(孙权)29日")


def test_caption_repeated_on_the_next_line_appears_once(seed_articles):
    [a] = seed_articles["001"]
    captions = [p.text for p in a.paragraphs if p.kind == "caption"]
    assert captions.count("南京大学—无锡集成电路产教融合创新联合体揭牌。无锡高新区融媒体中心供图") == 1
    assert "无锡高新区2024年产业科技创新人才服务周启动。无锡高新区融媒体中心供图" in captions
    assert "repeats" in removed_reason(a, "南京大學—無錫集成電路產教融合創新聯合體揭牌。")


def test_legal_footer_removed_with_reason(seed_articles):
    [a] = seed_articles["001"]
    assert "本网站所刊载信息" not in body(a)
    assert "copyright" in removed_reason(a, "未經授權禁止轉載")


def test_title_prefix_and_keywords(seed_articles):
    [a] = seed_articles["002"]
    assert a.title == "江苏无锡完善三支科技人才服务队伍建设,让创新企业创新动力更强劲"
    assert a.tags == ["合同金额", "资源优势", "充分发挥", "队伍建设", "融资金额"]
    assert "关键词" not in body(a)


def test_no_date_on_the_page_gives_null(seed_articles):
    [a] = seed_articles["002"]
    assert a.date is None and a.date_basis == "none"


def test_ordinary_word_authorised_is_not_a_legal_footer(seed_articles):
    [a] = seed_articles["002"]
    assert "授权4项" in body(a)


def test_site_suffix_headings_and_keyword_salad(seed_articles):
    [a] = seed_articles["003"]
    assert a.title == "卢建军率队赴苏州推进合作交流"
    assert (a.date, a.source) == ("2024-11-11", "交大新闻网")
    headings = [p.text for p in a.paragraphs if p.kind == "h"]
    assert headings == ["深化校地合作,推动产教融合", "集中优势力量,助力区域发展", "凝聚校友合力,助力母校建设"]
    assert "keyword salad" in removed_reason(a, "厦门网络公司注册资金")
    assert a.editors == ["王恺悦"]
    assert "杨敏" in a.authors
    assert a.paragraphs[-1].text == "党、校办,党委政研室,科研院,校友部,科教院等相关单位负责人参加活动。"


def test_simplified_page_keeps_its_names(seed_articles):
    [a] = seed_articles["003"]
    assert "江苏乾融投资控股集团" in body(a)


def test_newspaper_page_splits_into_five_articles(seed_articles):
    articles = seed_articles["004"]
    assert [a.title for a in articles] == [
        "长三角国家高新区党建联盟第二次联席会议暨党建引领高水平科技自立自强研讨会在锡召开",
        "康明斯与卓品智能在锡成立合资公司",
        "“车芯联动”区域抱团共进 集成电路行业大咖共话产业热点",
        "长三角汽车芯片应用推广平台启动",
        "氢能产业标准体系建设指南发布",
    ]
    assert [a.authors for a in articles[:4]] == [["王怡菡"], ["周晓方"], ["陶洁"], ["黄振"]]
    assert articles[4].source == "新华社"
    assert all(a.date == "2023-08-08" for a in articles)
    assert "inferred" in articles[0].date_basis
    assert all(a.parts == 5 for a in articles) and [a.part for a in articles] == [1, 2, 3, 4, 5]


def test_section_label_is_not_an_article(seed_articles):
    articles = seed_articles["004"]
    assert all("要闻快览" not in body(a) and a.title != "要闻快览" for a in articles)
    assert removed_reason(articles[4], "要闻快览") == "section label above a headline"


def test_paragraphs_broken_mid_word_are_joined(seed_articles):
    first, second = seed_articles["004"][:2]
    assert "营造更加高效、开放、有活力的创新生态" in "\n".join(p.text for p in first.paragraphs)
    joined = "\n".join(p.text for p in second.paragraphs)
    assert "赵建军感谢康明斯多年来给予无锡发展的积极支持" in joined
    assert "自1996年落户无锡以来" in joined
    assert all(p.kind == "p" for p in second.paragraphs)


def test_every_removed_line_has_a_reason(seed_articles):
    for articles in seed_articles.values():
        for a in articles:
            assert all(r.reason.strip() for r in a.removed)
