"""Template filters for reading Chinese: dates written out, summaries in characters
(records.summary and char_count, which the workers also make ahead for lists)."""
from __future__ import annotations

from functools import lru_cache

from ..records import char_count, summary
from .chinese import chinese

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


def file_name(path: str) -> str:
    """A site path's last part: the link to it from a page in the same folder (an article page
    to another article; issue 21's byte budget counts every `../articles/` saved)."""
    return path.rsplit("/", 1)[-1]


FILTERS = {"cn_date": cn_date, "cn_month": cn_month, "summary": summary, "char_count": char_count,
           "file_name": file_name,
           "zh": chinese}    # a removal reason, date basis or warning, as the cleaning report shows it
