"""Rendering one page: a template, the shared context, a relative root."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection, Iterable, Iterator, TypeVar

from jinja2 import Environment
from markupsafe import Markup

from ..page_keys import PageKeys
from ..config import Config
from ..index import SiteIndex
from ..plain import record_digest
from ..records import Article, PreparedArticle, char_count, summary
from .links import Links
from .page_digest import PageDigests
from .pagination import Pager
from .parallel import EVERY_PAGE, WorkShare
from .writer import SiteWriter

T = TypeVar("T")
Crumbs = list[tuple[str, "str | None"]]   # (label, site path or None for the current page)


def root_of(relpath: str) -> str:
    """The relative way back to the site root from a page at `relpath`."""
    return "../" * relpath.count("/")


@dataclass
class PageRenderer:
    """Writes templated pages with the context every page shares; keeps their paths for the sitemap."""

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
    work: WorkShare = EVERY_PAGE      # which pages this process makes (all, or those it claims)
    # Gives articles their paragraphs where the cache left them out (build.SeedDetails.bodies):
    # called for every article a page about to be rendered shows.
    load_bodies: Callable[[Iterable[Article]], None] = lambda articles: None

    def __post_init__(self) -> None:
        self.links = Links(self.index)
        self._items: dict[tuple[str, str, bool], Markup] = {}
        self.page_digests = PageDigests(self.keys, self.index, self.links, self.record_digest) if self.keys else None

    def article_item(self, article: Article, root: str, brief: bool = False) -> Markup:
        """An article's entry in a list (_article_item.html), made once per article, depth and
        form: at 10,000 articles each is listed on several pages (date, organisations, source...).

        `brief` leaves the summary out: on the pages of the organisations, people, events,
        sources and tags an article names, listed once per name (a dozen times for many
        articles), summaries were most of those pages' bytes (issue 21's budget); the date
        lists and the home page, where each article is listed once, keep them."""
        item = self._items.get((article.id, root, brief))
        if item is None:
            made = self.prepared.get(article.id)
            if brief:
                text, chars = "", made.chars if made else None
                if chars is None:
                    self.load_bodies([article])
                    chars = char_count(article)
            elif made is None:
                self.load_bodies([article])
                text, chars = summary(article), char_count(article)
            else:
                text, chars = made.summary, made.chars
            html = self.env.get_template("_article_item.html").render(a=article, root=root, links=self.links,
                                                                      summary=text, chars=chars)
            item = self._items[(article.id, root, brief)] = Markup(html)
        return item

    def share(self, items: Collection[T], run: int = 8) -> Iterator[T]:
        """The items of a kind whose pages this process makes, claimed `run` at a time
        (WorkShare.take): a few, where the pages of a kind cost about the same."""
        return self.work.take(items, run)

    def takes_one(self) -> bool:
        """Whether this process makes the page there is one of here (an index page)."""
        return self.work.take_one()

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
             derive: Callable[[], dict[str, object]] | None = None, **context: object) -> None:
        """Render and write one page, unless the last build wrote it from the same template and
        context (page_digest.py): then it is kept. `derive()` gives what the template needs
        besides the context and is made from it alone (an article's body from its paragraphs):
        made only for a page rendered. `root` is the way to the site root when not the relative
        one (404.html, served anywhere)."""
        root = root_of(relpath) if root is None else root
        crumbs = crumbs or []
        digest = None
        if self.page_digests is not None:
            digest = self.page_digests.of(template, relpath, root, {"crumbs": crumbs, **context})
            if self.reuse(relpath, digest):
                return
        shown = {**context, **derive()} if derive else context
        html = self.env.get_template(template).render(
            root=root, relpath=relpath, site=self.config, links=self.links, article_item=self.article_item,
            crumbs=crumbs, **shown).encode("utf-8")
        self.writer.write(relpath, html, digest=digest)
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
