"""Stage 1, load: read a seed file into a RawPage of decoded lines."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..records import RawPage
from .discover import SEED_SUFFIXES
from .encoding import decode_seed_bytes

# A seed larger than this is read only this far: scrapes that big are
# broken dumps, and reading them whole would make memory unbounded.
MAX_SEED_BYTES = 8 * 1024 * 1024
# A "line" longer than this is split: no real paragraph is this long, and
# the cleaner's per-line rules stay linear only on bounded lines.
MAX_LINE_CHARS = 20_000
# A page with more lines than this is read only this far: real pages have a
# few thousand at most, and cleaning time grows faster than the line count.
MAX_SEED_LINES = 20_000


class SeedError(Exception):
    """A seed that cannot be read; the message names the file and the reason."""


def load_seed(path: Path) -> RawPage:
    """Read one seed (text or saved web page) into decoded lines."""
    data, size = read_seed_bytes(path)
    warnings: list[str] = []
    if size > len(data):
        warnings.append(f"file is {size / 2**20:.1f} MiB, larger than the {MAX_SEED_BYTES // 2**20} MiB limit: "
                        f"only the first {len(data)} bytes were read, cut at a line end where possible")
    return load_seed_bytes(path.name, data, warnings)


def read_seed_bytes(path: Path, limit: int = MAX_SEED_BYTES) -> tuple[bytes, int]:
    """A seed's bytes (at most `limit`, cut at a line end) and its full size.

    Opened without blocking and checked to be a regular file first, so a
    FIFO or device named like a seed is refused instead of hanging the build.
    """
    name = path.name
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        raise SeedError(f"{name}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise SeedError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SeedError(f"{name}: not a regular file")
        try:
            # Asked for the file's size, not the limit: a buffer of the limit's size is mapped
            # on its own, and shrunk it keeps its mapping, one for every seed a build holds
            # (at 70,000 seeds the kernel's 65,530 mappings ran out). A file that grew since
            # its size was read is read on, up to the limit.
            data = fh.read(min(info.st_size, limit) + 1)
            if info.st_size < len(data) <= limit:
                data += fh.read(limit + 1 - len(data))
        except OSError as exc:
            raise SeedError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) <= limit:
        return data, len(data)
    return _cut_at_boundary(data[:limit]), max(info.st_size, limit + 1)


def _cut_at_boundary(data: bytes) -> bytes:
    """Shorten cut-off bytes to a whole line, or at least a whole character."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4096].count(0) > 256:
        return data[:len(data) - len(data) % 4]      # UTF-16/32: whole code units
    line_end = data.rfind(b"\n", len(data) // 2)
    if line_end > 0:
        return data[:line_end + 1]
    end = len(data)
    while end > len(data) - 4 and 0x80 <= data[end - 1] < 0xC0:  # UTF-8 continuation bytes
        end -= 1
    if end > len(data) - 4 and data[end - 1] >= 0xC0:             # and the lead byte they belong to
        end -= 1
    return data[:end]


def load_seed_bytes(name: str, data: bytes, warnings: list[str] | None = None) -> RawPage:
    """Decode a seed's bytes; `name` decides whether it is read as HTML."""
    warnings = list(warnings or [])
    if not data:
        raise SeedError(f"{name}: file is empty (0 bytes)")
    text, encoding, enc_warnings = decode_seed_bytes(data)
    if text is None:
        raise SeedError(f"{name}: binary file, not text ({enc_warnings[0] if enc_warnings else 'undecodable'})")
    if name.lower().endswith((".html", ".htm")):
        from .html import html_to_page    # BeautifulSoup, imported only for saved web pages
        from .html_meta import declared_charset
        warnings.extend(_declared_gbk_is_no_guess(enc_warnings, encoding, declared_charset(data)))
        page = html_to_page(name, text, encoding)
        page.warnings = warnings + page.warnings
    else:
        warnings.extend(enc_warnings)
        page = RawPage(seed=name, lines=text.replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                       encoding=encoding, warnings=warnings)
    if not any(line.strip() for line in page.lines):
        what = "only whitespace" if any(page.lines) else "no text"
        raise SeedError(f"{name}: file is empty ({what} after decoding as {encoding})")
    longest = max(len(line) for line in page.lines)
    if longest > MAX_LINE_CHARS:
        count = sum(1 for line in page.lines if len(line) > MAX_LINE_CHARS)
        pieces = [split_long_line(line) for line in page.lines]
        page.lines = [part for parts in pieces for part in parts]
        if page.line_hints:     # each piece keeps its line's hint
            page.line_hints = [hint for parts, hint in zip(pieces, page.line_hints) for _ in parts]
        page.warnings.append(f"{count} line(s) longer than {MAX_LINE_CHARS} characters (longest {longest}) "
                             "were split, at sentence ends where possible")
    if len(page.lines) > MAX_SEED_LINES:
        page.warnings.append(f"the page has {len(page.lines)} lines, more than the {MAX_SEED_LINES} limit: "
                             f"only the first {MAX_SEED_LINES} were read")
        del page.lines[MAX_SEED_LINES:]
        del page.line_hints[MAX_SEED_LINES:]
    return page


# Charsets of the GBK family a page may declare: decoding it as GB18030 is then
# what the page asked for, not a guess worth a warning.
_GBK_FAMILY = ("gbk", "gb2312", "gb18030", "x-gbk", "cp936")


def _declared_gbk_is_no_guess(warnings: list[str], encoding: str, declared: str | None) -> list[str]:
    """Drop the "decoded as gb18030, not UTF-8" note when the page declares a GBK-family
    charset and every byte decoded; damage (replaced bytes) is still reported."""
    if encoding != "gb18030" or declared not in _GBK_FAMILY:
        return warnings
    return [w for w in warnings if not (w.startswith("decoded as gb18030") and "undecodable" not in w)]


def split_lines(text: str) -> list[str]:
    """Split on any line end (CRLF, CR, LF), cutting over-long lines."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [part for line in lines for part in split_long_line(line)]


def split_long_line(line: str) -> list[str]:
    """A line cut into pieces of at most MAX_LINE_CHARS characters."""
    parts: list[str] = []
    while len(line) > MAX_LINE_CHARS:
        cut = _cut_point(line)
        parts.append(line[:cut])
        line = line[cut:]
    parts.append(line)
    return parts


_SENTENCE_ENDS = re.compile(r"[。！？!?；;]")


def _cut_point(line: str) -> int:
    """Where to cut an over-long line: after its last sentence end in the
    first MAX_LINE_CHARS characters, so sentences stay whole; else at the limit."""
    window = line[:MAX_LINE_CHARS]
    last = None
    for last in _SENTENCE_ENDS.finditer(window, MAX_LINE_CHARS // 2):
        pass
    return last.end() if last else MAX_LINE_CHARS
