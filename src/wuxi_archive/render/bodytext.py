"""Article paragraphs as safe HTML, with the first mention of each entity linked.

Seed text is data: the text around and inside a link is escaped, and the
only markup added is the anchor itself, whose href is built from an ASCII
slug.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from ..records import Paragraph

LINKED_KINDS = ("p", "caption")


def link_first_mentions(paragraphs: list[Paragraph], targets: list[tuple[str, str, str]],
                        root: str) -> list[Markup]:
    """Each paragraph as Markup; the first mention of each target becomes a link.

    `targets` are (surface text, site path, css class); several surfaces may
    share a path (an organisation and its aliases), and only the first
    mention of any of them is linked. At one position the longest surface
    wins, so an event name is linked whole rather than the organisation
    inside it.
    """
    remaining = {surface: (path, cls) for surface, path, cls in targets if surface}
    linked: set[str] = set()
    out: list[Markup] = []
    for paragraph in paragraphs:
        if paragraph.kind not in LINKED_KINDS:
            out.append(escape(paragraph.text))
            continue
        out.append(_link_paragraph(paragraph.text, remaining, linked, root))
    return out


def _pattern(remaining: dict[str, tuple[str, str]], linked: set[str]) -> re.Pattern[str] | None:
    surfaces = sorted((s for s, (path, _) in remaining.items() if path not in linked),
                      key=lambda s: (-len(s), s))
    return _compile(tuple(surfaces)) if surfaces else None


@lru_cache(maxsize=256)   # recompiling per paragraph dominated rendering; re's own cache thrashes
def _compile(surfaces: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, surfaces)))


def _link_paragraph(text: str, remaining: dict[str, tuple[str, str]], linked: set[str], root: str) -> Markup:
    parts: list[Markup] = []
    pos = 0
    pattern = _pattern(remaining, linked)
    while pattern is not None:
        match = pattern.search(text, pos)
        if match is None:
            break
        path, cls = remaining[match.group(0)]
        parts.append(escape(text[pos:match.start()]))
        parts.append(Markup('<a class="{}" href="{}">{}</a>').format(cls, root + path, match.group(0)))
        pos = match.end()
        linked.add(path)
        pattern = _pattern(remaining, linked)
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)
