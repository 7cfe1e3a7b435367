"""What a saved web page's markup tells the cleaner (records.LineHint, headline
candidates, meta dates), used as evidence beside the text rules.

A text dump carries no hints and none of this changes it. For a web page:

- lines the markup puts in navigation, footer, sidebar, comment, share or
  ad containers, or in link lists outside the article, are chrome with that
  reason: a boundary of the body outside the article, hidden from the text
  rules inside it (and reported as removed). Labelled metadata lines
  (`来源：…`, `时间：…`) are left to the text rules wherever they sit, and so
  is the line holding the headline;
- a visible line that the page's og:title or <title> names (the whole title,
  or its start before a site-name separator) is the headline;
- the meta publication dates are ranked, strongest first; the first full
  date under the markup's headline is its dateline;
- the content container gives where the article starts (markup_body).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..records import CleanArticle, RawPage, Removed
from . import lines as L
from .body import Run, runs
from .chrome import PageLine, Roles, is_tail_opener
from .frame import Frame
from .lexicon import Lexicon
from .metadata import is_metadata_line, parse_full_date, read_dateline
from .split import Segment

# The loader's chrome reasons (data/html_chrome.yaml) that mark a page region, not
# an item that may stand between the parts of an article.
REGION_CHROME = frozenset({"navigation", "breadcrumb", "footer", "sidebar", "comments", "related list"})
# Hidden prose worth an editor's look, in Han characters.
HIDDEN_WARN_HAN = 100
# A headline is at most this long (folded characters).
MAX_HEADLINE_CHARS = 100
# Characters that part a headline from the site or section name in a page title.
_TITLE_SEPARATORS = "_|｜-—–:：@·/\\(（[【<《«-"
# Meta date names, strongest first: the ones that name the article's publication,
# then the generic ones a CMS may stamp with a later date, then a page's first <time>.
_DATE_RANK = ("json-ld:datepublished", "itemprop:datepublished", "datepublished", "article:published_time",
              "og:release_date", "og:time", "publishdate", "publish_date", "publish-date", "pubdate",
              "firstpublishedtime", "datecreated", "dc.date.issued", "dc.date", "date", "time:datetime")
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"[-—–―－]+")
# Lines with text under the headline searched for its dateline, and the prose
# length (Han characters) that shows the article has begun instead.
DATELINE_SCAN = 6
DATELINE_MAX_HAN = 60
# Prose (Han characters) the content container must hold to give the article's span.
MIN_MAIN_HAN = 100
MAX_LEAD_LINES = 2
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?…][”’」』)）\"']*\s*$")
# A headline a page breaks over lines spans at most this many.
MAX_HEADLINE_LINES = 3


def has_hints(page: RawPage) -> bool:
    return bool(page.line_hints) and len(page.line_hints) == len(page.lines)


def publication_dates(page: RawPage) -> list[str]:
    """The page's meta publication dates, strongest first (others after, by name)."""
    meta = page.html_meta
    ranked = [meta[k] for k in _DATE_RANK if k in meta]
    rest = [v for k, v in sorted(meta.items()) if k not in _DATE_RANK and ("date" in k or "time" in k)]
    return ranked + rest


def _markup_chrome(page: RawPage, lines: list[PageLine], lexicon: Lexicon, keep: list[int]) -> dict[int, str]:
    """{index: chrome reason} of the lines the markup marks as chrome, less labelled
    metadata lines and the headline's lines (`keep`)."""
    return {i: hint.chrome for i, (line, hint) in enumerate(zip(lines, page.line_hints))
            if hint.chrome and line.probe and i not in keep and not is_metadata_line(line.probe, lexicon)}


def _inline_chrome(lines: list[PageLine], page: RawPage, chrome: dict[int, str]) -> set[int]:
    """The chrome lines inside the article: the nearest other lines with text above and
    below each are both in the content container (an ad or share bar between
    paragraphs). Two passes over the page, whatever the number of chrome lines."""
    hints = page.line_hints
    above: list[int | None] = []
    last = None
    for i, line in enumerate(lines):
        above.append(last)
        if line.probe and i not in chrome:
            last = i
    inside: set[int] = set()
    below = None
    for i in range(len(lines) - 1, -1, -1):
        if i in chrome and above[i] is not None and below is not None and hints[above[i]].main and hints[below].main:
            inside.add(i)
        if lines[i].probe and i not in chrome:
            below = i
    return inside


def hide_markup_chrome(page: RawPage, lines: list[PageLine], lexicon: Lexicon,
                       keep: list[int] = ()) -> tuple[list[PageLine], dict[int, str], list[str]]:
    """Chrome the markup marks inside the article (between lines of its content
    container) gets an empty probe: the text rules pass over it and the article
    runs on across it. Returns the lines, {index: reason} of those hidden, and
    warnings where the markup's word may have cost the article text.

    `keep`: the indexes of the headline's lines, never hidden."""
    if not has_hints(page):
        return lines, {}, []
    chrome = _markup_chrome(page, lines, lexicon, keep)
    out = list(lines)
    hidden: dict[int, str] = {}
    inside = _inline_chrome(lines, page, chrome)
    for i, why in chrome.items():
        if i in inside:
            out[i] = replace(lines[i], probe="")
            hidden[i] = f"page chrome by its markup ({why})"
    return out, hidden, _removal_warnings(page, lines, chrome, hidden)


