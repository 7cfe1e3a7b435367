"""The workers' records for data/articles.json, kept in a file as they arrive, not in memory.

Each article's record (9 KB of JSON on average) is made by the worker that
cleaned its seed. Held as strings until articles.json is written, they were
the largest thing the build kept: about 900 MB at 100,000 articles, and for a
moment three copies of it while the file was joined. Here they are appended
to an unnamed file (in the build's cache folder, or beside the output folder
without a cache) and only where each one is is kept; records_file.py writes
articles.json from ranges of it, a piece at a time.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .records import RECORD_SEPARATOR, PreparedArticle


class RecordSpool:
    """Records by the PreparedArticle they belong to (by object: one triage copied is not
    this record's any more, and render makes its own)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._file = _unnamed_file(folder)
        self._size = 0
        self._at: dict[int, tuple[int, int]] = {}      # id(prepared) -> (start, end) in the file

    def add(self, prepared: list[PreparedArticle], records: list[str]) -> None:
        """Append the records the worker made for these articles (an empty one is not kept)."""
        kept = [(made, record.encode("utf-8")) for made, record in zip(prepared, records) if record]
        for (made, _), span in zip(kept, self.append([encoded for _, encoded in kept])):
            self._at[id(made)] = span

    def append(self, records: list[bytes]) -> list[tuple[int, int]]:
        """Append records (JSON, encoded) and say where each one is: records_file.py's
        own, made for articles no worker made one for this build."""
        spans, data = [], []
        for encoded in records:
            spans.append((self._size, self._size + len(encoded)))
            self._size += len(encoded) + len(RECORD_SEPARATOR)
            data += [encoded, RECORD_SEPARATOR]
        view = memoryview(b"".join(data))
        while view:         # unbuffered: nothing waits in this process for a forked copy to write too
            view = view[self._file.write(view):]
        return spans

    def span(self, prepared: PreparedArticle | None) -> tuple[int, int] | None:
        """Where the article's record is in the file, if a worker made it this build."""
        return self._at.get(id(prepared)) if prepared is not None else None

    def read(self, start: int, end: int, chunk: int = 1 << 20):  # noqa: ANN201 - an iterator of bytes
        """Bytes start..end of the file, in pieces of at most `chunk` bytes."""
        fd = self._file.fileno()
        while start < end:
            data = os.pread(fd, min(chunk, end - start), start)
            if not data:
                raise OSError(f"{end - start} bytes missing from the records' spool")
            yield data
            start += len(data)

    def close(self) -> None:
        self._file.close()
        self._at = {}


def _unnamed_file(folder: Path | None):  # noqa: ANN202 - a binary file object
    """A file deleted as soon as it is made (nothing left behind by a killed build), in
    `folder` when it can be (not /tmp, which may be memory), else where Python puts them."""
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.TemporaryFile(dir=folder, prefix=".records-", buffering=0)
        except OSError:
            pass
    return tempfile.TemporaryFile(prefix="wuxi-records-", buffering=0)
