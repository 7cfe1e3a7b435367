"""A page from its template and context: what the build process and a render worker share.

The build process decides which pages to render and with what (context.py);
PageTemplates turns one of those decisions into bytes, the same wherever it
runs. A render worker (workers.py) holds one, made from plain data: the
templates' folder, the configuration, the links and the facts of the
articles that lists show.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from jinja2 import Environment
from markupsafe import Markup

from ..config import Config
from ..records import Article
from .links import Links

Crumbs = list[tuple[str, "str | None"]]   # (label, site path or None for the current page)
# What a page shows besides its context, made from the context alone (an article's body from
# its text): a module-level function, so that a worker can be sent it.
Derive = Callable[[dict[str, object], Links], dict[str, object]]
# An article's summary ("" when not asked for) and length in characters, as its list entry shows them.
ItemFacts = Callable[[Article, bool], tuple[str, int]]


@dataclass(slots=True)
class CardText:
    title: str
    date: str | None
    source: str | None


@dataclass(slots=True)
class ArticleCard:
    """An article as a render worker holds it: what lists and links show of it (templates read
    `a.id`, `a.clean.title`, `a.clean.date`, `a.clean.source`), its summary and length."""

    id: str
    clean: CardText
    summary: str
    chars: int


class PageJob(NamedTuple):
    """One page to render: where, from which template, with what (the context, and `derive`
    of it); the digest it is kept under. An Article given as `article` is the page's own,
    whose text `derive` may read; other articles are shown by their titles, dates, sources."""

    relpath: str
    template: str
    root: str
    crumbs: Crumbs
    context: dict[str, object]
    derive: Derive | None
    digest: str | None


# Where a list entry's root goes (PageTemplates.article_item): escaping leaves it as it is, and
# an entry whose text holds it is not kept.
ROOT_MARK = "\x00"


class PageTemplates:
    """Renders PageJobs with the context every page shares (site, links, article_item)."""

    def __init__(self, env: Environment, config: Config, links: Links, item_facts: ItemFacts) -> None:
        self.env, self.config, self.links = env, config, links
        self._item_facts = item_facts
        # Each article's entry, by id, in its full form and its brief one ([False], [True]).
        self._items: tuple[dict[str, str], dict[str, str]] = ({}, {})

    def article_item(self, article: Article, root: str, brief: bool = False) -> Markup:
        """An article's entry in a list (_article_item.html), made once per article and form:
        at 10,000 articles each is listed on several pages (date, organisations, source...).
        Kept with ROOT_MARK where the page's `root` goes, replaced for each page: kept whole
        for each depth as well, the entries took 2.2 KB an article (4.7 of them) in every
        process that renders lists; kept split, as a list of pieces under an (id, form) key,
        about 240 bytes more an entry.

        `brief` leaves the summary and length out: on the pages of the organisations, people, events,
        sources and tags an article names, listed once per name (a dozen times for many
        articles), summaries were most of those pages' bytes (issue 21's budget), and a year's
        page, whose months' pages show them; the months' lists, the undated list and the home
        page's first page keep them (its later pages are brief too)."""
        items = self._items[1 if brief else 0]
        entry = items.get(article.id)
        if entry is None:
            text, chars = self._item_facts(article, brief)
            shown = (article.clean.title, article.clean.source or "", text)

            def item(at: str) -> str:
                return self.env.get_template("_article_item.html").render(a=article, root=at, links=self.links,
                                                                          summary=text, chars=chars, brief=brief)
            if any(ROOT_MARK in part for part in shown):
                return Markup(item(root))         # a text holding the mark: made for each page
            entry = items[article.id] = item(ROOT_MARK)
        return Markup(entry.replace(ROOT_MARK, root))

    def render(self, job: PageJob) -> bytes:
        shown = {**job.context, **job.derive(job.context, self.links)} if job.derive else job.context
        return self.env.get_template(job.template).render(
            root=job.root, relpath=job.relpath, site=self.config, links=self.links, article_item=self.article_item,
            crumbs=job.crumbs, **shown).encode("utf-8")
