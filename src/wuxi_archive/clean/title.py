"""An article's headline: the best of the scored candidate lines above its body.

A headline is short, has no full stop, sits above the dateline (date,
source, author) and the body, often repeats in the page title (a text
dump's first line is often the page's `<title>`: `标题_栏目_网站名`) or in
the breadcrumb, and shares words with the first paragraphs. Toolbars,
bylines, photo credits, post metadata, menus and subheadings look like
headlines line by line; they lose on these features. Every point a
candidate gets is kept under a feature name, so the cleaning report can say
why a line was chosen, and a choice no feature confirms (or with a close
rival) is reported as weak. (A saved web page whose markup names its
headline skips this choice: html_hints.py.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lines as L
from .chrome import PageLine, Roles, is_legal, is_tail_opener, is_widget
from .lexicon import Lexicon, remembered
from .memo import text_memo
from .metadata import is_metadata_line, parse_full_date, read_dateline, strip_title_prefix
from .paragraphs import is_caption

MIN_HAN, MAX_HAN = 4, 80        # outside this a line is no headline (a Latin word counts as two Han)
BODY_SAMPLE_LINES = 12          # non-empty lines from the body start whose words a headline shares
BODY_SAMPLE_CHARS = 600         # ... and at most about this many characters of them (the lead)
MAX_JOIN = 3                    # lines one headline may be printed on
HEADER_RUN = 4                  # headline, subtitle, outlet, ...: eligible lines stacked above a dateline
HEADER_SKIPS = 3                # controls and counters among them
HEAD_HAN, SHORT_HEAD_HAN = 8, 6 # Han characters of a headline on top of them (of a short one)
MENU_LINE_HAN = 8               # a line this short between menu words is one of them
MENU_ITEM_HAN = 6               # an item of a menu row is a word or two
NEIGHBOUR_MARGIN = 16          # lines past the body start whose neighbours are counted ahead
MAX_CANDIDATE_LINES = 40        # lines above the body a headline may stand among
CLOSE_SCORE = 1.0               # a rival this close makes the choice weak

# Points of each feature. Confirmations (a line the page marks as its
# headline) outweigh shape; shape decides between unconfirmed lines.
POINTS = {
    "repeats the page title": 4.0,
    "last item of the breadcrumb": 3.0,
    "heads the lines above a dateline": 3.0,
    "above a dateline": 1.5,
    "below a breadcrumb": 1.5,
    "shares its words with the body": 3.0,       # times the share of its bigrams in the body
    "first line of the page": 1.0,              # a text dump's first line is often the <title>
    "carries a site suffix": 1.0,               # ... and then looks like one: 标题_栏目_网站
    "lines joined": 0.5,
    "headline length": 0.5,
    "next to the body": 1.0,
    "near the body": 0.5,
    "far from the body": -1.0,
    "very short": -0.5,
    "very long": -1.0,
    "reads like a sentence": -1.5,
    "cut at a connective": -2.0,
    "between lines of text": -1.0,
    "numbered like a section head": -2.5,
    "a byline or credit": -3.0,
    "item of a dated list": -4.0,
    "menu among menu items": -1.5,
}
# Confirmations: without one of them the choice is weak.
CONFIRMING = ("repeats the page title", "last item of the breadcrumb", "heads the lines above a dateline",
              "above a dateline", "shares its words with the body")
MIN_CONFIRMING_SHARE = 0.5      # words shared with the body that count as a confirmation

_NUMBERED = re.compile(r"^\s*(?:(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.．:：)）]|0\d(?!\d)"
                       r"|[(（][一二三四五六七八九十\d]{1,3}[)）]|第[一二三四五六七八九十百\d]+[章节部分篇条])")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?!\d)")
_DIGIT_STAMP = re.compile(r"[\d\s:/.\-年月日时分秒]+")   # `15:312018/09/16`: a stamp the date rules may not read
_CRUMB = re.compile(r"\s+[-/|｜]\s+|\s*(?:>>?|»|›|→)\s*")
_TOKENS = re.compile(r"[\s|｜/／·•]+")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_BIGRAM_TEXT = re.compile(rf"{L.HAN.pattern}+|[A-Za-z][A-Za-z0-9]+")


@dataclass(frozen=True)
class Candidate:
    first: int                            # index of its first line
    last: int                             # index of its last line (a headline printed on two lines)
    text: str                             # the page's own script, lines joined
    probe: str                            # the simplified view
    features: tuple[tuple[str, float], ...]
    score: float = 0.0                    # the features' points summed

    @property
    def confirmed(self) -> bool:
        return any(name in CONFIRMING and points > 0 and (name != "shares its words with the body"
                   or points >= POINTS[name] * MIN_CONFIRMING_SHARE) for name, points in self.features)

    def evidence(self) -> str:
        """The features in words, strongest first, for the cleaning report."""
        ranked = sorted(self.features, key=lambda f: -abs(f[1]))
        return "; ".join(f"{name} ({points:+.1f})" for name, points in ranked)


@dataclass(frozen=True)
class TitleChoice:
    chosen: Candidate | None
    runner_up: Candidate | None           # the best candidate with another text
    weak: str | None                      # why the choice is weak, or None
    candidates: tuple[Candidate, ...] = ()  # all of them, best first


def choose_title(page: list[PageLine], roles: list[Roles], order: list[int], body_start: int,
                 lexicon: Lexicon, page_title: str | None) -> TitleChoice:
    """The headline among the lines `order` (non-empty indices above the body at `body_start`)."""
    # A headline stands near the body, or is the page's first line (a text dump's
    # <title>): the menus of a portal's top are never scored, nor even examined.
    near = order[-MAX_CANDIDATE_LINES:]
    if order and order[0] not in near:
        near = [order[0]] + near
    eligible = [i for i in near if _eligible(page[i], roles[i], lexicon)]
    if not eligible:
        return TitleChoice(None, None, None)
    title_line = order[0] if order and page_title is not None and page[order[0]].probe == page_title else None
    # a <title> cut short ends in an ellipsis: what is left is the headline's start
    reference = _fold(_strip_site_suffix(page_title)).rstrip(".…") if page_title else ""
    body = _body_sample(page, body_start)
    nb = _Neighbours(page, body_start + NEIGHBOUR_MARGIN)
    is_eligible = set(eligible)
    context = _Context(page, roles, lexicon, is_eligible, body_start, body, reference, title_line,
                       _header_places(page, is_eligible, body_start, lexicon, nb), nb)
    candidates = [_score(context, run) for run in _runs(page, eligible, lexicon, nb)
                  if len(run) > 1 or not _menu_item(context, run[0])]
    if not candidates:
        return TitleChoice(None, None, None)
    candidates.sort(key=lambda c: (-c.score, -c.last))   # on a tie the one nearer the body
    best = candidates[0]
    words = _same_words(best, lexicon)
    rival = next((c for c in candidates[1:] if _same_words(c, lexicon) != words), None)
    return TitleChoice(best, rival, _weakness(best, rival), tuple(candidates))


def _same_words(c: Candidate, lexicon: Lexicon) -> str:
    """What a candidate reads as a title: `正在阅读：标题` and `标题` are one."""
    return _fold(strip_title_prefix(c.probe, lexicon) if _has_colon(c.probe) else c.probe)


def _weakness(best: Candidate, rival: Candidate | None) -> str | None:
    if not best.confirmed:
        return "nothing confirms it: it repeats neither the page title nor the breadcrumb, stands above no " \
               "dateline and shares few words with the body"
    if rival is not None and best.score - rival.score < CLOSE_SCORE:
        return f"「{rival.text}」 came close ({rival.score:.1f} against {best.score:.1f})"
    return None


def weak_title_warning(choice: TitleChoice) -> str | None:
    """The cleaning report's warning for a headline chosen on little evidence."""
    if choice.chosen is None or choice.weak is None:
        return None
    return (f"weak title (标题置信度低): 「{choice.chosen.text}」 was taken for the headline, but {choice.weak}; "
            "check the title and set it in a sidecar if it is wrong")


