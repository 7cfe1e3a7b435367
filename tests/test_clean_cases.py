"""The cleaner on small hand-made pages: each rule firing, and not firing."""
from __future__ import annotations

from wuxi_archive.clean import clean_page
from wuxi_archive.records import RawPage

P1 = "为进一步推动产学研合作，市科技局于本周组织召开了企业创新座谈会，二十余家企业代表参加了会议并交流了发展经验。"
P2 = "与会代表围绕人才引进、技术攻关和成果转化等议题展开讨论，大家一致认为应当进一步加强校企之间的长期合作。"
P3 = "下一步，市科技局将继续完善服务体系，为企业创新发展提供更加有力的支撑和保障，推动产业持续健康发展。"
SHORT = "会后，代表们参观了展厅。"
MENU = ["首页", "新闻", "政务", "服务", "互动"]
FOOTER = ["关于我们", "联系我们", "版权所有 某某网 2005-2024", "京ICP备12345678号-1"]


def clean(lines: list[str], config, html_title: str | None = None, html_meta: dict | None = None):
    page = RawPage(seed="case.txt", lines=list(lines), encoding="utf-8", html_title=html_title,
                   html_meta=dict(html_meta or {}))
    before = list(page.lines)
    articles = clean_page(page, config)
    assert page.lines == before          # clean_page never mutates its input
    return articles


def texts(article) -> list[str]:
    return [p.text for p in article.paragraphs]


def test_menu_and_footer_are_removed_body_kept(config):
    [a] = clean(MENU + ["企业创新座谈会召开", "2024-03-05 10:00", "来源：科技日报", P1, P2, P3] + FOOTER, config)
    assert texts(a) == [P1, P2, P3]
    assert a.title == "企业创新座谈会召开"
    assert (a.date, a.source) == ("2024-03-05", "科技日报")
    reasons = {r.text: r.reason for r in a.removed}
    assert "menu item" in reasons["首页"]
    assert "copyright" in reasons["京ICP备12345678号-1"]


def test_a_stamp_before_the_source_label_dates_the_article(config):
    # Before, the unlabelled stamp in front of 来源 was read as nothing at all.
    [a] = clean(["企业创新座谈会召开", "2024-03-05 10:00 来源：科技日报", P1, P2], config)
    assert (a.date, a.source) == ("2024-03-05", "科技日报")
    [a] = clean(["企业创新座谈会召开", "本报记者 来源：科技日报", P1, P2], config)
    assert (a.date, a.source) == (None, "科技日报")


def test_a_line_ending_in_a_lost_character_stays_a_paragraph_of_its_own(config):
    # A repaired garble's last character (often its full stop) can be lost: the
    # line is prose, not a heading, and not joined to the next one as a
    # sentence broken off.
    long = "为进一步推动产学研合作，市科技局于本周组织召开了企业创新座谈会，二十余家企业代表参加了会议，交流了经验□"
    short = "市科技局于本周组织召开了企业创新座谈会，二十余家企业代表参加□"
    [a] = clean(["企业创新座谈会召开", P1, long, P2, short, P3], config)
    assert texts(a) == [P1, long, P2, short, P3]
    assert [p.kind for p in a.paragraphs] == ["p"] * 5


def test_a_headline_with_its_byline_under_it_wins_over_the_first_line(config):
    # A text dump's first line is taken for the page title; a menu word there
    # ("最近更新") was the title of 257 of 1,994 synthetic articles, and keyword
    # salads of several more. A headline with a date, a source or a dateline
    # under it is the article's.
    [a] = clean(["最近更新", "新闻热线:12345678", "企业创新座谈会召开", "2024-03-05 10:00", "来源：科技日报",
                 P1, P2], config)
    assert a.title == "企业创新座谈会召开"
    [a] = clean(["最近更新", "当前位置：首页 > 新闻", "企业创新座谈会召开", "本报讯 3月5日，" + P1, P2], config)
    assert a.title == "企业创新座谈会召开"
    # Without that mark, the first line stays the title, as in a dump whose
    # first line is the page's <title> and a section label sits above the body.
    [a] = clean(["企业创新座谈会召开", "要闻聚焦", P1, P2], config)
    assert a.title == "企业创新座谈会召开"


