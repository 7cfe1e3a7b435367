"""Plain records that flow between the pipeline stages.

load -> RawPage -> clean -> [CleanArticle] -> convert -> [CleanArticle]
-> extract -> [Article] -> index -> SiteIndex -> render -> files.

Every record is a dataclass of plain values (str, int, lists, dicts of
those), so it pickles across worker processes and serialises to JSON.

Records the build holds by the ten thousand (articles, their entities,
paragraphs, lines) have __slots__: a decoded Organisation took 506 bytes
with its instance dict, 173 without; an Article and its CleanArticle
held 600 bytes of dicts between them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import msgspec

from .seed_ids import seed_id

# What garble repair puts in a text for a character it could not read
# (clean/mojibake.py, clean/utf8_as_gbk.py); no name holds one.
LOST_CHARACTER = "□"


@dataclass(slots=True)
class LineHint:
    """What a saved web page's markup says about one of its lines (load/html.py).

    Evidence for the cleaner, not a verdict: the text rules still decide."""

    tag: str = ""                  # the block element holding the line's text: "h1".."h6", "p", "li", "td", "div", ...
    main: bool = False             # inside the container the page's text density marks as the article
    chrome: str = ""               # why the markup marks the line as page chrome ("nav", "footer",
                                   # "aside", "comments", "link list", ...), or "" when it does not
    link_chars: int = 0            # characters of the line that are link text (<a>)


@dataclass
class RawPage:
    """A seed as the loader found it: decoded text split into lines."""

    seed: str                      # file name, e.g. "000_a44f.txt"
    lines: list[str]               # decoded lines, no line endings; line N is lines[N-1]
    encoding: str                  # the codec that decoded the bytes
    warnings: list[str] = field(default_factory=list)
    html_title: str | None = None  # <title> of a saved web page
    html_meta: dict[str, str] = field(default_factory=dict)  # meta dates, description, ...
    # Saved web pages only (a text dump leaves them empty):
    line_hints: list[LineHint] = field(default_factory=list)   # one per line, lines[N-1] <-> line_hints[N-1]
    # Headline candidates the markup names, by where they come from: "og:title"
    # (og:/twitter: title meta), "h1" (visible <h1> texts in page order), "title" (<title>).
    html_headlines: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Paragraph:
    kind: str                      # "p", "h" (heading) or "caption"
    text: str
    lines: list[int] = field(default_factory=list)  # seed line numbers it came from


@dataclass(slots=True)
class Removed:
    line: int                      # 1-based seed line number
    text: str
    reason: str                    # why cleaning dropped it, for the editor


@dataclass(slots=True)
class Fix:
    """A change cleaning made inside kept text, shown in the editor report."""

    line: int
    kind: str                      # "pinyin", "mojibake", "mojibake-gap", "converted"
    before: str
    after: str


class _KeepsItsId:
    """Room for an article's id once made (CleanArticle.id): a slot of a base class, not a
    field, so never stored, compared nor hashed into a digest."""

    __slots__ = ("_id",)


@dataclass(slots=True)
class CleanArticle(_KeepsItsId):
    """One article of a page after cleaning (and, later, conversion)."""

    seed: str
    part: int
    title: str
    paragraphs: list[Paragraph]
    subtitle: str | None = None
    date: str | None = None        # YYYY-MM-DD
    date_basis: str = "none"
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    script: str = "simplified"     # the original script of the page
    removed: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    lines: tuple[int, int] = (1, 1)  # first and last seed line the article spans
    parts: int = 1                 # how many articles the page holds

    # Not a field: never stored or compared. Asked for about seventy-five times an article
    # a build (750,000 times in a rebuild at 10,000): made once, then read from its slot
    # (seed, part and parts are set once, when cleaning makes the article).
    @property
    def id(self) -> str:
        try:
            return self._id
        except AttributeError:
            self._id = found = article_id(self.seed, self.part, self.parts)
            return found


@dataclass(slots=True)
class Organisation:
    name: str
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None      # canonical name of the parent organisation


@dataclass(slots=True)
class Event:
    name: str
    date: str | None = None
    place: str | None = None
    organisations: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Person:
    name: str
    role: str | None = None
    organisation: str | None = None


@dataclass(slots=True)
class Article:
    """A finished article: cleaned, simplified, with its entities."""

    clean: CleanArticle
    organisations: list[Organisation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    note_html: str | None = None   # editor's note from a sidecar, rendered Markdown

    @property
    def id(self) -> str:
        return self.clean.id

    def to_json(self) -> dict[str, Any]:
        """The record exactly as the data contract in design.md lists it."""
        c = self.clean
        return {
            "id": c.id,
            "seed": c.seed,
            "part": c.part,
            "title": c.title,
            "subtitle": c.subtitle,
            "date": c.date,
            "date_basis": c.date_basis,
            "source": c.source,
            "authors": list(c.authors),
            "editors": list(c.editors),
            "tags": list(c.tags),
            "paragraphs": [{"kind": p.kind, "text": p.text} for p in c.paragraphs],
            "organisations": [{"name": o.name, "aliases": list(o.aliases)} for o in self.organisations],
            "events": [{"name": e.name, "date": e.date, "place": e.place, "organisations": list(e.organisations)}
                       for e in self.events],
            "people": [{"name": p.name, "role": p.role} for p in self.people],
            "script": c.script,
            "removed": [{"line": r.line, "text": r.text, "reason": r.reason} for r in c.removed],
            "warnings": list(c.warnings),
        }


@dataclass(slots=True)
class PreparedArticle:
    """What rendering needs of an article, made beside it in the per-seed worker and cached
    with it, so a build does not redo it for every article of the archive."""

    digest: str     # hash of the whole record: the key of every page that shows the article
    record: str     # its entry of data/articles.json (record_text)
    attention: list[str] = field(default_factory=list)   # review.attention, for the report index
    removed_lines: int = 0
    fixes: int = 0
    body: str = ""          # load.triage.body_fingerprint, which finds the same article in two seeds
    has_text: bool = True   # load.triage.has_article_text: a part with none gets no page
    summary: str = ""       # render.filters.summary and char_count, which every list of articles shows:
    chars: int = 0          # a list made again then needs no article's paragraphs


@dataclass
class SeedOutcome:
    """Everything the build keeps of one seed (and caches by content hash)."""

    seed: str
    lines: list[str] = field(default_factory=list)       # the raw lines, for the cleaning report
    encoding: str = ""
    articles: list[Article] = field(default_factory=list)
    error: str | None = None                             # the seed could not be read
    load_warnings: list[str] = field(default_factory=list)  # read, but with damage or a guess (encoding, cut)
    sidecar_error: str | None = None                     # its sidecar is broken: file:line: message
    prepared: list[PreparedArticle] = field(default_factory=list)   # one per article, for render
    lines_digest: str = ""                               # hash of the raw lines (keys the cleaning reports)

    # Not fields: False while a cached outcome lacks its raw lines and its
    # articles' fixes and removed lines (SeedCache.get / load_details), and
    # while its articles lack their paragraphs (load_bodies).
    details_loaded = True
    bodies_loaded = True


def lines_digest(lines: list[str]) -> str:
    """The hash of a seed's raw lines (the key of its cleaning reports)."""
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def summary(article: Article, limit: int = 90) -> str:
    """The opening of the body, at most `limit` characters (not words), ending in '…' when cut."""
    text = ""
    for p in article.clean.paragraphs:
        if p.kind == "p":
            text += p.text
            if len(text) >= limit:
                break
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def char_count(article: Article) -> int:
    """Characters in the body, the measure Chinese readers use for length."""
    return sum(len("".join(p.text.split())) for p in article.clean.paragraphs)


