"""Tests on a candidate organisation name: is its head a place, is it generic?"""
from __future__ import annotations

import re

from .lexicon import Lexicon

# A count before a name makes it a category: 13家企业, 两所大学, 9家国家高新区.
_QUANTITY = re.compile(r"[0-9０-９一二三四五六七八九十百千两几多数]+[家个所批位名座类]")
_DIGITS = re.compile(r"^(?:[0-9０-９]|第[0-9一二三四五六七八九十百]+)")


def place_head(name: str, lex: Lexicon) -> str:
    """The place name `name` starts with ('' when none): 无锡, 新吴区, 江苏省."""
    place = _longest_place_prefix(name, lex)
    if place is not None:
        longer = lex.place_head_re.match(name)
        if longer and len(longer.group(0)) > len(place) and not _not_place(longer.group(0), lex):
            return longer.group(0)
        return place
    match = lex.place_head_re.match(name)
    if match and not _not_place(match.group(0), lex):
        return match.group(0)
    return ""


def _longest_place_prefix(name: str, lex: Lexicon) -> str | None:
    """The longest known place name `name` starts with (the first of
    lex.place_prefixes, longest first, that it starts with), or None."""
    # Slices looked up in the set, longest first: a startswith per known place
    # was most of the time spent testing names.
    for length in range(min(len(name), lex.longest_place), -1, -1):
        if name[:length] in lex.place_names:
            return name[:length]
    return None


def _not_place(word: str, lex: Lexicon) -> bool:
    return word.endswith(lex.not_place_words)


def headed_by(name: str, heads: tuple[str, ...]) -> str:
    """The longest of `heads` that `name` starts with and goes beyond ('' when none)."""
    if not name.startswith(heads):   # one test in C rules out most names
        return ""
    for head in heads:
        if len(name) > len(head) and name.startswith(head):
            return head
    return ""


def all_generic(words: str, lex: Lexicon) -> bool:
    """True when `words` is made only of descriptive words (特色专业, 中外合作)."""
    if not words:
        return True
    if not (words.startswith(lex.generic_words) or words[0].isdigit() or words[0] in "年第届"):
        return False   # nothing generic opens it (most names): no table built
    vocabulary, lengths = lex.generic_vocabulary
    reachable = [True] + [False] * len(words)
    furthest = 0   # the furthest position reached so far: past it, nothing more can be
    for i in range(len(words)):
        if not reachable[i]:
            if i > furthest:
                return False
            continue
        for length in lengths:   # the generic words starting at i, by set lookup
            if i + length <= len(words) and words[i:i + length] in vocabulary:
                reachable[i + length] = True
                furthest = max(furthest, i + length)
        if words[i].isdigit() or words[i] in "年第届":
            reachable[i + 1] = True
            furthest = max(furthest, i + 1)
    return reachable[-1]


def starts_generic(words: str, lex: Lexicon) -> bool:
    """True when `words` opens with a descriptive word of two or more characters."""
    return words.startswith(lex.long_generic_words)


def is_reference(name: str, lex: Lexicon) -> bool:
    """该公司, 各高新区, 13家企业, 我院…: a reference to a name, not a name."""
    if name.startswith(lex.determiners):
        return True
    return bool(_QUANTITY.search(name) or _DIGITS.match(name))


def ends_with_any(name: str, words: tuple[str, ...]) -> str:
    """The first of `words` that `name` ends with ('' when none)."""
    if not name.endswith(words):   # one test in C rules out most names
        return ""
    for word in words:
        if name.endswith(word):
            return word
    return ""
