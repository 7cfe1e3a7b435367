"""The incremental build cache: one seed's outcome, keyed by content hash.

The key covers everything a seed's articles depend on: the seed's name and
bytes, its sidecar's bytes, the configuration's fingerprint and the code
itself (a hash of the package's source and data files), so a stale entry
can never be used. Entries are JSON, not pickle: a cache folder restored by
CI is data, and loading it must not be able to run code.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
import typing
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .atomic_file import replace_file
from .cache_pack import OutcomePack
from .config import Config
from .overrides import sidecar_digest, sidecar_name
from .records import Fix, Paragraph, Removed, SeedOutcome
from .plain import from_json, to_json

if typing.TYPE_CHECKING:
    from .render.writer import FileStat, Manifest

FORMAT = 2     # entries of three lines: outcome, paragraphs, details
SEED_HASHES = "seed-hashes.json"
SEED_HASHES_VERSION = "sha256 of the bytes, by size, mtime, ctime and inode"
STALE_TEMPORARY_SECONDS = 3600


class CachedBodies(typing.TypedDict):
    """An entry's second line: each article's paragraphs."""
    paragraphs: list[list[Paragraph]]


class CachedDetails(typing.TypedDict):
    """An entry's third line: the seed's raw lines, each article's fixes and removed lines."""
    lines: list[str]
    fixes: list[list[Fix]]
    removed: list[list[Removed]]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's Python and data files: any code change empties the cache."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json", ".txt"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir_for(out_dir: Path) -> Path:
    """A hidden sibling of the output folder, untouched by the staging swap and never published."""
    out = out_dir.resolve()
    return out.with_name(f".{out.name}.cache")


