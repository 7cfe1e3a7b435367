"""Events an article reports: meetings, forums, ceremonies, competitions.

An event's name ends in an event word (大会, 论坛, 启动仪式 …) and starts
after punctuation or the verb before it (召开第三次工作会议…); a quoted
name is taken whole (“…推进会”). It is reported, not just mentioned, when
its sentence says it took place (召开, 举行, 举办, 启幕 …) and not that it
will. Date and place come from that sentence; the organisations named
there held or attended it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .dates import date_mentions, resolve
from .lexicon import Lexicon
from .organisations import OrgMention
from .text import occurrences, sentence_bounds, span_start, stop_end

_YEAR_OR_ORDINAL = re.compile(r"^(?:(?:19|20)\d\d年)?(?:第[0-9一二三四五六七八九十百]+[届次期])?")
_YEAR_LED = re.compile(r"^(?:19|20)\d\d年[^、]{1,12}、$")
_COUNTED = re.compile(r"^[0-9一二三四五六七八九十百两几多数]+[次届场个项期]")
_PLACE_TRAILERS = ("正式", "隆重", "顺利", "成功", "盛大", "如期", "胜利")
# Characters allowed inside an event name that end an organisation name:
# 中国(山西)-巴西双向经贸投资推介会.
_EVENT_KEEP = frozenset("-·")


@dataclass
class FoundEvent:
    name: str
    start: int
    date: str | None = None
    place: str | None = None
    organisations: list[str] = field(default_factory=list)
    ending: str = ""
    sentence: str = ""


def find_events(text: str, article_date: str | None, orgs: list[OrgMention], lex: Lexicon) -> list[FoundEvent]:
    """The events `text` reports, in order of first mention, same names merged."""
    events: dict[str, FoundEvent] = {}
    for start, end, ending in event_spans(text, lex):
        name = text[start:end]
        s0, s1 = sentence_bounds(text, start)
        sentence = text[s0:s1]
        if not reported(sentence, lex, (start - s0, end - s0)):
            continue
        p0 = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
        event = events.setdefault(name, FoundEvent(name=name, start=start, ending=ending, sentence=text[p0:s1]))
        if event.date is None:
            event.date = event_date(text, s0, s1, start, end, article_date, _year_of(name))
        if event.place is None:
            event.place = event_place(sentence)
        _add_organisations(event, orgs, s0, s1)
    for event in events.values():
        for s0, s1 in referring_sentences(text, event.ending):
            _add_organisations(event, orgs, s0, s1)
    _inherit_dates(list(events.values()))
    kept = [e for e in events.values() if not any(e.name != o.name and e.name in o.name for o in events.values())]
    return sorted(kept, key=lambda e: e.start)


# Words saying an event happened during or on the day of one named before it.
_DURING = ("会上", "现场", "当天", "当日", "期间", "同日", "随后")


def _inherit_dates(events: list[FoundEvent]) -> None:
    """An undated event held 会上/当天 of an earlier dated one takes its date."""
    for i, event in enumerate(events):
        if event.date is None and any(word in event.sentence for word in _DURING):
            earlier = [e.date for e in events[:i] if e.date]
            if earlier:
                event.date = earlier[-1]


def _add_organisations(event: FoundEvent, orgs: list[OrgMention], s0: int, s1: int) -> None:
    for mention in orgs:
        if s0 <= mention.start and mention.end <= s1 and mention.canonical not in event.organisations:
            event.organisations.append(mention.canonical)


def referring_sentences(text: str, ending: str) -> list[tuple[int, int]]:
    """Sentences that speak of the event without its name: 出席了本次论坛,
    仪式现场…, 会上… (the organisations there attended it)."""
    short = ending[-2:]
    meeting = ending.endswith(("会", "会议"))
    pattern = re.compile(
        rf"(?:本次|此次){re.escape(short)}|(?:^|[\n。;；!?！？]){re.escape(short)}(?:上|现场|期间)"
        + (r"|(?:^|[\n。;；!?！？])会上" if meeting else "")
    )
    # The pattern has no fixed first character, so a scan tries it at every
    # position of the text; each match holds `short` (or 会上) at most two
    # characters from its start, so it is tried only there, in text order
    # and past the previous match, as finditer would find them.
    anchors = (short, "会上") if meeting else (short,)
    starts = sorted({j for word in anchors for at in occurrences(text, word) for j in (at - 2, at - 1, at) if j >= 0})
    found, pos = [], 0
    for start in starts:
        match = pattern.match(text, start) if start >= pos else None
        if match:
            found.append(sentence_bounds(text, match.end() - 1))
            pos = match.end()
    return found


def event_spans(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, ending) of every event name, quoted names whole."""
    spans = []
    blockers = ("暨",) + lex.event_ending_blockers + lex.event_endings
    for match in lex.event_ending_re.finditer(text):
        s, e = match.span()
        after = text[e:e + 4]
        if after.startswith(blockers):
            continue  # 大会暨…, 大会堂, 论坛开幕式: the name goes on
        start = quoted_start(text, e) if e < len(text) and text[e] in "”\"」』" else -1
        if start < 0:
            start = span_start(text, s, limit=60, keep=_EVENT_KEEP)
            segment = text[start:s]
            start += stop_end(segment, lex.event_left_stops, frozenset(), lex.protected_compounds)[0]
            start = _past_short_conjunct(text, start, s, lex)
            start = _back_over_year_list(text, start, lex)
        if specific(text[start:e], match.group(0), lex):
            spans.append((start, e, match.group(0)))
    return spans


