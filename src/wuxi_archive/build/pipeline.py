"""The per-seed pipeline: load -> clean -> (editor's line overrides) -> convert -> extract.

Each step is a pure function of its input record and the configuration,
so a seed's articles depend only on its bytes, its sidecar and the config:
that is what lets the build cache them and run them in worker processes.
"""
from __future__ import annotations

from pathlib import Path

from ..clean import clean_page
from ..config import Config
from ..convert import convert_article
from ..extract import extract_entities
from ..invisible import clean_names
from ..load import MAX_SEED_BYTES, SeedError, load_seed, load_seed_bytes, read_seed_bytes
from ..load.triage import body_fingerprint, has_article_text
from ..editorial.sidecars import (Sidecar, SidecarError, apply_field_overrides, apply_line_overrides, load_sidecar,
                        parse_sidecar, read_sidecar)
from ..plain import record_digest
from ..records import (Article, PreparedArticle, RawPage, SeedOutcome, char_count, lines_digest, record_text,
                      summary)
from ..editorial.review import attention


def process_page(page: RawPage, config: Config, sidecar: Sidecar | None = None) -> list[Article]:
    """Clean, convert and extract one loaded page, with the editor's overrides."""
    protected = tuple(config.protected_terms)
    cleaned = apply_line_overrides(clean_page(page, config), page, sidecar)
    articles = [extract_entities(convert_article(a, protected), config) for a in cleaned]
    # Titles and names are final once the editor's fields are laid over: only then take out
    # the invisible controls that could spoof them (an editor's title may hold one too).
    return [clean_names(a) for a in apply_field_overrides(articles, sidecar)]


def process_seed(path: Path, config: Config) -> list[Article]:
    """Run one seed file (and its sidecar) through every per-seed stage."""
    return process_page(load_seed(path), config, load_sidecar(path))


def process_seed_file(path: Path, config: Config) -> SeedOutcome:
    """Like process_seed, but failures become part of the outcome (for workers and the cache)."""
    try:
        data, size = read_seed_bytes(path)
    except SeedError as exc:
        return SeedOutcome(seed=path.name, error=str(exc))
    sidecar, error, _ = read_sidecar(path)
    return process_seed_data(path.name, data, size, sidecar, str(error) if error else None, config)


def process_seed_data(name: str, data: bytes, size: int, sidecar: tuple[str, str] | None,
                      sidecar_error: str | None, config: Config) -> SeedOutcome:
    """process_seed_file over a seed's bytes (`size`: the file's, larger when `data` was cut)
    and its sidecar's text (the file as errors name it, and the text), read by the caller:
    what a worker runs, on this machine or another."""
    warnings = [] if size <= len(data) else [
        f"file is {size / 2**20:.1f} MiB, larger than the {MAX_SEED_BYTES // 2**20} MiB limit: "
        f"only the first {len(data)} bytes were read, cut at a line end where possible"]
    outcome = SeedOutcome(seed=name)
    try:
        page = load_seed_bytes(name, data, warnings)
    except SeedError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.lines, outcome.encoding = list(page.lines), page.encoding
    outcome.lines_digest = lines_digest(outcome.lines)
    outcome.load_warnings = list(page.warnings)
    outcome.sidecar_error = sidecar_error
    parsed = None
    if sidecar is not None and sidecar_error is None:
        try:
            parsed = parse_sidecar(sidecar[1], sidecar[0])
        except SidecarError as exc:
            outcome.sidecar_error = str(exc)
    try:
        outcome.articles = process_page(page, config, parsed)
    except SidecarError as exc:
        outcome.sidecar_error = str(exc)
        outcome.articles = process_page(page, config, None)
    outcome.prepared = [prepare_article(a, outcome.lines) for a in outcome.articles]
    return outcome


def prepare_article(article: Article, lines: list[str]) -> PreparedArticle:
    c = article.clean
    return PreparedArticle(digest=record_digest(article), record=record_text(article),
                           attention=attention(article, lines), removed_lines=len(c.removed), fixes=len(c.fixes),
                           body=body_fingerprint(article), has_text=has_article_text(article),
                           summary=summary(article), chars=char_count(article))


