"""GBK mojibake: runs of text decoded one byte out of step, and their repair.
(The other common garble, a UTF-8 page read as GBK, is utf8_as_gbk.py's.)

How the garble arises (worked out byte by byte on real pages): the page text
was GBK bytes (two bytes per Han character, lead 0x81-0xFE, trail 0x40-0xFE).
Somewhere a byte went missing and the decoder (GB18030-2000 / CP936 with the
private-use mapping) carried on one byte out of step, pairing the trail byte
of each character with the lead byte of the next:

    。”江陰  = A1A3 A1B1 BDAD EA8E        (A1 lost, shown as `?`)
    ?!苯幨  = ?  A3A1 B1BD ADEA 8ECA     (A3A1 is ！, folded to ASCII `!`)

Pairs that have no character in GBK come out as private-use characters
(U+E000-U+F8FF: ADEA -> U+E163); the rest are real but mostly rare
characters (苯, 幨). The decoder only falls back into step at a byte below
0x80: an ASCII byte that is a valid trail (`錫` = E5 61 shows as `卞a`), or an
invalid pair such as lead + `(` of a pinyin annotation, shown as `?` with the
`(` swallowed (`兼?zhèn)` was `鎮(zhèn)`). So a run has a head character whose
lead byte is lost and a tail character whose trail byte is often lost.

Repair: re-encode the run to bytes, re-pair them one byte later, and choose
the two half-known characters at the ends among the GBK characters that share
the known byte, using what the page offers: a pinyin annotation after the
gap, n-grams seen elsewhere on the page, words known to pypinyin, and how
common a character is (GB2312 level 1 holds the 3755 most common hanzi).
A repair is accepted only when the result is plainly better Chinese; a gap
nothing decides is marked with GAP and a warning.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..script import is_traditional_char, s2t, t2s
from ..readings import character_readings
from ..records import LOST_CHARACTER, Fix
from .pinyin import strip_pinyin_annotations

GAP = LOST_CHARACTER
# Punctuation far more frequent in Chinese text than any single hanzi.
_COMMON_PUNCT = "。，、；：？！“”"
# The rest of running Chinese text's punctuation: book-title marks, full-width
# brackets, dashes, ellipses. Valid text is full of them (科学刊物《自然》
# （Nature）), so they are no sign of a garble, and no worse than the rare
# characters a re-pairing would put in their place (counting them as GBK
# symbol rows rewrote that phrase into 科学刊□铩蹲匀弧罚□Nature）).
_TEXT_PUNCT = frozenset("《》〈〉「」『』【】〔〕〖〗（）［］｛｝—…·‘’～・")
# A word of three or more letters of one other alphabet (Русский, Ελληνικά, カタカナ)
# is text in that language: a garble makes such letters one or two at a time,
# mixed (`χС`), among rare hanzi (each would need the character before it to end
# in the alphabet's GBK row byte), so such a word is never part of a repair.
_ALPHABET_WORD = re.compile(r"[\u0370-\u03ff]{3,}|[\u0400-\u04ff]{3,}|[\u3041-\u30ff]{3,}")
# Full-width punctuation that pages fold to ASCII; inside a run it stands for
# its GBK full-width bytes (A3xx). `?` and brackets are excluded: they are
# the decoder's replacement mark and the annotation delimiters.
_FOLDED = frozenset("!\"#$%&'*+,-./:;<=>")
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A pinyin annotation whose `(` the decoder swallowed: `zhèn)`.
_FRAGMENT = re.compile(rf"[a-zü{_TONED}]{{1,6}}\)", re.IGNORECASE)
_TRAIL_BYTES = [*range(0x40, 0x7F), *range(0x80, 0xFF)]
# `?` then an annotation whose `(` was swallowed, right before a run: `?zhèn)`.
_HEAD_FRAGMENT = re.compile(rf"\?({_FRAGMENT.pattern[:-2]})\)$", re.IGNORECASE)
# Gain (in quality points) a repair must bring to count as plainly better.
MIN_GAIN = 5


@lru_cache(maxsize=1)
def _legacy_pua_codes() -> tuple[bytes, ...]:
    """GBK codes that GB18030-2000 mapped to U+E766.. in byte order.

    Python's gb18030 (2005) maps 81 of them to real characters instead, so
    the table is rebuilt: the unassigned non-user-defined codes, in order.
    """
    def user_defined(lead: int, trail: int) -> bool:
        return (0xAA <= lead <= 0xAF and trail >= 0xA1) or (
            0xF8 <= lead <= 0xFE and trail >= 0xA1) or (0xA1 <= lead <= 0xA7 and trail <= 0xA0)

    codes = []
    for lead in range(0x81, 0xFF):
        for trail in _TRAIL_BYTES:
            pair = bytes((lead, trail))
            if user_defined(lead, trail) or _decodes(pair):
                continue
            codes.append(pair)
    return tuple(codes)


def _decodes(pair: bytes) -> bool:
    try:
        pair.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


@lru_cache(maxsize=65536)
def _encode(char: str) -> bytes | None:
    """The two GBK bytes the garbling decoder read as `char`, or None."""
    if char in _FOLDED:
        char = chr(ord(char) + 0xFEE0)
    code = ord(char)
    if 0xE766 <= code <= 0xE864:
        return _legacy_pua_codes()[code - 0xE766]
    if code < 0x80:
        return None
    try:
        data = char.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return data if len(data) == 2 else None


@lru_cache(maxsize=65536)
def _decode(pair: bytes) -> str | None:
    """The real character a GBK pair stands for (never private use)."""
    try:
        char = pair.decode("gbk")
    except UnicodeDecodeError:
        return None
    return None if _is_private(char) else char


_PRIVATE = re.compile(r"[\ue000-\uf8ff]")


def _is_private(char: str) -> bool:
    return 0xE000 <= ord(char) <= 0xF8FF


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@lru_cache(maxsize=65536)
def _tier(char: str) -> int:
    """How common a character is: 3 punctuation, 2 level-1 hanzi, 1 level-2, 0 rare."""
    if char in _COMMON_PUNCT:
        return 3
    if not _is_han(char):
        return 0
    simple = t2s(char)
    standard = simple == char or s2t(simple) == char
    try:
        code = simple.encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if not standard or len(code) != 2:
        return 0
    return 2 if code < b"\xd8" else 1


BEST_QUALITY = 2   # the most points char_quality gives one character


def _suspicious(char: str) -> bool:
    """An uncommon character of a run: rare hanzi and GBK symbols, not punctuation
    (full-width, or folded to ASCII as in `喔!!!!!`)."""
    return _tier(char) < 2 and char not in _TEXT_PUNCT and not char.isascii()


def char_quality(char: str) -> int:
    """Points for one character of running Chinese text."""
    return _QUALITY[char]


def _quality_of(char: str) -> int:
    """char_quality worked out (once per character: _QUALITY remembers it)."""
    if char == GAP:
        return -1
    if _is_private(char):
        return -4
    if char.isascii() or char in _TEXT_PUNCT:
        return 0
    if char in _COMMON_PUNCT or _is_han(char):
        return (-1, 0, 2, 1)[_tier(char)]
    return -2  # Cyrillic, kana, box drawing: GBK symbol rows


class _QualityTable(dict):
    """char_quality by character, filled as characters are met: a run's scores are
    summed over every character of it, and a dict lookup costs a fifth of the rules."""

    def __missing__(self, char: str) -> int:
        points = self[char] = _quality_of(char)
        return points


_QUALITY = _QualityTable()


@lru_cache(maxsize=8192)
def _readings(char: str, toned: bool) -> frozenset[str]:
    if not toned:
        return character_readings(char)     # remembered between builds (readings.py)
    from pypinyin import Style, pinyin    # imported when first needed: it takes a seventh of a second
    return frozenset(r.lower() for r in pinyin(char, style=Style.TONE, heteronym=True)[0])


@lru_cache(maxsize=1024)
def _candidates(lead: int | None, trail: int | None) -> tuple[str, ...]:
    """Real characters whose GBK code has the known byte."""
    if lead is not None:
        pairs = (bytes((lead, t)) for t in _TRAIL_BYTES)
    else:
        pairs = (bytes((b, trail)) for b in range(0x81, 0xFF))
    return tuple(c for c in (_decode(p) for p in pairs) if c)


# The set of a page's characters, made once per page (every candidate asks).
_characters_of = lru_cache(maxsize=4)(frozenset)


def _context_score(char: str, left: str, right: str, context: str) -> int:
    """Length of the longest n-gram around `char` also found on the page."""
    if char not in _characters_of(context):
        return 0   # most candidates never occur on the page: no n-gram can, skip the scans
    best = 0
    for k in range(min(4, len(left)) + 1):
        stem = left[len(left) - k:] + char
        if k and stem not in context:
            break
        m = 0
        while m < min(12, len(right)) and stem + right[:m + 1] in context:
            m += 1
        if k + m > best:
            best = k + m
    return best


@lru_cache(maxsize=65536)
def _form(char: str) -> str:
    """'traditional' or 'simplified' for a character only one script uses, else ''."""
    if is_traditional_char(char):
        return "traditional"
    if t2s(char) == char and s2t(char) != char:
        return "simplified"
    return ""


def _script(text: str) -> str:
    """The script the text shows by its single-script characters ('' if none)."""
    forms = [f for f in map(_form, text) if f]
    if not forms:
        return ""
    return max(("traditional", "simplified"), key=forms.count)


def choose(candidates: tuple[str, ...] | list[str], reading: str | None, left: str, right: str,
           context: str, need_evidence: bool = False) -> str | None:
    """The one candidate the evidence clearly prefers, or None.

    Evidence, strongest first: the pinyin annotation, the longest n-gram the
    candidate makes with its neighbours that the page also has, then how
    common the candidate is. With `need_evidence` commonness alone is not enough.
    """
    if reading:
        toned = any(c in _TONED for c in reading)
        matching = [c for c in candidates if reading.lower() in _readings(c, toned)]
        if len(matching) == 1:
            return matching[0]
        candidates = matching or candidates
    script = _script(left + right)
    if script:   # _form(c) is _script(c) for one character
        candidates = [c for c in candidates if _form(c) in ("", script)]
    on_page = _characters_of(context)   # a character the page never shows scores no n-gram
    scored = sorted(
        ((4 * (_context_score(c, left, right, context) if c in on_page else 0) + _tier(c), c)
         for c in candidates),
        key=lambda item: -item[0])
    if not scored or scored[0][0] <= (3 if need_evidence else 0):
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0]:
        return None
    return scored[0][1]


@lru_cache(maxsize=256)     # a marked run is shifted by _best_window, then again by _repair_window
def _shifted_pairs(chars: str) -> tuple[str | None, ...]:
    """Characters read one byte later: trail of each char + lead of the next."""
    codes = [_encode(c) for c in chars]
    return tuple(_decode(a[1:] + b[:1]) if a and b else None for a, b in zip(codes, codes[1:]))


def _spans(text: str) -> list[tuple[int, int]]:
    """Maximal runs of characters that are two GBK bytes each: every run of a line
    (the repair looks only at _candidate_spans; the tests check them against these)."""
    return [run.span() for run in _TWO_BYTE_RUN.finditer(text.translate(_TWO_BYTE))
            if not text[run.start():run.end()].isascii()]


# Where a run can start a repair by itself: a private-use character, or two
# uncommon ones close together (_may_start_repair), in a line's _RUN_CLASSES.
_REPAIR_MARK = re.compile("p|u[uc]?u")
# A `?` marker (_head_marker) stands at most this far before its run.
_MARKER_REACH = 9


def _outside_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of the run text[start:end] outside another alphabet's words, which are
    never repaired (most runs hold none: the run itself)."""
    parts, pos = [], start
    for word in _ALPHABET_WORD.finditer(text, start, end):
        parts.append((pos, word.start()))
        pos = word.end()
    parts.append((pos, end))
    return [(a, b) for a, b in parts if b > a and not text[a:b].isascii()]


