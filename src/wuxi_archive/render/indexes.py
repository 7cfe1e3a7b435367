"""The index pages: by date, organisation, event, person, source and tag."""
from __future__ import annotations

from ..index import EntityEntry
from ..plain import to_json
from ..records import Article
from .context import PageRenderer
from .pagination import Pager, chunks, grouped_chunks

HOME = ("首页", "index.html")


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
    changed_years = r.to_key.dates if r.to_key else None      # affected.py
    for year, listed in by_year.items():
        label = f"{year}年" if year else "日期不详"
        first = f"{folder}/{entry.slug}/{year or 'undated'}.html"
        years.append((label, first, len(listed)))
        if changed_years is not None and (year or "undated") not in changed_years and r.keep_as_last_time(
                [first, *r.last_pages_under(first[:-len(".html")])]):
            continue                  # no changed article is of this year: not keyed again
        page_crumbs = [*crumbs[:-1], (entry.name, back), (label, None)]

        # Keyed by what it shows alone: a new article of another year leaves it as it is.
        def key_of(relpath: str, shown_crumbs: list, items: list, pager: Pager, label: str = label,
                   count: int = len(listed)) -> str | None:
            return list_key(r, relpath, [shown_crumbs, entry.name, pager.as_key(), count], [(label, items)])

        r.list_pages(first, "entity_year.html", chunks(listed, size), page_crumbs, "articles", key_of,
                     entry=entry, label=label, back=back, total=len(listed))
    return [articles[:min(NEWEST, size)]], years


def _kept_unkeyed(r: PageRenderer, folder: str, entry: EntityEntry) -> bool:
    """Keep an entity's pages and its year pages as the last build left them, when no change
    reaches them (affected.py): they are not keyed again."""
    to_key = r.to_key
    if to_key is None or to_key.names is None or entry.name in to_key.names[folder]:
        return False
    return r.keep_as_last_time([f"{folder}/{entry.slug}.html", *r.last_pages_under(f"{folder}/{entry.slug}")])


def _entity_page(r: PageRenderer, folder: str, entry: EntityEntry, crumbs: list) -> None:
    """An event, person or source page (over pages of config.page_size), kept from the last
    build when nothing it shows changed."""
    if _kept_unkeyed(r, folder, entry):
        return
    first, articles = f"{folder}/{entry.slug}.html", _articles(r, entry.article_ids)
    pages, years = _year_pages(r, folder, entry, articles, crumbs)

    def key_of(relpath: str, shown_crumbs: list, items: list, pager: Pager) -> str | None:
        return _entity_key(r, relpath, shown_crumbs, entry, items, years=years if pager.number == 1 else (),
                           pager=pager)

    r.list_pages(first, f"{folder}.html", pages, crumbs, "articles", key_of, first_only={"years": years},
                 entry=entry, total=len(articles))


def _entity_key(r: PageRenderer, relpath: str, crumbs: list, entry: EntityEntry, articles: list[Article],
              events: list[EntityEntry] = (), years: list[YearLink] = (),
              related: list[tuple[str, int]] = (), pager: Pager | None = None,
              all_events: tuple[str, int] | None = None) -> str | None:
    """The key of an entity page: the entry (with its article count), a digest
    of each listed article, the events, year pages and organisations named
    alongside it lists and the pages it links to (None without page keys).

    After one new seed only the pages of the entities it names change.
    """
    if r.keys is None:
        return None
    names = [entry.parent, *entry.children, *(name for name, _ in related), *entry.organisations]
    shown = {
        "page": [relpath, crumbs],
        "entry": entry,
        "articles": [r.digest(a) for a in articles],    # covers all the list shows of each
        "events": [[e.name, e.slug, e.date] for e in events],    # what an event list shows
        "years": list(years),
        "related": list(related),
        "links": [r.links.date(entry.date), *(r.links.org(name) for name in names)],
        "pager": pager.as_key() if pager else None,
        "all_events": all_events,
    }
    return r.keys.key(to_json(shown, sort_keys=True).decode())


def list_key(r: PageRenderer, relpath: str, crumbs: list, groups: list[tuple[str, list[Article]]]) -> str | None:
    """The key of a date page: where it is, and a digest of each article it lists, by group."""
    if r.keys is None:
        return None
    shown = {"page": [relpath, crumbs], "groups": [[label, [r.digest(a) for a in articles]] for label, articles in groups]}
    return r.keys.key(to_json(shown, sort_keys=True).decode())


def _list_pages_key(r: PageRenderer, label: str | None = None, shown: object = None):
    """key_of for PageRenderer.list_pages of a date list: list_key of each page's groups
    (or, with `label`, of its articles under that label), where it stands, and `shown`:
    what else its pages show (counts of the whole list, which one page's articles do not tell)."""
    def key_of(relpath: str, crumbs: list, items: list, pager: Pager) -> str | None:
        return list_key(r, relpath, [crumbs, pager.as_key(), shown], [(label, items)] if label is not None else items)
    return key_of


