"""Template filters for reading Chinese: dates written out, summaries in characters."""
from __future__ import annotations

from functools import lru_cache

from ..records import Article

MONTH_NAMES = {f"{m:02d}": f"{m}月" for m in range(1, 13)}


@lru_cache(maxsize=1 << 14)    # every list shows dates, and an archive has a few thousand distinct ones
def cn_date(iso: str | None, missing: str = "日期不详") -> str:
    """2024-05-30 -> 2024年5月30日; partial dates keep what they have."""
    if not iso:
        return missing
    parts = iso.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return iso
    units = ["年", "月", "日"]
    return "".join(f"{n}{u}" for n, u in zip(numbers, units))


def cn_month(month: str) -> str:
    return MONTH_NAMES.get(month, month)


def summary(article: Article, limit: int = 90) -> str:
    """The opening of the body, at most `limit` characters (not words), ending in '…' when cut."""
    text = ""
    for p in article.clean.paragraphs:
        if p.kind == "p":
            text += p.text
            if len(text) >= limit:
                break
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def char_count(article: Article) -> int:
    """Characters in the body, the measure Chinese readers use for length."""
    return sum(len("".join(p.text.split())) for p in article.clean.paragraphs)


FILTERS = {"cn_date": cn_date, "cn_month": cn_month, "summary": summary, "char_count": char_count}