def _candidate_spans(text: str, classes: str | None) -> list[tuple[int, int]]:
    """The runs of _spans that _repair_line does not skip: those with a `?` marker
    close before them, or that can start a repair by themselves; in text order.
    `classes` is the line's _RUN_CLASSES, or None when the pre-scan (_maybe_repair_mark)
    found no place in the line where a run could start a repair by itself.

    A line of annotated traditional text has a run between every two brackets,
    hundreds of runs to look at one by one; found from the few marks instead.
    """
    two_byte = text.translate(_TWO_BYTE)
    starts = [] if classes is None else \
        [m.start() for m in _REPAIR_MARK.finditer(classes) if two_byte[m.start()] == "r"]
    question = text.find("?")
    while question >= 0:
        starts += [i for i in range(question + 1, min(question + _MARKER_REACH + 1, len(text)))
                   if two_byte[i] == "r" and two_byte[i - 1] != "r"]
        question = text.find("?", question + 1)
    runs = set()
    for i in starts:
        start = two_byte.rfind("x", 0, i) + 1
        end = two_byte.find("x", i)
        runs.add((start, len(text) if end < 0 else end))
    return sorted(run for run in runs if not text[run[0]:run[1]].isascii())


def _head_marker(text: str, start: int) -> tuple[int, str | None] | None:
    """Where a `?` for the lost lead byte begins, and an annotation after it."""
    if start and text[start - 1] == "?":
        return start - 1, None
    match = _HEAD_FRAGMENT.search(text[max(0, start - 9):start])
    if match:
        return start - len(match.group(0)), match.group(1)
    return None