class SeedCache:
    """Read and write cached seed outcomes in a folder."""

    def __init__(self, folder: Path, config: Config) -> None:
        self.folder = folder
        self.salt = f"{code_version()}\0{config.fingerprint()}"
        self.used: set[str] = set()
        self._hashes: dict[str, list] | None = None     # seed name -> [size, mtime_ns, ctime_ns, inode, sha256]
        self._hashes_changed = False
        self._seen: set[str] = set()
        self.pack = OutcomePack(folder)

    def __getstate__(self) -> dict:
        # Sent to every worker with each batch of seeds: the keys used so far and the pack stay here.
        return {**self.__dict__, "used": set(), "_hashes": None, "_seen": set(), "pack": OutcomePack(self.folder)}

    def key(self, seed_path: Path, listed: frozenset[str] | None = None) -> str:
        """The seed's cache key. `listed`: the names in its folder, when the caller listed it,
        so that a sidecar not among them is not looked for (a failed open per seed)."""
        try:
            content = self._content_hash(seed_path)
        except OSError as exc:
            # An unreadable seed must reach the loader, which names it; ctime
            # changes with a chmod, so a cached failure is not kept past a fix.
            content = f"unreadable {exc.errno} {os.stat(seed_path).st_ctime_ns}".encode()
        return self._compose_key(seed_path, content, listed is None or sidecar_name(seed_path) in listed)

    def _compose_key(self, seed_path: Path, content: bytes, with_sidecar: bool) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(b"\0" + seed_path.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(content)
        if with_sidecar:
            digest.update(sidecar_digest(seed_path).encode())
        return digest.hexdigest()

    def still_keyed(self, seed_path: Path, key: str) -> bool:
        """Whether the seed and its sidecar, as they are now, still have `key` (hashed afresh).

        The key is made from the bytes when the build starts; a worker reads them
        later. A seed edited in between, or read by a worker left running after its
        build was killed, would store another text's outcome under the key: every
        later build would show it. A worker asks this before storing (a sidecar
        absent adds nothing to the key, so it is looked for here whatever was listed)."""
        try:
            content = hashlib.sha256(seed_path.read_bytes()).digest()
        except OSError:
            return False
        return self._compose_key(seed_path, content, True) == key

    def _content_hash(self, seed_path: Path) -> bytes:
        """The SHA-256 of the seed's bytes, remembered by its size, mtime, ctime and inode.

        A rebuild of 10,000 seeds read and hashed all 60 MB of them to find the
        one that changed. Writing a file changes its ctime, which no tool can set
        back, so a file whose four are unchanged has the bytes hashed before.
        """
        if self._hashes is None:
            self._hashes = load_memo(self.folder / SEED_HASHES, SEED_HASHES_VERSION)
        st = os.stat(seed_path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        self._seen.add(seed_path.name)
        known = self._hashes.get(seed_path.name)
        if isinstance(known, list) and len(known) == 5 and known[:4] == stamp:
            try:
                return bytes.fromhex(known[4])
            except (TypeError, ValueError):
                pass                     # a damaged entry: hashed again
        content = hashlib.sha256(seed_path.read_bytes()).digest()
        self._hashes[seed_path.name] = [*stamp, content.hex()]
        self._hashes_changed = True
        return content

    def save_hashes(self) -> None:
        """Keep the hashes of the seeds this build read, for the next one."""
        if self._hashes is None:
            return
        if self._hashes_changed or len(self._hashes) != len(self._seen):
            kept = {name: self._hashes[name] for name in sorted(self._seen)}
            save_memo(self.folder / SEED_HASHES, SEED_HASHES_VERSION, kept)

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def stored(self) -> set[str]:
        """The keys the folder holds an entry for (one listing, not a look per key)."""
        try:
            return {name[:-5] for name in os.listdir(self.folder) if name.endswith(".json") and len(name) == 69}
        except OSError:
            return set()

    def get(self, key: str) -> SeedOutcome | None:
        """The seed's outcome without its articles' paragraphs (UnloadedParagraphs until
        `load_bodies`) and without its details: no raw lines, and each article's
        `fixes` and `removed` empty until `load_details` fills them in.

        An entry is three lines of JSON: the outcome, its articles' paragraphs,
        its details. This reads the first line alone (from the pack of them all,
        cache_pack.py, when it holds it): a rebuild renders few articles again,
        and bodies and details are most of the bytes.
        """
        self.used.add(key)
        outcome = self.pack.get(key)
        if outcome is None:
            try:
                first = self._first_line(key)
                outcome = from_json(SeedOutcome, first)
            except (OSError, ValueError):
                return None   # missing or unreadable: recompute
            self.pack.add(key, first)
        for article in outcome.articles:
            article.clean.paragraphs = UnloadedParagraphs(article.clean.seed)  # type: ignore[assignment]
        outcome.details_loaded = outcome.bodies_loaded = False
        return outcome

    def save_pack(self) -> None:
        """Pack the first lines of the entries this build used (cache_pack.py)."""
        self.pack.save(sorted(self.used), self._first_line)

    def _first_line(self, key: str) -> bytes:
        """The entry's first line: the outcome without bodies and details (OSError if missing)."""
        with self._file(key).open("rb") as entry:
            return entry.readline()

    def load_bodies(self, key: str, outcome: SeedOutcome) -> bool:
        """Give the outcome's articles their paragraphs; False when they are unreadable."""
        if outcome.bodies_loaded:
            return True
        try:
            with self._file(key).open("rb") as entry:
                entry.readline()
                bodies = from_json(CachedBodies, entry.readline())["paragraphs"]
            if len(bodies) != len(outcome.articles):
                return False
            for article, paragraphs in zip(outcome.articles, bodies):
                article.clean.paragraphs = paragraphs
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return False
        outcome.bodies_loaded = True
        return True

    def load_details(self, key: str, outcome: SeedOutcome) -> bool:
        """Fill in the raw lines and every article's fixes and removed lines, in place.

        In place, so that the copies triage made of an article (which share
        these lists) are completed too. False when the details are unreadable.
        """
        if outcome.details_loaded:
            return True
        try:
            with self._file(key).open("rb") as entry:
                entry.readline()
                entry.readline()
                data = from_json(CachedDetails, entry.readline())
            lines, fixes, removed = data["lines"], data["fixes"], data["removed"]
            if len(fixes) != len(outcome.articles) or len(removed) != len(outcome.articles):
                return False
            outcome.lines[:] = lines
            for article, its_fixes, its_removed in zip(outcome.articles, fixes, removed):
                article.clean.fixes[:] = its_fixes
                article.clean.removed[:] = its_removed
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return False
        outcome.details_loaded = True
        return True

    def put(self, key: str, outcome: SeedOutcome) -> None:
        """Store the outcome as three JSON lines: what every build reads, the articles'
        paragraphs (for the pages rendered again), the details only a cleaning report
        (or a record changed after the workers) needs. The articles' records are left
        out: the site's articles.json holds them, and they can be made again."""
        self.used.add(key)
        articles = outcome.articles
        light = replace(outcome, lines=[], prepared=[replace(p, record="") for p in outcome.prepared],
                        articles=[replace(a, clean=replace(a.clean, paragraphs=[], fixes=[], removed=[]))
                                  for a in articles])
        bodies = {"paragraphs": [a.clean.paragraphs for a in articles]}
        details = {"lines": outcome.lines, "fixes": [a.clean.fixes for a in articles],
                   "removed": [a.clean.removed for a in articles]}
        text = b"".join(to_json(part) + b"\n" for part in (light, bodies, details))
        try:                               # atomic: a killed build never leaves half an entry
            replace_file(self._file(key), text)
        except FileNotFoundError:          # the first entry: the folder made here, not asked of every seed
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_file(self._file(key), text)

    def prune(self) -> None:
        """Forget entries this build did not use, so the cache tracks the seeds folder."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            is_entry = path.suffix == ".json" and len(path.stem) == 64   # not site.json
            if is_entry and path.stem not in self.used or _stale_temporary(path):
                path.unlink(missing_ok=True)


class UnloadedParagraphs:
    """Stands in for a cached article's paragraphs until SeedCache.load_bodies reads them.

    Any use fails, naming the seed: a page made from an article whose body
    was never asked for would otherwise come out empty without a word.
    """

    __slots__ = ("seed",)

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def _refuse(self, *args: object) -> typing.NoReturn:
        raise RuntimeError(f"{self.seed}: the article's paragraphs were used before they were loaded from the cache")

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = _refuse


def is_unloaded(paragraphs: object) -> bool:
    return isinstance(paragraphs, UnloadedParagraphs)


def load_memo(file: Path, version: str) -> dict:
    """A dict an earlier build saved with `save_memo` under the same version, else {}."""
    try:
        saved = from_json(typing.Any, file.read_bytes())
        return saved["data"] if saved.get("version") == version and isinstance(saved["data"], dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_memo(file: Path, version: str, data: dict) -> None:
    _write_json(file, {"version": version, "data": data})


def _write_json(file: Path, value: dict) -> None:
    """Write `value` as JSON, keys sorted, replacing `file` atomically. (msgspec: a rebuild
    at 10,000 articles writes several megabytes of these; json.dumps took 0.1 s.)"""
    try:
        data = to_json(value, sort_keys=True)
    except UnicodeEncodeError:
        # A lone surrogate (a file name no codec decodes): written escaped, which JSON allows
        # and msgspec will not read back, so the next build starts that memo afresh.
        data = json.dumps(value, sort_keys=True).encode("ascii")
    file.parent.mkdir(parents=True, exist_ok=True)
    replace_file(file, data)


class KeptTable:
    """A table kept in one file under a version (the reading table, readings.py), and
    the right to make it: one process of a build makes a missing table, the others
    do without it meanwhile."""

    MAKING_FOR_AT_MOST = 120      # seconds: a claim older than this was a killed build's

    def __init__(self, file: Path, version: str) -> None:
        self.file, self.version = file, version
        self._claim = file.with_name(f"{file.name}.making")

    def load(self) -> dict:
        """The table as saved, or {} when it is missing, damaged or of another version."""
        return load_memo(self.file, self.version)

    def claim(self) -> bool:
        """Whether this process is the one to make the table (and then save it)."""
        for _ in range(2):
            try:
                self.file.parent.mkdir(parents=True, exist_ok=True)     # a first build's cache folder
                os.close(os.open(self._claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                return True
            except FileExistsError:
                try:
                    if time.time() - self._claim.stat().st_mtime <= self.MAKING_FOR_AT_MOST:
                        return False
                    self._claim.unlink()
                except OSError:
                    return False
            except OSError:
                return False
        return False

    def save(self, data: dict) -> None:
        """Save the table made after `claim`, and give the claim up."""
        try:
            save_memo(self.file, self.version, data)
        finally:
            self._claim.unlink(missing_ok=True)


def folder_fingerprint(folder: Path) -> str:
    """Hash of every file under a folder (the templates a page is rendered with)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class PageKeys:
    """Keys of rendered pages: a hash of everything a page shows, salted with the code,
    the config and the templates. The writer keeps a page whose key is unchanged."""

    def __init__(self, config: Config, templates: Path) -> None:
        self.salt = f"{code_version()}\0{config.fingerprint()}\0{folder_fingerprint(templates)}\0".encode()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()


class PageCache(PageKeys):
    """Things made for the site kept between builds, by key (the search index's blocks)."""

    def __init__(self, folder: Path, config: Config, templates: Path) -> None:
        super().__init__(config, templates)
        self.folder = folder
        self.used: set[str] = set()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            return (self.folder / f"{key}.html").read_bytes()
        except OSError:
            return None

    def head(self, key: str) -> bytes | None:
        """An entry's first line alone (what it says of itself), or None."""
        self.used.add(key)
        try:
            with open(self.folder / f"{key}.html", "rb") as entry:
                return entry.readline()
        except OSError:
            return None

    def put(self, key: str, page: bytes) -> None:
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        replace_file(self.folder / f"{key}.html", page)

    def prune(self) -> None:
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.suffix == ".html" and path.stem not in self.used or _stale_temporary(path):
                    path.unlink(missing_ok=True)


def _stale_temporary(path: Path) -> bool:
    """A half-written entry left by a killed build (a fresh one may be another build's, in flight)."""
    try:
        return ".tmp" in path.name and time.time() - path.stat().st_mtime > STALE_TEMPORARY_SECONDS
    except OSError:
        return False


class SiteStamp:
    """What the last build wrote, so a build whose every input is unchanged can stop early.

    The key hashes every seed's cache key (bytes, sidecar, config, code),
    the refused seed entries, the templates and the static files: a build
    with the same key renders byte for byte the same site. The manifest
    (size, mtime and digest of every file, from SiteWriter.commit) catches
    a site edited or deleted by hand, and lets the writer keep unchanged
    pages without reading them.
    """

    def __init__(self, folder: Path, out_dir: Path, key: str) -> None:
        self.file = folder / "site.json"
        self.out_dir = out_dir
        self.key = key
        self.previous_key = ""
        self.files: Manifest = {}
        try:
            saved = from_json(typing.Any, self.file.read_bytes())
            files = saved["files"]
            # [size, mtime_ns, digest] per file; an older stamp without digests is ignored.
            if all(isinstance(v, list) and len(v) == 3 for v in files.values()):
                self.previous_key, self.files = str(saved["key"]), files
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass

    @staticmethod
    def make_key(seed_keys: set[str], *parts: str) -> str:
        digest = hashlib.sha256()
        for part in [*sorted(seed_keys), "\0", *parts]:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def matches(self, on_disk: dict[str, FileStat]) -> bool:
        """The same inputs as last time, and every file as that build left it."""
        if self.previous_key != self.key or len(on_disk) != len(self.files):
            return False
        return all(tuple(entry[:2]) == on_disk.get(rel) for rel, entry in self.files.items())

    def record(self, files: Manifest) -> None:
        _write_json(self.file, {"key": self.key, "files": files})
