"""Build the whole site: every seed through the pipeline, then index and render.

Per-seed results come from the cache when the seed, its sidecar, the config
and the code are unchanged; the rest run in up to two worker processes.
The site is staged beside the output folder and swapped in at the end, so
an interrupted build leaves the previous site whole.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Callable

from .cache import (PageCache, SeedCache, SiteStamp, cache_dir_for, code_version, folder_fingerprint,
                    load_memo, save_memo)
from .config import Config, ConfigError
from .index import build_index
from .index.slugs import readings_memo, remember_readings
from .load.discover import check_output_folder, discover_seeds
from .load.triage import triage_articles
from .pipeline import SeedOutcome, process_seed_file
from .progress import NoProgress, Progress
from .records import Article, PreparedArticle
from .render import asset_dir, render_site
from .render.editor import prerender_reports, render_editor_pages
from .render.writer import SiteWriter

# Below this many seeds to (re)compute, starting worker processes costs more than it saves.
MIN_SEEDS_FOR_WORKERS = 24

ProgressFactory = Callable[[str, int], Progress]


class SidecarErrors(ConfigError):
    """One or more sidecars are broken; the site is not written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class BuildResult:
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


def process_seed_in_worker(path: Path, config: Config, reports: PageCache | None) -> SeedOutcome:
    """process_seed_file, then (with a report memo) the seed's cleaning reports rendered into it."""
    outcome = process_seed_file(path, config)
    if reports is not None and not outcome.error and not outcome.sidecar_error:
        prerender_reports(outcome.articles, outcome.lines, config, reports, outcome.prepared)
    return outcome


