"""Decode a scraped file's bytes without guessing silently."""
from __future__ import annotations

import codecs
import re

# Share of control characters above which bytes are binary, not text.
_BINARY_CONTROL_SHARE = 0.05
# Share of undecodable bytes above which a file is not text in any encoding we read.
_NOT_TEXT_BAD_SHARE = 0.2
# UTF-8 wins over GB18030 while its bad bytes stay under this share of the
# non-ASCII bytes: a UTF-8 file with a few damaged bytes is still UTF-8, while
# GBK read as UTF-8 fails on almost every non-ASCII byte.
_UTF8_DAMAGE_SHARE = 0.05

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# surrogateescape turns each undecodable byte into one lone surrogate, which
# valid text never contains: so they count the damage exactly.
_ESCAPED_RUN = re.compile("[\udc80-\udcff]+")
_ASCII_BYTES = bytes(range(128))


def decode_seed_bytes(data: bytes) -> tuple[str | None, str, list[str]]:
    """Return (text, encoding, warnings); text is None for binary data.

    Order: a BOM decides; then strict UTF-8; then whichever of UTF-8 and
    GB18030 (a superset of GBK and GB2312) loses fewer bytes, each run of
    undecodable bytes replaced by U+FFFD and counted in a warning. Any
    encoding other than UTF-8 is named in a warning.
    """
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_counting(data, codec)
            if codec != "utf-8-sig":
                warnings.append(f"decoded as {codec} (byte order mark)")
            if bad:
                warnings.append(f"{bad} undecodable byte(s) replaced with U+FFFD")
            return _reject_binary(text, codec, warnings)
    if _looks_like_bomless_utf16(data):
        codec = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        warnings.append(f"decoded as {codec} (no byte order mark; guessed from zero bytes)")
        text, _ = _decode_counting(data, codec)
        return _reject_binary(text, codec, warnings)
    if b"\x00" in data[:8192]:
        return None, "binary", ["NUL bytes in the file"]
    try:
        return _reject_binary(data.decode("utf-8"), "utf-8", warnings)
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    utf8_text, utf8_bad = _decode_counting(data, "utf-8")
    non_ascii = (len(data) - len(data.translate(None, _ASCII_BYTES))) or 1
    if utf8_bad <= _UTF8_DAMAGE_SHARE * non_ascii:
        warnings.append(f"invalid UTF-8 from byte {first_bad}: {utf8_bad} undecodable byte(s) replaced with U+FFFD")
        return _reject_binary(utf8_text, "utf-8", warnings)
    gb_text, gb_bad = _decode_counting(data, "gb18030")
    # GB18030 reads most byte pairs, so noise can pass for it: it must read as
    # Chinese, unless it explains every byte (a GBK page whose text is largely
    # mojibake, which the cleaner repairs, is not mostly CJK but is text).
    if gb_bad < utf8_bad and (gb_bad == 0 or _mostly_cjk_or_ascii(gb_text)):
        note = f"; {gb_bad} undecodable byte(s) replaced with U+FFFD" if gb_bad else ""
        if gb_bad or declared_charset(data) not in _GB_FAMILY:
            # A page that declares a GBK charset and decodes cleanly is what it says: no guess to warn of.
            warnings.append(f"decoded as gb18030 (GBK/GB2312 family), not UTF-8{note}")
        text, codec, bad = gb_text, "gb18030", gb_bad
    else:
        warnings.append(f"invalid UTF-8 from byte {first_bad}: {utf8_bad} undecodable byte(s) replaced with U+FFFD")
        text, codec, bad = utf8_text, "utf-8", utf8_bad
    if bad > _NOT_TEXT_BAD_SHARE * len(data):
        return None, "binary", [f"{bad} of {len(data)} bytes are neither UTF-8 nor GB18030"]
    return _reject_binary(text, codec, warnings)


# A saved page's <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">,
# looked for where browsers look (the first kilobytes).
_DECLARED_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_:.-]+)", re.I)
_DECLARED_WITHIN = 4096
_GB_FAMILY = frozenset({"gbk", "gb2312", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn"})


def declared_charset(data: bytes) -> str | None:
    """The charset a web page declares in a meta tag near its start, lower case, or None."""
    m = _DECLARED_CHARSET.search(data[:_DECLARED_WITHIN])
    return m.group(1).decode("ascii").lower() if m else None


def _decode_counting(data: bytes, codec: str) -> tuple[str, int]:
    """Decode, replacing each run of bad bytes by U+FFFD; return (text, bad bytes)."""
    try:
        escaped = data.decode(codec, errors="surrogateescape")
    except UnicodeDecodeError:
        # A codec that reports ASCII bytes as bad cannot escape them; count
        # replacement characters instead (a slight overcount if the text had its own).
        text = data.decode(codec, errors="replace")
        return text, text.count("\ufffd")
    bad = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal bad
        bad += len(match.group(0))
        return "\ufffd"

    return _ESCAPED_RUN.sub(replace, escaped), bad


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    return max(zeros_even, zeros_odd) > 0.3 * half and min(zeros_even, zeros_odd) < 0.05 * half


# Counted by regex, not a Python test per character: this runs on every seed.
_NOT_CJK_OR_ASCII = re.compile(r"[^\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
# Control characters other than the whitespace ones (\t \n \v \f \r).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _mostly_cjk_or_ascii(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    good = len(sample) - len(_NOT_CJK_OR_ASCII.findall(sample))
    return good / len(sample) > 0.9


def _reject_binary(text: str, codec: str, warnings: list[str]) -> tuple[str | None, str, list[str]]:
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > _BINARY_CONTROL_SHARE:
        return None, "binary", [f"{controls} control characters in the first {len(sample)}"]
    return text, codec, warnings
