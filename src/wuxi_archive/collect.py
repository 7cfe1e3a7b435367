"""Every seed's outcome: from the cache, or through the per-seed pipeline.

Seeds whose cache key is unchanged are read back from the cache (without
their details: SeedDetails loads those when a page asks). The others run
through pipeline.process_seed_file: in two worker processes when there are
many (a cold build), or, for the few new seeds of a rebuild, in one process
forked beside the build (beside.py) as soon as their keys are known, so that
they are cleaned while the build loads the render stage and reads the cache.
Workers also cache each outcome, read the pinyin of its names and stage its
cleaning reports.
"""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple

from .beside import Beside, can_fork
from .cache import PageKeys, SeedCache, is_unloaded
from .config import Config
from .index import entity_names
from .progress import Progress
from .readings import new_character_readings, readings_of, remember_character_readings, remember_readings
from .records import Article, SeedOutcome

if TYPE_CHECKING:
    from .render.writer import FileStat

# Below this many seeds to (re)compute, starting worker processes costs more than it saves.
MIN_SEEDS_FOR_WORKERS = 24
# Reading this many cache entries takes long enough (0.07 s at 2,000 articles) to do beside
# the few new seeds of a rebuild, in a forked process.
MIN_CACHED_TO_OVERLAP = 500

ProgressFactory = Callable[[str, int], Progress]


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


StagedReport = tuple[str, "FileStat", str]     # site path, size and mtime, page key


class SeedResult(NamedTuple):
    """What processing one seed gives back to the build process."""

    outcome: SeedOutcome
    reports: list[StagedReport]               # cleaning reports staged (with a staging folder)
    readings: dict[str, list[str]]            # pinyin of its names, for the index (readings_of)
    character_readings: dict[str, list[str]]  # characters this process first read for it


@dataclass
class WorkerTask:
    """What a worker needs besides the seed: where to keep its outcome and stage its reports."""

    config: Config
    cache: SeedCache | None = None
    staging: Path | None = None
    keys: PageKeys | None = None


def process_seed_in_worker(path: Path, cache_key: str, task: WorkerTask) -> SeedResult:
    """process_seed_file, then the outcome cached, the pinyin of its names read and (with
    a staging folder) the seed's cleaning reports rendered into it, so that all this runs
    on both cores."""
    outcome = process_seed_file(path, task.config)
    readings = readings_of(name for article in outcome.articles for name in entity_names(article))
    if task.cache is not None and task.cache.still_keyed(path, cache_key):
        task.cache.put(cache_key, outcome)
    staged: list[StagedReport] = []
    if task.staging is not None and task.keys is not None and not outcome.error and not outcome.sidecar_error:
        # Cleaning reports are not staged any more: render writes each one's small data file
        # (render/report_data.py) from the details the build loads back.
        if task.cache is not None:
            drop_details(outcome)    # most of its bytes: the build loads them back from the cache if asked
    return SeedResult(outcome, staged, readings, new_character_readings())


def drop_details(outcome: SeedOutcome) -> None:
    """Leave out the raw lines and the articles' fixes and removed lines (SeedDetails fills them in again)."""
    outcome.lines = []
    for article in outcome.articles:
        article.clean.fixes, article.clean.removed = [], []
    outcome.details_loaded = False


def end_with_parent() -> None:
    """In a worker: be stopped when the build process dies (Linux), instead of
    waiting forever for work that will not come."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def process_seed_file(path: Path, config: Config) -> SeedOutcome:
    """pipeline.process_seed_file, imported when a seed is first processed: a rebuild's
    build process often processes none (a process forked beside it does), and the
    per-seed stages are a third of the package's import time."""
    from .pipeline import process_seed_file as process
    return process(path, config)