def _removal_warnings(page: RawPage, lines: list[PageLine], chrome: dict[int, str],
                      hidden: dict[int, str]) -> list[str]:
    """Where the markup's word may have cost the article text, for the editor: prose
    hidden from inside the article, and a region (markup_boundaries) holding more
    prose than the article's container. Link lists and ads outside the article are
    left to the text rules, which warn about what they leave out themselves."""
    def prose(i: int) -> int:
        return L.han_count(lines[i].probe) if L.is_prose(lines[i].probe) else 0

    article = sum(prose(i) for i, hint in enumerate(page.line_hints) if hint.main and i not in chrome)
    groups: dict[str, list[int]] = {}
    for i, why in chrome.items():
        if prose(i) and (i in hidden or why in REGION_CHROME):
            groups.setdefault(why if i not in hidden else f"{why} (inside the article)", []).append(i)
    warnings = []
    for why, indexes in groups.items():
        han = sum(prose(i) for i in indexes)
        if han >= HIDDEN_WARN_HAN and (indexes[0] in hidden or han >= article):
            warnings.append(f"lines {lines[indexes[0]].number}-{lines[indexes[-1]].number}: {han} characters of "
                            f"prose in the page's {why} containers were removed as chrome; "
                            "check they are not part of the article")
    return warnings


def markup_boundaries(page: RawPage, lines: list[PageLine], roles: list[Roles], lexicon: Lexicon,
                      keep: list[int] = ()) -> list[Roles]:
    """A page region the markup marks as chrome outside the article (REGION_CHROME: a
    menu, a sidebar, a footer, comments, a related list) is a boundary no body
    crosses, with its reason: two blocks of prose either side of it stay apart
    (hidden instead, they would run together into one block). Link lists, ads and
    share bars are left to the text rules: a forum repeats them between its posts
    (the poster's name and rank, an ad after a floor), which must not part them."""
    if not has_hints(page):
        return roles
    out = list(roles)
    for i, why in _markup_chrome(page, lines, lexicon, keep).items():
        if why in REGION_CHROME and lines[i].probe:
            out[i] = replace(roles[i], prose=False, stop=True, why_stop=f"page chrome by its markup ({why})")
    return out


def add_hidden_removed(articles: list[CleanArticle], lines: list[PageLine], hidden: dict[int, str]) -> None:
    """Report each hidden line as removed by the article whose span holds it."""
    if not hidden or not articles:
        return
    for i, why in hidden.items():
        number = lines[i].number
        article = next((a for a in articles if a.lines[0] <= number <= a.lines[1]), articles[0])
        article.removed.append(Removed(number, lines[i].raw, why))
    for article in articles:
        article.removed.sort(key=lambda r: r.line)


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
        if not text or page.line_hints[i].chrome == "link list":
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


def markup_body(page: RawPage, lines: list[PageLine], roles: list[Roles], lexicon: Lexicon,
                run: Run, headline_at: list[int] = ()) -> tuple[int, int]:
    """The article's span as the markup's content container gives it, or the text rules'
    `run` when the container cannot vouch for it or the run is a forum thread
    (the container then holds one post).

    The span starts at the container's first prose line, or at up to
    MAX_LEAD_LINES lines right above it that open the article (a clause the
    page broke off, a dateline, a bracketed item head), not at a byline or
    the headline repeated; where the text rules' run may start at any prose
    above it. It ends where the text rules' run ends: they know the closing
    notices, and paragraphs a sibling container holds. The container vouches
    when it holds MIN_MAIN_HAN characters of prose, no related list opens
    between the headline and it (a container after `相关推荐` is another
    article's), and it overlaps the run (else they are two blocks, and the
    text rules' choice stands)."""
    found = (run.start, run.end)
    if not has_hints(page) or run.dateline is not None:
        return found        # a thread's posts: the container holds one of them
    main = [i for i, h in enumerate(page.line_hints) if h.main and lines[i].probe]
    prose = [i for i in main if roles[i].prose and i not in headline_at]
    if not prose or sum(L.han_count(lines[i].probe) for i in prose) < MIN_MAIN_HAN:
        return found
    start = prose[0]
    if headline_at and any(lines[i].probe and is_tail_opener(lines[i].probe, lexicon)
                           for i in range(headline_at[-1] + 1, start)):
        return found
    stop = next((i for i in main if i > start and roles[i].stop), None)
    end = max(i for i in prose if stop is None or i < stop)
    for i in reversed([i for i in main if i < start][-MAX_LEAD_LINES:]):
        if i in headline_at or roles[i].stop or roles[i].feed:
            break
        if _opens_article(lines[i].probe):
            start = i
    if found[0] > end or found[1] < start:
        return found        # two different blocks: the text rules' choice stands
    # The text rules' run over the same article knows better where it ends: a
    # closing notice inside the container, or paragraphs a sibling container holds.
    return start, found[1]


def _opens_article(text: str) -> bool:
    """A short line above the first paragraph that belongs to the article: a clause the
    page broke off (`下周一，`), a dateline (`新华社北京5月9日电`) or a bracketed item head
    (`【证券时报网】…`); not a byline, a repeated headline or a breadcrumb."""
    return bool(_CLAUSE_END.search(text)) or read_dateline(text) is not None or text.lstrip().startswith("【")


def headline_run(page: RawPage, lines: list[PageLine], roles: list[Roles], lexicon: Lexicon, run: Run,
                 headline_at: list[int] = ()) -> Run:
    """The run under the markup's headline when the text rules chose one past the opener
    of a related list that follows it: what a page lists after `你可能还想看` are other
    articles, however much prose they hold. It must hold MIN_MAIN_HAN characters."""
    if not has_hints(page) or not headline_at or run.start <= headline_at[-1]:
        return run
    top = headline_at[-1]
    opener = next((i for i in range(top + 1, run.start) if lines[i].probe and is_tail_opener(lines[i].probe, lexicon)),
                  None)
    if opener is None:
        return run
    under = [r for r in runs(lines, roles, lexicon) if top < r.start < opener and r.weight >= MIN_MAIN_HAN]
    return under[0] if under else run
