"""The headline and the dateline a saved web page's markup names.

A visible line that the page's og:title or <title> names is the headline
(the whole title, its start before a site-name separator, or its end after
one), else the page's only <h1> above the article's container; the first
full date in the few lines under it is the dateline.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..records import CleanArticle, RawPage
from . import lines as L
from .chrome import PageLine
from .frame import Frame
from .html_chrome import LINK_LIST, has_hints
from .metadata import parse_full_date
from .split import Segment

# A headline is at most this long (folded characters), over at most this many lines.
MAX_HEADLINE_CHARS = 100
MAX_HEADLINE_LINES = 3
# Characters that part a headline from the site or section name in a page title.
_TITLE_SEPARATORS = "_|｜-—–:：@·/\\(（[【<《«-"
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"[-—–―－]+")
# Lines with text under the headline searched for its dateline, and the prose
# length (Han characters) that shows the article has begun instead.
DATELINE_SCAN = 6
DATELINE_MAX_HAN = 60


def _fold(text: str) -> str:
    return _SPACE.sub("", text)


def _norm(text: str) -> str:
    """Folded, with dashes made one: a page title often writes `——` as `-`."""
    return _DASHES.sub("-", _fold(text))


def _names(target: str, run: str) -> bool:
    """The page-title text `target` is the headline `run`, or starts with it before a
    separator (`标题_网站`), or ends with it after one (`网站 | 标题`)."""
    if target == run:
        return True
    if len(target) <= len(run):
        return False
    return (target.startswith(run) and target[len(run)] in _TITLE_SEPARATORS) \
        or (target.endswith(run) and target[-len(run) - 1] in _TITLE_SEPARATORS)


def _mostly_links(indexes: list[int], page: RawPage) -> bool:
    """The lines are mostly link text: a site name linking home, not a headline."""
    chars = sum(len(_fold(page.lines[i])) for i in indexes)
    return 2 * sum(page.line_hints[i].link_chars for i in indexes) > chars


def markup_headline(page: RawPage, lines: list[PageLine]) -> tuple[list[int], str | None]:
    """(indexes of the headline's lines, headline text) the page's markup names, or ([], None).

    A visible line outside chrome, or up to MAX_HEADLINE_LINES lines in a row
    (a headline the page breaks), is the headline when the og:title or
    <title> is its text, or starts with it followed by a separator
    (`标题_网站名`, `标题 @ 博客名 :: 平台`) or ends with it after one
    (`网站名 | 标题`) and it is not link text (a site name linking home); an
    <h1> line that starts with the og:title (the h1 also holding widget words)
    gives the og:title. The
    longest such headline wins; among lines of one text, the last before
    the article's container (else the first). When the title names no line,
    the page's only <h1> above the container is the headline."""
    if not has_hints(page):
        return [], None
    og = {_norm(t): t.strip() for t in page.html_headlines.get("og:title", []) if t.strip()}
    targets = [*og, *(_norm(t) for t in page.html_headlines.get("title", []) if t.strip())]
    hints = page.line_hints
    first_main = next((i for i, h in enumerate(hints) if h.main), len(lines))
    if not targets:
        return _lone_h1(page, lines, first_main)
    visible = [i for i, line in enumerate(lines) if line.text.strip() and not hints[i].chrome]
    found: list[tuple] = []      # (-length, heading rank, position rank, indexes, text): least is best
    for k, i in enumerate(visible):
        run: list[int] = []
        for j in visible[k:k + MAX_HEADLINE_LINES]:
            if run and j != run[-1] + 1 and any(lines[m].text.strip() for m in range(run[-1] + 1, j)):
                break
            run.append(j)
            text = "".join(lines[m].text.strip() for m in run) if len(run) > 1 else lines[i].text.strip()
            folded = _norm(text)
            if L.han_count(text) < 4 or len(folded) > MAX_HEADLINE_CHARS:
                break
            headline = text if folded in targets or (any(_names(t, folded) for t in targets)
                                                     and not _mostly_links(run, page)) else None
            if len(run) == 1 and hints[i].tag == "h1":
                longer = [og[t] for t in og if len(t) >= 4 and folded.startswith(t) and len(t) > len(_norm(headline or ""))]
                headline = max(longer, key=len) if longer else headline
            if headline:
                tag = hints[i].tag
                heading = 0 if tag == "h1" else (1 if tag.startswith("h") else 2)
                position = (0, -i) if i < first_main else (1, i)
                found.append((-len(_norm(headline)), heading, position, list(run), headline))
    if not found:
        return _lone_h1(page, lines, first_main)
    best = min(found)
    return best[3], best[4]


def _lone_h1(page: RawPage, lines: list[PageLine], first_main: int) -> tuple[list[int], str | None]:
    """The page's one <h1> line above the article's container, when the page's title
    names no visible line: ([index], text), or ([], None) when there is none or several."""
    h1 = [i for i, (line, hint) in enumerate(zip(lines, page.line_hints))
          if hint.tag == "h1" and line.text.strip() and not hint.chrome]
    if len(h1) != 1 or h1[0] > first_main:
        return [], None
    text = lines[h1[0]].text.strip()
    if L.han_count(text) < 4 or len(_fold(text)) > MAX_HEADLINE_CHARS or _mostly_links(h1, page):
        return [], None
    return h1, text


def apply_markup_headline(header: Frame, at: list[int], headline: str | None) -> None:
    """Make the markup's headline the article's; `at`: its lines above the body."""
    if headline is None:
        return
    if header.title_line is not None and header.title_line not in at and _fold(header.title or "") != _fold(headline):
        header.reasons[header.title_line] = "before the article: not the headline the page's title names"
    if header.title is None or _fold(header.title) != _fold(headline):
        header.title, header.title_probe = headline, None
        header.title_line = at[-1] if at else None
    for i in at:
        header.reasons[i] = "metadata: title (the headline the page's title names)"


def headline_above_body(segments: list[Segment], lines: list[PageLine], at: list[int]) -> list[Segment]:
    """When the headline's lines open the first article's body, the body starts after them."""
    if not at or not segments:
        return segments
    first = segments[0]
    opening = [i for i in range(first.start, first.end + 1) if lines[i].probe][:len(at)]
    if opening != at or at[-1] >= first.end:
        return segments
    after = next(i for i in range(at[-1] + 1, first.end + 1) if lines[i].probe)
    return [replace(first, start=after), *segments[1:]]


def headline_lines_above(at: list[int], lo: int, start: int) -> list[int]:
    """The headline's lines that lie in the header, between `lo` and the body's `start`."""
    return [i for i in at if lo <= i < start]


def markup_dateline(page: RawPage, lines: list[PageLine], at: list[int]) -> str | None:
    """The full date on the dateline under the headline the markup names: the first
    date among the next DATELINE_SCAN lines with text, before the article's prose
    begins (link lists passed over: their dates are other articles')."""
    if not at or not has_hints(page):
        return None
    seen = 0
    for i in range(at[-1] + 1, len(lines)):
        text = lines[i].text.strip()
        if not text or page.line_hints[i].chrome == LINK_LIST:
            continue
        if L.is_prose(text) and L.han_count(text) > DATELINE_MAX_HAN:
            return None
        found = parse_full_date(text)
        if found:
            return found
        seen += 1
        if seen >= DATELINE_SCAN:
            return None
    return None


def apply_markup_dateline(article: CleanArticle, header: Frame, date: str | None) -> None:
    """The dateline under the markup's headline dates the article unless a labelled
    date field above the body already does: it is nearer the headline than the meta
    dates (which a CMS may stamp when it moves a page) and the body's dates."""
    if date is None or any(f.kind == "date" and parse_full_date(f.value) for f in header.fields):
        return
    article.date = date
    article.date_basis = "explicit on the dateline under the headline the page's markup names"
