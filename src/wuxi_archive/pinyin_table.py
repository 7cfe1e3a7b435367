"""pypinyin's toneless readings as a table that loads in a hundredth of a second.

Importing pypinyin takes a tenth of a second: its 47,000 phrases are Python
source, and its word splitter is trained on all of them at import. A rebuild
after one new seed needs it only for the few names no earlier build read. So
what `lazy_pinyin(text, style=NORMAL)` looks up is made into a table once,
from pypinyin itself, and kept in the cache folder (readings.py):

- every phrase's and character's toneless syllables;
- the phrases in sorted order, which answer the word splitter's question
  (is this a phrase, or the start of one?) by bisection;
- pypinyin's own pattern of what counts as a Han character.

`ReadingTable.read` then does what lazy_pinyin does, step by step: split
the text into Han and other runs, cut each Han run into phrases by forward
maximum matching (pypinyin's `mmseg` with `no_non_phrases`), read a phrase
as a whole and any other character by its first reading, and keep other
runs as they are. `make_table` checks the table against pypinyin on probes
before it is used, and gives None when a pypinyin release reads differently.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

# pypinyin's Han pattern has this shape: one character class, repeated, anchored. Nothing
# else is taken from a saved table: a class cannot backtrack, whatever the cache file holds.
_HANS_SHAPE = re.compile(r"\^\(\?:(\[[^\[\]]+\])\)\+\$")


@dataclass(frozen=True)
class ReadingTable:
    """What lazy_pinyin(style=NORMAL) knows, in sorted lists looked up by bisection
    (a dict of 90,000 words took longer to load than the lists)."""

    hans: str                       # pypinyin's pattern of Han characters (RE_HANS)
    phrases: list[str]              # pypinyin's phrases (a few are one character), sorted
    phrase_syllables: list[str]     # each phrase's toneless syllables, space-separated
    characters: str                 # the other characters pypinyin reads, sorted
    character_syllables: list[str]  # each one's first toneless reading
    heteronym_characters: str       # characters with more readings than `read` gives, sorted
    heteronyms: list[str]           # each one's toneless readings, lower case, sorted, comma-separated
    _runs: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shape = _HANS_SHAPE.fullmatch(self.hans)
        if not shape:
            raise ValueError("pypinyin's Han pattern has an unknown shape")
        han = shape.group(1)
        object.__setattr__(self, "_runs", re.compile(f"({han}+)|([^{han[1:]}+)"))

    def read(self, text: str) -> list[str]:
        """lazy_pinyin(text, style=Style.NORMAL, errors="default")."""
        syllables: list[str] = []
        for han, other in self._runs.findall(text):
            if other:
                syllables.append(other)
                continue
            for word, at in self._cut(han):
                if at >= 0:
                    syllables += self.phrase_syllables[at].split(" ")
                else:
                    syllables.append(_looked_up(self.characters, self.character_syllables, word) or word)
        return syllables

    def readings_of_character(self, char: str) -> list[str]:
        """Every toneless reading of one character, lower case and sorted
        (pinyin(char, style=NORMAL, heteronym=True), as readings.py keeps it)."""
        found = _looked_up(self.heteronym_characters, self.heteronyms, char)
        if found is not None:
            return found.split(",")
        return sorted({syllable.lower() for syllable in self.read(char)})

    def _cut(self, text: str) -> Iterator[tuple[str, int]]:
        """pypinyin's forward maximum matching (seg.mmseg.Seg.cut, no_non_phrases=True):
        the longest phrase at the start, found while the text read so far begins some
        phrase; else one character. A remainder that begins a phrase without holding
        one is cut into characters, as pypinyin does. Each word comes with its place
        in `phrases`, or -1."""
        phrases, count = self.phrases, len(self.phrases)
        remain = text
        while remain:
            longest, longest_at = "", -1
            for end in range(1, len(remain) + 1):
                word = remain[:end]
                at = bisect_left(phrases, word)
                if at == count or not phrases[at].startswith(word):
                    break
                if phrases[at] == word:
                    longest, longest_at = word, at
            else:
                if not longest:
                    yield from ((char, -1) for char in remain)
                    return
            if not longest:
                longest = remain[0]
            yield longest, longest_at
            remain = remain[len(longest):]

    def to_saved(self) -> dict[str, str]:
        """The table as a few long strings (what loads fastest)."""
        return {"hans": self.hans, "phrases": "\n".join(self.phrases),
                "phrase_syllables": "\n".join(self.phrase_syllables), "characters": self.characters,
                "character_syllables": "\n".join(self.character_syllables),
                "heteronym_characters": self.heteronym_characters, "heteronyms": "\n".join(self.heteronyms)}

    @classmethod
    def from_saved(cls, saved: dict[str, Any]) -> ReadingTable:
        """The table `to_saved` gave; ValueError when it is not one."""
        try:
            table = cls(saved["hans"], saved["phrases"].split("\n"), saved["phrase_syllables"].split("\n"),
                        saved["characters"], saved["character_syllables"].split("\n"),
                        saved["heteronym_characters"], saved["heteronyms"].split("\n"))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a reading table: {exc}") from exc
        if not (len(table.phrases) == len(table.phrase_syllables)
                and len(table.characters) == len(table.character_syllables)
                and len(table.heteronym_characters) == len(table.heteronyms)):
            raise ValueError("not a reading table: its lists differ in length")
        return table


def _looked_up(keys: str | list[str], values: list[str], key: str) -> str | None:
    at = bisect_left(keys, key)
    return values[at] if at < len(keys) and keys[at] == key else None


def make_table(extra_phrases: dict[str, list[str]], read: Callable[[str], list[str]],
               readings_of_character: Callable[[str], list[str]]) -> ReadingTable | None:
    """The table of pypinyin's readings as this process has taught them (readings.py
    teaches it `extra_phrases`); None when it would read a probe differently from
    pypinyin itself, whose answers `read` and `readings_of_character` give (another
    release's splitter), or cannot hold a reading."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
    from pypinyin.converter import DefaultConverter

    convert = DefaultConverter().convert_style

    class Toneless(dict):
        """Each toned syllable's toneless form (there are about 1,500 syllables)."""

        def __missing__(self, syllable: str) -> str:
            found = self[syllable] = convert("", syllable, Style.NORMAL, strict=True)
            return found

    plain = Toneless()
    first: dict[str, str] = {}                 # character -> its first reading
    every: dict[str, list[str]] = {}           # character with several readings -> all of them
    for code, readings in PINYIN_DICT.items():
        options = readings.split(",")
        first[chr(code)] = plain[options[0]]
        if len(options) > 1:
            every[chr(code)] = sorted({plain[r].lower() for r in options})
    phrases = sorted(PHRASES_DICT)
    phrase_syllables = [" ".join([plain[options[0]] for options in PHRASES_DICT[p]]) for p in phrases]
    for phrase in (p for p in phrases if len(p) == 1):
        options = PHRASES_DICT[phrase][0]
        first[phrase], every[phrase] = plain[options[0]], sorted({plain[r].lower() for r in options})
    if (any(not syllable or set(syllable) & {" ", ",", "\n"} for syllable in plain.values())
            or "" in phrase_syllables or "\n".join(phrases).count("\n") != len(phrases) - 1):
        return None         # a reading the saved strings could not hold
    is_han = RE_HANS.match
    characters = "".join(sorted(char for char in first if char not in PHRASES_DICT and is_han(char)))
    heteronym_characters = "".join(sorted(char for char, readings in every.items()
                                          if readings != [first[char].lower()] and is_han(char)))
    try:
        table = ReadingTable(RE_HANS.pattern, phrases, phrase_syllables, characters,
                             [first[char] for char in characters], heteronym_characters,
                             [",".join(every[char]) for char in heteronym_characters])
    except ValueError:
        return None
    for probe in _probes(phrases, extra_phrases):
        if table.read(probe) != read(probe):
            return None
    for char in [p[0] for p in phrases[::997]] + list(heteronym_characters[::97]):
        if table.readings_of_character(char) != readings_of_character(char):
            return None
    return table


def _probes(phrases: list[str], extra: dict[str, list[str]]) -> Iterator[str]:
    """Texts that take the splitter through its cases: the extra phrases, phrases run
    together (a phrase's start followed by another), with Latin letters and digits."""
    yield from extra
    step = max(1, len(phrases) // 150)
    sample = phrases[::step]
    for i, phrase in enumerate(sample):
        after = sample[(i * 7 + 3) % len(sample)]
        yield phrase + after
        yield phrase[:-1] + after + "AI" + phrase[-1:] + "5G"
