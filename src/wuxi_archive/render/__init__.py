"""Stage 6, render: Jinja2 templates and static assets into a site.

Every link is relative (each page knows its depth and prefixes `root`),
so the site works opened from disk and from any sub-path of a server.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from ..page_keys import KeyedBlobs, Memos, PageKeys
from ..config import Config
from ..index import SiteIndex
from ..records import Article, PreparedArticle
from ..index.search import SearchIndex
from .context import PageRenderer
from .feeds import atom_feed, feed_articles, sitemap, sitemap_file_path, sitemap_files, sitemap_index
from .filters import FILTERS
from .indexes import render_index_pages
from .pages import render_articles, render_home, render_not_found, render_search_page
from .parallel import EVERY_PAGE, WorkShare, can_fork, start_beside
from .records_file import PreviousRecords, write_articles_json
from .search_files import write_search_files
from .writer import SiteWriter

if TYPE_CHECKING:
    from ..record_spool import RecordSpool

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
    # No bytecode cache: it would load code objects from the cache folder, which holds
    # JSON only so that a restored (or tampered) store can never run code (build/store.py).
    env = Environment(
        loader=FileSystemLoader(str(templates or asset_dir("templates"))),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while a build runs (serve makes an environment per
        # rebuild): no stat of the template file at every get_template, extends and import.
        auto_reload=False,
    )
    env.filters.update(FILTERS)     # before any template is compiled: Jinja checks filters then
    return env


def compile_templates(env: Environment) -> Iterator[Template]:
    """Compile the site's templates into `env`, one per step: chores for a build
    waiting on a forked process (Beside.join_while); the rest compile when first used."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        yield env.get_template(name)


def write_feed(r: PageRenderer) -> None:
    """feed.xml, kept (its articles' bodies not even loaded) while its articles are unchanged."""
    entries = feed_articles(r.index, r.config)
    key = r.keys.key("feed.xml", *map(r.record_digest, entries)) if r.keys else None
    if key and r.writer.keep("feed.xml", key):
        return
    r.load_bodies(entries)
    r.writer.write("feed.xml", atom_feed(r.index, r.config), digest=key)


def write_sitemap(r: PageRenderer) -> None:
    """sitemap.xml, a sitemap index, and its files sitemap-1.xml, ... of at most
    feeds.SITEMAP_URLS pages each, each kept while it lists the same pages.

    Only with base_url: the format allows absolute URLs alone (the build says so without it)."""
    if not r.config.base_url:
        return
    files = sitemap_files(list(set(r.written) - {"404.html"}))
    names = [sitemap_file_path(n) for n in range(1, len(files) + 1)]
    for name, paths in zip(names, files):
        key = r.keys.key(name, *paths) if r.keys else None
        if not (key and r.writer.keep(name, key)):
            r.writer.write(name, sitemap(paths, r.config), digest=key)
    # The index: sitemap.xml, the path robots.txt and search engines were given.
    key = r.keys.key("sitemap.xml", *names) if r.keys else None
    if not (key and r.writer.keep("sitemap.xml", key)):
        r.writer.write("sitemap.xml", sitemap_index(names, r.config), digest=key)


def render_site(index: SiteIndex, config: Config, writer: SiteWriter, env: Environment | None = None,
                keys: PageKeys | None = None, memo: KeyedBlobs | None = None,
                prepared: dict[str, PreparedArticle] | None = None,
                jobs: int = 1, also: Callable[[WorkShare], None] | None = None,
                load_bodies: Callable[[Iterable[Article]], None] | None = None,
                complete: Callable[[list[Article]], None] | None = None,
                memos: Memos | None = None, spool: RecordSpool | None = None) -> SearchIndex:
    """Render every page of the site into `writer`; returns the search index (for its size).

    With `keys`, pages whose template and context are unchanged are kept from the last build;
    `memo` remembers the search index's files between builds. `prepared` holds
    digests and records the workers made, by article id. With `jobs` > 1 a
    second process shares the pages and the search index (each makes those it
    reaches first); this one writes data/articles.json first. `also(work)`
    is more work shared the same way (parallel.WorkShare). `load_bodies`
    gives articles their paragraphs where the cache left them out; it is called
    for the articles of every page about to be rendered. `complete` gives them
    their paragraphs and details (for a record to make). `memos` is where render
    keeps what the next build reuses: the index of data/articles.json
    (records_file.py). A page is kept when its digest (page_digest.py: a hash of
    its template and context) is the one the last build wrote it under.
    `spool` holds the records the workers made, where they are not in `prepared`.
    """
    renderer = PageRenderer(env or make_environment(), writer, config, index, keys=keys)
    if load_bodies:
        renderer.load_bodies = load_bodies
    renderer.prepared = prepared or {}
    renderer.record_digests.update((aid, p.digest) for aid, p in renderer.prepared.items())
    parts = 2 if can_fork(len(index.articles), jobs) else 1
    memos = memos if keys else None
    previous = PreviousRecords.load(memos, writer) if memos else None

    def share() -> SearchIndex:
        """This process's share of the pages, the search index and `also` (renderer.work)."""
        render_articles(renderer)
        render_index_pages(renderer)
        if also:
            also(renderer.work)
        search = SearchIndex()
        if renderer.takes_one():
            search = write_search_files(writer, index.articles, memo, renderer.record_digest, renderer.load_bodies)
        if renderer.takes_one():
            render_home(renderer)
        if renderer.takes_one():
            render_search_page(renderer)
        if renderer.takes_one():
            write_feed(renderer)
        if renderer.takes_one():
            render_not_found(renderer)
        return search

    renderer.work = WorkShare(shared_in=writer.staging) if parts == 2 else EVERY_PAGE
    second = start_beside(share, writer, renderer, memo) if parts == 2 else None
    try:
        # This process writes articles.json first; meanwhile the other takes the pages it reaches.
        write_articles_json(writer, index.articles, keys, renderer.prepared, renderer.record_digest,
                                       memos, complete, previous, spool)
        search = share()
    except BaseException:
        if second:
            second.cancel()
        raise
    finally:
        renderer.work.close()      # this process's claims are made; the other has its own copy
    if second:
        search.add(second.join())
    write_sitemap(renderer)
    writer.copy_tree(asset_dir("static"), "static")
    return search
