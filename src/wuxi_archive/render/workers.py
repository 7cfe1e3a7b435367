"""Where pages are planned and rendered: in the build process, or also in worker processes.

For a small site, or with one job, the build process plans every page (its
context and digest: context.py) and renders those that changed itself
(render_here.RenderHere). Otherwise (RenderPool) the work is shared with
`jobs` - 1 worker processes started fresh (forkserver, else spawn: never a
fork of the build's heap; the server is started, and imports what a worker
needs, while the build indexes), each given once, as plain data, what
planning needs: the site index with every article as a card (what lists show
of it), the digests' parts of every article, the digest of every file still
as the last build left it, the templates' folder, the configuration and the
pinyin of every name. Then:

- the index pages go to the workers in units (units.py: a year, a run of
  organisations...), each planned and rendered there: a worker keeps or
  stages the unit's files (site_files.SiteFiles) and sends back what it kept
  and staged, which the build's writer takes in (`absorb`);
- the article pages go in units too when the last build left pages to keep:
  a worker names those that changed, and the build process, which holds
  their text (from the store), plans them again and sends them to render in
  batches, each with its own article whole; any other article of a context
  travels as its id. A first build plans them here;
- the build process does its own work meanwhile, given as chores
  (data/articles.json, the search files, the editor's reports, whose data
  files it hands to the workers too), a step at a time; with its chores done
  it takes the units and batches no worker has started yet (the last sent:
  workers take them first to last) instead of waiting.

Workers write only into the staging folder, files the build process then
counts in; it alone holds the output folder's lock and moves the site in. A
worker ends when the build process does (killed or not).
"""
from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from ..free_memory import map_large_blocks_apart, release_free_memory
from ..readings import readings_memo, remember_readings
from ..records import Article
from . import indexes
from .environment import templates_environment
from .page_templates import ArticleCard, CardText, PageJob, PageTemplates
from .pages import render_article, render_articles
from .render_here import Chores, RenderHere
from .site_files import FileStat, SiteFiles, WorkerFiles, write_staged
from .units import Unit, article_units, index_units, render_unit

if TYPE_CHECKING:
    from .context import PageRenderer

# Below this many articles, starting workers (a fork server, their state) costs more than it saves.
MIN_ARTICLES_FOR_WORKERS = 300
BATCH_PAGES = 32                  # article pages a task: one round trip each, and an even share at the end
BATCHES_PER_WORKER = 16           # in flight, so that no worker waits while the build process does a chore
IN_FLIGHT_BYTES = 64 << 20        # ... and at most this many bytes of pages to render, whatever their size


def use_workers(articles: int, jobs: int) -> bool:
    return jobs > 1 and articles >= MIN_ARTICLES_FOR_WORKERS


