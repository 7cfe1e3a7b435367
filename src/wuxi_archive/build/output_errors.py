"""An OSError met while writing the site or its cache, told as one line a person can act on."""
from __future__ import annotations

import errno

ADVICE = {
    errno.ENOSPC: "the disk is full: free some space (or choose another --out) and build again",
    errno.EDQUOT: "the disk quota is used up: free some space (or choose another --out) and build again",
    errno.EROFS: "that file system is read-only: choose a writable --out (or remount it writable)",
    errno.EACCES: "permission denied: make the folder writable for this user, or choose another --out",
    errno.EPERM: "the operation is not permitted there: choose another --out",
    errno.ENAMETOOLONG: "a name is too long for that file system: shorten the seed's name or the --out path",
    errno.EXDEV: "the output folder and the folder beside it are on different file systems: "
                 "choose an --out inside one file system",
    errno.EBUSY: "the folder is in use or a mount point that cannot be replaced: choose another --out",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and build again",
    errno.EIO: "the disk reported an input/output error: check it, then build again",
}


class OutputError(OSError):
    """Writing the site failed; `str()` is the one-line message for the user."""

    def __init__(self, message: str, cause: OSError) -> None:
        super().__init__(cause.errno, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def describe_output_error(exc: OSError, out_dir: object, replaced: bool) -> str:
    """`exc` as: what could not be done to which path, what to do, and what became of the site."""
    where = exc.filename if exc.filename is not None else out_dir
    also = f" (and {exc.filename2})" if getattr(exc, "filename2", None) else ""
    reason = exc.strerror or str(exc)
    advice = ADVICE.get(exc.errno or 0, "fix the cause and build again")
    state = (f"{out_dir} holds the new site, complete; only the cache beside it was not saved" if replaced
             else f"{out_dir} was not changed and no temporary files were left")
    return f"cannot write {where}{also}: {reason}; {advice}. {state}."
