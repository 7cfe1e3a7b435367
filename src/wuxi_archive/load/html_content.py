"""Where a saved web page keeps its article, and which of its containers are chrome.

Two kinds of evidence, both from the markup:

- chrome by name: <nav>, <aside>, <footer>, ARIA roles, and containers whose
  class or id says navigation, comments, related list, share bar, ad
  (words in data/html_chrome.yaml); and link lists: a container whose text
  is mostly link text over several links.
- the content container, scored as readability does: every prose line adds
  to the element holding it and its parent in full, to the grandparent by
  half and further ancestors less, each score is discounted by the
  container's link density, and the best container (with siblings that
  score close to it) is the article's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from bs4 import Tag

from ..config import bundled_data

# Chrome by element and by ARIA role.
_CHROME_TAGS = {"nav": "navigation", "aside": "sidebar", "footer": "footer"}
_CHROME_ROLES = {"navigation": "navigation", "complementary": "sidebar", "contentinfo": "footer",
                 "banner": "navigation", "search": "navigation"}
# A link list: at least this many links, and this share of its text link text.
LINK_LIST_MIN_LINKS = 3
LINK_LIST_SHARE = 0.6
# A line adds to the content score when it has this many characters.
MIN_SCORED_CHARS = 10
# Siblings of the best container join it when they score this share of it.
SIBLING_SHARE = 0.2
_PUNCTUATION = re.compile(r"[，。；！？、,;!?]")
_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@dataclass(frozen=True)
class ChromeWords:
    words: dict[str, str]          # class/id word -> reason
    content: frozenset[str]        # words that veto a chrome name


@lru_cache(maxsize=1)
def chrome_words() -> ChromeWords:
    data = bundled_data("html_chrome.yaml")
    return ChromeWords({str(k).lower(): str(v) for k, v in (data.get("chrome") or {}).items()},
                       frozenset(str(w).lower() for w in data.get("content") or []))


def name_tokens(tag: Tag) -> list[str]:
    """The lower-cased words of an element's class and id (`commentBox` -> comment, box)."""
    classes = tag.get("class") or []
    names = " ".join([*(classes if isinstance(classes, list) else [classes]), str(tag.get("id") or "")])
    return [t.lower() for t in _TOKEN.findall(names)]


def chrome_by_name(tag: Tag) -> str:
    """Why the element's name, role, class or id marks it as chrome, or ''."""
    if tag.name in ("html", "body"):       # a page's classes (`has-navbar`) are not chrome
        return ""
    if tag.name in _CHROME_TAGS:
        return _CHROME_TAGS[tag.name]
    role = str(tag.get("role") or "").lower()
    if role in _CHROME_ROLES:
        return _CHROME_ROLES[role]
    tokens = name_tokens(tag)
    if not tokens:
        return ""
    words = chrome_words()
    if any(t in words.content for t in tokens):
        return ""
    for token in tokens:
        if token in words.words:
            return words.words[token]
        for word, reason in words.words.items():
            if len(word) >= 5 and token.startswith(word):
                return reason
    return ""


@dataclass
class Counts:
    chars: int = 0        # visible non-space characters
    link_chars: int = 0   # of them inside <a>
    links: int = 0        # <a> elements


def count_text(root: Tag) -> dict[int, Counts]:
    """Characters, link characters and links under every element, by id().

    Iterative, not recursive: a broken page may nest thousands of unclosed tags."""
    counts: dict[int, Counts] = {}
    stack: list[tuple[Tag, bool, bool]] = [(root, False, False)]     # element, inside a link, children done
    while stack:
        tag, in_link, done = stack.pop()
        link = in_link or tag.name == "a"
        if not done:
            stack.append((tag, in_link, True))
            stack.extend((child, link, False) for child in tag.children if isinstance(child, Tag))
            continue
        here = Counts(links=1 if tag.name == "a" else 0)
        for child in tag.children:
            if isinstance(child, Tag):
                sub = counts[id(child)]
                here.chars += sub.chars
                here.link_chars += sub.link_chars
                here.links += sub.links
            elif type(child).__name__ == "NavigableString":
                n = len("".join(str(child).split()))
                here.chars += n
                if link:
                    here.link_chars += n
        counts[id(tag)] = here
    return counts


def is_link_list(counts: Counts) -> bool:
    return counts.links >= LINK_LIST_MIN_LINKS and counts.link_chars >= LINK_LIST_SHARE * max(counts.chars, 1)


def line_weight(text: str, link_chars: int) -> float:
    """What a line adds to its containers' content score: prose with its punctuation."""
    chars = len("".join(text.split()))
    if chars < MIN_SCORED_CHARS or link_chars * 2 > chars:
        return 0.0
    return 1 + len(_PUNCTUATION.findall(text)) + min(chars / 100, 3)


def content_containers(blocks: list[tuple[Tag, float]], counts: dict[int, Counts]) -> set[int]:
    """ids of the elements holding the article: the best-scored container and its close siblings.

    `blocks`: each scored line's innermost block element and weight."""
    scores: dict[int, float] = {}
    tags: dict[int, Tag] = {}
    for block, weight in blocks:
        if not weight:
            continue
        node: Tag | None = block
        level = 0
        while node is not None and node.name not in ("body", "html", "[document]"):
            share = 1.0 if level <= 1 else (0.5 if level == 2 else 1 / (3 * level))
            scores[id(node)] = scores.get(id(node), 0.0) + weight * share
            tags[id(node)] = node
            node = node.parent
            level += 1
    if not scores:
        return set()
    for key, node in tags.items():
        c = counts.get(key)
        if c and c.chars:
            scores[key] *= 1 - c.link_chars / c.chars
    best = max(scores, key=lambda k: scores[k])   # first of equals: dicts keep insertion order
    top = tags[best]
    chosen = {best}
    if top.parent is not None:
        floor = max(10.0, scores[best] * SIBLING_SHARE)
        for sibling in top.parent.children:
            if isinstance(sibling, Tag) and sibling is not top and scores.get(id(sibling), 0.0) >= floor:
                chosen.add(id(sibling))
    return chosen
