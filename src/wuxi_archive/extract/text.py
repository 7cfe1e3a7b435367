"""Plain-text helpers shared by the extractors: spans, sentences, left edges."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .trie import is_longest_first, trie_regex

# Characters a name never runs across: sentence and list punctuation,
# quotes, title marks, dashes, spaces, line breaks. Half- and full-width.
DELIMITERS = frozenset(
    ",，。、;；:：!！?？“”\"‘’'《》〈〉<>「」『』【】[]—–…\n\r\t 　·•|/~～=+*#@&%"
)
OPEN_BRACKETS = frozenset("(（")
CLOSE_BRACKETS = frozenset(")）")
_SENTENCE_END = re.compile(r"[。!！?？;；\n]")


def is_han(char: str) -> bool:
    """Whether `char` (a text's first character) is a Han character, U+3400 to U+9FFF."""
    return "\u3400" <= char[:1] <= "\u9fff"   # two comparisons, not a regex call per character


def span_start(text: str, end: int, limit: int = 40, keep: frozenset[str] = frozenset()) -> int:
    """Where the run of name characters ending at `end` starts.

    A short bracket group inside the run (康明斯(中国)投资) is part of it;
    an opening bracket with no closing one before `end` ends it, so a name
    is never taken from inside `(以下简称...)`.
    """
    i, lo = end, max(0, end - limit)
    last_break = _last_run_break(keep).match   # the run's left edge found in C, not char by char
    while i > lo:
        found = last_break(text, lo, i)
        if not found:
            return lo
        at = found.start(1)
        if text[at] not in CLOSE_BRACKETS:
            return at + 1
        opening = max(text.rfind("(", lo, at), text.rfind("（", lo, at))
        inner = text[opening + 1:at] if opening >= 0 else ""
        if opening < 0 or not inner or len(inner) > 8 or any(c in DELIMITERS or c in CLOSE_BRACKETS for c in inner):
            return at + 1
        i = opening
    return i


@lru_cache(maxsize=16)
def _last_run_break(keep: frozenset[str]) -> re.Pattern[str]:
    """The last character ending a run of name characters: a delimiter not in `keep`, or a bracket."""
    return _last_of((DELIMITERS - keep) | OPEN_BRACKETS | CLOSE_BRACKETS)


def last_index(text: str, chars: frozenset[str], end: int) -> int:
    """Where the last of `chars` before `end` stands in `text` (-1 when none)."""
    found = _last_of(chars).match(text, 0, end)
    return found.start(1) if found else -1


@lru_cache(maxsize=16)
def _last_of(chars: frozenset[str]) -> re.Pattern[str]:
    """Matches up to the last of `chars` in a text (group 1 that character):
    a backward search, which `re` has no other way to do."""
    if not chars:
        return re.compile(r"(?!)")
    return re.compile("(?s).*([" + "".join(re.escape(c) for c in sorted(chars)) + "])")


@lru_cache(maxsize=4)
def _sentence_ends(text: str) -> list[int]:
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence holding position `pos`."""
    # Bisect the text's sentence ends, found once: callers ask for every
    # mention of a long text, and a scan per call made that quadratic.
    ends = _sentence_ends(text)
    before = bisect.bisect_left(ends, pos)
    start = ends[before - 1] + 1 if before else 0
    match = _SENTENCE_END.search(text, pos)
    return start, (match.start() if match else len(text))


def protected_mask(segment: str, compounds: tuple[str, ...]) -> list[bool]:
    """True at each position of `segment` that lies inside a protected compound."""
    mask = [False] * len(segment)
    # At each position the pattern takes the longest compound starting there,
    # which covers every shorter one starting there too.
    for start, compound in word_starts(segment, compounds, longest_first=True):
        mask[start:start + len(compound)] = [True] * len(compound)
    return mask


def last_stop_end(segment: str, words: tuple[str, ...], singles: frozenset[str], mask: list[bool]) -> int:
    """Index just after the last stop word or stop character in `segment` (0 if none).

    Stops lying inside a protected compound do not count. Where several stop
    words start at one position, the first in `words` order is the one taken.
    """
    best = 0
    last_single = _last_of(singles).match
    found = last_single(segment)
    while found:   # the last stop character, then the one before while masked
        at = found.start(1)
        if not mask[at]:
            best = at + 1
            break
        found = last_single(segment, 0, at)
    # One regex scan finds, at each position, the first word in `words` order
    # starting there; only when that one lies in a protected compound are the
    # others tried (testing every word at every position dominated extraction).
    masked = True in mask
    for i, word in word_starts(segment, words, longest_first=False):
        if masked and True in mask[i:i + len(word)]:
            word = _first_unmasked(segment, i, words, mask)
            if not word:
                continue
        best = max(best, i + len(word))
    return best


def stop_end(segment: str, words: tuple[str, ...], singles: frozenset[str], compounds: tuple[str, ...],
             context: str | None = None) -> tuple[int, list[bool] | None]:
    """last_stop_end of `segment`, stops inside a protected compound left out,
    and the mask used (None when nothing is protected).

    The compounds are looked for in `context` when given (the segment and
    what follows it, so a compound running past the segment counts).
    """
    context = segment if context is None else context
    if _for_list(compounds, _longest_pattern).search(context):
        mask = protected_mask(context, compounds)[:len(segment)]
        return last_stop_end(segment, words, singles, mask), mask
    # Most segments hold no protected compound: no mask is built or consulted.
    last_single = _last_of(singles).match(segment)
    best = last_single.start(1) + 1 if last_single else 0
    search = _for_list(words, _ordered_pattern).search
    found = search(segment)
    while found:
        best = max(best, found.end())
        found = search(segment, found.start() + 1)
    return best, None


def word_starts(segment: str, words: tuple[str, ...], longest_first: bool):
    """(position, word) at every position of `segment` where one of `words`
    starts: the first of them in their order, or the longest."""
    # A search from each found position on, not a lookahead tried at every
    # position: the search skips in C to the characters that start a word.
    pattern = _for_list(words, _longest_pattern if longest_first else _ordered_pattern)
    search = pattern.search
    found = search(segment)
    while found:
        start = found.start()
        yield start, found.group()
        found = search(segment, start + 1)


def _first_unmasked(segment: str, i: int, words: tuple[str, ...], mask: list[bool]) -> str:
    """The first of `words` starting at `i` that lies outside the protected compounds ('' if none)."""
    for word in _for_list(words, _by_first_character).get(segment[i], ()):
        if segment.startswith(word, i) and True not in mask[i:i + len(word)]:
            return word
    return ""


# What is compiled from a word list, found by the list's identity and what
# was built: an lru_cache hashed the whole tuple of words on every call, which
# cost as much as the scan. Each entry holds its list, so the id stays its own.
_BY_LIST: dict[tuple[int, object], tuple[tuple[str, ...], object]] = {}


def _for_list(words: tuple[str, ...], build):
    key = (id(words), build)
    entry = _BY_LIST.get(key)
    if entry is None or entry[0] is not words:
        if len(_BY_LIST) >= 64:
            _BY_LIST.clear()
        entry = _BY_LIST[key] = (words, build(words))
    return entry[1]


def _ordered_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches the first of `words` in their order that fits (never the empty word)."""
    if any(words) and is_longest_first(words):
        return _longest_pattern(words)
    alternatives = "|".join(re.escape(w) for w in words if w)
    return re.compile(alternatives or r"(?!)")


def _longest_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches the longest of `words` that fits (never the empty word)."""
    # A trie tries each position once per character, not once per word.
    return re.compile(trie_regex(words))


def _by_first_character(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The non-empty `words` by their first character, each group in the order of `words`."""
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word)
    return {first: tuple(group) for first, group in groups.items()}


