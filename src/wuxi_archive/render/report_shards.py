"""Cleaning reports packed into shards: `editor/data/<n>.js`, a few dozen reports each, compressed.

One data file per article (render/report_data.py) was 10 KB, a quarter of the
site's bytes and a third of its files at 10,000 articles (issue 21: 30 KB per
article in all). Reports are text from the same sites (menus, footers, the
same repairs), so packed together and deflated they take about 40% of that.

A shard holds the reports of the articles whose ids hash to it (FNV-1a, which
static/report.js computes the same way), as one JSON array deflated (zlib)
and written in base64 inside a call of report.js's callback: a `<script>` tag
works from `file://`, where fetch does not, and the browser's
DecompressionStream inflates it. The number of shards is a power of two, so
it changes (and every shard with it) only when the archive doubles; one
changed article rewrites its shard alone.
"""
from __future__ import annotations

import base64
import json
import re
import zlib
from typing import Any

from ..records import compact_json

SHARD_REPORTS = 64        # reports per shard, about: opening one report loads ~250 KB
CALLBACK = "wuxiReports"
# Measured on the 10,000-article corpus (CPU s to pack every shard, KB per article): level 1
# 1.7 s, 4.7 KB; level 4 2.2 s, 4.1 KB; level 6 (zlib's default) 3.4 s, 3.9 KB. Writing one
# file per article as before took 1.2-1.3 s for 10.1 KB.
LEVEL = 4
_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, 0x01000193


def shard_count(articles: int) -> int:
    """How many shards for this many reports: the power of two that gives at most SHARD_REPORTS each on average."""
    needed = -(-articles // SHARD_REPORTS)
    return 1 << max(0, needed - 1).bit_length()


def shard_of(article_id: str, shards: int) -> int:
    """The shard an article's report is in: FNV-1a (32 bits) of its id's UTF-8 bytes, modulo `shards`
    (a power of two). Ids are ASCII (seed_ids.py), which report.js relies on to hash them alike."""
    h = _FNV_OFFSET
    for byte in article_id.encode("utf-8"):
        h = ((h ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return h & (shards - 1)


def shard_path(number: int) -> str:
    return f"editor/data/{number}.js"


def pack_shard(number: int, reports: list[dict[str, Any]]) -> bytes:
    """The data file of shard `number`: report.js's callback with the reports (report_data dicts,
    in id order) as a deflated, base64 JSON array."""
    packed = zlib.compress(compact_json(reports).encode("utf-8"), LEVEL)
    return f'{CALLBACK}({number},"{base64.b64encode(packed).decode("ascii")}");\n'.encode("ascii")


_PACKED = re.compile(rf'{CALLBACK}\((\d+),"([A-Za-z0-9+/=]*)"\);\n\Z')


def unpack_shard(data: bytes) -> tuple[int, list[dict[str, Any]]]:
    """A shard's number and reports, as report.js reads them (for tests and tools).
    ValueError when `data` is not a shard."""
    found = _PACKED.match(data.decode("ascii"))
    if not found:
        raise ValueError("not a report shard")
    return int(found.group(1)), json.loads(zlib.decompress(base64.b64decode(found.group(2))).decode("utf-8"))
