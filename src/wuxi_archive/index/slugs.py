"""ASCII slugs for names: pinyin, with a short hash where two names collide."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml


@lru_cache(maxsize=1)
def _pinyin():
    """pypinyin's lazy_pinyin, taught the readings in data/pinyin_phrases.yaml.

    Imported when a reading is first needed, not at import: pypinyin takes a
    seventh of a second to load, and a rebuild finds most readings in its memo.
    """
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import seg
    text = resources.files("wuxi_archive").joinpath("data", "pinyin_phrases.yaml").read_text(encoding="utf-8")
    phrases = yaml.safe_load(text) or {}
    # What load_phrases_dict does, except that it trains the word splitter again on all
    # of pypinyin's 47,000 phrases (a twentieth of a second); it only needs ours.
    PHRASES_DICT.update({word: [[syllable] for syllable in syllables] for word, syllables in phrases.items()})
    seg.train(phrases)
    return lambda name: lazy_pinyin(name, style=Style.NORMAL, errors="default")


# name -> its toneless pinyin syllables. pypinyin takes a third of a millisecond
# a name, and every build reads thousands of names: build.py keeps this memo
# in the cache between builds (readings_memo / remember_readings).
_READINGS: dict[str, list[str]] = {}


def reading(name: str) -> list[str]:
    """The name's toneless pinyin, syllable by syllable (Latin letters and digits kept whole)."""
    found = _READINGS.get(name)
    if found is None:
        found = _READINGS[name] = _pinyin()(name)
    return found


def readings_of(names: Iterable[str]) -> dict[str, list[str]]:
    """The readings of these names and of the forms their slugs are made from.

    Asked of a seed's names where the seed is processed, so that the index, on
    one core after all the seeds, finds them in its memo (and a rebuild after a
    new seed need not load pypinyin there at all).
    """
    found = {}
    for name in names:
        for form in {name, unicodedata.normalize("NFKC", name)}:
            found[form] = reading(form)
    return found


def readings_memo() -> dict[str, list[str]]:
    """Every reading made or remembered so far, to keep for the next build."""
    return _READINGS


def remember_readings(readings: dict[str, list[str]]) -> None:
    """Readings a previous build made with the same code and pypinyin."""
    for name, syllables in readings.items():
        if isinstance(name, str) and isinstance(syllables, list) and all(isinstance(x, str) for x in syllables):
            _READINGS.setdefault(name, syllables)


@lru_cache(maxsize=1 << 17)   # a sort key of every index, asked for again and again
def pinyin_key(name: str) -> str:
    """Sort key: the name's toneless pinyin, then the name itself."""
    return " ".join(reading(name)).lower() + "\0" + name


def pinyin_initial(name: str) -> str:
    """The upper-case Latin letter a name files under, '#' when it has none."""
    # Read the whole name, not its first character alone: a heteronym's
    # reading depends on the word it opens (重庆 chóng, not zhòng).
    first = pinyin_key(name).split("\0", 1)[0]
    letter = first[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


# File names the index folders use themselves (org/index.html, date/undated.html).
RESERVED = frozenset({"index", "undated"})


def _base_slug(name: str) -> str:
    # errors="default" keeps a run of Latin letters or digits whole: "2023", not "2-0-2-3".
    words = reading(unicodedata.normalize("NFKC", name))
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return slug[:60].rstrip("-") or "x"


def _hashed(base: str, name: str) -> str:
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"


def assign_slugs(names: list[str]) -> dict[str, str]:
    """Give every name a stable ASCII slug, unique within `names`.

    A slug depends only on its own name (pinyin, plus a hash of the name when
    another name shares the pinyin), so it does not change when unrelated
    names come and go, except that a collision adds the hash to both sides.
    """
    by_base: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_base.setdefault(_base_slug(name), []).append(name)
    slugs: dict[str, str] = {}
    for base, group in by_base.items():
        for name in group:
            if len(group) == 1 and base not in RESERVED:
                slugs[name] = base
            else:
                slugs[name] = _hashed(base, name)
    return slugs
