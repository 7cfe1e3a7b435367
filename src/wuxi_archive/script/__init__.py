"""Chinese script: which one a text is written in, and conversion between them.

OpenCC's dictionaries (tables.py), shared by the stages: clean reads the
script of a page and repairs garbled text with them, convert simplifies
traditional articles. Simplified text is never run through the converter:
opencc's t2s maps some characters that are also correct simplified text
(乾 -> 干, 著 -> 着), so converting an already simplified page damages names
such as 江苏乾融. Protected terms are copied through unchanged.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..words import alternation
from .tables import FastConverter, character_table
from .particles import zhe_for_zhu


# Each converter is loaded when first needed: a rebuild with no new seed
# converts nothing, and the process that cleans a new seed loads only what
# its page asks for.

@lru_cache(maxsize=1)
def _t2s() -> FastConverter:
    """tables.py: the same dictionaries and output as OpenCC("t2s"), several times faster."""
    return FastConverter("t2s")


@lru_cache(maxsize=1)
def _s2t_characters() -> dict[str, str]:
    return character_table("s2t")


def t2s(text: str) -> str:
    """opencc's t2s of `text`, whatever its script (to_simplified decides where it applies)."""
    return _t2s().convert(text)


def s2t(text: str) -> str:
    """opencc's s2t of `text`. One character (what the script tests ask) is looked up in
    the character dictionary; a longer text gets a converter of its own (s2t_of), made
    in a few hundredths of a second: for a few texts, not for running text."""
    if len(text) == 1:
        return _s2t_characters().get(text, text)
    return s2t_of((text,))[0]


@lru_cache(maxsize=64)
def s2t_of(texts: tuple[str, ...]) -> tuple[str, ...]:
    """opencc's s2t of each of a few short texts (the protected terms), reading only the
    phrases they hold: a converter made for them alone (tables.py's `only_for`)."""
    converter = FastConverter("s2t", only_for=texts)
    return tuple(converter.convert(text) for text in texts)


# Share of traditional-only characters above which a text is traditional.
TRADITIONAL_SHARE = 0.02
# A passage of a simplified page is converted only when it is plainly
# traditional itself (a quoted traditional passage), never for a stray form.
PASSAGE_SHARE = 0.1
PASSAGE_MIN_CHARS = 3


@lru_cache(maxsize=65536)
def is_traditional_char(char: str) -> bool:
    """Changed by t2s and brought back by s2t: a traditional-only form."""
    simple = t2s(char)
    return simple != char and s2t(simple) == char


class _ScriptMarks(dict):
    """A str.translate table, filled as characters are met: `t` for a traditional-only
    Han character, `h` for any other Han character, nothing for the rest."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mark = ("t" if is_traditional_char(char) else "h") if "\u4e00" <= char <= "\u9fff" else ""
        self[code] = mark
        return mark


_SCRIPT_MARKS = _ScriptMarks()


def _traditional_count(text: str) -> tuple[int, int]:
    """(traditional-only characters, Han characters) in text."""
    # One translate in C instead of a Python test per character (most of the stage's time).
    marks = text.translate(_SCRIPT_MARKS)
    return marks.count("t"), len(marks)


@lru_cache(maxsize=1)
def _changed_by_t2s() -> re.Pattern[str]:
    """A class of the Han characters t2s changes on their own: a traditional-only
    character (is_traditional_char) is one of them, so a text without any has none."""
    codes = sorted(ord(c) for c, simple in character_table("t2s").items() if simple != c and "\u4e00" <= c <= "\u9fff")
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]" if ranges
                      else r"(?!)")


def _may_be_traditional(text: str) -> bool:
    """False when `text` has no traditional-only character, found by one regex scan (most
    text: simplified pages and paragraphs), where counting them takes a translate."""
    return _changed_by_t2s().search(text) is not None


def detect_script(text: str) -> str:
    """'traditional' or 'simplified', by the share of traditional-only characters."""
    if not _may_be_traditional(text):
        return "simplified"
    traditional, han = _traditional_count(text)
    if not han:
        return "simplified"
    return "traditional" if traditional / han >= TRADITIONAL_SHARE else "simplified"


def needs_conversion(text: str, document_script: str) -> bool:
    """Should this passage go through the converter?

    In a traditional document, any passage holding a traditional-only form;
    in a simplified one, only a passage that is itself plainly traditional.
    A passage without traditional forms is never touched (江苏乾融 survives).
    """
    if not _may_be_traditional(text):
        return False
    traditional, han = _traditional_count(text)
    if traditional == 0:
        return False
    if document_script == "traditional":
        return True
    return traditional >= PASSAGE_MIN_CHARS and traditional / han >= PASSAGE_SHARE


def to_simplified(text: str, protected: tuple[str, ...] = ()) -> str:
    """Convert traditional text to simplified, keeping protected terms as they are."""
    if not text:
        return text
    if not protected:
        return _convert_cached(text)
    pattern, canonical = _protected_pattern(protected)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(_convert_cached(text[last:match.start()]))
        out.append(canonical.get(match.group(0), match.group(0)))
        last = match.end()
    out.append(_convert_cached(text[last:]))
    return "".join(out)


@lru_cache(maxsize=65536)
def _convert_cached(text: str) -> str:
    return zhe_for_zhu(t2s(text)) if text else text     # t2s leaves the particle 著 (particles.py)


@lru_cache(maxsize=64)
def _protected_pattern(protected: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    # The traditional spelling of a protected term is protected too: it is
    # what a traditional page prints, and must come out as the term itself.
    canonical: dict[str, str] = {}
    terms = tuple(sorted(t for t in protected if t))
    for term, traditional in zip(terms, s2t_of(terms)):
        canonical.setdefault(term, term)
        canonical.setdefault(traditional, term)
    spellings = sorted(canonical, key=lambda t: (-len(t), t))
    return alternation(spellings), canonical
