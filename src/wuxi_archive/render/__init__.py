"""Stage 6, render: Jinja2 templates and static assets into a site.

Every link is relative (each page knows its depth and prefixes `root`),
so the site works opened from disk and from any sub-path of a server.
"""
from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..cache import PageCache
from ..config import Config
from ..index import SiteIndex
from ..records import Article
from ..index.search import SearchIndex, search_blocks, write_search_index
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


def render_site(index: SiteIndex, config: Config, writer: SiteWriter, env: Environment | None = None,
                memo: PageCache | None = None) -> SearchIndex:
    """Render every page of the site into `writer`; returns the search index (for its size).

    With `memo`, article pages whose inputs are unchanged are taken from an earlier build.
    """
    renderer = PageRenderer(env or make_environment(), writer, config, index, memo=memo)
    render_home(renderer)
    render_articles(renderer)
    render_index_pages(renderer)
    blocks = search_blocks(index.articles)
    render_search_page(renderer, [b.path for b in blocks])
    # The two big data files one after the other, so their peaks do not add up.
    writer.write("data/articles.json", articles_json(index.articles))
    search = write_search_index(blocks, writer.write, memo)   # writes SEARCH_INDEX_PATH and the blocks
    writer.write("feed.xml", atom_feed(index, config))
    writer.write("sitemap.xml", sitemap(renderer.written, config))
    writer.copy_tree(asset_dir("static"), "static")
    return search


def articles_json(articles: list[Article]) -> bytearray:
    """data/articles.json: the records by id, byte for byte as json.dumps(records, indent=1) + newline.

    Made one record at a time, each indented one level deeper (JSON strings
    hold no raw newlines, so prefixing every line is exact), into one buffer:
    holding every record as a dict, the file as a str and then as bytes cost
    a few hundred MB at 10,000 articles.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    if not ordered:
        return bytearray(b"[]\n")
    out = bytearray(b"[\n")
    for n, article in enumerate(ordered):
        record = json.dumps(article.to_json(), ensure_ascii=False, indent=1)
        out += (",\n " if n else " ").encode() + record.replace("\n", "\n ").encode("utf-8")
    out += b"\n]\n"
    return out
