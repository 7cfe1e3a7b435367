"""Editor overrides: the sidecar `seeds/<seed stem>.yaml` beside a seed.

A sidecar corrects what cleaning got wrong: title, date, source, authors,
editors, organisations, events, lines to keep or drop, and an editor's note in
Markdown; `articles: {2: {...}}` does the same for one article of a page
holding several. Top-level fields apply to every article of the page and a
per-article entry wins over them. Every error names the file and the line.
"""
from __future__ import annotations

import errno
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from msgspec import UNSET

from ..config import ConfigError
from ..config.safe_yaml import compose_text
from ..config.schema import ArticleFields, SidecarFile, decode
from ..records import Article, CleanArticle, Event, Organisation, Paragraph, RawPage, Removed

SIDECAR_SUFFIX = ".yaml"
ARTICLE_KEYS = ("title", "date", "source", "authors", "editors", "organisations", "events", "keep_lines",
                "drop_lines", "note")
DROP_REASON = "dropped by the editor (sidecar drop_lines)"


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
    sidecar, error, _ = read_sidecar(seed_path)
    if error:
        raise error
    return parse_sidecar(sidecar[1], sidecar[0]) if sidecar else None


SidecarText = tuple[str, str]      # the file as errors name it, its text


def read_sidecar(seed_path: Path) -> tuple[SidecarText | None, SidecarError | None, bytes | None]:
    """The seed's sidecar as (file, text), or None when it has none; the error when it
    cannot be read (file:1: message); its bytes (for the seed's key)."""
    path = sidecar_path(seed_path)
    try:
        if not path.is_file():
            return None, None, None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:     # a seed name so long its sidecar's cannot exist
            return None, None, None
        return None, SidecarError(str(path), 1, f"cannot be read ({exc.strerror or exc})"), None
    try:
        raw = path.read_bytes()
        return (str(path), raw.decode("utf-8")), None, raw
    except (OSError, UnicodeDecodeError) as exc:
        return None, SidecarError(str(path), 1, f"cannot be read ({exc})"), None


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
    try:
        fields, decoder = decode(root, loader, SidecarFile, "a sidecar",
                                 lambda line, message: SidecarError(file, line, message))
    finally:
        loader.dispose()
    sidecar = Sidecar(file=file, page=_override(fields, decoder.lines[id(fields)]),
                      articles_line=decoder.lines[id(fields)].get("articles", 1))
    sidecar.articles = {number: _override(entry, decoder.lines[id(entry)]) for number, entry in fields.articles.items()}
    return sidecar


def _override(fields: ArticleFields, key_lines: dict[str, int]) -> ArticleOverride:
    """The checked fields of an article (or a whole page) as the override the stages apply."""
    given = {name: getattr(fields, name) for name in ARTICLE_KEYS if getattr(fields, name) is not UNSET}
    names = {key: list(dict.fromkeys(n.strip() for n in ([value] if isinstance(value, str) else value)))
             for key, value in given.items() if key in ("authors", "editors")}
    date = given.get("date")
    return ArticleOverride(
        title=given.get("title", "").strip() or None, source=given.get("source", "").strip() or None,
        note=given.get("note", "").strip() or None,
        date=date.isoformat() if date else None, clear_date="date" in given and date is None,
        authors=names.get("authors"), editors=names.get("editors"),
        organisations=[Organisation(name=o.strip()) if isinstance(o, str)
                       else Organisation(name=o.name.strip(), aliases=[a.strip() for a in o.aliases])
                       for o in given["organisations"]] if "organisations" in given else None,
        events=[Event(name=e.name.strip(), date=e.date.isoformat() if e.date else None,
                      place=e.place.strip() if e.place else None, organisations=[n.strip() for n in e.organisations])
                for e in given["events"]] if "events" in given else None,
        keep_lines=sorted(set(fields.keep_lines)), drop_lines=sorted(set(fields.drop_lines)),
        key_lines={key: line for key, line in key_lines.items() if key in ARTICLE_KEYS},
    )


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
