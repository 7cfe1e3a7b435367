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
_HAN = re.compile(r"[\u3400-\u9fff]")


def is_han(char: str) -> bool:
    return bool(_HAN.match(char))


def span_start(text: str, end: int, limit: int = 40, keep: frozenset[str] = frozenset()) -> int:
    """Where the run of name characters ending at `end` starts.

    A short bracket group inside the run (康明斯(中国)投资) is part of it;
    an opening bracket with no closing one before `end` ends it, so a name
    is never taken from inside `(以下简称...)`.
    """
    i, lo = end, max(0, end - limit)
    while i > lo:
        char = text[i - 1]
        if char in CLOSE_BRACKETS:
            opening = max(text.rfind("(", lo, i - 1), text.rfind("（", lo, i - 1))
            inner = text[opening + 1:i - 1] if opening >= 0 else ""
            if opening < 0 or not inner or len(inner) > 8 or any(c in DELIMITERS or c in CLOSE_BRACKETS for c in inner):
                break
            i = opening
            continue
        if char in OPEN_BRACKETS or (char in DELIMITERS and char not in keep):
            break
        i -= 1
    return i


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
    for match in _starts_pattern(compounds, longest_first=True).finditer(segment):
        start = match.start()
        mask[start:start + len(match.group(1))] = [True] * len(match.group(1))
    return mask


def last_stop_end(segment: str, words: tuple[str, ...], singles: frozenset[str], mask: list[bool]) -> int:
    """Index just after the last stop word or stop character in `segment` (0 if none).

    Stops lying inside a protected compound do not count. Where several stop
    words start at one position, the first in `words` order is the one taken.
    """
    best = 0
    for i in range(len(segment) - 1, -1, -1):
        if segment[i] in singles and not mask[i]:
            best = i + 1
            break
    # One regex scan finds, at each position, the first word in `words` order
    # starting there; only when that one lies in a protected compound are the
    # others tried (testing every word at every position dominated extraction).
    masked = True in mask
    for match in _starts_pattern(words, longest_first=False).finditer(segment):
        i, word = match.start(), match.group(1)
        if masked and True in mask[i:i + len(word)]:
            word = next((w for w in words if w and segment.startswith(w, i) and True not in mask[i:i + len(w)]), "")
            if not word:
                continue
        best = max(best, i + len(word))
    return best


@lru_cache(maxsize=64)
def _starts_pattern(words: tuple[str, ...], longest_first: bool) -> re.Pattern[str]:
    """Matches (empty, group 1 the word) at every position where one of `words` starts:
    the first of them in their order, or the longest."""
    if any(words) and (longest_first or is_longest_first(words)):
        # The first word in order that fits is then the longest: a trie finds
        # it trying each position once per character, not once per word.
        return re.compile(f"(?=({trie_regex(words)}))")
    alternatives = "|".join(re.escape(w) for w in words if w)
    return re.compile(f"(?=({alternatives}))" if alternatives else r"(?!)")


def occurrences(text: str, word: str) -> list[int]:
    """Start positions of every occurrence of `word` in `text`."""
    found, start = [], text.find(word)
    while start >= 0 and word:
        found.append(start)
        start = text.find(word, start + 1)
    return found
