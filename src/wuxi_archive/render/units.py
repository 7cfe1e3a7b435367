"""The site's pages in units of work: each planned and rendered by `render_unit`,
in the build process or in a render worker (workers.py).

A unit is a kind and its arguments, plain data: the date index, a year, the
organisation index, a run of organisations, the index and runs of the
entries of each other kind, and a run of article pages.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..index import SiteIndex
from .indexes import (ENTITY_KINDS, render_date_index, render_entity_index, render_entity_pages, render_org_index,
                      render_org_pages, render_year_pages)
from .pages import render_article_pages

if TYPE_CHECKING:
    from .context import PageRenderer

# Entities whose pages one unit plans: few enough that the units share out evenly between
# processes, enough that each is worth a round trip.
ENTITIES_A_UNIT = 64

Unit = tuple[str, tuple]       # a kind of unit and its arguments


def index_units(index: SiteIndex) -> list[Unit]:
    """The index pages in units of work, each planned and rendered by render_unit wherever it
    runs (render/workers.py): the date index, a year, the organisation index, a run of
    organisations, and for each other kind its index and runs of its entries."""
    units: list[Unit] = [("date index", ())]
    units += [("year", (year,)) for year in index.by_date]
    units.append(("org index", ()))
    units += [("orgs", (run,)) for run in _runs(list(index.organisations))]
    for folder in ENTITY_KINDS:
        units.append(("entity index", (folder,)))
        units += [("entities", (folder, run)) for run in _runs(list(index.tables()[folder]))]
    return units


def _runs(names: list[str]) -> list[tuple[str, ...]]:
    return [tuple(names[n:n + ENTITIES_A_UNIT]) for n in range(0, len(names), ENTITIES_A_UNIT)]


# Article pages one unit plans.
ARTICLES_A_UNIT = 256


def article_units(index: SiteIndex, related: Callable[[str], list | None]) -> list[Unit]:
    """The article pages in runs, each with its articles' `related` lists (a worker plans
    them, and renders none: their text is loaded by the build process, which renders those
    that changed: workers.py)."""
    ids = [a.id for a in index.articles]
    runs = [tuple(ids[n:n + ARTICLES_A_UNIT]) for n in range(0, len(ids), ARTICLES_A_UNIT)]
    return [("articles", (run, tuple(related(i) or [] for i in run))) for run in runs]


UNIT_KINDS: dict[str, Callable[..., None]] = {
    "date index": render_date_index, "year": render_year_pages, "org index": render_org_index,
    "orgs": render_org_pages, "entity index": render_entity_index, "entities": render_entity_pages,
    "articles": render_article_pages,
}


def render_unit(r: PageRenderer, unit: Unit) -> None:
    kind, args = unit
    UNIT_KINDS[kind](r, *args)


def render_index_pages(r: PageRenderer) -> None:
    """Every index page, here: the units of index_units one after the other."""
    for unit in index_units(r.index):
        render_unit(r, unit)