def first_line_warning(title: str) -> str:
    """The warning for a title taken from a text dump's first line when no line above the body could be one."""
    return (f"weak title (标题置信度低): no line above the article looks like its headline; the page's first line "
            f"「{title}」 stands in; check the title and set it in a sidecar if it is wrong")


# --- what a line must be to be considered at all -------------------------------------------

def _eligible(p: PageLine, role: Roles, lexicon: Lexicon) -> bool:
    return _eligible_text(p.probe, lexicon, role)


@remembered    # the menus above a body recur on every page of a site
def _eligible_text(text: str, lexicon: Lexicon, role: Roles) -> bool:
    han = L.han_count(text)
    if _size(text, han) < MIN_HAN or han > MAX_HAN or role.stop or role.feed or "。" in text:
        return False
    if text.rstrip().endswith((":", "：", ",", "，", "、")) or L.is_bracketed(text):   # a label, or a line broken off
        return False
    if L.TIME.search(text) or _NUMERIC_DATE.search(text):
        return False            # post metadata (`2024-05-18 16:56发布于…`): no headline holds a clock time
    if _is_crumb(text) or is_widget(text, lexicon) or L.is_url(text) or L.has_email(text) or is_legal(text, lexicon):
        return False
    if is_tail_opener(text, lexicon) or L.is_keyword_salad(text) or is_toolbar(text, lexicon) or is_menu_row(text):
        return False
    # the costlier reads last: most lines above a body are menu words that pass all of the above
    return not (_is_stamp_line(text) or is_metadata_line(text, lexicon))


