"""Dates, datelines, sources, authors and editors: every printed form on small cases,
and the rules (the dateline near the headline wins; roles and dates never become names)."""
from __future__ import annotations

import pytest

from wuxi_archive.clean import clean_page
from wuxi_archive.clean.datetext import find_dates, first_date
from wuxi_archive.clean.dates import PageEvidence, date_of_article
from wuxi_archive.clean.lexicon import lexicon_from
from wuxi_archive.clean.metadata import (Field, byline_names, clean_source, is_metadata_line, person_names, read_fields,
                                         stamp_date, stamp_source)
from wuxi_archive.records import RawPage


@pytest.fixture(scope="module")
def lexicon(config):
    return lexicon_from(config)


# -- every date form ---------------------------------------------------------------

@pytest.mark.parametrize("text, date", [
    ("15:312018/09/16", "2018-09-16"),                      # a time glued before the date
    ("2019-09-3007:42", "2019-09-30"),                      # a time glued after it
    ("2024-05-18 16:56发布于北京环球时报新媒体官方账号", "2024-05-18"),
    ("2022-06-02 09:52:19政能亮 来自北京市", "2022-06-02"),   # a stamp glued to the text after it
    ("发布日期: 2012-06-24", "2012-06-24"),
    ("建立時間：2016/05/21 11:44", "2016-05-21"),
    ("发表于 2024-4-5 23:20:45 | 只看该作者", "2024-04-05"),
    ("2024.05.11", "2024-05-11"),
    ("时间：2024.05.11 来源：光明日报", "2024-05-11"),
    ("Dec 28 Sat 2013 00:28", "2013-12-28"),
    ("December 28, 2013", "2013-12-28"),
    ("Sat, 28 Dec 2013 10:00", "2013-12-28"),
    ("2024年5月11日 星期六", "2024-05-11"),
    ("2024年05月11号", "2024-05-11"),
    ("发布时间：2024/5/11", "2024-05-11"),
    ("２０２４年５月１１日", "2024-05-11"),                 # full-width digits
    ("２０２４－０５－１１", "2024-05-11"),
    ("二〇二四年五月十一日", "2024-05-11"),                 # Chinese numerals
    ("二〇一九年十二月三十一日", "2019-12-31"),
    ("2024年5月22日週三 上午8:21", "2024-05-22"),
    ("（2023年4月12日）", "2023-04-12"),
])
def test_every_printed_date_form_is_read(text, date):
    assert first_date(text) == date


@pytest.mark.parametrize("text", [
    "2024-13-01", "2024-02-30",           # no such day
    "电话 0351-3985088",                  # a phone number
    "20240511",                           # compact digits: an order number as often as a date
    "May 2024", "5月11日", "版本 3.2024.1",
])
def test_what_is_no_full_date(text):
    assert not find_dates(text)


# -- dateline stamps -----------------------------------------------------------------

@pytest.mark.parametrize("text, date", [
    ("2024-05-18 16:56发布于北京环球时报新媒体官方账号", "2024-05-18"),
    ("A-肖老师-树谷学院  于 2024-05-06 15:47:53 发布", "2024-05-06"),
    ("来源：人民日报2024-05-13 08:49", "2024-05-13"),
    ("2019-05-17 · 苏皖城市报道", "2019-05-17"),
    ("15:312018/09/16", "2018-09-16"),
    ("（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）", "2007-06-29"),  # a law's adoption line
])
def test_a_stamp_line_is_metadata(text, date, lexicon):
    assert stamp_date(text) == date
    assert is_metadata_line(text, lexicon)


@pytest.mark.parametrize("text", [
    "国务院关于2024年5月1日起施行新规定的通知发布",          # a headline mentioning a date
    "2024年5月11日，无锡市科技局召开会议，部署下一阶段工作。",   # a sentence
    "（图为2024年5月1日会议现场）",                          # a caption: its date does not open it
])
def test_a_headline_or_sentence_with_a_date_is_no_stamp(text):
    assert stamp_date(text) is None


