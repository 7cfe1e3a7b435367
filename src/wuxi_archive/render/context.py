"""Rendering one page: a template, the shared context, a relative root."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Collection, Iterable, Iterator, TypeVar

from jinja2 import Environment
from markupsafe import Markup

from ..page_keys import PageKeys
from ..config import Config
from ..index import SiteIndex
from ..index.related import Rank
from ..plain import record_digest
from ..records import Article, PreparedArticle, char_count, summary
from .affected import ToKey
from .links import Links
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
    keys: PageKeys | None = None      # page keys (without them, every page is compared byte for byte)
    digests: dict[str, str] = field(default_factory=dict)   # record_digest by article id, made once
    prepared: dict[str, PreparedArticle] = field(default_factory=dict)   # what the workers made, by id
    # The pages that must be keyed again; the others keep their last key (affected.py).
    # None: key every page.
    to_key: ToKey | None = None
    # Where the last article of each related list made here ranks, by article id (affected.py).
    last_ranks: dict[str, Rank | None] = field(default_factory=dict)
    work: WorkShare = EVERY_PAGE      # which pages this process makes (all, or those it claims)
    # Gives articles their paragraphs where the cache left them out (build.SeedDetails.bodies):
    # called for every article a page about to be rendered shows.
    load_bodies: Callable[[Iterable[Article]], None] = lambda articles: None

    def __post_init__(self) -> None:
        self.links = Links(self.index)
        self._items: dict[tuple[str, str], Markup] = {}
        self._last_by_folder: dict[str, list[str]] | None = None
        self._last_sorted: list[str] | None = None

    def article_item(self, article: Article, root: str) -> Markup:
        """An article's entry in a list (_article_item.html), made once per article and depth:
        at 10,000 articles each is listed on several pages (date, organisations, source...)."""
        item = self._items.get((article.id, root))
        if item is None:
            made = self.prepared.get(article.id)
            if made is None:
                self.load_bodies([article])
                text, chars = summary(article), char_count(article)
            else:
                text, chars = made.summary, made.chars
            html = self.env.get_template("_article_item.html").render(a=article, root=root, links=self.links,
                                                                      summary=text, chars=chars)
            item = self._items[(article.id, root)] = Markup(html)
        return item

    def share(self, items: Collection[T], run: int = 8) -> Iterator[T]:
        """The items of a kind whose pages this process makes, claimed `run` at a time
        (WorkShare.take): a few, where the pages of a kind cost about the same."""
        return self.work.take(items, run)

    def takes_one(self) -> bool:
        """Whether this process makes the page there is one of here (an index page)."""
        return self.work.take_one()

    def digest(self, article: Article) -> str:
        """The article's record_digest, made once per build (entity lists ask for it again and again)."""
        found = self.digests.get(article.id)
        if found is None:
            found = self.digests[article.id] = record_digest(article)
        return found

    def last_pages_in(self, folder: str) -> list[str]:
        """The pages the last build wrote directly in `folder` (an entity's year pages)."""
        if self._last_by_folder is None:
            self._last_by_folder = {}
            for relpath in sorted(self.writer.previous):
                self._last_by_folder.setdefault(relpath.rpartition("/")[0], []).append(relpath)
        return self._last_by_folder.get(folder, [])

    def last_pages_under(self, folder: str) -> list[str]:
        """The pages the last build wrote in `folder` and its sub-folders (a year's month pages,
        the later pages of its lists)."""
        if self._last_sorted is None:
            self._last_sorted = sorted(self.writer.previous)
        prefix = folder + "/"
        start = bisect.bisect_left(self._last_sorted, prefix)
        end = bisect.bisect_left(self._last_sorted, folder + "0")     # "0" follows "/"
        return self._last_sorted[start:end]

    def keep_as_last_time(self, relpaths: list[str]) -> bool:
        """Keep these pages under the keys the last build gave them, if each is on disk as it
        left it; else keep none (the caller renders them)."""
        last = [self.writer.unchanged(relpath) for relpath in relpaths]
        if not relpaths or None in last:
            return False
        for relpath, key in zip(relpaths, last):
            self.reuse(relpath, key)       # type: ignore[arg-type]
        return True

    def reuse(self, relpath: str, key: str) -> bool:
        """Keep the page the last build wrote at `relpath` if it was rendered under `key`
        (a hash of everything the page shows); False when the page must be rendered."""
        if self.writer.keep(relpath, key):
            self.written.append(relpath)
            return True
        return False

    def page(self, relpath: str, template: str, crumbs: Crumbs | None = None, key: str | None = None,
             root: str | None = None, **context: object) -> None:
        """Render and write one page; `key` lets a later build keep it while its inputs are unchanged.
        `root` is the way to the site root when not the relative one (404.html, served anywhere)."""
        html = self.env.get_template(template).render(
            root=root_of(relpath) if root is None else root, relpath=relpath, site=self.config, index=self.index,
            links=self.links, article_item=self.article_item, crumbs=crumbs or [], **context).encode("utf-8")
        self.writer.write(relpath, html, digest=key)
        self.written.append(relpath)

    def list_pages(self, first: str, template: str, pages: list[list], crumbs: Crumbs, name: str,
                   key_of: Callable[[str, Crumbs, list, Pager], str | None] | None = None,
                   first_only: dict | None = None, **context: object) -> None:
        """Write a list over `pages` (pagination.chunks), each page's items as `name` in its
        template, with a `pager`; the first at `first`. `key_of(relpath, crumbs, items, pager)`
        keys each page (a page whose key is unchanged is kept); `first_only` is context only the
        first page shows (what stands above the list: an organisation's events)."""
        for number, items in enumerate(pages, 1):
            pager = Pager(first, number, len(pages))
            relpath = pager.relpath
            page_crumbs = crumbs
            if number > 1:
                up = [*crumbs[:-1], (crumbs[-1][0], first)] if crumbs else [("首页", first)]
                page_crumbs = [*up, (f"第 {number} 页", None)]
            key = key_of(relpath, page_crumbs, items, pager) if key_of else None
            if key and self.reuse(relpath, key):
                continue
            shown = {**context, **(first_only or {})} if number == 1 else context
            self.page(relpath, template, crumbs=page_crumbs, key=key, pager=pager, **{name: items}, **shown)
