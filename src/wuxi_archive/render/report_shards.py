"""Cleaning reports packed into shards: `editor/data/<n>.js`, a few dozen reports each, compressed.

One data file per article (render/report_data.py) was 10 KB, a quarter of the
site's bytes and a third of its files at 10,000 articles (issue 21: 30 KB per
article in all). Reports are text from the same sites (menus, footers, the
same repairs), so packed together and deflated they take about 40% of that.

A shard holds the reports of the articles whose ids hash to it (FNV-1a, which
static/report.js computes the same way), as one JSON value `[lines, reasons,
reports]` deflated (zlib) and written as text inside a call of report.js's
callback: a `<script>` tag works from `file://`, where fetch does not, and the
browser's DecompressionStream inflates it. `lines` holds each raw line that two
or more of the shard's reports show (a site's menus and footers, seen by many
articles) and `reasons` every removal reason, once: a report gives its index
there instead (deflate only sees 32 KB back, about four reports). The text is 7 bits a character
(encode_7bit), not base64's 6: an eighth smaller. The number of shards is a
power of two, so it changes (and every shard with it) only when the archive
doubles; one changed article rewrites its shard alone.
"""
from __future__ import annotations

import json
import re
import zlib
from typing import Any

from ..records import compact_json

# Reports per shard at most, on average (64-128): opening one report loads 130-250 KB (64 took
# up to 250 KB in base64, without shared lines). More share more lines: 0.14 KB an article
# less at 10,000 than with 64.
SHARD_REPORTS = 128
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


# Line by line, shared when seen in this many reports of a shard and at least this long
# (an index is up to four characters in the JSON; a shorter line is as cheap spelt out).
SHARED_MIN_REPORTS, SHARED_MIN_CHARS = 2, 4


def shared_values(reports: list[dict[str, Any]]) -> tuple[list[str], list[list[str]], list[dict[str, Any]]]:
    """What the shard's reports share, said once: the raw lines two or more of them show (most
    shown first, then first seen) and every removal reason ([reason, label], first seen
    first); and the reports with each such line, and each reason, given as its index there
    (report.js puts them back)."""
    seen: dict[str, int] = {}
    for report in reports:
        for line in set(report["lines"]):
            if len(line) >= SHARED_MIN_CHARS:
                seen[line] = seen.get(line, 0) + 1
    first = {line: n for n, line in reversed(list(enumerate(line for r in reports for line in r["lines"])))}
    lines = sorted((line for line, count in seen.items() if count >= SHARED_MIN_REPORTS),
                   key=lambda line: (-seen[line], first[line]))
    line_at = {line: n for n, line in enumerate(lines)}
    reasons: list[list[str]] = []
    reason_at: dict[tuple[str, ...], int] = {}
    for report in reports:
        for reason in report["reasons"]:
            if tuple(reason) not in reason_at:
                reason_at[tuple(reason)] = len(reasons)
                reasons.append(list(reason))
    return lines, reasons, [dict(r, lines=[line_at.get(line, line) for line in r["lines"]],
                                 reasons=[reason_at[tuple(reason)] for reason in r["reasons"]]) for r in reports]


# The 7-bit values a JavaScript string in double quotes cannot hold as themselves (NUL too,
# to be safe): each is written as U+0080 + its index here, two bytes in UTF-8.
UNSAFE = (0x00, 0x0A, 0x0D, 0x22, 0x5C)


# Group j (0-7) of 7 bytes b0..b6 is the low j bits of b[j-1] then the high 7 - j bits of
# b[j]: a byte's part of a group is a lookup, so bytes.translate makes each part of a
# whole shard at once.
_HIGH = [bytes(b >> (j + 1) for b in range(256)) for j in range(7)]                          # b[j]'s, j < 7
_LOW = [bytes((b & ((1 << j) - 1)) << (7 - j) for b in range(256)) for j in range(1, 8)]   # b[j-1]'s, j > 0


def encode_7bit(data: bytes) -> str:
    """`data` as text for a JavaScript string literal: its bits, most significant first, 7 a
    character (the last padded with zeros), each an ASCII character but UNSAFE's.
    report.js reads back floor(7 * len / 8) bytes: exactly `data`.

    Every 7 bytes become 8 characters, made column by column (the j-th character of
    every 7 bytes at once: translate, and an OR of two columns as integers, which
    carry nothing) so that no Python loop runs per byte."""
    lanes = -(-len(data) // 7)
    padded = data + bytes(7 * lanes - len(data))
    out = bytearray(8 * lanes)
    out[0::8] = padded[0::7].translate(_HIGH[0])
    for j in range(1, 7):
        high = int.from_bytes(padded[j::7].translate(_HIGH[j]), "big")
        low = int.from_bytes(padded[j - 1::7].translate(_LOW[j - 1]), "big")
        out[j::8] = (high | low).to_bytes(lanes, "big")
    out[7::8] = padded[6::7].translate(_LOW[6])
    text = bytes(out[:-(-8 * len(data) // 7)])
    for n, value in enumerate(UNSAFE):
        text = text.replace(bytes([value]), chr(0x80 + n).encode("utf-8"))
    return text.decode("utf-8")


def decode_7bit(text: str) -> bytes:
    """encode_7bit's data back (as report.js reads it; for tests and tools)."""
    values = [ord(c) if ord(c) < 0x80 else UNSAFE[ord(c) - 0x80] for c in text]
    bits = "".join(f"{v:07b}" for v in values)
    size = len(bits) // 8
    return int(bits[:8 * size], 2).to_bytes(size, "big") if size else b""


def pack_shard(number: int, reports: list[dict[str, Any]]) -> bytes:
    """The data file of shard `number`: report.js's callback with the reports (report_data dicts,
    in id order) as `[lines, reasons, reports]` (shared_values), deflated, in encode_7bit's text."""
    packed = zlib.compress(compact_json(list(shared_values(reports))).encode("utf-8"), LEVEL)
    return f'{CALLBACK}({number},"{encode_7bit(packed)}");\n'.encode("utf-8")


_PACKED = re.compile(rf'{CALLBACK}\((\d+),"([^"\\\n\r]*)"\);\n\Z')


def unpack_shard(data: bytes) -> tuple[int, list[dict[str, Any]]]:
    """A shard's number and reports, as report.js reads them (for tests and tools): each
    report's lines and reasons spelt out again. ValueError when `data` is not a shard."""
    found = _PACKED.match(data.decode("utf-8"))
    if not found:
        raise ValueError("not a report shard")
    lines, reasons, reports = json.loads(zlib.decompress(decode_7bit(found.group(2))).decode("utf-8"))
    for report in reports:
        report["lines"] = [lines[line] if isinstance(line, int) else line for line in report["lines"]]
        report["reasons"] = [reasons[n] for n in report["reasons"]]
    return int(found.group(1)), reports
