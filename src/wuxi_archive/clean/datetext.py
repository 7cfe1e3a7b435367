"""Dates as pages print them, read into YYYY-MM-DD.

Forms read (each checked to be a real calendar day, years 1900-2099):

- numeric: `2024-05-11`, `2024/5/11`, `2024.05.11`, `2024 - 05 - 11`;
- Chinese: `2024年5月11日`, `2024年05月11号`, `2024年5月11日 星期六`, and in
  Chinese numerals `二〇二四年五月十一日`;
- full-width digits (`２０２４年５月１１日`, `２０２４－０５－１１`);
- glued to a time by a page that dropped the space: `15:312018/09/16` (a
  time before), `2019-09-3007:42` (a time after), `2022-06-02 09:52:19某某评论`
  (text after);
- English: `Dec 28 Sat 2013`, `December 28, 2013`, `Dec. 28 2013`,
  `28 December 2013`, `Sat, 28 Dec 2013`.

A year-less `5月11日` is not a full date (dates.py infers its year from the
page); neither is `11/05` or a compact `20240511` (an order number as often).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

# Full-width digits and the separators a date uses, folded to ASCII (same length,
# so positions in the folded text are positions in the original).
_FOLD = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
_WIDE = re.compile("[０-９－／．：]")
# Every full date holds a four-digit year (ASCII or full-width) or one in Han numerals.
_YEARISH = re.compile("(?:19|20)[0-9]{2}|[１２][０-９]{3}|[〇零一二三四五六七八九]{4}年")

_YEAR = r"((?:19|20)\d\d)"
# Before the year: no digit, unless a time glued in front (`15:312018/09/16`).
_START = r"(?:(?<!\d)|(?<=\d:\d\d))"
# After the day: no digit, unless a time glued behind (`2019-09-3007:42`).
_END = r"(?:(?!\d)|(?=\d{1,2}:\d\d))"
NUMERIC = re.compile(rf"{_START}{_YEAR}\s*([-/.])\s*(\d{{1,2}})\s*\2\s*(\d{{1,2}}){_END}")
CHINESE = re.compile(rf"{_START}{_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]?{_END}")
_HAN_DIGITS = "〇零一二三四五六七八九"
HAN_NUMERALS = re.compile(rf"([{_HAN_DIGITS}]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})[日号]")
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
           "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
ENGLISH_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_WEEKDAY}{_YEAR}\b", re.IGNORECASE)
ENGLISH_DMY = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    date: str          # YYYY-MM-DD


@lru_cache(maxsize=65536)   # the cleaner asks about the same lines again and again
def find_dates(text: str) -> tuple[DateMatch, ...]:
    """Every full date printed in text, in text order (overlaps resolved to the first)."""
    if not _YEARISH.search(text):
        return ()               # most lines: no year, so no full date can be there
    folded = text.translate(_FOLD) if _WIDE.search(text) else text
    found: list[DateMatch] = []
    for m in NUMERIC.finditer(folded):
        _add(found, m, m.group(1), m.group(3), m.group(4))
    for m in CHINESE.finditer(folded):
        _add(found, m, m.group(1), m.group(2), m.group(3))
    if "年" in folded:
        for m in HAN_NUMERALS.finditer(folded):
            _add(found, m, _han_year(m.group(1)), str(_han_number(m.group(2))), str(_han_number(m.group(3))))
    if re.search(r"[A-Za-z]{3}", folded):
        for m in ENGLISH_MDY.finditer(folded):
            _add(found, m, m.group(3), str(_MONTHS[m.group(1)[:3].lower()]), m.group(2))
        for m in ENGLISH_DMY.finditer(folded):
            _add(found, m, m.group(3), str(_MONTHS[m.group(2)[:3].lower()]), m.group(1))
    found.sort(key=lambda d: d.start)
    kept: list[DateMatch] = []
    for d in found:
        if not kept or d.start >= kept[-1].end:
            kept.append(d)
    return tuple(kept)


def first_date(text: str) -> str | None:
    """The first full date in text as YYYY-MM-DD, or None."""
    dates = find_dates(text)
    return dates[0].date if dates else None


def without_dates(text: str) -> str:
    """Text with its full dates (and clock times) taken out: what a stamp line says besides."""
    out, pos = [], 0
    for d in find_dates(text):
        out.append(text[pos:d.start])
        pos = d.end
    out.append(text[pos:])
    rest = "".join(out).translate(_FOLD)
    rest = re.sub(r"(?<!\d)\d{1,2}:\d\d(?::\d\d)?(?!\d)", " ", rest)
    return re.sub(r"(?:星期|周|週|礼拜|禮拜)[一二三四五六日天]|(?:上午|下午|凌晨|晚上|中午)", " ", rest)


def _add(found: list[DateMatch], m: re.Match, year: str, month: str, day: str) -> None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return
    if 1900 <= value.year <= 2099:
        found.append(DateMatch(m.start(), m.end(), value.isoformat()))


def _han_year(digits: str) -> str:
    return "".join("0" if c in "〇零" else str(_HAN_DIGITS.index(c) - 1) for c in digits)


def _han_number(text: str) -> int:
    """一..三十一 as an int (十一 = 11, 二十 = 20, 三十一 = 31); 0 for what is no number."""
    units = "一二三四五六七八九"
    tens, ten, ones = text.partition("十")
    if not ten:
        tens, ones = "", text
    if len(tens) > 1 or len(ones) > 1 or any(c not in units for c in tens + ones):
        return 0
    return (units.index(tens) + 1 if tens else 1 if ten else 0) * 10 + (units.index(ones) + 1 if ones else 0)
