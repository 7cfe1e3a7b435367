"""Planning the pages: each one's template, context, relative root and digest."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from jinja2 import Environment

from ..page_keys import PageKeys
from ..config import Config
from ..index import SiteIndex
from ..plain import record_digest
from ..records import Article, PreparedArticle, char_count, summary
from .links import Links
from .page_digest import PageDigests
from .pagination import Pager
from .page_templates import ArticleCard, Crumbs, Derive, PageJob, PageTemplates
from .render_here import Pages, RenderHere
from .writer import SiteWriter


def root_of(relpath: str) -> str:
    """The relative way back to the site root from a page at `relpath`."""
    return "../" * relpath.count("/")


@dataclass
class PageRenderer:
    """Plans every page: its context, its digest; a page whose digest is the one the last build
    wrote it under is kept, the others go to `pages` (workers.py) to render. Keeps the pages'
    paths for the sitemap."""

    env: Environment
    writer: SiteWriter
    config: Config
    index: SiteIndex
    written: list[str] = field(default_factory=list)
    # Digests of pages from their contexts, salted with the page keys (without them, every page
    # is rendered and compared byte for byte).
    keys: PageKeys | None = None
    record_digests: dict[str, str] = field(default_factory=dict)   # record_digest by article id, made once
    prepared: dict[str, PreparedArticle] = field(default_factory=dict)   # what the workers made, by id
    # Gives articles their paragraphs where the cache left them out (build.SeedDetails.bodies):
    # called for every article a page about to be rendered shows.
    load_bodies: Callable[[Iterable[Article]], None] = lambda articles: None
    # In a render worker, whose index holds ArticleCards: what PageDigests.export gave.
    known_digests: tuple[dict, dict] | None = None

    def __post_init__(self) -> None:
        self.links = Links.of(self.index)
        self.templates = PageTemplates(self.env, self.config, self.links, self.item_facts)
        self.pages: Pages = RenderHere(self.templates, self.writer)
        self.page_digests = (PageDigests(self.keys, self.index, self.links, self.record_digest, self.known_digests)
                             if self.keys else None)

    def item_facts(self, article: Article, brief: bool) -> tuple[str, int]:
        """An article's summary and length, as its list entry shows them ("" and 0 when `brief`:
        it shows neither): made by the per-seed workers, else from its text (a render worker's
        card holds them)."""
        if brief:
            return "", 0
        if type(article) is ArticleCard:
            return article.summary, article.chars
        made = self.prepared.get(article.id)
        if made is not None:
            return made.summary, made.chars
        self.load_bodies([article])
        return summary(article), char_count(article)

    def record_digest(self, article: Article) -> str:
        """The article's record_digest, made once per build (entity lists ask for it again and again)."""
        found = self.record_digests.get(article.id)
        if found is None:
            found = self.record_digests[article.id] = record_digest(article)
        return found

    def reuse(self, relpath: str, digest: str) -> bool:
        """Keep the page the last build wrote at `relpath` if it had this digest; False when
        the page must be rendered."""
        if self.writer.keep(relpath, digest):
            self.written.append(relpath)
            return True
        return False

    def page(self, relpath: str, template: str, crumbs: Crumbs | None = None, root: str | None = None,
             derive: Derive | None = None, **context: object) -> None:
        """Render and write one page, unless the last build wrote it from the same template and
        context (page_digest.py): then it is kept. `derive(context, links)` gives what the
        template needs besides the context and is made from it alone (an article's body from
        the paragraphs of the context's `article`, loaded here for a page rendered). `root` is
        the way to the site root when not the relative one (404.html, served anywhere)."""
        root = root_of(relpath) if root is None else root
        crumbs = crumbs or []
        digest = None
        if self.page_digests is not None:
            digest = self.page_digests.of(template, relpath, root, {"crumbs": crumbs, **context})
            if self.reuse(relpath, digest):
                return
        own = context.get("article")
        if derive and isinstance(own, Article):
            self.load_bodies([own])
        self.pages.submit(PageJob(relpath, template, root, crumbs, context, derive, digest))
        self.written.append(relpath)

    def list_pages(self, first: str, template: str, pages: list[list], crumbs: Crumbs, name: str,
                   first_only: dict | None = None, **context: object) -> None:
        """Write a list over `pages` (pagination.chunks), each page's items as `name` in its
        template, with a `pager`; the first at `first`. `first_only` is context only the
        first page shows (what stands above the list: an organisation's events)."""
        for number, items in enumerate(pages, 1):
            pager = Pager(first, number, len(pages))
            page_crumbs = crumbs
            if number > 1:
                up = [*crumbs[:-1], (crumbs[-1][0], first)] if crumbs else [("首页", first)]
                page_crumbs = [*up, (f"第 {number} 页", None)]
            shown = {**context, **(first_only or {})} if number == 1 else context
            self.page(pager.relpath, template, crumbs=page_crumbs, pager=pager, **{name: items}, **shown)
