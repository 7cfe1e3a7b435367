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
from .credits import closing_agency, names_beside_dateline
from .lexicon import Lexicon
from .metadata import (Field, attribution, byline_names, is_metadata_line, parse_full_date, read_fields, stamp_date,
                       stamp_source)
from .title import choose_title, weak_title_warning

FOOTER_SCAN = 12          # non-empty lines after the body searched for footer fields
MAX_VALUE_HAN = 24        # a field's value printed alone on the next line is short
DATELINE_REACH = 6        # lines above the headline still read for its dateline and fields


@dataclass
class Frame:
    title: str | None = None
    title_probe: str | None = None
    title_line: int | None = None
    subtitle: str | None = None
    fields: list[Field] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)   # index -> why the line is not body
    warnings: list[str] = field(default_factory=list)       # e.g. a headline chosen on weak evidence


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


def _take_fields(page: list[PageLine], roles: list[Roles], order: list[int], lexicon: Lexicon,
                 frame: Frame, where: str) -> None:
    """Read the metadata lines among `order` into the frame; their values may sit on the next line."""
    skip: set[int] = set()
    for n, i in enumerate(order):
        if i in skip or i in frame.reasons:
            continue
        text = page[i].text
        probe = page[i].probe
        # `(据新华社)`, and under the article a bulletin's issuing unit, `（万载县统计局）`
        source = attribution(probe) or (closing_agency(probe, lexicon) if where == "footer" else None)
        if source:
            frame.fields.append(Field("source", attribution(text) or closing_agency(text, lexicon) or source,
                                      where, page[i].number))
            frame.reasons[i] = "metadata: source attribution"
            continue
        if is_metadata_line(probe, lexicon):
            lead, fields = read_fields(probe, lexicon, original=text)
            fields = _stamp_fields(probe, text, lead, fields, lexicon, where)
            for k, f in enumerate(fields):
                value = f.value
                nxt = order[n + 1] if n + 1 < len(order) else None
                # Only the line's last label may have its value on the next line: an empty
                # `来源： 访问量：199` names no source, and the next line is not its value.
                if not value and k == len(fields) - 1 and nxt is not None and _is_value(page[nxt].probe, lexicon):
                    value = page[nxt].text.strip()
                    skip.add(nxt)
                    frame.reasons[nxt] = f"metadata: {f.kind} (value of the line before)"
                place = f"{where} stamp" if f.where == "stamp" else where
                frame.fields.append(Field(f.kind, value, place, page[i].number))
            if lead and re.search(r"(供稿|供图)$", lead):
                frame.fields.append(Field("author", re.sub(r"(供稿|供图)$", "", lead), where, page[i].number))
            kinds = ", ".join(dict.fromkeys(f.kind for f in fields))
            frame.reasons[i] = f"metadata: {kinds}"
            continue
        if byline_names(probe, lexicon):
            # `记者 张敏 通讯员 李琴雯`: a byline with roles and no label
            frame.fields.append(Field("author", text.strip(), where, page[i].number))
            frame.reasons[i] = "metadata: author (a byline)"
            continue
        if L.is_timestamp(probe) and where != "footer":
            frame.fields.append(Field("date", probe, where, page[i].number))
            frame.reasons[i] = "metadata: date"


def _stamp_fields(probe: str, text: str, lead: str, fields: list[Field], lexicon: Lexicon,
                  where: str) -> list[Field]:
    """The fields a dateline gives with no label of its own: its date (`2024-05-30
    14:55 来源:新华日报`, `2022-06-02 09:52:19某某评论`) and, above the body, the publisher
    named beside it (`2024-05-09 22:30·新华社`: a `dateline_source`, which counts when
    no labelled source does). Below the body a name beside a stamp is as often a
    commenter's as the author's (`posted @ 2024-05-09 14:45 某博主`): a
    `footer_source`, the last resort."""
    # A labelled line's date needs no label of its own wherever it stands
    # (`来源:无锡日报 作者:张敏 刘洋 2025-06-12`); an unlabelled line must be a stamp.
    stamp = parse_full_date(probe) if fields else stamp_date(probe)
    if stamp is None:
        return fields
    out = list(fields)
    if not any(f.kind == "date" and parse_full_date(f.value) for f in fields):
        out.insert(0, Field("date", stamp, "stamp" if not fields else ""))   # unlabelled: a stamp
    if not any(f.kind == "source" for f in fields):
        source = stamp_source(lead if fields else probe, lexicon, original=text[:len(lead)] if fields else text)
        if source:
            out.append(Field("dateline_source" if where != "footer" else "footer_source", source))
    return out