def render_date_pages(r: PageRenderer) -> None:
    idx = r.index
    size = r.config.page_size
    by_date = ("按日期", "date/index.html")
    years = [(year, sum(len(ids) for ids in months.values()), months) for year, months in idx.by_date.items()]
    if r.takes_one():
        r.page("date/index.html", "date_index.html", crumbs=[HOME, ("按日期", None)], years=years)
    for year, months in r.share(idx.by_date.items(), run=1):    # a year is many pages
        dates = r.to_key.dates if r.to_key else None      # a changed month's year is in it too
        if dates is not None and year not in dates and r.keep_as_last_time(r.last_pages_under(f"date/{year}")):
            continue              # the year's pages, its months' and the later pages of each
        month_lists = [(month, _articles(r, ids)) for month, ids in months.items()]
        counts = {month: len(ids) for month, ids in months.items()}
        r.list_pages(r.links.year(year), "date_year.html", grouped_chunks(month_lists, size),
                     [HOME, by_date, (f"{year}年", None)], "months", _list_pages_key(r, shown=counts),
                     year=year, month_counts=counts)
        for month, ids in months.items():
            days: dict[str, list] = {}
            for article in _articles(r, ids):
                days.setdefault(article.clean.date or "", []).append(article)
            crumbs = [HOME, by_date, (f"{year}年", r.links.year(year)), (f"{int(month)}月", None)]
            r.list_pages(r.links.month(year, month), "date_month.html", grouped_chunks(list(days.items()), size),
                         crumbs, "days", _list_pages_key(r), year=year, month=month)
    if r.takes_one():
        r.list_pages("date/undated.html", "date_undated.html", chunks(_articles(r, idx.undated), size),
                     [HOME, by_date, ("日期不详", None)], "articles", _list_pages_key(r, "undated", len(idx.undated)),
                     total=len(idx.undated))


def render_org_pages(r: PageRenderer) -> None:
    idx = r.index
    if r.takes_one():
        r.list_pages("org/index.html", "org_index.html", grouped_chunks(idx.org_groups(), r.config.page_size),
                     [HOME, ("机构", None)], "groups")
    for entry in r.share(idx.organisations.values()):
        if _kept_unkeyed(r, "org", entry):
            continue
        first, crumbs = f"org/{entry.slug}.html", [HOME, ("机构", "org/index.html"), (entry.name, None)]
        articles = _articles(r, entry.article_ids)
        pages, years = _year_pages(r, "org", entry, articles, crumbs)
        events = [idx.events[name] for name in entry.events]
        reported = [idx.events[name] for name in entry.reported_events]
        related = idx.co_mentioned(entry.name)
        events, reported, all_events = _org_events(r, entry, crumbs, events, reported)

        # What stands above and below the list (events, year links, organisations named
        # alongside) is on the first page alone, and in its key alone.
        def key_of(relpath: str, shown_crumbs: list, items: list, pager: Pager, entry: EntityEntry = entry,
                   events: list = events + reported, years: list = years, related: list = related) -> str | None:
            if pager.number > 1:
                events, years, related = [], [], []
            return _entity_key(r, relpath, shown_crumbs, entry, items, events, years, related, pager=pager,
                               all_events=all_events if pager.number == 1 else None)

        r.list_pages(first, "org.html", pages, crumbs, "articles", key_of,
                     first_only={"years": years, "events": events, "reported_events": reported, "related": related,
                                 "all_events": all_events},
                     entry=entry, total=len(articles))


def _org_events(r: PageRenderer, entry: EntityEntry, crumbs: list, events: list[EntityEntry],
                reported: list[EntityEntry]) -> tuple[list[EntityEntry], list[EntityEntry], tuple[str, int] | None]:
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

    def key_of(relpath: str, shown_crumbs: list, items: list, pager: Pager) -> str | None:
        if r.keys is None:
            return None
        shown = [relpath, shown_crumbs, pager.as_key(), entry.name, entry.slug,
                 [[name, [[e.name, e.slug, e.date] for e in listed]] for name, listed in items]]
        return r.keys.key(to_json(shown, sort_keys=True).decode())

    r.list_pages(first, "org_events.html", grouped_chunks(groups, size), page_crumbs, "groups", key_of,
                 entry=entry, total=len(events) + len(reported))
    return events[:size], reported[:size], (first, len(events) + len(reported))


def render_entity_pages(r: PageRenderer, folder: str, label: str, table: dict[str, EntityEntry],
                        index_template: str, index_list: tuple[str, list]) -> None:
    """An index page of events, people or sources (over pages: `index_list` is the name its
    template knows the list by, and the list, of entries or of groups of them), and a page for each one."""
    if r.takes_one():
        name, listed = index_list
        size = r.config.page_size
        pages = grouped_chunks(listed, size) if name == "groups" else chunks(listed, size)
        r.list_pages(f"{folder}/index.html", index_template, pages, [HOME, (label, None)], name)
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