def test_short_real_sentence_is_kept(config):
    [a] = clean(["企业创新座谈会召开", P1, SHORT, P2], config)
    assert SHORT in texts(a)


def test_heading_without_byline_does_not_split(config):
    [a] = clean(["座谈会召开", P1, P2, "深化校企合作", P3], config)
    assert a.parts == 1
    assert [p.kind for p in a.paragraphs] == ["p", "p", "h", "p"]


def test_byline_then_headline_splits(config):
    articles = clean(["座谈会召开", P1, P2 + "（张三）", "第二篇报道的标题", "本报讯 " + P3, P1], config)
    assert [a.title for a in articles] == ["座谈会召开", "第二篇报道的标题"]
    assert articles[0].authors == ["张三"]


def test_editor_on_the_next_line_and_tags(config):
    [a] = clean(["座谈会召开", P1, P2, "责任编辑：", "李四", "标签：创新 合作"], config)
    assert a.editors == ["李四"]
    assert a.tags == ["创新", "合作"]
    assert texts(a) == [P1, P2]


def test_units_in_a_credit_line_are_not_authors(config):
    [a] = clean(["座谈会召开", P1, P2, "文字:党委宣传部 杨敏;市科技局", "图片:宣传中心 欧阳明", "编辑:王五"], config)
    assert a.authors == ["杨敏", "欧阳明"]
    assert a.editors == ["王五"]
    # the credit lines are still listed as removed metadata, units and all
    assert any("党委宣传部" in r.text for r in a.removed)


def test_a_reading_carried_to_the_next_line_goes_with_its_character(config):
    # The page broke the line between 经 and its reading (jīng); once the
    # halves are joined the annotation follows its character and is removed.
    broken = "为进一步推动产学研合作，市科技局于本周组织召开了企业创新座谈会，二十余家企业代表参加，交流了发展经"
    [a] = clean(["座谈会召开", broken, "(jīng)验。" + P2, P3], config)
    assert texts(a)[0] == broken + "验。" + P2
    # a bracketed word that is not a reading of the character before it stays
    [b] = clean(["座谈会召开", broken, "(sinafinance)验。" + P2, P3], config)
    assert "经(sinafinance)验" in texts(b)[0]


def test_year_less_date_without_evidence_is_null(config):
    [a] = clean(["座谈会召开", "3月21日，" + P1, P2], config)
    assert a.date is None
    assert a.date_basis.startswith("none")


def test_year_less_date_from_years_in_the_text(config):
    [a] = clean(["座谈会召开", "3月21日，" + P1, "2023年，" + P2], config)
    assert a.date == "2023-03-21"
    assert "2023" in a.date_basis


def test_year_less_date_later_than_page_stamp_is_last_year(config):
    lines = ["座谈会召开", "12月30日，" + P1, P2, "相关阅读", "另一条新闻的标题", "2024-01-05"]
    [a] = clean(lines, config)
    assert a.date == "2023-12-30"


def test_lone_dateline_opens_the_first_paragraph(config):
    [a] = clean(["座谈会召开", "来源：本站", "本站讯", "（通讯员 王五）" + P1, P2], config)
    assert texts(a)[0].startswith("本站讯（通讯员 王五）为进一步")
    assert "王五" in a.authors


def test_title_prefix_and_site_suffix(config):
    [a] = clean(["当前关注：企业创新座谈会召开", P1, P2], config)
    assert a.title == "企业创新座谈会召开"
    [b] = clean(["企业创新座谈会召开_新闻中心_某某网", "首页", "企业创新座谈会召开", P1, P2], config)
    assert b.title == "企业创新座谈会召开"


