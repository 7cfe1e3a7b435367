"""Pinyin annotations: `網(wǎng)` -> `網`.

Some pages print the reading of a character in brackets right after it.
An annotation is recognised by what it is: a Han character, then a
bracketed pinyin syllable. A syllable with a tone mark is an annotation
on sight; a toneless one (`們(men)`) only when it is a reading of the
character before it, which pypinyin knows (asked through readings.py). So
bracketed names, `(完)` and bracketed ASCII words such as an account name
stay: they are not readings.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..readings import character_readings


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_LETTERS = rf"a-zü{_TONED}"
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_CANDIDATE = re.compile(rf"([{_HAN}])[(（]([{_LETTERS}]{{1,6}})[)）]", re.IGNORECASE)
_HAS_TONE = re.compile(rf"[{_TONED}]", re.IGNORECASE)
# A toned syllable in brackets is a reading wherever it stands, even after a
# Latin letter the annotator mistook for a character (`皖I(lǐng)CP`).
_TONED_ANYWHERE = re.compile(rf"(?<=[A-Za-z0-9])[(（]([{_LETTERS}]*[{_TONED}][{_LETTERS}]*)[)）]", re.IGNORECASE)
# Every toned reading _CANDIDATE and _TONED_ANYWHERE would take out, as one
# pattern matching the bracket alone (the character before is looked behind
# at), so that one substitution with an empty string removes them all without
# a Python call per match: an annotated page has hundreds of them per line.
# It opens with the bracket, which lets the regex engine skip to the brackets.
_TONED_READING = re.compile(
    rf"[(（](?:(?<=[{_HAN}][(（])(?=[{_LETTERS}]{{0,5}}[{_TONED}])[{_LETTERS}]{{1,6}}"
    rf"|(?<=[A-Za-z0-9][(（])[{_LETTERS}]*[{_TONED}][{_LETTERS}]*)[)）]", re.IGNORECASE)
# A bracket closing right before another opens: only there can a removal put a
# reading right after a character (`网(wǎng)(wǎng)`), needing one more pass.
_ADJACENT_BRACKETS = re.compile(r"[)）][(（]")


def is_pinyin_annotation(char: str, syllable: str) -> bool:
    """True when `(syllable)` after `char` is a reading, not text."""
    if _HAS_TONE.search(syllable):
        return True
    return syllable.lower() in character_readings(char)


def _replace(match: re.Match[str]) -> str:
    return _without_reading(match.group(0))


@lru_cache(maxsize=8192)   # the same character and reading recur all over an annotated page
def _without_reading(candidate: str) -> str:
    """`網(wǎng)` -> `網` when the bracket is a reading of the character, else unchanged."""
    char, syllable = candidate[0], candidate[2:-1]
    return char if is_pinyin_annotation(char, syllable) else candidate


@lru_cache(maxsize=4096)   # a page's lines are stripped twice: for mojibake repair, then kept
def strip_pinyin_annotations(text: str) -> str:
    """Remove every pinyin annotation that follows a Han character."""
    if "(" not in text and "（" not in text:
        return text
    # Repeat until nothing changes: removing `(wǎng)` from `网(wǎng)(wǎng)`
    # puts the second reading right after the character (found by hypothesis).
    # Each removal leaves the character before in place and no two annotations
    # share a character, so the order of removals does not change the result:
    # the toned readings go first in one substitution, then the toneless
    # candidates are asked about one by one (few are left). A pass leaves
    # nothing to remove unless two brackets stood side by side.
    while True:
        stripped = _CANDIDATE.sub(_replace, _TONED_READING.sub("", text))
        if stripped == text or not _ADJACENT_BRACKETS.search(text):
            return stripped
        text = stripped


def strip_pinyin_annotations_slowly(text: str) -> str:
    """strip_pinyin_annotations as it was: each candidate asked by a Python call.
    Kept as the reference the tests compare the one-substitution path with."""
    while True:
        stripped = _TONED_ANYWHERE.sub("", _CANDIDATE.sub(_replace, text))
        if stripped == text:
            return stripped
        text = stripped