def process_seeds(paths: list[Path], cache_keys: list[str], task: WorkerTask, jobs: int,
                  progress: Progress) -> list[SeedResult]:
    """Run seeds through the per-seed pipeline, in workers when there are many; keeps order.

    In this process (few seeds) reports are left to render_editor_pages.
    """
    if jobs > 1 and len(paths) >= MIN_SEEDS_FOR_WORKERS:
        # Imported here: a rebuild after a few seeds never starts workers, and this import
        # (multiprocessing, logging) is a fiftieth of a second of its start.
        from concurrent.futures import ProcessPoolExecutor

        from . import pipeline  # noqa: F401 - loaded once here, before the workers fork, not in each of them
        chunk = max(1, min(16, len(paths) // (jobs * 8)))
        done = []
        with ProcessPoolExecutor(max_workers=jobs, initializer=end_with_parent) as pool:
            for result in pool.map(process_seed_in_worker, paths, cache_keys, repeat(task), chunksize=chunk):
                done.append(result)
                progress.advance()
        return done
    done = []
    alone = WorkerTask(task.config, task.cache)
    for path, key in zip(paths, cache_keys):
        done.append(process_seed_in_worker(path, key, alone))
        progress.advance()
    return done


@dataclass
class Collecting:
    """Seeds being collected (start_collecting): their cache keys, and the new seeds
    of a rebuild (their positions) being processed in a process beside this one."""

    paths: list[Path]
    keys: list[str]
    beside: Beside[list[SeedResult]] | None = None
    new: list[int] = field(default_factory=list)

    def cancel(self) -> None:
        """Stop the process beside, when the build stops before finish_collecting."""
        if self.beside is not None:
            self.beside.cancel()
            self.beside = None


def start_collecting(paths: list[Path], task: WorkerTask, jobs: int, listed: frozenset[str] | None = None,
                     ) -> Collecting:
    """Key every seed and start processing the new ones of a rebuild beside this process
    (_start_new_seeds_beside). `listed`: the names in the seeds folder (SeedListing.names)."""
    cache = task.cache
    keys = [cache.key(p, listed) if cache else "" for p in paths]
    beside, new = _start_new_seeds_beside(paths, keys, task, jobs)
    return Collecting(paths, keys, beside, new)


def finish_collecting(collecting: Collecting, task: WorkerTask, jobs: int, progress: ProgressFactory,
                      chores: Iterator[object] = iter(())) -> tuple[list[SeedOutcome], int, list[StagedReport]]:
    """Every seed's outcome, from the cache or computed, in seed-name order; how many were
    computed; the reports workers staged. Outcomes from the cache come without their
    details (SeedDetails). `task` may now name where workers stage their reports. `chores`
    are done while waiting for the new seeds processed beside (Beside.join_while)."""
    cache, paths, keys = task.cache, collecting.paths, collecting.keys
    outcomes: dict[int, SeedOutcome] = {}
    new = collecting.new
    done_beside = set(new)
    for i, key in enumerate(keys):
        hit = cache.get(key) if cache and i not in done_beside else None
        if hit is not None:
            outcomes[i] = hit
    staged: list[StagedReport] = []
    done = []
    if collecting.beside is not None:
        beside, collecting.beside = collecting.beside, None
        done = list(zip(new, beside.join_while(chores)))
    todo = [i for i in range(len(paths)) if i not in outcomes and i not in done_beside]
    bar = progress("seeds", len(todo))
    done += zip(todo, process_seeds([paths[i] for i in todo], [keys[i] for i in todo], task, jobs, bar))
    bar.close()
    for i, result in done:
        outcomes[i] = result.outcome
        staged += result.reports
        remember_readings(result.readings)
        remember_character_readings(result.character_readings)
    if cache:
        cache.used.update(keys[i] for i in [*new, *todo])      # put by the worker
    return [outcomes[i] for i in range(len(paths))], len(new) + len(todo), staged


def _start_new_seeds_beside(paths: list[Path], keys: list[str], task: WorkerTask, jobs: int,
                            ) -> tuple[Beside | None, list[int]]:
    """For a rebuild after a few new or changed seeds: process them in a forked process
    while this one imports the render stage and reads the others from the cache (at
    10,000 articles each takes a few tenths of a second). Returns the process and the
    seeds' positions, or (None, [])."""
    cache = task.cache
    if cache is None or not can_fork(jobs):
        return None, []
    stored = cache.stored()
    new = [i for i, key in enumerate(keys) if key not in stored]
    if not new or len(new) >= MIN_SEEDS_FOR_WORKERS or len(keys) - len(new) < MIN_CACHED_TO_OVERLAP:
        return None, []
    alone = WorkerTask(task.config, cache)      # its reports are left to render_editor_pages, as in-process
    return Beside(lambda: [process_seed_in_worker(paths[i], keys[i], alone) for i in new], "new seeds"), new


class SeedDetails:
    """What cached seeds are loaded without: their articles' paragraphs, their raw lines,
    fixes and removed lines. Loaded when a page needs them (a page to render again,
    a cleaning report, a record triage changed) and filled in place."""

    def __init__(self, paths: list[Path], outcomes: list[SeedOutcome], keys: list[str],
                 cache: SeedCache | None, config: Config) -> None:
        self._by_seed = {o.seed: (path, o, key) for path, o, key in zip(paths, outcomes, keys) if not o.error}
        self._cache = cache
        self._config = config

    def lines_of(self, seed: str) -> list[str]:
        """The seed's raw lines, its articles completed first (paragraphs and details)."""
        found = self._by_seed.get(seed)
        if found is None:
            return []
        path, outcome, key = found
        if not outcome.details_loaded and not (self._cache and self._cache.load_details(key, outcome)):
            self._run_again(seed)
        self._load_bodies(seed)
        return outcome.lines

    def bodies(self, articles: Iterable[Article]) -> None:
        """Give these articles their paragraphs, where the cache left them out."""
        for article in articles:
            if is_unloaded(article.clean.paragraphs):
                outcome = self._load_bodies(article.clean.seed)
                if is_unloaded(article.clean.paragraphs):      # a copy triage made: the same body
                    same = next(a for a in outcome.articles if a.clean.part == article.clean.part)
                    article.clean.paragraphs = same.clean.paragraphs

    def complete(self, articles: list[Article]) -> None:
        """Everything of these articles: paragraphs and details."""
        self.bodies(articles)
        for seed in sorted({a.clean.seed for a in articles}):
            self.lines_of(seed)

    def _load_bodies(self, seed: str) -> SeedOutcome:
        path, outcome, key = self._by_seed[seed]
        if not outcome.bodies_loaded and not (self._cache and self._cache.load_bodies(key, outcome)):
            self._run_again(seed)
        return outcome

    def _run_again(self, seed: str) -> None:
        """Bodies or details lost from the cache: the seed is run again (same code, same bytes:
        the same articles), and every part of its outcome filled in from that run."""
        path, outcome, key = self._by_seed[seed]
        fresh = process_seed_file(path, self._config)
        outcome.lines[:] = fresh.lines
        for article, again in zip(outcome.articles, fresh.articles):
            article.clean.fixes[:] = again.clean.fixes
            article.clean.removed[:] = again.clean.removed
            article.clean.paragraphs = again.clean.paragraphs
        outcome.details_loaded = outcome.bodies_loaded = True
        if self._cache:
            self._cache.put(key, fresh)
