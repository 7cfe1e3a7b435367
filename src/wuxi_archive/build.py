"""Build the whole site: every seed through the pipeline, then index and render.

Per-seed results come from the cache when the seed, its sidecar, the config
and the code are unchanged; the rest run in up to two worker processes,
which also cache them and render their cleaning reports. Pages whose key
(a hash of all they show) is unchanged are kept from the last build; new
and changed files are staged beside the output folder and moved in at the
end (render/writer.py), so an interrupted build leaves the previous site whole.
"""
from __future__ import annotations

import functools
import gc
import importlib.util
import os
import re
import shutil
import signal
import time
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from jinja2 import Environment

from .beside import Beside, can_fork
from .cache import (KeptTable, PageCache, PageKeys, SeedCache, SiteStamp, cache_dir_for, code_version,
                    folder_fingerprint, is_unloaded, load_memo, save_memo)
from .config import Config, ConfigError
from .index import build_index, entity_names
from .load.discover import check_output_folder, discover_seeds
from .load.triage import body_fingerprint, has_article_text, triage_articles
from .progress import NoProgress, Progress
from .readings import (character_readings_memo, keep_reading_table, new_character_readings, readings_memo,
                       readings_of, remember_character_readings, remember_readings)
from .records import Article, PreparedArticle, SeedOutcome
from .render import asset_dir, compile_templates, make_environment, render_site
from .render.editor import prerender_reports, render_editor_pages, report_path
from .render.writer import FileStat, SiteWriter, write_staged

# Below this many seeds to (re)compute, starting worker processes costs more than it saves.
MIN_SEEDS_FOR_WORKERS = 24
# Reading this many cache entries takes long enough (0.07 s at 2,000 articles) to do beside
# the few new seeds of a rebuild, in a forked process.
MIN_CACHED_TO_OVERLAP = 500

ProgressFactory = Callable[[str, int], Progress]


class SidecarErrors(ConfigError):
    """One or more sidecars are broken; the site is not written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class BuildResult:
    # Articles from the cache hold UnloadedParagraphs unless a page needed their body.
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)     # one line per seed that failed
    notices: list[str] = field(default_factory=list)    # seeds read but left out: no article, duplicate
    seconds: float = 0.0
    seeds: int = 0
    recomputed: int = 0                                 # seeds not taken from the cache
    unchanged: bool = False                             # every input as last time: nothing written

    @property
    def warnings(self) -> int:
        return sum(len(a.clean.warnings) for a in self.articles)


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


StagedReport = tuple[str, FileStat, str]     # site path, size and mtime, page key
# In the cache folder: the pinyin read so far (readings.py), with how to read and extend each memo.
PINYIN_MEMOS = {
    "readings.json": (readings_memo, remember_readings),                                 # names
    "character-readings.json": (character_readings_memo, remember_character_readings),  # annotated characters
}
READING_TABLE = "reading-table.json"     # what the memos lack is read from it (pinyin_table.py)


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
    if task.cache is not None:
        task.cache.put(cache_key, outcome)
    staged: list[StagedReport] = []
    if task.staging is not None and task.keys is not None and not outcome.error and not outcome.sidecar_error:
        def stage(relpath: str, html: bytes, key: str) -> None:
            staged.append((relpath, write_staged(task.staging, relpath, html), key))
        prerender_reports(outcome.articles, outcome.lines, task.config, task.keys, outcome.prepared, stage)
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


def collect_outcomes(paths: list[Path], task: WorkerTask, jobs: int, progress: ProgressFactory,
                     listed: frozenset[str] | None = None, chores: Iterator[object] = iter(()),
                     ) -> tuple[list[SeedOutcome], list[str], int, list[StagedReport]]:
    """Every seed's outcome, from the cache or computed, in seed-name order; their cache keys;
    how many were computed; the reports workers staged. Outcomes from the cache come without
    their details (SeedDetails). `listed`: the names in the seeds folder (SeedListing.names).
    `chores` are done while waiting for the new seeds processed beside (Beside.join_while)."""
    cache = task.cache
    keys = [cache.key(p, listed) if cache else "" for p in paths]
    outcomes: dict[int, SeedOutcome] = {}
    beside, new = _start_new_seeds_beside(paths, keys, task, jobs)
    done_beside = set(new)
    for i, key in enumerate(keys):
        hit = cache.get(key) if cache and i not in done_beside else None
        if hit is not None:
            outcomes[i] = hit
    staged: list[StagedReport] = []
    done = list(zip(new, beside.join_while(chores))) if beside is not None else []
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
    return [outcomes[i] for i in range(len(paths))], keys, len(new) + len(todo), staged


def _start_new_seeds_beside(paths: list[Path], keys: list[str], task: WorkerTask, jobs: int,
                            ) -> tuple[Beside | None, list[int]]:
    """For a rebuild after a few new or changed seeds: process them in a forked process
    while this one reads the others from the cache (at 10,000 articles each takes a few
    tenths of a second). Returns the process and the seeds' positions, or (None, [])."""
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