@pytest.mark.parametrize("text, source", [
    ("2024-05-09 22:30·新华社", "新华社"),
    ("2024年05月10日 00:26 每日经济新闻", "每日经济新闻"),
    ("2022-06-02 09:52:19政能亮 来自北京市", "政能亮"),              # a place is no source
    ("原创 南方都市报 2019-09-09 16:01:46", "南方都市报"),
    ("原创：39健康网2024-04-23 12:27:25", "39健康网"),
    ("2024-05-18 16:56发布于北京环球时报新媒体官方账号", "环球时报新媒体"),  # the poster's place and account suffix go
    ("发布于北京北京日报官方账号 2024-01-01 10:00", "北京日报"),
    ("发表于 2024-4-5 23:20:45 | 只看该作者 来自 - 贵州遵义  |倒序浏览 |阅读模式", None),
    ("来自Android客户端1楼2022-10-02 23:02回复", None),
    ("最新更新：2016/03/19 10:48", None),                             # an unknown label is no name
    ("（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）", None),   # an adoption note
])
def test_the_publisher_beside_a_stamp(text, source, lexicon):
    assert stamp_source(text, lexicon) == source


# -- sources, authors, editors from their labels -------------------------------------

def test_fields_anywhere_on_the_line_with_glued_labels(lexicon):
    lead, fields = read_fields("2019-09-26 12:11来源：证券时报网作者：李在山", lexicon)
    assert lead == "2019-09-26 12:11"
    assert [(f.kind, f.value) for f in fields] == [("source", "证券时报网"), ("author", "李在山")]


@pytest.mark.parametrize("value, source", [
    ("人民日报2024-05-13 08:49", "人民日报"),          # a timestamp is cut off
    ("光明网-《光明日报》2024-05-20 03:15", "光明网-《光明日报》"),
    ("证券市场红周刊 举报", "证券市场红周刊"),          # a widget word is cut off
    ("中国新闻网 王帆", "中国新闻网"),                 # an author after the source
    ("据无锡市科技局", "无锡市科技局"),                # 据 is no part of the name
    ("央视新闻客户端 中国青年网", "央视新闻客户端"),
    ("China Daily", "China Daily"),
    ("举报", None),
    ("—— ", None),                                   # a mark alone names no one
])
def test_source_value_is_the_publisher_name(value, source, lexicon):
    assert clean_source(value, lexicon) == source


@pytest.mark.parametrize("value, names", [
    ("张敏 刘洋 2025-06-12", ["张敏", "刘洋"]),            # a date is never a name
    ("张敏 刘洋 2025-06-12 09:30", ["张敏", "刘洋"]),
    ("记者 张敏", ["张敏"]),                              # a role is never a name
    ("本报记者张敏 通讯员 李琴雯", ["张敏", "李琴雯"]),
    ("南都见习记者 林子沛", ["林子沛"]),
    ("责任编辑 王五", ["王五"]),
    ("通讯员", []),
    ("杨倩_NF4425", ["杨倩"]),                            # a staff code after the name
    ("123rf", []),                                         # a picture agency's code
    ("张文", ["张文"]),                                    # 文 the role, not 文 in a name
    ("党委宣传部 杨敏", ["杨敏"]),                         # a unit is credited, not an author
    ("张敏 分享", ["张敏"]),
])
def test_person_names_never_roles_dates_or_widgets(value, names, lexicon):
    assert person_names(value, lexicon) == names


# -- which date wins ---------------------------------------------------------------

NO_EVIDENCE = PageEvidence((), ())


def test_the_dateline_under_the_headline_wins_over_the_body():
    fields = [Field("date", "2025-06-12 09:30:15", "header")]
    found = date_of_article(fields, "2025年6月10日，会议召开。", NO_EVIDENCE)
    assert (found.date, found.basis) == ("2025-06-12", "explicit")


def test_of_several_dates_under_the_headline_the_earliest_is_the_publication():
    fields = [Field("date", "2024-05-07", "header", 23), Field("date", "2024-05-06", "header", 24)]
    assert date_of_article(fields, "", NO_EVIDENCE).date == "2024-05-06"


def test_a_dateline_above_the_headline_counts_before_the_footer():
    fields = [Field("date", "2024-01-01", "above", 3), Field("date", "2024-01-02", "above", 5),
              Field("date", "2024-02-01", "footer", 40)]
    found = date_of_article(fields, "", NO_EVIDENCE)
    assert found.date == "2024-01-02" and "above the headline" in found.basis