def _best_window(text: str, start: int, end: int, marked: bool) -> int | None:
    """First character of the window (ending at `end`) most improved by re-pairing."""
    shifted = _shifted_pairs(text[start:end])
    if marked:
        return start if all(shifted) else None
    best, best_gain, gain = None, 0, 0
    # Counts over the window text[i:end], kept as i moves left (recounting
    # each window made long runs of clean prose quadratic).
    private, uncommon = _is_private(text[end - 1]), _suspicious(text[end - 1])
    for i in range(end - 2, start - 1, -1):
        if shifted[i - start] is None:
            break
        gain += _QUALITY[shifted[i - start]] - _QUALITY[text[i + 1]]
        private += _is_private(text[i])
        uncommon += _suspicious(text[i])
        width = end - i
        strong = private > 0 or (width >= 6 and uncommon * 2 >= width)
        if strong and gain - _QUALITY[text[i]] > best_gain:
            best, best_gain = i, gain - _QUALITY[text[i]]
    return best


def _repair_window(text: str, done: str, first: int, end: int, head: tuple[int, str | None] | None,
                   context: str) -> tuple[int, int, str] | None:
    """(start, end, replacement) for one run, or None when it is not plainly better."""
    garbled = text[first:end]
    middle = "".join(c or "" for c in _shifted_pairs(garbled))
    start = head[0] if head else first
    penalty = 3 if head else 0
    if head and head[1]:
        penalty += 2
    codes = [_encode(c) for c in garbled]
    lead, stop, reading = codes[-1][1], end, None
    if lead < 0x81:
        return None
    tail_char = None
    after = text[end:end + 2]
    swallowed = ""
    if after[:1] == "?":
        penalty += 3
        stop = end + 1
        fragment = _FRAGMENT.match(text, stop)
        if fragment:  # the swallowed byte was the annotation's `(`
            reading, stop = fragment.group(0)[:-1], fragment.end()
        elif stop < len(text):  # an ASCII byte went with the lost trail
            swallowed = GAP
    elif after[:1].isascii() and 0x40 <= ord(after[:1] or "\0") <= 0x7E and not after[1:].isascii():
        tail_char = _decode(bytes((lead, ord(after[0]))))
        if tail_char:
            penalty += 3
            stop = end + 1
    before_score = sum(map(_QUALITY.__getitem__, garbled)) - penalty
    doubtful = sum(_QUALITY[c] < 0 for c in middle)
    # A chosen character scores at most BEST_QUALITY: when even the best
    # choice would not be plainly better (most `?` before sound prose),
    # the candidates are not weighed at all.
    best_score = sum(map(_QUALITY.__getitem__, middle)) + (BEST_QUALITY if tail_char is None else _QUALITY[tail_char])
    if best_score + BEST_QUALITY - before_score < MIN_GAIN or doubtful * 5 > len(middle):
        return None
    left = strip_pinyin_annotations(done)
    head_char = choose(_candidates(None, codes[0][0]), head[1] if head else None,
                       left[-6:], middle, context) or GAP
    if tail_char is None:
        right = strip_pinyin_annotations(text[stop:])
        tail_char = choose(_candidates(lead, None), reading, (left + head_char + middle)[-6:],
                           right, context) or GAP
    after_score = sum(map(_QUALITY.__getitem__, head_char + middle + tail_char))
    if after_score - before_score < MIN_GAIN:
        return None
    return start, stop, head_char + middle + tail_char + swallowed


_HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff"
# A lost lead byte (`?`) whose trail is an ASCII-range byte: `人民?y行` was 銀 (E3 79).
_LONE_LEAD = re.compile(rf"(?<=[{_HAN_CLASS}])\?([\x40-\x7e])(?=[{_HAN_CLASS}(])")
_ANNOTATION = re.compile(rf"\(({_FRAGMENT.pattern[:-2]})\)", re.IGNORECASE)


def _repair_lone_leads(text: str, line: int, context: str) -> tuple[str, list[Fix]]:
    """Re-join `?x` glued between Han characters, when the page says which character it was."""
    out, fixes, pos = [], [], 0
    for match in _LONE_LEAD.finditer(text):
        page = _page_words(context)
        annotation = _ANNOTATION.match(text, match.end())
        char = choose(_candidates(None, ord(match.group(1))), annotation.group(1) if annotation else None,
                      strip_pinyin_annotations(text[:match.start()])[-6:],
                      strip_pinyin_annotations(text[match.end():])[:12], page, need_evidence=True)
        if char is None:
            continue
        out += [text[pos:match.start()], char]
        fixes.append(Fix(line=line, kind="mojibake", before=match.group(0), after=char))
        pos = match.end()
    return "".join(out) + text[pos:], fixes


@lru_cache(maxsize=4)   # every line of a page is repaired against the same page text
def _page_words(page: str) -> str:
    """The page text without pinyin annotations."""
    # Line by line (no annotation spans a line break), so the cleaner's own
    # stripping of each line finds most of them in strip_pinyin_annotations' memo.
    return "\n".join(map(strip_pinyin_annotations, page.split("\n")))


