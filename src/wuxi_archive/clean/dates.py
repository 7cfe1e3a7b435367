"""Publication dates: explicit when the page prints one, inferred only from evidence.

A year-less `3月21日` gets its year from the page itself: the latest full
date printed elsewhere on it (list timestamps, other articles), or else the
year the text mentions most (`2023年`, `2023版`). The basis is recorded;
without evidence the date stays null, never made up.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from .lines import YEAR_MENTION
from .metadata import Field, all_full_dates, month_day, parse_full_date, stamp_date


@dataclass(frozen=True)
class DateFinding:
    date: str | None
    basis: str


NONE = DateFinding(None, "none")


@dataclass(frozen=True)
class PageEvidence:
    """Years a page offers for dating year-less days."""
    full_dates: tuple[str, ...]     # full dates printed outside legal footers
    years: tuple[int, ...]          # years mentioned in the article text
    meta_dates: tuple[str, ...] = ()  # publication dates a saved web page's <meta> tags give


class _EvidenceWhenAsked:
    """PageEvidence whose dates and years are read from the page on first use.

    Only an article dated by a year-less day asks for them (infer_year), and
    reading every full date of every line cost a twentieth of the cleaning.
    """

    def __init__(self, other_lines: list[str], article_text: str, meta_dates: tuple[str, ...]) -> None:
        self._other_lines, self._article_text = other_lines, article_text
        self.meta_dates = meta_dates

    @cached_property
    def full_dates(self) -> tuple[str, ...]:
        return tuple(sorted({d for text in self._other_lines for d in all_full_dates(text)}))

    @cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(int(y) for y in YEAR_MENTION.findall(self._article_text))


def page_evidence(other_lines: list[str], article_text: str, meta_values: list[str] = ()) -> PageEvidence:
    """The page's evidence for dating year-less days (read when first asked for)."""
    meta = tuple(d for d in (parse_full_date(v) for v in meta_values) if d)
    return _EvidenceWhenAsked(other_lines, article_text, meta)   # type: ignore[return-value]


def infer_year(month: int, day: int, evidence: PageEvidence) -> DateFinding:
    """Date a year-less day from the page's evidence, or say there is none."""
    if evidence.full_dates:
        latest = evidence.full_dates[-1]
        year = int(latest[:4])
        if (month, day) > (int(latest[5:7]), int(latest[8:10])):
            year -= 1      # the page was printed after the day it reports
        return DateFinding(f"{year:04d}-{month:02d}-{day:02d}",
                           f"year inferred from the latest full date elsewhere on the page ({latest})")
    if evidence.years:
        counts = Counter(evidence.years)
        year = max(counts, key=lambda y: (counts[y], y))
        return DateFinding(f"{year:04d}-{month:02d}-{day:02d}",
                           f"year inferred from the year the text mentions most ({year})")
    return DateFinding(None, f"none: {month}月{day}日 is printed but the page gives no year")


def date_of_article(fields: list[Field], first_paragraph: str, evidence: PageEvidence,
                    body_top: list[str] = ()) -> DateFinding:
    """The article's date, from the strongest evidence the page gives.

    The dateline near the headline wins over any date in the body:

    1. a date printed under the headline (a labelled field or a stamp); of
       several there (`最新推荐文章于 …` above `作者 于 … 发布`, or published
       and updated), the earliest is the publication;
    2. a dateline over the headline, near the body (the nearest), when the
       headline choice passed over it;
    3. a labelled date field after the article (`发布日期：…` at the foot);
    4. a saved web page's <meta> publication date;

    and only when the page gives none, a date inside the article or a stamp
    under it, said so in the basis: a dateline at the very top of the body, an
    unlabelled stamp under it (`posted @ …`, or a comment's), the opening
    paragraph's full date, or its year-less day with the year inferred.
    """
    def dates(*places: str) -> list[str]:
        return [d for f in fields if f.kind == "date" and f.where in places for d in [parse_full_date(f.value)] if d]

    under, above = dates("header", "header stamp"), dates("above", "above stamp")
    after, unplaced = dates("footer"), dates("")
    if under:
        return DateFinding(min(under), "explicit")
    if above:
        return DateFinding(above[-1], "explicit on a dateline above the headline")
    if after or unplaced:
        return DateFinding((after or unplaced)[0], "explicit")
    if evidence.meta_dates:
        return DateFinding(evidence.meta_dates[0], "explicit in the page's meta data")
    for line in body_top:
        found = stamp_date(line)
        if found:
            return DateFinding(found, "in the article: a dateline at the top of the body (the page prints no other)")
    stamped = dates("footer stamp")
    if stamped:      # an unlabelled stamp under the article: a blog's `posted @`, or a comment's
        return DateFinding(stamped[0], "a stamp under the article (the page prints no dateline)")
    found = parse_full_date(first_paragraph)
    if found:
        return DateFinding(found, "explicit in the opening paragraph")
    md = month_day(first_paragraph)
    if md:
        return infer_year(md[0], md[1], evidence)
    return NONE
