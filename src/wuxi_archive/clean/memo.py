"""A memo for the line predicates: pure functions of one line's text.

functools.lru_cache keeps each entry in a linked list node that the garbage
collector tracks; with tens of thousands of lines remembered, every full
collection walks them all (a tenth of the cleaning time on the 2k corpus).
A plain dict keyed by the text, answering a bool, an int or a str, holds
nothing the collector tracks. It is forgotten at once when full, which for
a build's pages costs a little recomputation and keeps memory bounded.
"""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

T = TypeVar("T")


def remember(table: dict, key: object, answer: T, maxsize: int) -> T:
    """Store `answer` under `key` in a memo of at most `maxsize` entries (emptied at once when
    full) and return it: the miss path of text_memo and of the lexicon's `remembered`."""
    if len(table) >= maxsize:
        table.clear()
    table[key] = answer
    return answer


def text_memo(maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """Remember `func(text)` for up to `maxsize` texts; the answer must be immutable."""
    def decorate(func: Callable[[str], T]) -> Callable[[str], T]:
        memo: dict[str, T] = {}

        @functools.wraps(func)
        def remembered(text: str) -> T:
            try:
                return memo[text]
            except KeyError:
                return remember(memo, text, func(text), maxsize)

        remembered.cache_clear = memo.clear     # as lru_cache's, for the tests that start cold
        remembered.__wrapped__ = func
        return remembered
    return decorate
