"""What render keeps between builds: page keys, and the memos it reads and saves.

A page key hashes everything a page shows, salted with the code, the config
and the templates; the writer keeps a page whose key is unchanged. Memos and
blobs (the search index's blocks) live in the build's store (build/store.py);
render sees them only through the two small protocols below, so that it
never depends on how or where they are kept.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from .fingerprint import code_version, folder_fingerprint


class Fingerprinted(Protocol):
    """What the keys are salted with besides the code and templates (config.Config)."""

    def fingerprint(self) -> str: ...


class PageKeys:
    """Keys of rendered pages: a hash of what a page shows, salted with the code,
    the config and the templates."""

    def __init__(self, config: Fingerprinted, templates: Path) -> None:
        self.salt = f"{code_version()}\0{config.fingerprint()}\0{folder_fingerprint(templates)}\0".encode()

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()


class Memos(Protocol):
    """Dicts kept between builds by name, each under a version: load gives {} for another version."""

    def load(self, name: str, version: str) -> dict: ...
    def save(self, name: str, version: str, data: dict) -> None: ...


class Blobs(Protocol):
    """Bytes kept between builds by key (the search index's blocks); `used` the keys asked
    for by this build, the rest forgotten at its end."""

    used: set[str]

    def get(self, key: str) -> bytes | None: ...
    def head(self, key: str) -> bytes | None: ...
    def put(self, key: str, data: bytes) -> None: ...


class KeyedBlobs(PageKeys):
    """Blobs with the page keys' salt: what render's search memo is handed."""

    def __init__(self, blobs: Blobs, config: Fingerprinted, templates: Path) -> None:
        super().__init__(config, templates)
        self._blobs = blobs

    @property
    def used(self) -> set[str]:
        return self._blobs.used

    @used.setter
    def used(self, value: set[str]) -> None:
        self._blobs.used = value

    def get(self, key: str) -> bytes | None:
        return self._blobs.get(key)

    def head(self, key: str) -> bytes | None:
        return self._blobs.head(key)

    def put(self, key: str, data: bytes) -> None:
        self._blobs.put(key, data)
