"""Metadata lines and phrases: labelled fields, dates, datelines and bylines.

A metadata line is read into (kind, value) fields: `来源:交大新闻网
日期:2024-11-11` gives a source and a date. Datelines (`中新网江苏新闻5月30日电
(孙权)`, `本报讯`) and closing bylines (`(陈晓云 王子豪)`) are found in the
first and last paragraphs of the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon
from .lines import FULL_DATE, MONTH_DAY, han_count, is_prose

_SEPARATORS = re.compile(r"[\s;；、,，|]+")
_NAME = r"(?!整合|报道|摄影)[\u4e00-\u9fff·]{2,5}?"
# (孙权) (陈晓云 王子豪) (记者 钱伟) (职工通讯员 李琴雯 刘会) (刘通摄)
_BYLINE = re.compile(
    rf"[(（]\s*(?:(?:本报|特约)?(?:记者|通讯员|职工通讯员|实习生|见习记者)\s*)?({_NAME}(?:\s+{_NAME})*)\s*(?:摄|整合|报道)?\s*[)）]")
_CLOSING = re.compile(rf"{_BYLINE.pattern}\s*$")
# 本报讯 / 本站讯 / 中新网江苏新闻5月30日电 / 新华社巴黎12月9日电 / 长江网10月4日讯
# (traditional forms too: first paragraphs are read in the page's own script)
_DATELINE = re.compile(
    r"^\s*(?:(?P<outlet>[\u4e00-\u9fffA-Za-z]{2,16}?)(?P<md>\d{1,2}月\d{1,2}日)(?:电|電|讯|訊)"
    r"|(?P<own>本[报報站网網刊台])[讯訊]|(?P<outlet2>[\u4e00-\u9fff]{2,10}?)[讯訊](?=\s|[(（]|$))")
_ATTRIBUTION = re.compile(r"^[(（]\s*据\s*([^()（）]{2,20}?)\s*(?:报道|消息)?\s*[)）]$")


@dataclass(frozen=True)
class Field:
    kind: str        # source, date, author, photo, editor, tag, title, counter
    value: str


def read_fields(text: str, lexicon: Lexicon, original: str | None = None) -> tuple[str, list[Field]]:
    """Split a line into its labelled fields; return (text before the first label, fields).

    `text` is the simplified view the labels are found in; values are cut
    from `original` (the page's own script) when the two line up.
    """
    if ":" not in text and "：" not in text and "/" not in text:
        return text.strip(), []   # every label is followed by one of these: skip the scan
    source = original if original is not None and len(original) == len(text) else text
    pattern = lexicon.label_pattern
    kinds = lexicon.label_kinds
    matches = list(pattern.finditer(text))
    if not matches:
        return text.strip(), []
    lead = source[:matches[0].start()].strip(" 【[(（")
    fields = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = source[m.end():end].strip().strip("】])）").strip()
        fields.append(Field(kinds[m.group(1).lower()], value))
    return lead, fields


def is_metadata_line(text: str, lexicon: Lexicon) -> bool:
    """The line is made of labelled fields (little text before the first label)."""
    lead, fields = read_fields(text, lexicon)
    if not fields or is_prose(text) and han_count(text) > 60:
        return False
    return han_count(lead) <= 16


def split_names(value: str) -> list[str]:
    """Names in a field value: `党委宣传部 杨敏;苏州市科技局` -> three names."""
    return [n for n in (p.strip(" 【】[]()（）") for p in _SEPARATORS.split(value)) if n]


def person_names(value: str, lexicon: Lexicon) -> list[str]:
    """The people among a credit's names: units (`党委宣传部`) are not authors.

    A Chinese personal name is two to four characters; a longer one, or one
    ending in an organisational unit's suffix, is the unit credited.
    """
    people = []
    for name in split_names(value):
        han = sum(1 for c in name if "\u4e00" <= c <= "\u9fff")
        if han == 0 or (2 <= han <= 4 and not (han >= 3 and name.endswith(lexicon.unit_suffixes))):
            people.append(name)
    return people


def parse_full_date(text: str) -> str | None:
    """The first valid full date in text as YYYY-MM-DD."""
    for m in FULL_DATE.finditer(text):
        year = int(m.group(1))
        month = int(m.group(2) or m.group(4))
        day = int(m.group(3) or m.group(5))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def all_full_dates(text: str) -> list[str]:
    """Every valid full date in text."""
    out = []
    for m in FULL_DATE.finditer(text):
        found = parse_full_date(m.group(0))
        if found:
            out.append(found)
    return out


def month_day(text: str) -> tuple[int, int] | None:
    """The first year-less `3月21日` in text."""
    for m in MONTH_DAY.finditer(text):
        month, day = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return month, day
    return None


@dataclass(frozen=True)
class Dateline:
    outlet: str | None     # the news outlet the dateline names, when it names one
    authors: list[str]


def read_dateline(text: str) -> Dateline | None:
    """The dateline opening a first paragraph, with the byline right after it."""
    m = _DATELINE.match(text)
    if not m:
        return None
    outlet = m.group("outlet") or m.group("outlet2")
    if outlet:
        outlet = re.sub(r"(?:新闻|新聞|消息|报道|報道)$", "", outlet)
        cut = re.search(r"社", outlet)
        outlet = outlet[:cut.end()] if cut else outlet
    after = text[m.end():].lstrip()
    authors: list[str] = []
    byline = _BYLINE.match(after)
    if byline:
        authors = split_names(byline.group(1))
    return Dateline(outlet=outlet or None, authors=authors)


def is_dateline_only(text: str) -> bool:
    """A line holding just a dateline (and byline), e.g. `本站讯`."""
    m = _DATELINE.match(text)
    if not m:
        return False
    rest = _BYLINE.sub("", text[m.end():]).strip()
    return not rest


def closing_byline(text: str, lexicon: Lexicon) -> list[str]:
    """Names in a bracketed byline ending a paragraph, `...。(陈晓云 王子豪)`."""
    m = _CLOSING.search(text)
    if not m or m.start() == 0:
        return []
    names = split_names(m.group(1))
    if any(n in lexicon.not_names or n.startswith(("据", "见", "注")) for n in names):
        return []
    return names


def ends_with_closing_mark(text: str, lexicon: Lexicon) -> bool:
    """A paragraph that closes an article: a byline, `(完)` or `(据新华社)`."""
    stripped = text.rstrip()
    if closing_byline(stripped, lexicon):
        return True
    return bool(re.search(r"[(（]\s*(?:完|全文完|据[^()（）]{2,12})\s*[)）]$", stripped))


def attribution(text: str) -> str | None:
    """`(据新华社)` on its own line -> 新华社."""
    m = _ATTRIBUTION.match(text.strip())
    return m.group(1) if m else None


def strip_title_prefix(title: str, lexicon: Lexicon, probe: str | None = None) -> str:
    """`当前关注:标题` -> `标题` (the prefix is looked for in the simplified `probe`)."""
    view = probe if probe is not None and len(probe) == len(title) else title
    for prefix in lexicon.title_prefixes:
        m = re.match(rf"^\s*{re.escape(prefix)}\s*[:：]\s*", view)
        if m and title[m.end():].strip():
            return title[m.end():].strip()
    return title.strip()
