"""The per-seed pipeline: load -> clean -> (editor's line overrides) -> convert -> extract.

Each step is a pure function of its input record and the configuration,
so a seed's articles depend only on its bytes, its sidecar and the config:
that is what lets the build cache them and run them in worker processes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .clean import clean_page
from .config import Config
from .convert import convert_article
from .extract import extract_entities
from .load import SeedError, load_seed
from .load.triage import body_fingerprint, has_article_text
from .overrides import Sidecar, SidecarError, apply_field_overrides, apply_line_overrides, load_sidecar
from .plain import record_digest
from .records import Article, PreparedArticle, RawPage, char_count, record_text, summary
from .review import attention


@dataclass
class SeedOutcome:
    """Everything the build keeps of one seed (and caches by content hash)."""

    seed: str
    lines: list[str] = field(default_factory=list)       # the raw lines, for the cleaning report
    encoding: str = ""
    articles: list[Article] = field(default_factory=list)
    error: str | None = None                             # the seed could not be read
    load_warnings: list[str] = field(default_factory=list)  # read, but with damage or a guess (encoding, cut)
    sidecar_error: str | None = None                     # its sidecar is broken: file:line: message
    prepared: list[PreparedArticle] = field(default_factory=list)   # one per article, for render
    lines_digest: str = ""                               # hash of the raw lines (keys the cleaning reports)

    # Not fields: False while a cached outcome lacks its raw lines and its
    # articles' fixes and removed lines (SeedCache.get / load_details), and
    # while its articles lack their paragraphs (load_bodies).
    details_loaded = True
    bodies_loaded = True


def process_page(page: RawPage, config: Config, sidecar: Sidecar | None = None) -> list[Article]:
    """Clean, convert and extract one loaded page, with the editor's overrides."""
    protected = tuple(config.protected_terms)
    cleaned = apply_line_overrides(clean_page(page, config), page, sidecar)
    articles = [extract_entities(convert_article(a, protected), config) for a in cleaned]
    return apply_field_overrides(articles, sidecar)


def process_seed(path: Path, config: Config) -> list[Article]:
    """Run one seed file (and its sidecar) through every per-seed stage."""
    return process_page(load_seed(path), config, load_sidecar(path))


def process_seed_file(path: Path, config: Config) -> SeedOutcome:
    """Like process_seed, but failures become part of the outcome (for workers and the cache)."""
    outcome = SeedOutcome(seed=path.name)
    try:
        page = load_seed(path)
    except SeedError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.lines, outcome.encoding = list(page.lines), page.encoding
    outcome.lines_digest = lines_digest(outcome.lines)
    outcome.load_warnings = list(page.warnings)
    try:
        sidecar = load_sidecar(path)
        outcome.articles = process_page(page, config, sidecar)
        outcome.prepared = [prepare_article(a, outcome.lines) for a in outcome.articles]
    except SidecarError as exc:
        outcome.sidecar_error = str(exc)
    return outcome


def prepare_article(article: Article, lines: list[str]) -> PreparedArticle:
    c = article.clean
    return PreparedArticle(digest=record_digest(article), record=record_text(article),
                           attention=attention(article, lines), removed_lines=len(c.removed), fixes=len(c.fixes),
                           body=body_fingerprint(article), has_text=has_article_text(article),
                           summary=summary(article), chars=char_count(article))


def lines_digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()
