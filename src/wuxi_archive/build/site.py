"""Build the whole site: every seed through the pipeline, then index and render.

Per-seed results come from the store (store.py) when the seed, its sidecar,
the config and the code are unchanged; the rest run on an executor
(executor.py: here, a local process pool or a Dask cluster) and are stored.
Pages whose key (a hash of all they show) is unchanged are kept from the
last build; new and changed files are staged beside the output folder and
moved in at the end (render/writer.py), so an interrupted build leaves the
previous site whole.
"""
from __future__ import annotations

import functools
import gc
import importlib.util
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..config import Config, ConfigError
from ..fingerprint import code_version, folder_fingerprint
from ..free_memory import map_large_blocks_apart, release_free_memory
from ..load.discover import SeedListing, check_output_folder, discover_seeds
from ..load.triage import body_fingerprint, has_article_text, triage_articles
from .output_errors import OutputError, describe_output_error
from .pipeline import prepare_article
from ..readings import character_readings_memo, readings_memo, remember_character_readings, remember_readings
from ..records import Article, PreparedArticle, SeedOutcome
from .executor import Executor, default_jobs, make_executor
from ..record_spool import RecordSpool
from .seeds import NoProgress, ProgressFactory, SeedDetails, collect_outcomes
from .store import STORE_FILE, Store, as_os_error, cache_dir_for

RELATED_LISTS = "related-lists"     # the store's memo of the related lists, an article a row (RelatedArticles)

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..index import SiteIndex

    from ..page_keys import KeyedBlobs, PageKeys
    from ..render.writer import SiteWriter
    from .stamp import SiteStamp


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


# In the store: the pinyin read so far (readings.py), with how to read and extend each memo.
PINYIN_MEMOS = {
    "readings": (readings_memo, remember_readings),                                 # names
    "character-readings": (character_readings_memo, remember_character_readings),  # annotated characters
}


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
                      writer: SiteWriter, keys: PageKeys | None, memo: KeyedBlobs | None, jobs: int,
                      store: Store | None = None, known_readings: dict[str, int] | None = None,
                      env: Environment | None = None, spool: RecordSpool | None = None) -> None:
    """Index the articles and render the whole site and the cleaning reports into `writer`
    (`keys` to keep unchanged pages, `memo` for the search index's blocks, `store` for
    what is kept between builds: the pinyin memos, saved again when they hold more than
    the `known_readings` loaded from there, and what render keeps for the next build)
    with `env` (one for the site and the reports: each template compiled once); `spool`
    holds the records the workers made."""
    from ..index import build_index
    from ..render import make_environment, open_render_pool, render_site
    from ..render.editor import editor_pages
    env = env or make_environment()
    # Opened first: the render workers' fork server starts while the articles are indexed.
    pool = open_render_pool(len(articles), jobs, env)
    try:
        index = build_index(articles)
        prepared = prepared_articles(outcomes, articles)
        # Articles triage changed (a duplicate's warning) are new objects no worker prepared: they
        # are prepared here, as a worker would, so that render finds every article's digest and
        # record made (hashing an article whose text the window of SeedDetails had let go broke a
        # 100,000-article build).
        for article in [a for a in articles if a.id not in prepared]:
            details.complete([article])
            prepared[article.id] = prepare_article(article, details.lines_of(article.clean.seed))
        lines_digests = {o.seed: o.lines_digest for o in outcomes if not o.error}
        render_site(index, config, writer, env=env, keys=keys, memo=memo, prepared=prepared, jobs=jobs,
                    load_bodies=details.bodies, complete=details.complete, memos=store, spool=spool, pool=pool,
                    before_articles=lambda: reuse_related_lists(index, store),
                    also=lambda pages: editor_pages(index.articles, details.lines_of, lines_digests, config, writer,
                                                    env=env, keys=keys, prepared=prepared,
                                                    make_file=pages.submit_file))
    except BaseException:
        if pool:
            pool.close()
        raise
    if store:
        save_pinyin_memos(store, known_readings or {})


def reuse_related_lists(index: SiteIndex, store: Store | None) -> None:
    """Give the index the related lists the last build made that no change reaches, and make
    the rest now, all before any article page is planned (render_site runs this while the
    render workers plan the index pages), letting go of what making them took
    (RelatedArticles.settle), and save the rows of those made, a few thousand at a time.
    Saved now, not at the end: they are this build's lists whether or not it finishes."""
    if store is None:
        return                    # made as pages ask, on both cores; nothing is kept
    version = code_version()
    index.related.reuse(store.iter_rows(RELATED_LISTS, version))
    index.related.settle(lambda rows, gone: store.save_rows(RELATED_LISTS, version, rows, gone))
    release_free_memory()           # what making the lists took: 128 MB at 100,000 articles


def prepared_by_object(outcomes: list[SeedOutcome]) -> dict[int, PreparedArticle]:
    """What the workers prepared, by id() of the article objects they made."""
    return {id(a): p for o in outcomes for a, p in zip(o.articles, o.prepared)}


def prepared_articles(outcomes: list[SeedOutcome], articles: list[Article]) -> dict[str, PreparedArticle]:
    """The workers' digests and records, by article id, for the articles triage left as they were
    (one it gave a duplicate's warning is a new object: render_everything prepares it)."""
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


