"""What the last build wrote, so a build whose every input is unchanged can stop early."""
from __future__ import annotations

import hashlib
from typing import Iterable

from ..page_keys import Memos
from ..render.writer import FileStat, Manifest

SITE_MEMO = "site"
SITE_MEMO_VERSION = "1"


class SiteStamp:
    """The key of a build's inputs, and the manifest of the site it wrote, kept in the store.

    The key hashes every seed's key (bytes, sidecar, config, code), the
    refused seed entries, the templates and the static files: a build with
    the same key renders byte for byte the same site. The manifest (size,
    mtime and digest of every file, from SiteWriter.commit) catches a site
    edited or deleted by hand, and lets the writer keep unchanged pages
    without reading them.
    """

    def __init__(self, memos: Memos, key: str) -> None:
        self.memos = memos
        self.key = key
        saved = memos.load(SITE_MEMO, SITE_MEMO_VERSION)
        files = saved.get("files")
        # [size, mtime_ns, digest] per file: anything else is not trusted.
        if isinstance(files, dict) and all(isinstance(v, list) and len(v) == 3 for v in files.values()):
            self.previous_key, self.files = str(saved.get("key", "")), files
        else:
            self.previous_key, self.files = "", {}

    @staticmethod
    def make_key(seed_keys: Iterable[str], *parts: str) -> str:
        digest = hashlib.sha256()
        for part in [*sorted(set(seed_keys)), "\0", *parts]:
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def matches(self, on_disk: dict[str, FileStat]) -> bool:
        """The same inputs as last time, and every file as that build left it."""
        if self.previous_key != self.key or len(on_disk) != len(self.files):
            return False
        return all(tuple(entry[:2]) == on_disk.get(rel) for rel, entry in self.files.items())

    def record(self, files: Manifest) -> None:
        self.memos.save(SITE_MEMO, SITE_MEMO_VERSION, {"key": self.key, "files": files})