def _size(text: str, han: int) -> int:
    """A line's length in Han characters, a word in Latin letters counting two (`iPhone 16 发布`)."""
    return han + 2 * len(_LATIN_WORD.findall(text)) if han < MIN_HAN else han


@remembered
def is_toolbar(text: str, lexicon: Lexicon) -> bool:
    """A row of controls: two or more widget words (字号 大 中 小 打印 分享到 微信 微博)."""
    if L.han_count(text) > 40:
        return False
    lower = text.lower()
    if lexicon.widgets_re.search(lower) is None:
        return False            # no widget word at all (most lines): one scan in C, not one per word
    return sum(1 for w in _lowered(lexicon.widgets) if w in lower) >= 2


def is_menu_row(text: str) -> bool:
    """Four or more short items in a row (首页 快讯 公司 | 行情中心 个股查询 …)."""
    items = [t for t in _TOKENS.split(text) if t]
    return len(items) >= 4 and all(L.han_count(t) <= MENU_ITEM_HAN for t in items)


def is_crumb_row(text: str) -> bool:
    """Short items parted by spaced dashes, slashes or arrows (`首页 - 新闻动态`): navigation."""
    items = [t for t in _CRUMB.split(text) if t.strip()]
    return len(items) >= 2 and all(L.han_count(t) <= 6 for t in items)


@text_memo(65536)      # asked of the same lines by several features
def _is_crumb(text: str) -> bool:
    return L.is_breadcrumb(text) or is_crumb_row(text)


@text_memo(65536)
def _is_stamp_line(text: str) -> bool:
    """A date line: a timestamp, or a short line holding a full date (`2019-09-26 12:11来源：…`)."""
    if L.is_timestamp(text) or _DIGIT_STAMP.fullmatch(text.strip()) and sum(c.isdigit() for c in text) >= 6:
        return True
    return L.han_count(text) <= 40 and not L.is_prose(text) and bool(L.TIME.search(text) or _NUMERIC_DATE.search(text)
                                                                      or L.FULL_DATE.search(text))


# --- candidates: single lines and headlines printed on two or three lines ------------------

