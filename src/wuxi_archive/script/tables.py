"""A faster traditional -> simplified converter over opencc's own dictionaries.

opencc-python-reimplemented converts each text segment (text between the
separators of its split pattern) group by group: in a group, the first
dictionary takes the longest key found anywhere in the piece (leftmost on
a tie), splits the piece around it and goes on in both halves with keys no
longer than that one; pieces where it finds nothing go to the group's next
dictionary. It finds keys by slicing every substring of every length, which
is what makes it slow (about half a million characters a second).

This module reads the same configuration and dictionary files and makes the
same choices, but finds where keys may start with one regular expression
and maps a single-character dictionary with str.translate, so the output is identical
(tests/test_convert_fast.py checks it against the reference).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

# The reference's segment separators (opencc.py, from OpenCC's
# PhraseExtract.cpp); no dictionary key contains one.
_SPLIT = opencc.OpenCC().split_chars_re


@dataclass(frozen=True)
class _Table:
    max_len: int
    min_len: int
    values: dict[str, str]          # key -> first listed value
    # Matches where a key's first `min_len` characters begin; None for a table
    # of one-character keys, which is applied by mapping characters instead.
    starts: re.Pattern[str] | None
    by_ord: dict[int, str]          # for str.translate, when every key is one character


def _read_table(path: Path, wanted: frozenset[str] | None = None) -> _Table | None:
    """A dictionary file's table; with `wanted`, only the keys in it (None if none is)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        key, value = line.strip().split("\t")
        if wanted is None or key in wanted:
            values[key] = value.split(" ")[0]   # the reference takes the first of several values
    if not values:
        return None
    max_len = max(1, max(len(k) for k in values))
    min_len = min(1000, min(len(k) for k in values))
    if max_len == 1:
        # Not compiled: a regex of thousands of characters took a third of loading t2s.
        return _Table(max_len, min_len, values, None, {ord(k): v for k, v in values.items()})
    starts = sorted({k[:min_len] for k in values})
    # A lookahead (matches overlap), guarded by a class of the keys' first
    # characters: without it the regex engine tries every alternative at
    # every position (ten times slower on the t2s phrases).
    first = "".join(re.escape(c) for c in sorted({p[0] for p in starts}))
    pattern = re.compile(f"(?=[{first}])(?=(?:" + "|".join(re.escape(p) for p in starts) + "))")
    return _Table(max_len, min_len, values, pattern, {})


def _read_chain(conversion: str, only_for: tuple[str, ...] | None = None) -> list[list[_Table]]:
    """The conversion's groups of dictionaries, in the reference's order; with `only_for`,
    only the keys found in those texts (a table holding none is left out)."""
    wanted = None
    if only_for is not None:
        wanted = frozenset(text[i:j] for text in only_for for i in range(len(text))
                           for j in range(i + 1, len(text) + 1))
    groups = [[_read_table(path, wanted) for path in group] for group in _chain_files(conversion)]
    return [[table for table in group if table is not None] for group in groups]


def _chain_files(conversion: str) -> list[list[Path]]:
    """The dictionary files of the conversion's groups, in the reference's order."""
    package = Path(opencc.__file__).resolve().parent
    config = json.loads((package / "config" / f"{conversion}.json").read_text(encoding="utf-8"))

    def files(spec: dict) -> list[Path]:
        if spec.get("type") == "group":
            return [f for item in spec.get("dicts", []) for f in files(item)]
        if spec.get("type") == "txt":
            return [package / "dictionary" / spec["file"]]
        return []

    return [files(step["dict"]) for step in config.get("conversion_chain", [])]


def character_table(conversion: str) -> dict[str, str]:
    """What the conversion does to a text of one character, as a mapping (a character
    it leaves alone is not in it): its last dictionary's.

    opencc's s2t and t2s are one group of a phrase dictionary and a character
    dictionary; no phrase is one character long, so a single character only
    ever meets the character dictionary (tests/test_convert_fast.py checks
    every character against the reference). Reading that one file spares
    loading the phrases: s2t's are a megabyte.
    """
    groups = _chain_files(conversion)
    if len(groups) != 1:
        raise ValueError(f"{conversion}: not one group of dictionaries")
    table = _read_table(groups[0][-1])
    return table.values if table else {}


class FastConverter:
    """Drop-in for `opencc.OpenCC(conversion).convert`, same output, faster.

    With `only_for`, only the dictionary keys found in those texts are read:
    the converter then gives the reference's output for them (a key a text
    does not hold is never used on it) and is quick to make for a few short
    texts (s2t's phrases are a megabyte), but not for other texts.
    """

    def __init__(self, conversion: str = "t2s", only_for: tuple[str, ...] | None = None) -> None:
        self.conversion = conversion
        self._chain = _read_chain(conversion, only_for)
        self.convert = lru_cache(maxsize=1 << 16)(self._convert)
        # One group ending in a one-character table that maps no separator
        # (t2s): a text where no longer key can start converts by that table
        # alone, in one str.translate, whatever its segments.
        group = self._chain[0] if len(self._chain) == 1 else []
        last = group[-1] if group else None
        self._plain_table = last if last is not None and last.max_len == 1 and not any(
            _SPLIT.search(chr(code)) for code in last.by_ord) else None

    def _convert(self, text: str) -> str:
        if self._plain_table is not None and not any(t.starts is None or t.starts.search(text)
                                                     for t in self._chain[0][:-1]):
            return text.translate(self._plain_table.by_ord)
        parts = _SPLIT.split(text)
        for i in range(0, len(parts), 2):          # odd indexes are separators
            segment = parts[i]
            for group in self._chain:
                out: list[str] = []
                self._solve(segment, 0, len(segment), group, 0, None, out)
                segment = "".join(out)
            parts[i] = segment
        return "".join(parts)

    def _solve(self, s: str, start: int, end: int, group: list[_Table], k: int,
               hint: int | None, out: list[str]) -> None:
        """Convert s[start:end] with dictionaries k.. of a group, keys at most `hint` long."""
        if start >= end:
            return
        if k == len(group):
            out.append(s[start:end])
            return
        table = group[k]
        if table.max_len == 1:
            if k == len(group) - 1:   # nothing after it: a plain character mapping
                out.append(s[start:end].translate(table.by_ord))
            else:
                self._map_chars(s, start, end, group, k, out)
            return
        limit = min(end - start, table.max_len, hint or table.max_len)
        best_len, best_at = 0, -1
        for match in table.starts.finditer(s, start, end):
            j = match.start()
            # Only a strictly longer key beats one found further left.
            for length in range(min(limit, end - j), max(best_len, table.min_len - 1), -1):
                if s[j:j + length] in table.values:
                    best_len, best_at = length, j
                    break
        if best_at < 0:
            self._solve(s, start, end, group, k + 1, None, out)
            return
        self._solve(s, start, best_at, group, k, best_len, out)
        out.append(table.values[s[best_at:best_at + best_len]])
        self._solve(s, best_at + best_len, end, group, k, best_len, out)

    def _map_chars(self, s: str, start: int, end: int, group: list[_Table], k: int, out: list[str]) -> None:
        """A one-character dictionary: every known character mapped, runs of others passed on."""
        values = group[k].values
        run = start
        for j in range(start, end):
            mapped = values.get(s[j])
            if mapped is not None:
                self._solve(s, run, j, group, k + 1, None, out)
                out.append(mapped)
                run = j + 1
        self._solve(s, run, end, group, k + 1, None, out)
