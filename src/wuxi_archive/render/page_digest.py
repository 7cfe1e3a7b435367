"""A page's digest: a hash of everything its template is given.

A page is its output path, its template and its context (the values the
template is rendered with). Its digest hashes the three, salted with the
code, the config and the templates (page_keys.PageKeys), so a rebuild
keeps a page exactly when nothing its template could show has changed:
correct by construction, with no list of what each template shows kept by
hand. A value of a type the digest does not know is an error, not a guess.

Two kinds of value are not hashed field by field, because a page shows
many of them and the build already holds a hash of each:

- an article is its record digest (plain.record_digest: every field of its
  data/articles.json entry), made once per build;
- every string carries where Links sends it: the pages of the organisations,
  events, people, sources and tags of that name, and a date's page. Templates
  link names through Links (`links.org(name)`), whose answers depend on the
  whole index (a slug that moved when two names came to share one, a month
  that gained its first article), so a page linking a name is rewritten
  when the name's page moves, whatever the template does with it. An
  article carries the answers for its names and dates the same way.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from itertools import chain
from typing import Callable, Iterable

from ..index import SiteIndex
from ..page_keys import PageKeys
from ..records import Article, entity_names
from .links import Links
from .page_templates import ArticleCard

_DATE = re.compile(r"\d{4}-\d{2}")
_JSON_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
BIG = 8         # a dataclass holding lists this long in all is hashed once and remembered
# An article, or a render worker's card of one (whose part is given: PageDigests.export).
_ARTICLES = (Article, ArticleCard)


class PageDigests:
    """Digests of the pages of one build (see the module's docstring)."""

    def __init__(self, keys: PageKeys, index: SiteIndex, links: Links,
                 record_digest: Callable[[Article], str], known: tuple[dict, dict] | None = None) -> None:
        self._salt = keys.salt
        self._links = links
        self._record_digest = record_digest
        self._objects: dict[int, tuple[object, str]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._escaped: dict[str, str] = {}        # where, by a string's escaped JSON form
        # JSON's encoder in C, made once (JSONEncoder.encode makes one at every call).
        self._write_json = _c_json_encoder(self._object) or json.JSONEncoder(
            ensure_ascii=False, check_circular=False, separators=(",", ":"), default=self._object).iterencode
        if known is not None:
            # Given (export) where every string links and every article's part: an index of
            # ArticleCards (a render worker's) holds too little to make them.
            self._where, self._articles = known
            return
        # Where Links sends a string, for every name with a page and every date an article or
        # event gives (other strings are looked up when met): ">", the pages of that name
        # ("folder/slug|" each) and, for a date, its page; "" for nowhere. A name may read as a
        # date (a tag "2024-05-01"): it carries both, as Links answers both.
        where: dict[str, str] = {}
        for folder, table in index.tables().items():
            for name, entry in table.items():
                where[name] = f"{where.get(name, '>')}{folder}/{entry.slug}|"
        dates = {name for name in where if _DATE.match(name)}
        for article in index.articles:
            dates.update(iso for iso in (article.clean.date, *(event.date for event in article.events)) if iso)
        for iso in dates:
            where[iso] = where.get(iso, ">") + links.date(iso)
        self._where = where
        self._articles: dict[str, str] = {}       # article id -> its part of a digest
        # (_objects: dataclass values (index entries) by identity, with the value itself so
        # that the identity cannot be reused by another object while the build runs.)

    def export(self, articles: Iterable[Article]) -> tuple[dict, dict]:
        """Where every string links and the part of every one of `articles`: what PageDigests
        over the same index, given them (`known`), needs to make the same digests."""
        parts, known = {}, self._articles
        for article in articles:
            article_id = article.id         # a property a level down: asked once here
            parts[article_id] = known.get(article_id) or self.article(article)
        return dict(self._where), parts

    def of(self, template: str, relpath: str, root: str, context: dict[str, object]) -> str:
        """The digest of the page at `relpath`, rendered from `template` with `root` and `context`."""
        # A list of articles (a page of a list) as their parts, apart from the JSON: one call,
        # not a call of JSON's hook for each (a build's pages list hundreds of thousands), and
        # parts are not strings whose links are looked up (they hold their own).
        shown, lists = {}, []
        for name, value in context.items():
            if type(value) is list and value and type(value[0]) in _ARTICLES and all(
                    type(a) in _ARTICLES for a in value):
                lists += (f"{name}:{len(value)}", *[self._articles.get(a.id) or self.article(a) for a in value])
            else:
                shown[name] = value
        return self._hash(f"{self._encode([template, relpath, root, shown])}\1{' '.join(lists)}")

    def where(self, text: str) -> str:
        """Where Links sends `text` (the pages named so, the page of a date) after a ">"; "" for nowhere.
        A string met here first names no page (every name is known): only a date's page is looked up."""
        found = self._where.get(text)
        if found is None:
            found = f">{self._links.date(text)}" if _DATE.match(text) else ""
            self._where[text] = found
        return found

    def article(self, article: Article) -> str:
        """An article's part of a digest: a hash of its record digest and of where its names and
        dates link (a page lists dozens of articles: each is a short hash there)."""
        article_id = article.id
        found = self._articles.get(article_id)
        if found is None:
            if type(article) is not Article:
                raise KeyError(f"no digest part was given for article {article_id}")
            strings = sorted(_strings_of(article))
            shown = self._record_digest(article) + "".join(chain.from_iterable(zip(strings, self._answers(strings))))
            found = self._articles[article_id] = "a" + self._hash(shown)
        return found

    def _encode(self, value: object) -> str:
        """`value` as JSON (objects by `_object`), followed by where Links sends each string in it."""
        text = "".join(self._write_json(value, 0))
        # JSON's strings are between its quotes, every other piece: a split, in C; a regular
        # expression only where an escaped quote is.
        strings = _JSON_STRING.findall(text) if '\\"' in text else text.split('"')[1::2]
        # A string JSON escaped: its JSON form may spell another name (a"b is written a\"b, which
        # may be a name of its own), so it is looked up as itself.
        answers = ([self._where_escaped(s) for s in strings] if "\\" in text else self._answers(strings))
        return text + "\0" + "\0".join(answers)

    def _answers(self, strings: list[str]) -> list[str]:
        """where for each of `strings`: one lookup in C for all; `where` only for those not met
        before (a page has a few: its own path, its title), found by a scan in C too."""
        answers = list(map(self._where.get, strings))
        at = -1
        try:
            while True:
                at = answers.index(None, at + 1)
                answers[at] = self.where(strings[at])
        except ValueError:
            return answers      # type: ignore[return-value]

    def _where_escaped(self, text: str) -> str:
        """where, for a string as JSON wrote it (escapes kept apart from the strings themselves)."""
        if "\\" not in text:
            return self.where(text)
        found = self._escaped.get(text)
        if found is None:
            found = self._escaped[text] = self.where(json.loads(f'"{text}"'))
        return found

    def _hash(self, encoded: str) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(encoded.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _object(self, value: object) -> object:
        """What JSON holds for a value it cannot write itself: an article's part; a dataclass's
        class and fields (a long one hashed once, with where its strings link)."""
        cls = type(value)
        if cls in _ARTICLES:
            return self._articles.get(value.id) or self.article(value)      # type: ignore[attr-defined]
        names = self._fields.get(cls)
        if names is None:
            if not dataclasses.is_dataclass(value) or isinstance(value, type):
                raise TypeError(f"a page's context holds a {cls.__name__}, which its digest cannot hash: give "
                                "the template plain data (str, numbers, lists, dicts, dataclasses, articles)")
            names = self._fields[cls] = (cls.__name__, *(f.name for f in dataclasses.fields(value)))
        made = self._objects.get(id(value))
        if made is not None and made[0] is value:
            return made[1]
        fields = [names[0]]
        size = 0
        for name in names[1:]:
            field = getattr(value, name)
            if type(field) is list:
                size += len(field)
            fields.append(field)
        if size < BIG:
            return fields
        # An index entry listing thousands of articles is on every page of its lists: hashed
        # once here (with where its strings link), not again in every page's digest.
        code = "h" + self._hash(self._encode(fields))
        self._objects[id(value)] = (value, code)
        return code


def _c_json_encoder(default: Callable[[object], object]) -> Callable[[object, int], list[str]] | None:
    """The C encoder json.dumps uses (compact, non-ASCII kept, `default` for other objects)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    return make(None, default, json.encoder.encode_basestring, None, ":", ",", False, False, True)


def _strings_of(article: Article) -> list[str]:
    """The names and dates an article's pages may link (besides its own page), repeats kept.
    A list made by extending, not a generator: every article is asked once a build, and
    this takes 4.5 µs with the sort where yielding each string took 5.0 (431 synthetic articles)."""
    strings = list(entity_names(article))
    for organisation in article.organisations:
        strings += organisation.aliases
        if organisation.parent:
            strings.append(organisation.parent)
    strings += [event.date for event in article.events if event.date]
    strings += [person.organisation for person in article.people if person.organisation]
    if article.clean.date:
        strings.append(article.clean.date)
    return strings
