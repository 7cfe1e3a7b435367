"""Stage 6, render: Jinja2 templates and static assets into a site.

Every link is relative (each page knows its depth and prefixes `root`),
so the site works opened from disk and from any sub-path of a server.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from jinja2 import Environment, FileSystemLoader, Template

from ..page_keys import KeyedBlobs, Memos, PageKeys
from ..config import Config
from ..free_memory import release_free_memory
from ..index import SiteIndex
from ..records import Article, PreparedArticle
from ..index.search import SearchIndex
from .context import PageRenderer
from .feeds import atom_feed, feed_articles, sitemap, sitemap_file_path, sitemap_files, sitemap_index
from .environment import templates_environment
from .pages import render_articles, render_home, render_not_found, render_search_page
from .render_here import RenderHere
from .units import render_index_pages
from .workers import RenderPool, use_workers
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
    """The Jinja environment of the site's templates (`templates`, else the project's)."""
    return templates_environment(templates or asset_dir("templates"))


def compile_templates(env: Environment) -> Iterator[Template]:
    """Compile the site's templates into `env`, one per step: chores for a build waiting on
    its workers (build/seeds.py); the rest compile when first used."""
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
                jobs: int = 1, also: Callable[[RenderHere | RenderPool], Iterator[object]] | None = None,
                load_bodies: Callable[[Iterable[Article]], None] | None = None,
                complete: Callable[[list[Article]], None] | None = None,
                memos: Memos | None = None, spool: RecordSpool | None = None,
                pool: RenderPool | None = None, before_articles: Callable[[], None] | None = None) -> SearchIndex:
    """Render every page of the site into `writer`; returns the search index (for its size).

    With `keys`, pages whose template and context are unchanged are kept from the last build;
    `memo` remembers the search index's files between builds. `prepared` holds
    digests and records the workers made, by article id. With `jobs` > 1 and
    enough articles, pages are planned and rendered by `jobs` - 1 worker processes
    and this one (workers.py), which writes data/articles.json, the search files
    and `also(pages)` first, more work given as a generator of steps, which may
    give `pages` files to make (the editor's reports). `load_bodies`
    gives articles their paragraphs where the cache left them out; it is called
    for the articles of every page about to be rendered. `complete` gives them
    their paragraphs and details (for a record to make). `memos` is where render
    keeps what the next build reuses: the index of data/articles.json
    (records_file.py). A page is kept when its digest (page_digest.py: a hash of
    its template and context) is the one the last build wrote it under.
    `spool` holds the records the workers made, where they are not in `prepared`.
    `pool` is a RenderPool opened earlier (open_render_pool), given the work here.
    `before_articles` runs after the index pages are planned (or sent to the workers, which
    plan them meanwhile) and before any article page: work only article pages need (the
    related lists).
    """
    renderer = PageRenderer(env or make_environment(), writer, config, index, keys=keys)
    if load_bodies:
        renderer.load_bodies = load_bodies
    renderer.prepared = prepared or {}
    renderer.record_digests.update((aid, p.digest) for aid, p in renderer.prepared.items())
    memos = memos if keys else None
    previous = PreviousRecords.load(memos, writer) if memos else None
    search = SearchIndex()

    def records() -> Iterator[None]:
        write_articles_json(writer, index.articles, keys, renderer.prepared, renderer.record_digest,
                            memos, complete, previous, spool)
        release_free_memory()       # what writing the records took: 50 MB at 100,000 articles
        yield None

    def search_files() -> Iterator[None]:
        nonlocal search
        search = write_search_files(writer, index.articles, memo, renderer.record_digest, renderer.load_bodies)
        yield None

    def more() -> Iterator[object]:
        if also:
            yield from also(renderer.pages)

    chores = [records(), search_files(), more()]
    pool = pool or open_render_pool(len(index.articles), jobs, renderer.env)
    if pool:
        pool.start(renderer, chores)
    renderer.pages = pool or RenderHere(renderer.templates, writer, chores)
    try:
        # The index pages first: the workers plan them while `before_articles` runs here.
        (pool.plan_index_pages if pool else render_index_pages)(renderer)
        if before_articles:
            before_articles()
        (pool.plan_article_pages if pool else render_articles)(renderer)
        render_home(renderer)
        render_search_page(renderer)
        write_feed(renderer)
        render_not_found(renderer)
        renderer.pages.finish()
    except BaseException:
        renderer.pages.close()
        raise
    write_sitemap(renderer)
    writer.copy_tree(asset_dir("static"), "static")
    return search


def open_render_pool(articles: int, jobs: int, env: Environment) -> RenderPool | None:
    """Worker processes to plan and render pages with (workers.py), when there are enough
    articles and jobs and the templates are files a worker can read; else None: here.
    Opened as early as the number of articles is known: the workers start meanwhile."""
    folders = getattr(env.loader, "searchpath", [])
    # A worker makes its environment from the one folder (templates_environment): an
    # environment of other loaders, or of more folders, renders here.
    if not (use_workers(articles, jobs) and type(env.loader) is FileSystemLoader and len(folders) == 1):
        return None
    return RenderPool(jobs, Path(folders[0]))
