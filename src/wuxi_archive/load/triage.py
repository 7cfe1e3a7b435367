"""Decide which seeds' articles enter the site, saying why any do not.

Runs once over all seeds' articles, after the per-seed pipeline: a page
whose cleaning found no article text gets no empty page, and an article
that another seed already holds (the same story scraped twice) is kept
once. Each decision is a notice naming the seed, for the build to print.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from typing import Callable

from ..records import Article

# Differences that do not make a different article: spacing, punctuation width.
_IGNORED = re.compile(r"[\s\u200b\u3000]+")


def body_fingerprint(article: Article) -> str:
    """A hash of the article's body text, blind to spacing and full/half-width forms."""
    text = "\n".join(p.text for p in article.clean.paragraphs)
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def has_article_text(article: Article) -> bool:
    return any(p.text.strip() for p in article.clean.paragraphs)


def triage_articles(articles: list[Article], seeds_read: list[str],
                    fingerprint: Callable[[Article], str] = body_fingerprint,
                    has_text: Callable[[Article], bool] = has_article_text) -> tuple[list[Article], list[str]]:
    """Drop empty articles and repeats of an earlier seed's article.

    `seeds_read` are the seeds that loaded; one that leaves no article gets
    a notice. The first seed in name order keeps a repeated article and
    gets a warning naming the others. Returns (kept articles, notices).
    `fingerprint` and `has_text` are body_fingerprint and has_article_text,
    or lookups of what was found earlier (a cached article's body is not loaded).
    """
    notices: list[str] = []
    ordered = sorted(articles, key=lambda a: (a.clean.seed, a.clean.part))
    with_text = [a for a in ordered if has_text(a)]
    with_article = {a.clean.seed for a in with_text}
    kept_ids = {id(a) for a in with_text}
    for article in ordered:
        if article.clean.seed in with_article and id(article) not in kept_ids:
            notices.append(f"{_label(article)}: no article text found in this part; no page made")
    first_by_body: dict[str, int] = {}
    kept: list[Article] = []
    for article in with_text:
        key = fingerprint(article)
        if key in first_by_body:
            original = kept[first_by_body[key]]
            notices.append(f"{_label(article)}: duplicate of {_label(original)} (same article text); "
                           "kept once, under the first")
            clean = original.clean
            kept[first_by_body[key]] = replace(original, clean=replace(
                clean, warnings=[*clean.warnings, f"the same article is also in {_label(article)}, which was left out"]))
            continue
        first_by_body[key] = len(kept)
        kept.append(article)
    for seed in sorted(set(seeds_read) - with_article):
        notices.append(f"{seed}: no article text found (every line looked like page chrome); no page made")
    return kept, notices


def _label(article: Article) -> str:
    c = article.clean
    return c.seed if c.parts == 1 else f"{c.seed} (article {c.part})"