def test_a_date_in_the_article_only_when_the_page_gives_none_and_the_basis_says_so():
    found = date_of_article([], "2024年5月11日，会议召开。", NO_EVIDENCE)
    assert found.date == "2024-05-11" and "opening paragraph" in found.basis
    found = date_of_article([], "会议召开。", NO_EVIDENCE, body_top=["2024-05-11 10:00 来源：某报"])
    assert found.date == "2024-05-11" and "in the article" in found.basis


# -- whole pages ----------------------------------------------------------------------

def page(*lines: str) -> RawPage:
    return RawPage(seed="case.txt", lines=list(lines), encoding="utf-8")


BODY = ("无锡市科技局日前召开全市科技创新工作推进会，总结上半年工作，部署下半年重点任务，会议由局长主持。",
        "会议指出，今年以来全市科技创新各项工作稳步推进，高新技术企业数量持续增长，创新平台建设取得新进展。",
        "会议要求，各地各部门要进一步压实责任，加快推进重大科技项目落地，确保全年目标任务圆满完成。")


def test_the_issue_case_dateline_with_source_and_authors(config):
    [a] = clean_page(page("首页 > 新闻中心", "无锡召开全市科技创新工作推进会",
                          "2025-06-12 09:30:15  来源:无锡日报  作者:张敏 刘洋",
                          "字号:大 中 小  打印本页  分享到:微信 微博", *BODY), config)
    assert a.date == "2025-06-12" and a.source == "无锡日报"
    assert a.authors == ["张敏", "刘洋"]


def test_authors_glued_to_a_date_and_roles(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会",
                          "来源:无锡日报 作者:张敏 刘洋 2025-06-12",
                          *BODY, "责任编辑：通讯员 李琴雯"), config)
    assert a.date == "2025-06-12" and a.source == "无锡日报"
    assert a.authors == ["张敏", "刘洋"]
    assert "通讯员" not in a.authors + a.editors and "记者" not in a.authors


def test_a_source_attributed_with_ju(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "来源：据无锡市科技局", *BODY), config)
    assert a.source == "无锡市科技局"


def test_an_unlabelled_dateline_gives_date_and_publisher(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "2024-05-09 22:30·新华社", *BODY), config)
    assert (a.date, a.source) == ("2024-05-09", "新华社")


# -- publishers without a label -------------------------------------------------------

def test_a_bare_name_beside_the_dateline_is_the_publisher(config):
    [a] = clean_page(page("新闻", "社会", "无锡召开全市科技创新工作推进会", "2024-05-09 22:30", "无锡日报",
                          *BODY), config)
    assert (a.date, a.source) == ("2024-05-09", "无锡日报")


def test_a_follow_button_after_the_name_is_cut(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "无锡日报关注", "2024-05-09 22:30", "来自江苏",
                          *BODY), config)
    assert a.source == "无锡日报"


@pytest.mark.parametrize("beside", ["楼主", "记者 张敏", "无锡召开全市科技创新工作推进会", "社会"])
def test_a_role_the_headline_or_a_menu_item_beside_the_dateline_is_no_publisher(config, beside):
    # `社会` is a menu item: the page prints it as a line of its own three times.
    [a] = clean_page(page("社会", "首页", "社会", "无锡召开全市科技创新工作推进会", beside, "2024-05-09 22:30",
                          *BODY), config)
    assert a.source is None and a.date == "2024-05-09"


def test_the_agency_closing_a_bulletin_is_the_publisher(config):
    [a] = clean_page(page("某县2015年国民经济和社会发展统计公报", "发布日期：2017-05-15", *BODY,
                          "（某县统计局）", "关联稿件："), config)
    assert a.source == "某县统计局"


def test_a_bracketed_dateline_with_a_reporter_and_a_day_names_the_outlet(config):
    [a] = clean_page(page("平镇轮胎行恶火 疏散7人", "最新更新：2016/03/19 10:48",
                          "（中央社记者邱俊钦桃园19日电）" + BODY[0], *BODY[1:]), config)
    assert a.source == "中央社" and a.date == "2016-03-19"


def test_a_blog_posts_footer_stamp_names_the_author_when_nothing_else_does(config):
    [a] = clean_page(page("Docker 部署 Kafka 集群", *BODY,
                          "posted @ 2024-05-09 14:45  好看的hk  阅读(430)  评论(2)  编辑  收藏  举报"), config)
    assert (a.date, a.source) == ("2024-05-09", "好看的hk")