def _runs(page: list[PageLine], eligible: list[int], lexicon: Lexicon, nb: _Neighbours) -> list[tuple[int, ...]]:
    """Every eligible line alone, and each run of adjacent lines a connective ties together."""
    runs: list[tuple[int, ...]] = [(i,) for i in eligible]
    position = {i: k for k, i in enumerate(eligible)}
    for i in eligible:
        run = [i]
        while len(run) < MAX_JOIN:
            k = position[run[-1]] + 1
            if k >= len(eligible) or nb.next(run[-1]) != eligible[k]:
                break
            if not _continues(page[run[-1]].probe, page[eligible[k]].probe, lexicon):
                break
            run.append(eligible[k])
            runs.append(tuple(run))
    return runs


def _continues(upper: str, lower: str, lexicon: Lexicon) -> bool:
    """The upper line breaks off at a connective, or the lower one opens with one."""
    return upper.rstrip().endswith(lexicon.title_join_enders) or lower.lstrip().startswith(lexicon.title_join_openers)


def _join(parts: list[str]) -> str:
    out = parts[0].strip()
    for part in parts[1:]:
        part = part.strip()
        space = " " if out[-1:].isascii() and out[-1:].isalnum() and part[:1].isascii() and part[:1].isalnum() else ""
        out += space + part
    return out


# --- features ------------------------------------------------------------------------------

@dataclass
class _Context:
    page: list[PageLine]
    roles: list[Roles]
    lexicon: Lexicon
    eligible: set[int]
    body_start: int
    body: str                           # the body's first lines, folded and lower-cased
    page_title: str                     # the page title reduced to its headline, folded
    title_line: int | None
    places: dict[int, str]              # line -> its place above a dateline
    nb: _Neighbours


def _score(cx: _Context, run: tuple[int, ...]) -> Candidate:
    page, lexicon = cx.page, cx.lexicon
    first, last = run[0], run[-1]
    text = _join([page[i].text for i in run]) if len(run) > 1 else page[first].text
    probe = _join([page[i].probe for i in run]) if len(run) > 1 else page[first].probe
    if first == cx.title_line and len(run) == 1:
        reduced = _strip_site_suffix(probe)
        if reduced != probe.strip() and len(reduced) == len(_strip_site_suffix(text)):
            text = _strip_site_suffix(text)
        probe = reduced if reduced != probe.strip() else probe
    features: list[tuple[str, float]] = []

    def add(name: str, scale: float = 1.0) -> None:
        features.append((name, round(POINTS[name] * scale, 2)))

    folded = _fold(probe)
    han = L.han_count(probe)
    # page title, breadcrumb
    if first == cx.title_line:
        add("first line of the page")
        if _strip_site_suffix(page[first].probe) != page[first].probe.strip():
            add("carries a site suffix")
    elif _repeats(folded, cx.page_title):
        add("repeats the page title")
    above = cx.nb.above(first, 3)
    crumbs = [j for j in above if _is_crumb(page[j].probe)]
    if any(L.is_breadcrumb(page[j].probe) and _fold(_crumb_last(page[j].probe)) == folded for j in crumbs):
        add("last item of the breadcrumb")
    elif any(_is_crumb(page[j].probe) or page[j].probe.rstrip().endswith("正文") for j in above[:2]):
        add("below a breadcrumb")
    # place above a dateline: the run's first line heads the stack, or any of its lines is in it
    if cx.places.get(first) == "heads the lines above a dateline":
        add("heads the lines above a dateline")
    elif any(i in cx.places for i in run):
        add("above a dateline")
    # words shared with the body
    grams = _bigrams(probe)
    if grams and cx.body:
        share = sum(1 for g in grams if g in cx.body) / len(grams)
        weight = min(1.0, len(grams) / 6)     # a short line shares its few words by chance
        if share * weight > 0:
            add("shares its words with the body", share * weight)
    # shape
    if len(run) > 1:
        add("lines joined")
    if han < 6:
        add("very short")
    elif han <= 40:
        add("headline length")
    elif han > 60:
        add("very long")
    if L.is_prose(probe):
        add("reads like a sentence")
    if _is_cut(page, first, last, lexicon, cx.nb):
        add("cut at a connective")
    if _NUMBERED.match(probe):
        add("numbered like a section head")
    if is_credit(probe, lexicon):
        add("a byline or credit")
    if _is_dated_list_item(page, first, last, cx.eligible, cx.nb):
        add("item of a dated list")
    before, after = cx.nb.prev(first), cx.nb.next(last)
    if before is not None and cx.roles[before].prose:
        add("between lines of text")
    if han <= MENU_LINE_HAN and _menu_like(page, before) and _menu_like(page, after):
        add("menu among menu items")
    # distance to the body
    distance = cx.nb.between(last, cx.body_start)
    if distance <= 2:
        add("next to the body")
    elif distance <= 6:
        add("near the body")
    elif distance > 40:
        add("far from the body")
    return Candidate(first, last, text.strip(), probe.strip(), tuple(features),
                     round(sum(points for _, points in features), 3))