def _near_body(order: list[int], headline: int | None) -> list[int]:
    """The lines above the headline (all lines when none was found) that stand close enough
    to the body for a dateline there to be the article's: the headline choice may have
    passed over the real headline and its dateline."""
    above = [i for i in order if headline is None or i < headline]
    return above[-DATELINE_REACH:]


def _is_value(text: str, lexicon: Lexicon) -> bool:
    return 0 < len(text) and L.han_count(text) <= MAX_VALUE_HAN and not L.is_prose(text) \
        and not is_metadata_line(text, lexicon) and not is_tail_opener(text, lexicon)


def read_header(page: list[PageLine], roles: list[Roles], lo: int, hi: int, lexicon: Lexicon,
                page_title: str | None, headline: int | None = None) -> Frame:
    """Headline, subtitle and fields among lines [lo, hi) above a body."""
    frame = Frame()
    order = [i for i in range(lo, hi) if page[i].probe]
    if headline is None:
        headline = _choose_headline(page, roles, order, hi, lexicon, page_title, frame)
    else:
        frame.title, frame.title_line = page[headline].text.strip(), headline
        frame.title_probe = page[headline].probe.strip()
        frame.reasons[headline] = "metadata: title"
    if headline is not None:
        after = [i for i in order if i > headline]
        if len(after) >= 2 and _is_candidate(page[after[0]], roles[after[0]], lexicon) \
                and (is_metadata_line(page[after[1]].probe, lexicon) or L.is_timestamp(page[after[1]].probe)):
            frame.subtitle = page[after[0]].text.strip()
            frame.reasons[after[0]] = "metadata: subtitle"
        _take_fields(page, roles, after, lexicon, frame, "header")
    _take_fields(page, roles, _near_body(order, headline), lexicon, frame, "above")
    for i, name, dateline in names_beside_dateline(page, order, frame.fields, frame.reasons, headline, lexicon):
        frame.fields.append(Field("neighbour_source", name, "header", dateline))
        if frame.reasons.get(i, "").startswith("metadata: subtitle"):
            frame.subtitle = None       # the line under the headline was a credit, not a subtitle
        frame.reasons[i] = "metadata: source (a name beside the dateline)"
    for i, why in list(frame.reasons.items()):
        if why == "metadata: subtitle" and byline_names(page[i].probe, lexicon):
            frame.fields.append(Field("author", page[i].text.strip(), "header", page[i].number))
            frame.reasons[i] = "metadata: author (a byline)"
            frame.subtitle = None       # `本报记者 张敏` under the headline is a byline, not a subtitle
    for i in order:
        if i not in frame.reasons:
            frame.reasons[i] = "before the article: " + chrome_reason(page[i].probe, lexicon, roles[i])
    return frame


def _choose_headline(page: list[PageLine], roles: list[Roles], order: list[int], hi: int, lexicon: Lexicon,
                     page_title: str | None, frame: Frame) -> int | None:
    """The best-scored candidate (title.py); its text, evidence and any weakness go into the frame."""
    choice = choose_title(page, roles, order, hi, lexicon, page_title)
    best = choice.chosen
    if best is None:
        return None
    frame.title, frame.title_probe, frame.title_line = best.text, best.probe, best.last
    for i in range(best.first, best.last + 1):
        if page[i].probe:
            frame.reasons[i] = f"metadata: title ({best.evidence()})"
    warning = weak_title_warning(choice)
    if warning:
        frame.warnings.append(warning)
    return best.last


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


