"""Fast paths give exactly what the simple code they replace gave.

Each test keeps the simple version here, as the reference, and compares it
with the fast one on real lines (seeds, test pages) and on garbled ones.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from wuxi_archive.clean import mojibake as M


def _garble(text: str, at: int) -> str:
    """`text` with one byte lost at character `at`, read on out of step (as the pages show it)."""
    data = text[at:].encode("gbk", "replace")[1:]
    return text[:at] + "?" + data.decode("gb18030", "replace")


def _page_lines(folder: Path, limit: int = 40) -> list[str]:
    lines = []
    for path in sorted(folder.glob("*.txt"))[:limit]:
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines


def naive_best_window(text: str, start: int, end: int, marked: bool) -> int | None:
    """The window search as first written: every window recounted from scratch."""
    shifted = M._shifted_pairs(text[start:end])
    if marked:
        return start if all(shifted) else None
    best, best_gain, gain = None, 0, 0
    for i in range(end - 2, start - 1, -1):
        if shifted[i - start] is None:
            break
        gain += M._quality(shifted[i - start]) - M._quality(text[i + 1])
        window = text[i:end]
        strong = any(M._is_private(c) for c in window) or (
            len(window) >= 6 and sum(M._tier(c) < 2 for c in window) * 2 >= len(window))
        if strong and gain - M._quality(text[i]) > best_gain:
            best, best_gain = i, gain - M._quality(text[i])
    return best


@pytest.fixture(scope="module")
def lines(seeds_dir: Path, shared_dir: Path) -> list[str]:
    real = _page_lines(seeds_dir) + _page_lines(shared_dir / "testpages")
    prose = [line for line in real if len(line) > 20]
    garbled = [_garble(line, len(line) // 3) for line in prose[::3]]
    return real + garbled


def test_window_search_counts_incrementally_with_the_same_result(lines):
    compared = found = 0
    for text in lines:
        for start, end in M._spans(text):
            for marked in (False, True):
                fast = M._best_window(text, start, end, marked)
                assert fast == naive_best_window(text, start, end, marked), text
                compared += 1
                found += fast is not None and not marked
    assert compared > 1000 and found > 10   # garbled lines really reach the repair

