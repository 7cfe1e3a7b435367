"""The files of the site a build makes: which are kept from the last build, which are new.

SiteFiles is the bookkeeping of one build's files (render/writer.py's SiteWriter is
it, with the staging folder, the lock and the swap): the manifest the last build
recorded (size, mtime and digest of every file), a scan of the output folder, and
what this build keeps or stages. A render worker keeps its own SiteFiles over the
same staging folder and hands it back (`absorb`): only files, never a lock.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

FileStat = tuple[int, int]              # size, mtime_ns
Manifest = dict[str, list]              # site path -> [size, mtime_ns, digest]
Piece = bytes | tuple[int, int]         # bytes, or a (start, end) range of another file


class UnsafePathError(ValueError):
    """A relative path that would leave the output folder."""


def safe_relpath(relpath: str) -> PurePosixPath:
    """Refuse absolute paths, `..` parts and odd characters in a site path."""
    check_relpath(relpath)
    return PurePosixPath(relpath)


_ODD_IN_PATH = re.compile(r"[\\\0:]")


def check_relpath(relpath: str) -> None:
    """safe_relpath's test alone, without making a path object: a rebuild asks it of every
    page it keeps. Empty and `.` parts are refused too (the build never makes them)."""
    if (not relpath or relpath[0] == "/" or _ODD_IN_PATH.search(relpath)
            or any(part in ("", ".", "..") for part in relpath.split("/"))):
        raise UnsafePathError(f"unsafe output path: {relpath!r}")


def content_digest(data: bytes) -> str:
    """The digest of a page without a key: a hash of its bytes (prefixed, never a page key)."""
    return "c:" + hashlib.blake2b(data, digest_size=16).hexdigest()


def write_staged(staging: Path, relpath: str, data: bytes) -> FileStat:
    """Write one file of the site into the staging folder; its size and mtime.

    A function of its own so that worker processes can stage files too.
    """
    return write_staged_pieces(staging, relpath, [data])


def write_staged_pieces(staging: Path, relpath: str, pieces: Iterable[Piece], source: Path | None = None) -> FileStat:
    """write_staged for a file made of `pieces`: bytes, and (start, end) ranges of `source`,
    which the kernel copies (copy_file_range) without their bytes passing through Python."""
    rel = safe_relpath(relpath)
    target = staging.joinpath(*rel.parts)
    # A new file, never one truncated in place: the staging folder is the spare of an earlier
    # build, whose files are hard links to the files of the site being read.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(target, flags, 0o644)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, flags, 0o644)
    except FileExistsError:
        os.unlink(target)
        fd = os.open(target, flags, 0o644)
    src = os.open(source, os.O_RDONLY) if source is not None else -1
    try:
        for piece in pieces:
            if isinstance(piece, tuple):
                _copy_range(src, fd, *piece)
            else:
                _write_all(fd, piece)
        st = os.fstat(fd)
    except OSError as exc:
        if exc.filename is None:      # os.write names no file: the message should (a full disk)
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    finally:
        os.close(fd)
        if src >= 0:
            os.close(src)
    return st.st_size, st.st_mtime_ns


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _copy_range(src: int, dst: int, start: int, end: int) -> None:
    """Append bytes start..end of `src` to `dst`, in the kernel where it can."""
    while start < end:
        try:
            copied = os.copy_file_range(src, dst, end - start, start)
        except (AttributeError, OSError):       # not Linux, or a file system that cannot
            copied = 0
        if copied <= 0:
            chunk = os.pread(src, min(end - start, 1 << 24), start)
            if not chunk:
                raise OSError(f"{end - start} bytes missing from the file being copied")
            _write_all(dst, chunk)
            copied = len(chunk)
        start += copied


class SiteFiles:
    """Which files of the site this build keeps from the last and which it staged (see the
    module's docstring). `previous` is the last build's manifest, `on_disk` a scan of the
    output folder `out_dir`; new files go into `staging`."""

    def __init__(self, out_dir: Path, staging: Path, previous: Manifest | None = None,
                 on_disk: dict[str, FileStat] | None = None) -> None:
        self.out_dir, self.staging = out_dir, staging
        self.previous: Manifest = previous or {}
        self._on_disk = on_disk or {}
        self.files: Manifest = {}          # what this build's site holds
        self.staged: list[str] = []
        self._staged_paths: set[str] = set()
        self.written = 0
        self.kept = 0

    @property
    def on_disk(self) -> dict[str, FileStat]:
        """Size and mtime of every file in the output folder as the build began, by site path."""
        return self._on_disk

    def part(self) -> SiteFiles:
        """An empty SiteFiles over the same folders and manifest: what a worker records."""
        return SiteFiles(self.out_dir, self.staging, self.previous, self.on_disk)

    def absorb(self, part: SiteFiles) -> None:
        """Count in what another SiteFiles (a worker's `part`) kept and staged."""
        for relpath in part.staged:
            size, mtime, digest = part.files[relpath]
            self.adopt(relpath, (size, mtime), digest)
        previous = self.previous
        self.files.update((relpath, entry if entry is not None else previous[relpath])
                          for relpath, entry in part.files.items())
        self.kept += part.kept

    def for_workers(self) -> tuple[dict[str, str], dict[str, FileStat]]:
        """What a WorkerFiles needs of this build's: the digest of every file still as the
        last build left it, and the scan of the files its manifest does not know."""
        digests = {}
        for relpath in self.previous:
            digest = self.unchanged(relpath)
            if digest is not None:
                digests[relpath] = digest
        return digests, {relpath: stat for relpath, stat in self.on_disk.items() if relpath not in self.previous}

    def __getstate__(self) -> dict:
        # A part goes back without the manifest and scan it was made with: the build has them.
        return {**self.__dict__, "previous": {}, "_on_disk": {}}

    def unchanged(self, relpath: str) -> str | None:
        """The digest the last build wrote `relpath` under, if the file is still as it left it."""
        old = self.previous.get(relpath)
        if old is None or self.on_disk.get(relpath) != (old[0], old[1]):
            return None
        return old[2]

    def keep(self, relpath: str, digest: str) -> bool:
        """Keep the file the last build wrote at `relpath` if it had this digest and was not touched since."""
        if self.unchanged(relpath) != digest:
            return False
        check_relpath(relpath)
        self.files[relpath] = self.previous[relpath]
        self.kept += 1
        return True

    def write(self, relpath: str, data: bytes | str, digest: str | None = None) -> None:
        """Add a file to the site; `digest` is the page's key when it has one."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        rel = safe_relpath(relpath)
        digest = digest or content_digest(data)
        if self.keep(relpath, digest) or self._same_as_on_disk(relpath, rel, data, digest):
            return
        self.adopt(relpath, write_staged(self.staging, relpath, data), digest)

    def write_pieces(self, relpath: str, pieces: Iterable[Piece], source: Path | None,
                     digest: str | Callable[[], str]) -> None:
        """Add a file made of bytes and ranges of `source` (write_staged_pieces), under its key
        `digest`, or the one `digest()` gives once the pieces are written (a hash of their bytes)."""
        stat = write_staged_pieces(self.staging, relpath, pieces, source)
        self.adopt(relpath, stat, digest if isinstance(digest, str) else digest())

    def adopt(self, relpath: str, stat: FileStat, digest: str) -> None:
        """Count in a file written into staging (write_staged)."""
        if relpath not in self._staged_paths:
            self._staged_paths.add(relpath)
            self.staged.append(relpath)
            self.written += 1
        # A rename keeps size and mtime: what is recorded now is what the site will hold.
        self.files[relpath] = [stat[0], stat[1], digest]

    def compares(self, relpath: str) -> bool:
        """Whether `write` would compare a new file's bytes with the one on disk (one the last
        build did not record: no cache, or a file put there by hand). Elsewhere a file may be
        staged by another process and counted in with `adopt`."""
        return relpath not in self.previous and relpath in self.on_disk

    def _same_as_on_disk(self, relpath: str, rel: PurePosixPath, data: bytes, digest: str) -> bool:
        # Without a manifest entry (no cache, or a file written by hand), compare the bytes.
        if not self.compares(relpath):
            return False
        stat = self.on_disk[relpath]
        if stat[0] != len(data):
            return False
        try:
            if self.out_dir.joinpath(*rel.parts).read_bytes() != data:
                return False
        except OSError:
            return False
        self.files[relpath] = [stat[0], stat[1], digest]
        self.kept += 1
        return True


class WorkerFiles(SiteFiles):
    """A render worker's SiteFiles, given (SiteFiles.for_workers) the digest of every file
    still as the last build left it instead of the manifest and the whole scan (a third of
    what a worker was sent), and the scan of the files the manifest does not know, which
    `write` compares by their bytes. A file kept is recorded without its manifest entry
    (None): the build process, which has the manifest, fills it in (`absorb`)."""

    def __init__(self, out_dir: Path, staging: Path, digests: dict[str, str],
                 unknown: dict[str, FileStat]) -> None:
        super().__init__(out_dir, staging, {}, unknown)
        self._digests = digests

    def part(self) -> WorkerFiles:
        return WorkerFiles(self.out_dir, self.staging, self._digests, self._on_disk)

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "_digests": {}}

    def unchanged(self, relpath: str) -> str | None:
        return self._digests.get(relpath)

    def keep(self, relpath: str, digest: str) -> bool:
        if self._digests.get(relpath) != digest:
            return False
        check_relpath(relpath)
        self.files[relpath] = None          # type: ignore[assignment] - filled in by absorb
        self.kept += 1
        return True
