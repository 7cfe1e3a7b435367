"""A cleaning report as data: what editor/report.html shows for one article.

The report used to be a static page per article, 27 KB each (issue 21: the
site must stay under 30 KB per article). Now one page, `editor/report.html?id=<id>`,
loads the shard holding the article's data (render/report_shards.py) with a
`<script>` tag (which works from `file://`, where fetch does not) and
static/report.js builds the report from it with textContent only: seed text is
untrusted and is never parsed as HTML.

The data says everything the static report said: every line of the article's
span of the seed, kept, removed (with its reason) or metadata; the repairs as
character diffs; the warnings. It is kept small by not saying twice what the
raw lines already say: a line's status is one letter, reasons are listed once,
a repair's `before` is left out when it is the raw line or the line's last
repair's result (before_ref), its diff keeps only
counts for text taken from `before`, and a paragraph's text is left out when it
is its lines' text joined (report.js rebuilds each exactly as written here:
`rebuilt_paragraph` and `diff_ops` say how).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from ..records import Article
from .chinese import chinese
from .report_diff import FIX_LABELS, char_diff, raw_rows

# One letter per raw line of the span (report.js has the same table).
STATUS_LETTERS = {"kept": "k", "removed": "r", "meta": "m", "blank": "b"}
SCRIPT_LABELS = {"traditional": "繁体", "simplified": "简体"}
# What report.js strips from each line of a paragraph when rebuilding its text: exactly
# these characters (JavaScript's trim() and Python's strip() disagree on others).
PARAGRAPH_STRIP = " \t\r\n\u3000"


def line_statuses(article: Article, lines: list[str]) -> str:
    """One letter per line of the article's span (editor.raw_rows): kept, removed, metadata or blank."""
    return "".join(STATUS_LETTERS[row.status] for row in raw_rows(article, lines))


def diff_ops(before: str, after: str) -> list[int | str]:
    """char_diff's runs, short: n > 0 keeps n characters of `before`, n < 0 deletes -n of them,
    a string is inserted. Counts are code points (report.js walks Array.from(before))."""
    ops: list[int | str] = []
    for op, text in char_diff(before, after):
        if op == "same":
            ops.append(len(text))
        elif op == "del":
            ops.append(-len(text))
        else:
            ops.append(text)
    return ops


# How a repair's `before` is given when it need not be spelt out (report.js reads the same codes).
BEFORE_IS_RAW_LINE, BEFORE_IS_LAST_AFTER, BEFORE_IS_STRIPPED_LINE = None, 1, 2


def before_ref(before: str, raw: str | None, last_after: str | None) -> str | int | None:
    """A repair's text before it: the raw line (None), the line's previous repair's result (1),
    the raw line stripped of PARAGRAPH_STRIP (2), else the text itself. Most repairs are one
    of the first three: pinyin is taken from the raw line, conversion follows it."""
    if raw is not None and before == raw:
        return BEFORE_IS_RAW_LINE
    if last_after is not None and before == last_after:
        return BEFORE_IS_LAST_AFTER
    if raw is not None and before == raw.strip(PARAGRAPH_STRIP):
        return BEFORE_IS_STRIPPED_LINE
    return before


def line_text_after_fixes(number: int, lines: list[str], fixes_on: dict[int, str]) -> str:
    """A line's text once repaired: the last repair's `after`, else the raw line."""
    return fixes_on.get(number, lines[number - 1])


def rebuilt_paragraph(numbers: list[int], lines: list[str], fixes_on: dict[int, str]) -> str:
    """A paragraph's text as report.js rebuilds it when the data leaves it out."""
    return "".join(line_text_after_fixes(n, lines, fixes_on).strip(PARAGRAPH_STRIP) for n in numbers)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def note_text(note_html: str | None) -> str | None:
    """The editor's note as plain text (the report shows data as text only; the article page shows it formatted)."""
    if not note_html:
        return None
    parser = _TextOnly()
    parser.feed(note_html)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip() or None


def report_data(article: Article, lines: list[str], attention: list[str]) -> dict[str, Any]:
    """Everything article's cleaning report shows, from its seed's raw `lines` and the
    reasons it needs a look (review.attention), as a JSON-ready dict."""
    c = article.clean
    first, last = max(1, c.lines[0]), min(len(lines), max(c.lines[1], c.lines[0]))
    span = lines[first - 1:last] if lines else []
    reasons: list[list[str]] = []
    reason_at: dict[str, int] = {}
    why = []
    for removed in sorted(c.removed, key=lambda r: r.line):
        if first <= removed.line <= last:
            if removed.reason not in reason_at:
                reason_at[removed.reason] = len(reasons)
                reasons.append([removed.reason, chinese(removed.reason)])
            why.append(reason_at[removed.reason])
    fixes = []
    fixes_on: dict[int, str] = {}
    for fix in c.fixes:
        raw = lines[fix.line - 1] if 1 <= fix.line <= len(lines) else None
        fixes.append([fix.line, fix.kind, FIX_LABELS.get(fix.kind, fix.kind),
                      before_ref(fix.before, raw, fixes_on.get(fix.line)), diff_ops(fix.before, fix.after)])
        fixes_on[fix.line] = fix.after
    paragraphs = []
    for p in c.paragraphs:
        rebuildable = lines and all(1 <= n <= len(lines) for n in p.lines) and p.lines
        same = rebuildable and rebuilt_paragraph(p.lines, lines, fixes_on) == p.text
        paragraphs.append([p.kind, list(p.lines), None if same else p.text])
    return {
        "id": article.id, "title": c.title, "subtitle": c.subtitle, "seed": c.seed, "part": c.part,
        "parts": c.parts, "span": [c.lines[0], c.lines[1]], "raw_count": len(lines),
        "script": SCRIPT_LABELS.get(c.script, c.script), "date": c.date, "date_basis": chinese(c.date_basis),
        "source": c.source, "authors": c.authors, "editors": c.editors, "tags": c.tags,
        "note": note_text(article.note_html), "warnings": [chinese(w) for w in attention],
        "first": first, "lines": span, "status": line_statuses(article, lines),
        "reasons": reasons, "why": why, "fixes": fixes, "paragraphs": paragraphs,
        "sidecar": c.seed.rsplit(".", 1)[0] + ".yaml",
    }