def load_pinyin_memos(store: Store | None) -> dict[str, int]:
    """Load the pinyin earlier builds read, before any seed is processed; how many readings
    each memo held (save_pinyin_memos saves those that grew)."""
    held = {}
    for name, (_, remember) in PINYIN_MEMOS.items():
        saved = store.load(name, readings_version()) if store else {}
        remember(saved)
        held[name] = len(saved)
    return held


def save_pinyin_memos(store: Store, held: dict[str, int]) -> None:
    """Save each pinyin memo that holds more than the store held (load_pinyin_memos)."""
    for name, (memo, _) in PINYIN_MEMOS.items():
        readings = memo()
        if len(readings) != held.get(name, 0):
            store.save(name, readings_version(), readings)


def site_stamp(store: Store, seed_keys: list[str], refused: list[str]) -> SiteStamp:
    """The stamp of this build's inputs: the seeds' keys, refused entries, templates, static files."""
    from ..render import asset_dir
    from .stamp import SiteStamp
    key = SiteStamp.make_key(seed_keys, *refused, folder_fingerprint(asset_dir("templates")),
                             folder_fingerprint(asset_dir("static")))
    return SiteStamp(store, key)


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
               jobs: int | None = None, progress: ProgressFactory | None = None,
               scheduler: str | None = None) -> BuildResult:
    """Build `out_dir` from every readable seed in `seeds_dir`.

    The seeds new since the last build run on a local pool of `jobs`
    processes, or on the Dask cluster at `scheduler` (tcp://host:port; or
    $WUXI_SCHEDULER). Raises SidecarErrors (and writes nothing) when a
    sidecar is broken.
    """
    started = time.perf_counter()
    map_large_blocks_apart()
    check_output_folder(out_dir, seeds_dir)
    listing = discover_seeds(seeds_dir)
    store: Store | None = None
    try:
        store = Store(cache_dir_for(out_dir)) if use_cache else None
        return _build(seeds_dir, out_dir, config, listing, store, jobs or default_jobs(), scheduler,
                      progress or (lambda label, total: NoProgress()), started)
    except sqlite3.Error as exc:          # the store could not be opened (locked, read-only, disk full)
        cause = as_os_error(exc, store.file if store else cache_dir_for(out_dir) / STORE_FILE)
        raise OutputError(describe_output_error(cause, out_dir, replaced=False), cause) from exc
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(describe_output_error(exc, out_dir, replaced=False), exc) from exc
    finally:
        if store:
            store.close()


def _build(seeds_dir: Path, out_dir: Path, config: Config, listing: SeedListing, store: Store | None,
           jobs: int, scheduler: str | None, progress: ProgressFactory, started: float) -> BuildResult:
    # Before any seed is processed: what earlier builds read of pinyin is not read again.
    known_readings = load_pinyin_memos(store)
    from ..render import asset_dir, compile_templates, make_environment
    from ..page_keys import KeyedBlobs, PageKeys
    from ..render.writer import SiteWriter

    def executor(tasks: int, other_work: bool) -> Executor:
        return make_executor(tasks, jobs, scheduler, other_work)

    env = make_environment()

    writer: SiteWriter | None = None
    # The workers' records for articles.json wait on disk, beside the store or the site.
    spool = RecordSpool(store.folder if store else out_dir.resolve().parent)
    try:
        # Takes the folder's lock, and scans it on the other core while the seeds are collected.
        writer = SiteWriter(out_dir, scan_meanwhile=True)
        # While the new seeds of a rebuild are cleaned, the templates are compiled here.
        collected = collect_outcomes(listing.paths, listing.names, config, store, executor, progress,
                                     while_waiting=lambda: list(compile_templates(env)), spool=spool)
        outcomes = collected.outcomes
        release_free_memory()       # what decoding the workers' results took
        result = gather_articles(outcomes, listing.refused, collected.processed)
        if store:
            result.notices[:0] = store.notices
        stamp = site_stamp(store, collected.keys, listing.refused) if store else None
        if stamp and stamp.matches(writer.on_disk):
            writer.abort(keep_spare=True)
            result.unchanged = True
            result.seconds = time.perf_counter() - started
            return result
        if stamp:
            writer.previous = stamp.files
        keys = PageKeys(config, asset_dir("templates")) if store else None
        memo = KeyedBlobs(store, config, asset_dir("templates")) if store else None
        details = SeedDetails(listing.paths, outcomes, collected.keys, store, config)
        render_everything(result.articles, outcomes, details, config, writer, keys, memo, jobs,
                          store, known_readings, env, spool)
        if writer.in_place:
            result.notices.append(f"{out_dir} is a mount point (another file system): its files are replaced "
                                  "one by one, not swapped at once; mount the folder above it for an atomic swap")
        writer.commit(before_unlock=stamp.record if stamp else None)
    except BaseException as exc:
        if writer is not None:
            writer.abort()
        replaced = writer is not None and writer.swapped
        if isinstance(exc, sqlite3.Error) and store:      # the store's file: a full disk, say
            cause = as_os_error(exc, store.file)
            raise OutputError(describe_output_error(cause, out_dir, replaced=replaced), cause) from exc
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(describe_output_error(exc, out_dir, replaced=replaced), exc) from exc
        raise
    finally:
        spool.close()
    if store:
        try:
            store.keep_outcomes(set(collected.keys))
            store.keep_blobs()
        except sqlite3.Error as exc:
            result.notices.append(f"{store.file}: could not be tidied ({exc}); the next build will try again")
    # The old site (or the files it replaced) is deleted by a process of its own (writer.remove_in_background).
    result.seconds = time.perf_counter() - started
    return result
