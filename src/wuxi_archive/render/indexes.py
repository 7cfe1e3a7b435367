"""The index pages: by date, organisation, event, person, source and tag."""
from __future__ import annotations

from ..index import EntityEntry
from ..plain import to_json
from ..records import Article
from .context import PageRenderer

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
                crumbs: list) -> tuple[list[Article], list[YearLink]]:
    """Write the year pages of a long entity list; returns what its own page lists and the year links."""
    if len(articles) <= LONG_LIST:
        return articles, []
    by_year: dict[str, list[Article]] = {}
    for article in articles:                      # site order: newest first, undated last
        by_year.setdefault(article.clean.date[:4] if article.clean.date else "", []).append(article)
    back = f"{folder}/{entry.slug}.html"
    years: list[YearLink] = []
    changed_years = r.to_key.dates if r.to_key else None      # affected.py
    for year, listed in by_year.items():
        label = f"{year}年" if year else "日期不详"
        relpath = f"{folder}/{entry.slug}/{year or 'undated'}.html"
        years.append((label, relpath, len(listed)))
        if changed_years is not None and (year or "undated") not in changed_years and r.keep_as_last_time([relpath]):
            continue                  # no changed article is of this year: not keyed again
        page_crumbs = [*crumbs[:-1], (entry.name, back), (label, None)]
        # Keyed by what it shows alone: a new article of another year leaves it as it is.
        key = _list_key(r, relpath, [page_crumbs, entry.name], [(label, listed)])
        if not (key and r.reuse(relpath, key)):
            r.page(relpath, "entity_year.html", crumbs=page_crumbs, key=key, entry=entry, label=label,
                   articles=listed, back=back)
    return articles[:NEWEST], years


def _kept_unkeyed(r: PageRenderer, folder: str, entry: EntityEntry) -> bool:
    """Keep an entity's page and its year pages as the last build left them, when no change
    reaches them (affected.py): they are not keyed again."""
    to_key = r.to_key
    if to_key is None or to_key.names is None or entry.name in to_key.names[folder]:
        return False
    return r.keep_as_last_time([f"{folder}/{entry.slug}.html", *r.last_pages_in(f"{folder}/{entry.slug}")])


def _entity_page(r: PageRenderer, folder: str, entry: EntityEntry, crumbs: list) -> None:
    """An event, person or source page, kept from the last build when nothing it shows changed."""
    if _kept_unkeyed(r, folder, entry):
        return
    relpath, articles = f"{folder}/{entry.slug}.html", _articles(r, entry.article_ids)
    shown, years = _year_pages(r, folder, entry, articles, crumbs)
    key = _entity_key(r, relpath, crumbs, entry, shown, years=years)
    if not (key and r.reuse(relpath, key)):
        r.page(relpath, f"{folder}.html", crumbs=crumbs, key=key, entry=entry, articles=shown,
               total=len(articles), years=years)


def _entity_key(r: PageRenderer, relpath: str, crumbs: list, entry: EntityEntry, articles: list[Article],
              events: list[EntityEntry] = (), years: list[YearLink] = (),
              related: list[tuple[str, int]] = ()) -> str | None:
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
    }
    return r.keys.key(to_json(shown, sort_keys=True).decode())


def _list_key(r: PageRenderer, relpath: str, crumbs: list, groups: list[tuple[str, list[Article]]]) -> str | None:
    """The key of a date page: where it is, and a digest of each article it lists, by group."""
    if r.keys is None:
        return None
    shown = {"page": [relpath, crumbs], "groups": [[label, [r.digest(a) for a in articles]] for label, articles in groups]}
    return r.keys.key(to_json(shown, sort_keys=True).decode())


def render_date_pages(r: PageRenderer) -> None:
    idx = r.index
    by_date = ("按日期", "date/index.html")
    years = [(year, sum(len(ids) for ids in months.values()), months) for year, months in idx.by_date.items()]
    if r.takes_one():
        r.page("date/index.html", "date_index.html", crumbs=[HOME, ("按日期", None)], years=years)
    for year, months in r.share(idx.by_date.items(), run=1):    # a year is many pages
        dates = r.to_key.dates if r.to_key else None      # a changed month's year is in it too
        if dates is not None and year not in dates and r.keep_as_last_time(
                [r.links.year(year), *(r.links.month(year, month) for month in months)]):
            continue
        month_lists = [(month, _articles(r, ids)) for month, ids in months.items()]
        relpath, crumbs = r.links.year(year), [HOME, by_date, (f"{year}年", None)]
        key = _list_key(r, relpath, crumbs, month_lists)
        if not (key and r.reuse(relpath, key)):
            r.page(relpath, "date_year.html", crumbs=crumbs, key=key, year=year, months=month_lists)
        for month, ids in months.items():
            days: dict[str, list] = {}
            for article in _articles(r, ids):
                days.setdefault(article.clean.date or "", []).append(article)
            relpath = r.links.month(year, month)
            crumbs = [HOME, by_date, (f"{year}年", r.links.year(year)), (f"{int(month)}月", None)]
            key = _list_key(r, relpath, crumbs, list(days.items()))
            if not (key and r.reuse(relpath, key)):
                r.page(relpath, "date_month.html", crumbs=crumbs, key=key, year=year, month=month,
                       days=list(days.items()))
    if r.takes_one():
        r.page("date/undated.html", "date_undated.html", crumbs=[HOME, by_date, ("日期不详", None)],
               articles=_articles(r, idx.undated))


def render_org_pages(r: PageRenderer) -> None:
    idx = r.index
    if r.takes_one():
        r.page("org/index.html", "org_index.html", crumbs=[HOME, ("机构", None)], groups=idx.org_groups())
    for entry in r.share(idx.organisations.values()):
        if _kept_unkeyed(r, "org", entry):
            continue
        relpath, crumbs = f"org/{entry.slug}.html", [HOME, ("机构", "org/index.html"), (entry.name, None)]
        articles = _articles(r, entry.article_ids)
        shown, years = _year_pages(r, "org", entry, articles, crumbs)
        events = [idx.events[name] for name in entry.events]
        reported = [idx.events[name] for name in entry.reported_events]
        related = idx.co_mentioned(entry.name)
        key = _entity_key(r, relpath, crumbs, entry, shown, events + reported, years, related)
        if not (key and r.reuse(relpath, key)):
            r.page(relpath, "org.html", crumbs=crumbs, key=key, entry=entry, articles=shown,
                   total=len(articles), years=years, events=events, reported_events=reported, related=related)


def render_entity_pages(r: PageRenderer, folder: str, label: str, table: dict[str, EntityEntry],
                        index_template: str, **index_context: object) -> None:
    """An index page of events, people or sources, and a page for each one."""
    if r.takes_one():
        r.page(f"{folder}/index.html", index_template, crumbs=[HOME, (label, None)], **index_context)
    for entry in r.share(table.values()):
        _entity_page(r, folder, entry, [HOME, (label, f"{folder}/index.html"), (entry.name, None)])


def render_index_pages(r: PageRenderer) -> None:
    render_date_pages(r)
    render_org_pages(r)
    idx = r.index
    render_entity_pages(r, "event", "活动", idx.events, "event_index.html", events=idx.events_by_date())
    render_entity_pages(r, "person", "人物", idx.people, "person_index.html", groups=idx.person_groups())
    render_entity_pages(r, "source", "来源", idx.sources, "source_index.html", sources=idx.sources_by_count())
    render_entity_pages(r, "tag", "标签", idx.tags, "tag_index.html", tags=idx.tags_by_count())
