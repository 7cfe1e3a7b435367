"""People named with a role: `新吴区工信局副局长陈建国`, `刘志远教授`.

A person is found only next to a role word (before the name) or a title
(after it), so a bare two-character word is never taken for a name. The
name is a common surname and one or two more characters; where it stops
is decided by what follows (王小明介绍, 李华参加, 周敏共同为 …).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .lexicon import Lexicon
from .organisations import OrgMention
from .text import DELIMITERS, is_han, span_start, stop_end, word_positions


@dataclass
class FoundPerson:
    name: str
    role: str | None
    organisation: str | None
    start: int


def find_people(text: str, orgs: list[OrgMention], lex: Lexicon) -> list[FoundPerson]:
    """People named with a role, first mention first, one record per name."""
    people: dict[str, FoundPerson] = {}
    spans: list[tuple[int, int]] = []
    found = [(s, e, name, role, True) for s, e, name, role in _role_before(text, lex)]
    found += [(s, e, name, role, False) for s, e, name, role in _title_after(text, orgs, lex)]
    found += [(s, e, name, role, False) for s, e, name, role in _dotted_names(text, lex)]
    found += [(s, e, name, role, False) for s, e, name, role in _age_led(text, lex)]
    by_start = _MentionsByStart(orgs)
    taken_to = 0   # where the names taken so far end, at the furthest (they start at or before s)
    for s, e, name, role_span, before in sorted(found, key=lambda f: (f[0], not f[4], f[1])):
        if taken_to > s or by_start.cover(s):
            continue
        role_start = _role_start(text, role_span[0], spans, lex) if before else role_span[0]
        role_start = _past_role_openers(text, role_start, role_span[0], lex)
        role = text[role_start:role_span[1]].replace(name, "", 1).strip()
        spans.append((s, e))
        taken_to = max(taken_to, e)
        organisation = by_start.nearest_inside(role_start, role_span[1] if role_span[1] <= s else s)
        if name in people:
            if people[name].role is None and role:   # first named by age or ·, its role later
                people[name].role, people[name].organisation = role, organisation
            continue
        people[name] = FoundPerson(name, role or None, organisation, s)
    return sorted(people.values(), key=lambda p: p.start)


def _role_before(text: str, lex: Lexicon):
    """(start, end, name, (role_start, role_end)) for `…副局长陈建国`, and for
    each further name the role lists with `、` (航天员景海鹏、刘洋)."""
    for match in lex.role_re.finditer(text):
        at = match.end()
        name = read_name(text, at, lex)
        if not name and text[at:at + 1] in lex.transliteration:
            name = read_foreign_name(text, at, lex)
        while name:
            yield at, at + len(name), name, (match.start(), match.end())
            at += len(name) + 1
            if text[at - 1:at] != "、":
                break
            name = read_name(text, at, lex)
            if name and not _ends_name(text, at + len(name), lex, list_end=True):
                break


def read_foreign_name(text: str, at: int, lex: Lexicon) -> str:
    """A transliterated name starting at `at` (国防部长加兰特, 尼赞·阿隆): a run of
    transliteration characters, two runs when joined by ·, that ends where a
    name may end ('' when none)."""
    end = _foreign_run(text, at, lex)
    if end < at + 2 and not (end > at and text[end:end + 1] == "·"):
        return ""
    if text[end:end + 1] == "·":
        tail = _foreign_run(text, end + 1, lex)
        end = tail if tail > end + 1 else end
    return text[at:end] if end - at >= 2 and _ends_name(text, end, lex) else ""


def _foreign_run(text: str, at: int, lex: Lexicon, longest: int = 6) -> int:
    end = at
    while end < len(text) and end - at < longest and text[end] in lex.transliteration:
        if end > at and text.startswith(lex.followers, end):
            break
        end += 1
    return end


_AGE = re.compile(r"[0-9一二三四五六七八九十]{1,3}岁(?:的)?")


def _age_led(text: str, lex: Lexicon):
    """(start, end, name, role span) of a name right after an age (37岁某某,
    58岁的某某): a full name (surname and two characters) the text names
    again elsewhere, or any name a verb or punctuation ends."""
    for match in _AGE.finditer(text):
        at = match.end()
        name = read_name(text, at, lex)
        if not name:
            full = text[at:at + 3]
            if len(full) == 3 and _looks_like_name(full, lex) and text.count(full) >= 2 \
                    and not full.startswith(lex.compound_surnames):
                name = full
        if name:
            yield at, at + len(name), name, (at, at)


def _dotted_names(text: str, lex: Lexicon):
    """(start, end, name, role span) of foreign names written with ·
    (尼赞·阿隆): two transliterated parts joined by · are a name anywhere."""
    pos = text.find("·")
    while pos >= 0:
        start = pos
        while start > 0 and pos - start < 4 and text[start - 1] in lex.transliteration:
            start -= 1
        name = read_foreign_name(text, start, lex) if start < pos else ""
        if name and "·" in name and (start == 0 or text[start - 1] not in lex.transliteration):
            yield start, start + len(name), name, (start, start)
        pos = text.find("·", pos + 1)


def _title_after(text: str, orgs: list[OrgMention], lex: Lexicon):
    """`刘志远教授`, `华东师范大学刘敏教授`: a name between an edge and a title."""
    org_ends = {m.end: m for m in orgs}
    found = []
    positions = word_positions(text, lex.titles_after)
    for title in lex.titles_after:
        for pos in positions.get(title, []):
            for length in (2, 3, 4):
                s = pos - length
                if s < 0:
                    continue
                name = text[s:pos]
                at_edge = s == 0 or text[s - 1] in DELIMITERS or s in org_ends or _after_stop(text, s, lex)
                if at_edge and _looks_like_name(name, lex):
                    role_start = org_ends[s].start if s in org_ends else pos
                    found.append((s, pos, name, (role_start, pos + len(title)), title))
                    break
    return [(s, e, n, r) for s, e, n, r, _ in found]


def _after_stop(text: str, s: int, lex: Lexicon) -> bool:
    """正如某某主席…: a list leader (如, 包括) right before the name."""
    return text.endswith(lex.list_leaders, 0, s)


def read_name(text: str, at: int, lex: Lexicon) -> str:
    """The name starting at `at` ('' when what follows is not a name)."""
    surname = ""
    if text.startswith(lex.compound_surnames, at):      # one test in C, then which one
        surname = next(c for c in lex.compound_surnames if text.startswith(c, at))
    if not surname and at < len(text) and text[at] in lex.surnames:
        surname = text[at]
    if not surname:
        return ""
    given_at = at + len(surname)
    for given in (1, 2) if _ends_name(text, given_at + 1, lex) else (2, 1):
        end = given_at + given
        name = text[at:end]
        if _looks_like_name(name, lex) and _ends_name(text, end, lex):
            return name
    return ""


def _ends_name(text: str, pos: int, lex: Lexicon, list_end: bool = False) -> bool:
    """Whether a name may stop at `pos`: punctuation, a verb or a title follows
    (with `list_end`, any Han character too: the last name of 李明、王芳增持)."""
    if pos >= len(text) or text[pos] in DELIMITERS or not is_han(text[pos]):
        return True
    if list_end:
        return True
    if text.startswith(lex.name_enders, pos):
        return True
    return text[pos] in lex.follower_chars


def _looks_like_name(name: str, lex: Lexicon) -> bool:
    if not 2 <= len(name) <= 4 or not all(is_han(c) for c in name):
        return False
    surname = name[0]
    if name.startswith(lex.compound_surnames):
        surname = next(c for c in lex.compound_surnames if name.startswith(c))
    if surname not in lex.surnames and surname not in lex.compound_surnames:
        return False
    given = name[len(surname):]
    if any(c in lex.not_given for c in given):
        return False
    if not 1 <= len(given) <= 2 or name in lex.not_names or given in lex.not_names:
        return False
    return not any(c in lex.stop_singles or c in lex.follower_chars for c in given[:1]) and not (
        name.startswith(lex.not_name_words) or given.startswith(lex.not_name_words))


def _role_start(text: str, role_word_start: int, taken: list[tuple[int, int]], lex: Lexicon) -> int:
    """Where the role ending in the role word at `role_word_start` starts.

    It runs back over `、`-joined roles (党委委员、组织部部长) but never over
    an earlier person (市长吴国强、…), and stops after a verb or function
    word (报告会由…, 在无锡市科技局局长…).
    """
    end = role_word_start
    while True:
        edge = span_start(text, end, limit=40)
        segment = text[edge:end]
        cut = stop_end(segment, lex.stop_verbs, lex.plain_stops, lex.protected_compounds)[0]
        person = max((b for a, b in taken if edge <= a < end), default=-1)
        if person >= 0:  # 市长吴国强和副市长…: the role starts after the earlier person
            cut = max(cut, person - edge + (1 if text[person:person + 1] in lex.conjunctions else 0))
        if cut or edge < 2 or text[edge - 1] != "、":
            return edge + cut
        previous_start = span_start(text, edge - 1, limit=40)
        previous = text[previous_start:edge - 1]
        role_word = _last_role_word(previous, lex)
        if not role_word or any(previous_start <= a < edge for a, _ in taken):
            return edge
        end = edge - 1 - len(role_word)
        if end <= previous_start:
            return previous_start


def _last_role_word(words: str, lex: Lexicon) -> str:
    """The first of lex.role_words (longest first) that `words` end with ('' when none)."""
    # Its tails looked up, longest first: the same word as testing each role
    # word in turn (two of one length cannot both end the words), in a few steps.
    for length in lex.role_word_lengths:
        if length <= len(words) and words[len(words) - length:] in lex.role_word_set:
            return words[len(words) - length:]
    return ""


_DATE_OPENER = re.compile(r"[0-9０-９]{1,4}[年月日号]")


def _past_role_openers(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """据某研究所研究员, 与管理中心主任, 25日…: what opens the clause is not
    part of the role."""
    while start < stop:
        opener = next((w for w in lex.name_openers if text.startswith(w, start)), "") \
            if text.startswith(lex.name_openers, start) else ""
        date = _DATE_OPENER.match(text, start, stop)
        step = len(opener) or (date.end() - start if date else 0)
        if not step and text[start] in lex.conjunctions:
            step = 1
        if not step:
            return start
        start += step
    return start


class _MentionsByStart:
    """An article's organisation mentions ordered by start, so that what a
    person's position asks of them is a bisection, not a pass over all."""

    def __init__(self, orgs: list[OrgMention]):
        self.ordered = sorted(orgs, key=lambda m: m.start)   # stable: mentions starting together keep their order
        self.starts = [m.start for m in self.ordered]
        self.reach = list(accumulate((m.end for m in self.ordered), max))   # furthest end up to each

    def cover(self, pos: int) -> bool:
        """Whether a mention covers `pos`."""
        before = bisect_right(self.starts, pos)
        return before > 0 and self.reach[before - 1] > pos

    def nearest_inside(self, start: int, end: int) -> str | None:
        """The organisation named inside text[start:end], nearest its end."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        inside = [m for m in self.ordered[lo:hi] if m.end <= end]
        return max(inside, key=lambda m: (m.end, m.end - m.start)).canonical if inside else None