def _repeats(folded: str, reference: str) -> bool:
    """The candidate is the reference, or most of it (a page title may add a column or cut the end)."""
    if not folded or not reference:
        return False
    if folded == reference:
        return True
    if folded in reference:
        return L.han_count(folded) * 10 >= L.han_count(reference) * 6
    return len(reference) >= 8 and folded.startswith(reference)


def _header_places(page: list[PageLine], eligible: set[int], body_start: int, lexicon: Lexicon,
                   nb: _Neighbours) -> dict[int, str]:
    """The lines stacked right above each dateline, by place: the headline on top, the rest under it.

    A header is a headline, maybe a subtitle or the outlet's name, then the
    dateline, with share buttons and counters between. The headline is the
    topmost line of eight Han characters or more that is no credit (a short
    line on top is a section label or the outlet's name), else of six; without
    one, the line nearest the dateline."""
    places: dict[int, str] = {}
    for d in _dateline_spots(eligible, body_start, nb):
        # an eligible line is no date or metadata line: only a dateline opening text can be one
        if not (read_dateline(page[d].probe) is not None if d in eligible else _is_dateline(page[d].probe, lexicon)):
            continue
        members: list[int] = []
        skipped = 0
        j = nb.prev(d)
        while j is not None and len(members) < HEADER_RUN:
            if j in eligible:
                members.append(j)
            elif _skippable(page[j].probe, lexicon) and skipped < HEADER_SKIPS:
                skipped += 1
            else:
                break
            j = nb.prev(j)
        if not members:
            continue
        head = _head_of(page, members, lexicon)
        for m in members:
            if places.get(m) != "heads the lines above a dateline":
                places[m] = "heads the lines above a dateline" if m == head else "above a dateline"
    return places


def _dateline_spots(eligible: set[int], body_start: int, nb: _Neighbours) -> list[int]:
    """The lines close enough under an eligible line for a dateline there to head a stack
    (the body's first line too: it may open with one, 本报讯)."""
    reach = HEADER_RUN + HEADER_SKIPS
    spots: list[int] = []
    since = reach                    # non-empty lines from the last eligible one
    j = min(eligible) if eligible else None
    while j is not None and j <= body_start:
        since += 1
        if since <= reach:
            spots.append(j)
        if j in eligible:
            since = 0
        j = nb.next(j)
    return spots


def _head_of(page: list[PageLine], members: list[int], lexicon: Lexicon) -> int:
    """The topmost headline-like member (`members` run upwards): one of HEAD_HAN Han characters
    or more, else of SHORT_HEAD_HAN or more (a section label or outlet name is shorter), else the nearest."""
    # A line behind a title prefix (`正在阅读：…`) shows which article is open; the
    # headline itself is printed under it.
    plain = [m for m in members if not _has_title_prefix(page[m].probe, lexicon)] or members
    for least in (HEAD_HAN, SHORT_HEAD_HAN):
        heads = [m for m in plain if L.han_count(page[m].probe) >= least and not is_credit(page[m].probe, lexicon)]
        if heads:
            return heads[-1]
    return plain[0]


