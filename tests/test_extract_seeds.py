"""The extractor on the seeds' real article text, scored against ../shared's gold.

The article text is taken straight from the seed (converted to simplified,
pinyin annotations removed, lines broken mid-sentence re-joined) between
the gold file's first and last sentence, so these tests do not depend on
how well the cleaner is doing today.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from wuxi_archive.clean.pinyin import strip_pinyin_annotations
from wuxi_archive.convert import detect_script, to_simplified
from wuxi_archive.extract import extract_entities
from wuxi_archive.records import CleanArticle, Paragraph

_SENTENCE_END = re.compile(r"[。!?！？”)）]$")


def fold(text: str) -> str:
    """What score.py compares: full-width ASCII folded, whitespace dropped."""
    text = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in str(text))
    return re.sub(r"\s+", "", text)


def seed_lines(path: Path) -> list[str]:
    lines = [strip_pinyin_annotations(line).strip() for line in path.read_text(encoding="utf-8").splitlines()]
    if detect_script("".join(lines)) == "traditional":
        lines = [to_simplified(line) for line in lines]
    return lines


def body_between(lines: list[str], first: str, last: str) -> list[str]:
    """The seed's paragraphs from the one holding `first` to the one holding `last`."""
    start = next(i for i, line in enumerate(lines) if fold(first) in fold(line))
    end = next(i for i in range(start, len(lines)) if fold(last) in fold(lines[i]))
    paragraphs: list[str] = []
    joining = False
    for line in lines[start:end + 1]:
        if not line:
            continue
        if joining and paragraphs:
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        # a long line cut mid-sentence goes on in the next; short unpunctuated
        # lines are captions and headings
        joining = len(line) >= 60 and not _SENTENCE_END.search(line)
    return paragraphs


def gold_articles(shared_dir: Path, seeds_dir: Path) -> list[tuple[dict, CleanArticle]]:
    gold = yaml.safe_load((shared_dir / "seeds-expected.yaml").read_text(encoding="utf-8"))
    out = []
    for page in gold:
        lines = seed_lines(seeds_dir / page["page"])
        for part, spec in enumerate(page["articles"], 1):
            date = spec["date"][0] if isinstance(spec["date"], list) else spec["date"]
            body = body_between(lines, spec["first"], spec["last"])
            article = CleanArticle(
                seed=page["page"], part=part, title=spec["title"], date=str(date) if date else None,
                paragraphs=[Paragraph("p", text) for text in body], parts=len(page["articles"]),
            )
            out.append((spec, article))
    return out


@pytest.fixture(scope="module")
def extracted(shared_dir, seeds_dir, config):
    return [(spec, extract_entities(article, config)) for spec, article in gold_articles(shared_dir, seeds_dir)]


def _names(items) -> set[str]:
    names = set()
    for item in items:
        names.add(fold(item.name))
        names.update(fold(a) for a in getattr(item, "aliases", []))
    return names


def _recall(extracted, kind: str) -> float:
    hit = total = 0
    for spec, article in extracted:
        have = _names(getattr(article, kind))
        for name in spec.get(kind, []):
            total += 1
            hit += fold(name) in have
    return hit / total


def test_organisation_recall_on_the_seeds(extracted):
    assert _recall(extracted, "organisations") >= 0.95


def test_every_expected_event_is_found(extracted):
    assert _recall(extracted, "events") == 1.0


def test_people_recall_on_the_seeds(extracted):
    assert _recall(extracted, "people") >= 0.90


def test_declared_and_table_aliases_point_at_the_canonical_name(extracted):
    for spec, article in extracted:
        for alias, canonical in (spec.get("aliases") or {}).items():
            orgs = {o.name: o for o in article.organisations}
            assert canonical in orgs, canonical
            assert alias in orgs[canonical].aliases


def test_every_found_name_occurs_in_the_article(extracted):
    for _, article in extracted:
        text = article.clean.title + "".join(p.text for p in article.clean.paragraphs)
        for org in article.organisations:
            assert org.name in text or any(a in text for a in org.aliases), org.name
        for event in article.events:
            assert event.name in text
        for person in article.people:
            assert person.name in text


def test_found_names_have_clean_left_edges(extracted):
    for _, article in extracted:
        for org in article.organisations:
            assert org.name[0] not in "与和在由及、的了为对向", org.name
        for person in article.people:
            assert 2 <= len(person.name) <= 3, person.name


def test_event_dates_and_places_are_resolved_from_the_article(extracted):
    events = {e.name: e for _, article in extracted for e in article.events}
    # 29日 in an article dated 2024-05-30
    assert events["无锡高新区2024年科技和人才工作大会暨产业科技创新人才服务周启动仪式"].date == "2024-05-29"
    # 8月8日上午在锡山区召开
    conference = events["第二届长三角集成电路工业应用一体化发展大会"]
    assert (conference.date, conference.place) == ("2023-08-08", "锡山区")
    meeting = events["一季度联席会议暨校地企融合对接交流会"]
    assert (meeting.date, meeting.place) == ("2025-03-21", "无锡科技职业学院")
    assert "无锡科技职业学院" in meeting.organisations
    # 日前召开, in an undated article: no date can be known
    assert events["无锡市科技镇长团、产业教授、科技副总队伍建设暨深化产才城融合发展推进会"].date is None


def test_sub_units_name_their_parent(extracted):
    orgs = {o.name: o for _, article in extracted for o in article.organisations}
    assert orgs["无锡科技职业学院集成电路学院"].parent == "无锡科技职业学院"
    assert orgs["西安交通大学苏州研究院"].parent == "西安交通大学"
    # a company whose name holds 研究院 is not a sub-unit of anything
    assert orgs["无锡中科德芯光电感知技术研究院有限公司"].parent is None


def test_people_carry_their_role_and_organisation(extracted):
    people = {p.name: p for _, article in extracted for p in article.people}
    assert people["贺齐东"].role == "新吴区工信局副局长"
    assert people["贺齐东"].organisation == "新吴区工信局"
    assert people["胡光明"].role == "无锡科技职业学院党委委员、组织部部长"