# What data/articles.json puts between two records (one a line), and the record spool after
# each: records next to each other in both are copied as one range.
RECORD_SEPARATOR = b",\n"


def record_text(article: Article) -> str:
    """The article's record as data/articles.json holds it: one compact line (compact_json)."""
    return compact_json(article.to_json())


def compact_json(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, separators=(",", ":")): no spaces, no line breaks.

    By msgspec, encoded in C: json.dumps runs in Python here, and the workers
    write every record of the archive. Compact because the indented file was
    a sixth of the site's bytes (issue 21's budget); one record a line keeps
    it readable with grep, head and diff.
    """
    return msgspec.json.encode(value).decode("utf-8")


@lru_cache(maxsize=1 << 18)   # asked for millions of times by the index and render stages
def article_id(seed: str, part: int, parts: int = 1) -> str:
    """Stable id from the seed's file name (seed_ids.seed_id), plus -N on a page of several
    articles: always safe as a file name, and never another seed's id, not even by case."""
    safe = seed_id(seed)
    return safe if parts == 1 else f"{safe}-{part}"


def entity_names(article: Article) -> set[str]:
    """Every name of the article the index gives a slug or sorts by its pinyin."""
    names = {o.name for o in article.organisations} | {p.name for p in article.people}
    for event in article.events:
        names.add(event.name)
        names.update(event.organisations)
    if article.clean.source:
        names.add(article.clean.source)
    names.update(article.clean.tags)
    return names