def gather_articles(outcomes: list[SeedOutcome], refused: list[str], recomputed: int) -> BuildResult:
    """The articles of every seed, duplicates and empty parts left out; the errors and notices.

    Raises SidecarErrors when a sidecar is broken.
    """
    broken = [o.sidecar_error for o in outcomes if o.sidecar_error]
    if broken:
        raise SidecarErrors(broken)
    result = BuildResult(seeds=len(outcomes), recomputed=recomputed, errors=list(refused))
    result.errors += [o.error for o in outcomes if o.error]
    result.articles, result.notices = triage_outcomes(outcomes)
    result.notices[:0] = [f"{o.seed}: {w}" for o in outcomes for w in o.load_warnings]
    return result


def triage_outcomes(outcomes: list[SeedOutcome]) -> tuple[list[Article], list[str]]:
    """triage_articles over every seed's articles, with what the workers found of each body
    (a cached article's paragraphs are not loaded)."""
    made = prepared_by_object(outcomes)

    def fingerprint(article: Article) -> str:
        found = made.get(id(article))
        return found.body if found and found.body else body_fingerprint(article)

    def has_text(article: Article) -> bool:
        found = made.get(id(article))
        return found.has_text if found else has_article_text(article)

    return triage_articles([a for o in outcomes for a in o.articles], [o.seed for o in outcomes if not o.error],
                           fingerprint, has_text)


def render_everything(articles: list[Article], outcomes: list[SeedOutcome], details: SeedDetails, config: Config,
                      writer: SiteWriter, keys: PageKeys | None, memo: PageCache | None, jobs: int,
                      cache_folder: Path | None = None, known_readings: dict[str, int] | None = None,
                      env: Environment | None = None) -> None:
    """Index the articles and render the whole site and the cleaning reports into `writer`
    (`keys` to keep unchanged pages, `memo` for the search index's blocks, `cache_folder`
    for what is kept between builds: the pinyin memos, saved again when they hold more
    than the `known_readings` loaded from there, and what render keeps for the next build)
    with `env` (one for the site and the reports: each template compiled once)."""
    env = env or make_environment()
    index = build_index(articles)
    prepared = prepared_articles(outcomes, articles)
    details.complete([a for a in articles if a.id not in prepared])   # render makes their records
    lines_digests = {o.seed: o.lines_digest for o in outcomes if not o.error}
    render_site(index, config, writer, env=env, keys=keys, memo=memo, prepared=prepared, jobs=jobs,
                load_bodies=details.bodies, complete=details.complete, kept_for_next=cache_folder,
                also=lambda work: render_editor_pages(index.articles, details.lines_of, lines_digests, config,
                                                      writer, env=env, keys=keys, prepared=prepared, work=work))
    if cache_folder:
        save_pinyin_memos(cache_folder, known_readings or {})


def prepared_by_object(outcomes: list[SeedOutcome]) -> dict[int, PreparedArticle]:
    """What the workers prepared, by id() of the article objects they made."""
    return {id(a): p for o in outcomes for a, p in zip(o.articles, o.prepared)}


def prepared_articles(outcomes: list[SeedOutcome], articles: list[Article]) -> dict[str, PreparedArticle]:
    """The workers' digests and records, by article id, for the articles triage left as they were
    (one it gave a duplicate's warning is a new object, and render makes its own)."""
    made = prepared_by_object(outcomes)
    return {a.id: made[id(a)] for a in articles if id(a) in made}


def readings_version() -> str:
    """Pinyin readings depend on the code (the bundled phrases) and on pypinyin itself."""
    return f"{code_version()} {_pypinyin_version()}"


@functools.lru_cache(maxsize=1)
def _pypinyin_version() -> str:
    """pypinyin's __version__, read from its source: importing pypinyin takes a seventh of
    a second, and importlib.metadata (email, csv, socket...) 13 ms of every rebuild."""
    spec = importlib.util.find_spec("pypinyin")
    source = Path(spec.origin).read_text(encoding="utf-8") if spec and spec.origin else ""
    found = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", source, re.MULTILINE)
    return found.group(1) if found else "unknown"


