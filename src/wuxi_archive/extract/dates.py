"""Dates written in an article (`29日`, `8月8日上午`, `2023年8月8日`), resolved
against the article's own date."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# 2023年8月8日, 8月8日上午, 29日, 5月10-12日 (the first day of a range).
# A day is not a date when it is part of 日前/近日/今日 or a dateline (…5月30日电).
DATE_EXPRESSION = re.compile(
    r"(?:(?P<year>(?:19|20)\d\d)年)?(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})(?:[-—–至到~]\d{1,2})?[日号]"
    r"(?:上午|下午|晚上|晚|早上|中午|凌晨)?(?!电)"
)
# How far after the article's date a month-and-day may lie and still be this year.
_FORWARD_DAYS = 45


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int


def date_mentions(text: str) -> list[DateMention]:
    """Every date expression in `text`, with what it states."""
    found = []
    for m in DATE_EXPRESSION.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        year = int(m.group("year")) if m.group("year") else None
        month = int(m.group("month")) if m.group("month") else None
        found.append(DateMention(m.start(), m.end(), year, month, int(m.group("day"))))
    return found


def resolve(mention: DateMention, article_date: str | None) -> str | None:
    """YYYY-MM-DD for a date expression, or None when it cannot be known.

    `29日` in an article dated 2024-05-30 is 2024-05-29; a day after the
    article's day belongs to the month before. `8月8日` takes the article's
    year unless that puts it well after the article (then the year before).
    """
    base = _parse(article_date)
    if mention.year and mention.month:
        return _iso(mention.year, mention.month, mention.day)
    if base is None:
        return None
    if mention.month:
        candidate = _date(base.year, mention.month, mention.day)
        if candidate and (candidate - base).days > _FORWARD_DAYS:
            candidate = _date(base.year - 1, mention.month, mention.day)
        return candidate.isoformat() if candidate else None
    year, month = base.year, base.month
    if mention.day > base.day:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    candidate = _date(year, month, mention.day)
    return candidate.isoformat() if candidate else None


def _parse(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _iso(year: int, month: int, day: int) -> str | None:
    value = _date(year, month, day)
    return value.isoformat() if value else None
