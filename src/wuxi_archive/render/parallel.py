"""Render part of the site in a second process, on the second core.

Pages are pure functions of the site index, so half of them can be made
by a forked copy of the build process: it inherits the index for free
(copy-on-write), writes its pages into the same staging folder and sends
back only the list of what it wrote. The site is byte for byte the same as
one rendered by one process.
"""
from __future__ import annotations

import os
import pickle
import threading
import traceback
from typing import Callable

from ..cache import PageCache
from .context import PageRenderer
from .writer import SiteWriter

# Below this many articles a fork (copying the page tables of a big heap) costs more than it saves.
MIN_ARTICLES_TO_SPLIT = 300


class RenderProcessError(RuntimeError):
    """The second render process failed; its traceback is the message."""


def can_fork(articles: int, jobs: int) -> bool:
    """Split only with a second core to use, enough pages, and no other thread
    (a fork copies locks another thread may hold: `serve` renders in one process)."""
    return (jobs > 1 and articles >= MIN_ARTICLES_TO_SPLIT and hasattr(os, "fork")
            and threading.active_count() == 1)


def start_beside(task: Callable[[], object], writer: SiteWriter, renderer: PageRenderer,
                 memo: PageCache | None = None) -> Callable[[], object]:
    """Run `task` in a forked process while the caller goes on; returns `join`, which
    waits for it, adds the files it wrote to `writer` and `renderer` (and the entries
    it used to `memo`), and returns its result."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                  # the child: render, report, exit at once
        os.close(read_end)
        status = 1
        try:
            writer.begin_part()
            before = len(renderer.written)
            renderer.last_ranks = {}
            result = task()
            payload = ("ok", result, writer.files, writer.staged, writer.kept,
                       renderer.written[before:], memo.used if memo else set(), renderer.last_ranks)
            status = 0
        except BaseException:                     # noqa: BLE001 - everything goes back to the parent
            payload = ("error", traceback.format_exc())
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        os._exit(status)                          # no cleanup: the lock and staging are the parent's
    os.close(write_end)

    def join() -> object:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, code = os.waitpid(pid, 0)
        if not data:
            raise RenderProcessError(f"the second render process died (wait status {code})")
        payload = pickle.loads(data)   # from our own child, never from disk
        if payload[0] != "ok":
            raise RenderProcessError(payload[1])
        _, result, files, staged, kept, paths, memo_used, last_ranks = payload
        for relpath in staged:
            size, mtime, digest = files[relpath]
            writer.adopt(relpath, (size, mtime), digest)
        writer.files.update(files)          # and the files it kept
        writer.kept += kept
        renderer.written.extend(paths)
        renderer.last_ranks.update(last_ranks)     # the lists it made: the next build reads their ranks
        if memo:
            memo.used |= memo_used
        return result

    return join
