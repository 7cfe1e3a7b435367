"""Rendering one page: a template, the shared context, a relative root."""
from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment

from ..cache import PageCache
from ..plain import record_digest
from ..config import Config
from ..index import SiteIndex
from ..records import Article
from .filters import FILTERS
from .links import Links
from .writer import SiteWriter

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
    memo: PageCache | None = None     # pages kept from earlier builds, by a key of what they show
    digests: dict[str, str] = field(default_factory=dict)   # record_digest by article id, made once

    def __post_init__(self) -> None:
        self.env.filters.update(FILTERS)
        self.links = Links(self.index)

    def digest(self, article: Article) -> str:
        """The article's record_digest, made once per build (entity lists ask for it again and again)."""
        found = self.digests.get(article.id)
        if found is None:
            found = self.digests[article.id] = record_digest(article)
        return found

    def reuse(self, relpath: str, memo_key: str) -> bool:
        """Write the page an earlier build rendered under `memo_key` (a hash of everything
        the page shows), if the memo has it; False when the page must be rendered."""
        if self.writer.keep(relpath, memo_key):
            if self.memo:
                self.memo.used.add(memo_key)     # still wanted: a build without the old site needs it
            self.written.append(relpath)
            return True
        html = self.memo.get(memo_key) if self.memo else None
        if html is None:
            return False
        self.writer.write(relpath, html, digest=memo_key)
        self.written.append(relpath)
        return True

    def page(self, relpath: str, template: str, crumbs: Crumbs | None = None, memo_key: str | None = None,
             **context: object) -> None:
        """Render and write one page; with `memo_key`, keep it in the memo for later builds."""
        html = self.env.get_template(template).render(
            root=root_of(relpath), relpath=relpath, site=self.config, index=self.index,
            links=self.links, crumbs=crumbs or [], **context).encode("utf-8")
        if self.memo and memo_key:
            self.memo.put(memo_key, html)
        self.writer.write(relpath, html, digest=memo_key)
        self.written.append(relpath)
