"""Organisations named without a suffix, found by how the text uses them.

A short name (当升科技, 华为, ING) has no ending that makes it a name, so it
is taken only on structural evidence:

- a company head (科技, 股份, 移动 …) standing as a subject: before a colon,
  a reporting verb (中标, 宣布, 预测 …) or an officer's role (董事长);
- a Latin-script name standing as a subject the same way (ING预测…);
- the words before an officer's role and a name (华为轮值董事长某某);
- an item of a list closed by 等公司/等企业 …, or of a list most of whose
  other items are organisations already found.
"""
from __future__ import annotations

import re

from .lexicon import Lexicon
from .names import all_generic, is_reference, place_head, starts_generic
from .text import CLOSE_BRACKETS, DELIMITERS, is_han, last_stop_end, protected_mask, span_start

# A Latin-script name: capitalised words, digits and &.- inside (ING, IMF, BlackRock).
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&.\-]*(?: [A-Z][A-Za-z0-9&.\-]*)*(?![A-Za-z0-9])")
_CLAUSE = re.compile(r"[^,，。;；:：!！?？\n()（）“”\"]+")
_ALNUM_HEAD = re.compile(r"^[0-9A-Za-z]{1,4}[\u4e00-\u9fff]{2,4}$")   # 58同城
_QUANTITY = re.compile(r"^[0-9一二三四五六七八九十百千两几多数]+[家个所批位名座类只项]")


def short_name_spans(text: str, lex: Lexicon, named: set[str]) -> list[tuple[int, int]]:
    """(start, end) of every organisation the text names without a suffix;
    `named` holds the organisations found by their suffix."""
    spans = _company_subjects(text, lex) + _latin_subjects(text, lex) + _role_led(text, lex)
    return spans + _list_items(text, lex, named | {text[s:e] for s, e in spans})


def _left(text: str, end: int, lex: Lexicon, limit: int = 10) -> int:
    """Where a short name ending at `end` starts: after punctuation, a function
    word, a verb, an opener (据) or a list leader (如)."""
    start = span_start(text, end, limit=limit)
    segment = text[start:end]
    cut = last_stop_end(segment, lex.stop_verbs + lex.list_leaders + lex.appositive_heads, frozenset(),
                        protected_mask(segment, lex.protected_compounds))
    # A function word is the edge only when two characters are left after it:
    # 与华为 is 华为, and 华为 keeps its 为.
    single = max((i + 1 for i in range(len(segment) - 2) if segment[i] in lex.stop_singles), default=0)
    start += max(cut, single)
    while start < end:
        opener = next((w for w in lex.name_openers if text.startswith(w, start)), "")
        if not opener:
            break
        start += len(opener)
    return start


def plausible(name: str, lex: Lexicon) -> bool:
    """A short name that is no common word, reference, place or count."""
    if _ALNUM_HEAD.match(name):
        return not _QUANTITY.match(name)
    if not 2 <= len(name) <= 6 or not all(is_han(c) for c in name) or "的" in name:
        return False
    if is_reference(name, lex) or all_generic(name, lex) or starts_generic(name, lex):
        return False
    if name in lex.place_names or place_head(name, lex) == name or name in lex.not_names:
        return False
    return not name.endswith(lex.all_org_suffixes)


def _stands_as_subject(text: str, end: int, lex: Lexicon) -> bool:
    """What follows `end` shows the words before it are a subject: a colon,
    a reporting verb or an officer's role."""
    if text[end:end + 1] in (":", "："):
        return True
    rest = text[end:end + 12].lstrip(" ")
    return rest.startswith(lex.subject_verbs + lex.org_roles + lex.role_prefixes)


def _company_subjects(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """当升科技:…, 运达股份中标…: a company head right before a subject's context."""
    found = []
    for head in lex.company_heads:
        pos = text.find(head)
        while pos >= 0:
            end = pos + len(head)
            if _stands_as_subject(text, end, lex) and not text.startswith(lex.company_heads, end):
                start = _left(text, pos, lex)
                name = text[start:end]
                if 2 <= pos - start <= 4 and plausible(text[start:pos], lex) and plausible(name, lex):
                    found.append((start, end))
            pos = text.find(head, pos + 1)
    return found


def _latin_subjects(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """ING预测…, IMF第一副总裁称…: a Latin-script name standing as a subject."""
    found = []
    for match in _LATIN.finditer(text):
        name = match.group(0).rstrip(".-")
        if name in lex.latin_not_names or len(name) < 2 or (name.isupper() and len(name) > 6):
            continue   # INTERNAL:, EXTERNAL: are code, not firms
        before = text[match.start() - 1:match.start()] if match.start() else ""
        if before and not (before in DELIMITERS or is_han(before)):
            continue
        if _stands_as_subject(text, match.start() + len(name), lex):
            found.append((match.start(), match.start() + len(name)))
    return found


def _role_led(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """华为轮值董事长某某, 58同城董事长某某: the words before an officer's role
    and a person name the officer's company."""
    found = []
    for role in lex.org_roles:
        pos = text.find(role)
        while pos >= 0:
            end = pos
            prefix = next((p for p in lex.role_prefixes if text.endswith(p, 0, end)), "")
            end -= len(prefix)
            if _name_follows(text, pos + len(role), lex):
                start = _left(text, end, lex)
                name = text[start:end]
                # 电子软件全球总裁 is a title: a longer run before the role is no short name
                short = end - start <= 4 or _ALNUM_HEAD.match(name)
                after_name = start and text[start - 1] in CLOSE_BRACKETS   # 银行(中国)首席…分析师
                if short and not after_name and not text.startswith(lex.role_prefixes, start) and plausible(name, lex):
                    found.append((start, end))
            pos = text.find(role, pos + 1)
    return found


def _name_follows(text: str, at: int, lex: Lexicon) -> bool:
    """A person's name (or another role joined by 兼) follows the role."""
    nxt = text[at:at + 1]
    return bool(nxt) and (nxt in lex.surnames or nxt in lex.transliteration or nxt == "兼"
                          or text.startswith(lex.compound_surnames, at))


def _list_items(text: str, lex: Lexicon, named: set[str]) -> list[tuple[int, int]]:
    """Items of a 、-list closed by 等公司 …, or of one where at least two
    items, and a third of all, are organisations already named."""
    items_found = []
    for clause in _CLAUSE.finditer(text):
        if "、" not in clause.group(0):
            continue
        spans = _split_items(text, clause.start(), clause.end(), lex)
        closer = any(text.startswith(c, spans[-1][1]) for c in lex.list_closers)
        # An item ending in a named organisation counts (its left edge may
        # have been cut inside the name, at 和 in 文化和旅游局).
        ends = tuple(named)
        mates = sum(any(text.endswith(n, clause.start(), e) for n in ends) for s, e in spans)
        if not closer and (mates < 2 or 3 * mates < len(spans)):
            continue
        for start, end in spans:
            if plausible(text[start:end], lex):
                items_found.append((start, end))
    return items_found


def _split_items(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """The items of the 、-list in text[start:end]: the first after its leading
    verb or leader (巨头如…), the last up to 等."""
    bounds, pos = [], start
    for i in range(start, end):
        if text[i] == "、":
            bounds.append((pos, i))
            pos = i + 1
    last_end = text.find("等", pos, end)
    bounds.append((pos, last_end if last_end > pos else end))
    first_start = _left(text, bounds[0][1], lex, limit=12)
    bounds[0] = (max(bounds[0][0], first_start), bounds[0][1])
    return bounds
