"""The article as one run of lines, across the breaks inside it.

A page's article is not one block of prose: photo captions, numbered
section heads, tables, code, short sentences, a poster-style layout broken
after every comma, and inline ads sit between its paragraphs. As jusText
does for HTML blocks, every line first gets a kind from what it looks like
alone; the uncertain kinds then take their place from their neighbours:

- `good`: prose (a sentence with its full stop, a long clause run);
- `text`: a short sentence or a fragment ending in punctuation (`什么？`,
  `5月20日至31日，`), or prose the page prints more than once: text, but
  no evidence of an article on its own;
- `struct`: structure an article carries: section numbers and heads
  (`一、综合`, `01`, `第九章 附则`), captions, table cells, lines of code;
- `soft`: chrome that an article may carry inside it (an ad line, a share
  widget, a photo credit, a site notice): removed, with its reason, when
  it stands inside the run;
- `weak`: other short lines (headings, menu items): a run carries at most
  MAX_WEAK of them in a row;
- `hard`: a boundary no run crosses: the opener of a related list or of the
  comments, a legal footer, an editor or tags line, a list item beside a
  timestamp, a breadcrumb (the page's top: an age-gate notice above it is
  not the article's first paragraph).

A run starts at a good line and carries everything but `hard` lines and
long stretches of `weak`/`soft` ones; it ends at its last good line. A
table (a stretch of short cells, many of them numbers, between two good
lines) is carried whole. The article is the run with the most prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lines as L
from .chrome import PageLine, Roles, chrome_reason, is_notice, is_tail_opener, is_widget
from .lexicon import Lexicon, remembered
from .memo import text_memo
from .metadata import is_metadata_line

MAX_WEAK = 3            # weak lines in a row a run carries
MAX_SOFT = 8            # soft lines in a row a run carries (a share bar, an ad with its buttons)
HEADLINE_PROSE_HAN = 30  # a line shorter than this without a full stop reads as a headline
SPACED_PROSE_HAN = 20   # clauses separated by spaces this long are prose (blogs)
SPACED_CLAUSE_HAN = 7   # Han characters a space-separated clause has on average
MAX_TABLE_CELL = 24     # characters of a table cell
MIN_TABLE_NUMBERS = 4   # numeric cells that make a stretch of short lines a table
HEADER_REACH = 6        # lines above a run searched for its dateline
OPENER_REACH = 4        # lines above a run searched for a list opener
UNDER_DATELINE = 2.0    # weight factor of a run under a dateline
UNDER_OPENER = 0.3      # weight factor of a run under a list or comments opener

MAX_BUTTON_LEN = 10     # characters of a share button's label (`Line`, `QQ空间`)
CLOSE_MARKS = ("×", "✕", "✖", "X", "x")   # the close button of an ad or a pop-up
GOOD, TEXT, STRUCT, SOFT, WEAK, HARD = "good", "text", "struct", "soft", "weak", "hard"

# `一、综合` `（二）` `1、` `2.` `01` `第九章` `Part 1`: a numbered head or a bare section number.
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)"
    r"|0\d(?=\D)|\d{1,2}$|第[一二三四五六七八九十百\d]+[章节部篇条回]|[①-⑳])")
_SENTENCE_END = re.compile(r"[。！？!?…；;，,、：:~～][”’」』)）】\"']*$")
_CELL = re.compile(r"^[-+±]?[\d,.]+\s*%?$|^[\d,.]+\s*[\u4e00-\u9fff%‰]{0,3}$")
# A line of code or shell: mostly ASCII with the punctuation code is made of.
_CODE_MARKS = re.compile(r"[=\\/$&|;{}()<>\[\]#*\"'`]|--|\w\.\w")
_SYMBOLS_ONLY = re.compile(r"^[\W_]+$")
_INNER_SPACE = re.compile(r"\S\s+\S")


@dataclass
class Run:
    start: int                      # index of its first line
    end: int                        # index of its last line
    weight: int = 0                 # Han characters of its prose
    inside: dict[int, str] = field(default_factory=dict)   # index -> why a line inside is removed
    dateline: int | None = None     # index of a line inside that dates the article (a thread's first post)


def is_code(text: str) -> bool:
    """A line of program code or shell: mostly ASCII with code punctuation, or a `# ` comment."""
    stripped = text.strip()
    if stripped.startswith("# ") and L.han_count(stripped) <= 30:
        return True
    if len(stripped) < 3 or L.han_count(stripped) * 4 > len(stripped):
        return False
    ascii_chars = sum(c.isascii() for c in stripped)
    return ascii_chars * 10 >= len(stripped) * 7 and bool(_CODE_MARKS.search(stripped))


def is_ad(text: str, lexicon: Lexicon) -> bool:
    """A line a page's ad slot left in the text (`广告` + the ad's headline)."""
    head = text.strip(" 【】[]|·•")
    return any(head.startswith(marker) for marker in lexicon.ad_markers) and not L.is_prose(text[4:])


def line_kinds(page: list[PageLine], roles: list[Roles], lexicon: Lexicon) -> list[str | None]:
    """The kind of every line (None for an empty one)."""
    # Prose printed more than once, apart (an ad's "thank you" after each ad
    # slot, a summary above the headline): text, but no evidence of an article.
    # A line repeated right below itself is a duplicated caption (paragraphs.py).
    counts: dict[str, int] = {}
    last = ""
    for p in page:
        if p.probe and p.probe != last and L.is_prose(p.probe):
            counts[p.probe] = counts.get(p.probe, 0) + 1
        last = p.probe or last
    if counts and min(counts.values()) > 1:
        counts = {}         # every paragraph printed again: the page is all repeats, keep them
    spaced = _spaced_paragraphs(page)
    kinds: list[str | None] = []
    for i, (p, role) in enumerate(zip(page, roles)):
        text = p.probe
        if not text:
            kinds.append(None)
        elif role.feed:
            kinds.append(HARD)
        elif role.stop:
            kinds.append(SOFT if role.why_stop.startswith("article footer field (photo") else HARD)
        elif is_notice(text, lexicon):
            kinds.append(SOFT)
        elif role.prose or i in spaced:
            kinds.append(TEXT if counts.get(text, 0) > 1 or _headline_shaped(text) else GOOD)
        else:
            kinds.append(_short_kind(text, lexicon))
    _soften_by_neighbours(page, kinds, lexicon)
    return kinds


def _soften_by_neighbours(page: list[PageLine], kinds: list[str | None], lexicon: Lexicon) -> None:
    """Uncertain lines take the kind of chrome around them: a short line between
    two share buttons is one too (`Facebook` `Line` `Weibo`); the headline under
    a lone ad label (`广告`) or above an ad's close mark (`×`) is the ad's."""
    order = [i for i, k in enumerate(kinds) if k is not None]
    for k, i in enumerate(order):
        if kinds[i] not in (WEAK, TEXT, STRUCT):
            continue
        before = order[k - 1] if k else None
        after = order[k + 1] if k + 1 < len(order) else None
        between_soft = kinds[i] != TEXT and len(page[i].probe.strip()) <= MAX_BUTTON_LEN \
            and before is not None and after is not None and kinds[before] == SOFT and kinds[after] == SOFT
        under_ad = before is not None and page[before].probe.strip() in lexicon.ad_markers
        over_close = after is not None and page[after].probe.strip() in CLOSE_MARKS
        if between_soft or under_ad or over_close:
            kinds[i] = SOFT


def _headline_shaped(text: str) -> bool:
    """Prose by its inner ！/？ but shaped like a list's headline: short, no full stop
    (`韩国瑜座谈亮点！女主持正翻 网求大神开门：拜托特写`)."""
    return L.han_count(text) < HEADLINE_PROSE_HAN and not L.FULL_STOP.search(text) \
        and not L.ends_complete(text)


def _spaced_paragraphs(page: list[PageLine]) -> set[int]:
    """Lines of clauses separated by spaces that stand among others of their kind:
    a blog's paragraphs. A lone one is more likely a headline (`标题 副标题`)."""
    long = [i for i, p in enumerate(page) if p.probe and L.han_count(p.probe) >= SPACED_PROSE_HAN
            and is_spaced_prose(p.probe)]
    if len(long) < 2:
        return set()        # most pages: no two such lines, so none stands among its kind
    order = [i for i, p in enumerate(page) if p.probe]
    position = {i: k for k, i in enumerate(order)}
    marked = set(long)
    return {i for i in long if any(0 <= position[i] + d < len(order) and order[position[i] + d] in marked
                                   for d in (-1, 1))}


