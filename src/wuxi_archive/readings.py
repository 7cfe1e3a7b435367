"""Pinyin from pypinyin, remembered between builds.

pypinyin takes a quarter of a second to load and a third of a millisecond
a name. A rebuild after one new seed should need neither: the process that
cleans the seed would load it for one annotated character, the index for
one name. So two memos are kept in the build's store (build/site.py saves
and loads them): the reading of every name the index sorts or slugs, and
every reading of each character a page annotated without a tone mark
(clean/pinyin.py). Worker processes hand back what they read
(readings_of, new_character_readings). What neither memo holds is read
with pypinyin itself: measured at 10,000 articles, that costs a one-seed
rebuild about 4% of its time, too little to justify a copy of pypinyin's
tables.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

from .data_files import bundled_data


@lru_cache(maxsize=1)
def _pinyin() -> Callable[[str], list[str]]:
    """pypinyin's lazy_pinyin, taught the readings in data/pinyin_phrases.yaml."""
    from pypinyin import Style, lazy_pinyin, load_phrases_dict
    phrases = bundled_data("pinyin_phrases.yaml")
    load_phrases_dict({word: [[syllable] for syllable in syllables] for word, syllables in phrases.items()})
    return lambda name: lazy_pinyin(name, style=Style.NORMAL, errors="default")


_READINGS: dict[str, list[str]] = {}                # name -> its toneless syllables
_CHARACTER_READINGS: dict[str, frozenset[str]] = {}  # character -> all its toneless readings
_CHARACTERS_TO_HAND_BACK: dict[str, list[str]] = {}  # read here since new_character_readings
_NAMES_TO_HAND_BACK: dict[str, list[str]] = {}       # read here since new_readings_of


def reading(name: str) -> list[str]:
    """The name's toneless pinyin, syllable by syllable (Latin letters and digits kept whole)."""
    found = _READINGS.get(name)
    if found is None:
        found = _READINGS[name] = _NAMES_TO_HAND_BACK[name] = _pinyin()(name)
    return found


def readings_of(names: Iterable[str]) -> dict[str, list[str]]:
    """The readings of these names and of the forms their slugs are made from.

    Asked of a seed's names where the seed is processed, so that the index, on
    one core after all the seeds, finds them in its memo.
    """
    found = {}
    for name in names:
        for form in {name, unicodedata.normalize("NFKC", name)}:
            found[form] = reading(form)
    return found


def new_readings_of(names: Iterable[str]) -> dict[str, list[str]]:
    """readings_of these names, as a worker hands them back: only the readings this
    process asked pypinyin for since the last call (these names' and any other's).

    The others it found in its memo, which it got from the build process (forked
    from it after the store's memo was loaded) or handed back before: handing
    back every name of every seed sent the same organisations' readings again
    and again, each checked and merged by the build process."""
    readings_of(names)
    taken = dict(_NAMES_TO_HAND_BACK)
    _NAMES_TO_HAND_BACK.clear()
    return taken


def readings_memo() -> dict[str, list[str]]:
    """Every name's reading made or remembered so far, to keep for the next build."""
    return _READINGS


def remember_readings(readings: dict[str, list[str]]) -> None:
    """Name readings a worker or a previous build (same code, same pypinyin) made."""
    for name, syllables in readings.items():
        if isinstance(name, str) and _is_syllable_list(syllables):
            _READINGS.setdefault(name, syllables)


def character_readings(char: str) -> frozenset[str]:
    """Every toneless reading pypinyin knows for one character (its heteronyms)."""
    found = _CHARACTER_READINGS.get(char)
    if found is None:
        syllables = _pypinyin_readings_of_character(char)
        found = _CHARACTER_READINGS[char] = frozenset(syllables)
        _CHARACTERS_TO_HAND_BACK[char] = syllables
    return found


def _pypinyin_readings_of_character(char: str) -> list[str]:
    """pypinyin's toneless readings of one character, lower case and sorted."""
    from pypinyin import Style, pinyin
    return sorted({r.lower() for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0]})


def new_character_readings() -> dict[str, list[str]]:
    """The character readings this process asked pypinyin for since the last call."""
    taken = dict(_CHARACTERS_TO_HAND_BACK)
    _CHARACTERS_TO_HAND_BACK.clear()
    return taken


def character_readings_memo() -> dict[str, list[str]]:
    """Every character's readings made or remembered so far, to keep for the next build."""
    return {char: sorted(syllables) for char, syllables in _CHARACTER_READINGS.items()}


def remember_character_readings(readings: dict[str, list[str]]) -> None:
    """Character readings a worker or a previous build made."""
    for char, syllables in readings.items():
        if isinstance(char, str) and len(char) == 1 and _is_syllable_list(syllables):
            _CHARACTER_READINGS.setdefault(char, frozenset(syllables))


def _is_syllable_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)
