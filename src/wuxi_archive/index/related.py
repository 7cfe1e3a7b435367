"""Related articles: shared organisations and events first, then nearness in time."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date
from itertools import islice
from sys import intern
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Optional

from ..plain import json_decoder, to_json
from ..records import Article

# An event shared by two articles says more about them than a shared
# organisation does (the organisation may be a large, often named body).
EVENT_WEIGHT = 3
ORG_WEIGHT = 1
# Unrelated articles published within this many days still count as related.
NEAR_DAYS = 31
# A name shared by this many articles keeps its bitset of sharers while lists are made
# (_Numbering.sharers); a rarer one's is made again each time one of its few articles asks.
KEEP_SHARERS = 16
# Rows of lists made (RelatedArticles.settle) encoded and saved at once.
ROWS_AT_ONCE = 4096


class RelatedLink(NamedTuple):
    """One related article and why: the names it shares, or none (near in time).
    (A tuple: plain data to a page's digest, which JSON writes without a hook.)"""

    article_id: str
    shared: list[str]
    days_apart: int | None


def _day(article: Article) -> int | None:
    return _ordinal(article.clean.date)


def _ordinal(iso: str | None) -> int | None:
    try:
        return date.fromisoformat(iso).toordinal() if iso else None
    except ValueError:
        return None


def _named(article: Article) -> dict[tuple[str, str], None]:
    """The article's events and organisations as keys, each once, in order."""
    return dict.fromkeys([*(("e", e.name) for e in article.events), *(("o", o.name) for o in article.organisations)])


def _weighed(events: Iterable[str], organisations: Iterable[str]) -> set[tuple[tuple[str, str], int]]:
    """These names as keys, each once, with their weights."""
    return {(("e", name), EVENT_WEIGHT) for name in events} | {(("o", name), ORG_WEIGHT) for name in organisations}


def _keys(article: Article) -> list[tuple[str, str, int]]:
    return [(kind, name, EVENT_WEIGHT if kind == "e" else ORG_WEIGHT) for kind, name in _named(article)]


Key = tuple[str, str]      # ("e" or "o", name)
Rank = tuple[int, int, str]     # (minus the shared names' weight, days apart, id): a list's order
Version = tuple[list[str], list[str], Optional[str]]     # what a list was made from: events, organisations, date
# A list kept between builds: what it was made from, the list, where its last article ranks (None: not full).
SavedRow = tuple[Version, list[RelatedLink], Optional[Rank]]


class _Numbering:
    """Articles numbered in one order, and each key's sharers as a bitset in that order.

    Scoring every sharer of every key is quadratic (a few organisations are
    named by most articles). With bitsets, adding up one article's keys and
    picking the best-scored sharers costs a few big-integer operations per key.
    """

    def __init__(self, ordered: list[str], owners: dict[Key, list[str]]) -> None:
        self.ids = ordered
        self.position = {article_id: n for n, article_id in enumerate(ordered)}
        self._owners = owners
        self._sharers: dict[Key, int] = {}

    def sharers(self, key: Key) -> int:
        """The bitset of the articles naming `key` (made when first asked: a rebuild asks few).
        Only a name of at least KEEP_SHARERS articles keeps its bitset: a bitset takes a bit
        of every article, so keeping one for every name grows with the square of the archive
        (about 300 MB at 100,000 articles), while most names are named by two or three."""
        mask = self._sharers.get(key)
        if mask is None:
            owners = self._owners[key]
            bits = bytearray(len(self.ids) // 8 + 1)     # set bit by bit in bytes, not in a growing int
            for n in map(self.position.__getitem__, owners):
                bits[n >> 3] |= 1 << (n & 7)
            mask = int.from_bytes(bits, "little")
            if len(owners) >= KEEP_SHARERS:
                self._sharers[key] = mask
        return mask

    def score_levels(self, keys: list[tuple[str, str, int]], me: str):
        """(score, bitset of the articles with exactly that score), highest score first; `me` left out."""
        planes: list[int] = []          # planes[i]: articles whose score has bit i set
        for kind, name, weight in keys:
            _add(planes, self.sharers((kind, name)), weight)
        everyone = ((1 << len(self.ids)) - 1) & ~(1 << self.position[me])
        for score in range(sum(w for _, _, w in keys), 0, -1):
            if score >> len(planes):
                continue
            level = everyone
            for i in range(len(planes) - 1, -1, -1):
                level &= planes[i] if score >> i & 1 else ~planes[i]
                if not level:
                    break
            if level:
                yield score, level


def _add(planes: list[int], mask: int, weight: int) -> None:
    """Add `weight` to the count of every article in `mask` (a binary counter, one bitset per bit)."""
    bit = 0
    while weight:
        if weight & 1:
            carry, i = mask, bit
            while carry:
                if i == len(planes):
                    planes.append(0)
                planes[i], carry = planes[i] ^ carry, planes[i] & carry
                i += 1
        weight >>= 1
        bit += 1


def _lowest(mask: int, count: int) -> list[int]:
    """Positions of the `count` lowest set bits."""
    return list(islice(_ascending(mask), count))


def _ascending(mask: int):
    """Positions of the set bits, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _highest(mask: int):
    """Positions of the set bits, highest first."""
    while mask:
        top = mask.bit_length() - 1
        yield top
        mask ^= 1 << top


def related_articles(articles: list[Article], limit: int = 5) -> dict[str, list[RelatedLink]]:
    """For each article, up to `limit` others: most shared first, then nearest in time.

    Articles sharing nothing fill the remaining places when they are dated
    near the article (within `NEAR_DAYS`), marked by an empty `shared`.
    """
    related = RelatedArticles(articles, limit)
    return {a.id: related.get(a.id, []) for a in articles}


# What making and ranking lists needs, let go by RelatedArticles.settle().
_MAKING = ("members", "days", "by_day", "ordinals", "by_time", "by_id")


class RelatedArticles:
    """related_articles, one article at a time, when asked (`get`).

    The site index holds this instead of every list: a list is made when
    asked for, or taken from the last build's (`reuse`) where no change
    reaches it.
    """

    def __init__(self, articles: list[Article], limit: int = 5) -> None:
        self.limit = limit
        owners: dict[Key, list[str]] = defaultdict(list)
        ids = [a.id for a in articles]      # a property two levels down: asked once an article
        for a, article_id in zip(articles, ids):
            for key in _named(a):
                owners[key].append(article_id)
        self.articles = dict(zip(ids, articles))
        self.members = {k: set(owned) for k, owned in owners.items()}
        days = self.days = {article_id: _day(a) for a, article_id in zip(articles, ids)}
        # Dated articles by day, so the articles near one are a slice, not a scan of all.
        self.by_day = sorted((d, i) for i, d in days.items() if d is not None)
        self.ordinals = [d for d, _ in self.by_day]
        # Numbered by day (then id), undated last by id: a dated article's nearest
        # sharers are the set bits next to its own. An undated one ranks by id alone.
        self.by_time = _Numbering([i for _, i in self.by_day] + sorted(i for i, d in days.items() if d is None),
                                  owners)
        self.by_id = _Numbering(sorted(days), owners)
        self._made: dict[str, list[RelatedLink]] = {}
        self._reused: set[str] = set()        # lists taken from saved rows (reuse), not made
        self._saved: set[str] = set()         # the ids of the rows reuse was given

    def keys(self, me: str) -> list[tuple[str, str, int]]:
        """The events and organisations article `me` names, with their weights (made each time:
        a list asks once, its row once more, and keeping them took 9 MB at 10,000 articles)."""
        return _keys(self.articles[me])

    def rank(self, me: str, other: str, events: Iterable[str], organisations: Iterable[str],
             day: str | None) -> Rank | None:
        """Where article `other`, naming these events and organisations and dated `day`, ranks
        on `me`'s list (lower first: most shared, then nearest in time, then id); None when it
        cannot be on it (nothing shared and not near in time)."""
        # Over the other's few names, not over me's.
        score = sum(weight for key, weight in _weighed(events, organisations) if me in self.members.get(key, ()))
        return self._ranked(me, other, score, _ordinal(day))

    def ranks(self, lists: Iterable[str], other: str, events: Iterable[str], organisations: Iterable[str],
              day: str | None) -> Iterator[tuple[str, Rank | None]]:
        """rank(me, other, ...) for each `me` of `lists`. A rebuild ranks one changed article
        on every list it can reach (97,000 of them at 100,000 articles): its names are weighed
        once, and every list's score is counted over the names' members, not asked of each."""
        scores: dict[str, int] = defaultdict(int)
        for key, weight in _weighed(events, organisations):
            for me in self.members.get(key, ()):
                scores[me] += weight
        theirs = _ordinal(day)
        for me in lists:
            yield me, self._ranked(me, other, scores.get(me, 0), theirs)

    def _ranked(self, me: str, other: str, score: int, theirs: int | None) -> Rank | None:
        mine = self.days[me]
        if mine is None:
            return (-score, 0, other) if score else None      # an undated list ranks by id alone
        apart = 10**9 if theirs is None else abs(theirs - mine)
        return (-score, apart, other) if score or apart <= NEAR_DAYS else None

    def last_rank(self, me: str) -> Rank | None:
        """The rank of the last article on `me`'s list when the list is full, else None
        (any article that can be on it would enter)."""
        made = self.get(me) or []
        if len(made) < self.limit:
            return None
        last = made[-1].article_id
        score = sum(weight for kind, name, weight in self.keys(me) if last in self.members[(kind, name)])
        # Ranked as rank() ranks any article: reuse compares the two. An article on the list
        # shares a name or is near in time, so this is never None.
        return self._ranked(me, last, score, self.days[last])

    def reachable(self, events: Iterable[str], organisations: Iterable[str], day: str | None) -> set[str]:
        """The articles whose list an article naming these events and organisations, dated
        `day` (ISO), could enter or leave: those sharing one of the names, and the dated ones
        within NEAR_DAYS of it. (A list ranks by shared names, then by time; an article
        sharing nothing enters one only as a near-in-time filler.)"""
        found: set[str] = set()
        for key in [*(("e", name) for name in events), *(("o", name) for name in organisations)]:
            found |= self.members.get(key, set())
        ordinal = _ordinal(day)
        if ordinal is not None:
            found.update(i for _, i in self.by_day[bisect_left(self.ordinals, ordinal - NEAR_DAYS):
                                                   bisect_right(self.ordinals, ordinal + NEAR_DAYS)])
        return found

    def _apart(self, one: str, other: str) -> int | None:
        if self.days[one] is None or self.days[other] is None:
            return None
        return abs(self.days[one] - self.days[other])  # type: ignore[operator]

    def _nearest(self, me: str, level: int, count: int) -> list[str]:
        """The `count` articles of a bitset nearest `me` in time (ties by id)."""
        days = self.days
        if days[me] is None:
            return [self.by_id.ids[n] for n in _lowest(level, count)]
        ids = self.by_time.ids
        here = self.by_time.position[me]
        dated = (1 << len(self.by_day)) - 1
        undated = level & ~dated
        picked = [ids[n] for n in _lowest(undated, count)]
        later = level & dated & ~((1 << (here + 1)) - 1)
        earlier = level & ((1 << here) - 1)
        for side in (_ascending(later), _highest(earlier)):
            taken: list[str] = []
            for n in side:
                other = ids[n]
                # Stop after `count`, but not inside a day: its ids must all compete.
                if len(taken) >= count and days[other] != days[taken[-1]]:
                    break
                taken.append(other)
            picked += taken
        day = days[me]     # dated here; the time key inlined: this sort runs for every article
        return sorted(picked, key=lambda o: (10**9 if days[o] is None else abs(days[o] - day), o))[:count]

    def get(self, me: str, default: list[RelatedLink] | None = None) -> list[RelatedLink] | None:
        """The article's related list (made on first ask); `default` for an unknown id."""
        if me not in self.articles:
            return default
        made = self._made.get(me)
        if made is None:
            made = self._made[me] = self._make(me)      # every list is made before settle()
        return made

    # -- lists kept between builds ---------------------------------------------------------------

    def _version(self, me: str) -> Version:
        article = self.articles[me]
        return [e.name for e in article.events], [o.name for o in article.organisations], article.clean.date

    def reuse(self, saved: Mapping[str, bytes] | Iterable[tuple[str, bytes]]) -> int:
        """Take the lists of `saved` (the rows `settle` saved in earlier builds, by article
        id, or as (id, row) pairs) that no change since can reach; returns how many articles
        changed, came or went (all, when nothing is saved).

        An article's list depends on its own events, organisations and date and on those of
        the others. So a list is made again when its article changed; and, for every
        version of a changed, new or removed article (old and new), on the lists it can
        enter or leave: those it can reach (`reachable`) where it ranks, old or new, no
        lower than the list's last article did (`last_rank`; lists rank by a total order,
        so this is exact). Every other list is the one saved. A row that does not read
        back is left out: its list is made again.

        Rows are read one at a time and little is kept of each: of an unchanged article its
        list, its strings the index's own (every id and name read back was a new string:
        holding every row decoded took 690 MB at 100,000 articles, for lists that need 100),
        and where its last article ranks; of the others what their list was made from.
        """
        current = {me: self._version(me) for me in self.articles}
        ids = {me: me for me in self.articles}
        decode = json_decoder(SavedRow)
        unchanged: dict[str, tuple[list[RelatedLink], Rank | None]] = {}
        versions: dict[str, Version] = {}         # what the rows of changed or gone articles were made from
        self._saved = set()
        for me, data in (saved.items() if isinstance(saved, Mapping) else saved):
            me = ids.get(me, me)
            self._saved.add(me)
            try:
                version, links, last = decode(data)
            except ValueError:
                continue
            if current.get(me) != version:
                versions[me] = version
                continue
            for link in links:
                link.shared[:] = map(intern, link.shared)
            unchanged[me] = ([RelatedLink(ids.get(link.article_id, link.article_id), link.shared,
                                          link.days_apart) for link in links], last)
        if not unchanged and not versions:
            return len(self.articles)
        changed = self.articles.keys() - unchanged.keys()
        gone = sorted(versions.keys() - self.articles.keys())
        todo = set(changed)
        shown = [(me, *current[me]) for me in sorted(changed)]
        shown += [(me, *versions[me]) for me in sorted(changed) + gone if me in versions]
        for other, events, organisations, day in shown:
            reached = self.reachable(events, organisations, day) - todo
            for me, rank in self.ranks(reached, other, events, organisations, day):
                threshold = unchanged[me][1]      # not in todo: unchanged
                if threshold is None or (rank is not None and rank <= threshold):
                    todo.add(me)        # a list not full takes anything; else it enters or was on it
        for me in self.articles.keys() - todo:
            self._made[me] = unchanged[me][0]
            self._reused.add(me)
        return len(changed) + len(gone)

    def settle(self, save: Callable[[dict[str, bytes], list[str]], None]) -> None:
        """Make every list not made yet; give `save` what `reuse` needs next time and the store
        does not hold, then let go of what making a list needs (each name's members, the
        bitsets of the most named, the days: about 100 MB at 30,000 articles, which a build
        would otherwise hold to its end). `get` still gives every list; none can be made or
        ranked again (`reuse`, `rank`, `last_rank` and `export` raise AttributeError).

        `save(rows, gone)` is given a row (the list, where its last article ranks, what it
        was made from) for each list made this build, by article id, ROWS_AT_ONCE rows a
        call (all at once, they were 1.9 KB an article: 190 MB at 100,000), and last the ids
        of saved rows whose article is gone. A list taken from a row is not saved again: its
        last article's rank changes only when that article does, and then `reuse` made the
        list again. A row JSON cannot hold (a lone surrogate in a name) is among those
        gone: its list is made again next time."""
        for me in self.articles:
            self.get(me)
        made = sorted(self.articles.keys() - self._reused)
        unwritable: set[str] = set()
        for at in range(0, len(made), ROWS_AT_ONCE):
            rows, bad = self._rows(made[at:at + ROWS_AT_ONCE])
            unwritable |= bad
            save(rows, [])
        save({}, sorted((self._saved - self.articles.keys()) | unwritable))
        for name in _MAKING:
            delattr(self, name)

    def __getattr__(self, name: str) -> object:
        # Called only for an attribute not found: one settle() let go of.
        if name in _MAKING:
            raise AttributeError(f"RelatedArticles.{name} was let go by settle(): no list can be made or ranked now")
        raise AttributeError(name)

    def export(self) -> dict[str, bytes]:
        """Every list's row, as `settle` saves them: for `reuse`."""
        return self._rows(self.articles)[0]

    def _rows(self, ids: Iterable[str]) -> tuple[dict[str, bytes], set[str]]:
        """The rows of these articles' lists, and the ids of those JSON cannot write."""
        rows, unwritable = {}, set()
        for me in sorted(ids):
            try:
                rows[me] = to_json((self._version(me), self.get(me) or [], self.last_rank(me)))
            except UnicodeEncodeError:
                unwritable.add(me)
        return rows, unwritable

    def _make(self, me: str) -> list[RelatedLink]:
        limit, days, members = self.limit, self.days, self.members
        mine = self.keys(me)
        numbering = self.by_time if days[me] is not None else self.by_id
        ranked: list[str] = []
        for _, level in numbering.score_levels(mine, me):
            ranked += self._nearest(me, level, limit - len(ranked))
            if len(ranked) == limit:
                break
        links = [RelatedLink(o, [name for kind, name, _ in mine if o in members[(kind, name)]], self._apart(me, o))
                 for o in ranked]
        day = days[me]
        if len(links) < limit and day is not None:
            window = self.by_day[bisect_left(self.ordinals, day - NEAR_DAYS):bisect_right(self.ordinals, day + NEAR_DAYS)]
            near = [o for _, o in window if o != me and not any(o in members[(k, n)] for k, n, _ in mine)]
            near.sort(key=lambda o: (10**9 if days[o] is None else abs(days[o] - day), o))
            links += [RelatedLink(o, [], self._apart(me, o)) for o in near[: limit - len(links)]]
        return links
