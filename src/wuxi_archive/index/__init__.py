"""Stage 5, index: cross-reference tables over all articles.

Pure function of the article list: by date, organisation, event, person
and source, with ASCII slugs for every page the site will have.
"""
from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Callable

from ..records import Article, entity_names  # noqa: F401 - entity_names: index's names, defined with the records
from .related import RelatedArticles, RelatedLink
from ..surnames import person_reading
from .slugs import assign_slugs, person_key, pinyin_initial, pinyin_key

__all__ = ["EntityEntry", "RelatedLink", "SiteIndex", "build_index", "entity_names", "sort_articles"]


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
    children: list[str] = field(default_factory=list)        # sub-units of an organisation
    role: str | None = None
    organisations: list[str] = field(default_factory=list)   # for events and people
    events: list[str] = field(default_factory=list)           # events an organisation held or attended
    reported_events: list[str] = field(default_factory=list)  # other events its articles report


@dataclass
class SiteIndex:
    articles: list[Article]                      # newest first, undated last
    by_id: dict[str, Article]
    by_date: dict[str, dict[str, list[str]]]     # year -> month -> article ids, newest first
    undated: list[str]
    organisations: dict[str, EntityEntry]
    events: dict[str, EntityEntry]
    people: dict[str, EntityEntry]
    sources: dict[str, EntityEntry]
    tags: dict[str, EntityEntry]                 # the tags pages give (CleanArticle.tags)
    related: RelatedArticles                     # article id -> related articles (.get, made when asked)
    organisations_named: dict[str, tuple[str, ...]]   # article id -> the organisations it names, each once
    _co_mentioned: dict[str, list[tuple[str, int]]] = field(default_factory=dict, init=False, repr=False,
                                                            compare=False)
    _reading_order: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _neighbours: dict[str, tuple[str | None, str | None]] = field(default_factory=dict, init=False, repr=False,
                                                                 compare=False)

    def tables(self) -> dict[str, dict[str, EntityEntry]]:
        """The entity tables, by the folder their pages are in."""
        return {"org": self.organisations, "event": self.events, "person": self.people, "source": self.sources,
                "tag": self.tags}

    def co_mentioned(self, name: str) -> list[tuple[str, int]]:
        """The ten organisations named in most of the articles naming `name`, with how many.

        Made when a page asks: a rebuild makes few organisation pages, and counting
        every pair of names in every article was a third of indexing 10,000.
        """
        found = self._co_mentioned.get(name)
        if found is None:
            ids = self.organisations[name].article_ids
            # One count in C over all its articles' names (an organisation may have thousands).
            counts = Counter(chain.from_iterable(map(self.organisations_named.__getitem__, ids)))
            counts.pop(name, None)
            found = heapq.nsmallest(10, counts.items(), key=lambda kv: (-kv[1], pinyin_key(kv[0])))
            self._co_mentioned[name] = found
        return found

    def org_groups(self) -> list[tuple[str, list[EntityEntry]]]:
        """Organisations grouped by pinyin initial, each group in pinyin order."""
        return _groups(self.organisations)

    def person_groups(self) -> list[tuple[str, list[EntityEntry]]]:
        """People grouped and ordered as org_groups, a name's surname read as a surname."""
        return _groups(self.people, person_key)

    def events_by_date(self) -> list[EntityEntry]:
        """Events oldest first; undated ones last, in pinyin order."""
        return sorted(self.events.values(), key=lambda e: (e.date is None, e.date or "", pinyin_key(e.name)))

    def sources_by_count(self) -> list[EntityEntry]:
        return sorted(self.sources.values(), key=lambda e: (-len(e.article_ids), pinyin_key(e.name)))

    def tags_by_count(self) -> list[EntityEntry]:
        return sorted(self.tags.values(), key=lambda e: (-len(e.article_ids), pinyin_key(e.name)))

    def reading_order(self) -> list[str]:
        """Article ids in the order a reader pages through them (previous, next):
        oldest first, then the undated ones. Made once, when a page asks."""
        if self._reading_order is None:
            dated = [a.id for a in reversed(self.articles) if a.clean.date]
            self._reading_order = dated + list(self.undated)
            self._neighbours = {}
            order = self._reading_order
            for n, aid in enumerate(order):
                self._neighbours[aid] = (order[n - 1] if n else None, order[n + 1] if n + 1 < len(order) else None)
        return self._reading_order

    def neighbours(self, article_id: str) -> tuple[str | None, str | None]:
        """The ids of the articles before and after this one in reading_order."""
        self.reading_order()
        return self._neighbours.get(article_id, (None, None))


def _groups(table: dict[str, EntityEntry],
            key: Callable[[str], str] = pinyin_key) -> list[tuple[str, list[EntityEntry]]]:
    groups: dict[str, list[EntityEntry]] = defaultdict(list)
    for entry in table.values():
        groups[pinyin_initial(entry.name, key)].append(entry)
    # '#' (names without a Latin initial) files after Z.
    order = sorted(groups, key=lambda k: (k == "#", k))
    return [(k, sorted(groups[k], key=lambda e: key(e.name))) for k in order]


def sort_articles(articles: list[Article]) -> list[Article]:
    """Newest first; undated last; ties by id so the order is deterministic."""
    dated = sorted((a for a in articles if a.clean.date), key=lambda a: a.id)
    dated.sort(key=lambda a: a.clean.date or "", reverse=True)
    undated = sorted((a for a in articles if not a.clean.date), key=lambda a: a.id)
    return dated + undated