@remembered
def _short_kind(text: str, lexicon: Lexicon) -> str:
    if is_ad(text, lexicon) or _SYMBOLS_ONLY.match(text) or is_widget(text, lexicon):
        return SOFT
    if L.is_breadcrumb(text) and not is_code(text):
        return HARD         # navigation of the page's top: no article carries one inside
    if L.is_url(text) or L.has_email(text) or L.is_timestamp(text):
        return SOFT
    if is_metadata_line(text, lexicon):
        return WEAK
    if _SECTION.match(text.strip()) or is_code(text):
        return STRUCT
    han = L.han_count(text)
    if han >= 2 and (_SENTENCE_END.search(text.rstrip()) or (han >= 6 and L.CLAUSE.search(text[:-1]))):
        return TEXT
    if is_spaced_prose(text):
        return TEXT
    return WEAK


@text_memo(65536)   # asked of every line by the kinds, and again by the run's extension
def is_spaced_prose(text: str) -> bool:
    """Clauses a writer separated with spaces instead of commas (blogs, posters):
    `一波波低温寒流报到 已将后山一带层层山峦披上`."""
    if not _INNER_SPACE.search(text):
        return False        # one chunk: most lines (a quick no before the split and the count)
    chunks = [c for c in text.split() if c]
    han = L.han_count(text)
    # menu items separated by spaces are short: `行情中心 个股查询 基金净值`
    return han >= 16 and len(chunks) >= 2 and all(L.han_count(c) >= 4 for c in chunks) \
        and han >= SPACED_CLAUSE_HAN * len(chunks) and han * 10 >= len(text.replace(" ", "")) * 8