def _has_title_prefix(text: str, lexicon: Lexicon) -> bool:
    return _has_colon(text) and strip_title_prefix(text, lexicon) != text.strip()


def _has_colon(text: str) -> bool:
    """Every title prefix ends in a colon (`正在阅读：`): without one there is nothing to strip."""
    return ":" in text or "：" in text


def _is_dateline(text: str, lexicon: Lexicon) -> bool:
    """An article's dateline: a stamp with a year or a clock time (`05月24日漏签0天`, `8小时前` date a
    list item or a widget), a dateline opening text, labelled fields, or a dated note."""
    if _is_stamp_line(text) and (L.TIME.search(text) or L.FULL_DATE.search(text) or _DIGIT_STAMP.fullmatch(text.strip())
                                 or L.DOTTED_DATE.search(text) or _NUMERIC_DATE.search(text)):
        return True
    if read_dateline(text) is not None or is_metadata_line(text, lexicon):
        return True
    # (2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过): a dated note under a title
    return L.is_bracketed(text) and parse_full_date(text) is not None


def _skippable(text: str, lexicon: Lexicon) -> bool:
    """Lines that may stand between a headline and its dateline: controls, counters, short names
    (a breadcrumb is none: the header starts under it)."""
    if _is_crumb(text):
        return False
    return (L.han_count(text) <= 3 and not L.is_prose(text)) or is_widget(text, lexicon) \
        or is_toolbar(text, lexicon) or L.is_number_only(text) or is_credit(text, lexicon)


@remembered
def is_credit(text: str, lexicon: Lexicon) -> bool:
    """A byline or photo credit: `某刊记者 王明`, `社会中心／综合报导`, `故宫博物院供图`."""
    han = L.han_count(text)
    if han > 24:
        return False
    if is_caption(text, lexicon) and han <= 16:
        return True
    core = text.strip().rstrip(")）】] ")
    if han <= 12 and core.endswith(lexicon.byline_endings):
        return True
    if not _alternation(lexicon.byline_roles).search(text):
        return False
    for role in lexicon.byline_roles:
        at = text.rfind(role)
        if at < 0:
            continue
        after = text[at + len(role):]
        names = [t for t in re.split(r"[\s、，,;；/／|]+", after.strip(" :：丨|")) if t]
        if not names or not all(2 <= L.han_count(n) <= 4 and L.han_count(n) == len(n) for n in names):
            continue
        # one name run on to the role (本报记者张三) is two or three characters: 十佳通讯员评选揭晓 is a headline
        if len(names) > 1 or after[:1] in " \u3000:：丨|" or len(names[0]) <= 3:
            return True
    return False


def _is_cut(page: list[PageLine], first: int, last: int, lexicon: Lexicon, nb: _Neighbours) -> bool:
    """Half a headline: it breaks off at a connective, or the line after it goes on with one."""
    if page[last].probe.rstrip().endswith(lexicon.title_join_enders):
        return True
    after = nb.next(last)
    if after is not None and page[after].probe.lstrip().startswith(lexicon.title_join_openers):
        return True
    before = nb.prev(first)
    return page[first].probe.lstrip().startswith(lexicon.title_join_openers) and before is not None \
        and not L.is_prose(page[before].probe)


def _is_dated_list_item(page: list[PageLine], first: int, last: int, eligible: set[int], nb: _Neighbours) -> bool:
    """Headline, date, headline, date: an item of a news list, not this article's headline.
    The item before or after it must be one too (a page's own date over its header is no list)."""
    nxt = nb.next(last)
    if nxt is None or not _is_stamp_line(page[nxt].probe):
        return False
    prev = nb.prev(first)
    if prev is not None and _is_stamp_line(page[prev].probe) and nb.prev(prev) in eligible:
        return True
    after = nb.next(nxt)
    further = nb.next(after) if after is not None else None
    return after in eligible and further is not None and _is_stamp_line(page[further].probe)