def process_seeds(paths: list[Path], config: Config, jobs: int, progress: Progress,
                  reports: PageCache | None = None) -> list[SeedOutcome]:
    """Run seeds through the per-seed pipeline, in workers when there are many; keeps order.

    Workers also render the seeds' cleaning reports into `reports`, so that
    work runs on both cores instead of after them, in the build process alone.
    """
    if jobs > 1 and len(paths) >= MIN_SEEDS_FOR_WORKERS:
        chunk = max(1, min(16, len(paths) // (jobs * 8)))
        outcomes = []
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for outcome in pool.map(process_seed_in_worker, paths, repeat(config), repeat(reports), chunksize=chunk):
                outcomes.append(outcome)
                progress.advance()
        return outcomes
    outcomes = []
    for path in paths:
        outcomes.append(process_seed_file(path, config))
        progress.advance()
    return outcomes


def collect_outcomes(paths: list[Path], config: Config, cache: SeedCache | None,
                     jobs: int, progress: ProgressFactory,
                     reports: PageCache | None = None) -> tuple[list[SeedOutcome], list[str], int]:
    """Every seed's outcome, from the cache or computed, in seed-name order; their cache keys;
    and how many were computed. Outcomes from the cache come without their details (SeedDetails)."""
    keys = [cache.key(p) if cache else "" for p in paths]
    outcomes: dict[int, SeedOutcome] = {}
    for i, key in enumerate(keys):
        hit = cache.get(key) if cache else None
        if hit is not None:
            outcomes[i] = hit
    todo = [i for i in range(len(paths)) if i not in outcomes]
    bar = progress("seeds", len(todo))
    for i, outcome in zip(todo, process_seeds([paths[i] for i in todo], config, jobs, bar, reports)):
        outcomes[i] = outcome
        if cache:
            cache.put(keys[i], outcome)
    bar.close()
    return [outcomes[i] for i in range(len(paths))], keys, len(todo)


class SeedDetails:
    """The raw lines, fixes and removed lines of cached seeds, loaded only when a page needs them
    (a cleaning report to render again, a record triage changed). Filled in place."""

    def __init__(self, paths: list[Path], outcomes: list[SeedOutcome], keys: list[str],
                 cache: SeedCache | None, config: Config) -> None:
        self._by_seed = {o.seed: (path, o, key) for path, o, key in zip(paths, outcomes, keys) if not o.error}
        self._cache = cache
        self._config = config

    def lines_of(self, seed: str) -> list[str]:
        """The seed's raw lines, its articles completed first."""
        found = self._by_seed.get(seed)
        if found is None:
            return []
        path, outcome, key = found
        if not outcome.details_loaded and not (self._cache and self._cache.load_details(key, outcome)):
            # Details lost from the cache: the seed is run again (same code, same bytes: same articles).
            fresh = process_seed_file(path, self._config)
            outcome.lines[:] = fresh.lines
            for article, again in zip(outcome.articles, fresh.articles):
                article.clean.fixes[:] = again.clean.fixes
                article.clean.removed[:] = again.clean.removed
            outcome.details_loaded = True
            if self._cache:
                self._cache.put(key, fresh)
        return outcome.lines

    def complete(self, articles: list[Article]) -> None:
        for seed in sorted({a.clean.seed for a in articles}):
            self.lines_of(seed)


def prepared_articles(outcomes: list[SeedOutcome], articles: list[Article]) -> dict[str, PreparedArticle]:
    """The workers' digests and records, by article id, for the articles triage left as they were
    (one it gave a duplicate's warning is a new object, and render makes its own)."""
    made = {id(a): p for o in outcomes for a, p in zip(o.articles, o.prepared)}
    return {a.id: made[id(a)] for a in articles if id(a) in made}


def readings_version() -> str:
    """Pinyin readings depend on the code (the bundled phrases) and on pypinyin itself."""
    import pypinyin
    return f"{code_version()} {pypinyin.__version__}"


def remember_readings_from(file: Path) -> dict[str, list[str]]:
    """Load the pinyin readings an earlier build made, so the index need not ask pypinyin again."""
    saved = load_memo(file, readings_version())
    remember_readings(saved)
    return readings_memo()


def site_stamp(cache: SeedCache, out_dir: Path, refused: list[str]) -> SiteStamp:
    """The stamp of this build's inputs: the seeds' keys, refused entries, templates, static files."""
    key = SiteStamp.make_key(cache.used, *refused, folder_fingerprint(asset_dir("templates")),
                             folder_fingerprint(asset_dir("static")))
    return SiteStamp(cache.folder, out_dir.resolve(), key)


def build_site(seeds_dir: Path, out_dir: Path, config: Config, *, use_cache: bool = True,
               jobs: int | None = None, progress: ProgressFactory | None = None) -> BuildResult:
    """Build `out_dir` from every readable seed in `seeds_dir`.

    Raises SidecarErrors (and writes nothing) when a sidecar is broken.
    """
    started = time.perf_counter()
    check_output_folder(out_dir, seeds_dir)
    listing = discover_seeds(seeds_dir)
    refused = listing.refused
    progress = progress or (lambda label, total: NoProgress(label, total))
    cache = SeedCache(cache_dir_for(out_dir), config) if use_cache else None
    memo = PageCache(cache_dir_for(out_dir) / "editor", config, asset_dir("templates")) if cache else None
    outcomes, keys, recomputed = collect_outcomes(listing.paths, config, cache, jobs or default_jobs(), progress, memo)
    broken = [o.sidecar_error for o in outcomes if o.sidecar_error]
    if broken:
        raise SidecarErrors(broken)
    result = BuildResult(seeds=len(outcomes), recomputed=recomputed, errors=list(refused))
    for outcome in outcomes:
        if outcome.error:
            result.errors.append(outcome.error)
        result.articles.extend(outcome.articles)
    result.articles, result.notices = triage_articles(result.articles, [o.seed for o in outcomes if not o.error])
    result.notices[:0] = [f"{o.seed}: {w}" for o in outcomes for w in o.load_warnings]
    writer = SiteWriter(out_dir)      # locks the folder: the stamp is read and the site scanned under the lock
    stamp = site_stamp(cache, out_dir, refused) if cache else None
    if stamp and stamp.matches(writer.on_disk):
        writer.abort()
        result.unchanged = True
        result.seconds = time.perf_counter() - started
        return result
    if stamp:
        writer.previous = stamp.files
    details = SeedDetails(listing.paths, outcomes, keys, cache, config)
    lines_digests = {o.seed: o.lines_digest for o in outcomes if not o.error}
    pages = PageCache(cache_dir_for(out_dir) / "pages", config, asset_dir("templates")) if cache else None
    readings = cache_dir_for(out_dir) / "readings.json"
    known_readings = len(remember_readings_from(readings)) if cache else 0
    try:
        index = build_index(result.articles)
        prepared = prepared_articles(outcomes, result.articles)
        details.complete([a for a in result.articles if a.id not in prepared])   # render makes their records
        render_site(index, config, writer, memo=pages, prepared=prepared, jobs=jobs or default_jobs(),
                    also=lambda: render_editor_pages(index.articles, details.lines_of, lines_digests, config,
                                                     writer, memo=memo, prepared=prepared))
    except BaseException:
        writer.abort()
        raise
    writer.commit(before_unlock=stamp.record if stamp else None)
    if cache and len(readings_memo()) != known_readings:
        save_memo(readings, readings_version(), readings_memo())
    if cache and memo and pages:
        cache.prune()
        memo.prune()
        pages.prune()
    result.seconds = time.perf_counter() - started
    return result
