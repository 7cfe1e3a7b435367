"""ASCII slugs for names: pinyin, with a short hash where two names collide."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Callable

from ..readings import reading
from ..surnames import person_reading

Reader = Callable[[str], list[str]]      # a name -> its toneless syllables


@lru_cache(maxsize=1 << 17)   # a sort key of every index, asked for again and again
def pinyin_key(name: str) -> str:
    """Sort key: the name's toneless pinyin, then the name itself."""
    return " ".join(reading(name)).lower() + "\0" + name


@lru_cache(maxsize=1 << 15)
def person_key(name: str) -> str:
    """pinyin_key of a person's name, its surname read as a surname (单 Shàn, not Dān)."""
    return " ".join(person_reading(name)).lower() + "\0" + name


def pinyin_initial(name: str, key: Callable[[str], str] = pinyin_key) -> str:
    """The upper-case Latin letter a name files under, '#' when it has none."""
    # Read the whole name, not its first character alone: a heteronym's
    # reading depends on the word it opens (重庆 chóng, not zhòng).
    first = key(name).split("\0", 1)[0]
    letter = first[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


# File names the index folders use themselves (org/index.html, date/undated.html,
# org/page-2.html: the later pages of a list, render/pagination.py).
RESERVED = frozenset({"index", "undated"})
_PAGE_NAME = re.compile(r"page-\d+")


def _base_slug(name: str, read: Reader = reading) -> str:
    # errors="default" keeps a run of Latin letters or digits whole: "2023", not "2-0-2-3".
    words = read(unicodedata.normalize("NFKC", name))
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return slug[:60].rstrip("-") or "x"


def _hashed(base: str, name: str) -> str:
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def assign_slugs(names: list[str], read: Reader = reading) -> dict[str, str]:
    """Give every name a stable ASCII slug, unique within `names`.

    A slug depends only on its own name (pinyin, plus a hash of the name when
    another name shares the pinyin; `read` gives it: person_reading for
    people), so it does not change when unrelated
    names come and go, except that a collision adds the hash to both sides.
    """
    by_base: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_base.setdefault(_base_slug(name, read), []).append(name)
    slugs: dict[str, str] = {}
    for base, group in by_base.items():
        for name in group:
            if len(group) == 1 and base not in RESERVED and not _PAGE_NAME.fullmatch(base):
                slugs[name] = base
            else:
                slugs[name] = _hashed(base, name)
    return slugs
