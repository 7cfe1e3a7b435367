"""Stage 1, load: read a seed file into a RawPage of decoded lines."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..records import RawPage
from .discover import SEED_SUFFIXES
from .encoding import decode_seed_bytes
from .html import html_to_page

# A seed larger than this is read only this far: scrapes that big are
# broken dumps, and reading them whole would make memory unbounded.
MAX_SEED_BYTES = 8 * 1024 * 1024
# A "line" longer than this is split: no real paragraph is this long, and
# the cleaner's per-line rules stay linear only on bounded lines.
MAX_LINE_CHARS = 20_000


class SeedError(Exception):
    """A seed that cannot be read; the message names the file and the reason."""


def load_seed(path: Path) -> RawPage:
    """Read one seed (text or saved web page) into decoded lines."""
    name = path.name
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_SEED_BYTES + 1)
    except PermissionError:
        raise SeedError(f"{name}: cannot be read (permission denied)") from None
    except OSError as exc:
        raise SeedError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    warnings: list[str] = []
    if len(data) > MAX_SEED_BYTES:
        data = data[:MAX_SEED_BYTES]
        warnings.append(f"file is larger than {MAX_SEED_BYTES // (1024 * 1024)} MiB; only the first part was read")
    return load_seed_bytes(name, data, warnings)


def load_seed_bytes(name: str, data: bytes, warnings: list[str] | None = None) -> RawPage:
    """Decode a seed's bytes; `name` decides whether it is read as HTML."""
    warnings = list(warnings or [])
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise SeedError(f"{name}: file is empty")
    text, encoding, enc_warnings = decode_seed_bytes(data)
    if text is None:
        raise SeedError(f"{name}: binary file, not text ({enc_warnings[0] if enc_warnings else 'undecodable'})")
    warnings.extend(enc_warnings)
    if name.lower().endswith((".html", ".htm")):
        page = html_to_page(name, text, encoding)
        page.digest = digest
        page.warnings = warnings + page.warnings
    else:
        page = RawPage(seed=name, lines=split_lines(text), encoding=encoding, warnings=warnings, digest=digest)
    if not any(line.strip() for line in page.lines):
        raise SeedError(f"{name}: no text in the file")
    return page


def split_lines(text: str) -> list[str]:
    """Split on any line end (CRLF, CR, LF), cutting over-long lines."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        while len(line) > MAX_LINE_CHARS:
            lines.append(line[:MAX_LINE_CHARS])
            line = line[MAX_LINE_CHARS:]
        lines.append(line)
    return lines
