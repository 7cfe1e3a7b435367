"""Every seed's outcome: from the store, or through the per-seed pipeline on an executor.

A seed's key hashes everything its articles depend on: its name and bytes,
its sidecar's bytes, the configuration and the code. Seeds whose key the
store holds are read back from it (without their details: SeedDetails loads
those when a page asks). The others become jobs, plain data (the bytes
read here, so a worker needs no access to the seeds folder and the key is
exactly of the bytes cleaned), and run on the executor; each worker returns
the outcome encoded as the store keeps it, and this process stores it.
"""
from __future__ import annotations

import hashlib
import os
from sys import intern
from itertools import chain
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, TypedDict

from ..config import Config
from ..load import SeedError, read_seed_bytes
from ..editorial.sidecars import read_sidecar, sidecar_name, sidecar_path
from ..plain import from_json, to_json
from ..readings import (new_character_readings, new_readings_of, remember_character_readings, remember_readings)
from ..records import Article, Fix, Paragraph, Removed, SeedOutcome, entity_names
from ..fingerprint import code_version
from .executor import ExecutorFactory
from ..record_spool import RecordSpool
from .store import OutcomeParts, SeedStamp, Store



class Progress(Protocol):
    """What the build tells of its progress (the command line draws a bar)."""

    def advance(self, count: int = 1) -> None: ...
    def close(self) -> None: ...


