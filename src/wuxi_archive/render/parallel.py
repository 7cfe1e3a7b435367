"""Render part of the site in a second process, on the second core.

Pages are pure functions of the site index, so half of them can be made
by a forked copy of the build process: it inherits the index for free
(copy-on-write), writes its pages into the same staging folder and sends
back only the list of what it wrote. The site is byte for byte the same as
one rendered by one process.
"""
from __future__ import annotations

from typing import Callable

from ..beside import Beside
from ..beside import can_fork as can_fork_at_all
from ..cache import PageCache
from .context import PageRenderer
from .writer import SiteWriter

# Below this many articles a fork (copying the page tables of a big heap) costs more than it saves.
MIN_ARTICLES_TO_SPLIT = 300


def can_fork(articles: int, jobs: int) -> bool:
    """Split only with enough pages to share, and where a fork can be made (beside.can_fork)."""
    return articles >= MIN_ARTICLES_TO_SPLIT and can_fork_at_all(jobs)


def start_beside(task: Callable[[], object], writer: SiteWriter, renderer: PageRenderer,
                 memo: PageCache | None = None) -> Callable[[], object]:
    """Run `task` in a forked process while the caller goes on; returns `join`, which
    waits for it, adds the files it wrote to `writer` and `renderer` (and the entries
    it used to `memo`), and returns its result."""
    def part() -> tuple:
        writer.begin_part()
        before = len(renderer.written)
        renderer.last_ranks = {}
        result = task()
        return (result, writer.files, writer.staged, writer.kept, renderer.written[before:],
                memo.used if memo else set(), renderer.last_ranks)

    beside = Beside(part, "second render")

    def join() -> object:
        result, files, staged, kept, paths, memo_used, last_ranks = beside.join()
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
