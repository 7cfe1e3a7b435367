"""Fingerprints of the code and of asset folders: what every stored result is salted with."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FORMAT = 4      # the shape of what the build's store keeps: a new one empties it


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's Python and data files: any code change empties the cache."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json", ".txt"):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def folder_fingerprint(folder: Path) -> str:
    """Hash of every file under a folder (the templates a page is rendered with)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
