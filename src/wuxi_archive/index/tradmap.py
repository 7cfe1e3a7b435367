"""A compact traditional -> simplified character map for the search page.

Derived from opencc's own character table (TSCharacters), trimmed to the
characters that matter: those whose simplified form occurs in the archive.
A query typed in traditional characters can then find simplified text
without shipping the whole dictionary to the browser.
"""
from __future__ import annotations

from importlib import resources


def opencc_characters() -> dict[str, str]:
    """Every traditional character opencc knows, mapped to its first simplified form."""
    table = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    mapping: dict[str, str] = {}
    for line in table.splitlines():
        trad, _, targets = line.partition("\t")
        candidates = targets.split()
        if len(trad) == 1 and candidates and len(candidates[0]) == 1 and candidates[0] != trad:
            mapping[trad] = candidates[0]
    return mapping


def trad_to_simp_pairs(used_chars: set[str], table: dict[str, str] | None = None) -> str:
    """Traditional/simplified pairs, concatenated, for characters the text uses.

    Returned as one string "臺台灣湾…" (even positions traditional, odd
    simplified), sorted so the output is byte-identical across builds.
    """
    table = opencc_characters() if table is None else table
    pairs = sorted((t, s) for t, s in table.items() if s in used_chars and t not in used_chars)
    return "".join(t + s for t, s in pairs)
