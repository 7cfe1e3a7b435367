"""Stage 5, index: cross-reference tables over all articles.

Pure function of the article list: by date, organisation, event, person
and source, with ASCII slugs for every page the site will have.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..records import Article
from .slugs import assign_slugs, pinyin_initial, pinyin_key


@dataclass
class EntityEntry:
    """One organisation, event, person or source and the articles naming it."""

    name: str
    slug: str
    article_ids: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    date: str | None = None
    place: str | None = None
    parent: str | None = None
    role: str | None = None
    organisations: list[str] = field(default_factory=list)   # for events and people
    related: list[tuple[str, int]] = field(default_factory=list)  # co-mentioned organisations
    events: list[str] = field(default_factory=list)           # for organisations


@dataclass
class SiteIndex:
    articles: list[Article]                      # newest first, undated last
    by_id: dict[str, Article]
    by_date: dict[str, dict[str, list[str]]]     # year -> month -> article ids
    undated: list[str]
    organisations: dict[str, EntityEntry]
    events: dict[str, EntityEntry]
    people: dict[str, EntityEntry]
    sources: dict[str, EntityEntry]
    related: dict[str, list[str]]                # article id -> related article ids

    def org_groups(self) -> list[tuple[str, list[EntityEntry]]]:
        """Organisations grouped by pinyin initial, each group in pinyin order."""
        groups: dict[str, list[EntityEntry]] = defaultdict(list)
        for entry in self.organisations.values():
            groups[pinyin_initial(entry.name)].append(entry)
        return [(k, sorted(v, key=lambda e: pinyin_key(e.name))) for k, v in sorted(groups.items())]


def sort_articles(articles: list[Article]) -> list[Article]:
    """Newest first; undated last; ties by id so the order is deterministic."""
    dated = sorted((a for a in articles if a.clean.date), key=lambda a: a.id)
    dated.sort(key=lambda a: a.clean.date or "", reverse=True)
    undated = sorted((a for a in articles if not a.clean.date), key=lambda a: a.id)
    return dated + undated


def build_index(articles: list[Article]) -> SiteIndex:
    ordered = sort_articles(articles)
    by_id = {a.id: a for a in ordered}
    by_date: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    undated: list[str] = []
    for a in ordered:
        if a.clean.date:
            year, month = a.clean.date[:4], a.clean.date[5:7]
            by_date[year][month].append(a.id)
        else:
            undated.append(a.id)

    orgs: dict[str, EntityEntry] = {}
    events: dict[str, EntityEntry] = {}
    people: dict[str, EntityEntry] = {}
    sources: dict[str, EntityEntry] = {}
    co_mentions: dict[str, Counter[str]] = defaultdict(Counter)
    for a in ordered:
        names = [o.name for o in a.organisations]
        for o in a.organisations:
            e = orgs.setdefault(o.name, EntityEntry(name=o.name, slug=""))
            e.article_ids.append(a.id)
            e.aliases = sorted(set(e.aliases) | set(o.aliases))
            e.parent = e.parent or o.parent
            co_mentions[o.name].update(n for n in names if n != o.name)
        for ev in a.events:
            e = events.setdefault(ev.name, EntityEntry(name=ev.name, slug=""))
            e.article_ids.append(a.id)
            e.date = e.date or ev.date
            e.place = e.place or ev.place
            e.organisations = sorted(set(e.organisations) | set(ev.organisations))
            for org in ev.organisations:
                if org in orgs and ev.name not in orgs[org].events:
                    orgs[org].events.append(ev.name)
        for p in a.people:
            e = people.setdefault(p.name, EntityEntry(name=p.name, slug=""))
            e.article_ids.append(a.id)
            e.role = e.role or p.role
            if p.organisation and p.organisation not in e.organisations:
                e.organisations.append(p.organisation)
        if a.clean.source:
            e = sources.setdefault(a.clean.source, EntityEntry(name=a.clean.source, slug=""))
            e.article_ids.append(a.id)
    for table in (orgs, events, people, sources):
        for name, slug in assign_slugs(list(table)).items():
            table[name].slug = slug
    for name, counter in co_mentions.items():
        orgs[name].related = sorted(counter.items(), key=lambda kv: (-kv[1], pinyin_key(kv[0])))[:10]
    return SiteIndex(
        articles=ordered, by_id=by_id,
        by_date={y: dict(sorted(m.items(), reverse=True)) for y, m in sorted(by_date.items(), reverse=True)},
        undated=undated, organisations=orgs, events=events, people=people, sources=sources,
        related=_related_articles(ordered),
    )


def _related_articles(articles: list[Article], limit: int = 5) -> dict[str, list[str]]:
    """Articles sharing organisations and events, then nearest in time."""
    owners: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        for key in [f"o:{o.name}" for o in a.organisations] + [f"e:{e.name}" for e in a.events]:
            owners[key].add(a.id)
    related: dict[str, list[str]] = {}
    for a in articles:
        shared: Counter[str] = Counter()
        for key in [f"o:{o.name}" for o in a.organisations] + [f"e:{e.name}" for e in a.events]:
            weight = 3 if key.startswith("e:") else 1
            for other in owners[key]:
                if other != a.id:
                    shared[other] += weight
        ranked = sorted(shared, key=lambda i: (-shared[i], i))
        related[a.id] = ranked[:limit]
    return related
