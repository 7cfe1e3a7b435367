"""A page holding several articles (a newspaper page): where each one starts.

Inside the body block, a short headline-like line starts a new article
when the paragraph before it closes an article (a byline `(王怡菡)`, `(完)`,
`(据新华社)`) or the paragraph after it opens one with a dateline (`本报讯`,
`...电`). Short lines between that paragraph and the headline are section
labels (`要闻快览`), not articles. A section heading inside one article has
neither mark around it and splits nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import lines as L
from .chrome import PageLine, Roles
from .lexicon import Lexicon
from .metadata import ends_with_closing_mark, read_dateline
from .paragraphs import is_caption

MIN_ARTICLE_HAN = 60


@dataclass(frozen=True)
class Segment:
    start: int                 # index of the first body line of the article
    end: int                   # index of its last body line
    title: int | None          # index of its headline inside the block (None: read from the header)
    labels: tuple[int, ...]    # section-label lines between the previous article and the headline


def _headline_like(text: str, lexicon: Lexicon) -> bool:
    han = L.han_count(text)
    return 4 <= han <= 40 and not L.is_prose(text) and not text.rstrip().endswith((":", "：")) \
        and not is_caption(text, lexicon)


def split_block(page: list[PageLine], roles: list[Roles], block: tuple[int, int], lexicon: Lexicon) -> list[Segment]:
    """The articles inside a body block, in page order."""
    first, last = block
    idx = [i for i in range(first, last + 1) if page[i].probe]
    cuts: list[tuple[int, int, tuple[int, ...]]] = []   # (headline, first prose after, labels)
    k = 0
    while k < len(idx):
        i = idx[k]
        if not roles[i].prose:
            k += 1
            continue
        # a run of non-prose lines after prose line i
        run = []
        j = k + 1
        while j < len(idx) and not roles[idx[j]].prose:
            run.append(idx[j])
            j += 1
        if run and j < len(idx) and _headline_like(page[run[-1]].probe, lexicon):
            before, after = page[i].probe, page[idx[j]].probe
            closes = ends_with_closing_mark(before, lexicon)
            opens = read_dateline(after) is not None and L.ends_complete(before)
            if closes or opens:
                cuts.append((run[-1], idx[j], tuple(run[:-1])))
        k = j
    segments: list[Segment] = []
    start, title, labels = first, None, ()
    for headline, opening, section_labels in cuts:
        segments.append(Segment(start, _last_before(idx, headline, labels=section_labels), title, labels))
        start, title, labels = opening, headline, section_labels
    segments.append(Segment(start, last, title, labels))
    return _merge_small(page, roles, segments)


def _last_before(idx: list[int], headline: int, labels: tuple[int, ...]) -> int:
    stop = labels[0] if labels else headline
    return max(i for i in idx if i < stop)


def _weight(page: list[PageLine], roles: list[Roles], seg: Segment) -> int:
    return sum(L.han_count(page[i].probe) for i in range(seg.start, seg.end + 1) if roles[i].prose)


def _merge_small(page: list[PageLine], roles: list[Roles], segments: list[Segment]) -> list[Segment]:
    """An 'article' too short to be one stays with the article before it."""
    out: list[Segment] = []
    for seg in segments:
        if out and _weight(page, roles, seg) < MIN_ARTICLE_HAN:
            prev = out.pop()
            out.append(Segment(prev.start, seg.end, prev.title, prev.labels))
        else:
            out.append(seg)
    return out
