"""Names the extractor takes on structural evidence (issue 19, part 7):
organisations without a legal suffix, Latin-script firms, officials with
their roles, no name opened by a preposition and no cut names. Small
hand-made cases for every rule, then the floors on the dev pages' bodies."""
from __future__ import annotations

import re

import pytest
import yaml

from wuxi_archive.config import Config
from wuxi_archive.convert import t2s
from wuxi_archive.extract import extract_entities
from wuxi_archive.records import Article, CleanArticle, Paragraph


def run(config: Config, *paragraphs: str, title: str = "标题") -> Article:
    article = CleanArticle(seed="t.txt", part=1, title=title,
                           paragraphs=[Paragraph("p", text) for text in paragraphs])
    return extract_entities(article, config)


def orgs(config: Config, *paragraphs: str) -> list[str]:
    return [o.name for o in run(config, *paragraphs).organisations]


def people(config: Config, *paragraphs: str) -> dict[str, str | None]:
    return {p.name: p.role for p in run(config, *paragraphs).people}


# --- organisations -------------------------------------------------------

def test_no_name_opens_with_a_preposition_or_a_year(config):
    names = orgs(config, "据无锡市科技局消息,今年全市新增高新技术企业120家。",
                 "暨2024年中国科学院青少年科普周启动。")
    assert "无锡市科技局" in names and "中国科学院" in names
    assert not [n for n in names if n.startswith(("据", "暨", "2024"))]


def test_company_head_standing_as_a_subject(config):
    names = orgs(config, "午间公告:恒达科技:拟投资5亿元建设新基地;远帆股份中标3亿元项目。")
    assert "恒达科技" in names and "远帆股份" in names


@pytest.mark.parametrize("sentence", [
    "电动汽车、光伏产品出口增长较快。",
    "前沿科技表示了新的方向。",           # a generic head before the company word
    "全球科技巨头纷纷加大投入。",
])
def test_company_heads_without_a_subject_name_nothing(config, sentence):
    assert orgs(config, sentence) == []


def test_words_before_an_officers_role_and_a_name(config):
    article = run(config, "会上,云帆轮值董事长王立新、77号店董事长陈思介绍了发展情况。")
    names = [o.name for o in article.organisations]
    assert "云帆" in names and "77号店" in names
    assert {"王立新", "陈思"} <= {p.name for p in article.people}


@pytest.mark.parametrize("sentence", [
    "著名导演张艺然率队打造了这台演出。",          # 著名 is no firm
    "会见了康明斯副总裁、电子软件全球总裁玛丽娜一行。",  # a long title is no short name
    "万宝集团副总经理段松林介绍。",                 # 副 belongs to the role
])
def test_role_led_words_that_are_no_firm(config, sentence):
    names = orgs(config, sentence)
    assert not [n for n in names if n in ("著名", "电子软件全球", "软件全球", "万宝集团副")]


def test_latin_script_firm_standing_as_a_subject(config):
    names = orgs(config, "HSBC预计美联储年内降息两次;KPMG发布的报告显示需求回暖。")
    assert "HSBC" in names and "KPMG" in names


@pytest.mark.parametrize("sentence", [
    "今年GDP预计增长5%左右。",
    "INTERNAL:内部网络地址。",
    "PS:以上内容仅供参考。",
])
def test_latin_words_that_are_no_firm(config, sentence):
    assert orgs(config, sentence) == []


def test_items_of_a_list_closed_by_a_company_word(config):
    names = orgs(config, "航运巨头如远洋之星、蓝海航运等公司纷纷暂停航线。")
    assert "远洋之星" in names and "蓝海航运" in names
    assert not [n for n in names if n.startswith(("如", "巨头"))]


def test_items_of_a_list_of_named_organisations(config):
    names = orgs(config, "来自无锡市科技局、江苏省产业技术研究院、星河文旅、云端智信等与会嘉宾共同启动项目。")
    assert "星河文旅" in names and "云端智信" in names


def test_list_of_common_nouns_names_nothing(config):
    assert orgs(config, "教育、科研、文化、卫生、体育等单位应当配合。") == []


