"""Where a saved web page's article runs, from its markup's content container
(records.LineHint.main) and headline, beside the text rules' run.
"""
from __future__ import annotations

import re

from ..records import RawPage
from . import lines as L
from .body import Run
from .chrome import PageLine, Roles, is_tail_opener
from .html_chrome import has_hints
from .lexicon import Lexicon
from .metadata import read_dateline

# Prose (Han characters) the content container must hold to give the article's span,
# and the lines right above its first prose line that may open the article.
MIN_MAIN_HAN = 100
MAX_LEAD_LINES = 2
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?…][”’」』)）\"']*\s*$")


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


def headline_run(page: RawPage, lines: list[PageLine], lexicon: Lexicon, found: list[Run], run: Run,
                 headline_at: list[int] = ()) -> Run:
    """The run under the markup's headline when the text rules chose one past the opener
    of a related list that follows it: what a page lists after `你可能还想看` are other
    articles, however much prose they hold. It must hold MIN_MAIN_HAN characters.
    `found`: the page's runs (body.runs)."""
    if not has_hints(page) or not headline_at or run.start <= headline_at[-1]:
        return run
    top = headline_at[-1]
    opener = next((i for i in range(top + 1, run.start) if lines[i].probe and is_tail_opener(lines[i].probe, lexicon)),
                  None)
    if opener is None:
        return run
    under = [r for r in found if top < r.start < opener and r.weight >= MIN_MAIN_HAN]
    return under[0] if under else run
