"""Render part of the site in a second process, on the second core.

Pages are pure functions of the site index, so part of them can be made
by a forked copy of the build process: it inherits the index for free
(copy-on-write), writes its pages into the same staging folder and sends
back only the list of what it wrote. The two share the pages as they go
(WorkShare). The site is byte for byte the same as one rendered by one
process.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Collection, Iterator, Protocol, TypeVar

from ..beside import Beside
from ..beside import can_fork as can_fork_at_all
from ..page_keys import KeyedBlobs as PageCache
from .writer import SiteWriter



class RendersPages(Protocol):
    """What a second render process reports back of the renderer it shares (context.PageRenderer)."""

    written: list[str]


try:
    import fcntl
except ImportError:        # not POSIX: no fork either (beside.can_fork), so no shared work
    fcntl = None           # type: ignore[assignment]

T = TypeVar("T")

# Below this many articles a fork (copying the page tables of a big heap) costs more than it saves.
MIN_ARTICLES_TO_SPLIT = 300


def can_fork(articles: int, jobs: int) -> bool:
    """Split only with enough pages to share, and where a fork can be made (beside.can_fork)."""
    return articles >= MIN_ARTICLES_TO_SPLIT and can_fork_at_all(jobs)


class SecondRender:
    """The render process start_beside forked."""

    def __init__(self, beside: Beside, merge: Callable[[tuple], object]) -> None:
        self._beside, self._merge = beside, merge

    def join(self) -> object:
        """Wait for it, take in what it wrote, and return its task's result."""
        return self._merge(self._beside.join())

    def cancel(self) -> None:
        """Stop it: this process failed, and the build with it."""
        self._beside.cancel()


def start_beside(task: Callable[[], object], writer: SiteWriter, renderer: RendersPages,
                 memo: PageCache | None = None) -> SecondRender:
    """Run `task` in a forked process while the caller goes on. Its `join` waits for it,
    adds the files it wrote to `writer` and `renderer` (and the entries it used to
    `memo`), and returns its result."""
    def part() -> tuple:
        writer.begin_part()
        before = len(renderer.written)
        result = task()
        return (result, writer.files, writer.staged, writer.kept, renderer.written[before:],
                memo.used if memo else set())

    def merge(payload: tuple) -> object:
        result, files, staged, kept, paths, memo_used = payload
        for relpath in staged:
            size, mtime, digest = files[relpath]
            writer.adopt(relpath, (size, mtime), digest)
        writer.files.update(files)          # and the files it kept
        writer.kept += kept
        renderer.written.extend(paths)
        if memo:
            memo.used |= memo_used
        return result

    writer.settle()          # a scan still running beside could not be joined from the fork
    return SecondRender(Beside(part, "second render"), merge)


class WorkShare:
    """Which pages this process makes: all of them (one process), or, between two processes,
    each run of pages to whichever reaches it first.

    A fixed split (every other page) left one process waiting for the other:
    pages differ a hundredfold in cost (a year of dates against one article) and
    a rebuild makes only the few a change reaches, wherever they fall. So both
    processes walk the same pages in the same order, and a counter they share
    hands out the next run of positions to whichever asks. The counter is eight
    bytes of an unnamed file opened before the fork (in `shared_in`, a folder
    the build writes anyway), guarded by a POSIX record lock on it, which the
    kernel drops if its holder dies: a killed process can never leave the
    other waiting. Which process makes a page changes nothing in it: the site
    is the same bytes. Without `shared_in`, this process makes every page.
    """

    def __init__(self, shared_in: Path | None = None) -> None:
        self._counter: int | None = None
        if shared_in is not None:
            self._file = tempfile.TemporaryFile(dir=shared_in)
            self._counter = self._file.fileno()
            os.pwrite(self._counter, (0).to_bytes(8, "little"), 0)
        self._position = 0              # pages walked so far: the same sequence in both processes
        self._run = (0, 0)              # the positions this process holds, start to end
        self._claimed = 0               # every position below this is held by one of the two

    def take(self, items: Collection[T], run: int = 1) -> Iterator[T]:
        """The items this process makes, claimed `run` at a time as it reaches them
        (lazily: iterate while working, so that claims follow the work)."""
        if self._counter is None:
            yield from items
            return
        end = self._position + len(items)
        for item in items:
            if self._mine(run, end):
                yield item

    def take_one(self) -> bool:
        """Whether this process makes the one page here (an index page, the report index)."""
        return self._counter is None or self._mine(1, self._position + 1)

    def _mine(self, run: int, end: int) -> bool:
        position = self._position
        self._position += 1
        if self._run[0] <= position < self._run[1]:
            return True
        if position < self._claimed:
            return False
        counter = self._counter
        fcntl.lockf(counter, fcntl.LOCK_EX, 8, 0)
        try:
            start = int.from_bytes(os.pread(counter, 8, 0), "little")
            # A run stops at the end of this walk: past it, the other process is on later
            # pages, whose cost this one cannot know, so it claims one at a time there.
            stop = min(start + run, end) if start < end else start + 1
            os.pwrite(counter, stop.to_bytes(8, "little"), 0)
        finally:
            fcntl.lockf(counter, fcntl.LOCK_UN, 8, 0)
        self._run, self._claimed = (start, stop), stop
        return start == position

    def close(self) -> None:
        """Close the counter's file (once the other process has ended)."""
        if self._counter is not None:
            self._file.close()
            self._counter = None


EVERY_PAGE = WorkShare()     # one process: every page (it keeps no state)
