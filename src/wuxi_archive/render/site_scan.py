"""Size and mtime of every file of a site folder, scanned on another core.

A rebuild compares the output folder, and the spare it updates into the new
site, with what the last build recorded (writer.py): two scans of 16,000
files each at 10,000 articles, 0.17 s. ScanInChild runs them in a child
interpreter while the build reads its cache, on the core that is idle then.
A thread was tried first: its stat calls release the GIL at every file, and
the build's own thread waited for it to be handed back at each (the convoy
effect), so a threaded scan made the build 0.1 s slower than scanning first.

This module imports nothing of the package: the child runs it as a script
(`python -I -S site_scan.py FOLDER...`), which writes its scans to stdout
with marshal.
"""
from __future__ import annotations

import marshal
import os
import sys

IN_PLACE_STAGING = ".wuxi-staging"     # the staging folder inside an output folder that is a mount point


def scan_site(folder: str | os.PathLike[str]) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file under `folder`, by site path (os.scandir: one stat per entry)."""
    found: dict[str, tuple[int, int]] = {}
    todo = [("", os.fspath(folder))]
    while todo:
        prefix, path = todo.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if not prefix and entry.name.startswith(IN_PLACE_STAGING):
                continue        # a build's own staging folder, not the site
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                todo.append((rel + "/", entry.path))
            else:
                try:
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue        # replaced or removed meanwhile
                found[rel] = (st.st_size, st.st_mtime_ns)
    return found


class ScanInChild:
    """scan_site of each of `folders`, run in a child interpreter from now on; `result()`
    waits for it. Where no child can be started, or it fails, the folders are scanned
    here when the result is asked for: the same scans, later."""

    def __init__(self, folders: list[str]) -> None:
        import subprocess
        self._folders = folders
        self._child: subprocess.Popen[bytes] | None = None
        if not sys.executable or getattr(sys, "frozen", False):
            return                  # no interpreter to run this module with
        # -I ignores PYTHONUTF8: the parent's UTF-8 mode is passed on, so that both read file
        # names alike. No console window for the child where one would open (Windows).
        utf8 = ["-X", "utf8"] if sys.flags.utf8_mode else []
        try:
            self._child = subprocess.Popen([sys.executable, "-I", "-S", *utf8, __file__, *folders],
                                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.DEVNULL,
                                           creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except OSError:
            pass

    def result(self) -> list[dict[str, tuple[int, int]]]:
        if self._child is not None:
            child, self._child = self._child, None
            out, _ = child.communicate()
            if child.returncode == 0:
                try:
                    scans = marshal.loads(out)        # from this module, run by this Python
                except (EOFError, ValueError, TypeError):
                    scans = None
                if isinstance(scans, list) and len(scans) == len(self._folders):
                    return scans
        return [scan_site(folder) for folder in self._folders]

    def close(self) -> None:
        """Stop the scan, its answer not wanted (a build that stops): no scan here instead."""
        if self._child is not None:
            child, self._child = self._child, None
            child.kill()
            child.communicate()                       # reaped, its pipe closed


if __name__ == "__main__":
    sys.stdout.buffer.write(marshal.dumps([scan_site(folder) for folder in sys.argv[1:]]))
