"""What a saved web page says about itself outside its visible text:
headline candidates, publication dates, the charset it declares."""
from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, Tag

# Meta names that carry a publication date (lower-cased, stripped). A name
# that says "modified" or "updated" is not one: a page changed later still
# appeared on its publication date.
_DATE_NAME = re.compile(r"publish|pubdate|release|date|_time$|:time$|createdate|create_at|firstpublished")
_NOT_PUBLICATION = re.compile(r"modif|update|expire|last|validate|type$|id$")
# Meta names kept for other readers (description for summaries, author).
_OTHER_KEYS = ("description", "keywords", "author")
_HEADLINE_KEYS = ("og:title", "twitter:title")
# <meta charset=...> or http-equiv content="text/html; charset=..."
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')


def declared_charset(data: bytes) -> str | None:
    """The charset a page's <meta> declares in its first 4 KiB, lower-cased."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def meta_fields(soup: BeautifulSoup) -> dict[str, str]:
    """Publication dates and descriptive fields of the page, by lower-cased name.

    <meta name|property|itemprop=... content=...>, then the JSON-LD
    `datePublished` ("json-ld:datepublished"), an element with
    itemprop=datePublished ("itemprop:datepublished") and the first
    <time datetime> ("time:datetime"). The cleaner ranks them."""
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if not key or not content or key in meta:
            continue
        if key in _OTHER_KEYS or (_DATE_NAME.search(key) and not _NOT_PUBLICATION.search(key)):
            meta[key] = content
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        date = _json_ld_date(script.string or "")
        if date:
            meta.setdefault("json-ld:datepublished", date)
            break
    for tag in soup.find_all(attrs={"itemprop": re.compile(r"^datePublished$", re.IGNORECASE)}):
        if tag.name != "meta":
            value = (tag.get("datetime") or tag.get("content") or tag.get_text(" ", strip=True)).strip()
            if value:
                meta.setdefault("itemprop:datepublished", value)
                break
    for tag in soup.find_all("time"):
        value = (tag.get("datetime") or "").strip()
        if value:
            meta.setdefault("time:datetime", value)
            break
    return meta


def _json_ld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        m = _LD_DATE.search(text)          # a page's JSON-LD is often not valid JSON
        return m.group(1) if m else None
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            for node in [item, *(item.get("@graph") or [])]:
                if isinstance(node, dict) and isinstance(node.get("datePublished"), str):
                    return node["datePublished"]
    return None


def meta_headlines(soup: BeautifulSoup) -> dict[str, list[str]]:
    """og:title (or twitter:title) and <title>, whitespace-folded; read before <head> goes."""
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").strip().lower()
        content = _squash(tag.get("content") or "")
        if key in _HEADLINE_KEYS and content and content not in found.get("og:title", []):
            found.setdefault("og:title", []).append(content)
    if soup.title is not None:
        title = _squash(soup.title.get_text(" ", strip=True))
        if title:
            found["title"] = [title]
    return found


def visible_h1(soup: BeautifulSoup) -> list[str]:
    """The texts of the page's <h1> elements in page order (hidden ones removed first)."""
    texts = [_squash(tag.get_text(" ", strip=True)) for tag in soup.find_all("h1") if isinstance(tag, Tag)]
    return [text for text in texts if text]


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n\u00a0]+", " ", text).strip()
