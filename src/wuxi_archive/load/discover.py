"""Find the seed files of a folder, refusing what must not be read.

Seeds are data from scrapers, and the folder may hold things a scraper or a
careless copy left there: symlinks pointing elsewhere on the machine (a
seed `x.txt -> /etc/shadow` would publish that file), FIFOs and devices
that would hang a read, links that lead nowhere. Each is refused with a
message naming it, and the build reports it like an unreadable seed.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..seed_ids import id_clashes, seed_id

SEED_SUFFIXES = (".txt", ".html", ".htm")


class SeedsFolderError(ValueError):
    """The seeds folder itself cannot be used (a usage error, not a bad seed)."""


class OutputFolderError(ValueError):
    """The output folder would replace something that is not a built site."""


@dataclass
class SeedListing:
    paths: list[Path] = field(default_factory=list)    # seeds to read, in name order
    refused: list[str] = field(default_factory=list)   # "name: reason", in name order
    names: frozenset[str] = frozenset()                # every entry of the folder, as listed


def discover_seeds(seeds_dir: Path) -> SeedListing:
    """The seed files of a folder, and the seed-named entries refused, with reasons."""
    if not seeds_dir.exists():
        raise SeedsFolderError(f"seeds folder {seeds_dir} does not exist")
    if not seeds_dir.is_dir():
        raise SeedsFolderError(f"seeds folder {seeds_dir} is not a folder")
    try:
        with os.scandir(seeds_dir) as listing_of:
            entries = sorted(listing_of, key=lambda entry: entry.name)
    except OSError as exc:
        raise SeedsFolderError(f"seeds folder {seeds_dir} cannot be listed ({exc.strerror or exc})") from None
    root = seeds_dir.resolve()
    limit = _name_max(seeds_dir)        # one pathconf for the folder, not one per seed
    listing = SeedListing(names=frozenset(entry.name for entry in entries))
    for entry in entries:
        path = seeds_dir / entry.name
        if path.suffix.lower() not in SEED_SUFFIXES:
            continue
        # A plain file, as the listing says (no stat asked): read it. Anything else is looked at.
        reason = "" if entry.is_file(follow_symlinks=False) else refusal_reason(path, root)
        if reason == "":
            reason = name_reason(entry.name, seeds_dir, limit)
        if reason == "":
            listing.paths.append(path)
        elif reason is not None:
            listing.refused.append(f"{path.name}: {reason}")
    clashes = id_clashes([path.name for path in listing.paths])
    if clashes:
        # Never two seeds under one id (one would overwrite the other's pages): the later
        # name is refused, naming both, so `build` and `check` report the pair alike.
        listing.refused = sorted(listing.refused + [
            f"{name}: refused: its article id {seed_id(name)!r} is the same (ignoring case) as that of "
            f"{other}, which is built; rename one of the two" for name, other in clashes.items()])
        listing.paths = [path for path in listing.paths if path.name not in clashes]
    return listing


def name_reason(name: str, seeds_dir: Path, limit: int | None = None) -> str:
    """'' when a seed's name can be used, else why not: its sidecar's name must fit the file
    system (whose longest name is `limit` bytes, asked of `seeds_dir` when not given)."""
    sidecar = name.rsplit(".", 1)[0] + ".yaml"
    limit = _name_max(seeds_dir) if limit is None else limit
    if len(sidecar.encode("utf-8", "surrogatepass")) > limit:
        return (f"refused: the name is too long ({len(name.encode('utf-8', 'surrogatepass'))} bytes): its sidecar "
                f"{sidecar[:20]}…yaml would be over the file system's {limit} bytes; shorten the name")
    return ""


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def find_seeds(seeds_dir: Path) -> list[Path]:
    """Seed files of a folder, in name order (refused entries left out)."""
    return discover_seeds(seeds_dir).paths


def refusal_reason(path: Path, root: Path) -> str | None:
    """'' when `path` may be read as a seed, else why not; None to skip it quietly (a folder)."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return f"refused: symbolic link to {os.readlink(path)}, which does not exist"
        except (OSError, RuntimeError):
            return "refused: symbolic link that loops"
        if not target.is_relative_to(root):
            return f"refused: symbolic link pointing outside the seeds folder (to {target})"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        return "refused: not a regular file (a FIFO, socket or device)"
    return ""


def check_output_folder(out_dir: Path, seeds_dir: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else.

    The build replaces the whole output folder, so it must be either absent,
    empty, or a site built before (it has data/articles.json), and must not
    be, or hold, the seeds folder or the current directory.
    """
    out = out_dir.resolve()
    seeds = seeds_dir.resolve()
    for precious, what in ((seeds, "the seeds folder"), (Path.cwd().resolve(), "the current folder")):
        if precious == out or precious.is_relative_to(out):
            raise OutputFolderError(f"output folder {out_dir} is or holds {what}; choose another --out")
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"output folder {out_dir} exists and is not a folder")
    # (a build's staging folder inside an output folder that is a mount point is not content)
    if (out.is_dir() and any(not p.name.startswith(".wuxi-staging") for p in out.iterdir())
            and not (out / "data" / "articles.json").is_file()):
        raise OutputFolderError(f"output folder {out_dir} is not empty and holds no site built before "
                                "(no data/articles.json); refusing to replace it")