def test_headline_wins_over_a_title_line_that_names_only_the_section(config):
    # The page-title line holds the section and site, not the headline: the
    # headline printed above the body must be the title, not the site's name.
    [a] = clean(["新闻动态--某某学会官网", *MENU, "首页 - 新闻动态", "学会年会在西南大学成功举行!",
                 "发布时间:2019-05-18", P1, P2], config)
    assert a.title == "学会年会在西南大学成功举行!"
    # ...while a page that prints its headline nowhere else keeps the title line's headline
    [b] = clean(["企业创新座谈会召开_新闻中心_某某网", P1, P2], config)
    assert b.title == "企业创新座谈会召开"


def test_title_with_a_colon_is_not_a_prefix(config):
    [a] = clean(["外媒眼中的长假：欢声笑语", P1, P2], config)
    assert a.title == "外媒眼中的长假：欢声笑语"


def test_subtitle_between_title_and_metadata(config):
    [a] = clean(["企业创新座谈会召开", "二十余家企业代表参加", "时间：2024-03-05", P1, P2], config)
    assert a.subtitle == "二十余家企业代表参加"
    assert a.date == "2024-03-05"


def test_caption_and_its_repeat(config):
    caption = "图为座谈会现场。记者 赵六 摄"
    [a] = clean(["座谈会召开", P1, caption, caption, P2], config)
    assert [p.kind for p in a.paragraphs] == ["p", "caption", "p"]
    assert any("repeats" in r.reason for r in a.removed)


def test_keyword_salad_is_chrome(config):
    salad = "".join(f"某地网络公司{i}号推广" for i in range(30))
    [a] = clean(["座谈会召开", P1, P2, P3, salad], config)
    assert salad not in texts(a)
    assert any("keyword salad" in r.reason for r in a.removed if r.text == salad)


def test_list_of_items_with_timestamps_is_chrome(config):
    feed = ["热门推荐", "甲方今天 10:00:01", "市场今日成交量略有提升，两市个股涨跌互现，板块轮动加快，资金观望情绪浓厚。",
            "乙方今天 09:30:00", "午后大盘震荡回落，成交金额较昨日小幅放大，个股方面下跌家数多于上涨家数。"]
    [a] = clean(["座谈会召开", P1, P2, P3] + feed, config)
    assert texts(a) == [P1, P2, P3]


def test_page_without_article_text_warns(config):
    [a] = clean(MENU + FOOTER, config)
    assert a.paragraphs == []
    assert any("no article text" in w for w in a.warnings)
    assert len(a.removed) == len(MENU + FOOTER)


def test_a_saved_pages_meta_date_dates_an_article_that_prints_none(config):
    [a] = clean(["座谈会召开", P1, P2], config, html_meta={"pubdate": "2024-05-30T08:00:00+08:00"})
    assert (a.date, a.date_basis) == ("2024-05-30", "explicit in the page's meta data")
    # a date the page prints wins over its meta data
    [b] = clean(["座谈会召开", "时间：2024-03-05", P1, P2], config, html_meta={"pubdate": "2024-05-30"})
    assert b.date == "2024-03-05"
    # like a printed date field, it wins over a year-less day in the opening;
    # meta that is no date (a description) is not read as one
    [c] = clean(["座谈会召开", "3月21日，" + P1, P2], config, html_meta={"description": "2019-01-01", "date": "2025-03-27"})
    assert c.date == "2025-03-27"


def test_the_cleaners_lexicon_follows_its_word_lists_changed_in_place():
    from wuxi_archive.clean.lexicon import lexicon_from
    from wuxi_archive.config import load_config

    config = load_config()
    first = lexicon_from(config)
    assert lexicon_from(config) is first              # kept while the lists are the same
    assert "本页仅供测试" not in first.legal
    config.chrome["legal"][0] = "本页仅供测试"          # same list, same size, another word
    assert "本页仅供测试" in lexicon_from(config).legal
