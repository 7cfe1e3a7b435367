"""Article paragraphs as safe HTML, with the first mention of each entity linked.

Seed text is data: the text around and inside a link is escaped, and the
only markup added is the anchor itself, whose href is built from an ASCII
slug. The anchor has no class: every link in an article's body is one of
these (style.css: `.article .body a`), and a class on each was 0.2 KB an
article (issue 21's byte budget).
"""
from __future__ import annotations

from markupsafe import Markup

from ..records import Paragraph
from .escaping import escaped

LINKED_KINDS = ("p", "caption")


def link_first_mentions(paragraphs: list[Paragraph], targets: list[tuple[str, str]],
                        root: str) -> list[Markup]:
    """Each paragraph as Markup; the first mention of each target becomes a link.

    `targets` are (surface text, site path); several surfaces may
    share a path (an organisation and its aliases), and only the first
    mention of any of them is linked. At one position the longest surface
    wins, so an event name is linked whole rather than the organisation
    inside it.
    """
    remaining = {surface: path for surface, path in targets if surface}
    linked: set[str] = set()
    out: list[Markup] = []
    for paragraph in paragraphs:
        if paragraph.kind not in LINKED_KINDS:
            out.append(Markup(escaped(paragraph.text)))
            continue
        out.append(_link_paragraph(paragraph.text, remaining, linked, root))
    return out


def _first_mention(text: str, pos: int, surfaces: list[str]) -> tuple[int, str] | None:
    """The earliest mention at or after `pos`, the longest surface where several start.

    The same match an alternation of the surfaces (longest first) would find,
    found with str.find: compiling one regex per article's set of surfaces
    dominated rendering, and no two articles share that set.
    """
    best: tuple[int, int, str] | None = None
    for surface in surfaces:
        at = text.find(surface, pos)
        if at >= 0 and (best is None or (at, -len(surface)) < best[:2]):
            best = (at, -len(surface), surface)
    return (best[0], best[2]) if best else None


def _link_paragraph(text: str, remaining: dict[str, str], linked: set[str], root: str) -> Markup:
    parts: list[str] = []       # escaped text and links, joined into one Markup at the end
    pos = 0
    surfaces = [s for s, path in remaining.items() if path not in linked]
    while surfaces:
        found = _first_mention(text, pos, surfaces)
        if found is None:
            break
        start, surface = found
        path = remaining[surface]
        parts.append(escaped(text[pos:start]))
        # What Markup(...).format() gives (each value escaped), without string.Formatter's cost.
        parts.append(f'<a href="{escaped(root + path)}">{escaped(surface)}</a>')
        pos = start + len(surface)
        linked.add(path)
        surfaces = [s for s in surfaces if remaining[s] != path]
    parts.append(escaped(text[pos:]))
    return Markup("".join(parts))