class _RunClasses(dict):
    """A str.translate table, filled as characters are met: what each can be in a garbled run.

    p private use, x not two GBK bytes (ends a run), c common (tier 2-3), u uncommon.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if _is_private(char):
            kind = "p"
        elif _encode(char) is None:
            kind = "x"
        else:
            kind = "u" if _suspicious(char) else "c"
        self[code] = kind
        return kind


_RUN_CLASSES = _RunClasses()


class _TwoByteClasses(dict):
    """A str.translate table, filled as characters are met: `r` for a character of two
    GBK bytes (it can be part of a garbled run), `x` for any other."""

    def __missing__(self, code: int) -> str:
        kind = "x" if _encode(chr(code)) is None else "r"
        self[code] = kind
        return kind


_TWO_BYTE = _TwoByteClasses()
_TWO_BYTE_RUN = re.compile("r+")
# Two uncommon characters at most one run character apart. Without a `?` or
# a private-use character, only a window of >= 6 characters at least half
# uncommon can start a repair, and such a window always holds this pair.
_UNCOMMON_PAIR = re.compile("u[uc]?u")


def _may_start_repair(classes: str) -> bool:
    """False when no window of a run (given as its _RUN_CLASSES) can start a repair by
    itself: no private-use character and no two uncommon characters close together."""
    return "p" in classes or _UNCOMMON_PAIR.search(classes) is not None


@lru_cache(maxsize=1)
def _maybe_repair_mark() -> re.Pattern[str]:
    """A regex over a line's own text that finds every place _REPAIR_MARK can match in its
    _RUN_CLASSES, and more: a private-use character, or two characters that are neither
    ASCII nor among the common characters (GB2312 level 1, their traditional forms,
    common punctuation) whose class is known to be `c` or `x`, side by side or with one
    character between that is not ASCII of class `x`.
    Built once per process (a few hundredths of a second)."""
    level_one = (bytes((lead, trail)).decode("gb2312", "ignore")
                 for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF))
    common = {c for c in level_one if c}
    pool = common | {s2t(c) for c in common} | set(_COMMON_PUNCT) | _TEXT_PUNCT
    # kept only when the classifier itself says so: never a `u` or `p` among them
    safe = sorted(c for c in pool if len(c) == 1 and not c.isascii() and _RUN_CLASSES[ord(c)] in "cx")
    other = "[^\x00-\x7f" + "".join(re.escape(c) for c in safe) + "]"
    # Between the two, any character but an ASCII one the classifier calls `x` (all but
    # the punctuation folded from full width): in _REPAIR_MARK's `u[uc]?u` the middle is
    # never `x`. An annotated line (`佈(bù)`) so passes: its toned letters before `)`.
    ends_run = "".join(re.escape(c) for c in map(chr, range(128)) if _RUN_CLASSES[ord(c)] == "x")
    # Said so that it opens with one character class (private use is among `other`):
    # the engine then skips in C over the common characters, instead of trying two
    # branches at every position.
    return re.compile(rf"{other}(?:(?<=[\ue000-\uf8ff])|[^{ends_run}]?{other})", re.DOTALL)


def _plainly_clean(text: str) -> bool:
    """True when no repair can fire on the line (most lines): skip the window search.

    The full search costs microseconds per character; this check is one
    translate and one regex scan, and never skips a line the search would change.
    Most lines are common characters only: one scan of the text itself finds no
    place a repair could start, and the translate is not made at all.
    """
    if "?" in text:
        return False
    if _maybe_repair_mark().search(text) is None:
        return True
    return not _may_start_repair(text.translate(_RUN_CLASSES))


def _plainly_clean_slowly(text: str) -> bool:
    """_plainly_clean without the scan of the text itself (the reference the tests compare with)."""
    return "?" not in text and not _may_start_repair(text.translate(_RUN_CLASSES))


def may_be_garbled(text: str) -> bool:
    """False for a line no repair can change (most lines): no `?`, no U+FFFD, no
    private-use character, no two uncommon characters close together. Any garble has
    one of them (UTF-8 read as GBK: a short one may be all common characters and U+FFFD)."""
    return "\ufffd" in text or not (text.isascii() or _plainly_clean(text))


def repair_mojibake(text: str, line: int, context: str = "") -> tuple[str, list[Fix], list[str]]:
    """Return (repaired text, fixes made, warnings) for one line of a page.

    `context` is the page's text, whose n-grams help choose a lost character.
    """
    if not may_be_garbled(text):
        return text, [], []
    return _repair_line(text, line, context)


def _repair_line(text: str, line: int, context: str) -> tuple[str, list[Fix], list[str]]:
    """repair_mojibake without the shortcut for plainly clean lines."""
    context = context or text
    # Most lines sent here have only a `?` (a question mark, mostly): when the pre-scan finds
    # no place a run could start a repair by itself, no _may_start_repair below can say yes,
    # and the classes (a translate of the whole line, through a Python-level table) are not made.
    classes = text.translate(_RUN_CLASSES) if _maybe_repair_mark().search(text) else None
    out: list[str] = []
    fixes: list[Fix] = []
    pos = 0
    for start, end in (part for run in _candidate_spans(text, classes) for part in _outside_words(text, *run)):
        if start < pos:
            continue
        head = _head_marker(text, start)
        if head and head[0] < pos:
            head = None
        # Without a `?` marker most runs are clean prose: skip _best_window's scan.
        if head is None and (classes is None or not _may_start_repair(classes[start:end])):
            continue
        first = _best_window(text, start, end, head is not None)
        if first is None:
            continue
        done = "".join(out) + text[pos:head[0] if head else first]
        repaired = _repair_window(text, done, first, end, head, _page_words(context))
        if repaired is None:
            continue
        run_start, run_end, replacement = repaired
        out.append(text[pos:run_start])
        out.append(replacement)
        kind = "mojibake-gap" if GAP in replacement else "mojibake"
        fixes.append(Fix(line=line, kind=kind, before=text[run_start:run_end], after=replacement))
        pos = run_end
    out.append(text[pos:])
    result, lone_fixes = _repair_lone_leads("".join(out), line, context)
    fixes += lone_fixes
    stray = _PRIVATE.findall(result)
    if stray:
        result = _PRIVATE.sub(GAP, result)
        fixes.append(Fix(line=line, kind="mojibake-gap", before="".join(stray), after=GAP * len(stray)))
    warnings = [f"line {line}: garbled text {f.before!r} could not be fully recovered; "
                f"{f.after.count(GAP)} character(s) marked {GAP}"
                for f in fixes if f.kind == "mojibake-gap"]
    return result, fixes, warnings
