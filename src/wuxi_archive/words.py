"""Word lists as regular expressions: the cleaner's, the extractor's, the protected terms."""
from __future__ import annotations

import re
from typing import Iterable


def alternation(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of `words` (at one position, the first listed that fits);
    for no words, one that matches nothing."""
    return re.compile("|".join(re.escape(w) for w in words) or r"(?!)")