def test_bracketed_country_after_a_bank_is_part_of_its_name(config):
    article = run(config, "瑞丰银行(中国)首席分析师李明表示,人民币汇率将保持稳定。")
    assert "瑞丰银行(中国)" in [o.name for o in article.organisations]
    assert "李明" in {p.name for p in article.people}


def test_bracketed_district_after_a_zone_is_not_part_of_its_name(config):
    names = orgs(config, "无锡高新区(新吴区)召开科技创新大会。")
    assert "无锡高新区" in names and "无锡高新区(新吴区)" not in names


def test_category_noun_before_a_name_is_apposition(config):
    article = run(config, "养老机构康宁之家上海分公司人力资源总监王芳告诉记者,岗位缺口很大。")
    names = [o.name for o in article.organisations]
    assert "康宁之家上海分公司" in names and "养老机构康宁之家上海分公司" not in names


def test_suffixes_of_banks_hospitals_agencies_and_forces(config):
    names = orgs(config,
                 "据路透社报道,世界银行上调了增长预期。",
                 "伤者被送往仁爱医院急救。",
                 "国际能源署的报告显示,需求仍在增长。",
                 "中国人民解放军和中国人民武装警察部队开展演练。",
                 "教育部基础教育司发布通知。")
    for name in ("路透社", "世界银行", "仁爱医院", "国际能源署", "中国人民解放军",
                 "中国人民武装警察部队", "教育部基础教育司"):
        assert name in names, name


@pytest.mark.parametrize("sentence", [
    "各地设立定点医院和方舱医院。",
    "构建和谐社会是长期任务。",
    "商业银行加大信贷投放。",
    "美国银行体系健全且富有韧性。",
    "市长赵建军出席签约仪式。",              # a person's name ending in 军
    "公司司机接受了培训。",
])
def test_common_words_ending_like_a_suffix(config, sentence):
    assert orgs(config, sentence) == []


def test_a_name_never_runs_back_over_a_role_or_verb_after_another_name(config):
    names = orgs(config, "国家监察委员会主任提请全国人民代表大会常务委员会任免副主任。",
                 "国家监察委员会领导地方各级监察委员会的工作。")
    assert "国家监察委员会" in names and "全国人民代表大会常务委员会" in names
    assert not [n for n in names if "主任" in n or "领导" in n]


def test_suffix_inside_an_abbreviation_or_a_longer_word(config):
    names = orgs(config, "就业数据来自市人社局。", "中国人民政治协商会议全国委员会召开会议。")
    assert not [n for n in names if n.endswith(("人社", "协商会"))]


def test_long_clause_ending_in_she_is_no_agency(config):
    assert orgs(config, "去年灯会上沸地笙歌赛社火,游人如织。") == []


def test_alias_inside_a_persons_name_is_no_mention(config):
    article = run(config, "高级工程师王清华表示,安装距离不符合规范。")
    assert "清华大学" not in [o.name for o in article.organisations]


# --- people --------------------------------------------------------------

def test_officials_with_new_role_words(config):
    found = people(config, "外交部新闻司司长张立表示,双方将加强合作。",
                   "国务院总理赵克强主持召开常务会议。",
                   "首席经济学家钱立新认为,通胀压力减弱。")
    assert found.get("张立", "").endswith("司长")
    assert found.get("赵克强", "").endswith("总理")
    assert "钱立新" in found


def test_given_name_ending_in_qiang(config):
    assert "王强" in people(config, "信息中心主任王强一行六人来我校调研。")


def test_names_listed_after_one_role(config):
    found = people(config, "金星药业:25日获公司副总裁周伟、贾明阳增持。")
    assert "周伟" in found and "贾明阳" in found


def test_transliterated_names(config):
    found = people(config, "该提案由谈判代表哈桑·阿里提出,并得到国防部长加兰特的支持。")
    assert "哈桑·阿里" in found and "加兰特" in found


