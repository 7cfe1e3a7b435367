"""UTF-8 read as GBK: the commonest scrape garble, and its repair.

A UTF-8 page decoded as GBK turns each three-byte Han character into one
and a half GBK characters, mostly rare ones: `8月14日` (38 E6 9C 88 31 34 ...)
shows as `8鏈�14鏃�`. A byte that pairs into no GBK character became U+FFFD
and is lost. Unlike the one-byte-out-of-step garble of a GBK page
(mojibake.py), nothing needs guessing: encoding the run back to GBK gives
the page's UTF-8 bytes again. Only a character one of whose bytes was lost
cannot be read; it is marked GAP and warned about.

A line is repaired only when its bytes are almost all valid UTF-8 (ordinary
Chinese re-encoded that way fails on nearly every character) and the result
is plainly better Chinese than the garble. Ordinary text at the line's ends
(a label before a garbled sentence) is kept as it is.
"""
from __future__ import annotations

import re

from ..records import Fix
from .lines import han_count
from .mojibake import GAP, MIN_GAIN, char_quality

# A lost byte (the decoder's U+FFFD, encoded via NUL, which page text never
# holds) is read back as a continuation byte: the decoder drops a byte >= 0x81
# standing before an ASCII byte, which in UTF-8 Chinese is the last byte of a
# character. The character it was part of decodes (to something) and is then
# marked GAP.
_LOST_AS = b"\x80"
_ESCAPED = re.compile("[\udc80-\udcff]")
_ASCII_BYTES = bytes(range(128))
# Share of the non-ASCII bytes that may fail to decode as UTF-8; ordinary
# Chinese re-encoded this way fails on about nine in ten.
_MAX_BAD_SHARE = 0.2
MIN_HAN = 4           # a shorter run is too little evidence


def repair_utf8_read_as_gbk(text: str, line: int) -> tuple[str, list[Fix], list[str]]:
    """Return (text, fixes, warnings) for one line: the line with its UTF-8-read-as-GBK
    run decoded again, or unchanged when it holds none."""
    # One encode and one decode in C first: lines of ordinary text fail here.
    # (No encode error handler: builds run with the cyclic GC off, and the
    # exception a handler raises holds its own frame, a cycle that would leak.)
    if "\x00" in text:
        return text, [], []
    try:
        data = _gbk_bytes(text)
    except UnicodeEncodeError:      # a character no GBK decoder makes: not this garble
        return text, [], []
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    if not non_ascii or len(_ESCAPED.findall(data.decode("utf-8", "surrogateescape"))) > _MAX_BAD_SHARE * non_ascii:
        return text, [], []
    found = _reread(text, data, [_gbk_bytes(char) for char in text])
    if found is None:
        return text, [], []
    start, end, chars = found
    garbled = text[start:end]
    replacement = _as_text(chars)
    han = han_count(replacement)
    gaps = replacement.count(GAP)
    gain = sum(map(char_quality, replacement)) - sum(map(char_quality, garbled))
    if han < MIN_HAN or gaps > han or gain < MIN_GAIN:
        return text, [], []
    fix = Fix(line=line, kind="mojibake-gap" if gaps else "mojibake", before=garbled, after=replacement)
    warnings = [f"line {line}: text read with the wrong encoding (UTF-8 as GBK) was decoded again; "
                f"{gaps} character(s) whose bytes were lost are marked {GAP}"] if gaps else []
    return text[:start] + replacement + text[end:], [fix], warnings


def _gbk_bytes(text: str) -> bytes:
    """The GBK bytes of `text`, each U+FFFD as _LOST_AS."""
    return text.replace("\ufffd", "\x00").encode("gbk").replace(b"\x00", _LOST_AS)


def _as_text(chars: list[str | None]) -> str:
    """The decoded run as text: a lost character (None) is GAP, and so is a stray byte
    ("") unless it follows a GAP (a lost byte can leave its neighbour's bytes astray).

    A lost character is never guessed: any of 64 characters fits its known bytes,
    and the page's n-grams chose wrongly in tests (`化` read as `区` beside a comma)."""
    out: list[str] = []
    for char in chars:
        if char is None:
            out.append(GAP)
        elif char == "":
            if not out or out[-1] != GAP:
                out.append(GAP)
        else:
            out.append(char)
    return "".join(out)


def _reread(text: str, data: bytes, pieces: list[bytes]) -> tuple[int, int, list[str | None]] | None:
    """(start, end, decoded): the characters from the first to the last whose bytes
    decode as UTF-8 Chinese (a Han character or CJK punctuation), starting and ending
    on a character's bytes, and what they decode to: a character holding a lost byte
    is None, a byte that decodes to nothing is "". `data` is the line's bytes, `pieces`
    each character's."""
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    starts = {o: i for i, o in enumerate(offsets)}          # byte offset -> character starting there
    lost = {offsets[i] for i, char in enumerate(text) if char == "\ufffd"}
    decoded: list[tuple[int, int, str | None, bool]] = []    # (first byte, end, char, Chinese?)
    pos = 0
    while pos < len(data):
        size = _sequence_length(data[pos])
        char = None
        if size > 1 and pos + size <= len(data):
            try:
                char = data[pos:pos + size].decode("utf-8")
            except UnicodeDecodeError:
                pass
        if char is None:
            decoded.append((pos, pos + 1, chr(data[pos]) if data[pos] < 0x80 else "", False))
            pos += 1
            continue
        chinese = _is_chinese(char)
        # U+FFFD decoded back: the page already had it before the garble (锟斤拷).
        unreadable = char == "\ufffd" or not lost.isdisjoint(range(pos, pos + size))
        decoded.append((pos, pos + size, None if unreadable else char, chinese))
        pos += size
    anchors = [a for a, _, _, chinese in decoded if chinese and a in starts]
    ends = [b for _, b, char, chinese in decoded if (chinese or char is None) and b in starts]
    if not anchors or not ends or ends[-1] <= anchors[0]:
        return None
    first, last = anchors[0], ends[-1]
    # The line's head or tail goes with the run when all of it decodes to text too:
    # pinyin's toned letters, ©, an ASCII letter a pair swallowed (`网_` read as `缃慱`).
    if all(_reads_as_text(char) for a, _, char, _ in decoded if a < first):
        first = 0
    if all(_reads_as_text(char) for a, _, char, _ in decoded if a >= last):
        last = len(data)
    # Lost bytes right after the run are its last character's: the run takes them.
    while last in lost and last + 1 in starts:
        last += 1
    return starts[first], starts[last], [c for a, _, c, _ in decoded if first <= a < last]


def _reads_as_text(char: str | None) -> bool:
    """A decoded character that belongs in a Chinese page's text (a lost one counts)."""
    return char is None or (char != "" and (char.isascii() or _is_chinese(char)
                                            or "\u00a0" <= char <= "\u024f" or "\u2000" <= char <= "\u206f"))


def _is_chinese(char: str) -> bool:
    """A Han character or CJK punctuation: what a UTF-8 page's three-byte sequences hold."""
    return ("\u3400" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f"
            or "\uff00" <= char <= "\uffef" or "\u2010" <= char <= "\u2027")


def _sequence_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence `lead` starts (0: not a lead byte)."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0
