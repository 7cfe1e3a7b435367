"""What an editor should look at: an article's reasons for a look.

Made beside the article in the per-seed worker (the build keeps them with
it, so the report index needs no raw lines), and again for the cleaning
report and for an article a later stage changed.
"""
from __future__ import annotations

from .records import Article

# Below these an article is flagged for a look; they decide nothing about cleaning.
LOW_TEXT_SHARE = 0.15        # kept characters / all characters of the article's span of the seed
SHORT_PART_CHARS = 80        # a part of a split page this short may be a bad split


def attention(article: Article, lines: list[str] | None = None) -> list[str]:
    """Why an editor should look at this article: its warnings, then what the data shows
    (no date, unrepaired garble, a small share of the page kept, a tiny part of a split page)."""
    c = article.clean
    reasons = list(c.warnings)
    if c.date is None and not any("日期" in w or "date" in w.lower() for w in reasons):
        reasons.insert(0, "未找到发布日期 (undated)")
    body = "".join(p.text for p in c.paragraphs)
    if "\ufffd" in body or "\ufffd" in c.title or any(f.kind == "mojibake-gap" for f in c.fixes):
        reasons.append("有未能修复的乱码 (unrepaired garble)")
    if c.parts > 1 and len(body) < SHORT_PART_CHARS:
        reasons.append(f"拆分可能有误:本篇正文仅 {len(body)} 字 (uncertain split)")
    if lines:
        span = lines[max(0, c.lines[0] - 1):max(c.lines[1], c.lines[0])]
        total = sum(len(line.strip()) for line in span)
        if body and total and len(body) / total < LOW_TEXT_SHARE:
            reasons.append(f"正文只占原文的 {100 * len(body) // total}% (low text share)")
    return reasons
