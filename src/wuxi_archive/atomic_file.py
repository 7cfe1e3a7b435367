"""Write a file whole or not at all, leaving no temporary file behind on failure."""
from __future__ import annotations

import os
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary name beside `path`, then rename it over `path`.

    A killed build never leaves half a file under `path`; a failed write
    (a full disk, ENOSPC) removes its temporary file before the error goes on:
    one left behind stayed in the cache for good.
    """
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError) and exc.filename is None:   # a file object's write names no file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
