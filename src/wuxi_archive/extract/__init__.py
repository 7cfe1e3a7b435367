"""Stage 4, extract: organisations, events and people named in an article.

A first, simple version: organisation names end in a known suffix and
start after a punctuation mark; aliases come from the configuration.
"""
from __future__ import annotations

import re

from ..config import Config
from ..records import Article, CleanArticle, Organisation

_ORG = re.compile(r"([\u4e00-\u9fff()（）]{2,24}?(?:有限公司|集团|大学|学院|研究院|中心|委员会|管委会|高新区|协会|联盟))")
_CUT = re.compile(r".*[与和在由及、,，。:：;；“”]")


def extract_entities(article: CleanArticle, config: Config) -> Article:
    """Find the organisations an article names; events and people follow later."""
    text = "\n".join(p.text for p in article.paragraphs)
    found: dict[str, Organisation] = {}
    for match in _ORG.finditer(text):
        name = _CUT.sub("", match.group(1))
        if len(name) >= 4 and name not in found:
            found[name] = Organisation(name=name)
    for alias, canonical in config.aliases.items():
        if alias in text:
            org = found.setdefault(canonical, Organisation(name=canonical))
            if alias != canonical and alias not in org.aliases:
                org.aliases.append(alias)
    return Article(clean=article, organisations=sorted(found.values(), key=lambda o: text.find(o.name)))
