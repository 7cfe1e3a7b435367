"""Stage 2, clean: from a page's lines to its articles, chrome removed.

A first, simple version: pinyin annotations removed, lines with sentence
punctuation kept as body, everything else removed with a reason; the title
is the last short line before the body, the date the first date on the page.
"""
from __future__ import annotations

import re

from ..config import Config
from ..convert import detect_script, to_simplified
from ..records import CleanArticle, Fix, Paragraph, RawPage, Removed
from .mojibake import repair_mojibake
from .pinyin import strip_pinyin_annotations

_SENTENCE_END = re.compile(r"[。!?！？;；…”」』)]$")
_DATE = re.compile(r"(20\d\d|19\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")


def clean_page(page: RawPage, config: Config) -> list[CleanArticle]:
    """Clean one page into its articles (one, in this first version)."""
    fixes: list[Fix] = []
    lines: list[str] = []
    for number, raw in enumerate(page.lines, 1):
        repaired, mojibake_fixes, mojibake_warnings = repair_mojibake(raw, number)
        fixes += mojibake_fixes
        page.warnings.extend(mojibake_warnings)
        text = strip_pinyin_annotations(repaired).strip()
        if text != raw.strip():
            fixes.append(Fix(line=number, kind="pinyin", before=raw.strip(), after=text))
        lines.append(text)
    script = detect_script("".join(lines))
    protected = tuple(config.protected_terms)
    probe = [to_simplified(t, protected) if script == "traditional" else t for t in lines]

    body: list[int] = [i for i, t in enumerate(probe) if len(t) >= 20 and _SENTENCE_END.search(t)]
    removed: list[Removed] = []
    paragraphs: list[Paragraph] = []
    for i, text in enumerate(lines):
        if not text:
            continue
        if i in body:
            paragraphs.append(Paragraph(kind="p", text=text, lines=[i + 1]))
        else:
            removed.append(Removed(line=i + 1, text=text, reason="short line without sentence punctuation"))
    first = body[0] if body else 0
    title = next((lines[i] for i in range(first - 1, -1, -1) if 4 <= len(lines[i]) <= 60), page.seed)
    date = None
    for t in probe:
        m = _DATE.search(t)
        if m:
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            break
    warnings = list(page.warnings)
    if not paragraphs:
        warnings.append("no article text found: every line looked like page chrome")
    return [CleanArticle(
        seed=page.seed, part=1, title=title, paragraphs=paragraphs, date=date,
        date_basis="explicit" if date else "none", script=script, removed=removed,
        warnings=warnings, fixes=fixes, lines=(1, len(page.lines)),
    )]