def load_pinyin_memos(folder: Path | None) -> dict[str, int]:
    """Load the pinyin earlier builds read, before any process that may need it is forked,
    and read what they lack from the reading table kept beside them; how many readings
    each memo file held (save_pinyin_memos saves those that grew). None: no cache folder."""
    keep_reading_table(KeptTable(folder / READING_TABLE, readings_version()) if folder else None)
    if folder is None:
        return {}
    held = {}
    for file, (_, remember) in PINYIN_MEMOS.items():
        saved = load_memo(folder / file, readings_version())
        remember(saved)
        held[file] = len(saved)
    return held


def save_pinyin_memos(folder: Path, held: dict[str, int]) -> None:
    """Save each pinyin memo that holds more than its file held (load_pinyin_memos)."""
    for file, (memo, _) in PINYIN_MEMOS.items():
        readings = memo()
        if len(readings) != held.get(file, 0):
            save_memo(folder / file, readings_version(), readings)


def site_stamp(cache: SeedCache, out_dir: Path, refused: list[str]) -> SiteStamp:
    """The stamp of this build's inputs: the seeds' keys, refused entries, templates, static files."""
    key = SiteStamp.make_key(cache.used, *refused, folder_fingerprint(asset_dir("templates")),
                             folder_fingerprint(asset_dir("static")))
    return SiteStamp(cache.folder, out_dir.resolve(), key)


def collection_paused(build: Callable[..., BuildResult]) -> Callable[..., BuildResult]:
    """Run `build` with Python's cyclic garbage collector off.

    A build makes a few hundred thousand long-lived objects (the archive's
    records) and almost no reference cycles; the collector kept walking all of
    them as they piled up, which cost about a third of a rebuild at 10,000
    articles. Memory is still freed by reference counting; the collector runs
    again afterwards (the preview server lives on).
    """
    @functools.wraps(build)
    def paused(*args: object, **kwargs: object) -> BuildResult:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return paused


@collection_paused
def build_site(seeds_dir: Path, out_dir: Path, config: Config, *, use_cache: bool = True,
               jobs: int | None = None, progress: ProgressFactory | None = None) -> BuildResult:
    """Build `out_dir` from every readable seed in `seeds_dir`.

    Raises SidecarErrors (and writes nothing) when a sidecar is broken.
    """
    started = time.perf_counter()
    check_output_folder(out_dir, seeds_dir)
    listing = discover_seeds(seeds_dir)
    progress = progress or (lambda label, total: NoProgress(label, total))
    jobs = jobs or default_jobs()
    cache = SeedCache(cache_dir_for(out_dir), config) if use_cache else None
    keys = PageKeys(config, asset_dir("templates")) if cache else None
    memo = PageCache(cache_dir_for(out_dir) / "search", config, asset_dir("templates")) if cache else None
    # Locks the folder (the workers stage cleaning reports in it) and scans it, beside this process.
    writer = SiteWriter(out_dir, scan_beside=can_fork(jobs))
    # Before any seed is processed: the pinyin of its names and annotated characters is read
    # where it is processed, and a process forked from here reads only what no earlier build read.
    known_readings = load_pinyin_memos(cache_dir_for(out_dir) if cache else None)
    # Made now: a rebuild compiles its templates while it waits for its new seeds.
    env = make_environment()
    try:
        task = WorkerTask(config, cache, writer.staging if keys else None, keys)
        outcomes, seed_keys, recomputed, staged = collect_outcomes(listing.paths, task, jobs, progress, listing.names,
                                                                   chores=compile_templates(env))
        result = gather_articles(outcomes, listing.refused, recomputed)
        stamp = site_stamp(cache, out_dir, listing.refused) if cache else None
        if stamp and stamp.matches(writer.on_disk):
            writer.abort()
            cache.save_hashes()         # seeds touched but unchanged are not hashed again next time
            cache.save_pack()
            result.unchanged = True
            result.seconds = time.perf_counter() - started
            return result
        if stamp:
            writer.previous = stamp.files
        published = {report_path(a) for a in result.articles}
        for relpath, stat, key in staged:
            if relpath in published:
                writer.adopt(relpath, stat, key)
            else:
                writer.discard(relpath)      # a duplicate or empty part triage left out
        render_everything(result.articles, outcomes, SeedDetails(listing.paths, outcomes, seed_keys, cache, config),
                          config, writer, keys, memo, jobs, cache.folder if cache else None, known_readings, env)
    except BaseException:
        writer.abort()
        raise
    writer.commit(before_unlock=stamp.record if stamp else None)
    if cache and memo:
        cache.prune()
        cache.save_hashes()
        cache.save_pack()
        memo.prune()
        for retired in ("pages", "editor", "templates"):     # what earlier versions kept there
            shutil.rmtree(cache_dir_for(out_dir) / retired, ignore_errors=True)
    writer.wait()
    result.seconds = time.perf_counter() - started
    return result