def test_title_after_a_name_led_by_a_list_word(config):
    assert "王建国" in people(config, "正如王建国教授所说,数据就是生产力。")


def test_role_never_opens_with_a_preposition_or_a_date(config):
    found = people(config, "据江南农业研究所研究员钱伟介绍,试验进展顺利。",
                   "江南大学信息建设与管理中心主任王刚一行来访。",
                   "金星药业:25日获公司副总裁周伟增持。")
    assert found["钱伟"] == "江南农业研究所研究员"
    assert not found["王刚"].startswith("与")
    assert not found["周伟"].startswith("25日")


def test_name_after_an_age_when_named_again(config):
    found = people(config, "45岁陈思远身家过亿。多年来,陈思远一直低调。", "记者采访了58岁的林国栋,他说:“还能干。”")
    assert "陈思远" in found and "林国栋" in found


def test_a_later_role_fills_a_name_first_named_without_one(config):
    found = people(config, "58岁的林国栋到任博物院。博物院院长林国栋表示,将加快数字化。")
    assert found["林国栋"] == "博物院院长"


@pytest.mark.parametrize("sentence", [
    "一名45岁高姓男子被送医。高姓男子伤势不重。",   # 高姓男子: a man surnamed 高
    "3岁的孩子和60岁以上老人免票。",
])
def test_words_after_an_age_that_are_no_name(config, sentence):
    assert people(config, sentence) == {}


@pytest.mark.parametrize("sentence", [
    "目前,航天员成功开展了两次样品采集。",
    "他到任林业局局长后推动了改革。",
])
def test_words_that_are_no_person(config, sentence):
    assert people(config, sentence) == {}


# --- the dev pages: recall floors on the gold bodies -----------------------

def _fold(text: str) -> str:
    text = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in str(text))
    return re.sub(r"\s+", "", text)


def _gold_bodies(devpages):
    """(gold answer, the page's lines from the gold first phrase to the last) per page:
    what the extractor would see once cleaning cuts the body right."""
    for entry in yaml.safe_load((devpages / "gold.yaml").read_text(encoding="utf-8")):
        answer = entry["articles"][0]
        lines = [t2s(line) for line in (devpages / entry["page"]).read_text(encoding="utf-8").splitlines()]
        first, last = _fold(answer["first"]), _fold(answer["last"])
        i = next((k for k, line in enumerate(lines) if first in _fold(line)), None)
        j = next((k for k in range(len(lines) - 1, -1, -1) if last in _fold(lines[k])), None)
        if i is not None and j is not None and i <= j:
            yield answer, lines[i:j + 1]


@pytest.fixture(scope="module")
def dev_extracted(shared_dir, config):
    devpages = shared_dir / "devpages"
    if not (devpages / "gold.yaml").is_file():
        pytest.skip("../shared/devpages is missing")
    out = []
    for answer, lines in _gold_bodies(devpages):
        article = run(config, *lines, title=answer["title"])
        out.append((answer, article))
    return out


def test_dev_pages_recall_floors(dev_extracted):
    hits = {"organisations": [0, 0], "people": [0, 0]}
    for answer, article in dev_extracted:
        found = {"organisations": {_fold(n) for o in article.organisations for n in [o.name, *o.aliases]},
                 "people": {_fold(p.name) for p in article.people}}
        for kind in hits:
            gold = [_fold(n) for n in answer.get(kind) or []]
            hits[kind][0] += sum(n in found[kind] for n in gold)
            hits[kind][1] += len(gold)
    for kind, (hit, total) in hits.items():
        assert total and hit / total >= 0.8, (kind, hit, total)


def test_dev_pages_names_are_whole(dev_extracted):
    """No organisation opens with a preposition, and every name is in the text."""
    for answer, article in dev_extracted:
        text = "\n".join([article.clean.title] + [p.text for p in article.clean.paragraphs])
        for org in article.organisations:
            assert org.name[0] not in "据在由对与和及、的了为向暨", org.name
            assert org.name in text or any(a in text for a in org.aliases), org.name
        for person in article.people:
            assert person.name in text, person.name
