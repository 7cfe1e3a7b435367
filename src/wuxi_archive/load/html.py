"""Read a saved web page into the same lines a text dump has."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..records import RawPage

# Elements whose content is never visible text.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
# Elements that start a new line of text, as a browser lays them out.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "title",
}
_META_DATE_KEYS = ("article:published_time", "pubdate", "publishdate", "date", "dc.date", "og:published_time")


def html_to_page(name: str, text: str, encoding: str) -> RawPage:
    """Turn HTML into lines: block elements become lines, hidden things go."""
    soup = BeautifulSoup(text, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        if key in _META_DATE_KEYS or key in ("description", "keywords", "author"):
            content = tag.get("content")
            if content:
                meta[key] = content.strip()
    for tag in soup.find_all(_INVISIBLE):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()
    parts: list[str] = []
    body = soup.body or soup
    _walk(body, parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parts).split("\n")]
    return RawPage(seed=name, lines=lines, encoding=encoding, html_title=title, html_meta=meta)


def _is_hidden(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    style = (tag.get("style") or "").replace(" ", "").lower()
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or "display:none" in style or "visibility:hidden" in style


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, CDATA, doctype
                out.append(re.sub(r"[\r\n]+", " ", str(child)))
        elif isinstance(child, Tag):
            block = child.name in _BLOCKS
            if block:
                out.append("\n")
            _walk(child, out)
            if block:
                out.append("\n")