class RenderPool:
    """Pages planned and rendered by `jobs` - 1 worker processes and this one (the module's docstring)."""

    def __init__(self, jobs: int, templates_dir: Path) -> None:
        """Get ready to start the workers (opened early: the fork server starts, and imports
        what a worker needs, while this process indexes); `start` starts them."""
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if self._context.get_start_method() == "forkserver":
            # The server imports this once; each worker forked from it has the imports for free.
            self._context.set_forkserver_preload([__name__])
            from multiprocessing import forkserver
            forkserver.ensure_running()
        self._templates_dir = templates_dir
        # This process works too (its chores, then the units and pages no worker has started):
        # jobs - 1 workers keep the cores busy without a process too many.
        self._workers = max(1, jobs - 1)
        self._pool: ProcessPoolExecutor | None = None
        self._in_chore = False
        self._max_batches = self._workers * BATCHES_PER_WORKER
        self._batch: list[PageJob] = []
        # What is in flight, oldest first: the task, its bytes, what takes its result in, and
        # what does the task here instead (when this process is idle and no worker started it).
        self._sent: deque[tuple[Future, int, Callable[[object], None], Callable[[], None]]] = deque()
        self._bytes = 0
        self._units: deque[tuple[Unit, Future]] = deque()    # units of pages (units.py) the workers plan
        self._chores_left = True

    def start(self, renderer: PageRenderer, chores: Chores = ()) -> None:
        """Start the workers, each given the site's state once (worker_state), and take
        `chores` as this process's own work."""
        self._renderer = renderer
        self._writer: SiteFiles = renderer.writer
        self._chores: Iterator[object] = chain.from_iterable(chores)
        # The state goes by a queue, a copy a worker, each taken as the worker starts: as the
        # pool's initargs it was held here until the pool closed (37 MB at 30,000 articles).
        self._state = self._context.Queue()
        state = worker_state(renderer)
        for _ in range(self._workers):
            self._state.put(state)
        self._pool = ProcessPoolExecutor(self._workers, mp_context=self._context, initializer=_start_worker,
                                         initargs=(os.getpid(), str(self._templates_dir), self._state))

    def plan_index_pages(self, renderer: PageRenderer) -> None:
        """Send the units of the index pages to the workers."""
        self._send_units(index_units(renderer.index))

    def plan_article_pages(self, renderer: PageRenderer) -> None:
        """Send the units of article pages to the workers when the last build left pages to
        keep (a worker plans them and names those that changed: they are rendered here,
        where their text is, in `finish`). A first build plans them here: every one is
        rendered."""
        if self._writer.previous:
            self._send_units(article_units(renderer.index, renderer.index.related.get))
        else:
            render_articles(renderer)

    def _send_units(self, units: list[Unit]) -> None:
        self._units.extend((unit, self._pool.submit(_plan_unit, unit)) for unit in units)

    def submit(self, job: PageJob) -> None:
        own = job.context.get("article")
        if type(own) is Article:
            # Copied now: the build may let the article's text go (SeedDetails) before the batch is sent.
            job = job._replace(context={**job.context, "article": _as_page_sees_it(own)})
        self._batch.append(job)
        if len(self._batch) >= BATCH_PAGES:
            self._send()

    def submit_file(self, relpath: str, digest: str | None, make: Callable[..., bytes], *args: object) -> None:
        """Write the file `make(*args)` gives, made by a worker (`make` a module-level function
        and `args` plain data, pickled now, as they are: an editor's report needs whole articles)."""
        stage = self._stages(relpath, digest)
        data = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        future = self._pool.submit(_make_file, relpath if stage else None, make, data)
        self._sent.append((future, len(data), lambda made: self._take_files([(relpath, digest)], made),
                           lambda: self._writer.write(relpath, make(*args), digest=digest)))
        self._bytes += len(data)
        self._wait_for_room()

    def finish(self) -> None:
        """Do every chore left, take in every unit (rendering the article pages they name),
        then every page."""
        while self._units or self._chores_left:
            if self._units and self._units[0][1].done():
                self._take_unit(_result(self._units.popleft()[1]))
            elif self._chores_left and self._chore():
                continue
            else:
                self._chores_left = False
                if not self._plan_a_unit_here() and self._units:
                    self._take_unit(_result(self._units.popleft()[1]))
        if self._batch:
            self._send()
        while self._sent:
            if self._sent[0][0].done() or not self._make_one_here():
                self._take_oldest()
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            # A copy no worker took (the pool broke first) must not hold this process at exit.
            self._state.cancel_join_thread()
            self._state.close()
            # Let go of the queue (the pool holds it too, as initargs) now: its semaphores are
            # unlinked as it goes. The CLI ends with os._exit, which runs no atexit cleanup,
            # and the resource tracker would warn of them as leaked.
            self._pool = self._state = None

    def _plan_a_unit_here(self) -> bool:
        """With its own work done, this process plans a unit no worker has started yet (the
        last sent: the workers take them first to last), instead of waiting; False when none
        is left to take."""
        if not self._units or not self._units[-1][1].cancel():
            return False
        unit, _ = self._units.pop()
        render_unit(self._renderer, unit)
        return True

    def _make_one_here(self) -> bool:
        """Render here the batch (or make the file) sent last that no worker has started;
        False when there is none."""
        if not self._sent or not self._sent[-1][0].cancel():
            return False
        _, size, _, here = self._sent.pop()
        self._bytes -= size
        here()
        return True

    def _stages(self, relpath: str, digest: str | None) -> bool:
        """Whether a worker writes the file into staging itself (it has a key, and no file
        on disk is to be compared with it: SiteFiles.compares)."""
        return digest is not None and not self._writer.compares(relpath)

    def _send(self) -> None:
        batch, self._batch = self._batch, []
        data = _pickled_batch([(job, self._stages(job.relpath, job.digest)) for job in batch])
        pages = [(job.relpath, job.digest) for job in batch]

        def here() -> None:
            for job in batch:
                self._writer.write(job.relpath, self._renderer.templates.render(job), digest=job.digest)

        self._sent.append((self._pool.submit(_render, data), len(data), lambda made: self._take_files(pages, made),
                           here))
        self._bytes += len(data)
        self._wait_for_room()

    def _wait_for_room(self) -> None:
        """Do chores, or take in what the oldest task made, until no more is in flight than allowed."""
        while len(self._sent) > self._max_batches or self._bytes > IN_FLIGHT_BYTES:
            if not self._sent[0][0].done() and (self._chore() or self._make_one_here()):
                continue
            self._take_oldest()

    def _chore(self) -> bool:
        """One step of the build process's own work; False when none is left (or one is
        running: a chore may render pages, which must not start another)."""
        if self._in_chore:
            return False
        self._in_chore = True
        try:
            return next(self._chores, _NONE_LEFT) is not _NONE_LEFT
        finally:
            self._in_chore = False

    def _take_oldest(self) -> None:
        future, size, take, _ = self._sent.popleft()
        take(_result(future))
        self._bytes -= size

    def _take_files(self, pages: list[tuple[str, str | None]], made: object) -> None:
        for (relpath, digest), file in zip(pages, made):   # type: ignore[call-overload]
            if isinstance(file, bytes):
                self._writer.write(relpath, file, digest=digest)
            else:                                 # staged by the worker: its size and mtime
                self._writer.adopt(relpath, file, digest)

    def _take_unit(self, made: object) -> None:
        files, written, changed = made            # type: ignore[misc]
        self._writer.absorb(files)
        self._renderer.written.extend(written)
        for article_id in changed:                # their text is here: planned again and sent to render
            render_article(self._renderer, self._renderer.index.by_id[article_id])


