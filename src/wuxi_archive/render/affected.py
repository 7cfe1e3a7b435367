"""Which article pages a rebuild must key again; the others keep the key the last build gave them.

Keying an article page means making its related list and hashing all it
shows: at 10,000 articles, half a second on each core for every rebuild,
however small the change. But an article page shows only its own record,
the site paths of the names it links, and its related list (with the
related articles' titles and dates). So after a change, the pages that can
differ are those of:

- the articles added or changed (their record digest differs);
- the articles naming a name whose page moved (a slug changed, as when two
  names come to share one) - found by comparing the last build's slugs;
- the articles whose related list a changed, added or removed article
  enters or leaves. It can only reach the lists of articles sharing an
  event or organisation with its old or new version, or dated near either
  (RelatedArticles.reachable); of those, it enters or leaves a full list
  only if it ranks, old or new, no lower than the list's last article did
  (the last build saved that rank for every list). Lists rank by a total
  order (RelatedArticles.rank), so this is exact: the others keep their
  five articles.

Every other article page is kept under its last key, unkeyed. Without what
this needs from the last build (its articles.json and index, the slugs and
ranks it saved under that file's key, the same templates, config and code)
every page is keyed as before. tests/test_affected.py checks rebuilds after
random changes against cold builds.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from ..cache import PageKeys, load_memo, save_memo
from ..index import EntityEntry, SiteIndex
from ..index.related import Rank
from ..records import Article
from .records_file import ARTICLES_JSON_PATH, PreviousRecords
from .writer import SiteWriter

Slugs = dict[str, dict[str, str]]      # "org", "event", "person", "source" -> name -> slug


def _tables(index: SiteIndex) -> dict[str, dict[str, EntityEntry]]:
    return {"org": index.organisations, "event": index.events, "person": index.people, "source": index.sources}


def slug_tables(index: SiteIndex) -> Slugs:
    """Every name's slug, by kind of page."""
    return {kind: {name: entry.slug for name, entry in table.items()} for kind, table in _tables(index).items()}


def _salt(keys: PageKeys) -> str:
    return hashlib.sha256(keys.salt).hexdigest()


def save_page_inputs(file: Path, articles_json_key: str, keys: PageKeys, index: SiteIndex,
                     last_ranks: dict[str, Rank | None]) -> None:
    """Save what the next build needs to find the pages it must key again, under the key of
    the articles.json this build leaves (so it is used only with that file): the slugs, and
    where the last article on each related list ranks (`last_ranks`, by article id)."""
    save_memo(file, articles_json_key, {"salt": _salt(keys), "slugs": slug_tables(index),
                                        "last_ranks": last_ranks})


class LastBuild:
    """What articles_to_key knows of the last build."""

    def __init__(self, previous: PreviousRecords, slugs: Slugs, last_ranks: dict[str, Rank | None]) -> None:
        self.records = previous
        self.slugs = slugs
        self.last_ranks = last_ranks

    @classmethod
    def load(cls, file: Path, keys: PageKeys, writer: SiteWriter, previous: PreviousRecords | None) -> LastBuild | None:
        """The last build's saved inputs, if they belong to the articles.json on disk and were
        made by the same code, config and templates."""
        entry = writer.previous.get(ARTICLES_JSON_PATH)
        if previous is None or entry is None:
            return None
        saved = load_memo(file, entry[2])
        try:
            if saved.get("salt") != _salt(keys):
                return None
            slugs = {kind: dict(table) for kind, table in saved["slugs"].items()}
            ranks = {str(i): (int(r[0]), int(r[1]), str(r[2])) if r is not None else None
                     for i, r in saved["last_ranks"].items()}
            return cls(previous, slugs, ranks)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None


Footprint = tuple[str, list[str], list[str], str | None]    # id, events, organisations, date


def articles_to_key(index: SiteIndex, last: LastBuild | None, digest_of: Callable[[Article], str]) -> set[str] | None:
    """The ids of the articles whose pages must be keyed again; None when every page must be
    (no usable last build)."""
    if last is None:
        return None
    records = last.records
    current = {a.id for a in index.articles}
    changed = {a.id for a in index.articles if records.digest(a.id) != digest_of(a)}
    footprints: list[Footprint] = []
    for article_id in changed:
        a = index.by_id[article_id]
        footprints.append((a.id, [e.name for e in a.events], [o.name for o in a.organisations], a.clean.date))
    for article_id in [*changed, *(i for i in records.ids() if i not in current)]:
        if records.digest(article_id) is None:
            continue                                   # new: no old version
        old = records.read(article_id)
        try:
            footprints.append((article_id, [e["name"] for e in old["events"]],   # type: ignore[index]
                               [o["name"] for o in old["organisations"]], old["date"]))  # type: ignore[index]
        except (KeyError, TypeError):
            return None
    todo = set(changed)
    related = index.related
    for other, events, organisations, day in footprints:
        for me in related.reachable(events, organisations, day) - todo:
            threshold = last.last_ranks.get(me)
            if threshold is None:
                todo.add(me)          # a list not full (or not known): anything it can hold enters
                continue
            rank = related.rank(me, other, events, organisations, day)
            if rank is not None and rank <= threshold:
                todo.add(me)          # it enters the list, or was on it
    for kind, table in _tables(index).items():
        before = last.slugs.get(kind, {})
        for name, entry in table.items():
            if before.get(name) != entry.slug:
                todo.update(entry.article_ids)       # pages linking this name link it elsewhere now
    return todo
