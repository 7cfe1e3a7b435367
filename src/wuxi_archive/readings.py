"""Pinyin from pypinyin, remembered between builds.

pypinyin takes a quarter of a second to load and a third of a millisecond
a name. A rebuild after one new seed should need neither: the process that
cleans the seed would load it for one annotated character, the index for
one name. So two memos are kept in the cache folder (build.py saves and
loads them): the reading of every name the index sorts or slugs, and every
reading of each character a page annotated without a tone mark
(clean/pinyin.py). Worker processes hand back what they read
(readings_of, new_character_readings). A name or character neither memo
holds is read from a table of pypinyin's readings kept there too
(pinyin_table.py, keep_reading_table), which loads in a hundredth of a
second; pypinyin itself is imported only to make that table, or where no
table is kept (the `clean` command, a build without its cache).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable, Iterable, Protocol

from .config import bundled_data
from .pinyin_table import ReadingTable, make_table


class TableStore(Protocol):
    """Where the reading table is kept between builds (cache.KeptTable)."""

    def load(self) -> dict: ...
    def claim(self) -> bool: ...
    def save(self, data: dict) -> None: ...


_table_store: TableStore | None = None


def keep_reading_table(store: TableStore | None) -> None:
    """Read names and characters with the table kept in `store`, made there when it is
    missing (None: with pypinyin itself). Processes forked later inherit it."""
    global _table_store
    _table_store = store
    _table.cache_clear()
    _pinyin.cache_clear()


@lru_cache(maxsize=1)
def _table() -> ReadingTable | None:
    """The kept reading table, loaded; or made here, when this process is the one to make it."""
    store = _table_store
    if store is None:
        return None
    saved = store.load()
    if saved:
        if saved.get("unusable"):
            return None     # this pypinyin reads differently from the table: pypinyin it is
        try:
            return ReadingTable.from_saved(saved)
        except ValueError:
            pass
    if not store.claim():
        return None         # another process is making it
    table = make_table(_extra_phrases(), _taught_pypinyin(), _pypinyin_readings_of_character)
    try:
        store.save(table.to_saved() if table else {"unusable": "pypinyin reads differently"})
    except OSError:
        pass                # a folder it cannot be written to: made again next time
    return table


@lru_cache(maxsize=1)
def _pinyin() -> Callable[[str], list[str]]:
    """A name's toneless syllables: from the kept table, else from pypinyin."""
    table = _table()
    return table.read if table else _taught_pypinyin()


def _extra_phrases() -> dict[str, list[str]]:
    return bundled_data("pinyin_phrases.yaml")


@lru_cache(maxsize=1)
def _taught_pypinyin() -> Callable[[str], list[str]]:
    """pypinyin's lazy_pinyin, taught the readings in data/pinyin_phrases.yaml."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import seg
    phrases = _extra_phrases()
    # What load_phrases_dict does, except that it trains the word splitter again on all
    # of pypinyin's 47,000 phrases (a twentieth of a second); it only needs ours.
    PHRASES_DICT.update({word: [[syllable] for syllable in syllables] for word, syllables in phrases.items()})
    seg.train(phrases)
    return lambda name: lazy_pinyin(name, style=Style.NORMAL, errors="default")


_READINGS: dict[str, list[str]] = {}                # name -> its toneless syllables
_CHARACTER_READINGS: dict[str, frozenset[str]] = {}  # character -> all its toneless readings
_CHARACTERS_TO_HAND_BACK: dict[str, list[str]] = {}  # read here since new_character_readings


def reading(name: str) -> list[str]:
    """The name's toneless pinyin, syllable by syllable (Latin letters and digits kept whole)."""
    found = _READINGS.get(name)
    if found is None:
        found = _READINGS[name] = _pinyin()(name)
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
        table = _table()
        if table:
            syllables = table.readings_of_character(char)
        else:
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