def test_a_labelled_source_swallowed_by_the_body_is_still_read(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "来源：中国新闻网", *BODY), config)
    assert a.source == "中国新闻网"


def test_a_follow_button_on_its_own_line_is_no_publisher_and_hides_none(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "转发", "无锡日报", "关注", "2024-05-09 22:30", *BODY), config)
    assert a.source == "无锡日报"


def test_a_counter_beside_the_dateline_is_no_publisher(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "2024-05-09 22:30", "尚余0篇", *BODY), config)
    assert a.source is None


def test_a_short_name_between_headline_and_dateline_is_the_publisher_not_a_subtitle(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "科技日报", "2019-09-07 15:10:53", *BODY), config)
    assert (a.source, a.subtitle) == ("科技日报", None)


def test_a_real_subtitle_stays_one(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "全市高新技术企业数量持续增长创新平台建设取得新进展",
                          "2019-09-07 15:10:53", *BODY), config)
    assert a.source is None and a.subtitle


def test_a_dateline_the_body_swallowed_beats_a_comment_stamp_under_the_article():
    fields = [Field("date", "2019-02-20", "footer stamp", 113)]
    found = date_of_article(fields, "", NO_EVIDENCE, body_top=["2019年02月19日 02:26:00"])
    assert found.date == "2019-02-19" and "top of the body" in found.basis
    found = date_of_article(fields, "", NO_EVIDENCE)
    assert found.date == "2019-02-20" and "under the article" in found.basis


def test_a_date_or_source_on_weak_evidence_is_warned_about_and_a_labelled_one_is_not(config):
    [weak] = clean_page(page("无锡召开全市科技创新工作推进会", "无锡日报", "2024-05-09 22:30", *BODY), config)
    assert any(w.startswith("weak source") and "无锡日报" in w for w in weak.warnings)
    [inside] = clean_page(page("无锡召开全市科技创新工作推进会", "2024年5月9日，" + BODY[0], *BODY[1:]), config)
    assert inside.date == "2024-05-09" and any(w.startswith("weak date") for w in inside.warnings)
    [strong] = clean_page(page("无锡召开全市科技创新工作推进会", "2024-05-09 22:30 来源：无锡日报", *BODY), config)
    assert (strong.date, strong.source) == ("2024-05-09", "无锡日报")
    assert not any(w.startswith(("weak date", "weak source")) for w in strong.warnings)


@pytest.mark.parametrize("text, names", [
    ("记者 张敏 通讯员 李琴雯", ["张敏", "李琴雯"]),
    ("新华社记者邹多为、唐诗凝、丁乐", ["邹多为", "唐诗凝", "丁乐"]),
    ("中国载人航天工程新闻发言人 武平", ["武平"]),
    ("文丨政能亮特约评论员 韩涵", ["韩涵"]),
    ("楼主", []),                                   # a role alone names nobody
    ("记者节活动在无锡举行", []),                   # a headline holding a role word
])
def test_a_bare_byline_of_roles_and_names(text, names, lexicon):
    assert byline_names(text, lexicon) == names


def test_a_bare_byline_under_the_headline_gives_the_authors(config):
    [a] = clean_page(page("无锡召开全市科技创新工作推进会", "本报记者 张敏 通讯员 李琴雯", "2024-05-10 10:00",
                          *BODY), config)
    assert a.authors == ["张敏", "李琴雯"] and a.date == "2024-05-10"


def test_the_issuing_body_label_of_a_notice_is_its_source(config):
    [a] = clean_page(page("关于印发某某办法的通知", "发布日期：2024年05月10日 发布机构：无锡市科技局", *BODY), config)
    assert (a.date, a.source) == ("2024-05-10", "无锡市科技局")


def test_a_photo_note_is_no_byline(config):
    from wuxi_archive.clean.lexicon import lexicon_from
    from wuxi_archive.clean.metadata import byline_names
    lexicon = lexicon_from(config)
    # 图片 is the label of a photo field, not a person's role: the note credits nobody
    assert byline_names("(资料图片仅供参考)", lexicon) == []
    assert byline_names("本报记者 张敏", lexicon) == ["张敏"]
