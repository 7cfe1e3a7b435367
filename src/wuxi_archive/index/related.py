"""Related articles: shared organisations and events first, then nearness in time."""
from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..records import Article

# An event shared by two articles says more about them than a shared
# organisation does (the organisation may be a large, often named body).
EVENT_WEIGHT = 3
ORG_WEIGHT = 1
# Unrelated articles published within this many days still count as related.
NEAR_DAYS = 31


@dataclass
class RelatedLink:
    """One related article and why: the names it shares, or none (near in time)."""

    article_id: str
    shared: list[str] = field(default_factory=list)
    days_apart: int | None = None


def _day(article: Article) -> int | None:
    try:
        return date.fromisoformat(article.clean.date).toordinal() if article.clean.date else None
    except ValueError:
        return None


def _keys(article: Article) -> list[tuple[str, str, int]]:
    keys = [("e", e.name, EVENT_WEIGHT) for e in article.events]
    keys += [("o", o.name, ORG_WEIGHT) for o in article.organisations]
    seen: set[tuple[str, str]] = set()
    unique = []
    for kind, name, weight in keys:
        if (kind, name) not in seen:
            seen.add((kind, name))
            unique.append((kind, name, weight))
    return unique


def related_articles(articles: list[Article], limit: int = 5) -> dict[str, list[RelatedLink]]:
    """For each article, up to `limit` others: most shared first, then nearest in time.

    Articles sharing nothing fill the remaining places when they are dated
    near the article (within `NEAR_DAYS`), marked by an empty `shared`.
    """
    owners: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in articles:
        for kind, name, _ in _keys(a):
            owners[(kind, name)].append(a.id)
    days = {a.id: _day(a) for a in articles}
    # Dated articles by day, so the articles near one are a slice, not a scan of all.
    by_day = sorted((d, i) for i, d in days.items() if d is not None)
    ordinals = [d for d, _ in by_day]

    def apart(one: str, other: str) -> int | None:
        if days[one] is None or days[other] is None:
            return None
        return abs(days[one] - days[other])  # type: ignore[operator]

    def time_key(one: str, other: str) -> tuple[int, str]:
        gap = apart(one, other)
        return (gap if gap is not None else 10**9, other)

    result: dict[str, list[RelatedLink]] = {}
    for a in articles:
        score: dict[str, int] = defaultdict(int)
        shared: dict[str, list[str]] = defaultdict(list)
        for kind, name, weight in _keys(a):
            for other in owners[(kind, name)]:
                if other != a.id:
                    score[other] += weight
                    shared[other].append(name)
        ranked = heapq.nsmallest(limit, score, key=lambda o: (-score[o], time_key(a.id, o)))
        links = [RelatedLink(o, shared[o], apart(a.id, o)) for o in ranked]
        day = days[a.id]
        if len(links) < limit and day is not None:
            window = by_day[bisect_left(ordinals, day - NEAR_DAYS):bisect_right(ordinals, day + NEAR_DAYS)]
            near = [o for _, o in window if o != a.id and o not in score]
            near.sort(key=lambda o: time_key(a.id, o))
            links += [RelatedLink(o, [], apart(a.id, o)) for o in near[: limit - len(links)]]
        result[a.id] = links
    return result

