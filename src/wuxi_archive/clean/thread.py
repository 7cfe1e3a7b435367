"""A forum thread: its posts are the article, the posters' metadata is chrome.

A thread page repeats one pattern per post: the poster's name, rank and
counters, a post stamp (a full date and time with a post marker: `发表于`,
`3楼`, `回复`, `IP属地`), the post's text, reply and report buttons. The
post's text stands on one side of its stamp, the same side for every post of
a page (after it on Discuz-style boards, before it on Tieba-style ones); the
side holding text next to most stamps is that side. Each post's text runs
from its stamp to the first line of metadata (a counter, a button, another
stamp); everything between the posts is removed as post metadata.

A page is a thread when it holds at least MIN_POSTS stamps before the first
boundary after its first post (a news page's comments stand after an opener
such as `发表评论`) and its posts reach up to the article the prose alone
would give (comments start below their article).
"""
from __future__ import annotations

import re

from . import lines as L
from .body import GOOD, HARD, SOFT, STRUCT, TEXT, Run
from .chrome import PageLine
from .lexicon import Lexicon

MIN_POSTS = 3          # post stamps that make a page a thread
MAX_STAMP_LEN = 80     # characters of a post stamp line
POST_METADATA = "post metadata (poster, rank, floor, reply buttons)"
_FLOOR = re.compile(r"\d+\s*楼|#\d+")


def is_post_stamp(text: str, lexicon: Lexicon) -> bool:
    """The stamp of a post: a full date with its time and a post marker."""
    if len(text) > MAX_STAMP_LEN or not L.FULL_DATE.search(text) or not L.TIME.search(text):
        return False
    return bool(_FLOOR.search(text)) or any(marker in text for marker in lexicon.post_markers)


def thread_run(page: list[PageLine], kinds: list[str | None], lexicon: Lexicon, article: Run | None) -> Run | None:
    """The posts of a thread page as one run, or None when the page is no thread."""
    order = [i for i, k in enumerate(kinds) if k is not None]
    stamps = [k for k, i in enumerate(order) if is_post_stamp(page[i].probe, lexicon)]
    # The thread ends at the first boundary after its first post: below a news
    # article a comments opener stands between the article and its comments.
    end = next((k for k in range(stamps[0] + 1, len(order)) if kinds[order[k]] == HARD), len(order)) \
        if stamps else 0
    stamps = [k for k in stamps if k < end]
    if len(stamps) < MIN_POSTS:
        return None
    step = 1 if _text_side(page, kinds, order, stamps) > 0 else -1
    bodies: list[int] = []
    stamp_set = set(stamps)
    for k in stamps:
        bodies += _post_body(page, kinds, order, k, step, stamp_set)
    if not bodies:
        return None
    start, end = min(bodies), max(bodies)
    if article is not None and start > article.start:
        return None             # the comments under an article, not a thread
    kept = set(bodies)
    run = Run(start, end, weight=sum(L.han_count(page[i].probe) for i in kept))
    run.inside = {i: POST_METADATA for i in order if start <= i <= end and i not in kept}
    run.dateline = order[stamps[0]]      # the first post dates the thread
    return run


def _text_side(page: list[PageLine], kinds: list[str | None], order: list[int], stamps: list[int]) -> int:
    """+1 when the posts' text follows their stamps, -1 when it precedes them."""
    score = 0
    for k in stamps:
        for step in (1, -1):
            j = k + step
            while 0 <= j < len(order) and kinds[order[j]] == SOFT:
                j += step
            if 0 <= j < len(order) and _is_post_text(page[order[j]].probe, kinds[order[j]]):
                score += step
    return score


def _is_post_text(text: str, kind: str | None) -> bool:
    return kind in (GOOD, TEXT) or (kind not in (HARD, SOFT, STRUCT) and L.han_count(text) >= 5)


def _post_body(page: list[PageLine], kinds: list[str | None], order: list[int], k: int, step: int,
               stamps: set[int]) -> list[int]:
    """The lines of one post's text, walking from its stamp towards its text."""
    body: list[int] = []
    j = k + step
    while 0 <= j < len(order) and kinds[order[j]] == SOFT and not body:
        j += step             # share buttons between a post and its stamp
    while 0 <= j < len(order) and j not in stamps:
        i = order[j]
        kind = kinds[i]
        text = page[i].probe
        if kind in (HARD, SOFT) or L.is_number_only(text) or L.is_timestamp(text) \
                or (L.FULL_DATE.search(text) and L.TIME.search(text)):      # a moderator's stamp
            break
        body.append(i)
        j += step
    return sorted(body)
