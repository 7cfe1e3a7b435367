"""Stage 3, convert: traditional -> simplified, only where an article is traditional.

The script knowledge (detection, OpenCC's tables, protected terms) lives in
`wuxi_archive.script`, which clean uses too; this stage applies it to an
article, field by field, and records each passage it changed as a fix.
"""
from __future__ import annotations

from dataclasses import replace

from ..records import CleanArticle, Fix, Paragraph
from ..script import (PASSAGE_MIN_CHARS, PASSAGE_SHARE, TRADITIONAL_SHARE, detect_script,  # noqa: F401 - the stage's API
                      is_traditional_char, needs_conversion, s2t, s2t_of, t2s, to_simplified)


def convert_article(article: CleanArticle, protected: tuple[str, ...] = ()) -> CleanArticle:
    """Simplify the traditional passages of an article; simplified text passes unchanged."""
    script = article.script

    def conv(text: str | None) -> str | None:
        if text is None or not needs_conversion(text, script):
            return text
        return to_simplified(text, protected)

    fixes = list(article.fixes)
    paragraphs = []
    for p in article.paragraphs:
        new = conv(p.text) or ""
        if new != p.text:
            fixes.append(Fix(line=p.lines[0] if p.lines else 0, kind="converted", before=p.text, after=new))
        paragraphs.append(Paragraph(kind=p.kind, text=new, lines=list(p.lines)))
    return replace(
        article,
        title=conv(article.title) or "",
        subtitle=conv(article.subtitle),
        source=conv(article.source),
        authors=[conv(a) or "" for a in article.authors],
        editors=[conv(e) or "" for e in article.editors],
        tags=[conv(t) or "" for t in article.tags],
        paragraphs=paragraphs,
        fixes=fixes,
    )