def _past_short_conjunct(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """Skip `到来和` in `代表团的到来和经贸推介会`: a conjunction this close to
    the left edge joins the event to another word, not two halves of a name."""
    for i in range(start, min(stop, start + 3)):
        if text[i] in lex.conjunctions:
            return i + 1
    return start


def _back_over_year_list(text: str, start: int, lex: Lexicon) -> int:
    """`2021年数学、物理知识竞赛`: a name opening with a year may
    list its subjects with `、`; take the listed part back in."""
    if start < 2 or text[start - 1] != "、":
        return start
    edge = span_start(text, start - 1, limit=30)
    segment = text[edge:start - 1]
    edge += stop_end(segment, lex.event_left_stops, frozenset(), lex.protected_compounds)[0]
    return edge if _YEAR_LED.match(text[edge:start]) else start


def quoted_start(text: str, end: int) -> int:
    """Start of a quoted name closing at `end`, or -1."""
    opening = max(text.rfind("“", 0, end), text.rfind("「", 0, end), text.rfind("『", 0, end))
    if opening < 0 or end - opening > 80 or any(c in text[opening + 1:end] for c in "”」』。\n"):
        return -1
    return opening + 1


def specific(name: str, ending: str, lex: Lexicon) -> bool:
    """A name with something specific before its ending (not 此次会议, 签约仪式)."""
    head = name[:-len(ending)]
    core = head[_YEAR_OR_ORDINAL.match(head).end():]
    if len(core) < 2 or head in lex.event_generic_heads or core in lex.event_generic_heads:
        return False
    if _COUNTED.match(core):
        return False  # 8次会议, 两场论坛: a count of events, not one
    return not head.startswith(lex.this_event_heads)


def reported(sentence: str, lex: Lexicon, name_span: tuple[int, int] = (0, 0)) -> bool:
    """The sentence says an event took place: a held-verb with no 将/拟 before it
    (启动 inside the name 启动仪式 says nothing)."""
    for match in lex.held_verb_re.finditer(sentence):
        if name_span[0] <= match.start() < name_span[1]:
            continue
        before = sentence[:match.start()]
        if not any(marker in before for marker in lex.future_markers):
            return True
    return False


def _year_of(name: str) -> int | None:
    match = re.match(r"^((?:19|20)\d\d)年", name)
    return int(match.group(1)) if match else None


def event_date(text: str, s0: int, s1: int, start: int, end: int, article_date: str | None,
               name_year: int | None = None) -> str | None:
    """The date written nearest the event's mention in its sentence, resolved
    against the article's date, or the year the event's name gives."""
    mentions = [d for d in date_mentions(text[s0:s1])]
    if not mentions:
        return None
    def distance(d) -> int:
        a, b = s0 + d.start, s0 + d.end
        return start - b if b <= start else (a - end if a >= end else 0)
    nearest = min(mentions, key=lambda d: (abs(distance(d)), d.start))
    if article_date is None and name_year and nearest.month and not nearest.year:
        nearest = replace(nearest, year=name_year)
    return resolve(nearest, article_date)


_PLACE = re.compile(r"在([^,，。;；、“”\s(（)）]{2,20}?)(?:召开|举行|举办|开幕|闭幕|启幕|启动|揭幕|落幕|成功举办|成功举行)")


def event_place(sentence: str) -> str | None:
    """Where the sentence says the event was held (在锡山区召开 -> 锡山区)."""
    match = _PLACE.search(sentence)
    if not match:
        return None
    place = match.group(1)
    for trailer in _PLACE_TRAILERS:
        place = place.removesuffix(trailer)
    return place if len(place) >= 2 else None
