"""Editor overrides: the sidecar `seeds/<seed stem>.yaml` beside a seed.

A sidecar corrects what cleaning got wrong: title, date, source, authors,
editors, organisations, events, lines to keep or drop, and an editor's note in
Markdown; `articles: {2: {...}}` does the same for one article of a page
holding several. Top-level fields apply to every article of the page and a
per-article entry wins over them. Every error names the file and the line.
"""
from __future__ import annotations

import datetime as dt
import difflib
import errno
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .config import ConfigError
from .safe_yaml import LimitedLoader, compose_text, describe
from .records import Article, CleanArticle, Event, Organisation, Paragraph, RawPage, Removed

SIDECAR_SUFFIX = ".yaml"
ARTICLE_KEYS = ("title", "date", "source", "authors", "editors", "organisations", "events", "keep_lines",
                "drop_lines", "note")
SIDECAR_KEYS = ARTICLE_KEYS + ("articles",)
EVENT_KEYS = ("name", "date", "place", "organisations")
DROP_REASON = "dropped by the editor (sidecar drop_lines)"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SidecarError(ConfigError):
    """A sidecar that cannot be used; carries file and line for `check`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass
class ArticleOverride:
    """What an editor set for one article (or, at the top level, for all)."""

    title: str | None = None
    date: str | None = None
    clear_date: bool = False                 # `date: null`: the page has no knowable date
    source: str | None = None
    authors: list[str] | None = None         # `authors: []` clears the names cleaning found
    editors: list[str] | None = None
    organisations: list[Organisation] | None = None
    events: list[Event] | None = None
    keep_lines: list[int] = field(default_factory=list)
    drop_lines: list[int] = field(default_factory=list)
    note: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)   # key -> line in the sidecar


@dataclass
class Sidecar:
    file: str                                # path as given, for messages
    page: ArticleOverride
    articles: dict[int, ArticleOverride] = field(default_factory=dict)
    articles_line: int = 1

    def for_part(self, part: int) -> ArticleOverride:
        """The page-wide fields with this article's own entry laid over them."""
        own = self.articles.get(part)
        if own is None:
            return self.page
        merged = replace(self.page, keep_lines=[], drop_lines=[], key_lines=dict(self.page.key_lines))
        for name in ARTICLE_KEYS:
            if name in own.key_lines and name not in ("keep_lines", "drop_lines"):
                setattr(merged, name, getattr(own, name))
                merged.key_lines[name] = own.key_lines[name]
        merged.clear_date = own.clear_date if "date" in own.key_lines else self.page.clear_date
        return merged

    def all_line_numbers(self) -> list[tuple[str, int, int]]:
        """(key, seed line, sidecar line) for every keep/drop line, page-wide and per article."""
        out = []
        for entry in [self.page, *self.articles.values()]:
            for key in ("keep_lines", "drop_lines"):
                out += [(key, n, entry.key_lines.get(key, 1)) for n in getattr(entry, key)]
        return out


def sidecar_path(seed_path: Path) -> Path:
    return seed_path.with_name(sidecar_name(seed_path))


def sidecar_name(seed_path: Path) -> str:
    """The file name of the seed's sidecar: its name with .yaml for its suffix."""
    return seed_path.stem + SIDECAR_SUFFIX


