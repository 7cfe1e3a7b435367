"""Metadata lines and phrases: labelled fields, dates, datelines and bylines.

A metadata line is read into (kind, value) fields: `来源:交大新闻网
日期:2024-11-11` gives a source and a date. Datelines (`中新网江苏新闻5月30日电
(孙权)`, `本报讯`) and closing bylines (`(陈晓云 王子豪)`) are found in the
first and last paragraphs of the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .datetext import find_dates, first_date, without_dates
from .lexicon import Lexicon, remembered
from .lines import MONTH_DAY, TIME, han_count, is_prose
from .memo import text_memo

_SEPARATORS = re.compile(r"[\s;；、,，|]+")
_NAME = r"(?!整合|报道|摄影)[\u4e00-\u9fff·]{2,5}?"
# (孙权) (陈晓云 王子豪) (记者 钱伟) (职工通讯员 李琴雯 刘会) (刘通摄)
_BYLINE = re.compile(
    rf"[(（]\s*(?:(?:本报|特约)?(?:记者|通讯员|职工通讯员|实习生|见习记者)\s*)?({_NAME}(?:\s+{_NAME})*)\s*(?:摄|整合|报道)?\s*[)）]")
_CLOSING = re.compile(rf"{_BYLINE.pattern}\s*$")
# 本报讯 / 本站讯 / 中新网江苏新闻5月30日电 / 新华社巴黎12月9日电 / 长江网10月4日讯
# (traditional forms too: first paragraphs are read in the page's own script)
_DATELINE = re.compile(
    r"^\s*[(（]?(?:(?P<outlet>[\u4e00-\u9fffA-Za-z]{2,16}?)(?P<md>(?:\d{1,2}月)?\d{1,2}日)(?:电|電|讯|訊)"
    r"|(?P<own>本[报報站网網刊台])[讯訊]|(?P<outlet2>[\u4e00-\u9fff]{2,10}?)[讯訊](?=\s|[(（]|$))")
_ATTRIBUTION = re.compile(r"^[(（]\s*据\s*([^()（）]{2,20}?)\s*(?:报道|消息)?\s*[)）]$")


@dataclass(frozen=True)
class Field:
    kind: str        # source, date, author, photo, editor, tag, title, counter
    value: str
    where: str = ""  # header (under the headline), above (over it, near the body), footer
    line: int = 0    # the page line it was read from (0: not known)


def read_fields(text: str, lexicon: Lexicon, original: str | None = None) -> tuple[str, list[Field]]:
    """Split a line into its labelled fields; return (text before the first label, fields).

    `text` is the simplified view the labels are found in; values are cut
    from `original` (the page's own script) when the two line up.
    """
    if ":" not in text and "：" not in text and "/" not in text:
        return text.strip(), []   # every label is followed by one of these: skip the scan
    if original == text:
        original = None     # values cut from the same text: the answer the roles already asked for
    # The line roles, the run's line kinds and the header ask about the same lines.
    memo = lexicon.fields_memo
    key = (text, original)
    if key not in memo:
        if len(memo) >= FIELDS_MEMO_SIZE:
            memo.clear()
        memo[key] = _read_fields(text, lexicon, original)
    lead, fields = memo[key]
    return lead, list(fields)


def _read_fields(text: str, lexicon: Lexicon, original: str | None) -> tuple[str, tuple[Field, ...]]:
    source = original if original is not None and len(original) == len(text) else text
    kinds = lexicon.label_kinds
    matches = list(lexicon.label_pattern.finditer(text))
    if len(text) <= GLUED_MAX_CHARS and not is_prose(text):
        # A short credit line may glue its labels to the value before them:
        # `2019-09-26 12:11来源：证券时报网作者：李在山`.
        glued = [m for m in _glued_pattern(lexicon.labels).finditer(text)
                 if not any(s.start() <= m.start(1) < s.end() for s in matches)]
        matches = sorted(matches + glued, key=lambda m: m.start())
    if not matches:
        return text.strip(), ()
    lead = source[:matches[0].start()].strip(" 【[(（")
    fields = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = source[m.end():end].strip().strip("】])）").strip()
        fields.append(Field(kinds[m.group(1).lower()], value))
    return lead, tuple(fields)


FIELDS_MEMO_SIZE = 50_000   # lines whose fields are remembered (a few hundred pages' worth)
GLUED_MAX_CHARS = 60        # a line short enough for labels glued to the text before them
_GLUED_KINDS = ("source", "date", "author", "editor")


@lru_cache(maxsize=16)
def _glued_pattern(labels: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """Labels of two characters or more of the credit fields, followed by a colon, wherever
    they stand (the lexicon's own pattern wants a space or a bracket before a label)."""
    words = sorted((label for label, kind in labels if kind in _GLUED_KINDS and len(label) >= 2), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words) or r"(?!)"
    return re.compile(rf"(?<=[\d\u4e00-\u9fff])({alternatives})\s*[:：]", re.IGNORECASE)


def is_metadata_line(text: str, lexicon: Lexicon) -> bool:
    """The line is made of labelled fields (little text before the first label), or is a
    dateline stamp (`2024-05-18 16:56发布于…`, see stamp_date)."""
    lead, fields = read_fields(text, lexicon)
    if not fields or is_prose(text) and han_count(text) > 60:
        return stamp_date(text) is not None
    return han_count(lead) <= 16 or stamp_date(text) is not None


STAMP_TIMED_HAN = 24    # words a stamp with a clock time carries beside it (发布于 + an account)
STAMP_BARE_HAN = 8      # ... and one without (`2019-05-17 · 苏皖城市报道`)
STAMP_NOTE_HAN = 40     # ... and a bracketed adoption note opening with its date
_BRACKETED = re.compile(r"^[(（][^()（）]*[)）]$")
_EDGE = " \t\u00a0|·•-—–()（）[]【】:：,，"
_TIME_AFTER = re.compile(r"\s*\d{1,2}:\d\d(?::\d\d)?(?!\d)")
_TIME_BEFORE = re.compile(r"(?<!\d)\d{1,2}:\d\d(?::\d\d)?\s*$")


@text_memo(65536)   # asked of the same header lines by the headline choice and the fields
def stamp_date(text: str) -> str | None:
    """The date of a dateline stamp: a short line that is mostly its date, maybe with a
    time and a source, poster, label or place glued on (`2024-05-18 16:56发布于…`,
    `2022-06-02 09:52:19某某评论`, `15:312018/09/16`, `Dec 28 Sat 2013 00:28`,
    `原创 南方都市报 2019-09-09 16:01:46`).

    The date sits beside a clock time, or at the line's start or end with little
    else; a headline that mentions a date in passing is no stamp.
    """
    if len(text) > 100 or is_prose(text):
        return None
    dates = find_dates(text)
    if not dates:
        return None
    first = dates[0]
    rest = han_count(without_dates(text))
    timed = _TIME_AFTER.match(text, first.end) or _TIME_BEFORE.search(text, 0, first.start)
    if timed:
        return first.date if rest <= STAMP_TIMED_HAN else None
    at_edge = not text[:first.start].strip(_EDGE) or not text[first.end:].strip(_EDGE)
    if at_edge and rest <= STAMP_BARE_HAN:
        return first.date
    # A bracketed line opening with its date: a law's or a bulletin's adoption line
    # under its headline, `（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）`.
    bracketed = _BRACKETED.match(text.strip())
    opens = bracketed and not text[:first.start].strip(_EDGE)
    return first.date if opens and rest <= STAMP_NOTE_HAN else None


def stamp_source(text: str, lexicon: Lexicon, original: str | None = None) -> str | None:
    """The publisher a stamp names beside its date, unlabelled: `2024-05-09 22:30·新华社`,
    `2024年05月10日 00:26 每日经济新闻`, `原创 南方都市报 2019-…`, `…发布于北京经济日报官方账号`.

    Read only when exactly one name is left once the date, time, posting words
    (发布于, 原创), places (来自北京市), widgets, roles and counters are taken
    out: a forum's `发表于 … | 只看该作者 | 倒序浏览` names no publisher.
    `text` is the simplified view the words are found in; the name is cut from
    `original` (the page's own script) when the two line up.
    """
    view = without_dates(text)
    shown = without_dates(original) if original is not None and len(original) == len(text) else view
    if len(shown) != len(view):
        shown = view
    names = []
    for m in _TOKEN.finditer(view):
        token, kept = m.group(0), shown[m.start():m.end()]
        if token.startswith(lexicon.place_markers) or _COUNTER.search(token) or token.endswith((":", "：")):
            continue        # 来自北京市, IP属地:广东, 阅读(430), 1楼, an unknown label (最新更新：)
        posted = next((w for w in _longest_first(lexicon.stamp_words) if token.lower().startswith(w.lower())), "")
        token, kept = token[len(posted):].lstrip(":："), kept[len(posted):].lstrip(":：")
        if not re.search(r"[A-Za-z\u3400-\u9fff]", token) or _is_furniture(token, lexicon) \
                or han_count(token) > MAX_NAME_HAN:
            continue        # marks left of a date (（2023年4月12日）), a widget, a sentence (…会议通过)
        if posted.endswith("于"):
            token, kept = _after_place(token, kept, lexicon)
        names.append(_without_account_suffix(kept, lexicon))
    return names[0] if len(names) == 1 and names[0] else None


_TOKEN = re.compile(r"[^\s|·•/]+")
# 1.3w, 1楼, 阅读(430), 249人参与, 推荐162: counters and buttons with their counts
_COUNTER = re.compile(r"^[\d.,wk万+]+$|\d+\s*[楼层]|[(（]\d+[)）]|\d+人|[\u4e00-\u9fff]\d+$", re.IGNORECASE)
MIN_NAME_AFTER_PLACE = 3    # `北京日报`, with no place before it, keeps its 北京
MAX_NAME_HAN = 16           # a publisher's name is no longer


def _after_place(token: str, kept: str, lexicon: Lexicon) -> tuple[str, str]:
    """`北京经济日报官方账号` after 发布于 -> `经济日报官方账号`: a platform prints the
    poster's place between 发布于 and the account's name."""
    for place in lexicon.ip_places:
        rest = _without_account_suffix(token[len(place):], lexicon)
        if token.startswith(place) and han_count(rest) >= MIN_NAME_AFTER_PLACE:
            return token[len(place):], kept[len(place):]
    return token, kept


def _without_account_suffix(name: str, lexicon: Lexicon) -> str:
    """`经济日报官方账号` -> `经济日报`."""
    for suffix in lexicon.account_suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def _is_furniture(token: str, lexicon: Lexicon) -> bool:
    """A widget (举报, 分享到), a role (记者, 编辑) or a posting word left alone (发布, 回复).
    (A name holding a widget word further in is a name: 央视新闻客户端.)"""
    lower = token.lower()
    return lower.startswith(lexicon.widgets_lower) or token in _roles(lexicon) \
        or lower in lexicon.stamp_words_lower


@lru_cache(maxsize=16)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def credit_roles(lexicon: Lexicon) -> frozenset[str]:
    """Credit roles: the labels of author, photo and editor fields (记者, 通讯员, 责任编辑)."""
    return _roles(lexicon)


def _roles(lexicon: Lexicon) -> frozenset[str]:
    """Credit roles: the labels of author, photo and editor fields (记者, 通讯员, 责任编辑)
    and the roles bylines print before names (发言人, 评论员, 楼主)."""
    return _role_set(lexicon.labels, lexicon.byline_roles)


@lru_cache(maxsize=16)
def _role_set(labels: tuple[tuple[str, str], ...], byline_roles: tuple[str, ...]) -> frozenset[str]:
    return frozenset([label for label, kind in labels if kind in _CREDIT_KINDS] + list(byline_roles))


_CREDIT_KINDS = ("author", "photo", "editor")


def clean_source(value: str, lexicon: Lexicon) -> str | None:
    """A source field's value reduced to the publisher's name: the first name in it, before
    any date or time, without widget words or an attribution's 据 (`人民日报2024-05-13
    08:49` -> 人民日报, `证券市场红周刊 举报` -> 证券市场红周刊, `中国新闻网 李明` ->
    中国新闻网, `据无锡市科技局` -> 无锡市科技局)."""
    dates = find_dates(value)
    if dates:
        value = value[:dates[0].start]
    clock = TIME.search(value)
    if clock:
        value = value[:clock.start()]
    if value.isascii():
        value = value.strip()       # a Latin name keeps its spaces (China Daily)
        return value if re.search(r"[A-Za-z]{2}", value) and not _is_furniture(value, lexicon) else None
    for token in _TOKEN.findall(value):
        token = token.strip("【】[]()（）:：,，。")
        for prefix in lexicon.source_prefixes:
            if token.startswith(prefix) and len(token) > len(prefix) + 1:
                token = token[len(prefix):]
                break
        if re.search(r"[A-Za-z\u3400-\u9fff]", token) and not _is_furniture(token, lexicon):
            return token        # (a dash or a mark alone names no one)
    return None


def split_names(value: str) -> list[str]:
    """Names in a field value: `党委宣传部 杨敏;苏州市科技局` -> three names."""
    return [n for n in (p.strip(" 【】[]()（）") for p in _SEPARATORS.split(value)) if n]


def person_names(value: str, lexicon: Lexicon) -> list[str]:
    """The people among a credit's names: units (`党委宣传部`) are not authors, and
    neither are roles (`记者`, `通讯员`, `责任编辑`), dates, times or widget words.

    A Chinese personal name is two to four characters; a longer one, or one
    ending in an organisational unit's suffix, is the unit credited. A role
    glued before a name is cut off (`本报记者张敏` -> 张敏); a Latin name has
    letters only (`123rf` is a picture agency's code).
    """
    return list(_person_names(value, lexicon))


@remembered     # the same credit lines recur under every article of a site
def _person_names(value: str, lexicon: Lexicon) -> tuple[str, ...]:
    people = []
    for name in split_names(without_dates(value)):
        name = _after_role(re.sub(r"[_＿][A-Za-z0-9]+$", "", name), lexicon)   # 李明_AB1234: a staff code
        if not name or _is_furniture(name, lexicon) or any(c.isdigit() for c in name):
            continue
        han = han_count(name)
        if han == 0 and not re.fullmatch(r"[A-Za-z][A-Za-z.'-]+", name):
            continue
        if han == 0 or (2 <= han <= 4 and not (han >= 3 and name.endswith(lexicon.unit_suffixes))):
            people.append(name)
    return tuple(people)


BYLINE_MAX_HAN = 30        # a byline of roles and names is short


def byline_names(text: str, lexicon: Lexicon) -> list[str]:
    """The people a bare byline names: a short line of credit roles and names only, with
    no label (`记者 张敏 通讯员 李琴雯`, `新华社记者李明、王芳、张强`, `某刊记者
    王明`). Empty for any other line: one word that is neither a role nor a name
    (a sentence, a headline) and the line is no byline."""
    if han_count(text) > BYLINE_MAX_HAN or is_prose(text) or ":" in text or "：" in text:
        return []
    # a bare line is a byline by a person's role (记者, 通讯员), not by a field's label:
    # `资料图片仅供参考` holds the label 图片 and credits nobody
    roles = [r for r in lexicon.byline_roles if len(r) >= 2]
    if not any(r in text for r in roles):
        return []
    for token in split_names(text):
        rest = _after_role(token, lexicon) if any(r in token for r in roles) else token
        if rest and not (2 <= han_count(rest) <= 4 and han_count(rest) == len(rest)):
            return []       # a word that is no name: not a byline
    return person_names(text, lexicon)


def _after_role(name: str, lexicon: Lexicon) -> str:
    """The name after the last role it holds: `本报记者张敏` -> 张敏, `南都见习记者` -> ''.
    (Roles of one character, 文 or 图, only count as the whole token: 张文 is a name.)"""
    cut = 0
    for role in _roles(lexicon):
        if len(role) < 2:
            continue
        at = name.rfind(role)
        if at >= 0:
            cut = max(cut, at + len(role))
    return name[cut:].strip(":：丨|/ ")


def parse_full_date(text: str) -> str | None:
    """The first full date in text as YYYY-MM-DD, in any form datetext.py reads."""
    return first_date(text)


def all_full_dates(text: str) -> list[str]:
    """Every full date in text."""
    return [d.date for d in find_dates(text)]


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
        # `（中央社記者邱俊欽桃園19日電）`: the outlet is what stands before the reporter
        outlet = re.split(r"记者|記者", outlet)[0]
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
    # _CLOSING ends in a closing bracket and white space (\s is what rstrip strips): a
    # paragraph ending otherwise (most) is not searched bracket by bracket.
    if not text.rstrip().endswith((")", "）")):
        return []
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
    if ":" not in view and "：" not in view:
        return title.strip()        # every prefix ends in a colon (most titles: no scan per prefix)
    for prefix in lexicon.title_prefixes:
        m = re.match(rf"^\s*{re.escape(prefix)}\s*[:：]\s*", view)
        if m and title[m.end():].strip():
            return title[m.end():].strip()
    return title.strip()