class NoProgress:
    def advance(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


ProgressFactory = Callable[[str, int], Progress]     # (what is counted, how many) -> its progress


class StoredDetails(TypedDict):
    """An outcome's third part: the seed's raw lines, each article's fixes and removed lines."""
    lines: list[str]
    fixes: list[list[Fix]]
    removed: list[list[Removed]]


@dataclass
class SeedJob:
    """One seed to process: everything a worker needs, as plain data."""

    name: str
    key: str
    data: bytes
    size: int                               # the file's size (larger than `data` when cut)
    sidecar: tuple[str, str] | None         # (the file as errors name it, its text)
    sidecar_error: str | None               # the sidecar exists but cannot be read
    config: Config


@dataclass
class SeedResult:
    """What a worker returns: the outcome as the store keeps it, and what was read besides."""

    key: str
    parts: OutcomeParts                     # light, bodies, details (store.py)
    records: list[str]                      # each article's record for articles.json (not stored)
    readings: dict[str, list[str]]          # pinyin of its names, for the index
    character_readings: dict[str, list[str]]


class SeedKeys:
    """Content keys of seeds, with the hashes of unchanged files taken from the store."""

    def __init__(self, config: Config, store: Store | None) -> None:
        self.salt = f"{code_version()}\0{config.fingerprint()}".encode()
        self._store = store
        self._known = store.seed_hashes() if store else {}
        self._made: dict[str, tuple[SeedStamp, bytes]] = {}
        self._seen: set[str] = set()

    def key(self, path: Path, listed: frozenset[str] | None = None) -> str:
        """The seed's key, its bytes hashed only when its size, mtime, ctime or inode changed
        (writing a file changes its ctime, which no tool sets back). `listed`: the names in
        its folder, so that a sidecar not among them is not looked for."""
        found = self.known(path, listed)
        if found is not None:
            return found
        try:
            st = os.stat(path)
        except OSError as exc:
            return f"unreadable {exc.errno}"
        try:
            content = hashlib.sha256(path.read_bytes()).digest()
        except OSError as exc:
            return f"unreadable {exc.errno} {st.st_ctime_ns}"
        self._made[path.name] = (_stamp(st), content)
        with_sidecar = listed is None or sidecar_name(path) in listed
        return self.compose(path.name, content, _sidecar_bytes(path) if with_sidecar else None)

    def known(self, path: Path, listed: frozenset[str] | None = None) -> str | None:
        """The seed's key without reading its bytes, when the hash of its file as it is now
        is known; None when its bytes must be read (make_job reads them, once, for its job)."""
        try:
            st = os.stat(path)
        except OSError as exc:
            return f"unreadable {exc.errno}"
        self._seen.add(path.name)
        content = self.hashed(path.name, _stamp(st))
        if content is None:
            return None
        with_sidecar = listed is None or sidecar_name(path) in listed
        return self.compose(path.name, content, _sidecar_bytes(path) if with_sidecar else None)

    def remember(self, name: str, stamp: SeedStamp, content: bytes) -> None:
        """The hash of a seed's bytes read with its file at this stamp (kept for the next build)."""
        self._made[name] = (stamp, content)

    def hashed(self, name: str, stamp: SeedStamp) -> bytes | None:
        """The hash of the seed's bytes made this build or an earlier one, if its file still
        has this size, mtime, ctime and inode."""
        found = self._made.get(name) or self._known.get(name)
        return found[1] if found and found[0] == stamp else None

    def compose(self, name: str, content: bytes, sidecar: bytes | None) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(content)
        if sidecar is not None:
            digest.update(hashlib.sha256(sidecar).hexdigest().encode())
        return digest.hexdigest()

    def save(self) -> None:
        if self._store is not None:
            self._store.save_seed_hashes(self._made, self._seen)


def _sidecar_bytes(path: Path) -> bytes | None:
    try:
        return sidecar_path(path).read_bytes()
    except OSError:      # none, or unreadable (the job says so), or a name too long to exist
        return None


def make_job(path: Path, keys: SeedKeys, config: Config) -> SeedJob | SeedOutcome:
    """The job for one seed, its key made from the bytes read here; or, for a seed that
    cannot be read, its outcome (the error names the file)."""
    before = _stamp_of(path)
    try:
        data, size = read_seed_bytes(path)
    except SeedError as exc:
        return SeedOutcome(seed=path.name, error=str(exc))
    sidecar, error, raw = read_sidecar(path)
    # The key of the bytes cleaned. A file unchanged since it was keyed (its stamp, read after
    # the bytes, as then: any write changes the ctime) has that hash; else the bytes read are
    # hashed, all of them for a seed cut at the size limit, as SeedKeys.key does, and the
    # hash kept for the next build if the file's stamp did not change while it was read.
    after = _stamp_of(path)
    content = keys.hashed(path.name, after) if after else None
    if content is None:
        content = hashlib.sha256(data if len(data) == size else _whole_file(path, data)).digest()
        if before and before == after:
            keys.remember(path.name, before, content)
    key = keys.compose(path.name, content, raw)
    return SeedJob(path.name, key, data, size, sidecar, str(error) if error else None, config)


def _stamp(st: os.stat_result) -> SeedStamp:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _stamp_of(path: Path) -> SeedStamp | None:
    try:
        return _stamp(os.stat(path))
    except OSError:
        return None


def _whole_file(path: Path, data: bytes) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return data


def process_job(job: SeedJob) -> SeedResult:
    """The per-seed pipeline over one job, in a worker: plain data in, plain data out."""
    from .pipeline import process_seed_data
    outcome = process_seed_data(job.name, job.data, job.size, job.sidecar, job.sidecar_error, job.config)
    readings = new_readings_of(name for article in outcome.articles for name in entity_names(article))
    return SeedResult(job.key, encode_outcome(outcome), [p.record for p in outcome.prepared], readings,
                      new_character_readings())


def encode_outcome(outcome: SeedOutcome) -> OutcomeParts:
    """The outcome in the store's three parts: what every build reads (records left out:
    articles.json holds them, and they can be made again), the articles' paragraphs, the details."""
    from dataclasses import replace
    articles = outcome.articles
    light = replace(outcome, lines=[], prepared=[replace(p, record="") for p in outcome.prepared],
                    articles=[replace(a, clean=replace(a.clean, paragraphs=[], fixes=[], removed=[]))
                              for a in articles])
    bodies = [a.clean.paragraphs for a in articles]
    details = {"lines": outcome.lines, "fixes": [a.clean.fixes for a in articles],
               "removed": [a.clean.removed for a in articles]}
    return to_json(light), to_json(bodies), to_json(details)


class UnloadedParagraphs:
    """Stands in for a stored article's paragraphs until SeedDetails loads them.

    Any use fails, naming the seed: a page made from an article whose body
    was never asked for would otherwise come out empty without a word.
    """

    __slots__ = ("seed",)

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def _refuse(self, *args: object):
        raise RuntimeError(f"{self.seed}: the article's paragraphs were used before they were loaded from the store")

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = _refuse


def is_unloaded(paragraphs: object) -> bool:
    return isinstance(paragraphs, UnloadedParagraphs)


def decode_light(light: bytes, shared: SharedValues | None = None) -> SeedOutcome:
    """An outcome from its first part: paragraphs and details to load (SeedDetails).
    Its names, strings and entities are `shared` with the outcomes decoded before it."""
    outcome = from_json(SeedOutcome, light)
    shared = shared if shared is not None else SharedValues()
    for article, prepared in zip(outcome.articles, outcome.prepared):
        article.clean.paragraphs = UnloadedParagraphs(article.clean.seed)  # type: ignore[assignment]
        shared.share(article)
        prepared.attention[:] = map(intern, prepared.attention)
    outcome.encoding = intern(outcome.encoding)
    outcome.details_loaded = outcome.bodies_loaded = False
    return outcome


class SharedValues:
    """One object for each name, string and entity the archive repeats.

    The decoder makes a new object for every occurrence: the same organisation
    named in a thousand articles was a thousand Organisations, each with its own
    list of aliases and its own strings, the largest part of what the build
    holds of an article (1.4 of 4.5 KB at 10,000 synthetic articles). Strings
    are interned; an entity equal to one decoded before is that one. Safe
    because nothing changes an article's entities once the worker made them
    (the index merges them into entries of its own). One table a build: it
    holds every distinct entity of the archive, which the articles hold anyway.
    """

    def __init__(self) -> None:
        self._entities: dict[tuple, object] = {}

    def share(self, article: Article) -> None:
        clean = article.clean
        clean.date_basis, clean.script = intern(clean.date_basis), intern(clean.script)
        clean.source = _interned(clean.source)
        for texts in (clean.authors, clean.editors, clean.tags, clean.warnings):
            texts[:] = map(intern, texts)
        article.organisations[:] = [self._one(o, (o.name, o.parent, *o.aliases)) for o in article.organisations]
        article.people[:] = [self._one(p, (p.name, p.role, p.organisation)) for p in article.people]
        article.events[:] = [self._one(e, (e.name, e.date, e.place, *e.organisations)) for e in article.events]

    def _one(self, entity: object, values: tuple) -> object:
        key = (type(entity), *values)
        found = self._entities.get(key)
        if found is None:
            found = self._entities[key] = _interned_entity(entity)
        return found


def _interned_entity(entity: object) -> object:
    for name in entity.__slots__:   # type: ignore[attr-defined]
        value = getattr(entity, name)
        if isinstance(value, str):
            setattr(entity, name, intern(value))
        elif isinstance(value, list):
            value[:] = map(intern, value)
    return entity


def _interned(text: str | None) -> str | None:
    return None if text is None else intern(text)


def fill_bodies(outcome: SeedOutcome, bodies: bytes) -> bool:
    paragraphs = from_json(list[list[Paragraph]], bodies)
    if len(paragraphs) != len(outcome.articles):
        return False
    for article, its in zip(outcome.articles, paragraphs):
        article.clean.paragraphs = its
    outcome.bodies_loaded = True
    return True


def fill_details(outcome: SeedOutcome, details: bytes) -> bool:
    """In place, so that the copies triage made of an article (which share these lists) are completed too."""
    data = from_json(StoredDetails, details)
    lines, fixes, removed = data["lines"], data["fixes"], data["removed"]
    if len(fixes) != len(outcome.articles) or len(removed) != len(outcome.articles):
        return False
    outcome.lines[:] = lines
    for article, its_fixes, its_removed in zip(outcome.articles, fixes, removed):
        article.clean.fixes[:] = its_fixes
        article.clean.removed[:] = its_removed
    outcome.details_loaded = True
    return True


@dataclass
class Collected:
    """Every seed's outcome in seed-name order, their keys, how many were processed."""

    outcomes: list[SeedOutcome]
    keys: list[str]
    processed: int


def collect_outcomes(paths: list[Path], listed: frozenset[str] | None, config: Config, store: Store | None,
                     executor: ExecutorFactory, progress: ProgressFactory,
                     while_waiting: Callable[[], object] | None = None,
                     spool: RecordSpool | None = None) -> Collected:
    """Every seed's outcome, from the store or processed on `executor(jobs, other_work)`.

    The first jobs are sent off first; while they run, this process decodes what
    the store holds and does `while_waiting` (work the build needs next anyway).
    A job is made (its seed read, once: for its key and for the worker) only when
    the executor takes it, so the seeds' bytes in memory are those of the jobs in
    flight, not of every new seed. An outcome put in the store is kept here
    without its paragraphs (SeedDetails loads them for a page), as a stored one is;
    with a `spool`, the records the workers made for articles.json go there.
    """
    keys = SeedKeys(config, store)
    shared = SharedValues()
    seed_keys: list[str | None] = [keys.known(path, listed) for path in paths]   # None: read to key
    stored = store.light_parts(key for key in seed_keys if key) if store else {}
    outcomes: dict[int, SeedOutcome] = {}
    to_run = [i for i, key in enumerate(seed_keys) if key is None or key not in stored]
    sent: list[int] = []                          # the positions of the jobs made, in order
    bar = progress("seeds", len(to_run))

    def jobs(positions: list[int]) -> Iterator[SeedJob]:
        for i in positions:
            job = make_job(paths[i], keys, config)
            if isinstance(job, SeedOutcome):      # unreadable: its outcome says so
                outcomes[i] = job
                seed_keys[i] = seed_keys[i] or f"unreadable {_stamp_of(paths[i])}"
                bar.advance()
                continue
            keyed_now, seed_keys[i] = seed_keys[i] is None, job.key
            if store and keyed_now:
                # Its file changed, or was touched, since it was keyed: the store may hold it.
                light = store.light_parts([job.key]).get(job.key)
                if light is not None:
                    try:
                        outcomes[i] = decode_light(light, shared)
                        bar.advance()
                        continue
                    except (ValueError, TypeError):
                        pass
            sent.append(i)
            yield job

    damaged: set[int] = set()
    pool = executor(len(to_run), bool(stored))       # a cluster that cannot be reached fails here
    keep_text = store is None or store.read_only     # where SeedDetails could not load them again
    try:
        running = pool.map(process_job, jobs(to_run))
        for i, key in enumerate(seed_keys):
            light = stored.get(key) if key else None
            if light is not None:
                try:
                    outcomes[i] = decode_light(light, shared)
                except (ValueError, TypeError):
                    damaged.add(i)                # processed again, here
        if while_waiting:
            while_waiting()
        pending: list[tuple[str, OutcomeParts]] = []
        results = chain(running, map(process_job, jobs(sorted(damaged))))
        for n, result in enumerate(results):
            outcomes[sent[n]] = outcome_of(result, keep_text, spool, shared)
            remember_readings(result.readings)
            remember_character_readings(result.character_readings)
            if store:
                pending.append((result.key, result.parts))
            if len(pending) >= 256:      # committed as it goes: a killed build keeps what it made
                store.put_outcomes(pending)
                pending = []
            bar.advance()
        if store and pending:
            store.put_outcomes(pending)
    finally:
        pool.close()
        bar.close()
    keys.save()
    return Collected([outcomes[i] for i in range(len(paths))], [key or "" for key in seed_keys], len(sent))


def outcome_of(result: SeedResult, keep_text: bool = True, spool: RecordSpool | None = None,
               shared: SharedValues | None = None) -> SeedOutcome:
    """The outcome a worker made, as this process keeps it: its paragraphs and details left
    in the store, unless `keep_text` (there is no store to give them back, or it is read-only:
    without them the reports would clean the seed a second time, SeedDetails._run_again);
    its records in `spool`, where there is one, not in memory."""
    light, bodies, details = result.parts
    outcome = decode_light(light, shared)
    if keep_text:
        fill_bodies(outcome, bodies)
        fill_details(outcome, details)
    if spool is not None:
        spool.add(outcome.prepared, result.records)
    else:
        for prepared, record in zip(outcome.prepared, result.records):
            prepared.record = record
    return outcome


# Seeds whose paragraphs and details stay loaded at once (SeedDetails): the most pages of
# one call load (a search chunk's articles, the feed's) are never let go while asked for.
LOADED_SEEDS = 256


class SeedDetails:
    """What stored seeds are loaded without: their articles' paragraphs, their raw lines,
    fixes and removed lines. Loaded when a page needs them (a page to render again,
    a cleaning report, a record triage changed) and filled in place.

    Only the `window` seeds loaded last keep them: when a call loads more, the
    seeds loaded longest ago, not among those it asks for, are let go (their
    paragraphs unloaded again, their details emptied, as the store left them), so
    a build holds a page's worth of text, not the archive's. What a call gives
    stays until a later call: a page uses its articles before it asks for others.
    """

    def __init__(self, paths: list[Path], outcomes: list[SeedOutcome], keys: list[str],
                 store: Store | None, config: Config, window: int | None = None) -> None:
        self._by_seed = {o.seed: (path, o, key) for path, o, key in zip(paths, outcomes, keys) if not o.error}
        self._store = store
        self._config = config
        self._window = window or LOADED_SEEDS
        self._loaded: dict[str, None] = {}              # the seeds loaded, oldest first
        self._copies: dict[str, list[Article]] = {}     # seed -> the copies triage made of its articles

    def lines_of(self, seed: str) -> list[str]:
        """The seed's raw lines, its articles completed first (paragraphs and details)."""
        found = self._by_seed.get(seed)
        if found is None:
            return []
        self._let_go(keep={seed})
        return self._lines(seed)

    def _lines(self, seed: str) -> list[str]:
        path, outcome, key = self._by_seed[seed]
        if not outcome.details_loaded and not self._load(key, "details", outcome, fill_details):
            self._run_again(seed)
        self._load_bodies(seed)
        return outcome.lines

    def bodies(self, articles: Iterable[Article]) -> None:
        """Give these articles their paragraphs, where the store left them out."""
        articles = list(articles)
        self._let_go(keep={a.clean.seed for a in articles})
        for article in articles:
            if is_unloaded(article.clean.paragraphs):
                self._load_bodies(article.clean.seed)
                if is_unloaded(article.clean.paragraphs):      # a copy triage made: the same body
                    self._copies.setdefault(article.clean.seed, []).append(article)
                    self._load_bodies(article.clean.seed)

    def complete(self, articles: list[Article]) -> None:
        """Everything of these articles: paragraphs and details."""
        self.bodies(articles)
        seeds = sorted({a.clean.seed for a in articles})
        self._let_go(keep=set(seeds))
        for seed in seeds:
            self._lines(seed)

    def _load_bodies(self, seed: str) -> SeedOutcome:
        path, outcome, key = self._by_seed[seed]
        if not outcome.bodies_loaded and not self._load(key, "bodies", outcome, fill_bodies):
            self._run_again(seed)
        self._loaded[seed] = None
        # Triage's copies share the details' lists, filled in place, but not the paragraphs.
        for copy in self._copies.get(seed, ()):
            if is_unloaded(copy.clean.paragraphs):
                copy.clean.paragraphs = next(a.clean.paragraphs for a in outcome.articles
                                             if a.clean.part == copy.clean.part)
        return outcome

    def _let_go(self, keep: set[str]) -> None:
        """Unload the seeds loaded longest ago, beyond the window, but those in `keep`.
        Without a store to load them from again, nothing is let go."""
        if self._store is None or self._store.read_only or len(self._loaded) + len(keep) <= self._window:
            return
        for seed in list(self._loaded):
            if len(self._loaded) + len(keep) <= self._window:
                break
            if seed not in keep:
                self._unload(seed)

    def _unload(self, seed: str) -> None:
        """The seed's outcome as the store left it: no paragraphs, no details (emptied in place,
        so that triage's copies, which share those lists, are emptied too)."""
        path, outcome, key = self._by_seed[seed]
        del self._loaded[seed]
        for article in outcome.articles + self._copies.get(seed, []):
            article.clean.paragraphs = UnloadedParagraphs(seed)  # type: ignore[assignment]
            article.clean.fixes.clear()
            article.clean.removed.clear()
        outcome.lines = []
        outcome.bodies_loaded = outcome.details_loaded = False

    def _load(self, key: str, part: str, outcome: SeedOutcome, fill: Callable[[SeedOutcome, bytes], bool]) -> bool:
        if self._store is None:
            return False
        try:
            data = self._store.part(key, part)
            return data is not None and fill(outcome, data)
        except (ValueError, TypeError, KeyError):
            return False

    def _run_again(self, seed: str) -> None:
        """Bodies or details lost from the store: the seed is run again (same code, same bytes:
        the same articles), and every part of its outcome filled in from that run."""
        from .pipeline import process_seed_file
        path, outcome, key = self._by_seed[seed]
        fresh = process_seed_file(path, self._config)
        outcome.lines[:] = fresh.lines
        for article, again in zip(outcome.articles, fresh.articles):
            article.clean.fixes[:] = again.clean.fixes
            article.clean.removed[:] = again.clean.removed
            article.clean.paragraphs = again.clean.paragraphs
        outcome.details_loaded = outcome.bodies_loaded = True
        if self._store:
            self._store.put_outcomes([(key, encode_outcome(fresh))])