def sidecar_digest(seed_path: Path) -> str:
    """Hash of the sidecar's bytes ('' when there is none), for the build cache."""
    try:
        return hashlib.sha256(sidecar_path(seed_path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:     # a seed name so long its sidecar's cannot exist
            return ""
        raise


def load_sidecar(seed_path: Path) -> Sidecar | None:
    """The sidecar of a seed, or None when the seed has none."""
    path = sidecar_path(seed_path)
    try:
        if not path.is_file():
            return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:     # a seed name so long its sidecar's cannot exist
            return None
        raise SidecarError(str(path), 1, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SidecarError(str(path), 1, f"cannot be read ({exc})") from None
    return parse_sidecar(text, str(path))


def parse_sidecar(text: str, file: str) -> Sidecar:
    """Parse and validate a sidecar's text; `file` names it in errors."""
    try:
        root, loader = compose_text(text)       # limits on size, nesting, aliases, integers
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SidecarError(file, mark.line + 1 if mark else 1,
                           f"not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if root is None:
        return Sidecar(file=file, page=ArticleOverride())
    reader = _NodeReader(file, loader)
    items = reader.mapping(root, SIDECAR_KEYS, "a sidecar")
    sidecar = Sidecar(file=file, page=reader.article(items, root))
    if "articles" in items:
        key_node, value = items["articles"]
        sidecar.articles_line = _line(key_node)
        if not isinstance(value, yaml.MappingNode):
            raise SidecarError(file, _line(value), "'articles' maps an article number (1, 2, ...) to its fields")
        for number_node, entry in value.value:
            number = reader.value(number_node)
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise SidecarError(file, _line(number_node), f"article number must be 1 or more, not {describe(number_node)}")
            if number in sidecar.articles:
                raise SidecarError(file, _line(number_node), f"article {number} is given twice")
            fields = reader.mapping(entry, ARTICLE_KEYS, f"article {number}")
            sidecar.articles[number] = reader.article(fields, entry)
    return sidecar


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _NodeReader:
    """Turns YAML nodes into checked values, keeping each node's line for errors."""

    def __init__(self, file: str, loader: LimitedLoader) -> None:
        self.file, self.loader = file, loader

    def fail(self, node: yaml.Node, message: str) -> SidecarError:
        return SidecarError(self.file, _line(node), message)

    def value(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:   # e.g. a timestamp like 2024-13-45
            raise self.fail(node, f"bad value {describe(node)} ({getattr(exc, 'problem', None) or exc})") from None

    def mapping(self, node: yaml.Node, known: tuple[str, ...], what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else describe(key_node)
            if key not in known:
                near = difflib.get_close_matches(key, known, n=1)     # a typo: titel -> title
                hint = f"; did you mean '{near[0]}'?" if near else ""
                raise self.fail(key_node, f"unknown key {describe(key_node)} in {what}{hint} (known: {', '.join(known)})")
            if key in items:
                raise self.fail(key_node, f"'{key}' is given twice")
            items[key] = (key_node, value_node)
        return items

    def text(self, node: yaml.Node, key: str) -> str:
        value = self.value(node)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node, f"'{key}' must be a non-empty text")
        return value.strip()

    def date(self, node: yaml.Node, key: str = "date") -> str | None:
        try:
            value = self.value(node)
        except SidecarError:
            value = node.value
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and _DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise self.fail(node, f"'{key}' must be a date written YYYY-MM-DD (or null), not {describe(node)}")

    def line_numbers(self, node: yaml.Node, key: str) -> list[int]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"'{key}' must be a list of seed line numbers, e.g. [12, 13]")
        numbers = []
        for item in node.value:
            number = self.value(item)
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                raise self.fail(item, f"'{key}' holds line numbers (1 or more), not {describe(item)}")
            numbers.append(number)
        return sorted(set(numbers))

    def names(self, node: yaml.Node, key: str) -> list[str]:
        """A list of people's names, or one name written alone (`authors: 张敏`)."""
        if isinstance(node, yaml.ScalarNode) and self.value(node) is not None:
            return [self.text(node, key)]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"'{key}' must be a list of names, e.g. [张敏, 刘洋], or [] for none")
        return list(dict.fromkeys(self.text(item, key) for item in node.value))

    def text_list(self, node: yaml.Node, key: str) -> list[str]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"'{key}' must be a list of names")
        return [self.text(item, key) for item in node.value]

    def organisation(self, node: yaml.Node) -> Organisation:
        if isinstance(node, yaml.ScalarNode):
            return Organisation(name=self.text(node, "organisations"))
        fields = self.mapping(node, ("name", "aliases"), "an organisation")
        if "name" not in fields:
            raise self.fail(node, "an organisation needs a 'name'")
        aliases = self.text_list(fields["aliases"][1], "aliases") if "aliases" in fields else []
        return Organisation(name=self.text(fields["name"][1], "name"), aliases=aliases)

    def event(self, node: yaml.Node) -> Event:
        fields = self.mapping(node, EVENT_KEYS, "an event")
        if "name" not in fields:
            raise self.fail(node, "an event needs a 'name'")
        return Event(
            name=self.text(fields["name"][1], "name"),
            date=self.date(fields["date"][1]) if "date" in fields else None,
            place=self.text(fields["place"][1], "place") if "place" in fields else None,
            organisations=self.text_list(fields["organisations"][1], "organisations") if "organisations" in fields else [],
        )

    def article(self, items: dict[str, tuple[yaml.Node, yaml.Node]], node: yaml.Node) -> ArticleOverride:
        o = ArticleOverride(key_lines={k: _line(kn) for k, (kn, _) in items.items() if k in ARTICLE_KEYS})
        for key, (_, value) in items.items():
            if key in ("title", "source", "note"):
                setattr(o, key, self.text(value, key))
            elif key == "date":
                o.date = self.date(value)
                o.clear_date = o.date is None
            elif key in ("keep_lines", "drop_lines"):
                setattr(o, key, self.line_numbers(value, key))
            elif key in ("authors", "editors"):
                setattr(o, key, self.names(value, key))
            elif key == "organisations":
                if not isinstance(value, yaml.SequenceNode):
                    raise self.fail(value, "'organisations' must be a list of names or {name, aliases}")
                o.organisations = [self.organisation(item) for item in value.value]
            elif key == "events":
                if not isinstance(value, yaml.SequenceNode):
                    raise self.fail(value, "'events' must be a list of {name, date, place, organisations}")
                o.events = [self.event(item) for item in value.value]
        both = sorted(set(o.keep_lines) & set(o.drop_lines))
        if both:
            raise self.fail(node, f"line {both[0]} is in both keep_lines and drop_lines")
        return o


def check_against_page(sidecar: Sidecar, page_lines: int, parts: int) -> None:
    """Errors only the cleaned page can show: lines past its end, articles it does not have."""
    for key, number, at in sidecar.all_line_numbers():
        if number > page_lines:
            raise SidecarError(sidecar.file, at, f"{key}: the seed has {page_lines} lines, there is no line {number}")
    missing = [n for n in sorted(sidecar.articles) if n > parts]
    if missing:
        raise SidecarError(sidecar.file, sidecar.articles_line,
                           f"articles: there is no article {missing[0]}; this page holds {parts}")
    if parts > 1 and sidecar.page.title:
        raise SidecarError(sidecar.file, sidecar.page.key_lines["title"],
                           f"this page holds {parts} articles; give each its title under articles: {{N: {{title: ...}}}}")


def apply_line_overrides(articles: list[CleanArticle], page: RawPage, sidecar: Sidecar | None) -> list[CleanArticle]:
    """Keep lines cleaning removed and drop lines it kept, as the editor asked.

    Runs after classification and before conversion, so a kept line is
    converted and searched like any other body line.
    """
    if sidecar is None:
        return articles
    check_against_page(sidecar, len(page.lines), max((a.parts for a in articles), default=0))
    if not articles:
        return articles
    articles = [replace(a, paragraphs=[replace(p, lines=list(p.lines)) for p in a.paragraphs],
                        removed=list(a.removed), warnings=list(a.warnings)) for a in articles]
    requests: list[tuple[str, int]] = []
    for entry in [sidecar.page, *[sidecar.articles[k] for k in sorted(sidecar.articles)]]:
        requests += [("keep", n) for n in entry.keep_lines] + [("drop", n) for n in entry.drop_lines]
    for action, number in sorted(set(requests), key=lambda r: (r[1], r[0])):
        if action == "keep":
            _keep_line(articles, number)
        else:
            _drop_line(articles, page, number)
    return articles


def _owner(articles: list[CleanArticle], number: int) -> CleanArticle:
    """The article whose line span holds a line (the first when none does)."""
    return next((a for a in articles if a.lines[0] <= number <= a.lines[1]), articles[0])


def _keep_line(articles: list[CleanArticle], number: int) -> None:
    for article in articles:
        hit = next((r for r in article.removed if r.line == number), None)
        if hit is not None:
            article.removed.remove(hit)
            article.paragraphs.append(Paragraph(kind="p", text=hit.text, lines=[number]))
            article.paragraphs.sort(key=lambda p: p.lines[0] if p.lines else 0)
            return
    _owner(articles, number).warnings.append(
        f"keep_lines: line {number} was not removed by cleaning, nothing to keep")


def _drop_line(articles: list[CleanArticle], page: RawPage, number: int) -> None:
    raw = page.lines[number - 1].strip()
    for article in articles:
        for p in list(article.paragraphs):
            if number not in p.lines:
                continue
            if p.lines == [number]:
                article.paragraphs.remove(p)
                article.removed.append(Removed(line=number, text=p.text, reason=DROP_REASON))
            elif raw and raw in p.text:
                # A paragraph re-joined from several lines: cut out only this one.
                p.text = p.text.replace(raw, "", 1).strip()
                p.lines.remove(number)
                article.removed.append(Removed(line=number, text=raw, reason=DROP_REASON))
                if not p.text:
                    article.paragraphs.remove(p)
            else:
                article.warnings.append(f"drop_lines: line {number} is joined into a paragraph and could "
                                        "not be cut out of it; the paragraph is kept")
                return
            article.removed.sort(key=lambda r: r.line)
            return
    _owner(articles, number).warnings.append(
        f"drop_lines: line {number} is not article text (title, metadata or already removed); "
        "use title:/date:/source: to correct metadata")


def apply_field_overrides(articles: list[Article], sidecar: Sidecar | None) -> list[Article]:
    """Lay the editor's title, date, source, authors, editors, entities and note over extracted articles."""
    if sidecar is None:
        return articles
    out = []
    for article in articles:
        o = sidecar.for_part(article.clean.part)
        clean = article.clean
        if o.title:
            clean = replace(clean, title=o.title)
        if o.date or o.clear_date:
            clean = replace(clean, date=o.date, date_basis="editor")
        if o.source:
            clean = replace(clean, source=o.source)
        if o.authors is not None:
            clean = replace(clean, authors=list(o.authors))
        if o.editors is not None:
            clean = replace(clean, editors=list(o.editors))
        out.append(replace(
            article, clean=clean,
            organisations=[replace(org, aliases=list(org.aliases)) for org in o.organisations]
            if o.organisations is not None else article.organisations,
            events=[replace(e, organisations=list(e.organisations)) for e in o.events]
            if o.events is not None else article.events,
            note_html=render_note(o.note) if o.note else article.note_html,
        ))
    return out


# Link schemes a note may use; relative links (no scheme) are kept too.
NOTE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# What Python-Markdown makes of a note (raw HTML is escaped before it gets here).
_NOTE_TAGS = frozenset({"p", "a", "img", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
                        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br"})
_NOTE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}


def sanitise_note_html(html: str) -> str:
    """The note's HTML through an allow-list sanitiser (nh3, the Rust ammonia crate).

    A link's scheme must be judged on the URL a browser ends up with: it
    decodes character references (`javascript&colon;`, `&#106;avascript:`),
    drops tabs and newlines anywhere (`java&#9;script:`) and leading control
    characters and spaces. ammonia parses attributes with html5ever, a
    browser's own HTML parser, and checks the scheme of the decoded URL, so
    the checker reads what Chromium reads; a hand-written regex over the raw
    attribute did not (issue 23).
    """
    import nh3

    return nh3.clean(html, tags=set(_NOTE_TAGS), attributes={k: set(v) for k, v in _NOTE_ATTRIBUTES.items()},
                     url_schemes=set(NOTE_URL_SCHEMES), link_rel="noopener noreferrer")


def render_note(text: str) -> str:
    """An editor's Markdown note as HTML; raw HTML in the note is shown as text, not run,
    and only http(s), mailto and relative links survive."""
    # Imported here: few seeds have a note, and markdown is a fiftieth of a second of every build's start.
    import markdown

    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return sanitise_note_html(md.convert(text))
