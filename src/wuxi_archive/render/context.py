"""Rendering one page: a template, the shared context, a relative root."""
from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment

from ..config import Config
from ..index import SiteIndex
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

    def __post_init__(self) -> None:
        self.env.filters.update(FILTERS)
        self.links = Links(self.index)

    def page(self, relpath: str, template: str, crumbs: Crumbs | None = None, **context: object) -> None:
        html = self.env.get_template(template).render(
            root=root_of(relpath), relpath=relpath, site=self.config, index=self.index,
            links=self.links, crumbs=crumbs or [], **context)
        self.writer.write(relpath, html)
        self.written.append(relpath)