def table_spans(page: list[PageLine], kinds: list[str | None]) -> set[int]:
    """Lines of tables: stretches of short cells, several of them numbers, between good lines."""
    inside: set[int] = set()
    order = [i for i, k in enumerate(kinds) if k is not None]
    k = 0
    while k < len(order):
        if kinds[order[k]] != GOOD:
            k += 1
            continue
        j = k + 1
        numbers = 0
        while j < len(order) and kinds[order[j]] in (WEAK, STRUCT, SOFT) \
                and len(page[order[j]].probe.strip()) <= MAX_TABLE_CELL:
            numbers += bool(_CELL.match(page[order[j]].probe.strip()))
            j += 1
        cells = j - k - 1
        if j < len(order) and kinds[order[j]] == GOOD and numbers >= MIN_TABLE_NUMBERS and numbers * 10 >= cells * 3:
            inside.update(order[k + 1:j])
        k = j if j > k + 1 else k + 1
    return inside


def runs(page: list[PageLine], roles: list[Roles], lexicon: Lexicon,
         kinds: list[str | None] | None = None) -> list[Run]:
    """Every run of the page, in page order (`kinds`: line_kinds, when known)."""
    kinds = kinds if kinds is not None else line_kinds(page, roles, lexicon)
    tables = table_spans(page, kinds)
    found: list[Run] = []
    current: Run | None = None
    weak = soft = 0
    for i, kind in enumerate(kinds):
        if kind is None:
            continue
        if i in tables:
            kind = STRUCT
        if kind == HARD:
            current = _close(current, found)
            continue
        if kind == GOOD:
            if current is None:
                current = Run(i, i)
            current.end, weak, soft = i, 0, 0
            current.weight += L.han_count(page[i].probe)
            continue
        if current is None:
            continue
        if kind in (TEXT, STRUCT):
            weak = soft = 0
            continue
        if kind == SOFT:
            soft += 1
        else:
            weak += 1
        if weak > MAX_WEAK or soft > MAX_SOFT:
            current = _close(current, found)
            weak = soft = 0
    _close(current, found)
    for run in found:
        _extend_back(run, page, kinds)
        _extend_forward(run, page, kinds)
        for i in range(run.start, run.end + 1):
            if kinds[i] == SOFT and i not in tables:
                run.inside[i] = "inside the article: " + _inside_reason(page[i].probe, lexicon, roles[i])
    return found


