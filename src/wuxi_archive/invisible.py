"""Invisible format controls taken out of titles and names, where they can spoof.

A right-to-left override (U+202E) turns `无锡txt.exe` into what reads as
`无锡exe.txt`; a zero-width space makes two names look alike that sort,
search and link apart. In a body sentence such a character is left alone
(nothing is lost from the article); in a title, source, author or entity
name, which the site shows in lists, links and page titles, it is removed,
and the article gets a warning naming what was removed, so the editor sees
it in the cleaning report.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .records import Article

# Bidi embeddings, overrides, isolates and marks; zero-width spaces, joiners, word joiner,
# invisible operators, the Mongolian vowel separator and a stray byte-order mark.
CONTROLS = ("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
            "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u180e\ufeff")
_CONTROL = re.compile(f"[{CONTROLS}]")


def strip_controls(text: str) -> tuple[str, list[str]]:
    """`text` without the controls above, and the code points removed (U+XXXX), in order."""
    found = _CONTROL.findall(text)
    if not found:
        return text, []
    return _CONTROL.sub("", text), [f"U+{ord(c):04X}" for c in found]


def clean_names(article: Article) -> Article:
    """The article with its title and every name free of invisible controls (a warning when any were)."""
    removed: dict[str, list[str]] = {}

    def fix(text: str | None, what: str) -> str | None:
        if text is None:
            return None
        out, codes = strip_controls(text)
        if codes:
            removed.setdefault(what, []).extend(codes)
        return out

    c = article.clean
    clean = replace(c, title=fix(c.title, "title"), subtitle=fix(c.subtitle, "subtitle"),
                    source=fix(c.source, "source"), authors=[fix(a, "authors") for a in c.authors],
                    editors=[fix(e, "editors") for e in c.editors], tags=[fix(t, "tags") for t in c.tags])
    organisations = [replace(o, name=fix(o.name, "organisations"), aliases=[fix(a, "organisations") for a in o.aliases],
                             parent=fix(o.parent, "organisations")) for o in article.organisations]
    events = [replace(e, name=fix(e.name, "events"), place=fix(e.place, "events"),
                      organisations=[fix(o, "events") for o in e.organisations]) for e in article.events]
    people = [replace(p, name=fix(p.name, "people"), role=fix(p.role, "people"),
                      organisation=fix(p.organisation, "people")) for p in article.people]
    if not removed:
        return article
    warnings = list(clean.warnings) + [
        f"invisible control characters removed from {what} ({', '.join(sorted(set(codes)))}; "
        f"{len(codes)} in all): they can make text read differently from what it is"
        for what, codes in removed.items()]
    return replace(article, clean=replace(clean, warnings=warnings), organisations=organisations,
                   events=events, people=people)
