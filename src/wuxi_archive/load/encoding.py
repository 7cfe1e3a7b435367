"""Decode a scraped file's bytes without guessing silently."""
from __future__ import annotations

import codecs

# Share of control characters above which bytes are binary, not text.
_BINARY_CONTROL_SHARE = 0.05


def decode_seed_bytes(data: bytes) -> tuple[str | None, str, list[str]]:
    """Return (text, encoding, warnings); text is None for binary data.

    Order: a BOM decides; then strict UTF-8; then strict GB18030 (a superset
    of GBK and GB2312); then UTF-8 with the bad bytes replaced, warning how
    many were lost. Any encoding other than UTF-8 is named in a warning.
    """
    warnings: list[str] = []
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            if codec != "utf-8-sig":
                warnings.append(f"decoded as {codec} (byte order mark)")
            return _reject_binary(text, codec, warnings)
    if _looks_like_bomless_utf16(data):
        codec = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        warnings.append(f"decoded as {codec} (no byte order mark; guessed from zero bytes)")
        return _reject_binary(data.decode(codec, errors="replace"), codec, warnings)
    if b"\x00" in data[:8192]:
        return None, "binary", ["NUL bytes in the file"]
    try:
        return _reject_binary(data.decode("utf-8"), "utf-8", warnings)
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        text = data.decode("gb18030")
        if _mostly_cjk_or_ascii(text):
            warnings.append("decoded as gb18030 (GBK/GB2312 family), not UTF-8")
            return _reject_binary(text, "gb18030", warnings)
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    warnings.append(f"invalid UTF-8 from byte {first_bad}: {bad} undecodable sequence(s) replaced with U+FFFD")
    return _reject_binary(text, "utf-8", warnings)


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    return max(zeros_even, zeros_odd) > 0.3 * half and min(zeros_even, zeros_odd) < 0.05 * half


def _mostly_cjk_or_ascii(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return True
    good = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return good / len(sample) > 0.9


def _reject_binary(text: str, codec: str, warnings: list[str]) -> tuple[str | None, str, list[str]]:
    sample = text[:8192]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f")
    if sample and controls / len(sample) > _BINARY_CONTROL_SHARE:
        return None, "binary", [f"{controls} control characters in the first {len(sample)}"]
    return text, codec, warnings