def _menu_item(cx: _Context, i: int) -> bool:
    """A short line among menu items, over no dateline and unlike the page title: not worth scoring."""
    text = cx.page[i].probe
    return L.han_count(text) <= MENU_LINE_HAN and i not in cx.places and i != cx.title_line \
        and _menu_like(cx.page, cx.nb.prev(i)) and _menu_like(cx.page, cx.nb.next(i)) \
        and not _repeats(_fold(text), cx.page_title)


def _menu_like(page: list[PageLine], i: int | None) -> bool:
    return i is not None and L.han_count(page[i].probe) <= 6 and not L.is_prose(page[i].probe) \
        and not _is_stamp_line(page[i].probe)


# --- helpers -------------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of the words (most lines hold none: one scan rules them out)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or r"(?!)")


@lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.lower() for w in words)


def _fold(text: str) -> str:
    return "".join(text.split())


def _strip_site_suffix(text: str) -> str:
    """`标题-网站名` / `标题_栏目_网站` -> the longest part, the headline."""
    parts = [p.strip() for p in re.split(r"\s*(?:--|_|\||｜|\s-\s|-)\s*", text) if p.strip()]
    return max(parts, key=L.han_count) if parts else text


def site_suffix_free(text: str) -> str:
    """A page title line reduced to its headline."""
    return _strip_site_suffix(text)


def _crumb_last(text: str) -> str:
    items = [t for t in re.split(r">>?|»|›", text) if t.strip()]
    return items[-1] if items else ""


def _bigrams(text: str) -> frozenset[str]:
    out = set()
    for run in _BIGRAM_TEXT.findall(text):
        if run.isascii():
            out.add(run.lower())
        else:
            out.update(run[k:k + 2] for k in range(len(run) - 1))
    return frozenset(out)


def _body_sample(page: list[PageLine], start: int) -> str:
    """The first lines of the body, folded: what a headline's words are looked up in."""
    sample: list[str] = []
    size = 0
    for i in range(start, len(page)):
        if len(sample) >= BODY_SAMPLE_LINES or size >= BODY_SAMPLE_CHARS:
            break
        if page[i].probe:
            sample.append(page[i].probe)
            size += len(page[i].probe)
    return _fold("\n".join(sample)).lower()


class _Neighbours:
    """The non-empty lines before and after each line, and how many precede it, counted once
    per page up to a little past the body start (every feature asks them)."""

    def __init__(self, page: list[PageLine], upto: int) -> None:
        self.page = page
        self.upto = min(len(page), upto)
        self._next: list[int | None] = [None] * self.upto
        self._prev: list[int | None] = [None] * self.upto
        self._rank = [0] * (self.upto + 1)
        last = None
        for i in range(self.upto):
            self._prev[i] = last
            self._rank[i + 1] = self._rank[i] + (1 if page[i].probe else 0)
            if page[i].probe:
                last = i
        following = _next_nonempty(page, self.upto - 1) if self.upto else None
        for i in range(self.upto - 1, -1, -1):
            self._next[i] = following
            if page[i].probe:
                following = i

    def next(self, i: int) -> int | None:
        return self._next[i] if 0 <= i < self.upto else _next_nonempty(self.page, i)

    def prev(self, i: int) -> int | None:
        return self._prev[i] if 0 <= i < self.upto else _prev_nonempty(self.page, i)

    def between(self, i: int, j: int) -> int:
        """Non-empty lines strictly between lines i and j (i < j <= upto)."""
        return max(0, self._rank[min(j, self.upto)] - self._rank[min(i + 1, self.upto)])

    def above(self, i: int, n: int) -> list[int]:
        out: list[int] = []
        j = self.prev(i)
        while j is not None and len(out) < n:
            out.append(j)
            j = self.prev(j)
        return out


def _next_nonempty(page: list[PageLine], i: int) -> int | None:
    return next((j for j in range(i + 1, len(page)) if page[j].probe), None)


def _prev_nonempty(page: list[PageLine], i: int) -> int | None:
    return next((j for j in range(i - 1, -1, -1) if page[j].probe), None)