def infer_parents(names: list[str]) -> dict[str, str]:
    """A name that starts with another organisation's name is its sub-unit.

    `无锡科技职业学院集成电路学院` files under `无锡科技职业学院`; the longest
    such prefix wins, and the rest must be a name of its own (2+ characters).
    """
    known = set(names)
    parents: dict[str, str] = {}
    for name in sorted(known):
        for end in range(len(name) - 2, 1, -1):
            if name[:end] in known:
                parents[name] = name[:end]
                break
    return parents


def build_index(articles: list[Article]) -> SiteIndex:
    ordered = sort_articles(articles)
    by_id = {a.id: a for a in ordered}
    by_date: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    undated: list[str] = []
    for a in ordered:
        if a.clean.date:
            by_date[a.clean.date[:4]][a.clean.date[5:7]].append(a.id)
        else:
            undated.append(a.id)

    orgs: dict[str, EntityEntry] = {}
    events: dict[str, EntityEntry] = {}
    people: dict[str, EntityEntry] = {}
    sources: dict[str, EntityEntry] = {}
    tags: dict[str, EntityEntry] = {}
    organisations_named: dict[str, tuple[str, ...]] = {}
    # Oldest first, so an entity's details come from its earliest report; so each entry lists
    # its articles oldest first, once each (an article is visited once: "already listed" needs
    # only the last id), and reversed at the end into the site's order.
    for a in reversed(ordered):
        aid = a.id
        event_names = [ev.name for ev in a.events]
        organisations_named[aid] = tuple(dict.fromkeys([o.name for o in a.organisations]))
        for o in a.organisations:
            # _entry_listing, inline: the commonest step of indexing (one per mention)
            e = orgs.get(o.name)
            if e is None:
                e = orgs[o.name] = EntityEntry(name=o.name, slug="")
            listed = e.article_ids
            if not listed or listed[-1] != aid:
                listed.append(aid)
            if o.aliases and not set(o.aliases) <= {*e.aliases, o.name}:
                e.aliases = sorted(set(e.aliases) | {x for x in o.aliases if x != o.name})
            if event_names:
                e.reported_events += event_names
            if not e.parent:
                e.parent = o.parent
        for ev in a.events:
            e = _entry_listing(events, ev.name, aid)
            e.date = e.date or ev.date
            e.place = e.place or ev.place
            if not set(ev.organisations) <= set(e.organisations):
                e.organisations = sorted(set(e.organisations) | set(ev.organisations), key=pinyin_key)
        for p in a.people:
            e = _entry_listing(people, p.name, aid)
            e.role = e.role or p.role
            if p.organisation and p.organisation not in e.organisations:
                e.organisations.append(p.organisation)
        source = a.clean.source
        if source:
            entry = sources.get(source)
            if entry is None:
                entry = sources[source] = EntityEntry(source, "")
            entry.article_ids.append(aid)
        for tag in a.clean.tags:
            if tag:
                _entry_listing(tags, tag, aid)
    for table in (orgs, events, people, sources, tags):
        for entry in table.values():
            entry.article_ids.reverse()     # listed oldest first: now in the site's order
        # People's slugs read the surname as a surname (单智伟: shan-zhi-wei).
        slugs = assign_slugs(list(table), person_reading) if table is people else assign_slugs(list(table))
        for name, slug in slugs.items():
            table[name].slug = slug
    _link_organisations(orgs, events)
    return SiteIndex(
        articles=ordered, by_id=by_id,
        by_date={y: dict(sorted(m.items(), reverse=True)) for y, m in sorted(by_date.items(), reverse=True)},
        undated=undated, organisations=dict(sorted(orgs.items())), events=dict(sorted(events.items())),
        people=dict(sorted(people.items())), sources=dict(sorted(sources.items())), tags=dict(sorted(tags.items())),
        related=RelatedArticles(ordered), organisations_named=organisations_named,
    )


def _entry_listing(table: dict[str, EntityEntry], name: str, article_id: str) -> EntityEntry:
    """The table's entry for `name` (made when first met), `article_id` listed once: the
    articles are visited one at a time, so "already listed" needs only the last id.
    build_index inlines this for organisations."""
    entry = table.get(name)
    if entry is None:
        entry = table[name] = EntityEntry(name=name, slug="")
    ids = entry.article_ids
    if not ids or ids[-1] != article_id:
        ids.append(article_id)
    return entry


def _link_organisations(orgs: dict[str, EntityEntry], events: dict[str, EntityEntry]) -> None:
    """Parents and sub-units, events each took part in."""
    inferred = infer_parents(list(orgs))
    for name, entry in orgs.items():
        if entry.parent not in orgs:
            entry.parent = inferred.get(name)
    for name, entry in sorted(orgs.items()):
        if entry.parent:
            orgs[entry.parent].children.append(name)
    for entry in orgs.values():
        entry.children.sort(key=pinyin_key)
    for ev in sorted(events.values(), key=lambda e: (e.date or "9999", e.name)):
        for org in ev.organisations:
            if org in orgs and ev.name not in orgs[org].events:
                orgs[org].events.append(ev.name)
    for entry in orgs.values():
        taken = set(entry.events)
        others = {name for name in entry.reported_events if name not in taken}
        entry.reported_events = sorted(others, key=lambda n: (events[n].date or "9999", n))