_NONE_LEFT = object()


class RenderWorkerError(RuntimeError):
    """A render worker ended without finishing its task; nothing of the build was put in place."""


def _result(future: Future) -> object:
    """A task's result; a worker that died (killed, out of memory) said in one sentence."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise RenderWorkerError("a render worker process failed to start or ended abruptly (killed, out of "
                                "memory?); build again, or with --jobs 1 to render in the build process "
                                "alone") from exc


def worker_state(renderer: PageRenderer) -> bytes:
    """What every worker is given once (see the module's docstring), pickled: the site
    index with each article as its card (page_templates.ArticleCard: what lists show of it;
    the related lists travel with the units of article pages), and what the page digests
    need of the articles (PageDigests.export)."""
    index = renderer.index
    articles = index.articles
    facts = [renderer.item_facts(a, False) for a in articles]
    # The cards as columns (lists of strings and numbers, pickled in C), made into cards by
    # the worker (worker_cards): a reducer called for each card cost 0.1 s at 10,000.
    cards = ([a.id for a in articles], [a.clean.title for a in articles], [a.clean.date for a in articles],
             [a.clean.source for a in articles], [summary for summary, _ in facts], [chars for _, chars in facts])
    known = renderer.page_digests.export(articles) if renderer.page_digests else None
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # An article anywhere else in the index (none today) would travel as its card.
    pickler.dispatch_table = {Article: lambda a: (ArticleCard, (a.id, CardText(a.clean.title, a.clean.date,
                                                                                 a.clean.source),
                                                             *renderer.item_facts(a, False)))}
    files = renderer.writer
    # The build's list lengths go too (a test shortens them).
    pickler.dump((renderer.config, renderer.keys, replace(index, articles=[], by_id={}, related={}), cards, known,
                  (str(files.out_dir), str(files.staging), *files.for_workers()), readings_memo(),
                  (indexes.LONG_LIST, indexes.NEWEST, indexes.YEARS_ON_PAGE)))
    return buffer.getvalue()


def worker_cards(columns: tuple[list, ...]) -> list[ArticleCard]:
    """The cards worker_state sent as columns, in the index's order."""
    return [ArticleCard(i, CardText(title, date, source), summary, chars)
            for i, title, date, source, summary, chars in zip(*columns)]


def _as_page_sees_it(article: Article) -> Article:
    """A page's own article as it is sent: its text, without what only the editor's report shows."""
    return replace(article, clean=replace(article.clean, removed=[], fixes=[], warnings=[]))


def _pickled_batch(batch: list[tuple[PageJob, bool]]) -> bytes:
    """A batch of pages to render, every article in their contexts as its id (the worker has
    it in its index) but each page's own `article`, pickled whole beside its job."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # A reducer by type, looked up in C: no Python call for the other objects of a context.
    pickler.dispatch_table = {Article: _as_id}
    jobs = []
    for job, stage in batch:
        own = job.context.get("article")
        if type(own) is Article:
            job = job._replace(context={name: value for name, value in job.context.items() if name != "article"})
            own = pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL)
        jobs.append((job, own if isinstance(own, bytes) else None, stage))
    pickler.dump(jobs)
    return buffer.getvalue()


def _as_id(article: Article) -> tuple:
    return _indexed_article, (article.id,)


# In a worker process: what _start_worker made.
_RENDERER: PageRenderer | None = None
_FILES: SiteFiles | None = None


def _start_worker(build_pid: int, templates_dir: str, states: multiprocessing.Queue) -> None:
    global _RENDERER, _FILES
    _end_with_build(build_pid)
    map_large_blocks_apart()
    state: bytes = states.get()
    # Ctrl-C goes to the whole process group: the build process stops its pool; a worker
    # printing its own KeyboardInterrupt traceback would only bury the build's message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .context import PageRenderer
    config, keys, index, columns, known, site, readings, lengths = pickle.loads(state)   # from the build process
    cards = worker_cards(columns)
    index = replace(index, articles=cards, by_id={card.id: card for card in cards})
    remember_readings(readings)       # the names' pinyin, which lists are sorted by: read once, by the build
    indexes.LONG_LIST, indexes.NEWEST, indexes.YEARS_ON_PAGE = lengths
    out_dir, staging, digests, unknown = site
    _FILES = WorkerFiles(Path(out_dir), Path(staging), digests, unknown)
    _RENDERER = PageRenderer(templates_environment(Path(templates_dir)), _FILES, config, index, keys=keys,
                             known_digests=known)
    del state, columns
    release_free_memory()           # what unpickling the state took


def _state() -> tuple[PageRenderer, SiteFiles]:
    """In a worker: what _start_worker made."""
    assert _RENDERER is not None and _FILES is not None
    return _RENDERER, _FILES


def _end_with_build(build_pid: int) -> None:
    """In a worker: end as soon as the build process dies (killed, out of memory). Left
    running, a worker would go on writing into the staging folder the next build takes
    over, and hold the site's index, waiting forever for work. Its parent is the fork
    server, which outlives the build (its children hold its pipe), so PR_SET_PDEATHSIG
    cannot tell: a thread waits on the build process itself (a pidfd, else a poll)."""
    if os.name != "posix":
        return                                   # os.kill(pid, 0) would end the build on Windows

    def watch() -> None:
        try:
            pidfd = os.pidfd_open(build_pid)
        except ProcessLookupError:
            os._exit(1)                          # gone already
        except (AttributeError, OSError):        # not Linux 5.3+
            pidfd = None
        if pidfd is not None:
            select.select([pidfd], [], [])       # readable when the process has ended
        else:
            while True:
                try:
                    os.kill(build_pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(0.5)
        os._exit(1)                              # no cleanup: the staging folder is the build's

    threading.Thread(target=watch, name="end-with-build", daemon=True).start()


def _indexed_article(article_id: str) -> ArticleCard:
    """In a worker: an article of a context, as its index holds it (its card)."""
    assert _RENDERER is not None
    return _RENDERER.index.by_id[article_id]


def _plan_unit(unit: Unit) -> tuple[SiteFiles, list[str], list[str]]:
    """In a worker: plan and render a unit of pages; the files it kept and staged, the paths
    of its pages, and the articles whose pages changed (rendered by the build process)."""
    renderer, base = _state()
    files = base.part()
    pages = _UnitPages(renderer.templates, files)
    renderer.writer, renderer.written, renderer.pages = files, [], pages
    render_unit(renderer, unit)
    changed = {job.relpath for job in pages.without_text}
    return files, [path for path in renderer.written if path not in changed], [
        job.context["article"].id for job in pages.without_text]


class _UnitPages(RenderHere):
    """In a worker: renders the pages of a unit but those whose text it does not have (an
    article page: its article is a card), which it lists."""

    def __init__(self, templates: PageTemplates, writer: SiteFiles) -> None:
        super().__init__(templates, writer)
        self.without_text: list[PageJob] = []

    def submit(self, job: PageJob) -> None:
        if job.derive is not None and type(job.context.get("article")) is ArticleCard:
            self.without_text.append(job)
        else:
            super().submit(job)


def _make_file(relpath: str | None, make: Callable[..., bytes], args: bytes) -> list[bytes | FileStat]:
    """In a worker: one file (RenderPool.submit_file), staged at `relpath`, else its bytes."""
    _, files = _state()
    data = make(*pickle.loads(args))            # from the build process, never from disk
    return [write_staged(files.staging, relpath, data) if relpath else data]


def _render(batch: bytes) -> list[bytes | FileStat]:
    """In a worker: a batch of pages, each staged (its size and mtime) or its bytes."""
    renderer, files = _state()        # before the batch is read: its articles are the index's
    made: list[bytes | FileStat] = []
    for job, own, stage in pickle.loads(batch):        # from the build process, never from disk
        if own is not None:
            job = job._replace(context={**job.context, "article": pickle.loads(own)})
        html = renderer.templates.render(job)
        made.append(write_staged(files.staging, job.relpath, html) if stage else html)
    return made
