"""What a line is to the page: its role, and why it is chrome.

Each line is prose or not, a boundary no article crosses (an editor, tags
or original-title line, a legal footer, the opener of a "related" list or
of the comments), or a list item (prose beside a timestamp, in a list whose
items are stamped alike). Site notices, widgets and legal words are told
apart here; body.py finds the article from these roles. Every line outside
the article gets a human-readable reason from what it looks like.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import lines as L
from .lexicon import Lexicon, remembered
from .metadata import read_fields

HARD_FIELDS = {"editor", "tag", "title", "author", "photo"}
NOTICE_SHORT_HAN = 40   # a line this short is a notice on one notice word


@dataclass(frozen=True)
class PageLine:
    number: int          # 1-based line number in the seed
    text: str            # the line as kept (original script, pinyin removed)
    probe: str           # simplified view of the line, for classifying
    raw: str = ""        # the line exactly as the seed has it (what `removed` reports)


@dataclass(frozen=True)
class Roles:
    prose: bool          # running text
    stop: bool           # a boundary the body never crosses
    feed: bool           # a list item next to a timestamp
    why_stop: str = ""


def is_tail_opener(text: str, lexicon: Lexicon) -> bool:
    """The line opens a related/recommended/partner list (a short heading)."""
    head = text.strip(" 【】[]<>《》|:：")
    if not head.startswith(lexicon.tail_openers):
        return False
    # `【上一篇】 标题…` / `相关阅读：标题…`: a labelled opener carries a headline of any length
    labelled = any(text.lstrip(" 【[").startswith(w) and text.lstrip(" 【[")[len(w):len(w) + 1] in "】]:："
                   for w in lexicon.tail_openers)
    # a sentence opening with the word is text (评论员指出，这是好事。)
    return labelled or (L.han_count(text) <= 12 and not L.is_prose(text))


@remembered
def is_legal(text: str, lexicon: Lexicon) -> bool:
    """A copyright, licence or record footer line."""
    if L.is_record_number(text):
        return True
    lower = text.lower()
    if not lexicon.legal_re.search(lower):      # one scan in C rules out most lines
        return False
    hits = sum(1 for w in lexicon.legal_lower if w in lower)
    # one word in a sentence is the article speaking of the law (依法追究刑事责任。)
    return hits >= 2 or (hits == 1 and not L.is_prose(text))


@remembered
def is_notice(text: str, lexicon: Lexicon) -> bool:
    """A site's notice: a disclaimer, a rights or paywall notice, a platform's
    statement, a loading or log-in placeholder. One notice word makes a short
    line that is no sentence one; any other line needs two (an article may say
    仅供参考 or 会员 once)."""
    lower = text.lower()
    if not lexicon.notices_re.search(lower):    # one scan in C rules out most lines
        return False
    hits = sum(1 for w in lexicon.notices_lower if w in lower)
    hits += sum(1 for w in lexicon.legal_lower if w in lower)
    # one notice word in a sentence is the article speaking (协会会员单位已达到一百二十家。)
    return hits >= 2 or (L.han_count(text) <= NOTICE_SHORT_HAN and not L.is_prose(text))


def is_widget(text: str, lexicon: Lexicon) -> bool:
    """A short share/print/font/app/search control."""
    return L.han_count(text) <= 10 and lexicon.widgets_re.search(text.lower()) is not None


def stop_reason(text: str, lexicon: Lexicon) -> str:
    """Why a line ends the article body, or '' when it does not."""
    if is_tail_opener(text, lexicon):
        return "opens a related/recommended list"
    if is_legal(text, lexicon):
        return "copyright, licence or record footer"
    lead, fields = read_fields(text, lexicon)
    if fields and L.han_count(lead) <= 16 and any(f.kind in HARD_FIELDS for f in fields):
        return "article footer field (" + ", ".join(sorted({f.kind for f in fields})) + ")"
    return ""


def line_roles(page: list[PageLine], lexicon: Lexicon) -> list[Roles]:
    """Prose, boundary and list-item flags for every line."""
    stamps = [bool(p.probe) and L.is_timestamp(p.probe) for p in page]
    # list items need a stamp: a page without one (most articles) skips the neighbours
    nonempty = [i for i, p in enumerate(page) if p.probe] if any(stamps) else []
    neighbours: dict[int, tuple[int | None, int | None]] = {}
    for k, i in enumerate(nonempty):
        neighbours[i] = (nonempty[k - 1] if k else None, nonempty[k + 1] if k + 1 < len(nonempty) else None)
    def stamp_of(i: int) -> int | None:
        # A list item is a stamp beside its text, or a stamp, a headline and its summary.
        before, after = neighbours[i]
        for j in (before, after):
            if j is not None and stamps[j]:
                return j
        if before is not None and not L.is_prose(page[before].probe) and L.han_count(page[before].probe) <= 40:
            over = neighbours[before][0]
            if over is not None and stamps[over]:
                return over
        return None

    items = {i: j for i in nonempty if not stamps[i] and L.is_prose(page[i].probe)
             for j in [stamp_of(i)] if j is not None}
    # A list's items are stamped alike; an article's dateline (`… 来源：…`) is
    # shaped otherwise than the relative stamps of the list under it.
    shape = {i: _stamp_shape(page[j].probe, lexicon) for i, j in items.items()}
    roles = []
    for i, p in enumerate(page):
        if not p.probe:
            roles.append(_NO_ROLE)
            continue
        # A list item repeats: another stamped item sits within a few lines.
        # ... each by a stamp of its own: a caption and a lead either side of one
        # dateline are an article's
        feed = i in items and any(j in items and shape[j] == shape[i] and items[j] != items[i]
                                  for j in range(i - 6, i + 7) if j != i)
        roles.append(_line_role(p.probe, lexicon, feed))
    return roles


_NO_ROLE = Roles(False, False, False)   # an empty line's (Roles are frozen: one serves all)


@remembered     # a line's role depends on its text and whether it is a list item only
def _line_role(text: str, lexicon: Lexicon, feed: bool) -> Roles:
    why = stop_reason(text, lexicon)
    prose = L.is_prose(text) and not L.is_keyword_salad(text)
    role = Roles(prose=prose and not feed and not why, stop=bool(why), feed=feed, why_stop=why)
    return _DISTINCT_ROLES.setdefault(role, role)


# The few distinct roles, each made once: the memo's answers share them (fewer objects
# for the garbage collector to walk).
_DISTINCT_ROLES: dict[Roles, Roles] = {}


def _stamp_shape(text: str, lexicon: Lexicon) -> tuple[bool, bool, bool]:
    """What a stamp is made of: relative time, a labelled field, a year."""
    return (bool(L.RELATIVE_TIME.search(text)), bool(read_fields(text, lexicon)[1]),
            bool(L.FULL_DATE.search(text) or L.GLUED_STAMP.search(text)))


@remembered
def chrome_reason(text: str, lexicon: Lexicon, role: Roles | None = None) -> str:
    """What a line outside the article looks like, for the editor."""
    if role is not None and role.stop:
        return role.why_stop
    if is_legal(text, lexicon):
        return "copyright, licence or record footer"
    if is_notice(text, lexicon):
        return "site notice (disclaimer, rights, paywall or placeholder)"
    if L.has_email(text):
        return "contact block (e-mail address)"
    if L.has_phone(text) and not L.is_prose(text):
        return "contact block (phone number)"
    if L.is_url(text):
        return "link address"
    if L.is_breadcrumb(text):
        return "breadcrumb navigation"
    if L.is_keyword_salad(text):
        return "keyword salad (long line without sentence punctuation)"
    if role is not None and role.feed:
        return "list item beside a timestamp (news list or live feed)"
    if L.is_timestamp(text):
        return "timestamp of a listed item"
    if L.is_number_only(text):
        return "counter or number"
    if is_tail_opener(text, lexicon):
        return "opens a related/recommended list"
    if is_widget(text, lexicon):
        return "share/print/font/app widget"
    if L.is_bracketed(text) and not L.is_prose(text):
        return "bracketed note outside the article"
    if L.han_count(text) <= 12 and not L.is_prose(text):
        return "menu item (short line without sentence punctuation)"
    if not L.is_prose(text):
        return "headline or link text (no sentence punctuation)"
    return "text outside the article block"
