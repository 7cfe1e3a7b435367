"""Stage 6, render: Jinja2 templates and static assets into a site.

Every link is relative (each page knows its depth and prefixes `root`),
so the site works opened from disk and from any sub-path of a server.
"""
from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..config import Config
from ..index import SiteIndex
from ..index.search import SearchIndex, build_search_index
from .context import PageRenderer
from .feeds import atom_feed, sitemap
from .indexes import render_index_pages
from .pages import render_articles, render_home, render_search_page
from .writer import SiteWriter

SEARCH_INDEX_PATH = "data/search-index.js"


def asset_dir(name: str) -> Path:
    """`templates` or `static`: inside the installed package, else the checkout."""
    packaged = Path(__file__).resolve().parent.parent / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the {name}/ folder of wuxi-archive")


def make_environment(templates: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates or asset_dir("templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_site(index: SiteIndex, config: Config, writer: SiteWriter, env: Environment | None = None) -> SearchIndex:
    """Render every page of the site into `writer`; returns the search index (for its size)."""
    renderer = PageRenderer(env or make_environment(), writer, config, index)
    render_home(renderer)
    render_articles(renderer)
    render_index_pages(renderer)
    render_search_page(renderer)
    search = build_search_index(index.articles)
    writer.write(SEARCH_INDEX_PATH, search.script)
    records = [a.to_json() for a in sorted(index.articles, key=lambda a: a.id)]
    writer.write("data/articles.json", json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    writer.write("feed.xml", atom_feed(index, config))
    writer.write("sitemap.xml", sitemap(renderer.written, config))
    writer.copy_tree(asset_dir("static"), "static")
    return search
