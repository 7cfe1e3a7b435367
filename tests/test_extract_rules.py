"""The extractor on small hand-made articles: what each rule must find, and
what it must leave alone."""
from __future__ import annotations

import pytest

from wuxi_archive.config import Config, load_config
from wuxi_archive.extract import extract_entities
from wuxi_archive.extract.dates import date_mentions, resolve
from wuxi_archive.records import Article, CleanArticle, Paragraph


def run(config: Config, *paragraphs: str, date: str | None = None, title: str = "标题") -> Article:
    article = CleanArticle(seed="t.txt", part=1, title=title, date=date,
                           paragraphs=[Paragraph("p", text) for text in paragraphs])
    return extract_entities(article, config)


def org_names(article: Article) -> list[str]:
    return [o.name for o in article.organisations]


@pytest.mark.parametrize("sentence", [
    "他在会上说,要进一步加强合作。",
    "会前,与会人员共同参观了展厅。",
    "希望双方依托公司市场布局,在新能源汽车等领域拓展合作。",
    "西浦是中国目前规模最大的中外合作大学。",
    "为母校加快建设中国特色、世界一流大学注入新的活力。",
    "活动吸引了来自三省一市34个国家高新区的负责人参加。",
    "此次,两家企业合资成立新的合资公司。",
    "加快形成创新活力竞相迸发的产才城融合新格局。",
    "他为苏州市委理论学习中心组作专题学习报告。",
    "党建、科技部门负责人参加。",
])
def test_sentences_that_name_no_organisation(config, sentence):
    assert org_names(run(config, sentence)) == []


def test_left_edge_stops_at_conjunctions_prepositions_and_verbs(config):
    article = run(config,
                  "康明斯(中国)投资有限公司与卓品智能科技无锡股份有限公司在锡签署协议。",
                  "在无锡市科技局局长赵建平眼里,科技镇长团是重要力量。",
                  "卢建军调研西交利物浦大学和苏州研究院。",
                  "还联合江苏省产业技术研究院,推动项目落地。")
    names = org_names(article)
    assert "康明斯(中国)投资有限公司" in names
    assert "卓品智能科技无锡股份有限公司" in names
    assert "无锡市科技局" in names
    assert "西交利物浦大学" in names
    assert "江苏省产业技术研究院" in names
    for name in names:
        assert name[0] not in "与和在由及调联", name


def test_conjunction_inside_a_name_is_kept(config):
    article = run(config,
                  "重庆师范大学地理与旅游学院承办,工业和信息化部人才交流中心支持。",
                  "其中,副教授设立的无锡燊旺和电子科技有限公司已申报专利。")
    names = org_names(article)
    assert "重庆师范大学地理与旅游学院" in names
    assert "工业和信息化部人才交流中心" in names
    assert "无锡燊旺和电子科技有限公司" in names
    assert "信息化部人才交流中心" not in names


def test_two_names_joined_by_a_conjunction_are_two(config):
    names = org_names(run(config, "当天,长三角国产芯片应用服务平台和长三角车规级芯片检测中心揭牌。",
                          "中科院金属研究所与新长江集团签订合作备忘录。"))
    assert "长三角车规级芯片检测中心" in names
    assert "新长江集团" in names
    assert not any("和" in n or "与" in n for n in names)


def test_bracketed_names_and_sub_units(config):
    article = run(config, "此次,康明斯与卓品智能合资成立康卓电子(无锡)有限公司。",
                  "无锡科技职业学院集成电路学院与无锡科技职业学院签署协议。")
    orgs = {o.name: o for o in article.organisations}
    assert "康卓电子(无锡)有限公司" in orgs
    assert orgs["无锡科技职业学院集成电路学院"].parent == "无锡科技职业学院"
    assert orgs["无锡科技职业学院"].parent is None


def test_a_company_named_after_a_centre_is_not_its_sub_unit(config):
    orgs = {o.name: o for o in run(config, "华进半导体封装先导技术研发中心有限公司代表发言。").organisations}
    assert list(orgs) == ["华进半导体封装先导技术研发中心有限公司"]
    assert orgs["华进半导体封装先导技术研发中心有限公司"].parent is None


def test_common_noun_endings_need_a_place_or_known_head(config):
    names = org_names(run(config, "实地参观了博物馆、国际学术交流中心和智能控制训练中心。",
                          "新吴区中小企业服务中心副主任介绍了情况。"))
    assert names == ["新吴区中小企业服务中心"]


def test_declared_alias_links_to_its_organisation(config):
    article = run(config, "卢建军调研西交利物浦大学(以下简称“西浦”),参观了西浦慧湖药学院。",
                  "西浦执行校长席酉民陪同。")
    orgs = {o.name: o for o in article.organisations}
    assert orgs["西交利物浦大学"].aliases == ["西浦"]
    assert orgs["西浦慧湖药学院"].parent == "西交利物浦大学"
    assert "西浦" not in orgs


def test_alias_table_yields_the_canonical_name(config):
    orgs = {o.name: o for o in run(config, "西安交大副教授娄建勇设立了公司。").organisations}
    assert orgs["西安交通大学"].aliases == ["西安交大"]


def test_alias_table_can_be_extended_by_the_user(config):
    extended = Config(**{**config.__dict__, "aliases": {**config.aliases, "东大": "东南大学"}})
    orgs = {o.name: o for o in run(extended, "东大教授王小明出席。").organisations}
    assert orgs["东南大学"].aliases == ["东大"]


def test_an_alias_inside_a_longer_word_is_not_a_mention(config):
    # 科技部 in 科技部门, 南大 in 西南大学
    names = org_names(run(config, "各级科技部门负责人和西南大学代表出席。"))
    assert "科学技术部" not in names
    assert "南京大学" not in names


