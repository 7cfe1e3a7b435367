"""Which pages a rebuild must key again; the others keep the key the last build gave them.

Keying an article page means making its related list and hashing all it
shows: at 10,000 articles, half a second on each core for every rebuild,
however small the change. But an article page shows only its own record,
the site paths of the names it links, and its related list (with the
related articles' titles and dates). So after a change, the pages that can
differ are those of:

- the articles added or changed (their record digest differs);
- the articles naming a name whose page moved (a slug changed, as when two
  names come to share one) - found by comparing the last build's slugs;
- the articles before or after a changed article in reading order, and
  those whose neighbours there are others than last time (the previous and
  next links: SiteIndex.neighbours);
- the articles whose related list a changed, added or removed article
  enters or leaves. It can only reach the lists of articles sharing an
  event or organisation with its old or new version, or dated near either
  (RelatedArticles.reachable); of those, it enters or leaves a full list
  only if it ranks, old or new, no lower than the list's last article did
  (the last build saved that rank for every list). Lists rank by a total
  order (RelatedArticles.rank), so this is exact: the others keep their
  five articles.

Entity pages (organisation, event, person, source, with their year pages)
and date pages are found the same way. One shows its entry (built from the
articles naming it), those articles, and the paths of the names it links.
So the pages keyed again are those of: the names a changed, new or removed
article names in its old or new version (events' organisations included);
the date pages, and entities' year pages, of the years and months it is
dated in (or the undated ones); names whose slug moved, and the pages
linking them; organisations whose parent or sub-units changed (saved by the
last build: they are inferred from all the names); organisations listing an
event so reached whose page or date changed (the last build's event dates are
saved too). When a month gained its first article or lost its last,
every entity and date page is keyed (links to dates move).
A list's later pages (pagination.py: `org/<slug>/page-2.html`,
`date/2024/05/page-2.html`, an organisation's events pages) sit under its
folder and are kept or keyed with its first page; keyed, each page's key
holds the articles it lists and its place (number, count), so a new
article that pushes others on rewrites every page whose list moved.

Every other page is kept under its last key, unkeyed. Without what this
needs from the last build (its articles.json and index, what it saved under
that file's key, the same templates, config and code) every page is keyed
as before. tests/test_affected.py checks rebuilds after random changes
against cold builds, and each rule above on a case of its own.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..page_keys import Memos, PageKeys
from ..index import SiteIndex
from ..index.related import Rank
from ..records import Article
from .records_file import ARTICLES_JSON_PATH, PreviousRecords
from .writer import SiteWriter

PAGE_INPUTS = "page-inputs"      # the memo of what the last build's pages showed
Slugs = dict[str, dict[str, str]]      # "org", "event", "person", "source" -> name -> slug


def slug_tables(index: SiteIndex) -> Slugs:
    """Every name's slug, by kind of page."""
    return {kind: {name: entry.slug for name, entry in table.items()} for kind, table in index.tables().items()}


def _structure(index: SiteIndex) -> dict[str, list]:
    return {name: [e.parent, e.children] for name, e in index.organisations.items()}


def _event_dates(index: SiteIndex) -> dict[str, str | None]:
    return {name: e.date for name, e in index.events.items()}


def _months(index: SiteIndex) -> list[str]:
    return sorted(f"{year}-{month}" for year, months in index.by_date.items() for month in months)


def _neighbours(index: SiteIndex) -> dict[str, list[str | None]]:
    return {aid: list(index.neighbours(aid)) for aid in index.reading_order()}


def _salt(keys: PageKeys) -> str:
    return hashlib.sha256(keys.salt).hexdigest()


def save_page_inputs(memos: Memos, articles_json_key: str, keys: PageKeys, index: SiteIndex,
                     last_ranks: dict[str, Rank | None]) -> None:
    """Save what the next build needs to find the pages it must key again, under the key of
    the articles.json this build leaves (so it is used only with that file): the slugs,
    where the last article on each related list ranks (`last_ranks`, by article id), each
    organisation's parent and sub-units, each event's date, and the months dated articles fall in."""
    memos.save(PAGE_INPUTS, articles_json_key, {"salt": _salt(keys), "slugs": slug_tables(index), "last_ranks": last_ranks,
                                        "structure": _structure(index), "months": _months(index),
                                        "event_dates": _event_dates(index), "neighbours": _neighbours(index)})


class LastBuild:
    """What pages_to_key knows of the last build."""

    def __init__(self, previous: PreviousRecords, saved: dict) -> None:
        self.records = previous
        self.slugs: Slugs = {kind: dict(table) for kind, table in saved["slugs"].items()}
        self.last_ranks: dict[str, Rank | None] = {
            str(i): (int(r[0]), int(r[1]), str(r[2])) if r is not None else None
            for i, r in saved["last_ranks"].items()}
        self.structure: dict[str, list] = dict(saved["structure"])
        self.months: list[str] = list(saved["months"])
        self.event_dates: dict[str, str | None] = dict(saved["event_dates"])
        self.neighbours: dict[str, list[str | None]] = {str(i): list(n) for i, n in saved["neighbours"].items()}

    @classmethod
    def load(cls, memos: Memos, keys: PageKeys, writer: SiteWriter, previous: PreviousRecords | None) -> LastBuild | None:
        """The last build's saved inputs, if they belong to the articles.json on disk and were
        made by the same code, config and templates."""
        entry = writer.previous.get(ARTICLES_JSON_PATH)
        if previous is None or entry is None:
            return None
        saved = memos.load(PAGE_INPUTS, entry[2])
        try:
            return cls(previous, saved) if saved.get("salt") == _salt(keys) else None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None


