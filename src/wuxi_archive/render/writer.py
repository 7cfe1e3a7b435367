"""Write the site so that an interrupted build leaves the previous one whole.

Files are written into a staging folder beside the output folder; files
whose bytes did not change are hard-linked from the previous site instead
of written again. Only when everything is in place is the staging folder
swapped in, by two renames.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Callable


class UnsafePathError(ValueError):
    """A relative path that would leave the output folder."""


def safe_relpath(relpath: str) -> PurePosixPath:
    """Refuse absolute paths, `..` parts and odd characters in a site path."""
    path = PurePosixPath(relpath)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise UnsafePathError(f"unsafe output path: {relpath!r}")
    if any(c in relpath for c in "\\\0:"):
        raise UnsafePathError(f"unsafe output path: {relpath!r}")
    return path


class SiteWriter:
    """Collects a site's files in staging, then swaps it in with `commit()`."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self.staging = self.out_dir.with_name(self.out_dir.name + ".staging")
        self.previous = self.out_dir.with_name(self.out_dir.name + ".previous")
        self.written = 0
        self.linked = 0
        self._lock = _lock_output(self.out_dir)
        self._recover()
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    def _recover(self) -> None:
        # A build killed between the two renames of commit() leaves the old
        # site in `.previous` and none in place: put it back.
        if self.previous.exists() and not self.out_dir.exists():
            self.previous.rename(self.out_dir)
        elif self.previous.exists():
            shutil.rmtree(self.previous)

    def write(self, relpath: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        rel = safe_relpath(relpath)
        target = self.staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        old = self.out_dir.joinpath(*rel.parts)
        try:
            if old.stat().st_size == len(data) and old.read_bytes() == data:
                os.link(old, target)
                self.linked += 1
                return
        except OSError:
            pass
        target.write_bytes(data)
        self.written += 1

    def copy_tree(self, src: Path, relprefix: str) -> None:
        """Copy a folder of assets (static files) into the site."""
        for path in sorted(src.rglob("*")):
            if path.is_file():
                rel = path.relative_to(src).as_posix()
                self.write(f"{relprefix}/{rel}", path.read_bytes())

    def commit(self, before_unlock: Callable[[], None] | None = None) -> None:
        """Swap the staging folder in place of the old site; `before_unlock` runs while still locked."""
        if self.out_dir.exists():
            self.out_dir.rename(self.previous)
        self.staging.rename(self.out_dir)
        if self.previous.exists():
            shutil.rmtree(self.previous)
        try:
            if before_unlock is not None:
                before_unlock()
        finally:
            self._unlock()

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()     # closing the file releases the lock
            self._lock = None


def _lock_output(out_dir: Path):
    """Hold an exclusive lock beside the output folder while a site is staged.

    Two builds of one folder (a `build` while `serve` rebuilds) would share
    the staging folder; the second waits for the first instead. The kernel
    drops the lock when a process dies, so a killed build never blocks.
    """
    try:
        import fcntl
    except ImportError:          # not on POSIX: no lock, as before
        return None
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    handle = open(out_dir.with_name(f".{out_dir.name}.lock"), "a+b")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle
