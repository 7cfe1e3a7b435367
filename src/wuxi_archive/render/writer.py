"""Write the site so that readers see the previous site or the new one, whole, never a mix.

New and changed files are written into a staging folder beside the output
folder; nothing in the output folder is touched until everything is
rendered. Then the files kept from the last build are hard-linked into the
staging folder (a link per file, no bytes copied), so that it holds the
whole new site, and the two folders are exchanged in one system call
(renameat2 with RENAME_EXCHANGE, Linux 3.15 and later): a reader opening
`build/index.html`, or CI uploading `build/`, sees one site or the other. A
build killed at any moment leaves the old site in place, or the new one with
the old one under the staging name. That folder is kept: it is the next
build's spare. A rebuild scans it (with the site, site_scan.py) and updates it into
the new site: its files not in the new site are deleted, files written anew
replace theirs (never written into in place: they may be links to the live
site's files), and only files the last build changed and this one keeps are
linked again. So a one-seed rebuild links a handful of files, not 25,000. Where the
exchange is not available (another kernel, a file system without it) two
renames do it, the old folder set aside as `<out>.previous` first: a build
killed between them leaves no `<out>` for a moment and the next build puts
the old one back. A first build simply renames the staging folder.

An output folder that is itself a mount point (a Docker volume) cannot be
renamed: its staging folder is made inside it (`.wuxi-staging`) and the
files are moved in one by one, after a journal lists the moves; a build
killed while moving is finished by the next one. That is safe but not
atomic, and `build` says so.

A manifest (size, mtime and a digest of every file the last build wrote)
lets a rebuild keep a page whose digest is unchanged without reading it
back: the digest is the page's key when it has one (a hash of all
the page shows), else a hash of its bytes.
"""
from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Callable

from .site_files import (FileStat, Manifest, Piece, SiteFiles, UnsafePathError, check_relpath, content_digest,
                         safe_relpath, write_staged, write_staged_pieces)
from .site_scan import IN_PLACE_STAGING, ScanInChild, scan_site

__all__ = ["FileStat", "Manifest", "Piece", "SiteFiles", "SiteWriter", "UnsafePathError", "check_relpath",
           "content_digest", "safe_relpath", "write_staged", "write_staged_pieces", "scan_site", "wait_for_removals"]

class SiteWriter(SiteFiles):
    """Collects a site's new and changed files in staging, then moves them in with `commit()`.

    `previous` is the manifest the last build recorded (it may be set after
    the writer has taken the lock); `on_disk` is a scan of the output folder.
    A file whose size and mtime no longer match the manifest was changed by
    hand and is rewritten. With `scan_meanwhile`, the scan runs in a child
    interpreter until `on_disk` is first asked for (site_scan.py: at 10,000
    articles it stats 32,000 files, 0.17 s the build spends reading its cache).
    """

    def __init__(self, out_dir: Path, previous: Manifest | None = None, scan_meanwhile: bool = False) -> None:
        self.out_dir = out_dir.resolve()
        self.journal = self.out_dir.with_name(f".{self.out_dir.name}.journal")
        self.aside = self.out_dir.with_name(self.out_dir.name + ".previous")
        self.swapped = False            # the new site is in place (commit got that far)
        self._lock = _lock_output(self.out_dir)
        # A mount point cannot be renamed: stage inside it, on its file system, and move files in.
        self.in_place = is_mount_point(self.out_dir)
        self.staging = (self.out_dir / IN_PLACE_STAGING if self.in_place
                        else self.out_dir.with_name(self.out_dir.name + ".staging"))
        self._recover()
        # The staging folder a build leaves holds the site before the last one (the exchange put
        # it there): the spare this build updates into the new site. Kept where the site is
        # exchanged and there is a site; else (a first build, a mount point) it is not wanted.
        reuse = not self.in_place and self.out_dir.is_dir() and self.staging.is_dir()
        if self.staging.exists() and not reuse:
            self._remove_staging()
        for left in self.staging.parent.glob(glob.escape(self.staging.name) + ".done-*"):
            remove_in_background(left)       # what an earlier build set out to delete
        self.staging.mkdir(parents=True, exist_ok=True)
        super().__init__(self.out_dir, self.staging, previous)
        self._set_aside = 0
        scan_meanwhile = scan_meanwhile and self.out_dir.is_dir()      # a first build has nothing to scan
        self._scan: ScanInChild | None = None
        if scan_meanwhile:
            self._scan = ScanInChild([str(self.out_dir), *([str(self.staging)] if reuse else [])])
        self._on_disk = {} if scan_meanwhile else scan_site(self.out_dir)
        self._spare = {} if scan_meanwhile or not reuse else scan_site(self.staging)

    @property
    def on_disk(self) -> dict[str, FileStat]:
        """Size and mtime of every file in the output folder as the build began, by site path."""
        if self._scan is not None:
            scans, self._scan = self._scan.result(), None
            self._on_disk, self._spare = scans[0], (scans[1] if len(scans) > 1 else {})
        return self._on_disk

    @property
    def spare(self) -> dict[str, FileStat]:
        """Size and mtime of every file the staging folder held as the build began (the spare)."""
        _ = self.on_disk
        return self._spare

    def _recover(self) -> None:
        # A build killed while moving files in: finish its move first.
        if self.journal.exists():
            try:
                plan = json.loads(self.journal.read_text(encoding="utf-8"))
                self._apply(plan["replace"], plan["delete"])
            except (OSError, ValueError, KeyError, TypeError, UnsafePathError):
                pass           # an unreadable journal: this build rewrites what differs anyway
            self.journal.unlink(missing_ok=True)
        # A build killed between the two renames of swap_folders' fallback: the old site is
        # set aside and no site is in place; put it back. With a site in place, it is the old one.
        if self.aside.exists() and not self.out_dir.exists():
            self.aside.rename(self.out_dir)
        elif self.aside.exists():
            shutil.rmtree(self.aside)

    def copy_tree(self, src: Path, relprefix: str) -> None:
        """Copy a folder of assets (static files) into the site."""
        for path in sorted(src.rglob("*")):
            if path.is_file():
                rel = path.relative_to(src).as_posix()
                self.write(f"{relprefix}/{rel}", path.read_bytes())

    def commit(self, before_unlock: Callable[[Manifest], None] | None = None) -> Manifest:
        """Put the new site in place and return its manifest (see the module's docstring for how).

        `before_unlock(manifest)` runs while the output folder is still locked.
        """
        try:
            if not self.out_dir.exists():
                os.rename(self.staging, self.out_dir)
                self.swapped = True
            elif self.in_place:
                self._move_in_file_by_file()
                self.swapped = True
            else:
                self._complete_staging()
                swap_folders(self.staging, self.out_dir, self.aside)
                self.swapped = True         # the old site is now the staging folder: the next spare
            if before_unlock is not None:
                before_unlock(self.files)
        finally:
            self._unlock()
        return self.files

    def _complete_staging(self) -> None:
        """Make the staging folder hold the whole new site: the files written this build are
        there; every file kept from the last build is hard-linked in from the site, unless the
        spare holds it already (same size and mtime: the same file, linked by an earlier build);
        what the spare holds that this site does not is deleted.

        A link keeps the inode, so size and mtime (the manifest's check) stay as recorded. Since
        the spare is the site before the last one, a one-seed rebuild links only what the last
        build changed and this one keeps, instead of the whole site (25,000 links and 200
        folders at 10,000 articles: 0.3-0.7 s)."""
        spare, on_disk = self.spare, self.on_disk
        out, staging = str(self.out_dir), str(self.staging)
        todo: list[str] = []
        for relpath in self.files:
            if relpath in self._staged_paths:
                continue
            held = spare.get(relpath)
            if held is not None and held == on_disk.get(relpath):
                continue
            check_relpath(relpath)
            todo.append(relpath)
        folders = {relpath.rpartition("/")[0] for relpath in todo} - {rel.rpartition("/")[0] for rel in spare}
        for folder in sorted(folders):
            if folder:
                os.makedirs(os.path.join(staging, folder), exist_ok=True)

        def link(run: list[str]) -> None:
            for relpath in run:
                source, target = os.path.join(out, relpath), os.path.join(staging, relpath)
                if relpath in spare:
                    try:
                        os.unlink(target)        # the spare's older version of the file
                    except FileNotFoundError:
                        pass
                try:
                    try:
                        os.link(source, target)
                    except FileExistsError:      # one the scan of the spare did not see
                        os.unlink(target)
                        os.link(source, target)
                except OSError as exc:
                    if exc.errno not in (errno.EPERM, errno.EMLINK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
                        raise
                    shutil.copy2(source, target)    # a file system without hard links (FAT, some FUSE)

        # A link is one system call, 10-30 µs, which releases the GIL: many go to a few threads.
        runs = [todo[i:i + 2048] for i in range(0, len(todo), 2048)]
        if len(runs) <= 1:
            for run in runs:
                link(run)
        else:
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(max_workers=4) as pool:
                for done in [pool.submit(link, run) for run in runs]:
                    done.result()
        emptied: set[str] = set()
        for relpath in spare:
            if relpath not in self.files:
                check_relpath(relpath)
                try:
                    os.unlink(os.path.join(staging, relpath))
                except FileNotFoundError:
                    pass
                emptied.add(relpath.rpartition("/")[0])
        for folder in sorted(emptied, key=lambda f: -f.count("/")):
            while folder:
                try:
                    os.rmdir(os.path.join(staging, folder))
                except OSError:
                    break                      # not empty (or gone): its parents are not either
                folder = folder.rpartition("/")[0]

    def _move_in_file_by_file(self) -> None:
        """The output folder is a mount point: move staged files in under a journal (module docstring)."""
        stale = sorted(rel for rel in self.on_disk if rel not in self.files)
        tmp = self.journal.with_name(self.journal.name + ".tmp")
        tmp.write_text(json.dumps({"replace": self.staged, "delete": stale}), encoding="utf-8")
        os.replace(tmp, self.journal)
        self._apply(self.staged, stale, set_aside=self.staging / ".replaced")
        self.journal.unlink()
        self._remove_staging()

    def _apply(self, replace: list[str], delete: list[str], set_aside: Path | None = None) -> None:
        """Move staged files into the site and delete stale ones; safe to run twice.
        With `set_aside`, each file replaced is moved there first (_move_aside)."""
        made: set[str] = set()
        for relpath in replace:
            rel = safe_relpath(relpath)
            source = self.staging.joinpath(*rel.parts)
            if not source.exists():
                continue        # moved already, by the run this one finishes
            parent = rel.parent.as_posix()
            if parent not in made:
                self.out_dir.joinpath(parent).mkdir(parents=True, exist_ok=True)
                made.add(parent)
            target = self.out_dir.joinpath(*rel.parts)
            if set_aside is not None and relpath in self.on_disk:
                self._move_aside(target, set_aside)
            os.replace(source, target)
        emptied: set[Path] = set()
        for relpath in delete:
            target = self.out_dir.joinpath(*safe_relpath(relpath).parts)
            target.unlink(missing_ok=True)
            emptied.add(target.parent)
        for folder in sorted(emptied, key=lambda p: -len(p.parts)):
            while folder != self.out_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def _move_aside(self, target: Path, folder: Path) -> None:
        """Rename the file at `target` into `folder`, so that the new one is renamed onto a free name.

        A rename over an existing file is slow on ext4: it writes the new file out
        first (auto_da_alloc, its guard for programs that replace files without
        fsync) and frees the old one's blocks, on the build's time. For
        data/articles.json (80 MB at 10,000 articles) that was 55-80 ms, and about
        a millisecond for each page. The staging folder, old files and all, is
        deleted by a thread while the build saves what the next one needs. A build
        killed between the two renames leaves the site without the file until the
        next build finishes the move from the journal.
        """
        if not self._set_aside:
            folder.mkdir(exist_ok=True)
        self._set_aside += 1
        try:
            os.rename(target, folder / str(self._set_aside))
        except OSError:
            pass            # gone already: the move in is a plain rename

    def _remove_staging(self) -> None:
        """Delete the staging folder (after an exchange, the old site; else the old files set
        aside in it) beside the build, under a name of its own, so that a next build can make
        its staging folder meanwhile."""
        if self.in_place:
            # Inside the site (a mount point): deleted before the build returns, or a CI step
            # publishing the folder next would publish it too. It holds only replaced files.
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        done = self.staging.with_name(f"{self.staging.name}.done-{os.getpid()}-{time.monotonic_ns()}")
        try:
            os.rename(self.staging, done)
        except OSError:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        remove_in_background(done)

    def wait(self) -> None:
        """Wait until what this process set out to delete is deleted (tests, benchmarks)."""
        wait_for_removals()

    def abort(self, keep_spare: bool = False) -> None:
        """Stop without touching the site. The staging folder is deleted (beside the build: on
        a full disk its new files must go), or with `keep_spare` kept for the next build (a
        build that found the site unchanged: every build scans the spare afresh)."""
        if self._scan is not None:
            self._scan.close()        # its answer is not wanted
            self._scan = None
        if not (keep_spare and not self.in_place and self.out_dir.is_dir()) and self.staging.exists():
            self._remove_staging()
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()     # closing the file releases the lock
            self._lock = None


_REMOVALS: list = []        # the deletions running beside this process: Popen objects or threads


def remove_in_background(folder: Path) -> None:
    """Delete `folder` in a process of its own that outlives the build.

    After an exchange the old site is a whole tree of names to unlink: 7,500
    files at 2,000 articles, some 25,000 at 10,000, a second or more that no
    one needs to wait for (a build's thread doing it kept the build from
    returning). `rm -rf` in a new session does it while the command returns;
    a thread where there is no `rm`. A build killed before it is done leaves
    the `.done-*` folder, which the next build deletes the same way.
    """
    _REMOVALS[:] = [r for r in _REMOVALS if (r.poll() is None if hasattr(r, "poll") else r.is_alive())]
    rm = shutil.which("rm") if os.name == "posix" else None
    if rm is not None:
        import subprocess
        try:
            _REMOVALS.append(subprocess.Popen([rm, "-rf", "--", str(folder)], stdin=subprocess.DEVNULL,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                              start_new_session=True))
            return
        except OSError:
            pass
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True)
    thread.start()
    _REMOVALS.append(thread)


def wait_for_removals() -> None:
    """Wait for every deletion remove_in_background started in this process."""
    while _REMOVALS:
        removal = _REMOVALS.pop()
        removal.wait() if hasattr(removal, "wait") else removal.join()


def is_mount_point(folder: Path) -> bool:
    """Whether `folder` is the root of a file system of its own (it cannot be renamed)."""
    try:
        return folder.is_dir() and (os.path.ismount(folder) or folder.stat().st_dev != folder.parent.stat().st_dev)
    except OSError:
        return False


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (renameat2 RENAME_EXCHANGE); False where the kernel,
    the C library or the file system cannot, so the caller falls back."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


_RENAMEAT2: list = []
_SYS_RENAMEAT2 = {"x86_64": 316, "amd64": 316, "aarch64": 276, "arm64": 276}    # Linux system call numbers
_RENAME_SWAP = 2            # macOS renamex_np's flag for the same exchange


def _renameat2():  # noqa: ANN202 - a function (olddirfd, old, newdirfd, new, flags) -> int, or None
    """renameat2 from the C library (glibc 2.28+, musl 1.2.5+), else the Linux system call
    itself (older C libraries, Alpine images), else macOS's renamex_np; None elsewhere."""
    if not _RENAMEAT2:
        _RENAMEAT2.append(_find_renameat2())
    return _RENAMEAT2[0]


def _find_renameat2():  # noqa: ANN202
    import platform
    import sys
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    try:
        function = libc.renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        return function
    except AttributeError:
        pass
    number = _SYS_RENAMEAT2.get(platform.machine().lower()) if sys.platform.startswith("linux") else None
    if number is not None and hasattr(libc, "syscall"):
        syscall = libc.syscall
        syscall.restype = ctypes.c_long
        return lambda olddir, old, newdir, new, flags: syscall(
            ctypes.c_long(number), ctypes.c_int(olddir), ctypes.c_char_p(old), ctypes.c_int(newdir),
            ctypes.c_char_p(new), ctypes.c_uint(flags))
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        renamex = libc.renamex_np
        renamex.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        renamex.restype = ctypes.c_int
        return lambda olddir, old, newdir, new, flags: renamex(old, new, _RENAME_SWAP)
    return None


def swap_folders(new: Path, current: Path, aside: Path) -> None:
    """Put folder `new` at `current`; the old one ends under `new`'s name (or `aside`'s,
    by the fallback, which SiteWriter._recover undoes if killed half way)."""
    if exchange(new, current):
        return
    os.rename(current, aside)
    os.rename(new, current)
    os.rename(aside, new)


def _lock_output(out_dir: Path):
    """Hold an exclusive lock beside the output folder while a site is staged.

    Two builds of one folder (a `build` while `serve` rebuilds) would share
    the staging folder; the second waits for the first instead. The kernel
    drops the lock when a process dies, so a killed build never blocks. It is
    a POSIX record lock (lockf), not flock: it belongs to this process alone,
    so the worker processes forked while it is held never keep it alive.
    """
    try:
        import fcntl
    except ImportError:          # not on POSIX: no lock, as before
        return None
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    handle = open(out_dir.with_name(f".{out_dir.name}.lock"), "a+b")
    fcntl.lockf(handle, fcntl.LOCK_EX)
    return handle
