"""The incremental build cache: one seed's outcome, keyed by content hash.

The key covers everything a seed's articles depend on: the seed's name and
bytes, its sidecar's bytes, the configuration's fingerprint and the code
itself (a hash of the package's source and data files), so a stale entry
can never be used. Entries are JSON, not pickle: a cache folder restored by
CI is data, and loading it must not be able to run code.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
import types
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .config import Config
from .overrides import sidecar_digest
from .pipeline import SeedOutcome

FORMAT = 1
STALE_TEMPORARY_SECONDS = 3600


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

    def key(self, seed_path: Path) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(b"\0" + seed_path.name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(hashlib.sha256(seed_path.read_bytes()).digest())
        except OSError as exc:
            # An unreadable seed must reach the loader, which names it; ctime
            # changes with a chmod, so a cached failure is not kept past a fix.
            digest.update(f"unreadable {exc.errno} {os.stat(seed_path).st_ctime_ns}".encode())
        digest.update(sidecar_digest(seed_path).encode())
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> SeedOutcome | None:
        self.used.add(key)
        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
            return from_plain(SeedOutcome, data)
        except (OSError, ValueError, TypeError, KeyError):
            return None   # missing or unreadable: recompute

    def put(self, key: str, outcome: SeedOutcome) -> None:
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"{key}.tmp{os.getpid()}"
        tmp.write_text(json.dumps(to_plain(outcome), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._file(key))   # atomic: a killed build never leaves half an entry

    def prune(self) -> None:
        """Forget entries this build did not use, so the cache tracks the seeds folder."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            is_entry = path.suffix == ".json" and len(path.stem) == 64   # not site.json
            if is_entry and path.stem not in self.used or _stale_temporary(path):
                path.unlink(missing_ok=True)


_PLAIN = (str, int, float, bool, Any)


def to_plain(value: Any) -> Any:
    """Dataclasses, lists, tuples and dicts as JSON data (the JSON dataclasses.asdict gives).

    Written out because asdict deep-copies every leaf through generic code,
    which made writing the cache a second's work per thousand seeds.
    """
    if hasattr(value, "__dataclass_fields__"):
        return {name: to_plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=None)
def _init_field_types(cls: type) -> dict[str, Any]:
    """A dataclass's init fields and their types (resolving the hints is slow: once per class)."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}


def record_digest(value: Any) -> str:
    """A hash of a record's whole content (its to_plain JSON): the key of pages that show it."""
    text = json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_plain(tp: Any, data: Any) -> Any:
    """Rebuild a value of type `tp` (dataclasses, lists, tuples, dicts, optionals) from JSON data."""
    return _converter(tp)(data)


def _same(data: Any) -> Any:
    return data


@lru_cache(maxsize=None)
def _converter(tp: Any) -> Callable[[Any], Any]:
    """A function rebuilding values of type `tp`, made once per type.

    Loading the cache rebuilds hundreds of thousands of records; deciding
    what each field's type is once per type, not once per value, keeps a
    no-change build of 10,000 seeds from spending seconds here.
    """
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        fields = {name: _converter(hint) for name, hint in _init_field_types(tp).items()}
        return lambda data: tp(**{k: fields[k](v) for k, v in data.items() if k in fields})
    if tp in _PLAIN:
        return _same
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            return _same
        inner = _converter(options[0])
        return lambda data: None if data is None else inner(data)
    if origin is list:
        item = _converter(args[0] if args else Any)
        return lambda data: [item(v) for v in data]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = [_converter(a) for a in args]
        return lambda data: tuple(conv(v) for conv, v in zip(items, data))
    if origin is dict:
        value = _converter(args[1] if args else Any)
        return lambda data: {k: value(v) for k, v in data.items()}
    return _same


def folder_fingerprint(folder: Path) -> str:
    """Hash of every file under a folder (the templates a page is rendered with)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class PageCache:
    """Rendered pages kept between builds, keyed by a hash of everything they show.

    The caller hashes the page's whole input (the record, the raw lines);
    the salt adds the code, the config and the templates.
    """

    def __init__(self, folder: Path, config: Config, templates: Path) -> None:
        self.folder = folder
        self.salt = f"{code_version()}\0{config.fingerprint()}\0{folder_fingerprint(templates)}\0".encode()
        self.used: set[str] = set()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            return (self.folder / f"{key}.html").read_bytes()
        except OSError:
            return None

    def put(self, key: str, page: bytes) -> None:
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"{key}.tmp{os.getpid()}"
        tmp.write_bytes(page)
        os.replace(tmp, self.folder / f"{key}.html")

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
    (size and mtime of every file) catches a site edited or deleted by hand.
    """

    def __init__(self, folder: Path, out_dir: Path, key: str) -> None:
        self.file = folder / "site.json"
        self.out_dir = out_dir
        self.key = key

    @staticmethod
    def make_key(seed_keys: set[str], *parts: str) -> str:
        digest = hashlib.sha256()
        for part in [*sorted(seed_keys), "\0", *parts]:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def _manifest(self) -> dict[str, list[int]]:
        files = {}
        for path in sorted(self.out_dir.rglob("*")):
            st = path.lstat()
            if not path.is_dir():
                files[path.relative_to(self.out_dir).as_posix()] = [st.st_size, st.st_mtime_ns]
        return files

    def matches(self) -> bool:
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
            return saved["key"] == self.key and self.out_dir.is_dir() and saved["files"] == self._manifest()
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def record(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f"site.json.tmp{os.getpid()}")
        tmp.write_text(json.dumps({"key": self.key, "files": self._manifest()}), encoding="utf-8")
        os.replace(tmp, self.file)
