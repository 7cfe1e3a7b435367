"""Features of one line of a page: what it looks like, never what site it is from.

Every function here takes the (simplified) text of a line and answers a
structural question: does it hold sentence punctuation, is it a timestamp,
a phone number, an e-mail address, a record number, a link, a breadcrumb,
a keyword salad? The classifier in chrome.py combines these answers.
"""
from __future__ import annotations

import re

from ..records import LOST_CHARACTER
from .memo import text_memo

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
HAN_RUN = re.compile(rf"{HAN.pattern}+")
# Sentence-final marks. A full stop or semicolon makes a line prose wherever
# it stands; ! and ? only inside the line (a headline may end with one).
FULL_STOP = re.compile(r"[。；;]")
EXCLAIM = re.compile(r"[!?！？]")
CLAUSE = re.compile(r"[,，、：:]")
COMMA = re.compile(r"[,，、]")
# A line ending in a character garble repair could not read may have lost its
# full stop: it counts as complete, so lines are not joined on no evidence.
TERMINAL = re.compile(rf"[。！？!?；;…][”’」』)）】]*$|[”」』][)）]?$|[)）]$|{LOST_CHARACTER}$")
TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)(?!\d)")
MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
# `15:312018/09/16`: a time glued to the date after it (a list item's stamp)
GLUED_STAMP = re.compile(r"\d{1,2}:\d{2}((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
DOTTED_DATE = re.compile(r"\d{4}\.\d{2}\.\d{2}")
# `8 小时前` `21分钟前` `3天前` `刚刚` `昨天`: the stamps of feeds and comment threads.
RELATIVE_TIME = re.compile(r"\d+\s*(?:秒|分钟|小時|小时|天|周|個月|个月)前|刚刚|剛剛|昨天|前天")
# `05月10日` `5-10` as a stamp standing alone (no year): a listed item's date.
SHORT_DATE = re.compile(r"(?<![\d年])\d{1,2}月\d{1,2}日|(?<![\d\-/])\d{2}-\d{2}(?![\d\-/])")
YEAR_MENTION = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年|版|届)")
PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|\d{3}-\d{3,4}-\d{4}|\d{8})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@(?:qq|163|126)\.com", re.IGNORECASE)
URL = re.compile(r"^(?:https?://|www\.)\S+$|^\S+\.(?:com|cn|net|org|gov)(?:\.cn)?/?\S*$", re.IGNORECASE)
ICP = re.compile(r"ICP[备证]|ICP\s*[:：]|公网安备|公安网备|网安备|备案号|备案/许可证", re.IGNORECASE)
CRUMB_MARK = re.compile(r">|»|›")
CRUMB_SPLIT = re.compile(r">>?|»|›")
NUMBER_ONLY = re.compile(r"^[\d\s,.+\-|/:：]+$")
BRACKETED = re.compile(r"^[(（【\[].*[)）】\]]$")


@text_memo(65536)   # the rules ask about each line several times
def han_count(text: str) -> int:
    """How many Han characters a line holds."""
    return sum(map(len, HAN_RUN.findall(text)))   # runs, not one match per character


@text_memo(65536)   # every rule asks it of the same lines
def is_prose(text: str) -> bool:
    """A line of running text: a full stop, a ! / ? before its end, or a long clause run.

    A headline ending in '!' is not prose; a short real sentence ending in
    '。' is; so is a long line of clauses a page broke off mid-sentence.
    """
    if han_count(text) < 6:
        return False
    if FULL_STOP.search(text):
        return True
    if han_count(text) >= 30 and len(COMMA.findall(text)) >= 3:
        return True      # a long stretch of a sentence the page broke off
    if text.endswith(LOST_CHARACTER) and han_count(text) >= 15 and COMMA.search(text):
        return True      # a repaired garble: its full stop may be the character it lost
    inner = EXCLAIM.search(text.rstrip("!?！？”」』)） "))
    return bool(inner) and bool(CLAUSE.search(text))


# What TERMINAL allows after its first character: a match is one character and these.
_TERMINAL_CLOSERS = "”’」』)）】"


def ends_complete(text: str) -> bool:
    """The line ends where a sentence (or a bracketed byline) ends."""
    line = text.rstrip()
    # Only the line's end can match: searched from the character before its closing
    # brackets and quotes, not tried at every position of a long line.
    return bool(TERMINAL.search(line, max(0, len(line.rstrip(_TERMINAL_CLOSERS)) - 1)))


def ends_complete_slowly(text: str) -> bool:
    """ends_complete searching the whole line (the reference the tests compare with)."""
    return bool(TERMINAL.search(text.rstrip()))


@text_memo(65536)   # the roles, the run's kinds and the title ask it of the same lines
def is_timestamp(text: str) -> bool:
    """A short line that is mostly a date and/or time (a list item's stamp), or a
    relative one (`8 小时前`, `回复·05月10日`, `昨天 12:30`)."""
    if len(text) > 40:   # checked first: most lines are longer, and the scans below cost more
        return False
    if text.rstrip().endswith(("，", ",", "、", "。", "；", ";")):
        return False     # `5月20日至31日，`: a sentence that starts with a date
    if not (TIME.search(text) or FULL_DATE.search(text) or DOTTED_DATE.search(text)
            or RELATIVE_TIME.search(text) or SHORT_DATE.search(text) or GLUED_STAMP.search(text)):
        return False
    rest = FULL_DATE.sub("", TIME.sub("", GLUED_STAMP.sub("", text)))
    rest = SHORT_DATE.sub("", RELATIVE_TIME.sub("", DOTTED_DATE.sub("", rest)))
    return han_count(rest) <= 8 and not is_prose(text)


def has_phone(text: str) -> bool:
    return bool(PHONE.search(text.replace(" ", "")))


def has_email(text: str) -> bool:
    # Both forms need an `@`; without one the regex would still try every
    # start of a long line (Han characters are \w), which is quadratic.
    return "@" in text and bool(EMAIL.search(text))


def is_url(text: str) -> bool:
    return bool(URL.match(text.strip()))


def is_record_number(text: str) -> bool:
    """ICP licence or public-security record number."""
    # Every form holds 备 or the letters CP: most lines have neither, and skip the scan.
    return ("备" in text or "cp" in text.lower()) and bool(ICP.search(text))


def is_number_only(text: str) -> bool:
    return bool(NUMBER_ONLY.match(text.strip()))


@text_memo(65536)   # the title's features ask it of the lines above every candidate
def is_breadcrumb(text: str) -> bool:
    """Short items joined by '>' (or '>>', '»'): navigation, not text. The last of
    three or more may be the page's own headline, of any length
    (`首页 > 时政新闻 > 江门七旬阿婆接来电…`)."""
    if not CRUMB_MARK.search(text) or is_prose(text):
        return False
    items = [i for i in CRUMB_SPLIT.split(text) if i.strip()]
    leading = items[:-1] if len(items) >= 3 else items
    return all(han_count(i) <= 12 for i in leading)


@text_memo(65536)   # asked of every line by the roles, the title and the chrome reasons
def is_keyword_salad(text: str) -> bool:
    """One long line of concatenated phrases with (almost) no punctuation."""
    han = han_count(text)
    if han < 80:
        return False
    marks = len(re.findall(r"[。，、；！？,;!?：:]", text))
    return marks * 60 < han


def is_bracketed(text: str) -> bool:
    """The whole line is one bracketed note, e.g. (资料图片仅供参考)."""
    return bool(BRACKETED.match(text.strip())) and text.count("(") + text.count("（") <= 2
