"""Find the seed files of a folder."""
from __future__ import annotations

from pathlib import Path

SEED_SUFFIXES = (".txt", ".html", ".htm")


def find_seeds(seeds_dir: Path) -> list[Path]:
    """Seed files of a folder, in name order."""
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix.lower() in SEED_SUFFIXES)
