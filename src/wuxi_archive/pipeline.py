"""The per-seed pipeline: load -> clean -> convert -> extract.

Each step is a pure function of its input record and the configuration,
so a seed's articles depend only on its bytes, its sidecar and the config.
"""
from __future__ import annotations

from pathlib import Path

from .clean import clean_page
from .config import Config
from .convert import convert_article
from .extract import extract_entities
from .load import load_seed
from .records import Article, RawPage


def process_page(page: RawPage, config: Config) -> list[Article]:
    """Clean, convert and extract one loaded page."""
    protected = tuple(config.protected_terms)
    return [extract_entities(convert_article(a, protected), config) for a in clean_page(page, config)]


def process_seed(path: Path, config: Config) -> list[Article]:
    """Run one seed file through every per-seed stage."""
    return process_page(load_seed(path), config)
