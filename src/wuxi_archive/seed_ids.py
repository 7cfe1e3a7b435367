"""Article ids from seed file names: one seed, one id, whatever else the folder holds.

An id names two files (`articles/<id>.html`, `editor/<id>.html`), so two
seeds must never share one, not even by case alone (`Case.txt` and
`case.txt` are one file on macOS, Windows and many CI caches), and no id may
be one of the site's own pages in those folders (`editor/index.html`).

A plain name keeps its stem as the id: lower-case ASCII letters, digits,
`_` and `-`, a `.txt` seed, not ending in `-<digits>` (the form of the Nth
article of a page: `news-2` could be `news.txt`'s second article), not a
reserved name, not too long. Any other name gets its stem reduced to those
characters, lower-cased and cut short, plus a hash of the whole file name:
`a.htm` beside `a.txt` is `a_<hash>` beside `a`. So plain ids differ exactly
where their names do (and never differ by case alone), and a hashed id
differs from every other by its hash. A name made on purpose to equal
another seed's hashed id is still caught: `id_clashes` finds such pairs and
discovery refuses the second, naming both files.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

PLAIN_SUFFIX = ".txt"
MAX_PLAIN = 80            # characters of a plain id; an id names files, `editor/<id>.html` among them
_PLAIN = re.compile(r"[a-z0-9_-]+")
_PART_LIKE = re.compile(r"-\d+$")
# Names the site uses beside article pages and reports, and names Windows cannot make.
# "page": its articles' ids (page-2) would be the later pages of editor/index.html.
RESERVED = frozenset({"index", "search", "404", "feed", "sitemap", "undated", "page", "con", "prn", "aux", "nul",
                      *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})


@lru_cache(maxsize=1 << 17)
def seed_id(seed: str) -> str:
    """The id of a seed's article (its articles add -N), from its file name."""
    stem, dot, suffix = seed.rpartition(".")
    if not dot:
        stem, suffix = seed, ""
    if ("." + suffix) == PLAIN_SUFFIX and _is_plain(stem):
        return stem
    base = re.sub(r"[^a-z0-9_-]+", "_", stem.lower()).strip("_-")[:40].rstrip("_-") or "seed"
    return f"{base}_{hashlib.sha1(seed.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _is_plain(stem: str) -> bool:
    return (0 < len(stem) <= MAX_PLAIN and _PLAIN.fullmatch(stem) is not None and not _PART_LIKE.search(stem)
            and stem.strip("_-") == stem and stem not in RESERVED)


def id_clashes(names: list[str]) -> dict[str, str]:
    """Seed names whose id another seed of `names` already has (compared without case):
    each mapped to that earlier seed, in the order given."""
    owner: dict[str, str] = {}
    clashes: dict[str, str] = {}
    for name in names:
        key = seed_id(name).casefold()
        if key in owner:
            clashes[name] = owner[key]
        else:
            owner[key] = name
    return clashes
