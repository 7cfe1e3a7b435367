"""Word alternations as a character trie.

`局|局长|副局长` makes the regex engine try every word at every position of
a text; the trie `副局长|局(?:长)?` tries each position once per character.
With its greedy optional groups it takes the longest word that fits at a
position: the same choice as an alternation of the words listed longest
first, which is how the extractor lists them.
"""
from __future__ import annotations

import re
from typing import Iterable


def trie_regex(words: Iterable[str]) -> str:
    """A pattern (no capturing groups) matching exactly `words`, longest first."""
    root: dict = {}
    for word in words:
        if word:
            node = root
            for char in word:
                node = node.setdefault(char, {})
            node[""] = {}
    return _emit(root) if root else "(?!)"


def _emit(node: dict) -> str:
    branches = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body


def is_longest_first(words: tuple[str, ...]) -> bool:
    """Whether `words` are listed longest first (so the first that fits is the longest)."""
    return all(len(a) >= len(b) for a, b in zip(words, words[1:]))