def word_positions(text: str, words: tuple[str, ...]) -> dict[str, list[int]]:
    """Every position where one of `words` starts in `text`, overlapping
    ones too, by word (a word the text does not hold is left out)."""
    # One trie search over the text instead of a find per word (the known
    # organisations, aliases and titles: three times fewer characters read).
    # Where no word starts another, one word at most starts at a position,
    # so a search from each hit on finds every occurrence of every word.
    pattern = _for_list(words, _prefix_free_pattern)
    if pattern is None:
        return {word: found for word in words if (found := occurrences(text, word))}
    positions: dict[str, list[int]] = {}
    search = pattern.search
    found = search(text)
    while found:
        start = found.start()
        positions.setdefault(found.group(), []).append(start)
        found = search(text, start + 1)
    return positions


def successive(positions: list[int], length: int) -> list[int]:
    """Of a word's positions, those a find from the end of the one before gives."""
    kept, end = [], 0
    for start in positions:
        if start >= end:
            kept.append(start)
            end = start + length
    return kept


def _prefix_free_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """The words' trie, or None when one word starts another (or is empty)."""
    ordered = sorted(set(words))
    if not ordered or not ordered[0] or any(b.startswith(a) for a, b in zip(ordered, ordered[1:])):
        return None
    return re.compile(trie_regex(ordered))


def occurrences(text: str, word: str) -> list[int]:
    """Start positions of every occurrence of `word` in `text`."""
    found, start = [], text.find(word)
    while start >= 0 and word:
        found.append(start)
        start = text.find(word, start + 1)
    return found
