"""Publishers printed without a label: beside the dateline, or closing the article.

Many pages print the publisher as a bare name on the line next to the
dateline (`香港電台-財經` above `2024年5月22日週三 上午8:21`, `中時` under
`15:312018/09/16`), or close a bulletin with the issuing agency in brackets
(`（万载县统计局）`). These are read only after every labelled source and
stamp, and only from lines whose shape is a name: short, no sentence
punctuation, no widget, place, counter or label, and not a menu item the page
repeats.
"""
from __future__ import annotations

import re
from collections import Counter

from . import lines as L
from .chrome import PageLine, is_legal, is_tail_opener, is_widget
from .lexicon import Lexicon
from .metadata import Field, clean_source, credit_roles, is_metadata_line, parse_full_date

NAME_MAX_HAN = 16          # a publisher's name line is short
NAME_MAX_CHARS = 30
MENU_REPEATS = 3           # a line standing this often on the page is a menu item (社會)
LINES_AFTER = 2            # lines after a dateline searched for the name
LINES_BEFORE = 3           # lines before it (under the headline)
SHORT_SUBTITLE_HAN = 6     # a 'subtitle' this short between headline and dateline is a name
_CLAUSE = re.compile(r"[，,。；;！!？?、：:—]")
_COUNTER = re.compile(r"\d+\s*(?:人|次|条|楼|层|篇|个|页|分钟|小时|天)|[(（]\d+[)）]")   # 尚余0篇, 1938人参与
_ITEMS = re.compile(r">>?|»|›|/|\|")     # breadcrumb and menu separators
_CLOSING_AGENCY = re.compile(r"^[(（]\s*([^()（）\s]{4,24})\s*[)）]$")


def names_beside_dateline(page: list[PageLine], order: list[int], fields: list[Field], taken: dict[int, str],
                          headline: int | None, lexicon: Lexicon) -> list[tuple[int, str, int]]:
    """(line index, name, the dateline's line number) for the publisher line standing
    beside each dateline.

    `order` holds the indexes of the header's non-empty lines, `fields` the fields
    read from them (a date field names its line), `taken` the lines already used
    (headline, fields). Looked at: the lines between the headline and the
    dateline, nearest the dateline first, then up to LINES_AFTER lines after
    it. A name the page prints elsewhere too (in a breadcrumb, a footer) is
    preferred: a column or publisher is named more than once, a button
    beside the dateline (a column tag) once.
    """
    dated = [f for f in fields if f.kind == "date" and parse_full_date(f.value)]
    if not dated:
        return []       # most headers: no need to index the page's lines and count them
    numbers = {p.number: i for i, p in enumerate(page)}
    datelines = [numbers[f.line] for f in dated if f.line in numbers]
    counts = Counter(p.probe.strip() for p in page if p.probe)
    title = page[headline].probe if headline is not None else ""
    found: list[tuple[int, str, int]] = []
    for at in dict.fromkeys(datelines):
        if at not in order:
            continue
        k = order.index(at)
        between = [i for i in reversed(order[max(0, k - LINES_BEFORE):k]) if headline is None or headline < i]
        names = {}
        for i in between + order[k + 1:k + 1 + LINES_AFTER]:
            why = taken.get(i, "")
            if why and not (why.startswith("metadata: subtitle") and _names_a_unit(page[i].probe, lexicon)):
                continue        # the headline, a field: only a 'subtitle' that is a credit is looked at
            name = _name_line(page[i].probe, page[i].text, counts, title, lexicon)
            if name:
                names[i] = name
        elsewhere = [i for i in names if _printed_elsewhere(page, i, names[i])]
        # The line right before the dateline (a follow button alone on its line does not
        # count: `管不饿` / `关注` / dateline), else one of the lines after it.
        above = [i for i in reversed(order[:k]) if not _self_button(page[i].probe, lexicon)][:1]
        beside = [i for i in above + order[k + 1:k + 1 + LINES_AFTER] if i in names]
        chosen = (elsewhere or beside or [None])[0]
        if chosen is not None:
            found.append((chosen, names[chosen], page[at].number))
    return found


def _self_button(text: str, lexicon: Lexicon) -> bool:
    """A follow/subscribe button alone on its line (`关注`)."""
    return text.strip() in lexicon.name_buttons


def _printed_elsewhere(page: list[PageLine], at: int, name: str) -> bool:
    """The page prints the name again as a line of its own or a breadcrumb item."""
    for k, p in enumerate(page):
        for line in (p.probe, p.text):
            if k != at and name in line and name in [x.strip() for x in _ITEMS.split(line)]:
                return True
    return False


def _names_a_unit(text: str, lexicon: Lexicon) -> bool:
    """A 'subtitle' that is a credit: the issuing units' names (`宜春市统计局
    国家统计局宜春调查队`), an account with its follow button (`无锡日报关注`), or a
    name too short for a subtitle (`科技日报` between the headline and the dateline)."""
    first = text.split()[0] if text.split() else ""
    if _CLAUSE.search(text):
        return False
    return (first.endswith(lexicon.unit_suffixes) or text.strip().endswith(lexicon.name_buttons)
            or L.han_count(text) <= SHORT_SUBTITLE_HAN)


def _name_line(probe: str, text: str, counts: Counter, title: str, lexicon: Lexicon) -> str | None:
    """The publisher's name when the line is one, else None (not the headline again,
    not a byline with its role: `某某工程新闻发言人 李明`, `楼主`)."""
    probe = probe.strip()
    han = L.han_count(probe)
    if not 2 <= han <= NAME_MAX_HAN or len(probe) > NAME_MAX_CHARS or _CLAUSE.search(probe):
        return None
    if title and (probe in title or title in probe):
        return None
    if any(len(role) >= 2 and role in probe for role in _credit_roles(lexicon)):
        return None
    if counts.get(probe, 0) >= MENU_REPEATS or probe.startswith(lexicon.place_markers) or _COUNTER.search(probe):
        return None
    if (L.is_prose(probe) or L.is_timestamp(probe) or L.is_breadcrumb(probe) or L.is_url(probe)
            or L.is_number_only(probe) or is_metadata_line(probe, lexicon) or is_tail_opener(probe, lexicon)
            or is_legal(probe, lexicon)):
        return None
    if _self_button(probe, lexicon):
        return None
    shown = text.strip() if len(text.strip()) == len(probe) else probe
    for button in lexicon.name_buttons:
        if probe.endswith(button) and len(probe) > len(button) + 1:
            probe, shown = probe[:-len(button)].rstrip(), shown[:-len(button)].rstrip()
            break
    if is_widget(probe, lexicon):
        return None
    return clean_source(shown, lexicon)


def _credit_roles(lexicon: Lexicon) -> tuple[str, ...]:
    """Roles of a byline (记者, 编辑, 发言人, 楼主): a line holding one credits a person."""
    return tuple(credit_roles(lexicon)) + lexicon.byline_roles


def closing_agency(text: str, lexicon: Lexicon) -> str | None:
    """`（万载县统计局）` closing a bulletin: the issuing unit, when its name ends like one."""
    m = _CLOSING_AGENCY.match(text.strip())
    if not m or L.han_count(m.group(1)) < 4:
        return None
    name = m.group(1)
    if name.startswith(("据", "完", "注")) or not name.endswith(lexicon.unit_suffixes):
        return None
    return name
