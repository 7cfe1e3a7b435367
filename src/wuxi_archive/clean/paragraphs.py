"""From the lines of an article's body to its paragraphs.

Lines a page broke mid-sentence or mid-word are joined again; short lines
between paragraphs are headings, or captions when they carry a photo
credit; a caption repeated on the next line (or announced by its own first
words on the line before) appears once; a lone dateline (`本站讯`) opens
the paragraph after it.
"""
from __future__ import annotations

from ..records import Paragraph, Removed
from . import lines as L
from .chrome import PageLine
from .lexicon import Lexicon, remembered
from .metadata import is_dateline_only
from .pinyin import strip_pinyin_annotations

MAX_CAPTION_HAN = 60


@remembered     # asked of each short line by the paragraphs, the split and the title's credits
def is_caption(text: str, lexicon: Lexicon) -> bool:
    """A photo caption: a credit word at the start or the end of a short line."""
    if L.han_count(text) > MAX_CAPTION_HAN:
        return False
    body = text.strip().rstrip("。.)）】 ")
    head = text.strip().lstrip("(（【 ")
    for marker in lexicon.caption_markers:
        if body.endswith(marker) or head.startswith(marker) or (len(marker) >= 3 and marker in text):
            return True
    return False


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    if right[:1] in "(（":
        # A page that broke a line between a character and its reading
        # leaves the annotation at the start of the next line: once joined
        # it follows its character again and goes like any other.
        return strip_pinyin_annotations(left + right)
    return left + right


def breaks_lines(body: list[PageLine]) -> bool:
    """The page breaks paragraphs mid-sentence (two or more prose lines end open)."""
    open_ends = 0
    texts = [p.probe for p in body if p.probe]
    for this, after in zip(texts, texts[1:]):
        if L.is_prose(this) and not L.ends_complete(this) and L.is_prose(after):
            open_ends += 1
    return open_ends >= 2


def build_paragraphs(body: list[PageLine], lexicon: Lexicon,
                     broken_layout: bool = False) -> tuple[list[Paragraph], list[Removed]]:
    """Paragraphs of an article from its body lines, and the lines dropped as repeats.

    `broken_layout`: the page breaks paragraphs mid-sentence (breaks_lines),
    so a short open line before prose is a fragment, not a heading.
    """
    items = [p for p in body if p.probe]
    paragraphs: list[Paragraph] = []
    removed: list[Removed] = []
    kinds: list[str] = []
    pending: PageLine | None = None     # a lone dateline waiting for its paragraph
    seen_prose: set[str] = set()        # sentences kept: a page that prints its body twice keeps it once
    for k, line in enumerate(items):
        text, probe = line.text, line.probe
        after = items[k + 1].probe if k + 1 < len(items) else ""
        if paragraphs and probe == items[k - 1].probe:
            removed.append(Removed(line.number, line.raw, "repeats the line before (duplicated caption or heading)"))
            continue
        if probe in seen_prose:
            removed.append(Removed(line.number, line.raw, "repeats an earlier paragraph (the page prints it twice)"))
            continue
        if L.is_prose(probe):
            seen_prose.add(probe)
        if after and after != probe and after.startswith(probe) and is_caption(after, lexicon):
            removed.append(Removed(line.number, line.raw, "repeats the first words of the caption below"))
            continue
        if is_dateline_only(probe) and L.is_prose(after):
            pending = line
            continue
        prose = L.is_prose(probe)
        if pending is not None:
            text, probe = _join(pending.text, text), _join(pending.probe, probe)
            numbers = [pending.number, line.number]
            pending = None
        else:
            numbers = [line.number]
        prev = paragraphs[-1] if paragraphs else None
        prev_open = prev is not None and kinds[-1] in ("p", "fragment") and not L.ends_complete(prev.text)
        if prev is not None and prev_open and (prose or broken_layout):
            prev.text = _join(prev.text, text)
            prev.lines.extend(numbers)
            kinds[-1] = "p"
            continue
        if prose:
            kind = "caption" if is_caption(probe, lexicon) else "p"
        elif is_caption(probe, lexicon):
            kind = "caption"
        elif broken_layout and L.is_prose(after) and not L.ends_complete(probe):
            kind = "fragment"       # e.g. `赵建军感谢康明斯多年来给予无` + `锡发展的...`
        else:
            kind = "h"
        paragraphs.append(Paragraph(kind="p" if kind == "fragment" else kind, text=text, lines=numbers))
        kinds.append(kind)
    if pending is not None:
        paragraphs.append(Paragraph(kind="p", text=pending.text, lines=[pending.number]))
    return paragraphs, removed