@dataclass
class Version:
    """What of one version of an article decides which pages show it."""

    id: str
    events: list[str]
    event_organisations: list[str]
    organisations: list[str]
    people: list[str]
    source: str | None
    date: str | None
    tags: list[str]

    @classmethod
    def of_article(cls, a: Article) -> Version:
        return cls(a.id, [e.name for e in a.events], [o for e in a.events for o in e.organisations],
                   [o.name for o in a.organisations], [p.name for p in a.people], a.clean.source, a.clean.date,
                   list(a.clean.tags))

    @classmethod
    def of_record(cls, article_id: str, r: dict) -> Version:
        """From a record of articles.json (KeyError or TypeError when it is not one)."""
        return cls(article_id, [e["name"] for e in r["events"]], [o for e in r["events"] for o in e["organisations"]],
                   [o["name"] for o in r["organisations"]], [p["name"] for p in r["people"]], r["source"], r["date"],
                   list(r["tags"]))


@dataclass
class ToKey:
    """The pages a rebuild must key again (pages_to_key); `names` and `dates` are None when
    every entity and date page must be."""

    articles: set[str]                          # article ids
    names: dict[str, set[str]] | None = None    # entity folder -> names
    dates: set[str] | None = None               # "2024", "2024-05", "undated": the years, months
                                                # (and entities' year pages) changed articles are in


def pages_to_key(index: SiteIndex, last: LastBuild | None, digest_of: Callable[[Article], str]) -> ToKey | None:
    """The pages a rebuild must key again; None when every page must be (no usable last build)."""
    if last is None:
        return None
    records = last.records
    current = {a.id for a in index.articles}
    changed = {a.id for a in index.articles if records.digest(a.id) != digest_of(a)}
    versions = [Version.of_article(index.by_id[i]) for i in sorted(changed)]
    for article_id in sorted(changed) + sorted(i for i in records.ids() if i not in current):
        if records.digest(article_id) is None:
            continue                                   # new: no old version
        try:
            versions.append(Version.of_record(article_id, records.read(article_id)))  # type: ignore[arg-type]
        except (KeyError, TypeError):
            return None
    moved = {kind: {name for name in set(last.slugs.get(kind, {})) | set(table)
                    if last.slugs.get(kind, {}).get(name) != (table[name].slug if name in table else None)}
             for kind, table in index.tables().items()}
    return ToKey(_articles_to_key(index, last, changed, versions, moved),
                 *_entities_and_dates_to_key(index, last, versions, moved))


def _articles_to_key(index: SiteIndex, last: LastBuild, changed: set[str], versions: list[Version],
                     moved: dict[str, set[str]]) -> set[str]:
    todo = set(changed)
    # An article page links the articles before and after it, by title: the pages whose
    # neighbours moved, and those beside an article that changed (its title may have).
    for article_id in index.reading_order():
        neighbours = index.neighbours(article_id)
        if last.neighbours.get(article_id) != list(neighbours) or changed.intersection(neighbours):
            todo.add(article_id)
    related = index.related
    for v in versions:
        for me in related.reachable(v.events, v.organisations, v.date) - todo:
            threshold = last.last_ranks.get(me)
            if threshold is None:
                todo.add(me)          # a list not full (or not known): anything it can hold enters
                continue
            rank = related.rank(me, v.id, v.events, v.organisations, v.date)
            if rank is not None and rank <= threshold:
                todo.add(me)          # it enters the list, or was on it
    for kind, table in index.tables().items():
        for name in moved[kind]:
            if name in table:
                todo.update(table[name].article_ids)     # pages linking this name link it elsewhere now
    return todo


def _entities_and_dates_to_key(index: SiteIndex, last: LastBuild, versions: list[Version],
                               moved: dict[str, set[str]]) -> tuple[dict[str, set[str]] | None, set[str] | None]:
    if last.months != _months(index):
        return None, None             # a month page came or went: date links on entity pages move
    names: dict[str, set[str]] = {kind: set(moved[kind]) for kind in moved}
    dates: set[str] = set()
    for v in versions:
        names["org"].update(v.organisations, v.event_organisations)
        names["event"].update(v.events)
        names["person"].update(v.people)
        if v.source:
            names["source"].add(v.source)
        names["tag"].update(v.tags)
        dates.update((v.date[:4], v.date[:7]) if v.date else ("undated",))
    if moved["org"]:                  # the pages linking an organisation that moved
        for kind, table in index.tables().items():
            for entry in table.values():
                if moved["org"].intersection([entry.parent, *entry.children, *entry.organisations]):
                    names[kind].add(entry.name)
        # and those listing it as named alongside them (SiteIndex.co_mentioned), which all name it
        # in an article of theirs: the organisations its articles name, more than need be, but
        # without counting every organisation's co-mentions.
        for name in moved["org"] & index.organisations.keys():
            for article_id in index.organisations[name].article_ids:
                names["org"].update(index.organisations_named[article_id])
    # An organisation's page lists events by name, page and date. Which events it lists changes
    # only with an article naming it (keyed above); an event named by a changed article changes
    # the lists it is on only if its page moved or its date (from its earliest report) changed.
    shifted = {name for name in names["event"]
               if name in moved["event"] or last.event_dates.get(name) != _event_date(index, name)}
    structure = last.structure
    for name, entry in index.organisations.items():
        if structure.get(name) != [entry.parent, entry.children]:
            names["org"].add(name)            # a parent or sub-unit inferred from names that came or went
        if shifted.intersection(entry.events) or shifted.intersection(entry.reported_events):
            names["org"].add(name)            # it lists an event whose page or date changed
    return names, dates


def _event_date(index: SiteIndex, name: str) -> str | None:
    entry = index.events.get(name)
    return entry.date if entry else None
