"""The index pages: by date, organisation, event, person, source and tag."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple

from ..index import EntityEntry, SiteIndex
from ..records import Article
from .pagination import chunks, grouped_chunks

if TYPE_CHECKING:
    from .context import PageRenderer

HOME = ("首页", "index.html")
BY_DATE = ("按日期", "date/index.html")


class Listed(NamedTuple):
    """An entity as a list of them shows it: its name, page and date. Pages are given this,
    not the index entry, where they show no more: an entry lists every article naming it,
    and a page's digest is of all it is given (page_digest.py). A tuple: JSON writes it
    without a hook."""

    name: str
    slug: str
    date: str | None = None

    @classmethod
    def of(cls, entry: EntityEntry) -> Listed:
        return cls(entry.name, entry.slug, entry.date)


def listed(entries: list[EntityEntry]) -> list[Listed]:
    return [Listed.of(e) for e in entries]


def _articles(r: PageRenderer, ids: list[str]) -> list:
    return [r.index.by_id[i] for i in ids]


# An entity named in more articles than this lists the newest NEWEST on its
# page and gives each year a page of its own: a page of thousands of articles
# is megabytes no reader scrolls, and one new article would redo all of it.
# A year of no more articles than the newest list is listed on the entity's
# page instead, under its year: a page of its own would cost more bytes in
# its head, header and footer than its list (issue 21's budget), and a
# reader a click for one or two articles. So that the page stays bounded,
# the years listed there hold YEARS_ON_PAGE articles in all (newest years
# first; 200 brief entries are some 36 KB); a year whose articles are all in
# the newest list links to it.
LONG_LIST = 100
NEWEST = 20
YEARS_ON_PAGE = 200

# label, the year's page (None: listed on the entity's page, at #anchor), how many articles, anchor
YearLink = tuple[str, "str | None", int, str]
FewYear = tuple[str, str, list[Article]]        # label, anchor, the year's articles
NEWEST_ANCHOR = "newest"                        # the newest list's id (_entity_articles.html)


def _year_pages(r: PageRenderer, folder: str, entry: EntityEntry, articles: list[Article],
                crumbs: list) -> tuple[list[list[Article]], dict[str, list]]:
    """Write the year pages of a long entity list (each over pages of config.page_size);
    returns the pages of its own list and what its first page shows of the years: `years`,
    a link to each, and `few_years`, the articles of the years listed there (see above)."""
    size = r.config.page_size
    if len(articles) <= LONG_LIST:
        return chunks(articles, size), {"years": [], "few_years": []}
    newest = articles[:min(NEWEST, size)]
    in_newest = {a.id for a in newest}
    by_year: dict[str, list[Article]] = {}
    for article in articles:                      # site order: newest first, undated last
        by_year.setdefault(article.clean.date[:4] if article.clean.date else "", []).append(article)
    back = f"{folder}/{entry.slug}.html"
    years: list[YearLink] = []
    few: list[FewYear] = []
    room = YEARS_ON_PAGE                          # articles the years listed on the page may still hold
    for year, of_year in by_year.items():
        label, anchor = (f"{year}年", f"y{year}") if year else ("日期不详", "undated")
        if len(of_year) <= len(newest) and all(a.id in in_newest for a in of_year):
            years.append((label, None, len(of_year), NEWEST_ANCHOR))
            continue
        if len(of_year) <= min(len(newest), room):
            room -= len(of_year)
            years.append((label, None, len(of_year), anchor))
            few.append((label, anchor, of_year))
            continue
        first = f"{folder}/{entry.slug}/{year or 'undated'}.html"
        years.append((label, first, len(of_year), anchor))
        page_crumbs = [*crumbs[:-1], (entry.name, back), (label, None)]
        r.list_pages(first, "entity_year.html", chunks(of_year, size), page_crumbs, "articles",
                     entry=Listed.of(entry), label=label, back=back, total=len(of_year))
    return [newest], {"years": years, "few_years": few}


def _entity_page(r: PageRenderer, folder: str, entry: EntityEntry, crumbs: list) -> None:
    """An event, person or source page (over pages of config.page_size), kept from the last
    build when nothing it shows changed."""
    first, articles = f"{folder}/{entry.slug}.html", _articles(r, entry.article_ids)
    pages, of_years = _year_pages(r, folder, entry, articles, crumbs)
    r.list_pages(first, f"{folder}.html", pages, crumbs, "articles", first_only=of_years,
                 entry=entry, total=len(articles))


def render_date_index(r: PageRenderer) -> None:
    """date/index.html and the undated list."""
    idx = r.index
    # Each month as its count, what the page shows: not its articles' ids (every id of the
    # archive, hashed into the page's digest at every build).
    years = [(year, sum(len(ids) for ids in months.values()), {month: len(ids) for month, ids in months.items()})
             for year, months in idx.by_date.items()]
    r.page("date/index.html", "date_index.html", crumbs=[HOME, ("按日期", None)], years=years,
           undated=len(idx.undated))
    r.list_pages("date/undated.html", "date_undated.html", chunks(_articles(r, idx.undated), r.config.page_size),
                 [HOME, BY_DATE, ("日期不详", None)], "articles",
                 total=len(idx.undated))


def render_year_pages(r: PageRenderer, year: str) -> None:
    """A year's page and its months' pages."""
    size = r.config.page_size
    months = r.index.by_date[year]
    month_lists = [(month, _articles(r, ids)) for month, ids in months.items()]
    counts = {month: len(ids) for month, ids in months.items()}
    r.list_pages(r.links.year(year), "date_year.html", grouped_chunks(month_lists, size),
                 [HOME, BY_DATE, (f"{year}年", None)], "months",
                 year=year, month_counts=counts)
    for month, ids in months.items():
        days: dict[str, list] = {}
        for article in _articles(r, ids):
            days.setdefault(article.clean.date or "", []).append(article)
        crumbs = [HOME, BY_DATE, (f"{year}年", r.links.year(year)), (f"{int(month)}月", None)]
        r.list_pages(r.links.month(year, month), "date_month.html", grouped_chunks(list(days.items()), size),
                     crumbs, "days", year=year, month=month)


def render_org_index(r: PageRenderer) -> None:
    idx = r.index
    r.list_pages("org/index.html", "org_index.html", grouped_chunks(idx.org_groups(), r.config.page_size),
                 [HOME, ("机构", None)], "groups", total=len(idx.organisations))


def render_org_pages(r: PageRenderer, names: Iterable[str]) -> None:
    """The pages of the organisations named, each with its year and events pages."""
    idx = r.index
    for entry in map(idx.organisations.__getitem__, names):
        first, crumbs = f"org/{entry.slug}.html", [HOME, ("机构", "org/index.html"), (entry.name, None)]
        articles = _articles(r, entry.article_ids)
        pages, of_years = _year_pages(r, "org", entry, articles, crumbs)
        events = listed([idx.events[name] for name in entry.events])
        reported = listed([idx.events[name] for name in entry.reported_events])
        related = idx.co_mentioned(entry.name)
        events, reported, all_events = _org_events(r, entry, crumbs, events, reported)

        r.list_pages(first, "org.html", pages, crumbs, "articles",
                     first_only={**of_years, "events": events, "reported_events": reported, "related": related,
                                 "all_events": all_events},
                     entry=entry, total=len(articles))


def _org_events(r: PageRenderer, entry: EntityEntry, crumbs: list, events: list[Listed],
                reported: list[Listed]) -> tuple[list[Listed], list[Listed], tuple[str, int] | None]:
    """An organisation's events: all on its page while they fit a page (config.page_size) each;
    else the first page_size of each kind there, and all on pages of their own
    (org/<slug>/events.html): an organisation named in half the archive reports thousands.
    Returns what its page lists and (the events pages' path, how many) when there are any."""
    size = r.config.page_size
    if len(events) <= size and len(reported) <= size:
        return events, reported, None
    first = f"org/{entry.slug}/events.html"
    label = "活动"
    page_crumbs = [*crumbs[:-1], (entry.name, f"org/{entry.slug}.html"), (label, None)]
    groups = [(name, listed) for name, listed in (("参与的活动", events), ("报道中提及的活动", reported)) if listed]

    r.list_pages(first, "org_events.html", grouped_chunks(groups, size), page_crumbs, "groups",
                 entry=Listed.of(entry), total=len(events) + len(reported))
    return events[:size], reported[:size], (first, len(events) + len(reported))


# The entity kinds with a page each besides organisations: folder -> label, index template,
# and what the index lists (the name its template knows the list by, and how it is made).
ENTITY_KINDS: dict[str, tuple[str, str, str, Callable[[SiteIndex], list]]] = {
    "event": ("活动", "event_index.html", "events", SiteIndex.events_by_date),
    "person": ("人物", "person_index.html", "groups", SiteIndex.person_groups),
    "source": ("来源", "source_index.html", "sources", SiteIndex.sources_by_count),
    "tag": ("标签", "tag_index.html", "tags", SiteIndex.tags_by_count),
}


def render_entity_index(r: PageRenderer, folder: str) -> None:
    """The index of the events, people, sources or tags (over pages of config.page_size)."""
    label, template, name, listing = ENTITY_KINDS[folder]
    listed, size = listing(r.index), r.config.page_size
    pages = grouped_chunks(listed, size) if name == "groups" else chunks(listed, size)
    r.list_pages(f"{folder}/index.html", template, pages, [HOME, (label, None)], name,
                 total=len(r.index.tables()[folder]))


def render_entity_pages(r: PageRenderer, folder: str, names: Iterable[str]) -> None:
    """The pages of the events, people, sources or tags named."""
    label, table = ENTITY_KINDS[folder][0], r.index.tables()[folder]
    for entry in map(table.__getitem__, names):
        _entity_page(r, folder, entry, [HOME, (label, f"{folder}/index.html"), (entry.name, None)])
