"""The lines around an article's body: its headline, subtitle and metadata fields.

Above the body a page prints the headline (often also in the page's title
line, with the site's name after it), maybe a subtitle, then date, source,
author and view counters; below it, bylines, editors, tags, an original
title. Everything else around the body is chrome, with its reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lines as L
from .chrome import PageLine, Roles, chrome_reason, is_legal, is_tail_opener, is_widget
from .lexicon import Lexicon
from .metadata import Field, attribution, is_metadata_line, read_dateline, read_fields

FOOTER_SCAN = 12          # non-empty lines after the body searched for footer fields
MAX_VALUE_HAN = 24        # a field's value printed alone on the next line is short


@dataclass
class Frame:
    title: str | None = None
    title_probe: str | None = None
    title_line: int | None = None
    subtitle: str | None = None
    fields: list[Field] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)   # index -> why the line is not body


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_candidate(p: PageLine, role: Roles, lexicon: Lexicon) -> bool:
    """Could this line be a headline?"""
    text = p.probe
    han = L.han_count(text)
    if han < 4 or han > 80 or role.stop or role.feed or L.is_prose(text):
        return False
    if text.rstrip().endswith((":", "：")) or L.is_bracketed(text):
        return False
    if is_metadata_line(text, lexicon) or L.is_breadcrumb(text) or L.is_timestamp(text):
        return False
    return not (L.is_url(text) or L.has_email(text) or is_widget(text, lexicon) or is_legal(text, lexicon)
                or is_tail_opener(text, lexicon) or L.is_keyword_salad(text))


def _strip_site_suffix(text: str) -> str:
    """`标题-网站名` / `标题_栏目_网站` -> the longest part, the headline."""
    parts = [p.strip() for p in re.split(r"\s*(?:--|_|\||｜|\s-\s|-)\s*", text) if p.strip()]
    return max(parts, key=L.han_count) if parts else text


def _take_fields(page: list[PageLine], roles: list[Roles], order: list[int], lexicon: Lexicon,
                 frame: Frame, where: str) -> None:
    """Read the metadata lines among `order` into the frame; their values may sit on the next line."""
    skip: set[int] = set()
    for n, i in enumerate(order):
        if i in skip or i in frame.reasons:
            continue
        text = page[i].text
        probe = page[i].probe
        source = attribution(probe)
        if source:
            frame.fields.append(Field("source", attribution(text) or source))
            frame.reasons[i] = "metadata: source attribution"
            continue
        if is_metadata_line(probe, lexicon):
            lead, fields = read_fields(probe, lexicon, original=text)
            if lead and where == "header" and L.is_timestamp(lead):
                # `2024-05-30 14:55 来源:新华日报`: the stamp needs no label of its own.
                fields = [Field("date", lead), *fields]
            for f in fields:
                value = f.value
                nxt = order[n + 1] if n + 1 < len(order) else None
                if not value and nxt is not None and _is_value(page[nxt].probe, lexicon):
                    value = page[nxt].text.strip()
                    skip.add(nxt)
                    frame.reasons[nxt] = f"metadata: {f.kind} (value of the line before)"
                frame.fields.append(Field(f.kind, value))
            if lead and re.search(r"(供稿|供图)$", lead):
                frame.fields.append(Field("author", re.sub(r"(供稿|供图)$", "", lead)))
            kinds = ", ".join(dict.fromkeys(f.kind for f in fields))
            frame.reasons[i] = f"metadata: {kinds}"
            continue
        if L.is_timestamp(probe) and where == "header":
            frame.fields.append(Field("date", probe))
            frame.reasons[i] = "metadata: date"


def _is_value(text: str, lexicon: Lexicon) -> bool:
    return 0 < len(text) and L.han_count(text) <= MAX_VALUE_HAN and not L.is_prose(text) \
        and not is_metadata_line(text, lexicon) and not is_tail_opener(text, lexicon)


def read_header(page: list[PageLine], roles: list[Roles], lo: int, hi: int, lexicon: Lexicon,
                page_title: str | None, headline: int | None = None) -> Frame:
    """Headline, subtitle and fields among lines [lo, hi) above a body."""
    frame = Frame()
    order = [i for i in range(lo, hi) if page[i].probe]
    if headline is None:
        headline = _choose_headline(page, roles, order, lexicon, page_title)
    if headline is not None:
        frame.title, frame.title_line = page[headline].text.strip(), headline
        frame.title_probe = page[headline].probe.strip()
        frame.reasons[headline] = "metadata: title"
        after = [i for i in order if i > headline]
        if len(after) >= 2 and _is_candidate(page[after[0]], roles[after[0]], lexicon) \
                and (is_metadata_line(page[after[1]].probe, lexicon) or L.is_timestamp(page[after[1]].probe)):
            frame.subtitle = page[after[0]].text.strip()
            frame.reasons[after[0]] = "metadata: subtitle"
        _take_fields(page, roles, after, lexicon, frame, "header")
    for i in order:
        if i not in frame.reasons:
            frame.reasons[i] = "before the article: " + chrome_reason(page[i].probe, lexicon, roles[i])
    return frame


def _choose_headline(page: list[PageLine], roles: list[Roles], order: list[int], lexicon: Lexicon,
                     page_title: str | None) -> int | None:
    candidates = [i for i in order if _is_candidate(page[i], roles[i], lexicon)]
    if page_title:
        folded = _fold(page_title)
        # A page-title line carrying a site or section suffix ("栏目--某网站")
        # is always "inside" the page title, yet may hold no headline at all:
        # it is the headline only when no line nearer the body is a candidate.
        first = order[0] if order else None
        title_line = first if first is not None and _fold(page[first].probe) == folded \
            and _strip_site_suffix(page[first].probe) != page[first].probe.strip() else None
        inside = [i for i in candidates if i != title_line and _fold(page[i].probe) in folded
                  and L.han_count(page[i].probe) * 10 >= L.han_count(page_title) * 4]
        # The first line is the page title only by position (a text dump's first
        # line): a later headline with a byline or dateline under it wins, unless
        # it comes right after the first line (then it is the subtitle).
        later = [i for i in candidates if len(order) > 1 and i > order[1]]
        if inside and not (inside == [order[0]] and any(_above_byline(page, i, lexicon) for i in later)):
            return inside[-1]
    if candidates:
        return candidates[-1]
    return None


def _above_byline(page: list[PageLine], i: int, lexicon: Lexicon) -> bool:
    """Whether the next line with text after line i is a date or metadata line, or a
    paragraph opening with a dateline (`本报讯 3月7日,...`)."""
    below = next((p.probe for p in page[i + 1:] if p.probe), "")
    return is_metadata_line(below, lexicon) or L.is_timestamp(below) or read_dateline(below) is not None


def read_footer(page: list[PageLine], roles: list[Roles], lo: int, lexicon: Lexicon) -> Frame:
    """Fields among the lines after a body (up to a related list or legal footer), the rest chrome."""
    frame = Frame()
    order = [i for i in range(lo, len(page)) if page[i].probe]
    scan: list[int] = []
    for i in order[:FOOTER_SCAN]:
        if is_tail_opener(page[i].probe, lexicon) or is_legal(page[i].probe, lexicon) or roles[i].feed:
            break
        scan.append(i)
    _take_fields(page, roles, scan, lexicon, frame, "footer")
    for i in order:
        if i not in frame.reasons:
            frame.reasons[i] = "after the article: " + chrome_reason(page[i].probe, lexicon, roles[i])
    return frame


def site_suffix_free(text: str) -> str:
    """A page title line reduced to its headline."""
    return _strip_site_suffix(text)
