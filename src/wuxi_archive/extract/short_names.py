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
from .text import CLOSE_BRACKETS, DELIMITERS, is_han, last_index, span_start, stop_end

# A Latin-script name: capitalised words, digits and &.- inside (ING, IMF, BlackRock).
# (No lookbehind at its start, so the engine can skip to capitals; the
# character before is tested in _latin_subjects.)
_LATIN = re.compile(r"[A-Z][A-Za-z0-9&.\-]*(?: [A-Z][A-Za-z0-9&.\-]*)*(?![A-Za-z0-9])")
# What ends a clause (and so a 、-list).
_CLAUSE_BREAK = re.compile(r"[,，。;；:：!！?？\n()（）“”\"]")
_BREAK_CHARS = frozenset(",，。;；:：!！?？\n()（）“”\"")
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
    cut = stop_end(segment, lex.short_name_stops, frozenset(), lex.protected_compounds)[0]
    # A function word is the edge only when two characters are left after it:
    # 与华为 is 华为, and 华为 keeps its 为.
    single = max((i + 1 for i in range(len(segment) - 2) if segment[i] in lex.stop_singles), default=0)
    start += max(cut, single)
    while start < end and text.startswith(lex.name_openers, start):
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
    return rest.startswith(lex.subject_context)


def _company_subjects(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """当升科技:…, 运达股份中标…: a company head right before a subject's context."""
    found = []
    for match in lex.company_subject_re.finditer(text):
        pos, end = match.span()
        if not text.startswith(lex.company_heads, end):
            start = _left(text, pos, lex)
            name = text[start:end]
            if 2 <= pos - start <= 4 and plausible(text[start:pos], lex) and plausible(name, lex):
                found.append((start, end))
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
    for match in lex.org_role_re.finditer(text):
        pos, role_end = match.span()
        if not _name_follows(text, role_end, lex):
            continue
        end = pos
        prefix = next((p for p in lex.role_prefixes if text.endswith(p, 0, end)), "")
        end -= len(prefix)
        start = _left(text, end, lex)
        name = text[start:end]
        # 电子软件全球总裁 is a title: a longer run before the role is no short name
        short = end - start <= 4 or _ALNUM_HEAD.match(name)
        after_name = start and text[start - 1] in CLOSE_BRACKETS   # 银行(中国)首席…分析师
        if short and not after_name and not text.startswith(lex.role_prefixes, start) and plausible(name, lex):
            found.append((start, end))
    return found


def _name_follows(text: str, at: int, lex: Lexicon) -> bool:
    """A person's name (or another role joined by 兼) follows the role."""
    nxt = text[at:at + 1]
    return bool(nxt) and (nxt in lex.surnames or nxt in lex.transliteration or nxt == "兼"
                          or text.startswith(lex.compound_surnames, at))


def _list_items(text: str, lex: Lexicon, named: set[str]) -> list[tuple[int, int]]:
    """Items of a 、-list closed by 等公司 …, or of one where at least two
    items, and a third of all, are organisations already named."""
    items_found: list[tuple[int, int]] = []
    ends = tuple(named)
    for clause_start, clause_end in _list_clauses(text, ends, lex.list_closers):
        spans = _raw_items(text, clause_start, clause_end)
        closer = text.startswith(lex.list_closers, spans[-1][1])
        # An item ending in a named organisation counts (its left edge may
        # be cut inside the name, at 和 in 文化和旅游局).
        mates = sum(text.endswith(ends, clause_start, e) for s, e in spans) if ends else 0
        if not closer and (mates < 2 or 3 * mates < len(spans)):
            continue
        first_start = _left(text, spans[0][1], lex, limit=12)
        spans[0] = (max(spans[0][0], first_start), spans[0][1])
        for start, end in spans:
            if plausible(text[start:end], lex):
                items_found.append((start, end))
    return items_found


def _list_clauses(text: str, ends: tuple[str, ...], closers: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every clause holding a 、-list that may qualify: one
    with a named organisation right before a 、, or one a closer ends."""
    marks = [pos for pos in _positions(text, "、") if text.endswith(ends, 0, pos)] if ends else []
    marks += [pos for pos in _positions(text, "等") if text.startswith(closers, pos)]
    clauses: list[tuple[int, int]] = []
    for pos in sorted(marks):
        if clauses and clauses[-1][0] <= pos < clauses[-1][1]:
            continue
        clause = (_clause_start(text, pos), _clause_end(text, pos))
        if "、" in text[clause[0]:clause[1]]:
            clauses.append(clause)
    return clauses


def _clause_start(text: str, pos: int) -> int:
    return last_index(text, _BREAK_CHARS, pos) + 1   # one backward search, not one rfind per mark


def _clause_end(text: str, pos: int) -> int:
    match = _CLAUSE_BREAK.search(text, pos)
    return match.start() if match else len(text)


def _positions(text: str, word: str) -> list[int]:
    found, pos = [], text.find(word)
    while pos >= 0:
        found.append(pos)
        pos = text.find(word, pos + 1)
    return found


def _raw_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of the 、-list in text[start:end], the last up to 等 (the
    first still holds its leading verb or leader: 巨头如…)."""
    bounds, pos = [], start
    i = text.find("、", start, end)
    while i >= 0:
        bounds.append((pos, i))
        pos = i + 1
        i = text.find("、", pos, end)
    last_end = text.find("等", pos, end)
    bounds.append((pos, last_end if last_end > pos else end))
    return bounds
