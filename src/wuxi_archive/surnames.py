"""People's names read with their surname's reading: 单智伟 is Shàn Zhìwěi, not Dān.

The person index sorts, groups and slugs names by their pinyin; a surname
often has a reading of its own (data/surnames.yaml), which pypinyin, reading
the character out of context, does not give.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .data_files import bundled_data
from .readings import reading

_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}     # grave, acute, macron, caron


def toneless(syllable: str) -> str:
    """A toned syllable as reading() spells it: no tone marks, ü as v."""
    bare = "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _TONE_MARKS)
    return unicodedata.normalize("NFC", bare).replace("ü", "v").lower()


@lru_cache(maxsize=1)
def surname_readings() -> dict[str, list[str]]:
    """Surname -> its toneless syllables, one per character (compound surnames included)."""
    table = bundled_data("surnames.yaml")
    return {str(name): [toneless(s) for s in syllables] for name, syllables in table.items()
            if isinstance(syllables, list) and len(syllables) == len(str(name))}


def person_reading(name: str) -> list[str]:
    """A person's name read as a name: its surname (compound first) by its surname reading,
    the rest as reading() reads the whole name. Names that are not all one syllable a
    character (with Latin letters, say) are read as they are."""
    syllables = reading(name)
    if len(syllables) != len(name):
        return syllables
    table = surname_readings()
    for length in (2, 1):
        surname = table.get(name[:length])
        if surname and len(name) > length:
            return [*surname, *syllables[length:]]
    return syllables
