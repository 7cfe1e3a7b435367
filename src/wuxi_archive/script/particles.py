"""著 in converted text: 着 where simplified Chinese writes 着, 著 where it is zhù.

opencc's t2s leaves 著 as it is, so a traditional page's 起著作用 came out
as 起著作用, half converted. In simplified Chinese 著 is zhù only (著名,
显著, 编著: data/zhu_words.yaml); the particle and the verb zháo/zhuó are
着. Applied only to text the converter runs on (traditional passages).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..data_files import bundled_data
from ..words import alternation

ZHU, ZHE = "著", "着"


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern[str], dict[str, str]]:
    """The words holding 著, each with what it becomes (zhù words as they are, zhe words
    with 着), longest first; and a pattern matching one of them, else a lone 著."""
    data = bundled_data("zhu_words.yaml")
    becomes = {str(w): str(w) for w in data.get("zhu_words", []) if ZHU in str(w)}
    becomes.update({str(w): str(w).replace(ZHU, ZHE) for w in data.get("zhe_words", []) if ZHU in str(w)})
    words = sorted(becomes, key=lambda w: (-len(w), w))
    return re.compile(f"{alternation(words).pattern}|{ZHU}"), becomes


def zhe_for_zhu(text: str) -> str:
    """`text` (converted to simplified) with each 著 outside a zhù word written 着."""
    if ZHU not in text:
        return text
    pattern, becomes = _words()
    return pattern.sub(lambda m: becomes.get(m.group(0), ZHE), text)