def test_events_with_date_place_and_organisations(config):
    article = run(config,
                  "3月21日下午,无锡高新区(新吴区)专精特新企业综合党委在无锡科技职业学院召开一季度联席会议暨校地企融合对接交流会。",
                  date="2025-03-22")
    [event] = article.events
    assert event.name == "一季度联席会议暨校地企融合对接交流会"
    assert (event.date, event.place) == ("2025-03-21", "无锡科技职业学院")
    assert "无锡科技职业学院" in event.organisations


def test_quoted_event_name_is_taken_whole(config):
    article = run(config, "记者从日前召开的“无锡市科技镇长团、产业教授、科技副总队伍建设暨深化产才城融合发展推进会”上了解到,近年来成效明显。")
    assert [e.name for e in article.events] == ["无锡市科技镇长团、产业教授、科技副总队伍建设暨深化产才城融合发展推进会"]
    assert article.events[0].date is None


def test_day_only_date_resolves_against_the_article_date(config):
    article = run(config, "中新网江苏新闻5月30日电(孙权)29日,无锡高新区2024年科技和人才工作大会暨产业科技创新人才服务周启动仪式举行。",
                  date="2024-05-30")
    [event] = article.events
    assert event.name == "无锡高新区2024年科技和人才工作大会暨产业科技创新人才服务周启动仪式"
    assert event.date == "2024-05-29"


@pytest.mark.parametrize("sentence", [
    "此次会议以“创新、自强”为主题。",
    "市长出席签约仪式并致辞。",
    "报告会以视频会议形式召开。",
    "服务周期间,企业家座谈会、技术交流推介会等系列活动将陆续举行。",
    "习近平总书记在全国科技大会上的重要讲话精神。",
    "近年来先后在多地成功举办了8次会议。",
])
def test_sentences_that_report_no_event(config, sentence):
    assert run(config, sentence).events == []


def test_people_with_roles_and_organisations(config):
    article = run(config,
                  "新吴区工信局副局长贺齐东在讲话中指出,成绩很好。",
                  "市长赵建军、科技部火炬中心党委书记吕先志、省委党建办副主任叶智勇出席并致辞。",
                  "市委常委、组织部部长高飞参加会议。",
                  "会上,唐爱军教授作了精彩演讲。")
    people = {p.name: p for p in article.people}
    assert set(people) == {"贺齐东", "赵建军", "吕先志", "叶智勇", "高飞", "唐爱军"}
    assert (people["贺齐东"].role, people["贺齐东"].organisation) == ("新吴区工信局副局长", "新吴区工信局")
    assert people["吕先志"].role == "科技部火炬中心党委书记"
    assert people["高飞"].role == "市委常委、组织部部长"
    assert people["唐爱军"].role == "教授"


@pytest.mark.parametrize("sentence", [
    "会前,与会人员共同参观了无锡科技职业学院。",
    "局长高度重视这项工作。",
    "习近平总书记曾多次作出重要指示。",
    "他们把促进产学研合作作为工作重点。",
    "(陈晓云 王子豪)",
])
def test_sentences_that_name_no_person(config, sentence):
    assert run(config, sentence).people == []


def test_date_expressions():
    text = "中新网江苏新闻5月30日电 29日,大会8月8日上午召开,2023年8月8日发布,日前召开"
    found = [(m.year, m.month, m.day) for m in date_mentions(text)]
    assert found == [(None, None, 29), (None, 8, 8), (2023, 8, 8)]
    day, month_day, full = date_mentions(text)
    assert resolve(day, "2024-05-30") == "2024-05-29"
    assert resolve(day, "2024-06-02") == "2024-05-29"   # a day after the article's is last month
    assert resolve(month_day, "2023-08-09") == "2023-08-08"
    assert resolve(month_day, "2024-01-05") == "2023-08-08"  # well after the article: the year before
    assert resolve(full, None) == "2023-08-08"
    assert resolve(day, None) is None


def test_extraction_is_deterministic(config):
    text = "康明斯(中国)投资有限公司与卓品智能科技无锡股份有限公司在锡签署协议。市长赵建军出席。"
    first = run(config, text).to_json()
    assert all(run(load_config(), text).to_json() == first for _ in range(3))


def test_a_ceremony_named_in_a_caption_is_not_reported(config):
    # 启动 inside 启动仪式 does not say the ceremony took place
    assert run(config, "图为山西品牌丝路行(南美站)启动仪式。").events == []
    [event] = run(config, "9月16日,山西品牌丝路行(南美站)启动仪式在巴西圣保罗举行。", date="2019-09-18").events
    assert (event.date, event.place) == ("2019-09-16", "巴西圣保罗")


def test_venues_are_not_organisations(config):
    names = org_names(run(config, "闭幕式在西南大学桂园宾馆金桂厅举行,江苏省工业和信息化厅出席。"))
    assert names == ["西南大学", "江苏省工业和信息化厅"]


def test_names_with_a_character_garble_repair_lost_are_left_out(config):
    # A repaired garble marks each character it could not read □: "无锡□技职业学院"
    # was an organisation with a page of its own (100 such names in the 2k corpus).
    article = run(config, "无锡□技职业学院与无锡高新区签署合作协议。",
                  "无锡科技职业学院党委书记张明华出席。西安交大□教授李四光介绍了情况。")
    names = org_names(article)
    assert "无锡高新区" in names and "无锡科技职业学院" in names
    assert not any("□" in n for n in names)
    assert all("□" not in (p.role or "") and "□" not in p.name for p in article.people)
