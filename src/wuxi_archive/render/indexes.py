"""The index pages: by date, organisation, event, person, source and tag."""
from __future__ import annotations

from typing import NamedTuple

from ..index import EntityEntry
from ..records import Article
from .context import PageRenderer
from .pagination import chunks, grouped_chunks

HOME = ("首页", "index.html")


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
LONG_LIST = 100
NEWEST = 20

YearLink = tuple[str, str, int]     # label, site path, how many articles


def _year_pages(r: PageRenderer, folder: str, entry: EntityEntry, articles: list[Article],
                crumbs: list) -> tuple[list[list[Article]], list[YearLink]]:
    """Write the year pages of a long entity list (each over pages of config.page_size);
    returns the pages of its own list and the year links."""
    size = r.config.page_size
    if len(articles) <= LONG_LIST:
        return chunks(articles, size), []
    by_year: dict[str, list[Article]] = {}
    for article in articles:                      # site order: newest first, undated last
        by_year.setdefault(article.clean.date[:4] if article.clean.date else "", []).append(article)
    back = f"{folder}/{entry.slug}.html"
    years: list[YearLink] = []
    for year, of_year in by_year.items():
        label = f"{year}年" if year else "日期不详"
        first = f"{folder}/{entry.slug}/{year or 'undated'}.html"
        years.append((label, first, len(of_year)))
        page_crumbs = [*crumbs[:-1], (entry.name, back), (label, None)]
        r.list_pages(first, "entity_year.html", chunks(of_year, size), page_crumbs, "articles",
                     entry=Listed.of(entry), label=label, back=back, total=len(of_year))
    return [articles[:min(NEWEST, size)]], years


def _entity_page(r: PageRenderer, folder: str, entry: EntityEntry, crumbs: list) -> None:
    """An event, person or source page (over pages of config.page_size), kept from the last
    build when nothing it shows changed."""
    first, articles = f"{folder}/{entry.slug}.html", _articles(r, entry.article_ids)
    pages, years = _year_pages(r, folder, entry, articles, crumbs)
    r.list_pages(first, f"{folder}.html", pages, crumbs, "articles", first_only={"years": years},
                 entry=entry, total=len(articles))


def render_date_pages(r: PageRenderer) -> None:
    idx = r.index
    size = r.config.page_size
    by_date = ("按日期", "date/index.html")
    years = [(year, sum(len(ids) for ids in months.values()), months) for year, months in idx.by_date.items()]
    if r.takes_one():
        r.page("date/index.html", "date_index.html", crumbs=[HOME, ("按日期", None)], years=years,
               undated=len(idx.undated))
    for year, months in r.share(idx.by_date.items(), run=1):    # a year is many pages
        month_lists = [(month, _articles(r, ids)) for month, ids in months.items()]
        counts = {month: len(ids) for month, ids in months.items()}
        r.list_pages(r.links.year(year), "date_year.html", grouped_chunks(month_lists, size),
                     [HOME, by_date, (f"{year}年", None)], "months",
                     year=year, month_counts=counts)
        for month, ids in months.items():
            days: dict[str, list] = {}
            for article in _articles(r, ids):
                days.setdefault(article.clean.date or "", []).append(article)
            crumbs = [HOME, by_date, (f"{year}年", r.links.year(year)), (f"{int(month)}月", None)]
            r.list_pages(r.links.month(year, month), "date_month.html", grouped_chunks(list(days.items()), size),
                         crumbs, "days", year=year, month=month)
    if r.takes_one():
        r.list_pages("date/undated.html", "date_undated.html", chunks(_articles(r, idx.undated), size),
                     [HOME, by_date, ("日期不详", None)], "articles",
                     total=len(idx.undated))


def render_org_pages(r: PageRenderer) -> None:
    idx = r.index
    if r.takes_one():
        r.list_pages("org/index.html", "org_index.html", grouped_chunks(idx.org_groups(), r.config.page_size),
                     [HOME, ("机构", None)], "groups", total=len(idx.organisations))
    for entry in r.share(idx.organisations.values()):
        first, crumbs = f"org/{entry.slug}.html", [HOME, ("机构", "org/index.html"), (entry.name, None)]
        articles = _articles(r, entry.article_ids)
        pages, years = _year_pages(r, "org", entry, articles, crumbs)
        events = listed([idx.events[name] for name in entry.events])
        reported = listed([idx.events[name] for name in entry.reported_events])
        related = idx.co_mentioned(entry.name)
        events, reported, all_events = _org_events(r, entry, crumbs, events, reported)

        r.list_pages(first, "org.html", pages, crumbs, "articles",
                     first_only={"years": years, "events": events, "reported_events": reported, "related": related,
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


def render_entity_pages(r: PageRenderer, folder: str, label: str, table: dict[str, EntityEntry],
                        index_template: str, index_list: tuple[str, list]) -> None:
    """An index page of events, people or sources (over pages: `index_list` is the name its
    template knows the list by, and the list, of entries or of groups of them), and a page for each one."""
    if r.takes_one():
        name, listed = index_list
        size = r.config.page_size
        pages = grouped_chunks(listed, size) if name == "groups" else chunks(listed, size)
        r.list_pages(f"{folder}/index.html", index_template, pages, [HOME, (label, None)], name, total=len(table))
    for entry in r.share(table.values()):
        _entity_page(r, folder, entry, [HOME, (label, f"{folder}/index.html"), (entry.name, None)])


def render_index_pages(r: PageRenderer) -> None:
    render_date_pages(r)
    render_org_pages(r)
    idx = r.index
    render_entity_pages(r, "event", "活动", idx.events, "event_index.html", ("events", idx.events_by_date()))
    render_entity_pages(r, "person", "人物", idx.people, "person_index.html", ("groups", idx.person_groups()))
    render_entity_pages(r, "source", "来源", idx.sources, "source_index.html", ("sources", idx.sources_by_count()))
    render_entity_pages(r, "tag", "标签", idx.tags, "tag_index.html", ("tags", idx.tags_by_count()))
