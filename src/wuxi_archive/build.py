"""Build the whole site: every seed through the pipeline, then index and render."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .index import build_index
from .load import SeedError
from .load.discover import find_seeds
from .pipeline import process_seed
from .records import Article
from .render import render_site
from .render.writer import SiteWriter


@dataclass
class BuildResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)     # one line per seed that failed
    seconds: float = 0.0

    @property
    def warnings(self) -> int:
        return sum(len(a.clean.warnings) for a in self.articles)


def build_site(seeds_dir: Path, out_dir: Path, config: Config) -> BuildResult:
    """Build `out_dir` from every readable seed in `seeds_dir`."""
    started = time.perf_counter()
    result = BuildResult()
    for path in find_seeds(seeds_dir):
        try:
            result.articles.extend(process_seed(path, config))
        except SeedError as exc:
            result.errors.append(str(exc))
    index = build_index(result.articles)
    writer = SiteWriter(out_dir)
    try:
        render_site(index, config, writer)
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    result.seconds = time.perf_counter() - started
    return result
