"""The index pages: by date, organisation, event, person and source."""
from __future__ import annotations

from .context import PageRenderer

HOME = ("首页", "index.html")


def _articles(r: PageRenderer, ids: list[str]) -> list:
    return [r.index.by_id[i] for i in ids]


def render_date_pages(r: PageRenderer) -> None:
    idx = r.index
    by_date = ("按日期", "date/index.html")
    years = [(year, sum(len(ids) for ids in months.values()), months) for year, months in idx.by_date.items()]
    r.page("date/index.html", "date_index.html", crumbs=[HOME, ("按日期", None)], years=years)
    for year, months in idx.by_date.items():
        month_lists = [(month, _articles(r, ids)) for month, ids in months.items()]
        r.page(r.links.year(year), "date_year.html", crumbs=[HOME, by_date, (f"{year}年", None)],
               year=year, months=month_lists)
        for month, ids in months.items():
            days: dict[str, list] = {}
            for article in _articles(r, ids):
                days.setdefault(article.clean.date or "", []).append(article)
            r.page(r.links.month(year, month), "date_month.html",
                   crumbs=[HOME, by_date, (f"{year}年", r.links.year(year)), (f"{int(month)}月", None)],
                   year=year, month=month, days=list(days.items()))
    r.page("date/undated.html", "date_undated.html", crumbs=[HOME, by_date, ("日期不详", None)],
           articles=_articles(r, idx.undated))


def render_org_pages(r: PageRenderer) -> None:
    idx = r.index
    r.page("org/index.html", "org_index.html", crumbs=[HOME, ("机构", None)], groups=idx.org_groups())
    for entry in idx.organisations.values():
        r.page(f"org/{entry.slug}.html", "org.html", crumbs=[HOME, ("机构", "org/index.html"), (entry.name, None)],
               entry=entry, articles=_articles(r, entry.article_ids),
               events=[idx.events[name] for name in entry.events],
               reported_events=[idx.events[name] for name in entry.reported_events])


def render_event_pages(r: PageRenderer) -> None:
    idx = r.index
    r.page("event/index.html", "event_index.html", crumbs=[HOME, ("活动", None)], events=idx.events_by_date())
    for entry in idx.events.values():
        r.page(f"event/{entry.slug}.html", "event.html", crumbs=[HOME, ("活动", "event/index.html"), (entry.name, None)],
               entry=entry, articles=_articles(r, entry.article_ids))


def render_person_pages(r: PageRenderer) -> None:
    idx = r.index
    r.page("person/index.html", "person_index.html", crumbs=[HOME, ("人物", None)], groups=idx.person_groups())
    for entry in idx.people.values():
        r.page(f"person/{entry.slug}.html", "person.html", crumbs=[HOME, ("人物", "person/index.html"), (entry.name, None)],
               entry=entry, articles=_articles(r, entry.article_ids))


def render_source_pages(r: PageRenderer) -> None:
    idx = r.index
    r.page("source/index.html", "source_index.html", crumbs=[HOME, ("来源", None)], sources=idx.sources_by_count())
    for entry in idx.sources.values():
        r.page(f"source/{entry.slug}.html", "source.html", crumbs=[HOME, ("来源", "source/index.html"), (entry.name, None)],
               entry=entry, articles=_articles(r, entry.article_ids))


def render_index_pages(r: PageRenderer) -> None:
    render_date_pages(r)
    render_org_pages(r)
    render_event_pages(r)
    render_person_pages(r)
    render_source_pages(r)
