"""Chrome the markup of a saved web page marks (records.LineHint.chrome), as the
cleaner takes it: inside the article it is hidden from the text rules (and
reported as removed), outside it a page region is a boundary of the body.

Labelled metadata lines (`来源：…`, `时间：…`) and the headline's lines are left
to the text rules wherever they sit. A text dump carries no hints: nothing
here changes it.
"""
from __future__ import annotations

from dataclasses import replace

from ..records import CleanArticle, RawPage, Removed
from . import lines as L
from .chrome import PageLine, Roles
from .lexicon import Lexicon
from .metadata import is_metadata_line

# The loader's chrome reasons (data/html_chrome.yaml) that mark a page region, not
# an item that may stand between the parts of an article.
REGION_CHROME = frozenset({"navigation", "breadcrumb", "footer", "sidebar", "comments", "related list"})
# The loader's reason for a container made mostly of links.
LINK_LIST = "link list"
# Hidden prose worth an editor's look, in Han characters.
HIDDEN_WARN_HAN = 100


def has_hints(page: RawPage) -> bool:
    return bool(page.line_hints) and len(page.line_hints) == len(page.lines)


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
