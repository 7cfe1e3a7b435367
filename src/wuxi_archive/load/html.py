"""Read a saved web page into the same lines a text dump has, plus what its markup knows.

The lines are laid out as a browser lays out the visible text: block
elements start a new line, hidden elements go. Beside them the page gives
the cleaner evidence as plain data (records.LineHint per line, headline
candidates, meta dates): which element holds each line (<h1>, <p>, ...),
whether it sits in the article's container or in a chrome container (nav,
footer, sidebar, comments, link list), and how much of it is link text.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..records import LineHint, RawPage
from .html_content import (Counts, chrome_by_name, content_containers, count_text, is_link_list,
                           line_weight)
from .html_meta import meta_fields, meta_headlines, visible_h1

# Elements whose content is never visible text.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
# Elements that start a new line of text, as a browser lays them out.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "title",
}
_SPACES = re.compile(r"[ \t\u00a0]+")


def html_to_page(name: str, text: str, encoding: str) -> RawPage:
    """Turn HTML into lines (block elements become lines, hidden things go) and hints."""
    soup = BeautifulSoup(text, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    meta = meta_fields(soup)                    # before <script> goes: JSON-LD lives there
    headlines = meta_headlines(soup)
    for tag in soup.find_all(_INVISIBLE):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()
    h1 = visible_h1(soup)
    if h1:
        headlines["h1"] = h1
    # The whole document, not soup.body: html.parser ends <body> at a stray
    # </body> or </html> and leaves the rest of the page after it.
    body = soup
    segments: list[tuple[str, Tag, bool] | None] = []     # None: a line break
    _walk(body, body, False, segments)
    lines, blocks, link_chars = _lay_out(segments)
    hints = _hints(body, lines, blocks, link_chars)
    return RawPage(seed=name, lines=lines, encoding=encoding, html_title=title, html_meta=meta,
                   line_hints=hints, html_headlines=headlines)


def _is_hidden(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    style = (tag.get("style") or "").replace(" ", "").lower()
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or "display:none" in style or "visibility:hidden" in style


def _walk(root: Tag, body: Tag, in_link: bool, out: list[tuple[str, Tag, bool] | None]) -> None:
    """Text pieces with the block element holding each and whether it is link text; None between lines.

    Iterative, not recursive: a broken page may nest thousands of unclosed tags."""
    stack: list[tuple[Tag, Tag, bool, int]] = [(root, body, in_link, 0)]   # node, its block, in a link, next child
    while stack:
        node, block, link, k = stack.pop()
        children = node.contents
        if k >= len(children):
            if node is not root and node.name in _BLOCKS:
                out.append(None)
            continue
        stack.append((node, block, link, k + 1))
        child = children[k]
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, CDATA, doctype
                out.append((re.sub(r"[\r\n]+", " ", str(child)), block, link))
        elif isinstance(child, Tag):
            is_block = child.name in _BLOCKS
            if is_block:
                out.append(None)
            stack.append((child, child if is_block else block, link or child.name == "a", 0))


def _lay_out(segments: list[tuple[str, Tag, bool] | None]) -> tuple[list[str], list[Tag | None], list[int]]:
    """The lines, each line's block element (of its first visible text) and its link characters."""
    lines: list[str] = []
    blocks: list[Tag | None] = []
    links: list[int] = []
    parts: list[str] = []
    block: Tag | None = None
    link_chars = 0

    def close() -> None:
        lines.append(_SPACES.sub(" ", "".join(parts)).strip())
        blocks.append(block)
        links.append(link_chars)

    for segment in segments:
        if segment is None:
            close()
            parts, block, link_chars = [], None, 0
            continue
        text, holder, in_link = segment
        parts.append(text)
        if block is None and text.strip():
            block = holder
        if in_link:
            link_chars += len("".join(text.split()))
    close()
    # Runs of blank lines are the gaps between blocks, as in the text before.
    return lines, blocks, links


def _hints(body: Tag, lines: list[str], blocks: list[Tag | None], link_chars: list[int]) -> list[LineHint]:
    counts = count_text(body)
    chrome_cache: dict[int, str] = {}

    def chrome_of(tag: Tag | None) -> str:
        """The nearest chrome reason among the element and its ancestors."""
        path: list[Tag] = []
        node = tag
        reason = ""
        while node is not None and node is not body:
            key = id(node)
            if key in chrome_cache:
                reason = chrome_cache[key]
                break
            path.append(node)
            node = node.parent
        for node in reversed(path):       # outermost first: an ad's own footer is the ad's
            reason = reason or chrome_by_name(node)
            chrome_cache[id(node)] = reason
        return reason

    chrome = [chrome_of(block) if block is not None and text else "" for text, block in zip(lines, blocks)]
    scored = [(block, line_weight(text, links)) for text, block, links, why in zip(lines, blocks, link_chars, chrome)
              if block is not None and not why]
    main = content_containers(scored, counts)
    main_path = _ancestors_of(main, blocks, body)
    hints = []
    for text, block, links, why in zip(lines, blocks, link_chars, chrome):
        if not text or block is None:
            hints.append(LineHint())
            continue
        inside = _inside(block, main, body)
        if not why and not inside:
            why = _link_list(block, counts, main_path, body)
        hints.append(LineHint(tag=_text_tag(block, body), main=inside, chrome=why, link_chars=links))
    return hints


def _inside(tag: Tag, containers: set[int], body: Tag) -> bool:
    node: Tag | None = tag
    while node is not None and node is not body:
        if id(node) in containers:
            return True
        node = node.parent
    return False


def _ancestors_of(containers: set[int], blocks: list[Tag | None], body: Tag) -> set[int]:
    """ids of the content containers' ancestors: a link list never holds the article."""
    found: set[int] = set()
    for block in blocks:
        node = block
        while node is not None and node is not body and id(node) not in containers:
            node = node.parent
        if node is not None and id(node) in containers:
            while node is not None and node is not body:
                found.add(id(node))
                node = node.parent
    return found


def _link_list(tag: Tag, counts: dict[int, Counts], keep: set[int], body: Tag) -> str:
    """'link list' when the line sits in a container made mostly of links (outside the article)."""
    node: Tag | None = tag
    while node is not None and node is not body and id(node) not in keep:
        c = counts.get(id(node))
        if c is not None and is_link_list(c):
            return "link list"
        node = node.parent
    return ""


def _text_tag(tag: Tag, body: Tag) -> str:
    """The element that says what the line is: a heading or caption around it, else its own block."""
    node: Tag | None = tag
    while node is not None and node is not body:
        if node.name in ("h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "p", "li", "td", "th", "pre", "blockquote"):
            return node.name
        node = node.parent
    return tag.name
