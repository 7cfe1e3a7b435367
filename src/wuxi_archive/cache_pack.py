"""Every cache entry's first line in one file (outcomes.jsonl): what a rebuild reads.

A rebuild reads the first line of every cached seed: 7,000 files at 10,000
articles, a tenth of a second when the kernel holds them and several tenths
when it has dropped them. The pack is one read. A line is an entry's key and
first line; entries are content-addressed, so a line is right for its key as
long as it decodes, and an entry the pack lacks (or whose line is damaged) is
read itself. New lines are appended, a later line replacing an earlier one
of the same key; the file is written again only once a quarter of it is
lines no longer used, so that a rebuild after one new seed does not rewrite
25 MB.
"""
from __future__ import annotations

import typing
from pathlib import Path
from typing import Callable

from .atomic_file import replace_file
from .plain import from_json
from .records import SeedOutcome

PACK = "outcomes.jsonl"
_KEY_AT = slice(8, 72)                    # '{"key":"<64 hex>","outcome":{...}}'
_AFTER_KEY = b'","outcome":'


class PackedOutcome(typing.TypedDict):
    """A line of the pack."""
    key: str
    outcome: SeedOutcome


class OutcomePack:
    """The pack of a cache folder, loaded when first asked."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / PACK
        self._lines: dict[str, bytes] | None = None      # key -> line
        self._in_file = 0                                # lines the file holds, unused and replaced ones too
        self._ends_cleanly = True                        # the file ends with a line break (not cut short)
        self._unsaved: dict[str, None] = {}              # keys whose line the file lacks, in order

    def _loaded(self) -> dict[str, bytes]:
        if self._lines is None:
            try:
                data = self.file.read_bytes()
            except OSError:
                data = b""
            lines = data.splitlines()
            # The key is read off each line; a line is decoded only when its entry is asked for.
            self._lines = {line[_KEY_AT].decode("ascii", "replace"): line for line in lines
                           if line.startswith(b'{"key":"') and line[72:72 + len(_AFTER_KEY)] == _AFTER_KEY}
            self._in_file = len(lines)
            self._ends_cleanly = data.endswith(b"\n") or not data
        return self._lines

    def get(self, key: str) -> SeedOutcome | None:
        """The entry's outcome as its first line holds it, or None (not packed, or damaged)."""
        line = self._loaded().get(key)
        if line is None:
            return None
        try:
            return from_json(PackedOutcome, line)["outcome"]
        except ValueError:
            del self._lines[key]           # type: ignore[union-attr]
            return None

    def add(self, key: str, first_line: bytes) -> None:
        """An entry's first line, read from the entry itself, to pack."""
        self._loaded()[key] = b'{"key":"%s","outcome":%s}' % (key.encode("ascii"), first_line.rstrip(b"\n"))
        self._unsaved[key] = None

    def save(self, keys: list[str], first_line_of: Callable[[str], bytes]) -> None:
        """Pack these entries: append the lines the file lacks, or write it again when a
        quarter of it would be lines no longer used. Entries not read this build (those
        the workers wrote) are read with `first_line_of(key)` (OSError: left out)."""
        lines = self._loaded()
        for key in keys:
            if key not in lines:
                try:
                    self.add(key, first_line_of(key))
                except OSError:
                    continue
        wanted = [key for key in keys if key in lines]
        keep = set(wanted)
        fresh = sorted(key for key in self._unsaved if key in keep)
        if self._in_file + len(fresh) > len(wanted) + len(wanted) // 4:
            replace_file(self.file, b"".join(lines[key] + b"\n" for key in wanted))
            self._lines = {key: lines[key] for key in wanted}
            self._in_file, self._ends_cleanly = len(wanted), True
        elif fresh:
            try:
                with self.file.open("ab") as pack:
                    # A build killed while appending leaves a line cut short: start on a line of its own.
                    pack.write((b"" if self._ends_cleanly else b"\n") + b"".join(lines[key] + b"\n" for key in fresh))
            except OSError as exc:      # a full disk: a line cut short, as a kill leaves; name the file
                if exc.filename is not None:
                    raise
                raise OSError(exc.errno, exc.strerror, str(self.file)) from exc
            self._in_file += len(fresh) + (not self._ends_cleanly)
            self._ends_cleanly = True
        self._unsaved.clear()
