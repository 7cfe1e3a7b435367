"""free_memory.py: freed memory goes back to the system (glibc; elsewhere nothing to test)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from wuxi_archive.free_memory import _glibc

pytestmark = pytest.mark.skipif(_glibc() is None, reason="no glibc malloc_trim/mallopt here")

# A fresh process: frees one block of 16 MB (glibc then raises its mmap threshold to 16 MB),
# makes 200 blocks of 2 MB, each followed by one of 64 KB that stays, frees the blocks, and
# prints how far its resident memory came back down (MB).
PROBE = textwrap.dedent("""
    import sys
    from wuxi_archive.free_memory import map_large_blocks_apart, release_free_memory
    def rss():
        return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) // 1024
    if sys.argv[1] == "fixed":
        map_large_blocks_apart()
    big = bytearray(16 << 20)
    del big
    before = rss()
    blocks, kept = [], []
    for n in range(200):
        blocks.append(bytearray(2 << 20))
        kept.append(bytearray(64 << 10))
    peak = rss()
    del blocks
    if sys.argv[1] == "trimmed":
        release_free_memory()
    print(peak - before, rss() - before)
""")


def _probe(mode: str) -> tuple[int, int]:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    grown, left = map(int, done.stdout.split())
    return grown, left


def test_large_blocks_freed_go_back_only_with_a_fixed_threshold():
    grown, left = _probe("default")
    assert grown >= 300 and left >= 300            # glibc's raised threshold: the heap keeps them
    grown, left = _probe("fixed")
    assert grown >= 300 and left < 50


def test_trim_gives_back_the_heaps_free_pages():
    grown, left = _probe("trimmed")
    assert grown >= 300 and left < 50
