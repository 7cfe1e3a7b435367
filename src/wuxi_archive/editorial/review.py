"""What an editor should look at: an article's reasons for a look.

One list, in English (the key tools read): `clean` prints it, `check` warns
with it and the cleaning report shows it in Chinese (render/chinese.py).

Made beside the article in the per-seed worker (the build keeps them with
it, so the report index needs no raw lines), and again for the cleaning
report and for an article a later stage changed.
"""
from __future__ import annotations

from ..records import Article

# Below these an article is flagged for a look; they decide nothing about cleaning.
LOW_TEXT_SHARE = 0.15        # kept characters / all characters of the article's span of the seed
SHORT_PART_CHARS = 80        # a part of a split page this short may be a bad split


def attention(article: Article, lines: list[str] | None = None) -> list[str]:
    """Why an editor should look at this article: its warnings, then what the data shows
    (no date, unrepaired garble, a small share of the page kept, a tiny part of a split page)."""
    c = article.clean
    reasons = list(c.warnings)
    if c.date is None and not any("日期" in w or "date" in w.lower() for w in reasons):
        reasons.insert(0, "undated: no publication date found")
    body = "".join(p.text for p in c.paragraphs)
    if "\ufffd" in body or "\ufffd" in c.title or any(f.kind == "mojibake-gap" for f in c.fixes):
        reasons.append("unrepaired garble in the text")
    if c.parts > 1 and len(body) < SHORT_PART_CHARS:
        reasons.append(f"uncertain split: this part has only {len(body)} characters of text")
    if lines:
        span = lines[max(0, c.lines[0] - 1):max(c.lines[1], c.lines[0])]
        total = sum(len(line.strip()) for line in span)
        if body and total and len(body) / total < LOW_TEXT_SHARE:
            reasons.append(f"low text share: the text kept is {100 * len(body) // total}% of the page")
    return reasons