def _close(run: Run | None, found: list[Run]) -> None:
    if run is not None:
        found.append(run)
    return None


def _extend_back(run: Run, page: list[PageLine], kinds: list[str | None]) -> None:
    """Take in the text right above the first prose line: fragments that open its
    first paragraph (`下周一，` + `道路施工就将进入第二阶段，`), and short
    sentences with more text above them. A lone line ending in ?/! without text
    above it is more likely the headline and stays out."""
    above = [i for i in range(run.start - 1, -1, -1) if kinds[i] is not None]
    for n, i in enumerate(above):
        if kinds[i] != TEXT:
            break
        text = page[i].probe.rstrip()
        # a quotation standing alone (`“事机一失应难再，时乎时乎不我待！”`) opens an
        # essay; a headline holds more than a quote
        quoted = text[:1] in "“「『\"" and text[-1:] in "”」』\"" and L.CLAUSE.search(text)
        over = above[n + 1] if n + 1 < len(above) else None
        # spaced clauses right under navigation are the headline; under a headline or a
        # dateline, text
        spaced = is_spaced_prose(text) and over is not None and (
            (kinds[over] in (WEAK, TEXT, GOOD) and L.han_count(page[over].probe) >= 4)
            or L.is_timestamp(page[over].probe))
        opens = text.endswith(("，", ",", "、", "。", "：", ":")) or bool(quoted) or spaced
        if not (opens or (over is not None and kinds[over] in (TEXT, GOOD))):
            break
        run.start = i


def _extend_forward(run: Run, page: list[PageLine], kinds: list[str | None]) -> None:
    """Take in complete sentences right below the last prose line: a closing
    short paragraph (`…都能像她一样“瘦成一道闪电”`) or a paragraph the page
    printed before too."""
    for i in range(run.end + 1, len(page)):
        if kinds[i] is None:
            continue
        if kinds[i] != TEXT or not L.ends_complete(page[i].probe):
            break
        run.end = i


def _inside_reason(text: str, lexicon: Lexicon, role: Roles) -> str:
    if is_notice(text, lexicon):
        return "site notice (disclaimer, rights, paywall or placeholder)"
    if is_ad(text, lexicon):
        return "advertisement"
    if role.stop:
        return role.why_stop
    reason = chrome_reason(text, lexicon, role)
    if reason.startswith(("menu item", "headline or link text", "text outside")):
        return "short line among ads or share buttons"
    return reason


def article_run(page: list[PageLine], roles: list[Roles], lexicon: Lexicon, found: list[Run]) -> Run | None:
    """The run holding the article, among the page's runs: the most prose, weighed
    by what stands above it.

    An article sits under its dateline (a timestamp or a source/author/date
    line a few lines up); a run right under the opener of a related list or
    of the comments is that list. The heavier run wins unless these marks
    say otherwise; the earliest on a tie.
    """
    if not found:
        return None
    return max(found, key=lambda r: (r.weight * _position_factor(page, roles, lexicon, r.start), -r.start))


def _position_factor(page: list[PageLine], roles: list[Roles], lexicon: Lexicon, start: int) -> float:
    # share buttons and other soft chrome between a dateline and its text do not count
    above = [i for i in range(start - 1, -1, -1)
             if page[i].probe and not (is_widget(page[i].probe, lexicon) or _SYMBOLS_ONLY.match(page[i].probe))]
    for n, i in enumerate(above[:HEADER_REACH]):
        text = page[i].probe
        if roles[i].stop and is_tail_opener(text, lexicon) and n < OPENER_REACH:
            return UNDER_OPENER
        # a feed's relative stamp (`8 小时前`) dates a list item, not an article
        if (L.is_timestamp(text) and not L.RELATIVE_TIME.search(text)) or is_metadata_line(text, lexicon):
            return UNDER_DATELINE
    return 1.0
